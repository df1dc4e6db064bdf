/**
 * The OpenTelemetry Operator's injection into annotated pods (docs/facts/operator.md §2.3, §6): a pod
 * template annotated `instrumentation.opentelemetry.io/inject-<language>: "true"` (or naming an
 * Instrumentation, `name` or `namespace/name`) gets, in the containers the operator picks, the env the
 * Instrumentation resource defines, with the operator's precedence: the container's own env first (a
 * variable it sets is never injected), then the language block's env, the common `spec.env`, then the
 * exporter fields (../sources/instrumentationResource.ts already orders the last three). The language
 * names the SDK that reads them (`inject-java` → the Java agent...). For Go the settings go to the agent
 * sidecar the operator adds, not to the app container.
 *
 * Parse time (../sources/k8sWorkload.ts): `podInjections` reads the pod's annotations and which
 * containers each language instruments; a picked container is an app unit even without `OTEL_*` env,
 * carrying `injection`. Workspace time (./workspace.ts, the language service): `resolveInjection`
 * finds the Instrumentation among the workspace's app units and makes the container unit the app the
 * operator makes of it: the Instrumentation's settings as a part (../sources/parts.ts) whose problems
 * are reported on the annotation, since the pod's verdict belongs to the pod.
 */
import { isMap, isScalar, type Document } from 'yaml';
import type { Problem } from '../languageTypes';
import type { SdkId } from '../sdk/sdks';
import { appendPart } from '../sources/parts';
import { getEntry, type AnyNode } from '../yaml/yamlNodes';
import type { KubernetesObject } from './kubernetes';
import { settle } from './processSettings';
import type { AppUnit } from './units';
import type { WorkspaceApp } from './workspace';

/** Each inject annotation's language: its Instrumentation block, the SDK its agent is, whether it reads env. */
export const INJECT_LANGUAGES: readonly { annotation: string; block?: string; sdk?: SdkId; containers: string; notEnv?: boolean; sidecar?: boolean }[] = [
  { annotation: 'java', block: 'java', sdk: 'java-agent', containers: 'java-container-names' },
  { annotation: 'nodejs', block: 'nodejs', sdk: 'js', containers: 'nodejs-container-names' },
  { annotation: 'python', block: 'python', sdk: 'python', containers: 'python-container-names' },
  { annotation: 'dotnet', block: 'dotnet', sdk: 'dotnet-auto', containers: 'dotnet-container-names' },
  { annotation: 'go', block: 'go', sdk: 'go', containers: 'go-container-names', sidecar: true },
  { annotation: 'sdk', containers: 'sdk-container-names' },
  // The web server agents are configured through a file the operator writes, not through env (sdk.go injectApacheHttpd/injectNginx).
  { annotation: 'apache-httpd', block: 'apacheHttpd', containers: 'apache-httpd-container-names', notEnv: true },
  { annotation: 'nginx', block: 'nginx', containers: 'inject-nginx-container-names', notEnv: true },
];

const PREFIX = 'instrumentation.opentelemetry.io/';

/** What an inject annotation asks of one container. */
export interface Injection {
  /** The annotation's language (`java`, `nodejs`, `apache-httpd`...). */
  language: string;
  /** The annotation's value: `true`, an Instrumentation's `name` or `namespace/name`. */
  value: string;
  /** The pod's namespace (the object's, when its manifest states one). */
  namespace?: string;
  /** The span of the annotation's value in the file: the pod's problems from the Instrumentation are reported there. */
  offset: number;
  length: number;
}

/** The annotations a pod template carries for injection, and the containers each language instruments. */
export interface PodInjection extends Injection {
  /** The containers it instruments (by name): the annotations' lists, else the first container. */
  containers: string[];
  /** Why the operator will not inject at all (two languages without container names, a container listed twice). */
  rejected?: string;
  /** The container names the annotations give, none of which is a container of the pod (containersToInstrument finds none). */
  unmatched?: string[];
  /** The container's JAVA_TOOL_OPTIONS comes from valueFrom (`env[0] JAVA_TOOL_OPTIONS comes from valueFrom …`): no Java injection there. */
  toolOptionsFrom?: string;
}

/** The pod template's inject annotations (not `false`, not empty), in INJECT_LANGUAGES order. */
export function podInjections(object: KubernetesObject): PodInjection[] {
  const pod = object.pod;
  if (!pod) return [];
  const { doc } = object;
  let metadata: AnyNode = object.node;
  for (const key of [...pod.specPath.slice(0, -1), 'metadata']) metadata = getEntry(metadata, doc, key as string)?.value;
  const annotations = getEntry(metadata, doc, 'annotations')?.value;
  if (!isMap(annotations)) return [];
  if (alreadyInstrumented(object)) return [];
  const value = (key: string) => pod.annotations[`${PREFIX}${key}`];
  // helper.go isValidContainersAnnotation: only letters, digits, `-` and `,` (no blanks), else the operator injects nothing.
  let invalid: string | undefined;
  const names = (key: string) => {
    const raw = value(key);
    if (raw && !/^[a-zA-Z0-9-,]+$/.test(raw)) invalid ??= `not valid characters included in the instrumentation container annotation ${raw}`;
    return listOf(raw);
  };
  const common = names('container-names');
  const found: PodInjection[] = [];
  for (const language of INJECT_LANGUAGES) {
    const raw = value(`inject-${language.annotation}`)?.trim();
    if (!raw || raw.toLowerCase() === 'false') continue;
    const span = valueSpan(doc, annotations, `${PREFIX}inject-${language.annotation}`);
    if (!span) continue;
    const own = names(language.containers);
    found.push({ language: language.annotation, value: raw.toLowerCase() === 'true' ? 'true' : raw, ...(object.namespace ? { namespace: object.namespace } : {}), offset: span[0], length: span[1] - span[0], containers: [...(common ?? []), ...(own ?? [])] });
  }
  // podmutator.go areInstrumentedContainersCorrect: several languages need container names for each.
  const first = pod.containers.find((c) => !c.init)?.name;
  const named = found.filter((f) => f.containers.length > 0).length;
  const rejected =
    invalid ??
    (found.length > 1 && named < found.length
      ? 'incorrect instrumentation configuration - please provide container names for all instrumentations'
      : duplicate(found.flatMap((f) => f.containers)));
  const exists = (name: string) => pod.containers.some((c) => c.name === name);
  for (const injection of found) {
    if (injection.containers.length === 0 && first) injection.containers = [first];
    if (!injection.containers.some(exists) && first) {
      // Said on a container of the pod even when the names match none: the operator instruments no container then.
      if (!rejected) injection.unmatched = injection.containers;
      injection.containers = [first];
    }
    if (rejected) injection.rejected = rejected;
  }
  return found;
}

/** Init containers the operator adds (…-java, -nodejs, -python, -dotnet; the Apache agent's). */
const INJECTED_INIT = /^(opentelemetry-auto-instrumentation-(java|nodejs|python|dotnet)|otel-agent-attach-apache|otel-agent-source-container-clone)$/;

/**
 * A pod the operator has already instrumented (a manifest of a running pod, `kubectl get -o yaml`), which it
 * leaves as it is (helper.go isAutoInstrumentationInjected): its init containers, the Go sidecar, or the
 * OTEL_RESOURCE_ATTRIBUTES_NODE_NAME it injects in any container but the collector's `otc-container`.
 */
function alreadyInstrumented(object: KubernetesObject): boolean {
  return (object.pod?.containers ?? []).some((c) =>
    c.init ? INJECTED_INIT.test(c.name) : c.name === 'opentelemetry-auto-instrumentation' || (c.name !== 'otc-container' && c.env.some((e) => e.name === 'OTEL_RESOURCE_ATTRIBUTES_NODE_NAME')),
  );
}

function listOf(value: string | undefined): string[] | undefined {
  return value ? value.split(',').filter(Boolean) : undefined;
}

function duplicate(names: string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return `duplicated container name ${name} in the container-names annotations`;
    seen.add(name);
  }
  return undefined;
}

function valueSpan(doc: Document, map: AnyNode, key: string): [number, number] | undefined {
  const entry = getEntry(map, doc, key);
  const node = entry?.value;
  if (isScalar(node) && node.range) return [node.range[0], node.range[1]];
  const keyRange = entry?.keyNode.range;
  return keyRange ? [keyRange[0], keyRange[1]] : undefined;
}

/** An Instrumentation unit's identity (../sources/instrumentationResource.ts sets it). */
export interface InstrumentationTag {
  name?: string;
  namespace?: string;
  /** The language block the unit is (`java`...), undefined for the unit of every instrumented pod. */
  block?: string;
}

/** What the operator makes of one container: the unit with the injected settings, and what is said about it. */
export interface ResolvedInjection {
  unit: AppUnit;
  /** Problems on the annotation (in the unit's own text): the Instrumentation is not in the workspace... */
  problems: Problem[];
  /** The Instrumentation unit whose settings were injected. */
  from?: WorkspaceApp;
}

/** `unit` (a container with `injection`) as the operator leaves it, given the workspace's Instrumentation units. */
export function resolveInjection(unit: AppUnit, apps: readonly WorkspaceApp[]): ResolvedInjection {
  const injection = unit.injection;
  if (!injection) return { unit, problems: [] };
  const language = INJECT_LANGUAGES.find((l) => l.annotation === injection.language)!;
  const at = { offset: injection.offset, length: injection.length };
  // The container judged alone: its settings are shared with any earlier resolution of it, whose `settle` gave them
  // the places they had in the injected unit (after the injected copies), so they get their own places back.
  const say = (code: Problem['code'], message: string): ResolvedInjection => ({ unit: ownLocators(unit), problems: [{ code, ...at, message }] });
  if (injection.rejected) return say('injection-rejected', `The operator injects nothing into this pod: name each container of each language once. It says "${injection.rejected}" (podmutator.go), and the pod runs uninstrumented. Name the containers of each language (instrumentation.opentelemetry.io/<language>-container-names), each container once.`);
  if (injection.unmatched) {
    return say('injection-rejected', `inject-${language.annotation}: no container of this pod has the names given: name one of its containers. ${injection.unmatched.join(', ')} name no container of this pod, so the operator instruments none (containersToInstrument, sdk.go) and the pod runs uninstrumented. Name a container of the pod in the container-names annotations.`);
  }
  // javaagent.go L25 validateContainerEnv: a JAVA_TOOL_OPTIONS from valueFrom makes the operator skip the container.
  if (language.annotation === 'java' && injection.toolOptionsFrom) {
    return say('injection-rejected', `inject-java: the operator skips this container (JAVA_TOOL_OPTIONS from valueFrom): set it with value:. ${injection.toolOptionsFrom}, and the operator skips the Java agent's injection into such a container ("the container defines env var value via ValueFrom, envVar: JAVA_TOOL_OPTIONS"): it runs uninstrumented. Set JAVA_TOOL_OPTIONS with value:, or leave it to the operator.`);
  }
  if (language.notEnv) return say('injection-not-judged', `inject-${language.annotation}: this agent is configured by a file, not OTEL_* variables, so it is not judged. The operator configures the ${language.annotation} agent through a configuration file it writes into the container, not through OTEL_* variables, so this container's exporter is not judged here.`);
  const instrumentations = apps.filter((a) => a.unit.instrumentation && !a.unit.instrumentation.block);
  const wanted = injection.value;
  let candidates: WorkspaceApp[];
  if (wanted === 'true') {
    candidates = instrumentations.filter((a) => sameNamespace(a.unit.instrumentation!.namespace, injection.namespace));
    const exact = candidates.filter((a) => a.unit.instrumentation!.namespace === injection.namespace);
    // Certain only where the namespaces are stated: files without one may be applied to different namespaces.
    if (injection.namespace !== undefined && exact.length > 1) {
      return say('injection-rejected', `inject-${language.annotation}: "true" finds several Instrumentations here, so none is injected: name one. "true" selects the one Instrumentation of the pod's namespace, and the workspace has ${exact.length} there (${exact.map((a) => a.unit.label).join(', ')}): the operator fails with "multiple OpenTelemetry Instrumentation instances available, cannot determine which one to select" and the pod runs uninstrumented. Name one: instrumentation.opentelemetry.io/inject-${language.annotation}: "<name>".`);
    }
    if (exact.length === 1 && injection.namespace !== undefined) candidates = exact;
  } else {
    const [ns, name] = wanted.includes('/') ? [wanted.slice(0, wanted.indexOf('/')), wanted.slice(wanted.indexOf('/') + 1)] : [injection.namespace, wanted];
    candidates = instrumentations.filter((a) => a.unit.instrumentation!.name === name && sameNamespace(a.unit.instrumentation!.namespace, ns));
    const exact = candidates.filter((a) => a.unit.instrumentation!.namespace === ns);
    if (exact.length === 1 && ns !== undefined) candidates = exact;
  }
  if (candidates.length !== 1) {
    const which = wanted === 'true' ? `the Instrumentation of ${injection.namespace ? `namespace ${injection.namespace}` : "the pod's namespace"}` : `Instrumentation ${wanted.includes('/') || !injection.namespace ? wanted : `${injection.namespace}/${wanted}`}`;
    const reason = candidates.length === 0 ? 'is not in the workspace' : `cannot be told apart among ${candidates.map((a) => a.unit.label).join(', ')} (their namespaces are not all stated)`;
    return say('injection-not-judged', `inject-${language.annotation}: what the operator injects is not known here; check its Instrumentation with this manifest. ${capitalizeFirst(which)} ${reason}, so the exporter settings the operator injects into this container are not known here and its handshake is not judged. Check the manifest that defines it with this one.`);
  }
  const common = candidates[0];
  const tag = common.unit.instrumentation!;
  // The language block's unit when it has one (its env, then the common env and exporter), else the common unit.
  const from =
    apps.find((a) => a.path === common.path && a.unit.instrumentation?.block === language.block && a.unit.instrumentation?.name === tag.name && a.unit.instrumentation?.namespace === tag.namespace) ?? common;
  const source = from.unit;
  // A variable the container sets is never injected (appendIfNotSet, sdk.go); the Go agent is a sidecar of its own.
  const own = language.sidecar ? [] : unit.settings;
  const set = new Set([...own, ...(unit.ignored ?? [])].map((s) => s.name));
  const injected = source.settings.filter((s) => language.sidecar || !set.has(s.name));
  const base: AppUnit = language.sidecar ? { ...unit, settings: [], runtime: [] } : unit;
  const withPart = appendPart(base, { path: from.path, text: from.text, settings: injected, role: `what ${source.label} injects (inject-${language.annotation})` }, 'below');
  const part = withPart.parts![withPart.parts!.length - 1];
  part.at = at;
  if (source.label) part.label = source.label;
  const label = `${language.sidecar ? `the Go agent sidecar of ${unit.label}` : unit.label} (inject-${language.annotation}: ${source.label?.replace(/ \([a-zA-Z]+\)$/, '')})`;
  const sdk = language.sdk ?? unit.sdk ?? source.sdk;
  // The operator mounts the Instrumentation's Secret and ConfigMap into the container it configures (the sidecar for Go).
  const container = language.sidecar
    ? { label: 'the Go agent sidecar', mounts: source.container?.mounts ?? [] }
    : { label: unit.container?.label ?? 'the container', mounts: [...(source.container?.mounts ?? []), ...(unit.container?.mounts ?? [])] };
  const settled = settle({ ...withPart, label, container, ...(sdk ? { sdk } : {}) });
  return { unit: settled, problems: [], from };
}

/** The unit with each of its settings' locators at its own index (as model/processSettings.ts settle numbers them). */
function ownLocators(unit: AppUnit): AppUnit {
  [...unit.settings, ...(unit.ignored ?? [])].forEach((setting, i) => (setting.locator = { app: unit.index, setting: i }));
  return unit;
}

/** An unstated namespace (the one the manifest is applied to) may be any. */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Kubernetes workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
 * ReplicationController, PodTemplate) → one app unit per container and init container that sets
 * `OTEL_*` variables: its `env` as the container sees it (./k8sEnv.ts), named in messages as written
 * (`env[3] OTEL_EXPORTER_OTLP_ENDPOINT`, the unit labelled `container app of Deployment shop/checkout`),
 * its `envFrom` sources as settings that cannot be read here, and its volume mounts as the place its
 * certificate files come from. A `command` (with its `args`) that runs `java` is a Java command line: its
 * `-Dotel.*` properties are settings of the app (system properties, over the environment) and a
 * `-javaagent:` names the agent (model/processSettings.ts), as in a Dockerfile's ENTRYPOINT; `$(VAR)` in them
 * is expanded from the container's environment as the kubelet does. A container with none of these is not
 * an app unit, unless an inject annotation has the OpenTelemetry Operator instrument it (`injection`,
 * resolved against the workspace's Instrumentation resources by ../model/operatorInjection.ts).
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { AppSetting } from '../model/appSettings';
import { javaArguments } from '../model/javaOptions';
import { containerMounts, expandEnvValue, type Container, type KubernetesObject } from '../model/kubernetes';
import { podInjections, type PodInjection } from '../model/operatorInjection';
import { commandLineProperties, dispatchEdits } from '../model/processSettings';
import type { AppEdits, AppUnit } from '../model/units';
import { identityMap } from './embedded';
import { envListSettings, yamlAppEdits } from './k8sEnv';
import type { ManifestContext } from './kubernetesManifest';
import { commandEdits, commandLineWords, type CommandWord } from './yamlCommandLine';

export function readWorkload(object: KubernetesObject, context: ManifestContext): void {
  const injections = podInjections(object);
  for (const container of object.pod?.containers ?? []) {
    // The first annotation (INJECT_LANGUAGES order) that picks the container; a container listed twice is rejected anyway.
    const found = injections.find((i) => i.containers.includes(container.name));
    const toolOptions = container.env.find((e) => e.name === 'JAVA_TOOL_OPTIONS');
    const injection = found && toolOptions?.valueFrom ? { ...found, toolOptionsFrom: `env[${toolOptions.index}] JAVA_TOOL_OPTIONS comes from valueFrom ${toolOptions.valueFrom.description}` } : found;
    const unit = containerUnit(object, container, context, injection);
    if (unit) context.apps.push(unit);
  }
}

function containerUnit(object: KubernetesObject, container: Container, context: ManifestContext, injection: PodInjection | undefined): AppUnit | undefined {
  const index = context.apps.length;
  const { settings, handles, runtime } = envListSettings(container.envNode, container.env, {
    app: index,
    firstSetting: 0,
    written: (entry) => `env[${entry.index}] ${entry.name}`,
    defined: new Map(),
    envFrom: container.envFrom.length > 0,
  });
  const java = javaCommandLine(container, context.text, index, settings.length);
  if (settings.length === 0 && !java && !injection) return undefined;
  const label = `${container.init ? 'init container' : 'container'} ${container.name} of ${object.label}`;
  // Each envFrom source, on its first key (`configMapRef`).
  const opaqueSources = container.envFrom.flatMap((source) => {
    const key = isMap(source.node) ? (source.node.items[0]?.key as { range?: [number, number, number] } | undefined)?.range : undefined;
    return key ? [{ what: `envFrom ${source.description}`, offset: key[0], length: key[1] - key[0] }] : [];
  });
  return {
    kind: 'app',
    index,
    text: context.text,
    offsets: identityMap,
    settings: java ? [...settings, ...java.settings] : settings,
    edits: java ? dispatchEdits(yamlAppEdits(context.text, handles), java.owners) : yamlAppEdits(context.text, handles),
    ...(java ? { java: { agent: java.agent } } : {}),
    label,
    container: { label: 'the container', mounts: containerMounts(container.volumeMounts), ...(object.namespace ? { namespace: object.namespace } : {}) },
    ...(opaqueSources.length > 0 ? { opaqueSources } : {}),
    ...(runtime.length > 0 ? { runtime } : {}),
    ...(injection ? { injection } : {}),
  };
}

/**
 * The java command line of the container's `command` and `args` (one argv: each item one word, located in the
 * item's scalar where it is written as it is): the first word whose base name is `java` starts it. When the
 * command is a shell with `-c` (`command: [sh, -c]`, `args: ["java -D… -jar app.jar"]`, or all three in
 * `command`), the script is split into its words and read the same way. Undefined when there is no java word,
 * or it names no OpenTelemetry property or agent. A `$(VAR)` in a property's value is expanded from the
 * container's `env`, as the kubelet expands `command` and `args`; one it cannot expand, or a shell's own `$VAR`
 * left in a script, leaves the value not known here.
 */
function javaCommandLine(container: Container, text: string, app: number, firstSetting: number): { settings: AppSetting[]; owners: Map<AppSetting, AppEdits>; agent: boolean } | undefined {
  const command = container.node.get('command', true);
  const args = container.node.get('args', true);
  // Without a command the image's entrypoint runs, which may or may not be java: `args` alone are not read.
  if (!isSeq(command)) return undefined;
  const words = commandLineWords([command, isSeq(args) ? args : undefined], text);
  const javaAt = words.findIndex((w) => /(^|\/)java$/.test(w.value));
  if (javaAt < 0) return undefined;
  const java = words.slice(javaAt);
  const found = commandLineProperties(java, (property) => commandEdits(text, property, property.word as CommandWord));
  if (found.settings.length === 0 && !found.agent) return undefined;
  const env = knownEnv(container);
  const properties = javaArguments(java).properties;
  found.settings.forEach((setting, i) => {
    setting.locator = { app, setting: firstSetting + i };
    const property = properties[i];
    const raw = property?.value;
    if (raw === undefined || !raw.includes('$')) return;
    const expansion = expandEnvValue(raw, env);
    const word = property.word as CommandWord;
    // A word of a script (a part of its scalar): what `$` the kubelet leaves, the shell expands at run time.
    const inScript = word.rel.start > 0 || word.rel.end < String(word.node.value).length;
    if (expansion.unknown.length === 0 && expansion.unresolved.length === 0 && !(inScript && expansion.value?.includes('$'))) setting.value = expansion.value;
  });
  return found;
}

/** The container's env values that are known here (plain `value`s, expanded in order). */
function knownEnv(container: Container): Map<string, string | undefined> {
  const known = new Map<string, string | undefined>();
  for (const entry of container.env) {
    const node = entry.value?.value;
    const raw = !entry.valueFrom && isScalar(node) ? String(node.value ?? '') : undefined;
    if (raw === undefined) {
      known.set(entry.name, undefined);
      continue;
    }
    const expansion = expandEnvValue(raw, known);
    known.set(entry.name, expansion.unknown.length === 0 ? expansion.value : undefined);
  }
  return known;
}

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
import { isMap, isScalar, isSeq, type Scalar, type YAMLSeq } from 'yaml';
import type { AppSetting } from '../model/appSettings';
import { javaArguments, type JavaProperty, type Word } from '../model/javaOptions';
import { containerMounts, expandEnvValue, type Container, type KubernetesObject } from '../model/kubernetes';
import { podInjections, type PodInjection } from '../model/operatorInjection';
import { commandLineProperties, dispatchEdits, propertyKey } from '../model/processSettings';
import type { AppEdits, AppUnit, TextChange } from '../model/units';
import { lineStartOf, nextLineStart } from '../text';
import { yamlValue } from '../yaml/yamlText';
import { identityMap } from './embedded';
import { envListSettings, yamlAppEdits } from './k8sEnv';
import type { ManifestContext } from './kubernetesManifest';

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
 * The container's `command` and `args` when the command runs `java` (its first word's base name): the words
 * of one command line, each item one word, located in the item's scalar (exactly where it is written as it
 * is: plain, or quoted without escapes). Undefined when the command is not java, or names no OpenTelemetry
 * property or agent. A `$(VAR)` in a property's value is expanded from the container's `env`; one it cannot
 * expand leaves the value not known here.
 */
function javaCommandLine(container: Container, text: string, app: number, firstSetting: number): { settings: AppSetting[]; owners: Map<AppSetting, AppEdits>; agent: boolean } | undefined {
  const command = container.node.get('command', true);
  const args = container.node.get('args', true);
  if (!isSeq(command) || !command.items.some(isScalar)) return undefined;
  const first = command.items[0];
  if (!isScalar(first) || typeof first.value !== 'string' || !/(^|\/)java$/.test(first.value)) return undefined;
  const items: { seq: YAMLSeq; node: Scalar }[] = [];
  for (const seq of [command, ...(isSeq(args) ? [args] : [])]) for (const node of seq.items) if (isScalar(node) && node.range) items.push({ seq, node });
  const words: (Word & { item: { seq: YAMLSeq; node: Scalar } })[] = items.map((item) => {
    const [start, end] = item.node.range!;
    const written = text.slice(start, end);
    const value = String(item.node.value);
    const quoted = written.startsWith('"') || written.startsWith("'");
    const asIs = quoted ? written.slice(1, -1) === value : written === value;
    return { value, start, end, ...(asIs ? { at: start + (quoted ? 1 : 0) } : {}), item };
  });
  const found = commandLineProperties(words, (property) => itemEdits(text, property, (property.word as (typeof words)[number]).item));
  if (found.settings.length === 0 && !found.agent) return undefined;
  // `$(VAR)`: commandLineProperties leaves a value holding `$` unknown; the kubelet expands it from the env.
  const env = knownEnv(container);
  const properties = javaArguments(words).properties;
  found.settings.forEach((setting, i) => {
    setting.locator = { app, setting: firstSetting + i };
    const raw = properties[i]?.value;
    if (raw === undefined || !raw.includes('$')) return;
    const expansion = expandEnvValue(raw, env);
    if (expansion.unknown.length === 0 && expansion.unresolved.length === 0) setting.value = expansion.value;
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

/** Edits of a `-D` word that is one item of a `command`/`args` sequence. */
function itemEdits(text: string, property: JavaProperty, item: { seq: YAMLSeq; node: Scalar }): AppEdits {
  const word = property.word;
  const replaceItem = (value: string): TextChange => ({ offset: word.start, length: word.end - word.start, text: yamlValue(value, item.node) });
  const option = (name: string, value: string) => `-D${propertyKey(name)}=${value}`;
  const safe = (value: string) => /^[A-Za-z0-9_@%+=:,./-]*$/.test(value);
  return {
    rename: (_s, name) => (word.at !== undefined && safe(propertyKey(name)) ? { offset: word.at + property.keyStart, length: property.key.length, text: propertyKey(name) } : replaceItem(option(name, property.value))),
    setValue: (_s, value) => (word.at !== undefined && safe(value) ? { offset: word.at + property.valueStart, length: word.value.length - property.valueStart, text: value } : replaceItem(option(property.key, value))),
    remove() {
      if (item.seq.flow) throw new Error('a flow sequence item is not removed here');
      const start = lineStartOf(text, word.start);
      return { offset: start, length: nextLineStart(text, word.end) - start, text: '' };
    },
    add(_s, where, name, value) {
      const entry = yamlValue(option(name, value));
      if (item.seq.flow) return where === 'before' ? { offset: word.start, length: 0, text: `${entry}, ` } : { offset: word.end, length: 0, text: `, ${entry}` };
      const lineStart = lineStartOf(text, word.start);
      const line = `${text.slice(lineStart, word.start)}${entry}\n`;
      return where === 'before' ? { offset: lineStart, length: 0, text: line } : { offset: nextLineStart(text, word.end), length: 0, text: line };
    },
  };
}

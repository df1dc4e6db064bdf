/**
 * What a Kubernetes manifest says, as the sources of this round read it and later ones (Services,
 * Secrets, cert-manager) build on: every object with its kind, names, labels and annotations; the pod
 * template of a workload (volumes, containers and init containers, each with its env, envFrom and
 * volume mounts); and where a container's files come from (ContainerContext). Built from the `yaml`
 * library's nodes, so every field keeps its place in the file.
 * Facts: docs/facts/kubernetes.md (§1 pod template paths, §2 env, §3 `$(VAR)`, §4 volumes and mounts).
 */
import { isMap, isScalar, isSeq, type Document, type Scalar, type YAMLMap } from 'yaml';
import type { KeyPath } from '../languageTypes';
import { getEntry, mapEntries, resolve, scalarText, type AnyNode, type MapEntry } from '../yaml/yamlNodes';
import { setOwn, table } from '../lookup';
import type { ClusterResource } from './cluster';
import { containerPortsOf, type ContainerPort, type GeneratedService } from './services';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  /** metadata.name; undefined when absent or not a plain string (a template). */
  name?: string;
  /** metadata.namespace; undefined when absent (the namespace the file is applied to, `default` unless told). */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  doc: Document;
  /** The object's mapping. */
  node: YAMLMap;
  /** 0-based position of its document in the file (items of a `kind: List` share it). */
  document: number;
  /** Keys from the document's root to the object (`[]`, or `['items', 2]` in a List). */
  path: KeyPath;
  /** `Deployment shop/checkout`, for messages. */
  label: string;
  /** The pod template of a workload kind (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob...). */
  pod?: PodTemplate;
  /** The typed view of a Certificate, Issuer, Service, Secret or ConfigMap (set by the manifest source: ../sources/k8sClusterResources.ts). */
  resource?: ClusterResource;
}

export interface PodTemplate {
  /** Keys from the object to the pod spec (`['spec', 'template', 'spec']`). */
  specPath: KeyPath;
  spec: YAMLMap;
  /** The pod template's metadata (a Pod's own metadata). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  volumes: Volume[];
  /** `containers`, then `initContainers`. */
  containers: Container[];
  /** The container ports of the pod (every container's `ports`), for Services' named targetPorts. */
  ports: ContainerPort[];
}

export interface Container {
  name: string;
  init: boolean;
  node: YAMLMap;
  /** Keys from the object to the container (`['spec', 'template', 'spec', 'containers', 0]`). */
  path: KeyPath;
  env: EnvEntry[];
  /** The `env` sequence, when written. */
  envNode?: AnyNode;
  envFrom: EnvFromSource[];
  volumeMounts: VolumeMount[];
}

/** One `env[]` item. */
export interface EnvEntry {
  index: number;
  name: string;
  nameNode: Scalar;
  /** The item's mapping. */
  item: YAMLMap;
  /** The `value` entry, when written. */
  value?: MapEntry;
  /** The `valueFrom` entry, with what it reads (`secretKeyRef otel/ca`). */
  valueFrom?: { entry: MapEntry; description: string };
}

export interface EnvFromSource {
  /** `configMapRef otel-env`, `secretRef creds (prefix OTEL_)`. */
  description: string;
  node: AnyNode;
}

export interface KeyToPath {
  key: string;
  path: string;
}

export type VolumeSource =
  | { kind: 'secret'; name?: string; items?: KeyToPath[] }
  | { kind: 'configMap'; name?: string; items?: KeyToPath[] }
  | { kind: 'projected'; sources: ({ kind: 'secret' | 'configMap'; name?: string; items?: KeyToPath[] } | { kind: 'other'; type: string })[] }
  | { kind: 'other'; type: string };

export interface Volume {
  name: string;
  source: VolumeSource;
  node: AnyNode;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly: boolean;
  /** The pod volume of that name, when there is one. */
  volume?: Volume;
  node: AnyNode;
}

/**
 * Where a unit's process runs, for the files it names: a container of the cluster, whose files are
 * not on this machine unless a path mapping says where they are. `mounts` are the container's
 * volume mounts whose content the cluster supplies.
 */
export interface ContainerContext {
  /** `container app of Deployment shop/checkout`, `the collector of OpenTelemetryCollector simplest`. */
  label: string;
  mounts: ContainerMount[];
  /** The pod's namespace as the manifest states it (undefined: the namespace it is applied to). Secrets are read there. */
  namespace?: string;
  /** The pod's labels and container ports, for the Services that select it (undefined: not known). */
  pod?: { labels: Record<string, string>; ports: ContainerPort[] };
  /**
   * The Services the deploying tool makes for this pod (the operator's `<name>-collector`, the Helm chart's
   * Service), besides the Service manifests of the workspace that select its labels.
   */
  services?: GeneratedService[];
  /**
   * The unit is a ConfigMap's data and no workload of its own file mounts it: the container that does is
   * looked for in the whole workspace when the checks run (model/cluster.ts `containerOf`).
   */
  mountedAs?: { kind: 'configMap'; name: string; namespace?: string };
}

export interface ContainerMount {
  /** The mount path in the container. */
  path: string;
  /** The `subPath` of the volume it mounts (then `path` is a file or folder of the volume). */
  subPath?: string;
  /** What the mount holds: `Secret server-certs`, `ConfigMap ca`, `an emptyDir volume`. */
  source: string;
  /** The volume's source, when the manifest says it (a Secret or ConfigMap volume's keys become files: ../certificates/secretKeys.ts). */
  volume?: VolumeSource;
}

/** The mount that holds `path` in the container (the longest mount path that is a prefix of it). */
export function mountOf(context: ContainerContext, path: string): ContainerMount | undefined {
  let best: ContainerMount | undefined;
  for (const mount of context.mounts) {
    const root = mount.path.replace(/\/+$/, '') || '/';
    const inside = path === root || path.startsWith(root === '/' ? '/' : `${root}/`);
    if (inside && (!best || root.length > best.path.length)) best = mount;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Objects

/** Where each workload kind keeps its pod spec (docs/facts/kubernetes.md §1). */
const POD_SPEC_PATHS: Record<string, KeyPath> = table({
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
});

/** The workload kinds whose pod template is read. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(Object.keys(POD_SPEC_PATHS));

/** The objects of one document: its root when it is an object, the items of a `kind: List`. */
export function kubernetesObjects(doc: Document, document: number): KubernetesObject[] {
  const root = doc.contents;
  const object = kubernetesObject(doc, root, document, []);
  if (!object) return [];
  if (object.kind !== 'List' || !/^v1$/.test(object.apiVersion)) return [object];
  const items = getEntry(object.node, doc, 'items')?.value;
  if (!isSeq(items)) return [object];
  const out: KubernetesObject[] = [];
  items.items.forEach((item, i) => {
    const inner = kubernetesObject(doc, resolve(item, doc), document, ['items', i]);
    if (inner) out.push(inner);
  });
  return out;
}

/** The object whose mapping is `node`, when it has a string `apiVersion` and `kind`. */
export function kubernetesObject(doc: Document, node: AnyNode, document: number, path: KeyPath): KubernetesObject | undefined {
  if (!isMap(node)) return undefined;
  const apiVersion = plainString(getEntry(node, doc, 'apiVersion')?.value);
  const kind = plainString(getEntry(node, doc, 'kind')?.value);
  if (!apiVersion || !kind) return undefined;
  const metadata = getEntry(node, doc, 'metadata')?.value;
  const name = plainString(getEntry(metadata, doc, 'name')?.value);
  const namespace = plainString(getEntry(metadata, doc, 'namespace')?.value);
  const object: KubernetesObject = {
    apiVersion,
    kind,
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
    labels: stringMap(getEntry(metadata, doc, 'labels')?.value, doc),
    annotations: stringMap(getEntry(metadata, doc, 'annotations')?.value, doc),
    doc,
    node: node as YAMLMap,
    document,
    path,
    label: `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`,
  };
  const specPath = POD_SPEC_PATHS[kind];
  if (specPath) {
    const pod = podTemplate(doc, object, specPath);
    if (pod) object.pod = pod;
  }
  return object;
}

function podTemplate(doc: Document, object: KubernetesObject, specPath: KeyPath): PodTemplate | undefined {
  let spec: AnyNode = object.node;
  for (const key of specPath) spec = getEntry(spec, doc, key as string)?.value;
  if (!isMap(spec)) return undefined;
  // The template's metadata sits beside its spec; a Pod's is the object's own.
  let metadata: AnyNode = object.node;
  for (const key of [...specPath.slice(0, -1), 'metadata']) metadata = getEntry(metadata, doc, key as string)?.value;
  const volumes = readVolumes(doc, getEntry(spec, doc, 'volumes')?.value);
  const containers: Container[] = [];
  for (const [field, init] of [['containers', false], ['initContainers', true]] as const) {
    const list = getEntry(spec, doc, field)?.value;
    if (!isSeq(list)) continue;
    list.items.forEach((item, i) => {
      const node = resolve(item, doc);
      if (!isMap(node)) return;
      containers.push(readContainer(doc, node, [...specPath, field, i], init, volumes));
    });
  }
  return {
    specPath,
    spec,
    labels: stringMap(getEntry(metadata, doc, 'labels')?.value, doc),
    annotations: stringMap(getEntry(metadata, doc, 'annotations')?.value, doc),
    volumes,
    containers,
    ports: containerPortsOf(doc, containers.filter((c) => !c.init).map((c) => c.node)),
  };
}

/** A container (or an operator resource's spec, which has the same `env`, `envFrom`, `volumeMounts`). */
export function readContainer(doc: Document, node: YAMLMap, path: KeyPath, init: boolean, volumes: Volume[]): Container {
  const envNode = getEntry(node, doc, 'env')?.value;
  return {
    name: plainString(getEntry(node, doc, 'name')?.value) ?? '(unnamed)',
    init,
    node,
    path,
    env: readEnv(doc, envNode),
    ...(envNode !== undefined ? { envNode } : {}),
    envFrom: readEnvFrom(doc, getEntry(node, doc, 'envFrom')?.value),
    volumeMounts: readVolumeMounts(doc, getEntry(node, doc, 'volumeMounts')?.value, volumes),
  };
}

/** `env[]` items with a string `name` (others are not env variables the kubelet sets). */
export function readEnv(doc: Document, list: AnyNode): EnvEntry[] {
  if (!isSeq(list)) return [];
  const out: EnvEntry[] = [];
  list.items.forEach((raw, index) => {
    const item = resolve(raw, doc);
    const nameEntry = getEntry(item, doc, 'name');
    const name = plainString(nameEntry?.value);
    if (!isMap(item) || !nameEntry || !name || !isScalar(nameEntry.value)) return;
    const value = getEntry(item, doc, 'value');
    const valueFrom = getEntry(item, doc, 'valueFrom');
    out.push({
      index,
      name,
      nameNode: nameEntry.value as Scalar,
      item,
      ...(value ? { value } : {}),
      ...(valueFrom ? { valueFrom: { entry: valueFrom, description: valueFromDescription(doc, valueFrom.value) } } : {}),
    });
  });
  return out;
}

/** `secretKeyRef otel-secrets/ca.crt`, `fieldRef status.hostIP`, `configMapKeyRef otel/endpoint`. */
function valueFromDescription(doc: Document, node: AnyNode): string {
  const source = mapEntries(node, doc)[0];
  if (!source) return 'valueFrom';
  const field = (key: string) => plainString(getEntry(source.value, doc, key)?.value);
  switch (source.key) {
    case 'secretKeyRef':
    case 'configMapKeyRef':
      return `${source.key} ${field('name') ?? '?'}/${field('key') ?? '?'}`;
    case 'fieldRef':
      return `fieldRef ${field('fieldPath') ?? '?'}`;
    case 'resourceFieldRef':
      return `resourceFieldRef ${field('resource') ?? '?'}`;
    default:
      return source.key;
  }
}

function readEnvFrom(doc: Document, list: AnyNode): EnvFromSource[] {
  if (!isSeq(list)) return [];
  return list.items.map((raw) => {
    const node = resolve(raw, doc);
    const prefix = plainString(getEntry(node, doc, 'prefix')?.value);
    const ref = mapEntries(node, doc).find((e) => e.key === 'configMapRef' || e.key === 'secretRef');
    const name = ref ? plainString(getEntry(ref.value, doc, 'name')?.value) : undefined;
    return { description: `${ref ? `${ref.key} ${name ?? '?'}` : 'envFrom'}${prefix ? ` (prefix ${prefix})` : ''}`, node };
  });
}

export function readVolumes(doc: Document, list: AnyNode): Volume[] {
  if (!isSeq(list)) return [];
  const out: Volume[] = [];
  for (const raw of list.items) {
    const node = resolve(raw, doc);
    const name = plainString(getEntry(node, doc, 'name')?.value);
    if (!name) continue;
    out.push({ name, source: volumeSource(doc, node), node });
  }
  return out;
}

function volumeSource(doc: Document, node: AnyNode): VolumeSource {
  const entry = mapEntries(node, doc).find((e) => e.key !== 'name');
  if (!entry) return { kind: 'other', type: 'unknown' };
  const items = (value: AnyNode) => keyToPaths(doc, getEntry(value, doc, 'items')?.value);
  switch (entry.key) {
    case 'secret':
      return { kind: 'secret', ...optional('name', plainString(getEntry(entry.value, doc, 'secretName')?.value)), ...optional('items', items(entry.value)) };
    case 'configMap':
      return { kind: 'configMap', ...optional('name', plainString(getEntry(entry.value, doc, 'name')?.value)), ...optional('items', items(entry.value)) };
    case 'projected': {
      const sources = getEntry(entry.value, doc, 'sources')?.value;
      return {
        kind: 'projected',
        sources: isSeq(sources)
          ? sources.items.map((raw) => {
              const source = mapEntries(resolve(raw, doc), doc)[0];
              if (source?.key === 'secret' || source?.key === 'configMap') {
                return { kind: source.key, ...optional('name', plainString(getEntry(source.value, doc, 'name')?.value)), ...optional('items', items(source.value)) };
              }
              return { kind: 'other' as const, type: source?.key ?? 'unknown' };
            })
          : [],
      };
    }
    default:
      return { kind: 'other', type: entry.key };
  }
}

function keyToPaths(doc: Document, list: AnyNode): KeyToPath[] | undefined {
  if (!isSeq(list)) return undefined;
  const out: KeyToPath[] = [];
  for (const raw of list.items) {
    const node = resolve(raw, doc);
    const key = plainString(getEntry(node, doc, 'key')?.value);
    const path = plainString(getEntry(node, doc, 'path')?.value);
    if (key && path) out.push({ key, path });
  }
  return out;
}

export function readVolumeMounts(doc: Document, list: AnyNode, volumes: Volume[]): VolumeMount[] {
  if (!isSeq(list)) return [];
  const out: VolumeMount[] = [];
  for (const raw of list.items) {
    const node = resolve(raw, doc);
    const name = plainString(getEntry(node, doc, 'name')?.value);
    const mountPath = plainString(getEntry(node, doc, 'mountPath')?.value);
    if (!name || !mountPath) continue;
    const subPath = plainString(getEntry(node, doc, 'subPath')?.value);
    const readOnly = getEntry(node, doc, 'readOnly')?.value;
    const volume = volumes.find((v) => v.name === name);
    out.push({ name, mountPath, ...(subPath ? { subPath } : {}), readOnly: isScalar(readOnly) && readOnly.value === true, ...(volume ? { volume } : {}), node });
  }
  return out;
}

/** The mounts of a container whose content the cluster supplies, for its ContainerContext. */
export function containerMounts(mounts: VolumeMount[]): ContainerMount[] {
  return mounts.map((mount) => ({ path: mount.mountPath, ...(mount.subPath ? { subPath: mount.subPath } : {}), source: describeVolume(mount), ...(mount.volume ? { volume: mount.volume.source } : {}) }));
}

/**
 * The first container of a workload in `objects` that mounts ConfigMap `name` of `namespace` (a namespace
 * not stated is `default`, on both sides), with its mounts, its pod's namespace, labels and ports.
 */
export function containerMounting(objects: Iterable<KubernetesObject>, name: string, namespace: string | undefined): ContainerContext | undefined {
  const found = mountingOf(objects, name, namespace);
  return found && mountingContext(found.object, found.container);
}

/** What a mounting container's context reads of its workload (not the object: the cluster index's copies hold the file's text). */
type Workload = { label: string; namespace?: string; pod: PodTemplate };
type Mounting = { object: Workload; container: PodTemplate['containers'][number] };

function workloadOf(object: KubernetesObject): Workload {
  return { label: object.label, ...(object.namespace !== undefined ? { namespace: object.namespace } : {}), pod: object.pod! };
}

/** The first workload of `objects` and its first container that mount ConfigMap `name` of `namespace`. */
function mountingOf(objects: Iterable<KubernetesObject>, name: string, namespace: string | undefined): Mounting | undefined {
  for (const object of objects) {
    if (!object.pod || (object.namespace ?? 'default') !== (namespace ?? 'default')) continue;
    for (const container of object.pod.containers) {
      if (configMapsMounted(container).includes(name)) return { object: workloadOf(object), container };
    }
  }
  return undefined;
}

/** The names of the ConfigMaps a container mounts (a volume of its own, or a source of a projected one), in mount order. */
function configMapsMounted(container: PodTemplate['containers'][number]): string[] {
  const names: string[] = [];
  for (const m of container.volumeMounts) {
    const source = m.volume?.source;
    if (source?.kind === 'configMap') {
      if (source.name !== undefined) names.push(source.name);
    } else if (source?.kind === 'projected') {
      for (const s of source.sources) if (s.kind === 'configMap' && s.name !== undefined) names.push(s.name);
    }
  }
  return names;
}

function mountingContext(object: Mounting['object'], container: Mounting['container']): ContainerContext {
  return {
    label: `${container.init ? 'init container' : 'container'} ${container.name} of ${object.label}`,
    mounts: containerMounts(container.volumeMounts),
    ...(object.namespace ? { namespace: object.namespace } : {}),
    pod: { labels: object.pod.labels, ports: object.pod.ports },
  };
}

/**
 * `containerMounting` over the same objects for many ConfigMaps (every ConfigMap of a manifest, every
 * unmounted one of the workspace): one pass over the objects' containers, made at the first question.
 * Each answer is a new object, as `containerMounting`'s; `json` gives its JSON, made once per container.
 */
export interface MountingLookup {
  container(name: string, namespace: string | undefined): ContainerContext | undefined;
  json(name: string, namespace: string | undefined): string;
  /** The same object for lookups that answer every question alike (the same workloads, as firstMountings keeps them). */
  token(): object;
}

const mountingJsons = new WeakMap<object, string>();

/**
 * The first mounting container of each ConfigMap (by namespace and name) among the workloads of `objects`, the same
 * map for the same workload objects in the same order (kept with the first of them: the objects of a manifest's
 * unchanged documents are reused, so an edit of a ConfigMap keeps it).
 */
const mountingsByFirst = new WeakMap<PodTemplate, { pods: Workload[]; first: Map<string, Mounting> }[]>();

/** The same workload as far as a mounting container's context reads it (the cluster index's objects are copies made per index). */
function sameWorkload(a: Workload, b: KubernetesObject): boolean {
  return a.pod === b.pod && a.namespace === b.namespace && a.label === b.label;
}

function firstMountings(objects: Iterable<KubernetesObject>): Map<string, Mounting> {
  const pods: KubernetesObject[] = [];
  for (const object of objects) if (object.pod) pods.push(object);
  const known = pods.length ? mountingsByFirst.get(pods[0].pod!) : undefined;
  const same = known?.find((entry) => entry.pods.length === pods.length && entry.pods.every((pod, i) => sameWorkload(pod, pods[i])));
  if (same) return same.first;
  const first = new Map<string, Mounting>();
  const workloads = pods.map(workloadOf);
  for (const workload of workloads) {
    const ns = workload.namespace ?? 'default';
    for (const container of workload.pod.containers) {
      for (const mounted of configMapsMounted(container)) {
        const key = `${ns}\u0000${mounted}`;
        if (!first.has(key)) first.set(key, { object: workload, container });
      }
    }
  }
  if (pods.length) mountingsByFirst.set(pods[0].pod!, [{ pods: workloads, first }, ...(known ?? []).slice(0, 1)]);
  return first;
}

export function mountingLookup(objects: Iterable<KubernetesObject>): MountingLookup {
  let first: Map<string, Mounting> | undefined;
  const find = (name: string, namespace: string | undefined): Mounting | undefined => {
    first ??= firstMountings(objects);
    return first.get(`${namespace ?? 'default'}\u0000${name}`);
  };
  return {
    token: () => (first ??= firstMountings(objects)),
    container(name, namespace) {
      const found = find(name, namespace);
      return found && mountingContext(found.object, found.container);
    },
    json(name, namespace) {
      const found = find(name, namespace);
      if (!found) return 'null';
      // A container object belongs to one object of one document, both kept unchanged while the document is reused.
      let json = mountingJsons.get(found.container);
      if (json === undefined) {
        json = JSON.stringify(mountingContext(found.object, found.container));
        mountingJsons.set(found.container, json);
      }
      return json;
    },
  };
}

function describeVolume(mount: VolumeMount): string {
  const source = mount.volume?.source;
  if (!source) return `volume ${mount.name}`;
  switch (source.kind) {
    case 'secret':
      return `Secret ${source.name ?? '?'}`;
    case 'configMap':
      return `ConfigMap ${source.name ?? '?'}`;
    case 'projected': {
      const parts = source.sources.map((s) => (s.kind === 'other' ? s.type : `${s.kind === 'secret' ? 'Secret' : 'ConfigMap'} ${s.name ?? '?'}`));
      return `a projected volume (${parts.join(', ') || 'no sources'})`;
    }
    default:
      return `a ${source.type} volume`;
  }
}

// ---------------------------------------------------------------------------------------------
// `$(VAR)` in env values (docs/facts/kubernetes.md §3)

export interface Expansion {
  /** The value the container sees; undefined when a reference's value is not known here. */
  value: string | undefined;
  /** References to variables defined before, whose values are not known here (valueFrom, or depending on one). */
  unknown: string[];
  /** References the kubelet leaves as written: no variable of that name is defined before the entry. */
  unresolved: string[];
}

/**
 * The kubelet's expansion of an env value (third_party/forked/golang/expansion/expand.go): `$(NAME)`
 * is replaced by the value of NAME when it is defined before (`defined`: known value, or undefined
 * when only the cluster knows it); `$$` is `$`; an unterminated `$(`, a `$` before anything else and a
 * reference to a name not defined before are kept as written. No recursion.
 */
export function expandEnvValue(input: string, defined: ReadonlyMap<string, string | undefined>): Expansion {
  if (!input.includes('$')) return { value: input, unknown: [], unresolved: [] };
  let out = '';
  const unknown: string[] = [];
  const unresolved: string[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, close);
      if (defined.has(name)) {
        const value = defined.get(name);
        if (value === undefined) unknown.push(name);
        else out += value;
      } else {
        unresolved.push(name);
        out += `$(${name})`;
      }
      i = close + 1;
      continue;
    }
    out += c + next;
    i += 2;
  }
  return { value: unknown.length > 0 || unresolved.length > 0 ? undefined : out, unknown, unresolved };
}

// ---------------------------------------------------------------------------------------------

/** The string of a plain (non-template) scalar: numbers and booleans as written; undefined otherwise. */
export function plainString(node: AnyNode): string | undefined {
  const text = scalarText(node);
  return text === undefined || text.includes('{{') ? undefined : text;
}

function stringMap(node: AnyNode, doc: Document): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of mapEntries(node, doc)) {
    const text = scalarText(entry.value);
    if (text !== undefined) setOwn(out, entry.key, text);
  }
  return out;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * What the workspace's manifests say about the cluster, for cross-file resolution: cert-manager
 * Certificates and Issuers, Secrets and ConfigMaps with their data, by namespace and name. Built from
 * the objects the manifest source keeps (every kind), in every file of the workspace.
 *
 * Namespaces: an object whose manifest states no namespace is applied to "the namespace of the
 * context" (docs/facts/kubernetes.md §1), which is not known here. Such an object matches any
 * namespace; an object with the same stated namespace is preferred, and one in another stated
 * namespace never matches. ClusterIssuers have no namespace; the Secret of a ClusterIssuer is read from
 * the cluster resource namespace (cert-manager's own, usually `cert-manager`; docs/facts/cert-manager.md §6),
 * which is not known here either: a Secret of that name in `cert-manager` is preferred, else any.
 */
import { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import { getEntry, mapEntries, scalarText, type AnyNode } from '../yaml/yamlNodes';
import { certManagerObject, type CertificateSpec, type IssuerSpec } from './certManager';
import { mountingLookup, type ContainerContext, type KubernetesObject, type MountingLookup, type PodTemplate } from './kubernetes';
import { serviceSpec, type ServiceSpec } from './services';
import { textDelta, type TextDelta } from '../text/textDelta';

/**
 * The typed view of an object that the cluster index and the manifest checks read, made once when the
 * manifest source reads the object (sources/kubernetesManifest.ts) and kept with it while its document is
 * reused: a cert-manager Certificate or Issuer with cert-manager's defaults, a Service, a Secret's or
 * ConfigMap's keys.
 */
export type ClusterResource =
  | { kind: 'certificate'; spec: CertificateSpec }
  | { kind: 'issuer'; spec: IssuerSpec }
  | { kind: 'service'; spec: ServiceSpec }
  | { kind: 'data'; data: Map<string, Uint8Array>; nodes: Map<string, AnyNode>; unknownKeys: Set<string> };

/** The typed view of an object of one of the kinds the cluster index reads; undefined for the other kinds. */
export function clusterResource(object: Pick<ManifestObject, 'apiVersion' | 'kind' | 'doc' | 'node'>): ClusterResource | undefined {
  const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
  if (group === 'cert-manager.io') {
    const cm = certManagerObject(object.doc, object.node);
    return cm?.kind === 'Certificate' ? { kind: 'certificate', spec: cm } : cm ? { kind: 'issuer', spec: cm } : undefined;
  }
  if (group !== '') return undefined;
  if (object.kind === 'Service') {
    const spec = serviceSpec(object.doc, object.node);
    return spec ? { kind: 'service', spec } : undefined;
  }
  if (object.kind === 'Secret' || object.kind === 'ConfigMap') return { kind: 'data', ...readData(object, object.kind === 'Secret') };
  return undefined;
}

/** An object of a manifest file: what the cluster index needs of it. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  doc: Document;
  node: YAMLMap;
  /** Absolute path of the file. */
  path: string;
  /** The file's text (offsets of `node` are into it, through `offsets` when the object is embedded). */
  text: string;
  /** A workload's pod template (the containers that mount ConfigMaps and Secrets, the labels Services select). */
  pod?: PodTemplate;
  /** `Deployment shop/checkout`. */
  label?: string;
  /** The typed view the manifest source made (clusterResource), when it did. */
  resource?: ClusterResource;
}

export interface DataObject {
  object: ManifestObject;
  /** Each key's bytes (`data` base64-decoded, `stringData` as UTF-8); a key whose value is not a plain string is absent. */
  data: Map<string, Uint8Array>;
  /** The node of each key's value, for links and hover. */
  nodes: Map<string, AnyNode>;
  /** Keys whose value is not known here (a template, not a string): the object may hold them. */
  unknownKeys: Set<string>;
}

export interface Placed<T> {
  value: T;
  path: string;
  text: string;
}

export interface ClusterIndex {
  certificates(): readonly Placed<CertificateSpec>[];
  issuers(): readonly Placed<IssuerSpec>[];
  /** The Certificate whose secretName is `name`, in `namespace` (or in the cluster resource namespace). */
  certificateFor(namespace: string | undefined, name: string, clusterScoped?: boolean): Placed<CertificateSpec> | undefined;
  /** The Issuer `name` in `namespace`, or the ClusterIssuer `name`. */
  issuer(ref: { name: string; kind: string }, namespace: string | undefined): Placed<IssuerSpec> | undefined;
  secret(namespace: string | undefined, name: string, clusterScoped?: boolean): DataObject | undefined;
  configMap(namespace: string | undefined, name: string): DataObject | undefined;
  /** The Service manifests of the workspace. */
  services(): readonly Placed<ServiceSpec>[];
  /** The workloads of the workspace (objects with a pod template), in file order. */
  workloads(): readonly (ManifestObject & { pod: PodTemplate })[];
  /**
   * Where a unit runs, completed from the whole workspace: a ConfigMap's collector config whose own file
   * holds no workload that mounts it gets the container of a workload of another file that does.
   */
  containerOf(container: ContainerContext | undefined): ContainerContext | undefined;
  /**
   * A token per kind of object, the same object as an earlier index's when every answer about that kind would
   * print the same (createClusterIndex's `previous`): the same typed views in the same files, starting on the same
   * lines. What a check asked about it stands without being asked again (checkCache.ts recordingCluster).
   */
  readonly answers?: Readonly<Record<ClusterKind, object>>;
  /**
   * A token per name of a Secret or ConfigMap, kept like a kind's (`answers`) while the objects of that kind with that name
   * print the same: what `secret(…, name)` and `configMap(…, name)` answer depends on those alone. One token stands for
   * every name no object has. So an edit inside one ConfigMap's collector config leaves the questions about the others
   * standing.
   */
  named?(kind: NamedKind, name: string): object;
}

/** The kinds whose questions name the object (`secret`, `configMap`), with a token per name (ClusterIndex.named). */
export type NamedKind = 'secrets' | 'configMaps';
const NAMED_KINDS: readonly NamedKind[] = ['secrets', 'configMaps'];

/** The kinds of object the cluster index answers about, each with its own answers token. */
export type ClusterKind = 'certificates' | 'issuers' | 'secrets' | 'configMaps' | 'services' | 'workloads';
const KINDS: readonly ClusterKind[] = ['certificates', 'issuers', 'secrets', 'configMaps', 'services', 'workloads'];

/** What a question's print reads of one object: the typed view it prints by identity, its names, and where its object starts. */
interface Printed {
  value: object;
  name: string | undefined;
  namespace: string | undefined;
  label: string | undefined;
  path: string;
  text: string;
  /** File offset of the object's node when the index was built (the nodes of a moved document are moved in place). */
  start: number;
}

/** What a cluster index leaves for the next one: its tokens and, per kind, what its prints read. */
interface ClusterState {
  answers: Record<ClusterKind, object>;
  printed: Record<ClusterKind, Printed[]>;
  /** Per named kind: the prints of each name's objects with its token, and the token of the names no object has. */
  named: Record<NamedKind, { byName: Map<string, { printed: Printed[]; token: object }>; absent: object }>;
}

const clusterStates = new WeakMap<ClusterIndex, ClusterState>();

/** Whether `containerOf` completes `container` from the workspace's workloads (else it is the answer itself, whatever the index). */
export function completedFromWorkspace(container: ContainerContext | undefined): container is ContainerContext & { mountedAs: NonNullable<ContainerContext['mountedAs']> } {
  return container?.mountedAs !== undefined && container.mounts.length === 0;
}

/** The namespace cert-manager is usually installed in: a ClusterIssuer's Secrets are read there. */
export const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

/**
 * The cluster index of `objects`. With `previous` (an index of the workspace before an edit) and `delta` (what changed
 * between two versions of a file's text), each kind of object whose answers would all print the same keeps the
 * previous index's token (`answers`): an edit inside a ConfigMap's collector config changes no Service, Secret,
 * Certificate, Issuer or workload. Nothing of `previous` but its tokens and prints' inputs is kept.
 */
export function createClusterIndex(objects: Iterable<ManifestObject>, options: { previous?: ClusterIndex; delta?: (old: string, next: string) => TextDelta | undefined } = {}): ClusterIndex {
  const certificates: Placed<CertificateSpec>[] = [];
  const issuers: Placed<IssuerSpec>[] = [];
  const secrets: DataObject[] = [];
  const configMaps: DataObject[] = [];
  const services: Placed<ServiceSpec>[] = [];
  const workloads: (ManifestObject & { pod: PodTemplate })[] = [];
  const printed: Record<ClusterKind, Printed[]> = { certificates: [], issuers: [], secrets: [], configMaps: [], services: [], workloads: [] };
  const note = (kind: ClusterKind, value: object, object: ManifestObject) =>
    printed[kind].push({ value, name: object.name, namespace: object.namespace, label: object.label, path: object.path, text: object.text, start: object.node.range?.[0] ?? -1 });
  for (const object of objects) {
    if (object.pod) {
      workloads.push(object as ManifestObject & { pod: PodTemplate });
      note('workloads', object.pod, object);
    }
    const resource = object.resource ?? clusterResource(object);
    if (!resource) continue;
    const place = { path: object.path, text: object.text };
    if (resource.kind === 'certificate') {
      certificates.push({ value: resource.spec, ...place });
      note('certificates', resource.spec, object);
    } else if (resource.kind === 'issuer') {
      issuers.push({ value: resource.spec, ...place });
      note('issuers', resource.spec, object);
    } else if (resource.kind === 'service') {
      services.push({ value: resource.spec, ...place });
      note('services', resource.spec, object);
    } else {
      (object.kind === 'Secret' ? secrets : configMaps).push({ object, data: resource.data, nodes: resource.nodes, unknownKeys: resource.unknownKeys });
      note(object.kind === 'Secret' ? 'secrets' : 'configMaps', resource.data, object);
    }
  }
  const before = options.previous && clusterStates.get(options.previous);
  const delta = pairDelta(options.delta ?? textDelta);
  const answers = {} as Record<ClusterKind, object>;
  for (const kind of KINDS) answers[kind] = before && samePrints(before.printed[kind], printed[kind], delta) ? before.answers[kind] : {};
  const named = {} as ClusterState['named'];
  for (const kind of NAMED_KINDS) {
    const byName = new Map<string, { printed: Printed[]; token: object }>();
    for (const entry of printed[kind]) {
      if (entry.name === undefined) continue;
      const known = byName.get(entry.name);
      if (known) known.printed.push(entry);
      else byName.set(entry.name, { printed: [entry], token: {} });
    }
    const last = before?.named[kind];
    if (last) {
      for (const [name, now] of byName) {
        const then = last.byName.get(name);
        if (then && samePrints(then.printed, now.printed, delta)) now.token = then.token;
      }
    }
    named[kind] = { byName, absent: last?.absent ?? {} };
  }
  const completed = new WeakMap<ContainerContext, ContainerContext>();
  // One pass over the workloads' mounts for every unmounted ConfigMap's container asked of this index.
  let mounting: MountingLookup | undefined;
  const index: ClusterIndex = {
    answers,
    services: () => services,
    workloads: () => workloads,
    containerOf(container) {
      if (!completedFromWorkspace(container)) return container;
      const known = completed.get(container);
      if (known) return known;
      const { name, namespace } = container.mountedAs;
      const found = (mounting ??= mountingLookup(workloads as unknown as KubernetesObject[])).container(name, namespace);
      const result = found ? { ...found, ...(container.services ? { services: container.services } : {}) } : container;
      completed.set(container, result);
      return result;
    },
    certificates: () => certificates,
    issuers: () => issuers,
    certificateFor: (namespace, name, clusterScoped) => pick(certificates.filter((c) => c.value.secretName?.value === name), (c) => c.value.namespace, clusterScoped ? CLUSTER_RESOURCE_NAMESPACE : namespace, clusterScoped),
    issuer(ref, namespace) {
      if (ref.kind === 'ClusterIssuer') return issuers.find((i) => i.value.kind === 'ClusterIssuer' && i.value.name === ref.name);
      return pick(issuers.filter((i) => i.value.kind === 'Issuer' && i.value.name === ref.name), (i) => i.value.namespace, namespace);
    },
    secret: (namespace, name, clusterScoped) => pick(secrets.filter((s) => s.object.name === name), (s) => s.object.namespace, clusterScoped ? CLUSTER_RESOURCE_NAMESPACE : namespace, clusterScoped),
    configMap: (namespace, name) => pick(configMaps.filter((s) => s.object.name === name), (s) => s.object.namespace, namespace),
    named: (kind, name) => named[kind].byName.get(name)?.token ?? named[kind].absent,
  };
  clusterStates.set(index, { answers, printed, named });
  return index;
}

/**
 * Whether every answer about a kind prints the same from `next` as from `old` (checkCache.ts prints a typed view by
 * identity, with its file and the line its object starts on; the names pick among them; the label and namespace are
 * in a mounting container's context).
 */
function samePrints(old: readonly Printed[], next: readonly Printed[], delta: (old: string, next: string) => TextDelta | undefined): boolean {
  if (old.length !== next.length) return false;
  for (let i = 0; i < old.length; i++) {
    const a = old[i];
    const b = next[i];
    if (a.value !== b.value || a.path !== b.path || a.name !== b.name || a.namespace !== b.namespace || a.label !== b.label) return false;
    if (!sameLine(a.text, a.start, b.text, b.start, delta)) return false;
  }
  return true;
}

/** `deltaOf` with the last pair of texts asked and its delta kept: mostly every object is in one or two files. */
function pairDelta(deltaOf: (old: string, next: string) => TextDelta | undefined): (old: string, next: string) => TextDelta | undefined {
  let pair: { old: string; text: string; delta: TextDelta | undefined } | undefined;
  return (a, b) => {
    if (pair?.old !== a || pair.text !== b) pair = { old: a, text: b, delta: deltaOf(a, b) };
    return pair.delta;
  };
}

/** Whether offset `at` of `old` and offset `next` of `text` are on the same line (LSP's: `\n`, `\r\n`, a lone `\r`). */
function sameLine(old: string, at: number, text: string, next: number, delta: (old: string, next: string) => TextDelta | undefined): boolean {
  if (at < 0 || next < 0) return at === next;
  // Not `old === text` first: two versions of one length compare whole up to their first difference, for every
  // object of the file (0.2 ms an edit in the bench's manifest); the pair's delta, kept by identity, tells.
  const d = delta(old, text);
  if (!d) return at === next;
  // Before the change: the same text before it.
  if (at <= d.start) return next === at;
  if (at < d.oldEnd || next !== at + (d.newEnd - d.oldEnd)) return false;
  // After it: as many line breaks in the text that replaced the changed span (no carriage return near it, which could pair differently).
  // Once per delta (a delta is of one pair of texts, or of equal ones): every object below an edit asks it.
  let same = sameBreaks.get(d);
  if (same === undefined) {
    const from = Math.max(0, d.start - 1);
    const oldSpan = old.slice(from, d.oldEnd + 1);
    const newSpan = text.slice(from, d.newEnd + 1);
    same = !oldSpan.includes('\r') && !newSpan.includes('\r') && count(oldSpan, '\n') === count(newSpan, '\n');
    sameBreaks.set(d, same);
  }
  return same;
}

const sameBreaks = new WeakMap<TextDelta, boolean>();

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** The candidate in `namespace`, else one that states no namespace (or any, when `anyNamespace`). */
function pick<T>(candidates: T[], namespaceOf: (c: T) => string | undefined, namespace: string | undefined, anyNamespace = false): T | undefined {
  if (candidates.length === 0) return undefined;
  const exact = candidates.find((c) => namespaceOf(c) !== undefined && namespaceOf(c) === namespace);
  if (exact) return exact;
  const open = candidates.find((c) => namespaceOf(c) === undefined || namespace === undefined);
  if (open) return open;
  return anyNamespace ? candidates[0] : undefined;
}

function readData(object: Pick<ManifestObject, 'doc' | 'node'>, secret: boolean): { data: Map<string, Uint8Array>; nodes: Map<string, AnyNode>; unknownKeys: Set<string> } {
  const data = new Map<string, Uint8Array>();
  const nodes = new Map<string, AnyNode>();
  const unknownKeys = new Set<string>();
  const read = (field: string, base64: boolean) => {
    const map = getEntry(object.node, object.doc, field)?.value;
    if (!isMap(map)) {
      // `data: {{ … }}`, an alias to nothing...: the keys are not known here.
      if (map !== undefined && map !== null && !(isScalar(map) && map.value === null)) unknownKeys.add('*');
      return;
    }
    for (const entry of mapEntries(map, object.doc)) {
      const text = isScalar(entry.value) ? scalarText(entry.value) : undefined;
      if (text === undefined || text.includes('{{')) {
        unknownKeys.add(entry.key);
        continue;
      }
      const bytes = base64 ? decodeBase64(text) : new Uint8Array(Buffer.from(text, 'utf8'));
      if (!bytes) {
        unknownKeys.add(entry.key);
        continue;
      }
      data.set(entry.key, bytes);
      nodes.set(entry.key, entry.value);
    }
  };
  // A Secret's `data` is base64, `stringData` plain text written over it; a ConfigMap's `data` is text, `binaryData` base64.
  if (secret) {
    read('data', true);
    read('stringData', false);
  } else {
    read('data', false);
    read('binaryData', true);
  }
  return { data, nodes, unknownKeys };
}

function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

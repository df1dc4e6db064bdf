/**
 * What the core knows of the files of the workspace, for cross-file checks: every unit of every
 * file, and the receiver listeners by the port they bind. The adapters (CLI, LSP server) build it
 * from the files they parsed; the core only reads it.
 */
import type { PathMapping } from '../settings';
import { createClusterIndex, type ClusterIndex, type ManifestObject } from './cluster';
import { bindPort } from './endpoint';
import type { Listener } from './collector';
import type { KubernetesObject } from './kubernetes';
import { resolveInjection } from './operatorInjection';
import type { AppUnit, CollectorUnit, ParsedFile, UnitScope } from './units';
import { textDelta, type TextDelta } from '../text/textDelta';
import { spanToFile } from '../sources/embedded';

/** A unit with the file it sits in. */
export interface WorkspaceUnit<U> {
  /** Absolute path of the file. */
  path: string;
  /** The file's text (the unit's offsets map into it through unit.offsets). */
  text: string;
  unit: U;
  /**
   * Container paths of the compose service that bind-mounts this collector config, so its certificate
   * paths resolve as in that container (see mountsOf).
   */
  mounts?: PathMapping[];
}

export type WorkspaceCollector = WorkspaceUnit<CollectorUnit>;
export type WorkspaceApp = WorkspaceUnit<AppUnit>;
/** A Kubernetes object of a manifest of the workspace (every kind: Services, Secrets... for cross-file checks). */
export type WorkspaceObject = WorkspaceUnit<KubernetesObject>;

/** A receiver listener (OTLP gRPC or HTTP) of a collector unit of the workspace. */
export interface PairedListener {
  collector: WorkspaceCollector;
  listener: Listener;
  /** How the client's host and port reach it, when through a Service (certificates/pairing.ts): `Service observability/otel-collector (port 4317 → 4317)`. */
  via?: string;
}

export interface WorkspaceIndex {
  collectors(): readonly WorkspaceCollector[];
  apps(): readonly WorkspaceApp[];
  /** Every Kubernetes object of the workspace's manifests, in file order. */
  kubernetesObjects(): readonly WorkspaceObject[];
  /** The OTLP receiver listeners (gRPC and HTTP, not other servers) that bind `port`, in file order. */
  listenersOn(port: number): readonly PairedListener[];
  /** Whether a collector unit other than `except` (a file's path and a unit's index) has an OTLP receiver listener at all. */
  hasListeners(except?: { path: string; index: number }): boolean;
  /**
   * The mounts of the app (a compose service) that mounts the file at `path` from the project: its
   * container paths resolve through them. A collector config is associated with the compose service
   * whose bind mount's source is that file or a folder holding it (the first such service in file order).
   */
  mountsOf(path: string): PathMapping[] | undefined;
  /** The app units of other files that read the file at `path` as one of their parts (AppUnit.parts). */
  appsReading(path: string): readonly WorkspaceApp[];
  /** What the manifests say the cluster holds (Certificates, Issuers, Secrets, ConfigMaps, Services, workloads), built at the first call. */
  cluster(): ClusterIndex;
  /**
   * Shared by indexes that answer every question alike (an edit of a collector config that changed none of its
   * listeners, their lines, apps, objects or mounts: createWorkspaceIndex's `previous`): what a check asked of
   * one stands for the others (checkCache.ts), so kept results are not asked again. Undefined: the index itself.
   */
  readonly answers?: object;
}

export const emptyWorkspace: WorkspaceIndex = {
  collectors: () => [],
  apps: () => [],
  kubernetesObjects: () => [],
  listenersOn: () => [],
  hasListeners: () => false,
  mountsOf: () => undefined,
  appsReading: () => [],
  cluster: () => createClusterIndex([]),
};

/** What an index keeps for the next one (createWorkspaceIndex's `previous`). */
interface IndexState {
  getEnv: (name: string, path: string) => string | undefined;
  files: readonly ParsedFile[];
  /** Each file's collectors, aligned with `files`. */
  collectorsOf: readonly (readonly WorkspaceCollector[])[];
  apps: WorkspaceApp[];
  objects: WorkspaceObject[];
  answers: object;
  /** Built on first use, and taken over by an index that answers alike. */
  lazy: Lazy;
}

interface Lazy {
  readers?: Map<string, WorkspaceApp[]>;
  byPort?: Map<number, PortEntry[]>;
  listening?: Set<string>;
  cluster?: ClusterIndex;
  /** Containers the operator instruments, as it leaves them (./operatorInjection.ts). */
  effective?: WorkspaceApp[];
}

/** A listener on a port: where its collector is (file and unit, in collectorsOf), so an index that answers alike takes the entry as it is. */
interface PortEntry {
  file: number;
  unit: number;
  listener: Listener;
  settle: () => void;
}

const states = new WeakMap<WorkspaceIndex, IndexState>();

/**
 * An index over files the adapter has already parsed (CLI: every file; server: the workspace scan and
 * the open documents). `getEnv` resolves `${env:…}` in listener endpoints, for the port index; it is
 * told the file the endpoint is in (each file may have its own `.otlp-tls.yaml` environment).
 *
 * `previous`, an index of the same files before an edit (built with the same `getEnv`; `delta` finds what an
 * edit changed, textDelta when absent): the files whose
 * parse is the same object keep their entries, and when every changed file is a collector config that
 * (or a manifest) changed none of what the index answers (`sameAnswers`), the new index shares the previous one's answers
 * (`answers`) and what it built of them (the port → listener index, the cluster index...); the pairs it
 * gives hold the new units and texts.
 */
export function createWorkspaceIndex(
  files: Iterable<ParsedFile>,
  getEnv: (name: string, path: string) => string | undefined,
  options: { previous?: WorkspaceIndex; delta?: (old: string, next: string) => TextDelta | undefined } = {},
): WorkspaceIndex {
  const list = [...files];
  const prior = options.previous && states.get(options.previous);
  const before = prior?.getEnv === getEnv ? prior : undefined;
  const alike = before ? sameAnswers(before.files, list, options.delta ?? textDelta) : false;
  if (!before || !alike) {
    const { apps, objects } = entriesOf(list);
    const mountsOf = mountsIn(apps);
    const collectorsOf = list.map((file) => collectorsIn(file, mountsOf));
    // A token of its own (not the index: the next ones would keep this one's texts alive through it).
    return indexOf({ getEnv, files: list, collectorsOf, apps, objects, answers: {}, lazy: {} }, mountsOf, { previous: prior?.lazy.cluster, delta: options.delta });
  }
  if (alike === 'manifest') {
    // A manifest changed, answering alike: its apps and objects are new objects over its new text, so the lists are made
    // of the new files, and what was built of them (the readers, the operator's containers, the cluster index: its
    // tokens per kind of object are taken from the last one where they print the same) is built anew. The port index
    // and the units with listeners name collectors by their place, which answer alike: taken over.
    const { apps, objects } = entriesOf(list);
    const mountsOf = mountsIn(apps);
    const collectorsOf = list.map((file, i) => (before.files[i] === file ? before.collectorsOf[i] : collectorsIn(file, mountsOf)));
    const lazy: Lazy = { byPort: before.lazy.byPort, listening: before.lazy.listening };
    return indexOf({ getEnv, files: list, collectorsOf, apps, objects, answers: before.answers, lazy }, mountsOf, { previous: before.lazy.cluster, delta: options.delta });
  }
  // The same answers: the same apps (so the same mounts) and objects; an unchanged file keeps its entries. Everything
  // built of the answers is taken over as it is (the port index names collectors by their place).
  const mountsOf = mountsIn(before.apps);
  const collectorsOf: (readonly WorkspaceCollector[])[] = [];
  for (let i = 0; i < list.length; i++) collectorsOf.push(before.files[i] === list[i] ? before.collectorsOf[i] : collectorsIn(list[i], mountsOf));
  return indexOf({ getEnv, files: list, collectorsOf, apps: before.apps, objects: before.objects, answers: before.answers, lazy: { ...before.lazy } }, mountsOf);
}

/** The apps and Kubernetes objects of the files, in their order, each with its file's path and text. */
function entriesOf(list: readonly ParsedFile[]): { apps: WorkspaceApp[]; objects: WorkspaceObject[] } {
  const apps: WorkspaceApp[] = [];
  const objects: WorkspaceObject[] = [];
  for (const file of list) {
    for (const unit of file.apps) apps.push({ path: file.path, text: file.text, unit });
    for (const unit of file.kubernetes ?? []) objects.push({ path: file.path, text: file.text, unit });
  }
  return { apps, objects };
}

/** The collectors of `file`, with the mounts its compose service gives it. */
function collectorsIn(file: ParsedFile, mountsOf: (path: string) => PathMapping[] | undefined): readonly WorkspaceCollector[] {
  const mounts = file.collectors.length ? mountsOf(file.path) : undefined;
  return file.collectors.map((unit) => ({ path: file.path, text: file.text, unit, ...(mounts ? { mounts } : {}) }));
}

/** WorkspaceIndex.mountsOf over `apps`. */
function mountsIn(apps: readonly WorkspaceApp[]): (path: string) => PathMapping[] | undefined {
  return (path) => {
    for (const app of apps) {
      const mounts = app.unit.mounts;
      if (mounts?.some((m) => m.to === path || path.startsWith(m.to.endsWith('/') ? m.to : `${m.to}/`))) return mounts;
    }
    return undefined;
  };
}

/** The index over `state` (its closures see only it: an index never keeps the one it was made from alive). */
function indexOf(state: IndexState, mountsOf: (path: string) => PathMapping[] | undefined, reuse: { previous?: ClusterIndex; delta?: (old: string, next: string) => TextDelta | undefined } = {}): WorkspaceIndex {
  const { getEnv, collectorsOf, apps, objects, lazy, answers } = state;
  const collectors: WorkspaceCollector[] = collectorsOf.flat();
  /** The pairs of each port asked, with this index's collectors (the same objects at every call). */
  const pairs = new Map<number, PairedListener[]>();
  // The last index's cluster index, for the kinds of object an edit left as they were (model/cluster.ts: only its
  // tokens are kept, and this reference goes once this index's own is built).
  let previousCluster = reuse.previous;
  const clusterDelta = reuse.delta;
  const index: WorkspaceIndex = {
    answers,
    cluster: () => {
      if (!lazy.cluster) {
        lazy.cluster = createClusterIndex(objects.map((o) => manifestObject(o)), { previous: previousCluster, delta: clusterDelta });
        previousCluster = undefined;
      }
      return lazy.cluster;
    },
    collectors: () => collectors,
    apps: () => (lazy.effective ??= apps.map((app) => (app.unit.injection ? { ...app, unit: resolveInjection(app.unit, apps).unit } : app))),
    kubernetesObjects: () => objects,
    mountsOf,
    appsReading(path) {
      if (!lazy.readers) {
        const readers = new Map<string, WorkspaceApp[]>();
        for (const app of apps) for (const part of app.unit.parts ?? []) if (part.path !== app.path) readers.set(part.path, [...(readers.get(part.path) ?? []).filter((a) => a !== app), app]);
        lazy.readers = readers;
      }
      return lazy.readers.get(path) ?? [];
    },
    listenersOn(port) {
      const byPort = (lazy.byPort ??= portIndex(collectorsOf, getEnv));
      const found = byPort.get(port);
      if (!found) return [];
      for (const entry of found) entry.settle();
      let paired = pairs.get(port);
      if (!paired) {
        paired = found.map((entry) => ({ collector: collectorsOf[entry.file][entry.unit], listener: entry.listener }));
        pairs.set(port, paired);
      }
      return paired;
    },
    hasListeners(except) {
      if (!lazy.listening) {
        const listening = new Set<string>();
        for (const c of collectors) if ((c.unit.scopes ?? [c.unit]).some((part) => (part.model.listeners as readonly Listener[]).some((l) => l.protocol !== 'other'))) listening.add(`${c.path}\u0000${c.unit.index}`);
        lazy.listening = listening;
      }
      const listening = lazy.listening;
      return listening.size > (except && listening.has(`${except.path}\u0000${except.index}`) ? 1 : 0);
    },
  };
  states.set(index, state);
  return index;
}

/** The OTLP receiver listeners of the files' collectors by the port they bind, in file order. */
function portIndex(collectorsOf: readonly (readonly WorkspaceCollector[])[], getEnv: (name: string, path: string) => string | undefined): Map<number, PortEntry[]> {
  const byPort = new Map<number, PortEntry[]>();
  collectorsOf.forEach((collectors, file) => {
    collectors.forEach((collector, unit) => {
      // A unit cut into scopes: its listeners are read without assembling it, and only the scopes
      // of the listeners asked for are moved into place (yaml/yamlChunks.ts).
      const parts = collector.unit.scopes ?? [{ model: collector.unit.model, settle: () => undefined }];
      for (const part of parts) {
        for (const listener of part.model.listeners) {
          if (listener.protocol === 'other') continue;
          const bound = listenerPort(listener, collector.path, getEnv);
          if (bound === undefined) continue;
          const list = byPort.get(bound);
          const entry = { file, unit, listener, settle: part.settle };
          if (list) list.push(entry);
          else byPort.set(bound, [entry]);
        }
      }
    });
  });
  return byPort;
}

/**
 * Whether an index of `next` answers every question as one of `old` does: the same files in the same order,
 * each the same parse, or a collector config (no apps, no Kubernetes objects, before or after) whose units are
 * in the same places (index, label, container, defaults) with the same OTLP listeners on the same lines. A cut
 * unit's scopes are compared by their models (the same model is the same chunk, so the same listener objects):
 * the scopes an edit replaced must hold no OTLP listener, and those after them keep their lines unless no listener
 * is there. What a check reads of a collector through the index is that (checkCache.ts prints it so).
 *
 * A Kubernetes manifest answers alike too (`manifest`) when its collector units are so (sameEmbeddedListeners) and
 * its apps are those of the same unchanged documents (`sameApps`); its objects are not compared: what a check reads
 * of them goes through the cluster index, whose tokens are kept per kind of object (./cluster.ts), and a check that
 * reads the list of objects itself is asked again of every index (checkCache.ts). `units`: only collector configs
 * changed, and the apps and objects are the same objects.
 */
function sameAnswers(old: readonly ParsedFile[], next: readonly ParsedFile[], deltaOf: (old: string, next: string) => TextDelta | undefined): false | 'units' | 'manifest' {
  if (old.length !== next.length) return false;
  let manifest = false;
  for (let i = 0; i < next.length; i++) {
    const a = old[i];
    const b = next[i];
    if (a === b) continue;
    if (a.path !== b.path || a.collectors.length !== b.collectors.length) return false;
    if (a.apps.length > 0 || b.apps.length > 0 || (a.kubernetes?.length ?? 0) > 0 || (b.kubernetes?.length ?? 0) > 0) {
      if (!b.kubernetes?.length || !a.kubernetes?.length) return false;
      const delta = deltaOf(a.text, b.text);
      if (!sameApps(a, b, delta)) return false;
      for (let k = 0; k < b.collectors.length; k++) if (!sameEmbeddedListeners(a.collectors[k], b.collectors[k], a.text, b.text, delta)) return false;
      manifest = true;
      continue;
    }
    for (let k = 0; k < b.collectors.length; k++) if (!sameListeners(a.collectors[k], b.collectors[k], deltaOf)) return false;
  }
  return manifest ? 'manifest' : 'units';
}

/**
 * A manifest's apps before and after an edit, as the index's questions print them (checkCache.ts: an app by its check
 * key, path, index, compose service and mounts): each made anew from the same unchanged document (Unit.keptAs), in the
 * same place (index, label, container, mounts), starting on the same line. An app the operator instruments, an
 * Instrumentation's, or one with parts from other files (what `appsReading` answers) is never taken as alike.
 */
function sameApps(a: ParsedFile, b: ParsedFile, delta: TextDelta | undefined): boolean {
  if (a.apps.length !== b.apps.length) return false;
  for (let k = 0; k < b.apps.length; k++) {
    const x = a.apps[k];
    const y = b.apps[k];
    if (x.injection || y.injection || x.instrumentation || y.instrumentation || x.parts?.length || y.parts?.length) return false;
    if (!x.keptAs || !y.keptAs || x.keptAs.key !== y.keptAs.key) return false;
    if (x.index !== y.index || x.label !== y.label || x.service !== y.service || !sameJson(x.mounts, y.mounts) || !sameJson(x.container, y.container)) return false;
    if (!sameLines(a.text, { offset: x.keptAs.offset, length: 0 }, b.text, { offset: y.keptAs.offset, length: 0 }, delta)) return false;
  }
  return true;
}

/**
 * A collector unit of a manifest (over its own text: a ConfigMap's config) before and after an edit of the file: in
 * the same place (index, label, container, defaults), with the same OTLP listeners (the scopes holding one are the same
 * chunks, in order) on the same lines of the file. A unit that is not cut has a new model at each parse: alike only
 * when neither it nor the one before holds an OTLP listener. The same unit object is compared too (a document in
 * place whose lines moved: a character above it became a line break).
 */
function sameEmbeddedListeners(a: CollectorUnit, b: CollectorUnit, oldText: string, text: string, delta: TextDelta | undefined): boolean {
  if (a.index !== b.index || a.label !== b.label || !sameJson(a.container, b.container) || !sameJson(a.defaultsFrom, b.defaultsFrom)) return false;
  const la = listening(a);
  const lb = a === b ? la : listening(b);
  if (la.length !== lb.length) return false;
  if (la.length === 0) return true;
  // The same unit object (its document in place): the same scopes and offset map; its whole text before the edit, or
  // after it on the same lines, holds its listeners on the same lines.
  if (a === b) {
    const whole = spanToFile(a.offsets, 0, a.text.length);
    if (sameLines(oldText, whole, text, whole, delta)) return true;
  }
  for (let k = 0; k < la.length; k++) {
    if (la[k].model !== lb[k].model) return false;
    if (!sameLines(oldText, spanToFile(a.offsets, la[k].offset, la[k].length), text, spanToFile(b.offsets, lb[k].offset, lb[k].length), delta)) return false;
  }
  return true;
}

/** The scopes of a unit that hold an OTLP listener (the whole unit when it is not cut), once per unit object (its scopes do not change). */
function listening(unit: CollectorUnit): readonly { model: UnitScope['model']; offset: number; length: number }[] {
  let found = listeningScopes.get(unit);
  if (!found) {
    const scopes = unit.scopes ?? [{ model: unit.model, offset: 0, length: unit.text.length }];
    found = scopes.filter((scope) => hasOtlpListener(scope as UnitScope));
    listeningScopes.set(unit, found);
  }
  return found;
}
const listeningScopes = new WeakMap<CollectorUnit, readonly { model: UnitScope['model']; offset: number; length: number }[]>();

/**
 * Whether the file span `was` of `old` and `now` of `text` hold the same text on the same lines: both before the edit
 * `delta` (the same offsets), or both after it (moved by its length) when it replaced as many line breaks as it removed
 * (no carriage return near it, which could pair differently).
 */
function sameLines(old: string, was: { offset: number; length: number }, text: string, now: { offset: number; length: number }, delta: TextDelta | undefined): boolean {
  if (!delta) return was.offset === now.offset && was.length === now.length;
  if (was.offset + was.length <= delta.start) return now.offset === was.offset && now.length === was.length;
  if (was.offset < delta.oldEnd || now.offset !== was.offset + (delta.newEnd - delta.oldEnd) || now.length !== was.length) return false;
  return sameBreaks(old, text, delta);
}

/** Whether the edit `delta` from `old` to `text` replaced as many line breaks as it removed (no carriage return near it), once per delta (a delta is of one pair of texts, or of equal ones). */
function sameBreaks(old: string, text: string, delta: TextDelta): boolean {
  let same = breaksKept.get(delta);
  if (same === undefined) {
    const from = Math.max(0, delta.start - 1);
    const oldSpan = old.slice(from, delta.oldEnd + 1);
    const newSpan = text.slice(from, delta.newEnd + 1);
    same = !oldSpan.includes('\r') && !newSpan.includes('\r') && countBreaks(oldSpan) === countBreaks(newSpan);
    breaksKept.set(delta, same);
  }
  return same;
}
const breaksKept = new WeakMap<TextDelta, boolean>();

function countBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function sameJson(a: object | undefined, b: object | undefined): boolean {
  return a === b || jsonOf(a) === jsonOf(b);
}

/**
 * A unit's container, defaults or mounts as JSON, made once per object: they are never changed once a source made them
 * (the language service keys its place keys on the same JSON, languageService.ts containerKey), and the unit an edit
 * re-read is compared with the one before it, whose JSON the last edit made.
 */
function jsonOf(value: object | undefined): string {
  if (value === undefined || value === null) return 'null';
  let json = jsons.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    jsons.set(value, json);
  }
  return json;
}
const jsons = new WeakMap<object, string>();

function sameListeners(a: CollectorUnit, b: CollectorUnit, deltaOf: (old: string, next: string) => TextDelta | undefined): boolean {
  if (a === b) return true;
  if (!a.scopes || !b.scopes || !a.offsets.identity || !b.offsets.identity) return false;
  if (a.index !== b.index || a.label !== b.label) return false;
  if (a.container !== b.container && JSON.stringify(a.container ?? null) !== JSON.stringify(b.container ?? null)) return false;
  if (a.defaultsFrom !== b.defaultsFrom && JSON.stringify(a.defaultsFrom ?? null) !== JSON.stringify(b.defaultsFrom ?? null)) return false;
  const delta = deltaOf(a.text, b.text);
  if (!delta) return a.scopes.length === b.scopes.length && a.scopes.every((scope, i) => scope.model === b.scopes![i].model);
  const sa = a.scopes;
  const sb = b.scopes;
  // Before the edit: the same chunks at the same offsets (their text is before the first difference), so the same lines.
  let prefix = 0;
  while (prefix < sa.length && prefix < sb.length && sa[prefix].model === sb[prefix].model && sb[prefix].offset + sb[prefix].length <= delta.start && sa[prefix].offset === sb[prefix].offset) prefix++;
  // After it: the same chunks, moved by the edit's length.
  const shift = delta.newEnd - delta.oldEnd;
  let suffix = 0;
  while (suffix < sa.length - prefix && suffix < sb.length - prefix) {
    const x = sa[sa.length - 1 - suffix];
    const y = sb[sb.length - 1 - suffix];
    if (x.model !== y.model || x.offset < delta.oldEnd || y.offset !== x.offset + shift) break;
    suffix++;
  }
  for (let k = prefix; k < sa.length - suffix; k++) if (hasOtlpListener(sa[k])) return false;
  for (let k = prefix; k < sb.length - suffix; k++) if (hasOtlpListener(sb[k])) return false;
  if (lineBreaks(a.text, delta.start, delta.oldEnd) !== lineBreaks(b.text, delta.start, delta.newEnd)) {
    for (let k = sb.length - suffix; k < sb.length; k++) if (hasOtlpListener(sb[k])) return false;
  }
  return true;
}

function hasOtlpListener(scope: UnitScope): boolean {
  return (scope.model.listeners as readonly Listener[]).some((l) => l.protocol !== 'other');
}

/** The line breaks of text[from, to) (a `\r\n` once). */
function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let at = from; at < to; at++) {
    const c = text.charCodeAt(at);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(at + 1) !== 10) n++;
  }
  return n;
}

/** The port of each listener whose endpoint names it without substitution (a function of the endpoint alone), kept with the listener (reused with its component). */
const literalPorts = new WeakMap<Listener, number | undefined>();

function listenerPort(listener: Listener, path: string, getEnv: (name: string, path: string) => string | undefined): number | undefined {
  if (literalPorts.has(listener)) return literalPorts.get(listener);
  const port = bindPort(listener.endpoint, (name) => getEnv(name, path));
  if (!listener.endpoint.includes('${')) literalPorts.set(listener, port);
  return port;
}

/** What the cluster index reads of an object, with its file (one shape for every object: a spread of each is slow). */
function manifestObject({ unit, path, text }: WorkspaceObject): ManifestObject {
  const object: ManifestObject = { apiVersion: unit.apiVersion, kind: unit.kind, doc: unit.doc, node: unit.node, path, text, label: unit.label };
  if (unit.name !== undefined) object.name = unit.name;
  if (unit.namespace !== undefined) object.namespace = unit.namespace;
  if (unit.pod) object.pod = unit.pod;
  if (unit.resource) object.resource = unit.resource;
  return object;
}

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
import type { AppUnit, CollectorUnit, ParsedFile } from './units';

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

/**
 * An index over files the adapter has already parsed (CLI: every file; server: the workspace scan and
 * the open documents). `getEnv` resolves `${env:…}` in listener endpoints, for the port index; it is
 * told the file the endpoint is in (each file may have its own `.otlp-tls.yaml` environment).
 */
export function createWorkspaceIndex(files: Iterable<ParsedFile>, getEnv: (name: string, path: string) => string | undefined): WorkspaceIndex {
  const collectors: WorkspaceCollector[] = [];
  const apps: WorkspaceApp[] = [];
  const objects: WorkspaceObject[] = [];
  for (const file of files) {
    for (const unit of file.apps) apps.push({ path: file.path, text: file.text, unit });
    for (const unit of file.kubernetes ?? []) objects.push({ path: file.path, text: file.text, unit });
  }
  const mountsOf = (path: string): PathMapping[] | undefined => {
    for (const app of apps) {
      const mounts = app.unit.mounts;
      if (mounts?.some((m) => m.to === path || path.startsWith(m.to.endsWith('/') ? m.to : `${m.to}/`))) return mounts;
    }
    return undefined;
  };
  for (const file of files) {
    const mounts = file.collectors.length ? mountsOf(file.path) : undefined;
    for (const unit of file.collectors) collectors.push({ path: file.path, text: file.text, unit, ...(mounts ? { mounts } : {}) });
  }
  let readers: Map<string, WorkspaceApp[]> | undefined;
  let byPort: Map<number, { paired: PairedListener; settle: () => void }[]> | undefined;
  let listening: Set<string> | undefined;
  let cluster: ClusterIndex | undefined;
  // Containers the operator instruments, as it leaves them (./operatorInjection.ts).
  let effective: WorkspaceApp[] | undefined;
  return {
    cluster: () => (cluster ??= createClusterIndex(objects.map((o) => manifestObject(o)))),
    collectors: () => collectors,
    apps: () => (effective ??= apps.map((app) => (app.unit.injection ? { ...app, unit: resolveInjection(app.unit, apps).unit } : app))),
    kubernetesObjects: () => objects,
    mountsOf,
    appsReading(path) {
      if (!readers) {
        readers = new Map();
        for (const app of apps) for (const part of app.unit.parts ?? []) if (part.path !== app.path) readers.set(part.path, [...(readers.get(part.path) ?? []).filter((a) => a !== app), app]);
      }
      return readers.get(path) ?? [];
    },
    listenersOn(port) {
      if (!byPort) {
        byPort = new Map();
        for (const collector of collectors) {
          // A unit cut into scopes: its listeners are read without assembling it, and only the scopes
          // of the listeners asked for are moved into place (yaml/yamlChunks.ts).
          const parts = collector.unit.scopes ?? [{ model: collector.unit.model, settle: () => undefined }];
          for (const part of parts) {
            for (const listener of part.model.listeners) {
              if (listener.protocol === 'other') continue;
              const bound = listenerPort(listener, collector.path, getEnv);
              if (bound === undefined) continue;
              const list = byPort.get(bound);
              const entry = { paired: { collector, listener }, settle: part.settle };
              if (list) list.push(entry);
              else byPort.set(bound, [entry]);
            }
          }
        }
      }
      const found = byPort.get(port);
      if (!found) return [];
      for (const entry of found) entry.settle();
      return found.map((entry) => entry.paired);
    },
    hasListeners(except) {
      if (!listening) {
        listening = new Set();
        for (const c of collectors) if ((c.unit.scopes ?? [c.unit]).some((part) => (part.model.listeners as readonly Listener[]).some((l) => l.protocol !== 'other'))) listening.add(`${c.path}\u0000${c.unit.index}`);
      }
      return listening.size > (except && listening.has(`${except.path}\u0000${except.index}`) ? 1 : 0);
    },
  };
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

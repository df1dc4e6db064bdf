/**
 * Pairing a client (an app's endpoint, an exporter's endpoint) with the receiver listeners of the
 * workspace that serve it, by host and port together:
 * - a host that names a Service of the workspace (docs/facts/kubernetes.md §5-6: `S` from S's namespace,
 *   `S.M`, `S.M.svc`, `S.M.svc.cluster.local`), a Service manifest or one the deploying tool makes (the
 *   operator's `<name>-collector`, the Helm chart's), pairs with the receivers of the collector pods behind
 *   it on the port the Service forwards to (port → targetPort, by number or by the container port's name);
 *   a Service that leads to no receiver of the workspace pairs with none, and says why;
 * - a host that names a compose service whose bind mounts hold collector configs of the workspace pairs with
 *   their listeners on the port (containers of a project reach each other by service name);
 * - any other host (an IP, localhost, a name no Service of the workspace has) is not resolved here: the
 *   port decides, and every listener on it is a pair.
 * Every pair's handshake is judged. None is said too (no-listener), so silence never stands for "not judged".
 * The pure rules of Services are model/services.ts.
 */
import type { ContainerContext } from '../model/kubernetes';
import { generatedServiceMatch, generatedTargetPort, selects, servicesForHost, targetPortOf, type ServiceSpec } from '../model/services';
import type { PairedListener, WorkspaceApp, WorkspaceCollector, WorkspaceIndex } from '../model/workspace';
import { workspacePath } from '../model/workspacePath';

/** What a client dials, and from which namespace (its pod's; undefined: not stated). */
export interface PairingTarget {
  host: string;
  port: number;
  namespace?: string;
}

/**
 * Every receiver listener of the workspace an endpoint may reach (other than those of the collector
 * unit `exclude`, the client's own: another unit of the same manifest pairs): through the Services its
 * host names, else every listener on its port.
 */
export function listenersFor(workspace: WorkspaceIndex, endpoint: PairingTarget, exclude?: UnitRef): PairedListener[] {
  const routed = serviceRoutes(workspace, endpoint);
  const found = routed ? routed.flatMap((route) => route.listeners) : workspace.listenersOn(endpoint.port);
  return found.filter((paired) => !isUnit(paired.collector, exclude));
}

/** The one listener of the workspace on `port` (other than those of the unit `exclude`), or undefined when none or several. */
export function listenerOnPort(workspace: WorkspaceIndex, port: number, exclude?: UnitRef): PairedListener | undefined {
  const found = workspace.listenersOn(port).filter((paired) => !isUnit(paired.collector, exclude));
  return found.length === 1 ? found[0] : undefined;
}

/** One Service the host names, and the listeners it leads to (none: `why`). */
interface ServiceRoute {
  service: string;
  listeners: PairedListener[];
  why?: string;
}

/**
 * The Services of the workspace `endpoint.host` names from `endpoint.namespace`, each with the receiver
 * listeners it forwards `endpoint.port` to; undefined when the host names no Service of the workspace.
 */
function serviceRoutes(workspace: WorkspaceIndex, endpoint: PairingTarget): ServiceRoute[] | undefined {
  if (!endpoint.host) return undefined;
  const cluster = workspace.cluster();
  // Only a collector unit that runs in a container can be behind a Service (a manifest's pods, a generated Service).
  // Where each runs, completed from the workspace (a ConfigMap's pod), is asked only when a Service manifest is named: a
  // container's generated Services are its own (containerOf keeps them), and every question asked of the cluster is one
  // more that a kept result depends on (../checkCache.ts).
  let containers: { collector: WorkspaceCollector; container: ContainerContext | undefined }[] | undefined;
  const collectors = () => (containers ??= inContainers(workspace.collectors()).map((collector) => ({ collector, container: cluster.containerOf(collector.unit.container) })));
  const routes: ServiceRoute[] = [];
  for (const { service } of servicesForHost(cluster.services().map((s) => s.value), endpoint.host, endpoint.namespace)) {
    routes.push(manifestRoute(workspace, service, endpoint.port, collectors()));
  }
  const generated = new Map<string, ServiceRoute>();
  for (const collector of inContainers(workspace.collectors())) {
    for (const service of collector.unit.container?.services ?? []) {
      if (!generatedServiceMatch(service, endpoint.host, endpoint.namespace)) continue;
      const route = generated.get(service.label) ?? { service: service.label, listeners: [] };
      generated.set(service.label, route);
      const target = generatedTargetPort(service, endpoint.port);
      if (target === undefined) {
        route.why ??= `it has no port ${endpoint.port}`;
        continue;
      }
      route.listeners.push(...on(workspace, collector, target, via(service.label, endpoint.port, target)));
      if (route.listeners.length === 0) route.why ??= `no receiver of ${collector.unit.label ?? 'its collector'} listens on port ${target}`;
    }
  }
  routes.push(...generated.values());
  routes.push(...composeRoutes(workspace, endpoint));
  return routes.length > 0 ? routes : undefined;
}

/**
 * Compose (docs/facts/compose-docker.md): the containers of a project reach each other by service name, on the
 * container's own port (`ports:` only publishes it on the host). A host that is the name of a compose service whose
 * bind mounts hold collector configs of the workspace pairs with their listeners on the port; a service that mounts
 * none (its config is in its image) says nothing here, and the port decides.
 */
function composeRoutes(workspace: WorkspaceIndex, endpoint: PairingTarget): ServiceRoute[] {
  const routes: ServiceRoute[] = [];
  for (const app of composeServicesNamed(workspace.apps(), endpoint.host)) {
    const mounts = app.unit.mounts!;
    const mounted = workspace.collectors().filter((c) => mounts.some((m) => m.to === c.path || c.path.startsWith(m.to.endsWith('/') ? m.to : `${m.to}/`)));
    if (mounted.length === 0) continue;
    const name = `compose service ${app.unit.service}`;
    const listeners = workspace.listenersOn(endpoint.port).filter((paired) => mounted.includes(paired.collector)).map((paired) => ({ ...paired, via: name }));
    routes.push({ service: name, listeners, ...(listeners.length === 0 ? { why: `no receiver of the collector config it mounts listens on port ${endpoint.port}` } : {}) });
  }
  return routes;
}

/**
 * The collector units of `collectors` that run in a container, in order; and the apps of `apps` that are compose
 * services with mounts, by service name. Each client's pairing asks them of the same index, whose lists stay the
 * same arrays: memos of pure functions of those arrays (held by them), so pairing is not a pass over every unit
 * per client.
 */
const containerful = new WeakMap<readonly WorkspaceCollector[], WorkspaceCollector[]>();
const composeServices = new WeakMap<readonly WorkspaceApp[], Map<string, WorkspaceApp[]>>();

function inContainers(collectors: readonly WorkspaceCollector[]): readonly WorkspaceCollector[] {
  let found = containerful.get(collectors);
  if (!found) {
    found = collectors.filter((collector) => collector.unit.container !== undefined);
    containerful.set(collectors, found);
  }
  return found;
}

function composeServicesNamed(apps: readonly WorkspaceApp[], host: string): readonly WorkspaceApp[] {
  let byName = composeServices.get(apps);
  if (!byName) {
    byName = new Map();
    for (const app of apps) {
      const service = app.unit.service;
      if (service === undefined || !app.unit.mounts?.length) continue;
      const list = byName.get(service);
      if (list) list.push(app);
      else byName.set(service, [app]);
    }
    composeServices.set(apps, byName);
  }
  return byName.get(host) ?? [];
}

function manifestRoute(workspace: WorkspaceIndex, service: ServiceSpec, port: number, collectors: { collector: WorkspaceCollector; container: ContainerContext | undefined }[]): ServiceRoute {
  const route: ServiceRoute = { service: service.label, listeners: [] };
  const backends = collectors.filter(({ container }) => container?.pod && sameNamespace(service.namespace, container.namespace) && selects(service, container.pod.labels));
  if (backends.length === 0) {
    route.why = Object.keys(service.selector).length === 0 ? 'it has no selector' : `it selects no pod of the workspace that runs a collector config (selector ${Object.entries(service.selector).map(([k, v]) => `${k}=${v}`).join(', ')})`;
    return route;
  }
  for (const { collector, container } of backends) {
    const target = targetPortOf(service, port, container!.pod!.ports);
    if (target === undefined) {
      route.why ??= service.ports.some((p) => p.port === port) ? `its port ${port} names a targetPort no container port of the pod has` : `it has no port ${port} (its ports: ${service.ports.map((p) => p.port).join(', ') || 'none'})`;
      continue;
    }
    route.listeners.push(...on(workspace, collector, target, via(service.label, port, target, service.headless)));
    if (route.listeners.length === 0) route.why ??= `no receiver of ${collector.unit.label ?? 'its collector'} listens on port ${target}`;
  }
  return route;
}

function on(workspace: WorkspaceIndex, collector: WorkspaceCollector, port: number, through: string): PairedListener[] {
  return workspace.listenersOn(port).filter((paired) => paired.collector === collector).map((paired) => ({ ...paired, via: through }));
}

function via(service: string, port: number, target: number, headless = false): string {
  return headless ? `${service}, headless: the pod's port ${port}` : `${service}, port ${port} → ${target}`;
}

function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** A collector unit of the workspace: its file and its index in the file. */
export interface UnitRef {
  path: string;
  index: number;
}

/** Whether `collector` is the unit `ref`. */
export function isUnit(collector: { path: string; unit: { index: number } }, ref: UnitRef | undefined): boolean {
  return ref !== undefined && collector.path === ref.path && collector.unit.index === ref.index;
}

/**
 * The information that an endpoint pairs with no listener, so its handshake is not judged: none listens
 * on its port, or the Services its host names lead to none (with `workspace`, which says which and why).
 */
export function noListenerMessage(endpoint: PairingTarget, what: string, workspace?: WorkspaceIndex): string {
  const why = noPairReason(endpoint, workspace);
  const first = why.startsWith('none listens')
    ? `No receiver here listens on port ${endpoint.port}, so the handshake is not judged: add its Collector config.`
    : 'The service this host names leads to no receiver here, so the handshake is not judged.';
  return `${first} ${what} (${endpoint.host}:${endpoint.port}) pairs with no receiver listener of the workspace (${why}), so its TLS handshake is not judged here. Open the Collector config that serves it in the workspace (or add it to the CLI's paths) to have it checked.`;
}

/** Why an endpoint pairs with no listener: the Services its host names and where each leads nowhere, else no listener on its port. */
export function noPairReason(endpoint: PairingTarget, workspace?: WorkspaceIndex): string {
  const routes = workspace ? serviceRoutes(workspace, endpoint) : undefined;
  return routes?.length ? `${endpoint.host} names ${routes.map((r) => `${r.service}${r.why ? `, where ${r.why}` : ''}`).join('; ')}` : `none listens on port ${endpoint.port}`;
}

/**
 * `receiver otlp (grpc) on 0.0.0.0:4317 in ConfigMap otel/agent data.relay (deploy/agent.yaml)`, the file
 * named by its path in the workspace folder that holds it (`roots`), so two `config.yaml` can be told
 * apart; a listener of a chart's defaults says so; one reached through a Service names it.
 */
export function listenerName(paired: PairedListener, roots: readonly string[]): string {
  const { unit } = paired.collector;
  const base = workspacePath(paired.collector.path, roots);
  const anchor = (paired.listener.anchor as { range?: [number, number, number] } | null | undefined)?.range?.[0];
  const defaults = unit.defaultsFrom && anchor !== undefined && anchor >= unit.defaultsFrom.offset ? `, from ${unit.defaultsFrom.what}` : '';
  return `receiver ${paired.listener.component.id} (${paired.listener.protocol}) on ${paired.listener.endpoint} in ${unit.label ? `${unit.label} (${base})` : base}${defaults}${paired.via ? ` (through ${paired.via})` : ''}`;
}


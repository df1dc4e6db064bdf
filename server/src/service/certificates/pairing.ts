/**
 * Pairing a client (an app's endpoint, an exporter's endpoint) with the receiver listeners of the
 * workspace that serve it. Host names cannot be resolved yet, so the port decides: every listener on
 * that port is a pair, and the handshake is judged against each. None is said too (no-listener), so
 * silence never stands for "not judged".
 */
import type { PairedListener, WorkspaceIndex } from '../model/workspace';
import { workspacePath } from '../model/workspacePath';

/**
/**
 * Every receiver listener of the workspace an endpoint may reach (other than those of the collector
 * unit `exclude`, the client's own: another unit of the same manifest pairs): those on its port.
 * `endpoint.host` does not narrow the list yet; it is in the signature for pairing by Kubernetes
 * Service names.
 */
export function listenersFor(workspace: WorkspaceIndex, endpoint: { host: string; port: number }, exclude?: UnitRef): PairedListener[] {
  return workspace.listenersOn(endpoint.port).filter((paired) => !isUnit(paired.collector, exclude));
}

/** The one listener of the workspace on `port` (other than those of the unit `exclude`), or undefined when none or several. */
export function listenerOnPort(workspace: WorkspaceIndex, port: number, exclude?: UnitRef): PairedListener | undefined {
  const found = workspace.listenersOn(port).filter((paired) => !isUnit(paired.collector, exclude));
  return found.length === 1 ? found[0] : undefined;
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

/** The information that an endpoint pairs with no listener, so its handshake is not judged. */
export function noListenerMessage(endpoint: { host: string; port: number }, what: string): string {
  return `No receiver here listens on port ${endpoint.port}, so the handshake is not judged: add its Collector config. ${what} (${endpoint.host}:${endpoint.port}) pairs with no receiver listener of the workspace (none listens on port ${endpoint.port}), so its TLS handshake is not judged here. Open the Collector config that serves it in the workspace (or add it to the CLI's paths) to have it checked.`;
}

/**
 * `receiver otlp (grpc) on 0.0.0.0:4317 in ConfigMap otel/agent data.relay (deploy/agent.yaml)`, the file
 * named by its path in the workspace folder that holds it (`roots`), so two `config.yaml` can be told
 * apart; a listener of a chart's defaults says so.
 */
export function listenerName(paired: PairedListener, roots: readonly string[]): string {
  const { unit } = paired.collector;
  const base = workspacePath(paired.collector.path, roots);
  const anchor = (paired.listener.anchor as { range?: [number, number, number] } | null | undefined)?.range?.[0];
  const defaults = unit.defaultsFrom && anchor !== undefined && anchor >= unit.defaultsFrom.offset ? `, from ${unit.defaultsFrom.what}` : '';
  return `receiver ${paired.listener.component.id} (${paired.listener.protocol}) on ${paired.listener.endpoint} in ${unit.label ? `${unit.label} (${base})` : base}${defaults}`;
}

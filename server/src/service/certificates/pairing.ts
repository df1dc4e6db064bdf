/**
 * Pairing a client (an app's endpoint, an exporter's endpoint) with the receiver listeners of the
 * workspace that serve it. Host names cannot be resolved yet, so the port decides: every listener on
 * that port is a pair, and the handshake is judged against each. None is said too (no-listener), so
 * silence never stands for "not judged".
 */
import type { PairedListener, WorkspaceIndex } from '../model/workspace';

/**
 * Every receiver listener of the workspace an endpoint may reach (other than in the file
 * `excludePath`): those on its port. `endpoint.host` does not narrow the list yet; it is in the
 * signature for pairing by Kubernetes Service names.
 */
export function listenersFor(workspace: WorkspaceIndex, endpoint: { host: string; port: number }, excludePath?: string): PairedListener[] {
  return workspace.listenersOn(endpoint.port).filter((paired) => paired.collector.path !== excludePath);
}

/** The one listener of the workspace on `port` (other than in the file `excludePath`), or undefined when none or several. */
export function listenerOnPort(workspace: WorkspaceIndex, port: number, excludePath?: string): PairedListener | undefined {
  const found = workspace.listenersOn(port).filter((paired) => paired.collector.path !== excludePath);
  return found.length === 1 ? found[0] : undefined;
}

/** The information that an endpoint pairs with no listener, so its handshake is not judged. */
export function noListenerMessage(endpoint: { host: string; port: number }, what: string): string {
  return `${what} (${endpoint.host}:${endpoint.port}) pairs with no receiver listener of the workspace (none listens on port ${endpoint.port}), so its TLS handshake is not judged here. Open the Collector config that serves it in the workspace (or add it to the CLI's paths) to have it checked.`;
}

export function listenerName(paired: PairedListener): string {
  const base = paired.collector.path.split(/[\\/]/).pop();
  return `receiver ${paired.listener.component.id} (${paired.listener.protocol}) on ${paired.listener.endpoint} in ${base}`;
}

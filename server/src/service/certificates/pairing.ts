/**
 * Pairing a client (an app's endpoint, an exporter's endpoint) with the receiver listener of the
 * workspace that serves it. Host names cannot be resolved, so the port decides: exactly one
 * listener on that port in the workspace makes a pair.
 */
import type { PairedListener, WorkspaceIndex } from '../model/workspace';

/** The receiver listeners of the workspace an endpoint on `port` may reach (other than in the file `excludePath`), in file order. */
export function listenersFor(workspace: WorkspaceIndex, port: number, excludePath?: string): readonly PairedListener[] {
  const found = workspace.listenersOn(port);
  return excludePath === undefined ? found : found.filter((paired) => paired.collector.path !== excludePath);
}

/** The listener an endpoint pairs with: the only candidate; undefined when there is none or several. */
export function pairOf(candidates: readonly PairedListener[]): PairedListener | undefined {
  return candidates.length === 1 ? candidates[0] : undefined;
}

export function listenerName(paired: PairedListener): string {
  const base = paired.collector.path.split(/[\\/]/).pop();
  return `receiver ${paired.listener.component.id} (${paired.listener.protocol}) on ${paired.listener.endpoint} in ${base}`;
}

/**
 * Pairing a client (an app's endpoint, an exporter's endpoint) with the receiver listener of the
 * workspace that serves it. Host names cannot be resolved, so the port decides: exactly one
 * listener on that port in the workspace makes a pair.
 */
import type { PairedListener, WorkspaceIndex } from '../model/workspace';

/** The one listener of the workspace on `port` (other than in the file `excludePath`), or undefined when none or several. */
export function listenerOnPort(workspace: WorkspaceIndex, port: number, excludePath?: string): PairedListener | undefined {
  const found = workspace.listenersOn(port).filter((paired) => paired.collector.path !== excludePath);
  return found.length === 1 ? found[0] : undefined;
}

export function listenerName(paired: PairedListener): string {
  const base = paired.collector.path.split(/[\\/]/).pop();
  return `receiver ${paired.listener.component.id} (${paired.listener.protocol}) on ${paired.listener.endpoint} in ${base}`;
}

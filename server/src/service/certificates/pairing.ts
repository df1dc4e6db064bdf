/**
 * Pairing a client (an app's endpoint, an exporter's endpoint) with the receiver listener of the
 * workspace that serves it. Host names cannot be resolved, so the port decides: exactly one
 * listener on that port in the workspace makes a pair.
 */
import type { PairedListener, WorkspaceIndex } from '../model/workspace';

/**
 * The one listener of the workspace on `port` (other than those of the collector unit `exclude`, the
 * client's own), or undefined when none or several.
 */
export function listenerOnPort(workspace: WorkspaceIndex, port: number, exclude?: { path: string; index: number }): PairedListener | undefined {
  const found = workspace.listenersOn(port).filter((paired) => !exclude || paired.collector.path !== exclude.path || paired.collector.unit.index !== exclude.index);
  return found.length === 1 ? found[0] : undefined;
}

/** `receiver otlp (grpc) on 0.0.0.0:4317 in ConfigMap otel/agent data.relay (agent.yaml)`; a listener of a chart's defaults says so. */
export function listenerName(paired: PairedListener): string {
  const { unit } = paired.collector;
  const base = paired.collector.path.split(/[\\/]/).pop();
  const anchor = (paired.listener.anchor as { range?: [number, number, number] } | null | undefined)?.range?.[0];
  const defaults = unit.defaultsFrom && anchor !== undefined && anchor >= unit.defaultsFrom.offset ? `, from ${unit.defaultsFrom.what}` : '';
  return `receiver ${paired.listener.component.id} (${paired.listener.protocol}) on ${paired.listener.endpoint} in ${unit.label ? `${unit.label} (${base})` : base}${defaults}`;
}

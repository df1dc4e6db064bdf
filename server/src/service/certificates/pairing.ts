/**
 * Pairing a client (an env file's endpoint, an exporter's endpoint) with the receiver listener of
 * the workspace that serves it. Host names cannot be resolved, so the port decides: exactly one
 * listener on that port in the workspace makes a pair.
 */
import type { Listener } from '../documents/collectorConfig';
import { expandValue } from '../documents/substitution';
import type { WorkspaceCollector, WorkspaceIndex } from '../workspace';

export interface ParsedEndpoint {
  scheme?: 'http' | 'https';
  host: string;
  port: number;
}

/** `https://host:4318/v1/traces`, `host:4317`, `dns:///host:4317`, `[::1]:4317`. undefined when there is no usable host and port. */
export function parseEndpoint(value: string): ParsedEndpoint | undefined {
  let text = value.trim();
  let scheme: 'http' | 'https' | undefined;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (schemeMatch) {
    const s = schemeMatch[1].toLowerCase();
    if (s === 'http' || s === 'https') scheme = s;
    else if (s !== 'dns' && s !== 'passthrough') return undefined;
    text = text.slice(schemeMatch[0].length);
    if (!scheme) text = text.replace(/^[^/]*\//, ''); // dns://authority/host:port
  }
  const authority = text.split(/[/?#]/)[0].replace(/^[^@]*@/, '');
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  if (!m) return undefined;
  const host = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  const port = m[2] !== undefined ? Number(m[2]) : scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined;
  if (!host || port === undefined || !Number.isInteger(port)) return undefined;
  return { scheme, host, port };
}

/** The port a listener's endpoint binds (`0.0.0.0:4317`, `:4317`, `[::]:4317`, `${env:HOST}:4317`). */
export function listenerPort(listener: Listener, getEnv: (name: string) => string | undefined): number | undefined {
  let endpoint = listener.endpoint;
  if (endpoint.includes('${')) {
    const expanded = expandValue(endpoint, getEnv);
    const port = /:(\d+)$/.exec(endpoint)?.[1];
    if (expanded.kind === 'substituted' && expanded.value !== undefined) endpoint = expanded.value;
    else if (port) return Number(port); // `${env:MY_POD_IP}:4317`: the host is unknown, the port is not
    else return undefined;
  }
  const m = /:(\d+)$/.exec(endpoint.trim());
  return m ? Number(m[1]) : undefined;
}

export interface PairedListener {
  collector: WorkspaceCollector;
  listener: Listener;
}

/**
 * Every receiver listener of the workspace an endpoint may reach (other than in `excludePath`): those on
 * its port. Host names are not resolved here, so `endpoint.host` does not narrow the list yet; it is in
 * the signature for pairing by Kubernetes Service names.
 */
export function listenersFor(workspace: WorkspaceIndex, endpoint: { host: string; port: number }, getEnv: (name: string) => string | undefined, excludePath?: string): PairedListener[] {
  const found: PairedListener[] = [];
  for (const collector of workspace.collectors()) {
    if (collector.path === excludePath) continue;
    for (const listener of collector.model.listeners) {
      if (listener.protocol === 'other') continue;
      if (listenerPort(listener, getEnv) === endpoint.port) found.push({ collector, listener });
    }
  }
  return found;
}

/** The information that an endpoint pairs with no listener, so its handshake is not judged (silence is not "fine"). */
export function noListenerMessage(endpoint: { host: string; port: number }, what: string): string {
  return `${what} (${endpoint.host}:${endpoint.port}) pairs with no receiver listener of the workspace (none listens on port ${endpoint.port}), so its TLS handshake is not judged here. Open the Collector config that serves it in the workspace (or add it to the CLI's paths) to have it checked.`;
}

/** The one listener of the workspace on `port` (other than in `excludePath`), or undefined when none or several. */
export function listenerOnPort(workspace: WorkspaceIndex, port: number, getEnv: (name: string) => string | undefined, excludePath?: string): PairedListener | undefined {
  const found: PairedListener[] = [];
  for (const collector of workspace.collectors()) {
    if (collector.path === excludePath) continue;
    for (const listener of collector.model.listeners) {
      if (listener.protocol === 'other') continue;
      if (listenerPort(listener, getEnv) === port) found.push({ collector, listener });
    }
  }
  return found.length === 1 ? found[0] : undefined;
}

export function listenerName(paired: PairedListener): string {
  const base = paired.collector.path.split(/[\\/]/).pop();
  return `receiver ${paired.listener.component.id} (${paired.listener.protocol}) on ${paired.listener.endpoint} in ${base}`;
}

/**
 * Host names for the development server certificate, taken from the workspace: the hosts that
 * env files and collector exporters connect to, the receivers' bind hosts, then localhost and 127.0.0.1.
 */
import { readEntry } from '../model/tlsValues';
import { SIGNALS, signalSettings } from '../sources/envFile';
import type { WorkspaceIndex } from '../model/workspace';

const WILDCARD_BINDS = new Set(['', '0.0.0.0', '::', '[::]']);

export function suggestedHosts(workspace: WorkspaceIndex, getEnv: (name: string) => string | undefined): string[] {
  const hosts: string[] = [];
  const add = (host: string | undefined) => {
    if (host && !WILDCARD_BINDS.has(host) && !host.includes('${') && !hosts.includes(host)) hosts.push(host);
  };
  for (const env of workspace.envFiles()) {
    for (const signal of SIGNALS) add(hostOf(signalSettings(env.model, signal).endpoint?.value));
  }
  for (const collector of workspace.collectors()) {
    for (const exporter of collector.model.exporters) {
      const value = exporter.endpoint && readEntry(exporter.endpoint, getEnv);
      if (value && typeof value.known === 'string') add(hostOf(value.known));
    }
    for (const listener of collector.model.listeners) add(hostOf(listener.endpoint));
  }
  add('localhost');
  add('127.0.0.1');
  return hosts;
}

/** The host of `https://h:4317/x`, `h:4317`, `dns:///h:4317` or `[::1]:4317`. */
export function hostOf(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  const withoutScheme = endpoint.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/\/?/i, '');
  const authority = withoutScheme.split('/')[0];
  const bracketed = /^\[([^\]]+)\]/.exec(authority);
  if (bracketed) return bracketed[1];
  return authority.replace(/:\d*$/, '') || undefined;
}

/**
 * Host names for the development server certificate, taken from the workspace: the hosts that
 * apps and collector exporters connect to, the receivers' bind hosts, then localhost and 127.0.0.1.
 */
import { SIGNALS, signalSettings } from '../model/appSettings';
import { hostOf } from '../model/endpoint';
import { readEntry } from '../model/tlsValues';
import type { WorkspaceIndex } from '../model/workspace';

const WILDCARD_BINDS = new Set(['', '0.0.0.0', '::', '[::]']);

export function suggestedHosts(workspace: WorkspaceIndex, getEnv: (name: string) => string | undefined): string[] {
  const hosts: string[] = [];
  const add = (host: string | undefined) => {
    if (host && !WILDCARD_BINDS.has(host) && !host.includes('${') && !hosts.includes(host)) hosts.push(host);
  };
  for (const app of workspace.apps()) {
    for (const signal of SIGNALS) add(hostOf(signalSettings(app.unit, signal).endpoint?.value));
  }
  for (const collector of workspace.collectors()) {
    for (const exporter of collector.unit.model.exporters) {
      const value = exporter.endpoint && readEntry(exporter.endpoint, getEnv);
      if (value && typeof value.known === 'string') add(hostOf(value.known));
    }
    for (const listener of collector.unit.model.listeners) add(hostOf(listener.endpoint));
  }
  add('localhost');
  add('127.0.0.1');
  return hosts;
}

/**
 * `otlpTls.addPathMapping` (from the file-not-found quick fix): adds `from` → `to` to the
 * workspace's `otlpTls.pathMappings`, keeping the mappings already there. The server re-checks
 * every open file when the setting changes.
 */
import * as vscode from 'vscode';
import { CONFIGURATION_SECTION } from '../../../server/src/protocol';

export interface PathMappingArguments {
  /** The folder as written in configs (`/etc/otel/certs`). */
  from: string;
  /** The local folder, relative to the first workspace folder or absolute. */
  to: string;
}

export async function addPathMapping(args?: PathMappingArguments): Promise<void> {
  if (!args?.from || !args.to) return;
  const configuration = vscode.workspace.getConfiguration(CONFIGURATION_SECTION);
  const current = configuration.inspect<Record<string, string>>('pathMappings')?.workspaceValue ?? {};
  if (current[args.from] === args.to) return;
  await configuration.update('pathMappings', { ...current, [args.from]: args.to }, vscode.ConfigurationTarget.Workspace);
  void vscode.window.showInformationMessage(`OTLP TLS: ${args.from} now maps to ${args.to} (otlpTls.pathMappings in the workspace settings).`);
}

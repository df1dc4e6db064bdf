/** VS Code entry point: start the language client and register the commands. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ADD_PATH_MAPPING_COMMAND, GENERATE_CERTIFICATES_COMMAND, SHOW_TLS_MAP_COMMAND, workspaceTrustedNotification, type GenerateCertificatesArguments } from '../../server/src/protocol';
import { addPathMapping, type PathMappingArguments } from './commands/addPathMapping';
import { generateDevCertificates } from './commands/generateDevCertificates';
import { createLanguageClient } from './languageClient';
import { registerTlsMapSerializer, TlsMapPanel } from './tlsMap/tlsMapPanel';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const languageClient = createLanguageClient(context);
  client = languageClient;
  let started!: (value: unknown) => void;
  const running = new Promise((resolve) => (started = resolve));
  context.subscriptions.push(
    registerTlsMapSerializer(context, languageClient, running),
    vscode.commands.registerCommand(GENERATE_CERTIFICATES_COMMAND, (args?: GenerateCertificatesArguments) => generateDevCertificates(languageClient, args)),
    vscode.commands.registerCommand(ADD_PATH_MAPPING_COMMAND, (args?: PathMappingArguments) => addPathMapping(args)),
    vscode.commands.registerCommand(SHOW_TLS_MAP_COMMAND, () => TlsMapPanel.show(context, languageClient)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void languageClient.sendNotification(workspaceTrustedNotification)),
  );
  try {
    await languageClient.start();
  } finally {
    started(undefined);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * The language client: which documents go to the server, over stdio, and which files are watched.
 *
 * stdio, not Node's IPC channel: the server writes its messages itself on a stream (server/src/server.ts,
 * messageEncoding.ts), a publishDiagnostics message from each diagnostic's kept JSON in a reused buffer,
 * so an edit costs what it changed; over IPC, Node serializes every message whole (JSON.stringify of the
 * whole list: half of an edit's cost at 5,000 lines). The server is started as every other client starts
 * it (`node dist/server.js --stdio`: Neovim, the bench), so VS Code users get what is measured.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CONFIGURATION_SECTION, WATCHED_CONTAINER_GLOB, WATCHED_DOTENV_GLOB, WATCHED_FILE_GLOB, type ClientSettings, type InitializationOptions } from '../../server/src/protocol';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The yaml language id stays Red Hat's: we only add diagnostics to it, so both extensions coexist.
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'dotenv' },
      { scheme: 'file', language: 'shellscript' },
      { scheme: 'file', pattern: '**/{.env,.env.*,*.env}' },
      // Dockerfiles (`dockerfile` language, and the names it does not cover) and Java properties files.
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,*.Dockerfile,Dockerfile.*,Containerfile.*}' },
      { scheme: 'file', language: 'properties' },
      { scheme: 'file', language: 'java-properties' },
      { scheme: 'file', pattern: '**/*.properties' },
    ],
    synchronize: {
      configurationSection: CONFIGURATION_SECTION,
      // Certificates and other configs changing on disk re-validate the open files that use them.
      fileEvents: [vscode.workspace.createFileSystemWatcher(WATCHED_FILE_GLOB), vscode.workspace.createFileSystemWatcher(WATCHED_DOTENV_GLOB), vscode.workspace.createFileSystemWatcher(WATCHED_CONTAINER_GLOB)],
    },
    // In restricted mode the server reads no file outside the workspace folders (see trustedFileSystem.ts).
    initializationOptions: { settings: clientSettings(), trusted: vscode.workspace.isTrusted, watches: true } satisfies InitializationOptions,
  };
  return new LanguageClient('otlpTls', 'OTLP TLS', serverOptions, clientOptions);
}

/** `otlpTls.*` as the server reads it (later changes go through workspace/configuration). */
function clientSettings(): ClientSettings {
  const configuration = vscode.workspace.getConfiguration(CONFIGURATION_SECTION);
  return {
    pathMappings: configuration.get<Record<string, string>>('pathMappings'),
    expiryWarningDays: configuration.get<number>('expiryWarningDays'),
    environment: configuration.get<Record<string, string>>('environment'),
    sdk: configuration.get<string>('sdk'),
  };
}

/**
 * The language server, composed from parts by concern (as yaml-language-server's
 * languageserver/handlers/ are):
 * - handlers/serverSettings.ts: the client's settings, the workspace folders, trust, and the
 *   Runtime the core gets (its file system guarded in restricted mode: trustedFileSystem.ts);
 * - handlers/validationQueue.ts: coalesced validation, pushed diagnostics;
 * - handlers/workspaceHandlers.ts: the workspace scan, folders, files changed on disk, trust;
 * - handlers/languageHandlers.ts: hover, completion, code actions, document links;
 * - handlers/customRequests.ts: the requests of protocol.ts (certificates, suggested hosts...);
 * - handlers/tlsMapHandlers.ts: the TLS map request and its change notification;
 * - handlers/runSafe.ts: every request runs cancellable, and answers empty rather than failing.
 * workspaceState.ts holds what the server knows of the workspace; service/ is the core.
 */
import { CodeActionKind, DidChangeWatchedFilesNotification, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Runtime } from './service/runtime';
import { PROJECT_CONFIG_FILE } from './service/project/configFile';
import { WorkspaceState } from './workspaceState';
import { registerCustomRequests } from './handlers/customRequests';
import { registerLanguageHandlers } from './handlers/languageHandlers';
import { registerTlsMap } from './handlers/tlsMapHandlers';
import { FeatureRunner } from './handlers/runSafe';
import { ServerSettings } from './handlers/serverSettings';
import { ValidationQueue } from './handlers/validationQueue';
import { listenToWorkspaceFolders, registerWorkspaceHandlers, WorkspaceScan } from './handlers/workspaceHandlers';
import { FileSweep } from './handlers/fileSweep';
import { VersionDeltas } from './handlers/versionDeltas';
import { WATCHED_CONTAINER_GLOB, WATCHED_DOTENV_GLOB, WATCHED_FILE_GLOB } from './protocol';

export function startServer(connection: Connection, baseRuntime: Runtime): void {
  const documents = new TextDocuments(TextDocument);
  const settings = new ServerSettings(connection);
  const runtime = settings.runtime(baseRuntime);
  const state = new WorkspaceState(runtime, () => settings.core());
  const runner = new FeatureRunner(connection);
  const validation = new ValidationQueue(connection, documents, state, runner);
  const scan = new WorkspaceScan(state, settings, validation, runner);
  const sweep = new FileSweep(state, settings, validation, runner);
  // What each edit changed, so requests on a document slow to parse are answered from its parsed version (handlers/parsedView.ts).
  const deltas = new VersionDeltas();

  connection.onInitialize((params): InitializeResult => {
    settings.initialize(params);
    // The scan starts once the answer is out (it needs only the folders and the trust, known now).
    setImmediate(() => scan.scan(settings.roots));
    return { capabilities: CAPABILITIES, serverInfo: { name: 'otlp-tls-lens' } };
  });
  connection.onInitialized(async () => {
    listenToWorkspaceFolders(connection, settings, state, scan, validation);
    // .otlp-tls.yaml changes how every file is checked: clients that watch what servers name (Neovim)
    // report it too (VS Code's client already watches every *.yaml).
    // A client that does not watch them itself is asked to watch the certificates and configs too; what no
    // watcher covers is swept (handlers/fileSweep.ts).
    if (settings.canWatchFiles) {
      const watchers = [{ globPattern: `**/${PROJECT_CONFIG_FILE}` }, ...(settings.watchesFiles ? [] : [WATCHED_FILE_GLOB, WATCHED_DOTENV_GLOB, WATCHED_CONTAINER_GLOB].map((globPattern) => ({ globPattern })))];
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers })
        .then(() => {
          settings.watchesFiles = true;
        })
        .catch(() => undefined);
    }
    sweep.start();
    if (await settings.refresh()) {
      state.invalidateAll();
      validation.all();
    }
  });
  connection.onDidChangeConfiguration(async (change) => {
    await settings.changed(change);
    state.invalidateAll();
    validation.all();
  });

  documents.onDidChangeContent((event) => {
    deltas.changed(event.document);
    validation.contentChanged(event.document);
  });
  documents.onDidClose((event) => {
    deltas.closed(event.document.uri);
    validation.closed(event.document);
  });
  registerWorkspaceHandlers(connection, settings, state, scan, validation);
  registerLanguageHandlers(connection, documents, state, runner, deltas);
  registerCustomRequests({ connection, documents, settings, state, runtime, runner, validation, scan, deltas });
  registerTlsMap(connection, state, runner);

  documents.listen(connection);
  connection.listen();
}

const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  hoverProvider: true,
  documentLinkProvider: { resolveProvider: false },
  // `/` continues a file path being typed.
  completionProvider: { triggerCharacters: ['"', ' ', '=', ',', '/'] },
};

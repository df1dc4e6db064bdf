/**
 * LSP glue: documents in, pushed diagnostics out. Every handler is short: find the document,
 * ask the workspace state for the parsed model, call the core.
 */
import { CodeActionKind, TextDocumentSyncKind, TextDocuments, type Connection, type Diagnostic, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { isAbsolute, resolve } from 'node:path';
import { isSdkId } from './service/sdk/sdks';
import { CONFIGURATION_SECTION, FILES_WRITTEN_NOTIFICATION, SUGGESTED_HOSTS_REQUEST, WIRE_CERTIFICATES_REQUEST, WORKSPACE_TRUSTED_NOTIFICATION, type ClientSettings } from './protocol';
import { wireCertificateEdits, type GeneratedPaths } from './service/certificates/wireCertificates';
import { isShellScriptPath } from './service/sources/envFile';
import { toDiagnostic } from './service/diagnostics';
import type { Runtime } from './service/runtime';
import { defaultSettings, type Settings } from './service/settings';
import { WorkspaceState } from './workspaceState';
import { trustedFileSystem } from './trustedFileSystem';

export function startServer(connection: Connection, baseRuntime: Runtime): void {
  const documents = new TextDocuments(TextDocument);
  let clientSettings: ClientSettings = {};
  let roots: string[] = [];
  let supportsConfiguration = false;
  let hasWorkspaceFolderEvents = false;
  // VS Code says whether the workspace is trusted; other clients have no such notion.
  let trusted = true;

  const runtime: Runtime = {
    ...baseRuntime,
    fileSystem: trustedFileSystem(baseRuntime.fileSystem, () => trusted, () => roots),
    getEnv: (name) => clientSettings.environment?.[name] ?? baseRuntime.getEnv(name),
  };
  const settings = (): Settings => ({
    ...defaultSettings,
    workspaceRoots: roots,
    expiryWarningDays: clientSettings.expiryWarningDays ?? defaultSettings.expiryWarningDays,
    ...(isSdkId(clientSettings.sdk) ? { sdk: clientSettings.sdk } : {}),
    pathMappings: Object.entries(clientSettings.pathMappings ?? {}).map(([from, to]) => ({
      from: from.replace(/\/+$/, '') || '/',
      to: isAbsolute(to) ? to : resolve(roots[0] ?? process.cwd(), to),
    })),
  });
  const state = new WorkspaceState(runtime, settings);

  connection.onInitialize((params): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    roots = folders.filter((uri) => uri.startsWith('file:')).map((uri) => URI.parse(uri).fsPath);
    supportsConfiguration = !!params.capabilities.workspace?.configuration;
    hasWorkspaceFolderEvents = !!params.capabilities.workspace?.workspaceFolders;
    const options = params.initializationOptions as { settings?: ClientSettings; trusted?: boolean } | undefined;
    clientSettings = options?.settings ?? {};
    trusted = options?.trusted ?? true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        documentLinkProvider: { resolveProvider: false },
        // `/` continues a file path being typed.
        completionProvider: { triggerCharacters: ['"', ' ', '=', ',', '/'] },
      },
      serverInfo: { name: 'otlp-tls-lens' },
    };
  });

  connection.onInitialized(async () => {
    await refreshSettings();
    state.scan(roots);
    scheduleAll();
    if (hasWorkspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => URI.parse(f.uri).fsPath));
        const added = event.added.filter((f) => f.uri.startsWith('file:')).map((f) => URI.parse(f.uri).fsPath);
        roots = [...roots.filter((root) => !removed.has(root)), ...added];
        state.scan(added);
        state.invalidateAll();
        scheduleAll();
      });
    }
  });

  async function refreshSettings(): Promise<void> {
    if (!supportsConfiguration) return;
    try {
      const value = (await connection.workspace.getConfiguration(CONFIGURATION_SECTION)) as ClientSettings | null;
      if (value) clientSettings = value;
    } catch {
      // A client that announced configuration but fails to answer: keep what we have.
    }
  }

  // Validation is queued per document and runs off the message loop, so a slow document never
  // delays the answers for others; a newer version replaces a queued one.
  const queued = new Set<string>();
  let draining = false;
  function schedule(uri: string): void {
    queued.add(uri);
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  }
  function scheduleAll(): void {
    for (const document of documents.all()) schedule(document.uri);
  }
  function drain(): void {
    const [uri] = queued;
    if (uri === undefined) {
      draining = false;
      return;
    }
    queued.delete(uri);
    const document = documents.get(uri);
    if (document) publish(document);
    setImmediate(drain);
  }

  function publish(document: TextDocument): void {
    let diagnostics: Diagnostic[];
    try {
      const problems = state.validate(document);
      diagnostics = problems.map((p) => toDiagnostic(document, p));
    } catch (error) {
      connection.console.error(`otlp-tls: checking ${document.uri} failed: ${(error as Error).stack ?? error}`);
      diagnostics = [];
    }
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  }

  documents.onDidOpen((e) => {
    state.documentChanged(e.document);
    schedule(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    const crossFile = state.documentChanged(e.document);
    schedule(e.document.uri);
    // A collector or env file can change what other open files pair with.
    if (crossFile) for (const other of documents.all()) if (other.uri !== e.document.uri) schedule(other.uri);
  });
  documents.onDidClose((e) => {
    state.documentClosed(e.document);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDidChangeConfiguration(async (change) => {
    const pushed = (change.settings as Record<string, ClientSettings> | null)?.[CONFIGURATION_SECTION];
    if (pushed) clientSettings = pushed;
    else await refreshSettings();
    state.invalidateAll();
    scheduleAll();
  });

  connection.onNotification(WORKSPACE_TRUSTED_NOTIFICATION, () => {
    trusted = true;
    state.invalidateAll();
    scheduleAll();
  });

  connection.onRequest(SUGGESTED_HOSTS_REQUEST, () => state.suggestedHosts());
  connection.onRequest(WIRE_CERTIFICATES_REQUEST, ({ uri, paths }: { uri: string; paths: GeneratedPaths }) =>
    withDocument(uri, [], (d) => state.withFeatures(d, (_, { path, parsed }) => (parsed ? wireCertificateEdits(d, parsed, paths, runtime.getEnv, isShellScriptPath(path ?? uri)) : []))),
  );

  // Editor features: find the document, let the workspace state hand over the parsed model, call the core.
  function withDocument<T>(uri: string, fallback: T, run: (document: TextDocument) => T): T {
    const document = documents.get(uri);
    return document ? run(document) : fallback;
  }
  connection.onCodeAction((p) => withDocument(p.textDocument.uri, [], (d) => state.withFeatures(d, (core, o) => core.getCodeActions(d, p.context.diagnostics, o))));
  connection.onHover((p) => withDocument(p.textDocument.uri, null, (d) => state.withFeatures(d, (core, o) => core.getHover(d, p.position, o))));
  connection.onCompletion((p) => withDocument(p.textDocument.uri, [], (d) => state.withFeatures(d, (core, o) => core.getCompletions(d, p.position, o))));
  connection.onDocumentLinks((p) => withDocument(p.textDocument.uri, [], (d) => state.withFeatures(d, (core, o) => core.getDocumentLinks(d, o))));

  connection.onDidChangeWatchedFiles((change) => {
    for (const event of change.changes) state.fileChangedOnDisk(URI.parse(event.uri).fsPath);
    scheduleAll();
  });
  connection.onNotification(FILES_WRITTEN_NOTIFICATION, ({ paths }: { paths: string[] }) => {
    for (const path of Array.isArray(paths) ? paths : []) if (typeof path === 'string') state.fileChangedOnDisk(path);
    scheduleAll();
  });

  documents.listen(connection);
  connection.listen();
}

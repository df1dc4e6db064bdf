/**
 * What the server was told about its situation: the client's settings (`otlpTls.*`), the workspace
 * folders and whether the workspace is trusted. It turns them into the core's Settings and gives
 * the core a Runtime whose file system keeps to the workspace while it is not trusted.
 */
import type { Connection, DidChangeConfigurationParams, InitializeParams } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { isAbsolute, resolve } from 'node:path';
import { CONFIGURATION_SECTION, type ClientSettings, type InitializationOptions } from '../protocol';
import type { Runtime } from '../service/runtime';
import { isSdkId } from '../service/sdk/sdks';
import { defaultSettings, type Settings } from '../service/settings';
import { trustedFileSystem, WorkspaceGuard } from '../trustedFileSystem';

export class ServerSettings {
  private client: ClientSettings = {};
  /** Workspace folders, absolute paths (file: URIs only). */
  roots: string[] = [];
  /** VS Code says whether the workspace is trusted; other clients have no such notion. */
  trusted = true;
  private supportsConfiguration = false;
  hasWorkspaceFolderEvents = false;
  /** The client can watch files the server names (dynamic registration of workspace/didChangeWatchedFiles). */
  canWatchFiles = false;
  /**
   * The client reports changes of the watched globs inside the workspace folders: it said so
   * (InitializationOptions.watches), or it took the server's registration of them.
   */
  watchesFiles = false;
  /** Inside/outside the workspace folders, on real paths (restricted mode). */
  readonly guard = new WorkspaceGuard(() => this.roots);

  constructor(private readonly connection: Connection) {}

  initialize(params: InitializeParams): void {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = fileFolders(folders);
    this.supportsConfiguration = !!params.capabilities.workspace?.configuration;
    this.hasWorkspaceFolderEvents = !!params.capabilities.workspace?.workspaceFolders;
    this.canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    // The values are checked where they are used (core(), runtime()): a client may send anything.
    this.client = isObject(options.settings) ? (options.settings as ClientSettings) : {};
    this.trusted = options.trusted !== false;
    this.watchesFiles = options.watches === true;
  }

  /** The Runtime the core gets: `base` with the guarded file system and the `otlpTls.environment` values. */
  runtime(base: Runtime): Runtime {
    return {
      ...base,
      fileSystem: trustedFileSystem(base.fileSystem, () => this.trusted, this.guard),
      getEnv: (name) => {
        const value = this.client.environment?.[name];
        return typeof value === 'string' ? value : base.getEnv(name);
      },
    };
  }

  /** The core's settings, from the client's. */
  core(): Settings {
    const { expiryWarningDays, sdk, pathMappings, maxProblemsPerFile } = this.client;
    return {
      ...defaultSettings,
      workspaceRoots: this.roots,
      expiryWarningDays: typeof expiryWarningDays === 'number' && expiryWarningDays >= 0 ? expiryWarningDays : defaultSettings.expiryWarningDays,
      ...(isSdkId(sdk) ? { sdk } : {}),
      ...(typeof maxProblemsPerFile === 'number' && Number.isInteger(maxProblemsPerFile) && maxProblemsPerFile >= 0 ? { maxProblemsPerFile } : {}),
      pathMappings: Object.entries(isObject(pathMappings) ? pathMappings : {})
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([from, to]) => ({
          from: from.replace(/\/+$/, '') || '/',
          to: isAbsolute(to) ? to : resolve(this.roots[0] ?? process.cwd(), to),
        })),
    };
  }

  /** Asks the client for the settings (when it can answer workspace/configuration); true when they changed. */
  async refresh(): Promise<boolean> {
    if (!this.supportsConfiguration) return false;
    try {
      const value: unknown = await this.connection.workspace.getConfiguration(CONFIGURATION_SECTION);
      if (!isObject(value) || JSON.stringify(value) === JSON.stringify(this.client)) return false;
      this.client = value as ClientSettings;
      return true;
    } catch {
      // A client that announced configuration but fails to answer: keep what we have.
      return false;
    }
  }

  /** workspace/didChangeConfiguration: the pushed settings, or ask for them. */
  async changed(change: DidChangeConfigurationParams): Promise<void> {
    const pushed: unknown = isObject(change.settings) ? (change.settings as Record<string, unknown>)[CONFIGURATION_SECTION] : undefined;
    if (isObject(pushed)) this.client = pushed as ClientSettings;
    else await this.refresh();
  }

  /** Workspace folders added and removed; returns the added ones (absolute paths). */
  foldersChanged(added: readonly { uri: string }[], removed: readonly { uri: string }[]): string[] {
    const gone = new Set(fileFolders(removed.map((f) => f.uri)));
    const fresh = fileFolders(added.map((f) => f.uri));
    this.roots = [...this.roots.filter((root) => !gone.has(root)), ...fresh];
    return fresh;
  }
}

function fileFolders(uris: readonly string[]): string[] {
  return uris.filter((uri) => typeof uri === 'string' && uri.startsWith('file:')).map((uri) => URI.parse(uri).fsPath);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

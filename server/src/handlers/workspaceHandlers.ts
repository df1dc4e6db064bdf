/**
 * The workspace on disk: the scan of the workspace folders for collector configs and env files,
 * folders added and removed, files changed on disk, and the workspace becoming trusted.
 *
 * The scan reads and parses the files in slices of a few milliseconds and steps aside while requests
 * wait, so a large workspace never holds up hover or completion; validation starts once the first scan
 * is done, so each open document's first diagnostics pair it with every file of the workspace.
 * In restricted mode it does not enter mount points below the folders (see trustedFileSystem.ts);
 * the files it finds are read through the guarded file system like any other.
 */
import type { Connection } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { filesWrittenNotification, workspaceTrustedNotification } from '../protocol';
import type { WorkspaceState } from '../workspaceState';
import { candidateFiles, isDirectory } from '../workspaceFiles';
import type { FeatureRunner } from './runSafe';
import type { ServerSettings } from './serverSettings';
import type { ValidationQueue } from './validationQueue';

/** A scan slice: this long at most before it lets the event loop answer requests. */
const SLICE_MS = 8;

export class WorkspaceScan {
  /** Files read by the scans. */
  scannedFiles = 0;
  /** True once every scan asked for has finished. */
  done = false;
  private readonly pending: string[] = [];
  private running = false;

  constructor(
    private readonly state: WorkspaceState,
    private readonly settings: ServerSettings,
    private readonly validation: ValidationQueue,
    private readonly runner: FeatureRunner,
  ) {}

  /** Scans these folders (after any scan under way); validation is released when all are done. */
  scan(roots: readonly string[]): void {
    this.pending.push(...roots);
    this.done = false;
    if (!this.running) void this.run();
  }

  /** Restricted mode does not enter a mount point below a workspace folder (it may show any folder). */
  private enterFolder(path: string): boolean {
    return this.settings.trusted || !this.settings.guard.isMountPoint(path);
  }

  /** Whether a symlink leads to a folder; in restricted mode asked of the guard, so a link that leads outside is not even statted. */
  private isFolder(path: string): boolean {
    if (this.settings.trusted) return isDirectory(path);
    try {
      const real = this.settings.guard.resolve(path);
      return real.inside && real.exists && isDirectory(real.path);
    } catch {
      return false; // cannot be examined: reading it says why
    }
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      let sliceStart = performance.now();
      for (let root = this.pending.shift(); root !== undefined; root = this.pending.shift()) {
        for (const path of candidateFiles(root, { enterFolder: (path) => this.enterFolder(path), isFolder: (path) => this.isFolder(path) })) {
          this.state.fileChangedOnDisk(path);
          // Parsed now, in the slice: the first validation then finds every file of the index parsed.
          this.state.parseFile(path);
          this.scannedFiles++;
          if (this.runner.busy || performance.now() - sliceStart > SLICE_MS) {
            await new Promise((resolve) => setTimeout(resolve, this.runner.busy ? 1 : 0));
            sliceStart = performance.now();
          }
        }
      }
    } catch (error) {
      this.runner.failed('workspace scan', error);
    } finally {
      this.running = false;
      this.done = true;
      this.validation.release();
      this.validation.all();
    }
  }
}

/** Registers the workspace's notifications: watched files, files written, trust (folders: `listenToWorkspaceFolders`). */
export function registerWorkspaceHandlers(connection: Connection, settings: ServerSettings, state: WorkspaceState, scan: WorkspaceScan, validation: ValidationQueue): void {
  connection.onDidChangeWatchedFiles((change) => {
    for (const event of Array.isArray(change?.changes) ? change.changes : []) {
      if (typeof event?.uri === 'string' && event.uri.startsWith('file:')) state.fileChangedOnDisk(URI.parse(event.uri).fsPath);
    }
    validation.all();
  });

  connection.onNotification(filesWrittenNotification, (params) => {
    const paths: unknown[] = Array.isArray(params?.paths) ? params.paths : [];
    for (const path of paths) if (typeof path === 'string') state.fileChangedOnDisk(path);
    validation.all();
  });

  connection.onNotification(workspaceTrustedNotification, () => {
    if (settings.trusted) return;
    settings.trusted = true;
    state.invalidateAll();
    // What restricted mode left out (files in mount points, reads refused) is read now.
    scan.scan(settings.roots);
    validation.all();
  });
}

/** Folders added and removed (after `initialized`, when the client announced the events). */
export function listenToWorkspaceFolders(connection: Connection, settings: ServerSettings, state: WorkspaceState, scan: WorkspaceScan, validation: ValidationQueue): void {
  if (!settings.hasWorkspaceFolderEvents) return;
  connection.workspace.onDidChangeWorkspaceFolders((event) => {
    const added = settings.foldersChanged(event.added, event.removed);
    state.invalidateAll();
    scan.scan(added);
    validation.all();
  });
}

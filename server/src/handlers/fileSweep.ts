/**
 * The files no watcher reports. The core keeps what it learnt of each path it looked at (a stat, a
 * certificate's contents: service/fileFacts.ts) until the server says the path changed. The client's
 * watcher says so for the watched globs inside the workspace folders (VS Code's client watches them;
 * another client does when it lets the server register them); every other path the core knows (a
 * certificate outside the folders, an absolute container path, a file with another name) is asked
 * again by this sweep: every SWEEP_INTERVAL_MS, in slices that step aside while requests wait. A path
 * that changed re-validates the open documents.
 */
import { isAbsolute, relative } from 'node:path';
import picomatch from 'picomatch';
import { WATCHED_CONTAINER_GLOB, WATCHED_DOTENV_GLOB, WATCHED_FILE_GLOB } from '../protocol';
import type { WorkspaceState } from '../workspaceState';
import type { FeatureRunner } from './runSafe';
import type { ServerSettings } from './serverSettings';
import type { ValidationQueue } from './validationQueue';

export const SWEEP_INTERVAL_MS = 2_000;
const SLICE_MS = 5;

const isWatchedName = picomatch([WATCHED_FILE_GLOB, WATCHED_DOTENV_GLOB, WATCHED_CONTAINER_GLOB], { dot: true, windows: false });

export class FileSweep {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  /** Paths found changed by the sweeps (for tests and the statistics). */
  changedFiles = 0;

  constructor(
    private readonly state: WorkspaceState,
    private readonly settings: ServerSettings,
    private readonly validation: ValidationQueue,
    private readonly runner: FeatureRunner,
    private readonly intervalMs = SWEEP_INTERVAL_MS,
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether the client reports changes of `path` (a watched name inside a workspace folder). */
  watched(path: string): boolean {
    if (!this.settings.watchesFiles) return false;
    return this.settings.roots.some((root) => {
      const rel = relative(root, path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && isWatchedName(rel.split('\\').join('/'));
    });
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.sweep(), this.intervalMs);
    this.timer.unref?.();
  }

  /** One pass over the known paths that no watcher reports. */
  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    let changed = false;
    try {
      let sliceStart = performance.now();
      for (const path of this.state.knownFiles()) {
        if (this.watched(path)) continue;
        if (this.state.recheckFile(path)) {
          changed = true;
          this.changedFiles++;
        }
        if (this.runner.busy || performance.now() - sliceStart > SLICE_MS) {
          await new Promise((resolve) => setTimeout(resolve, this.runner.busy ? 1 : 0));
          sliceStart = performance.now();
        }
      }
    } catch (error) {
      this.runner.failed('file sweep', error);
    } finally {
      this.running = false;
      if (changed) this.validation.all();
      this.schedule();
    }
  }
}

/**
 * What the core knows of the file system, per path, for the life of a language service: the answer of
 * `stat` (a missing file and a failing stat included), asked once per distinct path and kept until the
 * adapter says the path may have changed (`changed`: the server's file watcher and its sweep of paths
 * no watcher covers; the CLI never does, a run being one moment). Certificate contents are then read
 * only when a path's size or mtime differs from the parsed copy's (certificates/certificateFiles.ts).
 *
 * Every path looked at is recorded while a recording is open (`record`), with the version of its fact,
 * so the language service can keep a check's problems while the facts it read stand (checkCache.ts).
 */
import type { FileStat, FileSystem } from './runtime';

type Fact = { stat: FileStat | undefined } | { error: unknown };

/** The facts a computation read: the generation it ran in, and each path with its fact's version. */
export interface FactsRead {
  epoch: number;
  generation: number;
  paths: Map<string, number>;
}

export class FileFacts {
  /** The file system the core is given: `stat` answered from the facts; reads recorded. */
  readonly fileSystem: FileSystem;
  private readonly facts = new Map<string, Fact>();
  private readonly versions = new Map<string, number>();
  /** Bumped whenever a fact is dropped: what read none of the dropped paths is still valid. */
  private generationCount = 0;
  /** Bumped by changedAll: nothing recorded before it stands. */
  private epoch = 0;
  private readonly recordings: Map<string, number>[] = [];

  constructor(private readonly base: FileSystem) {
    this.fileSystem = {
      stat: (path) => this.stat(path),
      readFile: (path) => {
        this.note(path);
        return base.readFile(path);
      },
      ...(base.readDirectory ? { readDirectory: (path: string) => base.readDirectory!(path) } : {}),
    };
  }

  get generation(): number {
    return this.generationCount;
  }

  stat(path: string): FileStat | undefined {
    this.note(path);
    let fact = this.facts.get(path);
    if (!fact) {
      try {
        fact = { stat: this.base.stat(path) };
      } catch (error) {
        fact = { error };
      }
      this.facts.set(path, fact);
    }
    if ('error' in fact) throw fact.error;
    return fact.stat;
  }

  /** `path` may have changed on disk: its fact is asked again next time. */
  changed(path: string): void {
    this.versions.set(path, this.versionOf(path) + 1);
    this.facts.delete(path);
    this.generationCount++;
  }

  /** Everything may have changed (a new workspace folder, trust): every fact is asked again. */
  changedAll(): void {
    this.epoch++;
    this.facts.clear();
    this.generationCount++;
  }

  /** The paths with a fact, for a sweep that asks them again (`recheck`). */
  known(): string[] {
    return [...this.facts.keys()];
  }

  /** Asks the file system about `path` again; true (and the fact replaced) when the answer differs. */
  recheck(path: string): boolean {
    const fact = this.facts.get(path);
    if (!fact) return false;
    let now: Fact;
    try {
      now = { stat: this.base.stat(path) };
    } catch (error) {
      now = { error };
    }
    if (sameFact(fact, now)) return false;
    this.changed(path);
    this.facts.set(path, now);
    return true;
  }

  versionOf(path: string): number {
    return this.versions.get(path) ?? 0;
  }

  /** Runs `work`, recording the paths it looked at. */
  record<T>(work: () => T): { value: T; read: FactsRead } {
    const paths = new Map<string, number>();
    const generation = this.generationCount;
    this.recordings.push(paths);
    try {
      return { value: work(), read: { epoch: this.epoch, generation, paths } };
    } finally {
      this.recordings.pop();
    }
  }

  /** Whether what `read` recorded is still what the facts say. */
  stands(read: FactsRead): boolean {
    if (read.epoch !== this.epoch) return false;
    if (read.generation === this.generationCount) return true;
    for (const [path, version] of read.paths) if (this.versionOf(path) !== version) return false;
    return true;
  }

  private note(path: string): void {
    const n = this.recordings.length;
    if (n === 0) return;
    const version = this.versionOf(path);
    // Nested recordings (a check inside a check's computation) all see the path.
    for (let i = 0; i < n; i++) this.recordings[i].set(path, version);
  }
}

function sameFact(a: Fact, b: Fact): boolean {
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b && String((a as { error: unknown }).error) === String((b as { error: unknown }).error);
  if (!a.stat || !b.stat) return a.stat === b.stat;
  return a.stat.kind === b.stat.kind && a.stat.size === b.stat.size && a.stat.mtimeMs === b.stat.mtimeMs && a.stat.mode === b.stat.mode;
}

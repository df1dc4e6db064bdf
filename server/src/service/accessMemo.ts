/**
 * A computation of a FileAccess kept while everything it read stands: the environment variables it asked
 * for, the `stat` of each path it looked at or read, the minute of the clock when it read the clock, and the
 * settings, caches and cluster it was given. Each use after the first asks those inputs again through the
 * access it is given (the facts answer a `stat` without the file system), so a check that reuses a kept
 * value reads what it would have read (checkCache.ts records those reads to keep the check's problems), and
 * any change is a new computation (a value must not depend on anything else: not on `noteRelated`). Kept by two objects (a listener and its collector: a new parse of their
 * file is new objects), weakly.
 *
 * The server end of a listener (certificates/receiverEnd.ts) is one: it depends on the listener, its
 * files and settings, never on the exporter paired with it. A config of 2,000 exporters sending to the
 * same 10 listeners judged those 10 server ends 20,000 times per edit, 3.5 s of CPU (fuzz case 1000067 of
 * seed 1, in the 200-case workspace).
 */
import type { FileAccess } from './caches';
import { CLOCK_GRAIN_MS } from './checkCache';
import type { FileStat, FileSystem, Runtime } from './runtime';

interface Kept<T> {
  value: T;
  settings: FileAccess['settings'];
  caches: FileAccess['caches'];
  cluster: FileAccess['cluster'];
  container: FileAccess['container'];
  env: Map<string, string | undefined>;
  stats: Map<string, string>;
  minute?: number;
}

export class AccessMemo<T> {
  private readonly kept = new WeakMap<object, WeakMap<object, Map<string, Kept<T>>>>();
  /** Computations run and kept values used, for tests. */
  computed = 0;
  reused = 0;

  get(first: object, second: object, third: string, access: FileAccess, compute: (access: FileAccess) => T): T {
    let bySecond = this.kept.get(first);
    const known = bySecond?.get(second)?.get(third);
    if (known && stands(known, access)) {
      this.reused++;
      return known.value;
    }
    this.computed++;
    const env = new Map<string, string | undefined>();
    const stats = new Map<string, string>();
    let clock = false;
    let listed = false;
    const runtime = access.runtime;
    const fileSystem = runtime.fileSystem;
    const statOf = (path: string) => {
      if (!stats.has(path)) stats.set(path, statPrint(fileSystem, path));
    };
    const recording: Runtime = {
      ...runtime,
      getEnv: (name) => {
        const value = runtime.getEnv(name);
        env.set(name, value);
        return value;
      },
      now: () => {
        clock = true;
        return runtime.now();
      },
      fileSystem: {
        ...fileSystem,
        stat: (path) => {
          statOf(path);
          return fileSystem.stat(path);
        },
        readFile: (path) => {
          statOf(path);
          return fileSystem.readFile(path);
        },
        ...(fileSystem.readDirectory
          ? {
              readDirectory: (path: string) => {
                listed = true;
                return fileSystem.readDirectory!(path);
              },
            }
          : {}),
      } satisfies FileSystem,
    };
    const value = compute({ ...access, runtime: recording });
    // A listing is not kept as a fact: what read one is computed again each time.
    if (listed) return value;
    if (!bySecond) this.kept.set(first, (bySecond = new WeakMap()));
    let byThird = bySecond.get(second);
    if (!byThird) bySecond.set(second, (byThird = new Map()));
    byThird.set(third, { value, settings: access.settings, caches: access.caches, cluster: access.cluster, container: access.container, env, stats, ...(clock ? { minute: minuteOf(runtime.now()) } : {}) });
    return value;
  }
}

function stands<T>(known: Kept<T>, access: FileAccess): boolean {
  if (known.settings !== access.settings || known.caches !== access.caches || known.cluster !== access.cluster || known.container !== access.container) return false;
  const runtime = access.runtime;
  for (const [name, value] of known.env) if (runtime.getEnv(name) !== value) return false;
  for (const [path, print] of known.stats) if (statPrint(runtime.fileSystem, path) !== print) return false;
  return known.minute === undefined || minuteOf(runtime.now()) === known.minute;
}

function minuteOf(date: Date): number {
  return Math.floor(date.getTime() / CLOCK_GRAIN_MS);
}

/** What `stat` says of `path`, as text: its kind, size, mtime and mode, none, or the error it threw. */
function statPrint(fileSystem: FileSystem, path: string): string {
  let stat: FileStat | undefined;
  try {
    stat = fileSystem.stat(path);
  } catch (error) {
    return `error ${String(error)}`;
  }
  return stat ? `${stat.kind} ${stat.size} ${stat.mtimeMs} ${stat.mode}` : 'none';
}

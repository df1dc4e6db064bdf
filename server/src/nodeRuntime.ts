/** The real Runtime: Node's file system, the wall clock and the process environment. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { FileStat, Runtime } from './service/runtime';

export function nodeRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  return {
    fileSystem: {
      stat(path: string): FileStat | undefined {
        try {
          // A missing file is an answer, not an exception (throwing and catching one per missing path was a
          // measurable part of a validation).
          const s = statSync(path, { throwIfNoEntry: false });
          if (!s) return undefined;
          return { kind: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', size: s.size, mtimeMs: s.mtimeMs, mode: s.mode & 0o777 };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
          throw error;
        }
      },
      readFile: (path: string) => readFileSync(path),
      readDirectory: (path: string) => readdirSync(path),
    },
    now: () => new Date(),
    getEnv: (name: string) => env[name],
  };
}

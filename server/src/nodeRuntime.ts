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

/** Decodes file bytes as UTF-8; `valid` is false when bytes had to be replaced. */
export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), valid: true };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), valid: false };
  }
}

/** An in-memory Runtime for core tests: files, modes and mtimes in a Map (folders implied by the paths), a fixed clock, a fixed env. */
import type { FileStat, Runtime } from '../../server/src/service/runtime';

export interface MemoryFile {
  contents: string | Uint8Array;
  mode?: number;
  mtimeMs?: number;
  kind?: 'file' | 'directory' | 'other';
}

export function memoryRuntime(options: { files?: Record<string, string | Uint8Array | MemoryFile>; now?: Date; env?: Record<string, string> } = {}): Runtime & { reads: string[] } {
  const files = new Map<string, MemoryFile>();
  for (const [path, value] of Object.entries(options.files ?? {})) {
    files.set(path, typeof value === 'string' || value instanceof Uint8Array ? { contents: value } : value);
  }
  const reads: string[] = [];
  /** A folder that holds files but was not listed itself (`/w` for `/w/ca.crt`). */
  const isImplicitDirectory = (path: string) => {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const key of files.keys()) if (key.startsWith(prefix)) return true;
    return false;
  };
  return {
    reads,
    fileSystem: {
      stat(path: string): FileStat | undefined {
        const file = files.get(path);
        if (!file) return isImplicitDirectory(path) ? { kind: 'directory', size: 0, mtimeMs: 0, mode: 0o755 } : undefined;
        const bytes = typeof file.contents === 'string' ? Buffer.byteLength(file.contents) : file.contents.length;
        return { kind: file.kind ?? 'file', size: bytes, mtimeMs: file.mtimeMs ?? 0, mode: file.mode ?? 0o644 };
      },
      readFile(path: string): Uint8Array {
        const file = files.get(path);
        if (!file) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
        if (file.kind === 'directory') throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
        reads.push(path);
        return typeof file.contents === 'string' ? Buffer.from(file.contents) : file.contents;
      },
      readDirectory(path: string): string[] {
        const prefix = path.endsWith('/') ? path : `${path}/`;
        if (!isImplicitDirectory(path) && files.get(path)?.kind !== 'directory') throw Object.assign(new Error(`ENOENT: no such file or directory, scandir '${path}'`), { code: 'ENOENT' });
        const names = new Set<string>();
        for (const key of files.keys()) if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]);
        return [...names].filter(Boolean).sort();
      },
    },
    now: () => options.now ?? new Date('2026-06-01T00:00:00Z'),
    getEnv: (name: string) => options.env?.[name],
  };
}

/**
 * What the pure core may ask of the outside world. The LSP server and the CLI pass
 * `nodeRuntime()`; tests pass an in-memory file system and a fixed clock.
 */

/** The kind of a file system entry, as `lstat`/`stat` would say. */
export type FileKind = 'file' | 'directory' | 'other';

export interface FileStat {
  kind: FileKind;
  size: number;
  mtimeMs: number;
  /** POSIX permission bits (`mode & 0o777`); undefined where the platform has none. */
  mode?: number;
}

/**
 * Synchronous on purpose: the core only reads regular files after `stat` said they are
 * regular and small, so a read never waits on a FIFO or a device.
 */
export interface FileSystem {
  /** undefined when the path does not exist. Throws when it cannot be examined. */
  stat(path: string): FileStat | undefined;
  /** Throws on any error (permission, vanished file...). */
  readFile(path: string): Uint8Array;
  /**
   * The names of a directory's entries (not recursive, no `.`/`..`). Optional: without it, the
   * features that look for files in the workspace (quick fixes, path completion) find none.
   * Throws when the directory cannot be read. Callers bound the walk (see workspaceSearch.ts).
   */
  readDirectory?(path: string): string[];
}

export interface Runtime {
  fileSystem: FileSystem;
  /** The clock certificates are judged against. A function value, passed on unbound. */
  now: () => Date;
  /** Environment variables used to resolve `${env:VAR}` in collector configs. A function value, passed on unbound. */
  getEnv: (name: string) => string | undefined;
}

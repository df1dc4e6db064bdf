/**
 * The one way a source file (a collector config, an env file, and every format of sources/) is read
 * from disk, by the CLI and by the server's workspace scan alike: stat first, so a directory, FIFO or
 * device is never opened; one size limit; UTF-8 decoding. What goes wrong is a problem on the file
 * (`file-unreadable`, `file-too-large`, `invalid-encoding`), never a throw. The same size limit holds
 * for a document open in the editor (`sizeProblem`, called by the language service).
 */
import type { Problem } from './languageTypes';
import type { FileSystem } from './runtime';

/** Larger source files get one `file-too-large` problem instead of a check that could take seconds. */
export const MAX_SOURCE_FILE_SIZE = 2 * 1024 * 1024;

export type SourceFile =
  /** Read and decoded; `problems` holds `invalid-encoding` when bytes had to be replaced. */
  | { status: 'read'; text: string; problems: Problem[] }
  /** Not there (any more). */
  | { status: 'missing' }
  /** Not read: not a regular file, too large, or unreadable; `problem` says which. */
  | { status: 'not-read'; problem: Problem };

export function readSourceFile(fileSystem: FileSystem, path: string): SourceFile {
  let bytes: Uint8Array;
  try {
    const stat = fileSystem.stat(path);
    if (!stat) return { status: 'missing' };
    if (stat.kind !== 'file') return notRead(`${path} is ${stat.kind === 'directory' ? 'a directory' : 'not a regular file (a FIFO, socket or device)'}; it was not read.`);
    const tooLarge = sizeProblem(stat.size);
    if (tooLarge) return { status: 'not-read', problem: tooLarge };
    bytes = fileSystem.readFile(path);
  } catch (error) {
    return notRead(`${path} cannot be read (${describeFileError(error)}).`);
  }
  // A file that grew between stat and read is judged by what was read.
  const tooLarge = sizeProblem(bytes.byteLength);
  if (tooLarge) return { status: 'not-read', problem: tooLarge };
  const decoded = decodeUtf8(bytes);
  return {
    status: 'read',
    text: decoded.text,
    problems: decoded.valid ? [] : [{ code: 'invalid-encoding', offset: 0, length: 0, message: 'This file is not valid UTF-8; undecodable bytes were replaced before checking.' }],
  };
}

/** `file-too-large` for a source of `size` bytes (characters, for an open document), else undefined. */
export function sizeProblem(size: number): Problem | undefined {
  if (size <= MAX_SOURCE_FILE_SIZE) return undefined;
  return {
    code: 'file-too-large',
    offset: 0,
    length: 0,
    message: `This file is ${(size / 1048576).toFixed(1)} MB; files over ${MAX_SOURCE_FILE_SIZE / 1048576} MB are not checked.`,
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

/** Why a file system call failed, for messages: "permission denied", "it is a directory", or the error code. */
export function describeFileError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'it is a directory';
  if (e?.code) return e.code;
  return e?.message ?? String(error);
}

function notRead(message: string): SourceFile {
  return { status: 'not-read', problem: { code: 'file-unreadable', offset: 0, length: 0, message } };
}

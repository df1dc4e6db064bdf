/**
 * The file system the server gives the core: in an untrusted workspace (VS Code's restricted
 * mode) nothing outside the workspace folders is read; such a path is reported as unreadable
 * with the reason, and reading resumes once the user trusts the workspace.
 */
import { isAbsolute, relative } from 'node:path';
import type { FileSystem } from './service/runtime';

export function trustedFileSystem(base: FileSystem, isTrusted: () => boolean, roots: () => readonly string[]): FileSystem {
  const guard = (path: string) => {
    if (isTrusted() || roots().some((root) => isInside(path, root))) return;
    throw new Error(`${path} is outside the workspace, and files outside it are not read until the workspace is trusted`);
  };
  return {
    stat: (path) => (guard(path), base.stat(path)),
    readFile: (path) => (guard(path), base.readFile(path)),
    ...(base.readDirectory ? { readDirectory: (path: string) => (guard(path), base.readDirectory!(path)) } : {}),
  };
}

export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Finding files in the workspace through `runtime.fileSystem.readDirectory` (optional: without it
 * nothing is found), for quick fixes (a missing certificate's namesake elsewhere) and path completion.
 * Bounded: breadth-first so nearer files come first, no node_modules/.git, a depth limit, a cap on
 * the directory entries looked at and on the files returned. Symlinked folders are followed only
 * as far as the same bounds allow.
 */
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Runtime } from './runtime';

export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git']);

export interface SearchLimits {
  /** Directory entries looked at (each is one `stat`), over all folders. */
  maxEntries: number;
  /** Files returned. */
  maxFiles: number;
  /** Folder levels below a start folder. */
  maxDepth: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxEntries: 5000, maxFiles: 2000, maxDepth: 8 };

/**
 * Files below the `starts` folders (in that order, each walked breadth-first), without duplicates,
 * that `accept` takes (by file name), within `limits`.
 */
export function findFiles(runtime: Runtime, starts: readonly string[], accept: (name: string, path: string) => boolean = () => true, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): string[] {
  const readDirectory = runtime.fileSystem.readDirectory?.bind(runtime.fileSystem);
  if (!readDirectory) return [];
  const found: string[] = [];
  const seenFiles = new Set<string>();
  const seenFolders = new Set<string>();
  let entries = 0;
  for (const start of starts) {
    if (!start || seenFolders.has(start)) continue;
    const queue: { folder: string; depth: number }[] = [{ folder: start, depth: 0 }];
    seenFolders.add(start);
    while (queue.length > 0) {
      const { folder, depth } = queue.shift()!;
      let names: string[];
      try {
        names = readDirectory(folder);
      } catch {
        continue; // unreadable or vanished: skip, as editors do
      }
      for (const name of [...names].sort()) {
        if (++entries > limits.maxEntries) return found;
        const path = join(folder, name);
        let kind: string | undefined;
        try {
          kind = runtime.fileSystem.stat(path)?.kind;
        } catch {
          continue;
        }
        if (kind === 'directory') {
          if (SKIPPED_FOLDERS.has(name) || depth >= limits.maxDepth || seenFolders.has(path)) continue;
          seenFolders.add(path);
          queue.push({ folder: path, depth: depth + 1 });
        } else if (kind === 'file' && !seenFiles.has(path) && accept(name, path)) {
          seenFiles.add(path);
          found.push(path);
          if (found.length >= limits.maxFiles) return found;
        }
      }
    }
  }
  return found;
}

/** Where to look for files a document may name: its own folder first (nearest matches first), then the workspace roots. */
export function searchFolders(referringPath: string, workspaceRoots: readonly string[]): string[] {
  return [...(isAbsolute(referringPath) ? [dirname(referringPath)] : []), ...workspaceRoots];
}

/** `target` as a document at `referringPath` writes it: relative to the document's folder, with `/` separators. */
export function pathFrom(referringPath: string, target: string): string {
  const path = isAbsolute(referringPath) ? relative(dirname(referringPath), target) : target;
  return sep === '\\' ? path.replace(/\\/g, '/') : path;
}

/** Finding the files the product checks, on disk (CLI folders, the server's workspace scan). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isSourcePath } from './service/sources/detect';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
/** A workspace walk stops here, so a huge tree cannot stall the server or the CLI. */
export const MAX_WALKED_FILES = 20_000;

/** A file some source reads (by its name; its content decides). */
export function isCandidatePath(path: string): boolean {
  return isSourcePath(path);
}

export interface WalkOptions {
  /** Directory entries looked at, over the whole walk (default MAX_WALKED_FILES). */
  limit?: number;
  /** Whether to go into a folder below the root (restricted mode keeps out of mount points). */
  enterFolder?: (path: string) => boolean;
  /** Whether a symlink leads to a folder (default: stat it; restricted mode asks its guard instead). */
  isFolder?: (path: string) => boolean;
}

/**
 * Candidate files below `root` (a folder), folder by folder (entries sorted), one folder read per
 * step, so a caller can pause between steps; symlinked folders are not followed.
 */
export function* candidateFiles(root: string, options: WalkOptions = {}): Generator<string, void, undefined> {
  const limit = options.limit ?? MAX_WALKED_FILES;
  let seen = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      continue; // unreadable folder: skip, as editors do
    }
    const folders: string[] = [];
    for (const entry of entries) {
      if (++seen > limit) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && (options.enterFolder?.(path) ?? true)) folders.push(path);
      } else if (isCandidatePath(path) && !(entry.isSymbolicLink() && (options.isFolder ?? isDirectory)(path))) {
        // Anything not a folder counts, FIFOs, devices and links to files included: reading
        // (readSourceFile) says what each one is, so nothing named like a config is silently skipped.
        yield path;
      }
    }
    stack.push(...folders.reverse());
  }
}

/** Candidate files below `root` (a folder), sorted; symlinked folders are not followed. */
export function walkCandidates(root: string, limit = MAX_WALKED_FILES): string[] {
  return [...candidateFiles(root, { limit })].sort();
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Finding the files the product checks, on disk (CLI folders, the server's workspace scan). */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { isSourcePath } from './service/sources/detect';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
/** A workspace walk stops here, so a huge tree cannot stall the server or the CLI. */
export const MAX_WALKED_FILES = 20_000;

/** A file some source reads (by its name; its content decides). */
export function isCandidatePath(path: string): boolean {
  return isSourcePath(path);
}

/**
 * Candidate files below `root` (a folder), sorted; symlinked folders are not followed. Anything that
 * is not a folder counts, FIFOs, devices and links to files included: reading (readSourceFile) says
 * what each one is, so nothing named like a config is silently skipped.
 */
export function walkCandidates(root: string, limit = MAX_WALKED_FILES): string[] {
  const found: string[] = [];
  let seen = 0;
  const visit = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: skip, as editors do
    }
    for (const entry of entries) {
      if (++seen > limit) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) visit(path);
      } else if (isCandidatePath(path) && !(entry.isSymbolicLink() && isDirectory(path))) {
        found.push(path);
      }
    }
  };
  visit(root);
  return found.sort();
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Finding the files the product checks, on disk (CLI folders, the server's workspace scan). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isEnvFilePath } from './service/sources/envFile';
import { isYamlPath } from './service/languageService';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
/** A workspace walk stops here, so a huge tree cannot stall the server or the CLI. */
export const MAX_WALKED_FILES = 20_000;

export function isCandidatePath(path: string): boolean {
  return isYamlPath(path) || isEnvFilePath(path);
}

/** Candidate files below `root` (a folder), sorted; symlinked folders are not followed. */
export function walkCandidates(root: string, limit = MAX_WALKED_FILES): string[] {
  const found: string[] = [];
  let seen = 0;
  const visit = (dir: string) => {
    let entries;
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
      } else if (entry.isFile() && isCandidatePath(path)) {
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

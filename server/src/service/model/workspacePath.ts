/** How messages name another file: by its path in the workspace folder that holds it, never by its base name alone. */
import { isAbsolute, relative, sep } from 'node:path';

/** `path` relative to the first of `roots` that holds it, with `/` separators; absolute when none does. */
export function workspacePath(path: string, roots: readonly string[]): string {
  for (const root of roots) {
    const rel = relative(root, path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  }
  return path;
}

/**
 * The globs of `.otlp-tls.yaml` (`ignore`, the folders and globs of `sdk`), matched with picomatch.
 * One meaning for both, as in .gitignore:
 * - a pattern is relative to the folder of the `.otlp-tls.yaml` that holds it (`./x` and `/x` too:
 *   a leading `/` anchors it there);
 * - `*`, `?`, `[…]` stay within a name, `**` crosses folders, `{a,b}` alternates; a name starting
 *   with a dot matches like any other (`.env*` matches `.env` and `.env.production`, `*` matches `.env`);
 * - a pattern without `/` (and not anchored) matches a name at any depth: `*.env`, `vendor`;
 * - a pattern that matches a folder covers everything below it: `test/fixtures` is `test/fixtures/**`.
 */
import picomatch from 'picomatch';

export interface PathPattern {
  /** As written in the file. */
  source: string;
  /** Whether `relative` (a `/`-separated path from the pattern's folder, without `./`) or a folder above it matches. */
  matches(relative: string): boolean;
}

export function pathPattern(source: string): PathPattern {
  let glob = source.trim().replace(/^\.\/+/, '');
  const anchored = glob.startsWith('/');
  glob = glob.replace(/^\/+/, '').replace(/\/+$/, '');
  if (glob === '' || glob === '.') glob = '**';
  const test = picomatch(glob, { dot: true, basename: !anchored && !glob.includes('/'), windows: false });
  return {
    source,
    matches(relative) {
      const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
      if (parts.length === 0 || parts[0] === '..') return false;
      // The path itself, then each folder above it, nearest first.
      for (let end = parts.length; end > 0; end--) if (test(parts.slice(0, end).join('/'))) return true;
      return false;
    },
  };
}

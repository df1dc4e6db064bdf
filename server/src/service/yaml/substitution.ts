/**
 * The Collector's value expansion (`confmap/expand.go`): `${env:VAR}`, `${VAR}` (default scheme env),
 * `${env:VAR:-default}`, nesting, `$$` escapes. `$VAR` without braces is literal.
 * Helm `{{ ... }}` templates are treated as unknown values too.
 */

export interface Reference {
  /** The whole `${...}` text. */
  text: string;
  scheme: string;
  /** For env references: the variable name. */
  name: string;
  defaultValue?: string;
}

export type ExpandedValue =
  /** No substitution: the value as the Collector sees it (`$$` already collapsed). */
  | { kind: 'literal'; value: string }
  /**
   * Holds references; `value` is set when every reference could be resolved. `tooMany`: more than
   * MAX_REFERENCES, so the value is not expanded (every reference counts as unresolved).
   */
  | { kind: 'substituted'; references: Reference[]; value?: string; unresolved: Reference[]; tooMany?: true }
  /** A template expression (`{{ }}`) that only a templating tool resolves. */
  | { kind: 'template' };

const REFERENCE = /\$\{([^${}]*)\}/;

/**
 * References expanded in one value (a real one holds one to three). Each pass of the expansion copies the
 * value, so without a bound a value of 20,000 references costs 20,000 copies of it.
 */
export const MAX_REFERENCES = 100;

export function holdsSubstitution(text: string): boolean {
  return text.includes('${') || text.includes('{{');
}

/**
 * Expands a scalar value. `getEnv` answers environment variables (undefined when unset).
 * Only `env` references can be resolved here; other schemes (`file:`, `http:`...) stay unresolved.
 */
export function expandValue(text: string, getEnv: (name: string) => string | undefined): ExpandedValue {
  if (holdsTemplate(text)) return { kind: 'template' };
  if (!text.includes('${')) return { kind: 'literal', value: text.replace(/\$\$/g, '$') };

  const references: Reference[] = [];
  const unresolved: Reference[] = [];
  let current = text;
  // Innermost first, as the Collector does (its own bound is 1000 passes).
  for (;;) {
    const match = findUnescaped(current);
    if (!match) break;
    if (references.length >= MAX_REFERENCES) return { kind: 'substituted', references, unresolved: references, tooMany: true };
    const reference = parseReference(match[0], match[1]);
    references.push(reference);
    let replacement: string | undefined;
    if (reference.scheme === 'env') {
      replacement = getEnv(reference.name) ?? reference.defaultValue;
    }
    if (replacement === undefined) {
      unresolved.push(reference);
      // Replace with a marker without `$` so the scan goes on to outer references.
      replacement = '\u0000';
    }
    current = current.slice(0, match.index) + replacement + current.slice(match.index! + match[0].length);
  }
  if (references.length === 0) return { kind: 'literal', value: text.replace(/\$\$/g, '$') };
  if (unresolved.length > 0) return { kind: 'substituted', references, unresolved };
  return { kind: 'substituted', references, unresolved, value: current.replace(/\$\$/g, '$') };
}

/** `{{` with `}}` after it (what /\{\{.*\}\}/s finds, without its quadratic backtracking on many `{{`). */
function holdsTemplate(text: string): boolean {
  const open = text.indexOf('{{');
  return open >= 0 && text.indexOf('}}', open + 2) >= 0;
}

/** Finds a `${...}` whose `$` is not escaped (an odd number of `$` before `{` counts as `$$`+ref). */
function findUnescaped(text: string): RegExpExecArray | undefined {
  const re = new RegExp(REFERENCE.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let dollars = 0;
    for (let i = m.index - 1; i >= 0 && text[i] === '$'; i--) dollars++;
    if (dollars % 2 === 0) return m;
  }
  return undefined;
}

function parseReference(whole: string, inner: string): Reference {
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]+):(.*)$/s.exec(inner);
  const scheme = schemeMatch ? schemeMatch[1] : 'env';
  const opaque = schemeMatch ? schemeMatch[2] : inner;
  if (scheme !== 'env') return { text: whole, scheme, name: opaque };
  const split = opaque.indexOf(':-');
  return split >= 0
    ? { text: whole, scheme, name: opaque.slice(0, split), defaultValue: opaque.slice(split + 2) }
    : { text: whole, scheme, name: opaque };
}

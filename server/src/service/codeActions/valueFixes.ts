/**
 * Value fixes: replace the value a diagnostic sits on with each allowed value of `data`
 * (kind `values`): `invalid-value`, `weak-tls-version`, and the version-order `tls-conflict`.
 * YAML keeps the scalar's quote style and quotes where a plain scalar would change type
 * (`min_version: "1.2"`); env files keep the value's quotes.
 * `invalid-value` also: a quoted boolean (data `yaml-source`) loses its quotes, and a comma-separated
 * cipher_suites string with spaces (data `split-list`) becomes a YAML list or loses its spaces.
 */
import { isMap, isScalar, visit, type Document, type Pair, type Scalar } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { dataOf, type FixContext, type Fixer } from './fixContext';
import { indentAt, lineStartOf, offsetsOf, quickFix, replaceEdit, scalarAt, yamlValue } from './edits';

/** Keys whose values are TLS versions, which the Collector reads only as strings. */
const VERSION_KEYS = new Set(['min_version', 'max_version']);

export const valuesFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'values');
  if (data) return setValueFixes(diagnostic, context, data.values, data.values.length === 1 ? data.values[0] : undefined);
  const source = dataOf(diagnostic, 'yaml-source');
  if (source) return sourceFix(diagnostic, context, source.source);
  const list = dataOf(diagnostic, 'split-list');
  if (list) return splitListFixes(diagnostic, context, list.items);
  return quoteVersionFix(diagnostic, context);
};

/**
 * weak-tls-version on a min_version/max_version value: "1.2" is the smallest change that keeps every
 * current client working. The handshake's finding sits on the client's endpoint and carries no data:
 * the versions to change are in the receiver's file, so nothing is offered there.
 */
export const weakVersionFix: Fixer = (diagnostic, context) => {
  const values = dataOf(diagnostic, 'values')?.values;
  if (!values) return [];
  return setValueFixes(diagnostic, context, values, values.includes('1.2') ? '1.2' : undefined);
};

export function setValueFixes(diagnostic: Diagnostic, context: FixContext, values: readonly string[], preferred?: string): CodeAction[] {
  const { document, parsed, text } = context;
  const [start, end] = offsetsOf(document, diagnostic);
  const actions: CodeAction[] = [];
  if (parsed.kind === 'collector') {
    const scalar = scalarAt(parsed.model.doc, start);
    if (!scalar?.range) return [];
    const key = keyOf(parsed.model.doc, scalar);
    for (const value of values) {
      const written = yamlValue(value, scalar);
      if (written === text.slice(scalar.range[0], scalar.range[1])) continue;
      actions.push(quickFix(`Change ${key ?? 'the value'} to ${written}`, diagnostic, document.uri, [replaceEdit(document, scalar.range[0], scalar.range[1], written)], value === preferred));
    }
  } else if (parsed.kind === 'env') {
    const entry = parsed.model.entries.find((e) => e.valueOffset === start && e.valueOffset + e.valueLength === end);
    if (!entry) {
      // Not a variable: a bare word, such as the SDK named in a `# otlp-tls: sdk=` comment.
      const written = text.slice(start, end);
      return values.filter((v) => v !== written).map((v) => quickFix(`Change ${written || 'it'} to ${v}`, diagnostic, document.uri, [replaceEdit(document, start, end, v)], v === preferred));
    }
    const raw = text.slice(start, end);
    const quote = entry.quoted && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]) ? raw[0] : '';
    for (const value of values) {
      if (value === entry.value) continue;
      actions.push(quickFix(`Set ${entry.name}=${value}`, diagnostic, document.uri, [replaceEdit(document, start, end, `${quote}${value}${quote}`)], value === preferred));
    }
  }
  return actions;
}

/** `min_version: 1.2` is a number to YAML; the Collector wants the string "1.2". */
function quoteVersionFix(diagnostic: Diagnostic, { document, parsed }: FixContext): CodeAction[] {
  if (parsed.kind !== 'collector') return [];
  const [start] = offsetsOf(document, diagnostic);
  const scalar = scalarAt(parsed.model.doc, start);
  if (!scalar?.range || typeof scalar.value !== 'number' || !VERSION_KEYS.has(keyOf(parsed.model.doc, scalar) ?? '')) return [];
  const source = scalar.source ?? String(scalar.value);
  const quoted = JSON.stringify(source);
  return [quickFix(`Quote the version: ${quoted}`, diagnostic, document.uri, [replaceEdit(document, scalar.range[0], scalar.range[1], quoted)], true)];
}

/** A quoted "true" where a boolean belongs: the value written as `source` (`true`), in place. */
function sourceFix(diagnostic: Diagnostic, { document, parsed }: FixContext, source: string): CodeAction[] {
  if (parsed.kind !== 'collector') return [];
  const [start] = offsetsOf(document, diagnostic);
  const scalar = scalarAt(parsed.model.doc, start);
  if (!scalar?.range) return [];
  const key = keyOf(parsed.model.doc, scalar);
  return [quickFix(`Write ${key ? `${key}: ` : ''}${source} without quotes`, diagnostic, document.uri, [replaceEdit(document, scalar.range[0], scalar.range[1], source)], true)];
}

/**
 * A comma-separated string with spaces (cipher_suites: "A, B"): a YAML list of the items, one per
 * line below the key (a flow list `[A, B]` where the key is not on its own line), or the same
 * string without the spaces.
 */
function splitListFixes(diagnostic: Diagnostic, { document, parsed, text }: FixContext, items: string[]): CodeAction[] {
  if (parsed.kind !== 'collector' || items.length === 0) return [];
  const [start] = offsetsOf(document, diagnostic);
  const scalar = scalarAt(parsed.model.doc, start);
  const owner = scalar && pairOf(parsed.model.doc, scalar);
  if (!scalar?.range || !owner?.pair.key.range) return [];
  const key = String(owner.pair.key.value);
  const keyStart = owner.pair.key.range[0];
  const keyEnd = owner.pair.key.range[1];
  const ownLine = /^[ \t]*$/.test(text.slice(lineStartOf(text, keyStart), keyStart));
  const list =
    owner.flow || !ownLine
      ? replaceEdit(document, scalar.range[0], scalar.range[1], `[${items.map((i) => yamlValue(i)).join(', ')}]`)
      : replaceEdit(document, keyEnd, scalar.range[1], `:${items.map((i) => `\n${indentAt(text, keyStart)}  - ${yamlValue(i)}`).join('')}`);
  return [
    quickFix(`Write ${key} as a YAML list`, diagnostic, document.uri, [list], true),
    quickFix(`Remove the spaces: ${yamlValue(items.join(','), scalar)}`, diagnostic, document.uri, [replaceEdit(document, scalar.range[0], scalar.range[1], yamlValue(items.join(','), scalar))]),
  ];
}

/** The key of the pair whose value is `scalar`. */
function keyOf(doc: Document, scalar: Scalar): string | undefined {
  const pair = pairOf(doc, scalar)?.pair;
  return pair ? String(pair.key.value) : undefined;
}

/** The pair whose value is `scalar`, and whether its mapping is a flow mapping. */
function pairOf(doc: Document, scalar: Scalar): { pair: Pair<Scalar, unknown>; flow: boolean } | undefined {
  let found: { pair: Pair<Scalar, unknown>; flow: boolean } | undefined;
  visit(doc, {
    Pair(_, pair, path) {
      if (pair.value === scalar && isScalar(pair.key)) {
        const parent = path[path.length - 1];
        found = { pair: pair as Pair<Scalar, unknown>, flow: isMap(parent) && !!parent.flow };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

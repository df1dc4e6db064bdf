/**
 * Value fixes: replace the value a diagnostic sits on with each allowed value of `data`
 * (kind `values`): `invalid-value`, `weak-tls-version`, and the version-order `tls-conflict`.
 * YAML keeps the scalar's quote style and quotes where a plain scalar would change type
 * (`min_version: "1.2"`); env files keep the value's quotes.
 */
import { isScalar, visit, type Document, type Scalar } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { dataOf, type FixContext, type Fixer } from './fixContext';
import { offsetsOf, quickFix, replaceEdit, scalarAt, yamlValue } from './edits';

/** Keys whose values are TLS versions, which the Collector reads only as strings. */
const VERSION_KEYS = new Set(['min_version', 'max_version']);

export const valuesFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'values');
  if (data) return setValueFixes(diagnostic, context, data.values, data.values.length === 1 ? data.values[0] : undefined);
  return quoteVersionFix(diagnostic, context);
};

/** weak-tls-version: "1.2" is the smallest change that keeps every current client working. */
export const weakVersionFix: Fixer = (diagnostic, context) => {
  const values = dataOf(diagnostic, 'values')?.values ?? ['1.2', '1.3'];
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
    if (!entry) return [];
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

/** The key of the pair whose value is `scalar`. */
function keyOf(doc: Document, scalar: Scalar): string | undefined {
  let key: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (pair.value === scalar && isScalar(pair.key)) {
        key = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return key;
}

/**
 * `unknown-key` with `data.moveUnderTls` (legacyTlsKeys): move a flat pre-v0.36 TLS key of an
 * exporter under its `tls:` block, creating the block where there is none. Other `unknown-key`
 * diagnostics get the rename fixes.
 */
import { isMap, type Scalar } from 'yaml';
import { addToMappingEdit, indentAt, offsetsOf, pairEnd, pairWithKeyAt, quickFix, removePairEdit, replaceEdit } from './edits';
import { dataOf, type Fixer } from './fixContext';
import { renameFix } from './renameFixes';

export const unknownKeyFix: Fixer = (diagnostic, context) => {
  if (!dataOf(diagnostic, 'generic')?.moveUnderTls) return renameFix(diagnostic, context);
  const { document, text, parsed } = context;
  if (parsed.kind !== 'collector') return [];
  const [start] = offsetsOf(document, diagnostic);
  const found = pairWithKeyAt(parsed.model.doc, start);
  if (!found || found.parent.flow) return [];
  const { pair, parent } = found;
  const key = String(pair.key.value);
  const line = text.slice(pair.key.range![0], pairEnd(pair));
  // What moves is the rest of the line, so a trailing comment moves with the key.
  const lineEnd = text.indexOf('\n', pairEnd(pair));
  const withComment = text.slice(pair.key.range![0], lineEnd < 0 ? text.length : lineEnd).trimEnd();
  const tlsPair = parent.items.find((p) => (p.key as Scalar | null)?.value === 'tls');
  const title = `Move ${key} under tls:`;
  if (!tlsPair) {
    // Replace the flat line with a tls: block holding it, at the same place.
    const indent = indentAt(text, pair.key.range![0]);
    return [quickFix(title, diagnostic, document.uri, [replaceEdit(document, pair.key.range![0], pairEnd(pair), `tls:\n${indent}  ${line}`)], true)];
  }
  const tls = tlsPair.value;
  if (isMap(tls) && tls.flow) return [];
  const add = addToMappingEdit(document, text, isMap(tls) ? tls : undefined, (tlsPair.key as Scalar).range?.[0], [withComment]);
  if (!add) return [];
  return [quickFix(title, diagnostic, document.uri, [removePairEdit(document, text, pair, parent), add], true)];
};

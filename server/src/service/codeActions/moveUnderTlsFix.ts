/**
 * `unknown-key` with data `move-under-tls` (legacyTlsKeys): move a flat pre-v0.36 TLS key of an
 * exporter under its `tls:` block, creating the block where there is none. Other `unknown-key`
 * diagnostics get the rename fixes.
 */
import { isMap, type Pair, type Scalar } from 'yaml';
import { indentAt } from '../text';
import { addToMappingEdit, pairEnd, quickFix, removePairEdit } from './edits';
import { collectorEntryAt, dataOf, type Fixer } from './fixContext';
import { renameFix } from './renameFixes';

export const unknownKeyFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'move-under-tls');
  if (!data) return renameFix(diagnostic, context);
  const found = collectorEntryAt(context, data.at);
  if (!found || !('pair' in found.entry) || found.entry.map.flow) return [];
  const { editor } = found;
  const { text } = editor;
  const pair = found.entry.pair as Pair<Scalar, unknown>;
  const parent = found.entry.map;
  const key = String(pair.key.value);
  const line = text.slice(pair.key.range![0], pairEnd(pair));
  // What moves is the rest of the line, so a trailing comment moves with the key.
  const lineEnd = text.indexOf('\n', pairEnd(pair));
  const withComment = text.slice(pair.key.range![0], lineEnd < 0 ? text.length : lineEnd).trimEnd();
  const tlsPair = parent.items.find((p) => (p.key as Scalar | null)?.value === 'tls');
  const title = `Move ${key} under tls:`;
  const uri = context.document.uri;
  if (!tlsPair) {
    // Replace the flat line with a tls: block holding it, at the same place.
    const indent = indentAt(text, pair.key.range![0]);
    return [quickFix(title, diagnostic, uri, [editor.replace(pair.key.range![0], pairEnd(pair), `tls:\n${indent}  ${line}`)], true)];
  }
  const tls = tlsPair.value;
  if (isMap(tls) && tls.flow) return [];
  const add = addToMappingEdit(editor, isMap(tls) ? tls : undefined, (tlsPair.key as Scalar).range?.[0], [withComment]);
  if (!add) return [];
  return [quickFix(title, diagnostic, uri, [removePairEdit(editor, pair, parent), add], true)];
};

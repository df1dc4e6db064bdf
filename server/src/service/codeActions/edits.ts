/**
 * Text-edit helpers for quick fixes: minimal edits (one line added or removed, one scalar replaced)
 * so comments, indentation and the rest of the file stay as written. A fixer edits one unit: it
 * computes offsets in the unit's text, and its UnitEditor turns them into edits of the file.
 */
import { isMap, isPair, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { rangeOf } from '../diagnostics';
import type { TextChange, Unit } from '../model/units';
import { indentAt, lineStartOf, nextLineStart } from '../text';

export const QUICKFIX = 'quickfix';

/** A `quickfix` code action editing one document. */
export function quickFix(title: string, diagnostic: Diagnostic, uri: string, edits: TextEdit[], isPreferred = false): CodeAction {
  const action: CodeAction = { title, kind: QUICKFIX, diagnostics: [diagnostic], edit: { changes: { [uri]: edits } } };
  if (isPreferred) action.isPreferred = true;
  return action;
}

/** Edits of one unit, in its offsets, as edits of the document holding it. */
export interface UnitEditor {
  /** The unit's text (the offsets below are into it). */
  text: string;
  replace(start: number, end: number, newText: string): TextEdit;
  insert(at: number, newText: string): TextEdit;
  /** An edit a unit's source computed (AppEdits). */
  apply(change: TextChange): TextEdit;
}

/**
 * The editor of `unit` in `document`: each edit goes through the unit's offset map, which writes it
 * in the outer file's syntax (the indentation of a block scalar, the escapes of a quoted string). An
 * edit it cannot write there throws, so the fix is not offered (codeActions.ts drops a fixer that throws).
 */
export function unitEditor(document: TextDocument, unit: Unit): UnitEditor {
  const replace = (start: number, end: number, newText: string): TextEdit => {
    const change = unit.offsets.editToFile(start, end - start, newText);
    if (!change) throw new Error('this edit cannot be written in the file that holds the unit');
    return { range: rangeOf(document, change.offset, change.length), newText: change.text };
  };
  return {
    text: unit.text,
    replace,
    insert: (at, newText) => replace(at, at, newText),
    apply: (change) => replace(change.offset, change.offset + change.length, change.text),
  };
}

/** The end of the source of a pair's value (or key when it has none), before a trailing comment. */
export function pairEnd(pair: Pair<Scalar, unknown>): number {
  const value = pair.value as { range?: [number, number, number] } | null;
  return value?.range?.[1] ?? pair.key.range![1];
}

/**
 * Removes a pair. In a block mapping the whole line(s) go when the pair is alone on them; in a
 * flow mapping the pair and one separating comma go.
 */
export function removePairEdit(editor: UnitEditor, pair: Pair<Scalar, unknown>, parent: YAMLMap): TextEdit {
  const { text } = editor;
  const start = pair.key.range![0];
  const end = pairEnd(pair);
  if (parent.flow) {
    const after = /^\s*,\s*/.exec(text.slice(end));
    if (after) return editor.replace(start, end + after[0].length, '');
    const before = /,\s*$/.exec(text.slice(0, start));
    return editor.replace(before ? start - before[0].length : start, end, '');
  }
  const from = lineStartOf(text, start);
  if (/^[ \t]*$/.test(text.slice(from, start))) return editor.replace(from, nextLineStart(text, end), '');
  return editor.replace(start, end, '');
}

/**
 * Adds `lines` (already `key: value`, without indentation) at the end of a block mapping, at the
 * indentation of its keys. For an empty value (`tls:` with nothing after it), `keyOffset` is the
 * owning key, and the lines go below it, two spaces deeper.
 */
export function addToMappingEdit(editor: UnitEditor, mapping: unknown, keyOffset: number | undefined, lines: string[]): TextEdit | undefined {
  const { text } = editor;
  if (isMap(mapping) && mapping.flow) return undefined;
  const pairs = isMap(mapping) ? mapping.items.filter(isPair) : [];
  let indent: string;
  let at: number;
  if (pairs.length > 0) {
    const first = pairs[0].key as Scalar;
    const last = pairs[pairs.length - 1] as Pair<Scalar, unknown>;
    if (!first.range || !last.key.range) return undefined;
    indent = ' '.repeat(first.range[0] - lineStartOf(text, first.range[0]));
    at = nextLineStart(text, pairEnd(last));
  } else if (keyOffset !== undefined) {
    indent = indentAt(text, keyOffset) + '  ';
    at = nextLineStart(text, keyOffset);
  } else {
    return undefined;
  }
  const prefix = at === text.length && !text.endsWith('\n') && text.length > 0 ? '\n' : '';
  return editor.insert(at, prefix + lines.map((l) => `${indent}${l}\n`).join(''));
}

export { yamlValue } from '../yaml/yamlText';

/**
 * Text-edit helpers for quick fixes: find the `yaml` node a diagnostic sits on by its source range,
 * and build minimal edits (one line added or removed, one scalar replaced) so comments,
 * indentation and the rest of the file stay as written.
 */
import { isMap, isPair, isScalar, parse, visit, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { rangeOf } from '../diagnostics';

export const QUICKFIX = 'quickfix';

/** A `quickfix` code action editing one document. */
export function quickFix(title: string, diagnostic: Diagnostic, uri: string, edits: TextEdit[], isPreferred = false): CodeAction {
  const action: CodeAction = { title, kind: QUICKFIX, diagnostics: [diagnostic], edit: { changes: { [uri]: edits } } };
  if (isPreferred) action.isPreferred = true;
  return action;
}

export function replaceEdit(document: TextDocument, start: number, end: number, newText: string): TextEdit {
  return { range: rangeOf(document, start, end - start), newText };
}

export function insertEdit(document: TextDocument, at: number, newText: string): TextEdit {
  return replaceEdit(document, at, at, newText);
}

/** The pair (written in the text, not merged) whose key starts at `offset`. */
export function pairWithKeyAt(doc: Document, offset: number): { pair: Pair<Scalar, unknown>; parent: YAMLMap } | undefined {
  let found: { pair: Pair<Scalar, unknown>; parent: YAMLMap } | undefined;
  visit(doc, {
    Pair(_, pair, path) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        const parent = path[path.length - 1];
        if (isMap(parent)) found = { pair: pair as Pair<Scalar, unknown>, parent };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The scalar (key or value) whose source starts at `offset`. */
export function scalarAt(doc: Document, offset: number): Scalar | undefined {
  let found: Scalar | undefined;
  visit(doc, {
    Scalar(key, node) {
      if (key !== 'key' && node.range?.[0] === offset) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Index just past the `\n` ending the line holding `offset` (the text's end on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
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
export function removePairEdit(document: TextDocument, text: string, pair: Pair<Scalar, unknown>, parent: YAMLMap): TextEdit {
  const start = pair.key.range![0];
  const end = pairEnd(pair);
  if (parent.flow) {
    const after = /^\s*,\s*/.exec(text.slice(end));
    if (after) return replaceEdit(document, start, end + after[0].length, '');
    const before = /,\s*$/.exec(text.slice(0, start));
    return replaceEdit(document, before ? start - before[0].length : start, end, '');
  }
  const from = lineStartOf(text, start);
  if (/^[ \t]*$/.test(text.slice(from, start))) return replaceEdit(document, from, nextLineStart(text, end), '');
  return replaceEdit(document, start, end, '');
}

/** Indentation (spaces) of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const from = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(from))![0];
}

/**
 * Adds `lines` (already `key: value`, without indentation) at the end of a block mapping, at the
 * indentation of its keys. For an empty value (`tls:` with nothing after it), `keyOffset` is the
 * owning key, and the lines go below it, two spaces deeper.
 */
export function addToMappingEdit(document: TextDocument, text: string, mapping: unknown, keyOffset: number | undefined, lines: string[]): TextEdit | undefined {
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
  return insertEdit(document, at, prefix + lines.map((l) => `${indent}${l}\n`).join(''));
}

/**
 * A value as YAML source, keeping the quote style of the scalar it replaces and quoting where a
 * plain scalar would read as something else (`1.2` is a number, the Collector wants the string "1.2").
 */
export function yamlValue(value: string, replacing?: Scalar): string {
  if (replacing?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (replacing?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return plainIsSame(value) ? value : JSON.stringify(value);
}

function plainIsSame(value: string): boolean {
  if (value === '' || /^[\s]|[\s]$|[#:]\s|[\n\r]|^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return false;
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}

/**
 * A path as an env file value: in the quotes the value had (`quote`, '' for none), double-quoted
 * with escapes when a plain or single-quoted value would read differently.
 */
export function envValueText(value: string, quote = ''): string {
  if (quote === "'" && !value.includes("'")) return `'${value}'`;
  if (quote || /[\s#"'$\\`]/.test(value)) return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
  return value;
}

/** The diagnostic's start and end as offsets. */
export function offsetsOf(document: TextDocument, diagnostic: Diagnostic): [number, number] {
  return [document.offsetAt(diagnostic.range.start), document.offsetAt(diagnostic.range.end)];
}

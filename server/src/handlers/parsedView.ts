/**
 * Requests answered from the version of a document that is parsed, when parsing the newer one would be slow
 * (languageHandlers.ts). The parsed version's text is a TextDocument of its own (its version, its text), the
 * features run on it as they would have then, and positions and ranges move between it and the current text
 * through the edits made since (versionDeltas.ts).
 *
 * Slow: the last parse of the document took SLOW_PARSE_MS or more, scaled by how much longer the text is now
 * (a 1 MB paste into a small file is slow to parse, though the small file was not), or the text is LARGE_TEXT.
 * What an edit changed since the parse is not in it: a request there gets the empty answer when more than
 * TYPED characters changed since the parse (a paste, a replacement: waiting would cost a whole parse), and
 * waits for the parse of the current version otherwise (a few keystrokes: what was typed is what is asked about).
 */
import type { CodeAction, CompletionItem, Diagnostic, DocumentLink, Hover, Position, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDelta } from '../service/text/textDelta';
import type { WorkspaceState } from '../workspaceState';
import { spanAfter, spanBefore, type VersionDeltas } from './versionDeltas';

/** A parse this slow (ms of CPU) is not redone for a request. */
export const SLOW_PARSE_MS = 50;
/** A text this long is slow to parse whatever its last parse cost. */
export const LARGE_TEXT = 256 * 1024;
/** Edits since the parse changing at most this many characters are waited for when a request is among them. */
export const TYPED = 256;

export interface ParsedView {
  /** The current version. */
  current: TextDocument;
  /** The parsed version. */
  parsed: TextDocument;
  /** From the parsed version to the current one. */
  deltas: readonly TextDelta[];
  /** Characters the edits since the parse changed (inserted or removed). */
  changed: number;
}

/** The parsed version of `document` to answer from, when it is older and parsing the current one would be slow. */
export function parsedView(state: WorkspaceState, versions: VersionDeltas, document: TextDocument): ParsedView | undefined {
  const parsed = state.parsedVersion(document.uri);
  if (!parsed || parsed.version === document.version) return undefined;
  const length = document.getText().length;
  const expectedMs = parsed.parseMs * Math.max(1, length / Math.max(1, parsed.text.length));
  if (expectedMs < SLOW_PARSE_MS && length < LARGE_TEXT) return undefined;
  const deltas = versions.between(document.uri, parsed.version, document.version);
  if (!deltas) return undefined;
  let changed = 0;
  for (const d of deltas) changed += Math.max(d.oldEnd, d.newEnd) - d.start;
  return { current: document, parsed: TextDocument.create(document.uri, document.languageId, parsed.version, parsed.text), deltas, changed };
}

/** The answer when the place asked about changed since the parse: undefined (parse now) after a few keystrokes, else `empty`. */
function unparsed<T>(view: ParsedView, empty: T): T | undefined {
  return view.changed <= TYPED ? undefined : empty;
}

/** The position on the parsed version, when its line is one no edit touched since. */
function positionBefore(view: ParsedView, position: Position): Position | undefined {
  const { current } = view;
  const offset = current.offsetAt(position);
  const lineStart = current.offsetAt({ line: position.line, character: 0 });
  const lineEnd = position.line + 1 < current.lineCount ? current.offsetAt({ line: position.line + 1, character: 0 }) : current.getText().length;
  const span = spanBefore(view.deltas, lineStart, lineEnd);
  return span ? view.parsed.positionAt(span.start + (offset - lineStart)) : undefined;
}

/** A range of the parsed version on the current text; undefined when an edit touched it. */
export function rangeAfter(view: ParsedView, range: Range): Range | undefined {
  const span = spanAfter(view.deltas, view.parsed.offsetAt(range.start), view.parsed.offsetAt(range.end));
  return span ? { start: view.current.positionAt(span.start), end: view.current.positionAt(span.end) } : undefined;
}

/** A range of the current text on the parsed version; undefined when an edit touched it. */
function rangeBefore(view: ParsedView, range: Range): Range | undefined {
  const span = spanBefore(view.deltas, view.current.offsetAt(range.start), view.current.offsetAt(range.end));
  return span ? { start: view.parsed.positionAt(span.start), end: view.parsed.positionAt(span.end) } : undefined;
}

/** undefined: answer on the current version. */
export function mapHover(view: ParsedView, position: Position, hover: (parsed: TextDocument, at: Position) => Hover | null): Hover | null | undefined {
  const at = positionBefore(view, position);
  if (!at) return unparsed(view, null);
  const answer = hover(view.parsed, at);
  if (!answer?.range) return answer;
  const range = rangeAfter(view, answer.range);
  if (range) return { ...answer, range };
  const { range: _dropped, ...rest } = answer;
  return rest;
}

export function mapCompletions(view: ParsedView, position: Position, complete: (parsed: TextDocument, at: Position) => CompletionItem[]): CompletionItem[] | undefined {
  const at = positionBefore(view, position);
  if (!at) return unparsed(view, []);
  const out: CompletionItem[] = [];
  for (const item of complete(view.parsed, at)) {
    const mapped = mappedItem(view, item);
    if (mapped) out.push(mapped);
  }
  return out;
}

function mappedItem(view: ParsedView, item: CompletionItem): CompletionItem | undefined {
  let textEdit = item.textEdit;
  if (textEdit) {
    if ('range' in textEdit) {
      const range = rangeAfter(view, textEdit.range);
      if (!range) return undefined;
      textEdit = { ...textEdit, range };
    } else {
      const insert = rangeAfter(view, textEdit.insert);
      const replace = rangeAfter(view, textEdit.replace);
      if (!insert || !replace) return undefined;
      textEdit = { ...textEdit, insert, replace };
    }
  }
  const additional = item.additionalTextEdits ? mappedEdits(view, item.additionalTextEdits) : undefined;
  if (item.additionalTextEdits && !additional) return undefined;
  return { ...item, ...(textEdit ? { textEdit } : {}), ...(additional ? { additionalTextEdits: additional } : {}) };
}

function mappedEdits(view: ParsedView, edits: readonly TextEdit[]): TextEdit[] | undefined {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const range = rangeAfter(view, edit.range);
    if (!range) return undefined;
    out.push({ ...edit, range });
  }
  return out;
}

/** Document links on the current text: those of the parsed version that no edit touched. */
export function mapLinks(view: ParsedView, links: readonly DocumentLink[]): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const link of links) {
    const range = rangeAfter(view, link.range);
    if (range) out.push({ ...link, range });
  }
  return out;
}

/**
 * Quick fixes for the client's diagnostics, on the parsed version: each diagnostic whose range no edit touched
 * is moved onto it; the fixes' edits of this document and their diagnostics are moved back (a fix with an edit
 * in a changed span is dropped). Other files' edits are kept as they are.
 */
export function mapCodeActions(view: ParsedView, diagnostics: readonly Diagnostic[], fixes: (parsed: TextDocument, diagnostics: Diagnostic[]) => CodeAction[]): CodeAction[] | undefined {
  const originals = new Map<Diagnostic, Diagnostic>();
  const before: Diagnostic[] = [];
  let dropped = false;
  for (const diagnostic of diagnostics) {
    const range = isRange(diagnostic.range) ? rangeBefore(view, diagnostic.range) : undefined;
    if (!range) {
      dropped = true;
      continue;
    }
    const moved = { ...diagnostic, range };
    originals.set(moved, diagnostic);
    before.push(moved);
  }
  if (dropped && before.length === 0) return unparsed(view, []);
  const uri = view.current.uri;
  const out: CodeAction[] = [];
  for (const action of fixes(view.parsed, before)) {
    const mapped = mappedAction(view, uri, action, originals);
    if (mapped) out.push(mapped);
  }
  return out;
}

function mappedAction(view: ParsedView, uri: string, action: CodeAction, originals: Map<Diagnostic, Diagnostic>): CodeAction | undefined {
  const out: CodeAction = { ...action };
  if (action.diagnostics) {
    const diagnostics: Diagnostic[] = [];
    for (const d of action.diagnostics) {
      const original = originals.get(d);
      const range = original ? original.range : rangeAfter(view, d.range);
      if (!range) return undefined;
      diagnostics.push(original ?? { ...d, range });
    }
    out.diagnostics = diagnostics;
  }
  const edit = action.edit;
  if (edit) {
    out.edit = { ...edit };
    if (edit.changes?.[uri]) {
      const edits = mappedEdits(view, edit.changes[uri]);
      if (!edits) return undefined;
      out.edit.changes = { ...edit.changes, [uri]: edits };
    }
    if (edit.documentChanges) {
      const changes: NonNullable<typeof edit.documentChanges> = [];
      for (const change of edit.documentChanges) {
        if (!('textDocument' in change) || change.textDocument.uri !== uri) {
          changes.push(change);
          continue;
        }
        const edits = mappedEdits(view, change.edits.filter((e): e is TextEdit => 'range' in e && !('annotationId' in e && e.annotationId !== undefined)));
        if (!edits || edits.length !== change.edits.length) return undefined;
        changes.push({ ...change, textDocument: { uri, version: view.current.version }, edits });
      }
      out.edit.documentChanges = changes;
    }
  }
  return out;
}

function isRange(value: unknown): value is Range {
  const r = value as Range | undefined;
  const isPosition = (p: Position | undefined) => typeof p?.line === 'number' && typeof p.character === 'number' && p.line >= 0 && p.character >= 0;
  return typeof r === 'object' && r !== null && isPosition(r.start) && isPosition(r.end);
}

/**
 * Multi-document YAML (Kubernetes manifests: `---` between objects) with reuse: the file is cut at
 * its document markers, each piece is parsed on its own at its absolute offset (ranges are file
 * offsets), and the pieces whose text did not change since the last parse of the same file are
 * reused, moved to their new offset when an edit above them changed their position. An edit inside
 * a 5,000-line manifest so parses one document again, not the file.
 *
 * A `---` or `...` at the start of a line always ends what comes before it (YAML forbids it inside a
 * block or flow scalar), so a piece never reads differently alone than in the file. Directives
 * (`%YAML`, `%TAG`) tie a piece to the next one: a file holding one is parsed whole.
 */
import { isPair, isScalar, type Document, type Scalar } from 'yaml';
import { composeCounted, shiftDocument } from './yamlChunks';
import { MAX_DOCUMENTS, MAX_NODES } from './yamlCompose';
import { clearLimits, documentLimits, noteLimit } from './yamlNodes';
import { textDelta, type TextDelta } from '../text/textDelta';

export interface YamlDocument {
  doc: Document;
  /** 0-based position of the document in the file. */
  index: number;
  /**
   * The Document of the last parse, changed in place: the edit was inside one line of a literal block scalar's
   * content (patchBlockScalar), so only that scalar's value (and the ranges after the edit) changed. Whatever was
   * made of the document before must be made again; its nodes are the same objects.
   */
  patched?: true;
}

interface Piece {
  text: string;
  offset: number;
  docs: Document[];
  nodes: number;
  /** The whole text parsed as one piece (it has directives). */
  whole?: boolean;
}

/**
 * The pieces of the last parse of each file (its text, its pieces in order; no text when the bounds cut the parse
 * short), by file, for reuse. Owned by the language service (../caches.ts).
 */
export type YamlDocumentCache = Map<string, { text: string | undefined; pieces: Piece[] }>;
const MAX_FILES = 64;

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;
const DASHES = /^---(?=[ \t\r\n]|$)/;

const DIRECTIVE = /^%/m;

/**
 * Every document of `text` (empty ones included, as the library gives them). With `reuse`, unchanged pieces are reused;
 * its `hasLine`, when given, tells whether a line of `text` matches a pattern (text/lineTests.ts: counts brought to each
 * version from the changed lines, so a directive is looked for there, not in the whole file).
 */
export function parseDocuments(
  text: string,
  reuse?: { key: string; cache: YamlDocumentCache; hasLine?: (pattern: RegExp) => boolean; patch?: boolean; delta?: (old: string, next: string) => TextDelta | undefined },
): YamlDocument[] {
  const previous = reuse?.cache.get(reuse.key);
  const whole = reuse?.hasLine ? reuse.hasLine(DIRECTIVE) : DIRECTIVE.test(text);
  const pieces: { text: string; offset: number; kept?: Piece; replaces?: Piece }[] = whole ? [{ text, offset: 0 }] : previous?.text !== undefined && !previous.pieces.some((p) => p.whole) ? recut(previous.text, previous.pieces, text, reuse?.delta ?? textDelta) : cut(text);
  // Pieces the cut did not place by position are looked for by their text among the last parse's others.
  const byText = new Map<string, Piece[]>();
  if (previous) {
    const placed = new Set(pieces.map((p) => p.kept));
    for (const piece of previous.pieces) {
      if (placed.has(piece)) continue;
      const same = byText.get(piece.text);
      if (same) same.push(piece);
      else byText.set(piece.text, [piece]);
    }
  }
  const next: Piece[] = [];
  const docs: Document[] = [];
  const patched = new Set<Document>();
  // Bounds over the whole file (each piece is bounded alone by yamlCompose.ts): past them the rest of the
  // file is not parsed, and the last document with contents says so (a note made again at each parse).
  let nodes = 0;
  let cutAt: number | undefined;
  for (const { text: pieceText, offset, kept, replaces } of pieces) {
    if (docs.length >= MAX_DOCUMENTS || nodes > MAX_NODES) {
      cutAt = offset;
      break;
    }
    let piece = kept ?? byText.get(pieceText)?.shift();
    if (!piece && replaces && reuse?.patch && byText.get(replaces.text)?.includes(replaces) && patchBlockScalar(replaces, pieceText, offset)) {
      byText.get(replaces.text)!.splice(byText.get(replaces.text)!.indexOf(replaces), 1);
      patched.add(replaces.docs[0]);
      replaces.text = pieceText;
      piece = replaces;
    } else if (piece) {
      if (piece.offset !== offset) {
        for (const doc of piece.docs) shiftDocument(doc, offset - piece.offset);
        piece.offset = offset;
      }
    } else {
      piece = { text: pieceText, offset, ...composeCounted(pieceText, offset), ...(whole ? { whole } : {}) };
    }
    nodes += piece.nodes;
    next.push(piece);
    for (const doc of piece.docs) docs.push(doc);
  }
  for (const doc of docs) clearLimits(doc, 'stream');
  const last = [...docs].reverse().find((doc) => doc.contents !== null && doc.contents !== undefined) ?? docs[docs.length - 1];
  if (cutAt !== undefined && last) {
    const lineEnd = text.indexOf('\n', cutAt);
    noteLimit(last, {
      kind: 'stream',
      offset: cutAt,
      length: Math.max(1, (lineEnd < 0 ? text.length : lineEnd) - cutAt),
      message: `More than ${docs.length >= MAX_DOCUMENTS ? `${MAX_DOCUMENTS.toLocaleString('en-US')} YAML documents` : `${MAX_NODES.toLocaleString('en-US')} YAML nodes`} in this file, so the documents from here on are not read: split it.`,
    });
  }
  if (reuse) {
    reuse.cache.delete(reuse.key);
    // A parse cut short by the bounds keeps no pieces to place by position (the rest of the text has none).
    reuse.cache.set(reuse.key, { text: cutAt === undefined ? text : undefined, pieces: next });
    if (reuse.cache.size > MAX_FILES) reuse.cache.delete(reuse.cache.keys().next().value as string);
  }
  return docs.map((doc, index) => (patched.has(doc) ? { doc, index, patched: true } : { doc, index }));
}


/** The pieces of `text`: each starts at a document marker (the first at 0); `...` ends a piece with it. */
function cut(text: string): { text: string; offset: number }[] {
  const unique = starts(text, 0, text.length);
  return unique.map((start, i) => ({ text: text.slice(start, unique[i + 1] ?? text.length), offset: start }));
}

/** The piece starts in [from, to) of `text` (`from` is one: 0 or a piece start), in order. */
function starts(text: string, from: number, to: number): number[] {
  const found = [from];
  MARKER.lastIndex = from;
  for (let m = MARKER.exec(text); m && m.index < to; m = MARKER.exec(text)) {
    if (m[1] === '---') {
      if (m.index > from) found.push(m.index);
    } else {
      // `...` closes its document: the next piece starts on the following line.
      const newline = text.indexOf('\n', m.index);
      if (newline >= 0 && newline + 1 < text.length && newline + 1 < to) found.push(newline + 1);
    }
  }
  return [...new Set(found)].sort((a, b) => a - b);
}

/**
 * The pieces of `text`, the next version of `previous.text`: the last parse's pieces before and after the one
 * span that changed (text/textDelta.ts) are the same (those after it moved by the change in length), and
 * only the text between them is cut again. A marker is recognised by the line break before it and the
 * character after it (`---` then a blank or the end), so a piece stands when its text and those characters
 * are outside the change.
 */
function recut(previousText: string, old: Piece[], text: string, deltaOf: (old: string, next: string) => TextDelta | undefined): { text: string; offset: number; kept?: Piece; replaces?: Piece }[] {
  // The language service's deltas (Caches.deltas): the workspace index and the cluster index compare the same two texts.
  const delta = deltaOf(previousText, text);
  if (!delta) return old.map((piece) => ({ text: piece.text, offset: piece.offset, kept: piece }));
  const shift = delta.newEnd - delta.oldEnd;
  // Kept before: pieces that end (with the marker of the next piece and the character after it) before the change.
  let before = 0;
  while (before < old.length && old[before].offset + old[before].text.length + 4 <= delta.start) before++;
  // Kept after: pieces that start with a `---` marker after the character following the change (one that starts
  // after a `...` line depends on that line too).
  let after = old.length;
  while (after > before && old[after - 1].offset >= delta.oldEnd + 1 && DASHES.test(old[after - 1].text)) after--;
  const from = before < old.length ? old[before].offset : text.length;
  const to = after < old.length ? old[after].offset + shift : text.length;
  const out: { text: string; offset: number; kept?: Piece; replaces?: Piece }[] = [];
  for (let i = 0; i < before; i++) out.push({ text: old[i].text, offset: old[i].offset, kept: old[i] });
  if (from < to || (from === 0 && text.length === 0)) {
    const middle = starts(text, from, to);
    // One piece in place of one, where it was: the last parse's document may take the edit in place (patchBlockScalar).
    const replaces = middle.length === 1 && after === before + 1 && old[before].offset === from ? old[before] : undefined;
    middle.forEach((start, i) => out.push({ text: text.slice(start, middle[i + 1] ?? to), offset: start, ...(replaces ? { replaces } : {}) }));
  }
  for (let i = after; i < old.length; i++) out.push({ text: old[i].text, offset: old[i].offset + shift, kept: old[i] });
  return out;
}

/** Characters an edit patched in place may not hold or touch: line breaks (YAML's and those LSP counts), tabs, controls, a BOM. */
const UNPATCHABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/**
 * Takes `text` (at `offset`, the piece's own) into the piece of the last parse in place, when it differs from the piece's
 * text only inside one content line of a literal block scalar (`|`, `|-`, `|+`, the indentation not given in the header:
 * a ConfigMap's collector config) of its one document, after that line's indentation: the scalar's value is then the old
 * one with the same characters replaced, and the ranges from the end of the edit on move by its change in length. The
 * line is neither the block's first content line (which sets its indentation) nor blank before or after, and holds no
 * tab, line break or control character; the document parsed without errors, warnings or bounds, and the scalar has no
 * tag or anchor. Anything else is parsed again (false). What the yaml library would give for the new text is that: a
 * literal block's value is its content lines less the block's indentation, and such a line stays a content line.
 */
function patchBlockScalar(piece: Piece, text: string, offset: number): boolean {
  if (piece.whole || piece.docs.length !== 1 || piece.offset !== offset || piece.text.includes('\r') || text.includes('\r')) return false;
  const doc = piece.docs[0];
  if (doc.errors.length > 0 || doc.warnings.length > 0 || documentLimits(doc).length > 0) return false;
  const delta = textDelta(piece.text, text);
  if (!delta) return false;
  const old = piece.text;
  const lineStart = old.lastIndexOf('\n', delta.start - 1) + 1;
  const oldLineEnd = old.indexOf('\n', delta.start);
  if (oldLineEnd < 0 || oldLineEnd < delta.oldEnd) return false;
  const oldLine = old.slice(lineStart, oldLineEnd);
  const newLine = text.slice(lineStart, oldLineEnd + (delta.newEnd - delta.oldEnd));
  if (UNPATCHABLE.test(oldLine) || UNPATCHABLE.test(newLine) || text.charCodeAt(lineStart + newLine.length) !== 10) return false;
  const at = offset + delta.start;
  const scalar = blockScalarAt(doc, at);
  if (!scalar || !scalar.range || scalar.tag || scalar.anchor || scalar.source !== scalar.value) return false;
  const [start, valueEnd] = scalar.range;
  // The header line: `|` with a chomping indicator at most, then maybe a comment.
  const headerEnd = old.indexOf('\n', start - offset);
  if (headerEnd < 0 || headerEnd >= lineStart) return false;
  if (!/^\|[+-]?$/.test(old.slice(start - offset, headerEnd).replace(/[ ]+#.*$/, '').trimEnd())) return false;
  if (offset + oldLineEnd >= valueEnd) return false;
  // The body's lines before the edited one: the first content line sets the indentation; each maps to a line of the value.
  let indent = -1;
  let unit = 0;
  for (let from = headerEnd + 1; from < lineStart; ) {
    const end = old.indexOf('\n', from);
    const line = old.slice(from, end);
    if (indent < 0 && line.trim() !== '') {
      indent = line.length - line.trimStart().length;
      if (!line.startsWith(' '.repeat(indent))) return false;
    }
    unit += (indent < 0 ? 0 : Math.max(0, line.length - indent)) + 1;
    from = end + 1;
  }
  if (indent <= 0 || delta.start < lineStart + indent || oldLine.trim() === '' || newLine.trim() === '' || !oldLine.startsWith(' '.repeat(indent))) return false;
  const value = scalar.value;
  // The value holds the line where the body says it does (else parse again: the leading blank lines read otherwise).
  if (value.slice(unit, unit + oldLine.length - indent) !== oldLine.slice(indent) || value.charCodeAt(unit + oldLine.length - indent) !== 10) return false;
  const u = unit + (delta.start - lineStart - indent);
  const updated = value.slice(0, u) + text.slice(delta.start, delta.newEnd) + value.slice(u + (delta.oldEnd - delta.start));
  scalar.value = updated;
  scalar.source = updated;
  const shift = delta.newEnd - delta.oldEnd;
  shiftDocument(doc, shift, offset + delta.oldEnd);
  return true;
}

/** The literal block scalar of `doc` whose content holds offset `at`, found down the collections that hold it. */
function blockScalarAt(doc: Document, at: number): Scalar<string> | undefined {
  let node: unknown = doc.contents;
  for (let depth = 0; node && typeof node === 'object' && depth < 256; depth++) {
    if (isScalar(node)) return node.type === 'BLOCK_LITERAL' && typeof node.value === 'string' && node.range && node.range[0] < at && at < node.range[1] ? (node as Scalar<string>) : undefined;
    const items = (node as { items?: unknown[] }).items;
    if (!Array.isArray(items)) return undefined;
    let inside: unknown;
    for (const item of items) {
      const candidates = isPair(item) ? [item.key, item.value] : [item];
      for (const candidate of candidates) {
        const range = (candidate as { range?: number[] } | null)?.range;
        if (range && range[0] <= at && at < range[2]) inside = candidate;
      }
    }
    node = inside;
  }
  return undefined;
}

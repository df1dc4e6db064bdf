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
import type { Document } from 'yaml';
import { composeCounted, shiftDocument } from './yamlChunks';
import { MAX_DOCUMENTS, MAX_NODES } from './yamlCompose';
import { clearLimits, noteLimit } from './yamlNodes';
import { textDelta } from '../text/textDelta';

export interface YamlDocument {
  doc: Document;
  /** 0-based position of the document in the file. */
  index: number;
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
export function parseDocuments(text: string, reuse?: { key: string; cache: YamlDocumentCache; hasLine?: (pattern: RegExp) => boolean }): YamlDocument[] {
  const previous = reuse?.cache.get(reuse.key);
  const whole = reuse?.hasLine ? reuse.hasLine(DIRECTIVE) : DIRECTIVE.test(text);
  const pieces: { text: string; offset: number; kept?: Piece }[] = whole ? [{ text, offset: 0 }] : previous?.text !== undefined && !previous.pieces.some((p) => p.whole) ? recut(previous.text, previous.pieces, text) : cut(text);
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
  // Bounds over the whole file (each piece is bounded alone by yamlCompose.ts): past them the rest of the
  // file is not parsed, and the last document with contents says so (a note made again at each parse).
  let nodes = 0;
  let cutAt: number | undefined;
  for (const { text: pieceText, offset, kept } of pieces) {
    if (docs.length >= MAX_DOCUMENTS || nodes > MAX_NODES) {
      cutAt = offset;
      break;
    }
    let piece = kept ?? byText.get(pieceText)?.shift();
    if (piece) {
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
  return docs.map((doc, index) => ({ doc, index }));
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
function recut(previousText: string, old: Piece[], text: string): { text: string; offset: number; kept?: Piece }[] {
  const delta = textDelta(previousText, text);
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
  const out: { text: string; offset: number; kept?: Piece }[] = [];
  for (let i = 0; i < before; i++) out.push({ text: old[i].text, offset: old[i].offset, kept: old[i] });
  if (from < to || (from === 0 && text.length === 0)) {
    const middle = starts(text, from, to);
    middle.forEach((start, i) => out.push({ text: text.slice(start, middle[i + 1] ?? to), offset: start }));
  }
  for (let i = after; i < old.length; i++) out.push({ text: old[i].text, offset: old[i].offset + shift, kept: old[i] });
  return out;
}

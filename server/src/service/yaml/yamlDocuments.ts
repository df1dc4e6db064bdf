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
}

/** The pieces of the last parse of each file, by file, for reuse. Owned by the language service (../caches.ts). */
export type YamlDocumentCache = Map<string, Map<string, Piece[]>>;
const MAX_FILES = 64;

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/** Every document of `text` (empty ones included, as the library gives them). With `reuse`, unchanged pieces are reused. */
export function parseDocuments(text: string, reuse?: { key: string; cache: YamlDocumentCache }): YamlDocument[] {
  const pieces = /^%/m.test(text) ? [{ text, offset: 0 }] : cut(text);
  const previous = reuse?.cache.get(reuse.key);
  const next = new Map<string, Piece[]>();
  const docs: Document[] = [];
  // Bounds over the whole file (each piece is bounded alone by yamlCompose.ts): past them the rest of the
  // file is not parsed, and the last document with contents says so (a note made again at each parse).
  let nodes = 0;
  let cutAt: number | undefined;
  for (const { text: pieceText, offset } of pieces) {
    if (docs.length >= MAX_DOCUMENTS || nodes > MAX_NODES) {
      cutAt = offset;
      break;
    }
    let piece = previous?.get(pieceText)?.shift();
    if (piece) {
      if (piece.offset !== offset) {
        for (const doc of piece.docs) shiftDocument(doc, offset - piece.offset);
        piece.offset = offset;
      }
    } else {
      piece = { text: pieceText, offset, ...composeCounted(pieceText, offset) };
    }
    nodes += piece.nodes;
    const same = next.get(pieceText);
    if (same) same.push(piece);
    else next.set(pieceText, [piece]);
    docs.push(...piece.docs);
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
    reuse.cache.set(reuse.key, next);
    if (reuse.cache.size > MAX_FILES) reuse.cache.delete(reuse.cache.keys().next().value as string);
  }
  return docs.map((doc, index) => ({ doc, index }));
}


/** The pieces of `text`: each starts at a document marker (the first at 0); `...` ends a piece with it. */
function cut(text: string): { text: string; offset: number }[] {
  const starts = [0];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    if (m[1] === '---') {
      if (m.index > 0) starts.push(m.index);
    } else {
      // `...` closes its document: the next piece starts on the following line.
      const newline = text.indexOf('\n', m.index);
      if (newline >= 0 && newline + 1 < text.length) starts.push(newline + 1);
    }
  }
  const unique = [...new Set(starts)].sort((a, b) => a - b);
  return unique.map((start, i) => ({ text: text.slice(start, unique[i + 1] ?? text.length), offset: start }));
}

/**
 * Re-parsing only what an edit changed. A collector config is cut into chunks at its top-level keys
 * and, inside the component sections, at each component's key; each chunk is parsed on its own by
 * the `yaml` library with its absolute offset (Parser.offset), and the chunks whose text did not
 * change since the last parse of the same file are reused. The nodes are assembled into one
 * Document, so every consumer sees the same tree (and ranges) as a whole-file parse.
 *
 * Only plain layouts are cut: anything that could make a chunk mean something else alone (anchors,
 * aliases and merge keys, several documents, directives, flow or quoted top-level keys, odd
 * indentation, duplicate keys) falls back to one whole-file parse.
 */
import { Document, Pair, YAMLMap, isMap, visit, type Scalar } from 'yaml';
import { MAX_NODES, YAML_OPTIONS, composeYaml, limitLength, limitMessage, type YamlLimit } from './yamlCompose';
import { noteLimit, shiftLimits } from './yamlNodes';

/** Every parse goes through yamlCompose.ts: nesting and node count bounded, duplicate keys in linear time. */
export const OPTIONS = YAML_OPTIONS;

const COMPONENT_SECTIONS = new Set(['receivers', 'exporters', 'processors', 'extensions', 'connectors']);
/** A plain key at the start of a line, with nothing after the colon but an optional comment. */
const HEADER = /^([A-Za-z_][\w.\-/]*):[ \t]*(#.*)?$/;
/** A plain key at the start of a (de-indented) line, followed by a value, a comment or nothing. */
const KEY_LINE = /^[A-Za-z_][\w.\-/]*:(\s|$)/;
/** Anything that ties chunks together or changes how a chunk reads on its own. */
const UNSAFE = /(^|[\s[{,])[&*][^\s[\]{},]|^(---|\.\.\.)(\s|$)|^%|\t/m;

export interface Chunk {
  text: string;
  offset: number;
  doc: Document;
  /** Its YAML nodes; undefined when the chunk went past a limit of yamlCompose.ts (the file is then parsed whole). */
  nodes: number | undefined;
}

/**
 * The parsed chunks of the last version of each file, by file, for reuse. Owned by the language
 * service instance (see ../caches.ts); bounded to MAX_FILES files.
 */
export type YamlChunkCache = Map<string, Map<string, Chunk[]>>;
const MAX_FILES = 128;

/**
 * A Document for `text`. With `reuse`, the chunks of the previous parse of the same file (`key`)
 * whose text did not change are reused from `cache`, and this parse's chunks are kept there.
 */
export function parseYaml(text: string, reuse?: { key: string; cache: YamlChunkCache }): Document {
  const plan = reuse === undefined ? undefined : cut(text);
  if (!plan || !reuse) return whole(text);
  const { key, cache: memo } = reuse;

  const previous = memo.get(key) ?? new Map<string, Chunk[]>();
  const next = new Map<string, Chunk[]>();
  let nodes = 0;
  let overLimit = false;
  const take = (chunkText: string, offset: number): Document => {
    const reusable = previous.get(chunkText);
    let chunk = reusable?.shift();
    if (chunk) {
      if (chunk.offset !== offset) shift(chunk, offset);
    } else {
      const composed = composeYaml(chunkText, { offset });
      chunk = { text: chunkText, offset, doc: composed.doc, nodes: composed.limits.length === 0 ? composed.nodes : undefined };
    }
    if (chunk.nodes === undefined) overLimit = true;
    else nodes += chunk.nodes;
    next.set(chunkText, [...(next.get(chunkText) ?? []), chunk]);
    return chunk.doc;
  };

  const root = new YAMLMap();
  const doc = new Document(undefined, OPTIONS);
  const parsed: Document[] = [];
  for (const section of plan.sections) {
    if (!section.components) {
      const part = take(section.text, section.offset);
      parsed.push(part);
      if (isMap(part.contents)) root.items.push(...part.contents.items);
      continue;
    }
    const header = take(section.header!, section.offset);
    parsed.push(header);
    const headerPair = isMap(header.contents) ? (header.contents.items[0] as Pair<Scalar, unknown> | undefined) : undefined;
    if (!headerPair) return fallback(text, key, memo);
    const components = new YAMLMap();
    for (const component of section.components) {
      const part = take(component.text, component.offset);
      parsed.push(part);
      if (isMap(part.contents)) components.items.push(...part.contents.items);
    }
    const first = components.items[0]?.key as Scalar | undefined;
    const last = components.items[components.items.length - 1];
    const end = (last?.value as { range?: [number, number, number] } | null)?.range?.[2] ?? (last?.key as Scalar | undefined)?.range?.[2];
    if (first?.range && end !== undefined) components.range = [first.range[0], end, end];
    root.items.push(new Pair(headerPair.key, components));
  }
  // A chunk with a syntax error may read differently alone than in the file, and a chunk past a limit
  // (or chunks that are past the node limit together) are cut where the whole file says: parse the file whole.
  if (overLimit || nodes > MAX_NODES || parsed.some((part) => part.errors.length > 0 || part.warnings.length > 0)) return fallback(text, key, memo);
  root.range = [0, text.length, text.length];
  doc.contents = root;
  memo.delete(key);
  memo.set(key, next);
  if (memo.size > MAX_FILES) memo.delete(memo.keys().next().value as string);
  return doc;
}

function fallback(text: string, key: string, memo: YamlChunkCache): Document {
  memo.delete(key);
  return whole(text);
}

/** The whole text parsed at once; what the limits cut off is noted on the document for `limit-exceeded`. */
function whole(text: string): Document {
  const composed = composeYaml(text);
  noteParseLimits(text, composed.limits, [composed.doc]);
  return composed.doc;
}

/** Each cut, noted on the document it lies in (the last one starting before it), for `limit-exceeded`. */
function noteParseLimits(text: string, limits: readonly YamlLimit[], docs: readonly Document[], textOffset = 0): void {
  for (const limit of limits) {
    const doc = [...docs].reverse().find((d) => (d.range?.[0] ?? 0) <= limit.offset) ?? docs[0];
    if (!doc) continue;
    const local = { ...limit, offset: limit.offset - textOffset, end: limit.end - textOffset };
    noteLimit(doc, { kind: limit.kind, offset: limit.offset, length: limitLength(text, local), message: limitMessage(local) });
  }
}

/**
 * The documents of `text`, a piece of a file starting at `offset` (ranges are file offsets), each checked
 * for duplicate keys; bounded as every parse is (yamlCompose.ts), the cuts noted on their documents.
 */
export function composeAt(text: string, offset: number): Document[] {
  return composeCounted(text, offset).docs;
}

/** composeAt, with the number of YAML nodes the piece holds (for bounds over a whole file of pieces). */
export function composeCounted(text: string, offset: number): { docs: Document[]; nodes: number } {
  const { docs, limits, nodes } = composeYaml(text, { offset, all: true });
  noteParseLimits(text, limits, docs, offset);
  return { docs, nodes };
}

/** Moves a reused chunk's nodes (and its errors) to where its text now starts. */
function shift(chunk: Chunk, offset: number): void {
  shiftDocument(chunk.doc, offset - chunk.offset);
  chunk.offset = offset;
}

/** Moves every range of a document (nodes, errors, warnings, the document's own) by `delta`. */
export function shiftDocument(doc: Document, delta: number): void {
  const move = (range: number[] | undefined | null) => {
    if (range) for (let i = 0; i < range.length; i++) range[i] += delta;
  };
  visit(doc, {
    Node(_, node) {
      move((node as { range?: number[] }).range);
    },
  });
  for (const error of [...doc.errors, ...doc.warnings]) move(error.pos);
  move(doc.range);
  shiftLimits(doc, delta);
}

interface Section {
  text: string;
  offset: number;
  /** Set for component sections cut per component: the `receivers:` line, then each component. */
  header?: string;
  components?: { text: string; offset: number }[];
}

/** Where to cut `text`, or undefined when it must be parsed whole. */
function cut(text: string): { sections: Section[] } | undefined {
  if (UNSAFE.test(text)) return undefined;
  const lines: { start: number; text: string }[] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    lines.push({ start, text: text.slice(start, end).replace(/\r?\n$/, '') });
    start = end;
  }
  const isContent = (line: string) => line.trim() !== '' && !line.trimStart().startsWith('#');
  const topLines = lines.filter((l) => isContent(l.text) && !/^\s/.test(l.text));
  if (topLines.length === 0 || !isContent(lines.find((l) => isContent(l.text))?.text ?? '') || /^\s/.test(lines.find((l) => isContent(l.text))!.text)) return undefined;
  if (topLines.some((l) => !KEY_LINE.test(l.text))) return undefined;
  const topKeys = topLines.map((l) => l.text.slice(0, l.text.indexOf(':')));
  if (new Set(topKeys).size !== topKeys.length) return undefined;

  const sections: Section[] = [];
  for (let i = 0; i < topLines.length; i++) {
    const start = topLines[i].start;
    const end = i + 1 < topLines.length ? topLines[i + 1].start : text.length;
    const section: Section = { text: text.slice(start, end), offset: start };
    const header = HEADER.exec(topLines[i].text);
    if (header && COMPONENT_SECTIONS.has(header[1])) {
      const body = lines.filter((l) => l.start > start && l.start < end && isContent(l.text));
      const indent = body.length ? /^ */.exec(body[0].text)![0].length : 0;
      const keyLines = body.filter((l) => /^ */.exec(l.text)![0].length === indent);
      const deIndented = keyLines.map((l) => l.text.slice(indent));
      const componentKeys = deIndented.map((l) => l.slice(0, l.indexOf(':')));
      const plain =
        indent > 0 &&
        body.every((l) => /^ */.exec(l.text)![0].length >= indent) &&
        deIndented.every((l) => KEY_LINE.test(l)) &&
        new Set(componentKeys).size === componentKeys.length;
      if (plain && keyLines.length > 0) {
        const headerEnd = text.indexOf('\n', start) + 1 || end;
        section.header = text.slice(start, headerEnd);
        section.components = keyLines.map((line, k) => {
          const componentEnd = k + 1 < keyLines.length ? keyLines[k + 1].start : end;
          return { text: text.slice(line.start, componentEnd), offset: line.start };
        });
      }
    }
    sections.push(section);
  }
  return { sections };
}


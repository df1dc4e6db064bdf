/**
 * Re-parsing only what an edit changed. A collector config is cut into chunks at its top-level keys
 * and, inside the component sections, at each component's key; each chunk is parsed on its own by
 * the `yaml` library with its absolute offset (Parser.offset), and the chunks whose text did not
 * change since the last parse of the same file are reused. Assembled, the chunks are one Document with
 * the same tree (and ranges) as a whole-file parse.
 *
 * Work per edit follows the edit, not the file:
 * - the cut is redone only around the edited lines (`recut`): an edit inside one component re-cuts
 *   that component's text; an edit elsewhere in a section re-cuts that section; only an edit of a
 *   top-level line (or of the lines before the first one) cuts the whole text again;
 * - a reused chunk below the edit is not walked to move its nodes: it records where it is now
 *   (`offset`) beside where its nodes are (`placed`), and its nodes move on first use (`settle`,
 *   `ChunkedYaml.document`), so what only the edited chunk needs never touches the rest;
 * - consumers keep what they derive from a chunk in it (`derived`: its collector model), reused with it.
 *
 * Only plain layouts are cut: anything that could make a chunk mean something else alone (anchors,
 * aliases and merge keys, several documents, directives, flow or quoted top-level keys, odd
 * indentation, duplicate keys, tabs, lone carriage returns) falls back to one whole-file parse, and so
 * does a text whose chunks have syntax errors or warnings (a chunk may read differently alone than in
 * the file).
 */
import { Document, Pair, YAMLMap, isMap, isPair, type Scalar } from 'yaml';
import { MAX_NODES, YAML_OPTIONS, composeYaml, limitLength, limitMessage, type YamlLimit, type YamlScans } from './yamlCompose';
import { documentLimits, noteLimit, shiftLimits } from './yamlNodes';
import { lineEndAfter, lineStartAt, textDelta, type TextDelta } from '../text/textDelta';

/** Every parse goes through yamlCompose.ts: nesting and node count bounded, duplicate keys in linear time. */
export const OPTIONS = YAML_OPTIONS;

const COMPONENT_SECTIONS = new Set(['receivers', 'exporters', 'processors', 'extensions', 'connectors']);
/** A plain key at the start of a line, with nothing after the colon but an optional comment (sticky: tested at a line's first character). */
const HEADER_AT = /([A-Za-z_][\w.\-/]*):[ \t]*(#[^\r\n]*)?(?=\r?\n|$)/y;
/** A plain key at a line's first non-blank character, followed by a value, a comment or nothing (sticky). */
const KEY_AT = /[A-Za-z_][\w.\-/]*:(?=\s|$)/y;
/** Anything that ties chunks together or changes how a chunk reads on its own. */
const UNSAFE = /(^|[\s[{,])[&*][^\s[\]{},]|^(---|\.\.\.)(\s|$)|^%|\t|\r(?!\n)/m;

/** One piece of a cut file, parsed on its own. */
export interface Chunk {
  /** Its text, and where it starts in the file now. */
  text: string;
  offset: number;
  /** Where its nodes' ranges put it (they are moved to `offset` lazily: `settle`). */
  placed: number;
  doc: Document;
  /** Its YAML nodes; undefined when the chunk went past a limit of yamlCompose.ts (the file is then parsed whole). */
  nodes: number | undefined;
  /** No syntax error or warning, and a mapping: its document, composed once, is never changed after (else the file is parsed whole). */
  clean: boolean;
  /** The top-level key of the section it belongs to. */
  section: string;
  /** A whole top-level section, the key line of a component section (with the comments below it), or one component. */
  kind: 'section' | 'header' | 'component';
  /** What a consumer derived from the chunk (its collector model, ../model/collector.ts), kept while the chunk is reused. */
  derived?: { consumer: string; kind: Chunk['kind']; section: string; value: unknown };
  /** What that consumer made of the chunk at its place (its scope, ../sources/collectorYaml.ts), found with it rather than looked up. */
  view?: unknown;
}

/** A parse of a collector config text. */
export interface ChunkedYaml {
  /** The chunks in file order; undefined when the text was parsed whole. */
  readonly chunks?: readonly Chunk[];
  /** The document: the whole-file parse, or the chunks assembled (and moved into place) on first call. */
  document(): Document;
}

interface Piece {
  kind: Chunk['kind'];
  section: string;
  /** The component's key (the section's for the others). */
  key: string;
  offset: number;
  text: string;
}

interface SectionPlan {
  key: string;
  offset: number;
  end: number;
  /** Its pieces: plan.pieces[first .. first + count). */
  first: number;
  count: number;
  /** Set when it is cut per component: the components' indentation, and how often each component key occurs. */
  indent?: number;
  keys?: Map<string, number>;
}

interface Plan {
  /** Where the first top-level line starts (before it: blank lines and comments only). */
  start: number;
  sections: SectionPlan[];
  pieces: Piece[];
}

interface FileState {
  text: string;
  /** The node estimate of `text` (nodeEstimateOf: two per line holding two YAML nodes, one per comma), when it is long enough to be counted: brought to the next text from the edited lines. */
  nodeEstimate?: number;
  /** undefined: the text was not cut (the next edit cuts it again from scratch). */
  plan?: Plan;
  /** Aligned with plan.pieces. */
  chunks?: Chunk[];
}

/**
 * The cut and the chunks of the last version of each file, by file, for reuse. Owned by the language
 * service instance (see ../caches.ts); bounded to MAX_FILES files.
 */
export type YamlChunkCache = Map<string, FileState>;
const MAX_FILES = 128;

/**
 * A parse of `text`. With `reuse`, the cut and the chunks of the previous parse of the same file
 * (`key`) are reused from `cache` where the text did not change, and this parse's are kept there.
 */
export function parseChunked(text: string, reuse?: { key: string; cache: YamlChunkCache }, scans?: YamlScans): ChunkedYaml {
  if (!reuse) return whole(text, scans);
  const { key, cache } = reuse;
  const state = cache.get(key);
  // The one span that differs from the last parse's text (the cut and the node-limit count start from it).
  const delta = state && state.text !== text ? textDelta(state.text, text) : undefined;
  const nodeEstimate = nodeEstimateOf(text, state, delta);
  if (nodeEstimate !== undefined && nodeEstimate > MAX_NODES) {
    // It would be parsed whole after its chunks (the node limit is counted over the whole file): only once.
    cache.delete(key);
    if (cache.size >= MAX_FILES) cache.delete(cache.keys().next().value as string);
    cache.set(key, { text, nodeEstimate });
    return whole(text, scans);
  }
  const next = state?.plan && state.chunks ? recut(state as Required<FileState>, text, delta) : fullCut(text, state);
  cache.delete(key);
  if (cache.size >= MAX_FILES) cache.delete(cache.keys().next().value as string);
  if (!next) {
    cache.set(key, { text, nodeEstimate });
    return whole(text, scans);
  }
  // A chunk with a syntax error may read differently alone than in the file, and a chunk past a limit
  // (or chunks past the node limit together) is cut where the whole file says: parse the file whole
  // (the cut stays, so the chunks are reused once the error is gone).
  let nodes = 0;
  let clean = true;
  const chunks = next.plan.pieces.map((piece, i) => {
    let chunk = next.from[i];
    if (chunk) {
      chunk.offset = piece.offset;
      if (chunk.section !== piece.section || chunk.kind !== piece.kind) {
        chunk.section = piece.section;
        chunk.kind = piece.kind;
        chunk.derived = undefined;
      }
    } else {
      const composed = composeYaml(piece.text, { offset: piece.offset });
      const doc = composed.doc;
      chunk = {
        text: piece.text,
        offset: piece.offset,
        placed: piece.offset,
        doc,
        nodes: composed.limits.length === 0 ? composed.nodes : undefined,
        clean: doc.errors.length === 0 && doc.warnings.length === 0 && isMap(doc.contents),
        section: piece.section,
        kind: piece.kind,
        derived: undefined,
        view: undefined,
      } satisfies Chunk;
    }
    nodes += chunk.nodes ?? Infinity;
    clean &&= chunk.clean;
    return chunk;
  });
  cache.set(key, { text, nodeEstimate, plan: next.plan, chunks });
  if (nodes > MAX_NODES || !clean) return whole(text, scans);
  let assembled: Document | undefined;
  return {
    chunks,
    document: () => (assembled ??= assemble(chunks, text)),
  };
}

/**
 * Lines that hold at least two YAML nodes each (`key: value` and `- item`: two scalars, or a scalar and an
 * item indicator, as yamlCompose.ts counts nodes), and the commas between flow items (each one more node),
 * enough of them to pass MAX_NODES: such a text goes past the node limit, so its chunks would all be parsed
 * and then the file again, whole. Nearly a lower bound, so a text under the limit is almost never sent whole
 * by it (lines inside block scalars that look like these, commas in quoted or plain scalars and comments:
 * a whole parse then, with the same tree, only not reused per chunk). Texts too short are not looked at.
 * The commas: a 369,530-character line of flow items (CLI fuzz case 8709 of seed 1) went past the limit in
 * its one chunk, which was parsed, and then the file again (1.7 s of CPU). The pattern matches within one
 * line, from its start, and a comma is on one line: the estimate is a sum over lines.
 */
const TWO_NODE_LINE = /^[ ]*(?:- +[^\s#]|[A-Za-z_][\w.\-/]*:[ ]+[^\s#])/gm;
/** Each such line is at least 3 characters and its line break (`- a`); each comma and its item, 2: texts shorter than this cannot pass the limit by them. */
const COUNTED_LENGTH = (MAX_NODES / 2) * 4;

/**
 * The node estimate of `text` (two per TWO_NODE_LINE line, one per comma), or undefined when it is too short
 * to pass the node limit by them. Brought from the last parse's (`state`) by the lines the edit changed, so an
 * edit of a large file does not scan it whole.
 */
function nodeEstimateOf(text: string, state: FileState | undefined, delta: TextDelta | undefined): number | undefined {
  if (text.length < COUNTED_LENGTH) return undefined;
  if (state?.nodeEstimate === undefined) return countNodeEstimate(text, 0, text.length);
  if (!delta) return state.nodeEstimate;
  const old = state.text;
  const from = lineStartAt(old, delta.start);
  const oldTo = lineEndAfter(old, delta.oldEnd);
  const newTo = oldTo + (delta.newEnd - delta.oldEnd);
  return state.nodeEstimate - countNodeEstimate(old, from, oldTo) + countNodeEstimate(text, from, newTo);
}

/** The node estimate of text[from, to) (from at a line start, to after a line break or at the end). */
export function countNodeEstimate(text: string, from: number, to: number): number {
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  let nodes = 0;
  for (let at = slice.indexOf(','); at >= 0; at = slice.indexOf(',', at + 1)) nodes++;
  TWO_NODE_LINE.lastIndex = 0;
  while (TWO_NODE_LINE.exec(slice)) nodes += 2;
  return nodes;
}

/** The whole text parsed at once; what the limits cut off is noted on the document for `limit-exceeded`. */
function whole(text: string, scans?: YamlScans): ChunkedYaml {
  const composed = composeYaml(text, { scans });
  noteParseLimits(text, composed.limits, [composed.doc]);
  return { document: () => composed.doc };
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

/** Moves a reused chunk's nodes to where its text is now (a no-op when they are there). */
export function settle(chunk: Chunk): void {
  if (chunk.placed === chunk.offset) return;
  moveNodes(chunk.doc, chunk.offset - chunk.placed, -Infinity);
  chunk.placed = chunk.offset;
}

/** One Document over the chunks: top-level pairs of the sections, component sections rebuilt from their components. */
function assemble(chunks: readonly Chunk[], text: string): Document {
  const root = new YAMLMap();
  let components: YAMLMap | undefined;
  const closeSection = () => {
    if (!components) return;
    const first = components.items[0]?.key as Scalar | undefined;
    const last = components.items[components.items.length - 1];
    const end = (last?.value as { range?: [number, number, number] } | null)?.range?.[2] ?? (last?.key as Scalar | undefined)?.range?.[2];
    if (first?.range && end !== undefined) components.range = [first.range[0], end, end];
    components = undefined;
  };
  for (const chunk of chunks) {
    settle(chunk);
    const items = (chunk.doc.contents as YAMLMap).items;
    if (chunk.kind === 'component') {
      components?.items.push(...items);
      continue;
    }
    closeSection();
    if (chunk.kind === 'header') {
      components = new YAMLMap();
      root.items.push(new Pair((items[0] as Pair<Scalar>).key, components));
    } else {
      root.items.push(...items);
    }
  }
  closeSection();
  root.range = [0, text.length, text.length];
  const doc = new Document(undefined, OPTIONS);
  doc.contents = root;
  return doc;
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

/**
 * Moves every range of a document (nodes, errors, warnings, the document's own) by `delta`; with `from`, only the
 * offsets at or after it (an edit that ended there, inside the document).
 */
export function shiftDocument(doc: Document, delta: number, from?: number): void {
  if (delta !== 0) moveNodes(doc, delta, from ?? -Infinity);
}

function moveNodes(doc: Document, delta: number, from: number): void {
  const move = (range: number[] | undefined | null) => {
    if (range) for (let i = 0; i < range.length; i++) if (range[i] >= from) range[i] += delta;
  };
  // A plain walk (no visitor, no path arrays); a node reached twice through an alias is moved once.
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
      return;
    }
    move((node as { range?: number[] }).range);
    const items = (node as { items?: unknown[] }).items;
    if (Array.isArray(items)) for (const item of items) walk(item);
  };
  walk(doc.contents);
  for (const error of [...doc.errors, ...doc.warnings]) move(error.pos);
  move(doc.range);
  if (from === -Infinity) shiftLimits(doc, delta);
  else for (const limit of documentLimits(doc)) if (limit.offset >= from) limit.offset += delta;
}

// ---------------------------------------------------------------------------------------------
// The cut

interface Cut {
  plan: Plan;
  /** For each piece of the plan, the chunk of the previous parse it reuses, if any. */
  from: (Chunk | undefined)[];
}

/** Facts of one line: where its text starts after the indentation, where the next line starts, whether it holds content. */
interface Line {
  start: number;
  /** Spaces before its first character. */
  indent: number;
  /** After its line break. */
  end: number;
  /** Not blank, not a comment. */
  content: boolean;
}

function lineAt(text: string, start: number): Line {
  let at = start;
  while (text.charCodeAt(at) === 32) at++;
  const c = text.charCodeAt(at);
  const end = lineEndAfter(text, start);
  const content = at < text.length && c !== 10 && c !== 13 && c !== 35; // not blank, not '#'
  return { start, indent: at - start, end, content };
}

/** Every line of text[from, to) (from at a line start). */
function* linesOf(text: string, from: number, to: number): Generator<Line> {
  for (let at = from; at < to; ) {
    const line = lineAt(text, at);
    yield line;
    at = line.end;
  }
}

/** The key of a plain key line (KEY_AT at its content), or undefined. */
function keyOf(text: string, line: Line): string | undefined {
  const at = line.start + line.indent;
  KEY_AT.lastIndex = at;
  if (!KEY_AT.test(text)) return undefined;
  return text.slice(at, text.indexOf(':', at));
}

/** The whole cut of `text`, reusing the chunks of `state` whose text is unchanged; undefined when it must be parsed whole. */
function fullCut(text: string, state: FileState | undefined): Cut | undefined {
  if (UNSAFE.test(text)) return undefined;
  const tops: { line: Line; key: string }[] = [];
  let start = -1;
  for (const line of linesOf(text, 0, text.length)) {
    if (!line.content) continue;
    if (start < 0) {
      if (line.indent > 0) return undefined; // the first content is indented
      start = line.start;
    }
    if (line.indent > 0) continue;
    const key = keyOf(text, line);
    if (key === undefined) return undefined;
    tops.push({ line, key });
  }
  if (tops.length === 0) return undefined;
  if (new Set(tops.map((t) => t.key)).size !== tops.length) return undefined;
  const plan: Plan = { start, sections: [], pieces: [] };
  for (let i = 0; i < tops.length; i++) {
    const end = i + 1 < tops.length ? tops[i + 1].line.start : text.length;
    plan.sections.push(cutSection(text, tops[i].key, tops[i].line.start, end, plan.pieces));
  }
  // Chunks of the previous parse with the same text are reused, in order.
  const byText = new Map<string, Chunk[]>();
  for (const chunk of state?.chunks ?? []) {
    const same = byText.get(chunk.text);
    if (same) same.push(chunk);
    else byText.set(chunk.text, [chunk]);
  }
  return { plan, from: plan.pieces.map((piece) => byText.get(piece.text)?.shift()) };
}

/**
 * The section `key` at text[start, end): its pieces pushed onto `pieces`. A component section whose
 * body is plain (every line indented at least as much as its first, each line at that indentation a
 * plain key, no key twice) is cut per component; any other section is one piece.
 */
function cutSection(text: string, key: string, start: number, end: number, pieces: Piece[]): SectionPlan {
  const section: SectionPlan = { key, offset: start, end, first: pieces.length, count: 1 };
  const whole = () => {
    pieces.length = section.first;
    pieces.push({ kind: 'section', section: key, key, offset: start, text: text.slice(start, end) });
    section.count = 1;
    return section;
  };
  HEADER_AT.lastIndex = start;
  if (!COMPONENT_SECTIONS.has(key) || !HEADER_AT.test(text)) return whole();
  const headerEnd = lineEndAfter(text, start);
  const components: { start: number; key: string }[] = [];
  let indent = -1;
  for (const line of linesOf(text, headerEnd, end)) {
    if (!line.content) continue;
    if (indent < 0) indent = line.indent;
    if (indent === 0 || line.indent < indent) return whole();
    if (line.indent > indent) continue;
    const componentKey = keyOf(text, line);
    if (componentKey === undefined) return whole();
    components.push({ start: line.start, key: componentKey });
  }
  if (components.length === 0) return whole();
  const keys = new Map<string, number>();
  for (const c of components) keys.set(c.key, (keys.get(c.key) ?? 0) + 1);
  if (keys.size !== components.length) return whole();
  pieces.push({ kind: 'header', section: key, key, offset: start, text: text.slice(start, components[0].start) });
  components.forEach((c, k) => {
    const componentEnd = k + 1 < components.length ? components[k + 1].start : end;
    pieces.push({ kind: 'component', section: key, key: c.key, offset: c.start, text: text.slice(c.start, componentEnd) });
  });
  section.count = components.length + 1;
  section.indent = indent;
  section.keys = keys;
  return section;
}

/**
 * The cut of `next` from the previous cut (of `state.text`), redone only around the lines the edit
 * touched: within one component, that component's text is cut again at the section's indentation;
 * within one section otherwise, that section; anything touching a top-level line cuts everything.
 */
function recut(state: Required<FileState>, next: string, delta: TextDelta | undefined): Cut | undefined {
  const old = state.text;
  const plan = state.plan;
  if (!delta) return { plan, from: [...state.chunks] };
  const shift = delta.newEnd - delta.oldEnd;
  const from = lineStartAt(old, delta.start);
  const oldTo = lineEndAfter(old, delta.oldEnd);
  const newTo = oldTo + shift;
  const full = () => fullCut(next, state);
  if (from <= plan.start) return full();
  // The section holding every touched line, below its key line.
  let s = plan.sections.length - 1;
  while (s > 0 && plan.sections[s].offset >= from) s--;
  const section = plan.sections[s];
  if (section.offset >= from || oldTo > section.end) return full();
  // A touched line that is now at the top level starts a new section.
  for (const line of linesOf(next, from, newTo)) if (line.content && line.indent === 0) return full();
  if (UNSAFE.test(next.slice(from, newTo))) return undefined;

  // The pieces the touched lines fall in, and what replaces them.
  let first = section.first;
  while (first + 1 < section.first + section.count && plan.pieces[first + 1].offset <= from) first++;
  let last = first;
  while (last + 1 < section.first + section.count && plan.pieces[last + 1].offset < oldTo) last++;
  const region = { start: plan.pieces[first].offset, end: last + 1 < plan.pieces.length ? plan.pieces[last + 1].offset + shift : next.length };
  const replaced: Piece[] = [];
  let keys: Map<string, number> | undefined;
  const inComponents = section.indent !== undefined && plan.pieces[first].kind === 'component';
  const components = inComponents ? recutComponents(next, section, region, plan.pieces.slice(first, last + 1)) : undefined;
  let sectionPlan: SectionPlan;
  let removed: number;
  let firstReplaced: number;
  if (components) {
    replaced.push(...components.pieces);
    keys = components.keys;
    removed = last - first + 1;
    firstReplaced = first;
    sectionPlan = { ...section, end: section.end + shift, count: section.count - removed + replaced.length, keys };
  } else {
    // The whole section again (its header or indentation changed, or it is not cut per component).
    sectionPlan = cutSection(next, section.key, section.offset, section.end + shift, replaced);
    sectionPlan.first = section.first;
    removed = section.count;
    firstReplaced = section.first;
  }
  for (const piece of replaced) if (UNSAFE.test(piece.text)) return undefined;

  // The new plan: pieces before the replaced ones kept, the replaced ones, the rest moved by `shift`.
  const pieces: Piece[] = plan.pieces.slice(0, firstReplaced);
  const chunks: (Chunk | undefined)[] = state.chunks.slice(0, firstReplaced);
  for (const piece of replaced) {
    pieces.push(piece);
    chunks.push(undefined);
  }
  for (let i = firstReplaced + removed; i < plan.pieces.length; i++) {
    const piece = plan.pieces[i];
    pieces.push(shift === 0 ? piece : { ...piece, offset: piece.offset + shift });
    chunks.push(state.chunks[i]);
  }
  // A replaced piece whose text did not change (the edit's lines reach into the next piece, a section cut
  // again) keeps its chunk.
  const byText = new Map<string, Chunk[]>();
  for (let i = firstReplaced; i < firstReplaced + removed; i++) {
    const chunk = state.chunks[i];
    const same = byText.get(chunk.text);
    if (same) same.push(chunk);
    else byText.set(chunk.text, [chunk]);
  }
  for (let i = firstReplaced; i < firstReplaced + replaced.length; i++) chunks[i] = byText.get(pieces[i].text)?.shift();
  const countDelta = replaced.length - removed;
  const sections = plan.sections.map((other, k): SectionPlan => {
    if (k < s) return other;
    if (k === s) return sectionPlan;
    return { ...other, offset: other.offset + shift, end: other.end + shift, first: other.first + countDelta };
  });
  return { plan: { start: plan.start, sections, pieces }, from: chunks };
}

/**
 * The components that replace `old` (pieces of `section`) over text[region): cut at the section's
 * indentation, or undefined when the region no longer reads as whole components of this section
 * (a line indented less, a key line that is not a plain key, a first line that is not a key line, a
 * key twice in the section): then the section is cut again.
 */
function recutComponents(text: string, section: SectionPlan, region: { start: number; end: number }, old: readonly Piece[]): { pieces: Piece[]; keys: Map<string, number> } | undefined {
  const indent = section.indent!;
  const pieces: Piece[] = [];
  const starts: { start: number; key: string }[] = [];
  for (const line of linesOf(text, region.start, region.end)) {
    if (!line.content) {
      if (starts.length === 0) return undefined; // the region no longer starts with its key line
      continue;
    }
    if (line.indent < indent) return undefined;
    if (line.indent > indent) {
      if (starts.length === 0) return undefined;
      continue;
    }
    const key = keyOf(text, line);
    if (key === undefined) return undefined;
    starts.push({ start: line.start, key });
  }
  if (starts.length === 0) return undefined;
  const keys = new Map(section.keys);
  for (const piece of old) keys.set(piece.key, keys.get(piece.key)! - 1);
  for (const { key } of starts) {
    const count = (keys.get(key) ?? 0) + 1;
    if (count > 1) return undefined;
    keys.set(key, count);
  }
  for (const [key, count] of keys) if (count === 0) keys.delete(key);
  starts.forEach((c, k) => {
    const end = k + 1 < starts.length ? starts[k + 1].start : region.end;
    pieces.push({ kind: 'component', section: section.key, key: c.key, offset: c.start, text: text.slice(c.start, end) });
  });
  return { pieces, keys };
}

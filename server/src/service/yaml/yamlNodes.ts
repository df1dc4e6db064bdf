/**
 * Small helpers over the `yaml` library's nodes: alias resolution, merge keys (`<<`),
 * and offsets. Everything that walks a collector config goes through these.
 *
 * Work on a document is bounded, whatever its aliases and merge keys (issue 15: a 920-byte alias bomb of
 * mappings ran past 120 s, a merge-key bomb doubled per line, 2,000 aliases took 10 s per edit):
 * - alias targets are found once per document, in one walk in document order (the library's
 *   `Alias.resolve` walks the whole document for every alias it resolves);
 * - the entries of a mapping, merge keys expanded, are computed once per mapping (a merge-key bomb is a
 *   few dozen keys, not 2^lines expansions); merges nested deeper than MAX_MERGE_DEPTH and merged entries
 *   past MAX_MERGED_ENTRIES per document are not made;
 * - a value is expanded to plain data (for schema validation) only when its expansion, aliases followed,
 *   has at most MAX_EXPANDED_NODES nodes and MAX_EXPANDED_DEPTH levels (as the library's `maxAliasCount`
 *   bounds `toJS`), measured once per node.
 * What a bound cut off is noted on the document (`noteLimit`), and reported as `limit-exceeded`
 * (../checks/workLimits.ts) where it happened.
 *
 * These memos live on the Document they describe (a symbol property), made on first use: a parsed
 * Document is never changed, so there is nothing to invalidate and nothing outlives it.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { setOwn } from '../lookup';

export type AnyNode = Node | null | undefined;

/** Merge keys nested (a merged mapping that merges another...) deeper than this are not followed. */
export const MAX_MERGE_DEPTH = 256;
/** Entries brought in by merge keys, over all the mappings of one document. */
export const MAX_MERGED_ENTRIES = 100_000;
/** Nodes of one value with its aliases and merges expanded, for schema validation. */
export const MAX_EXPANDED_NODES = 10_000;
export const MAX_EXPANDED_DEPTH = 64;

/** A bound that cut work short on a document, where, and what was left out. */
export interface LimitEvent {
  kind: 'nesting' | 'nodes' | 'documents' | 'stream' | 'merges' | 'expansion' | 'walk';
  offset: number;
  length: number;
  /** The sentence for the diagnostic. */
  message: string;
}

/** An entry of a mapping as the Collector sees it after aliases and merge keys. */
export interface MapEntry {
  key: string;
  keyNode: Scalar;
  /** Resolved value (aliases followed); null for `key:` with no value. */
  value: AnyNode;
  pair: Pair;
  /** The mapping the pair is written in (for a merged entry, the merged mapping). */
  map: YAMLMap;
  /** True when the entry comes from a `<<` merge rather than being written in this mapping. */
  merged: boolean;
}

const IN_PROGRESS = Symbol('in progress');

interface YamlIndex {
  /** Each alias of the document and the node it names (undefined: no anchor before it). */
  targets?: Map<Alias, Node | undefined>;
  entries: Map<YAMLMap, readonly MapEntry[] | typeof IN_PROGRESS>;
  mergedLeft: number;
  /** Expanded size of a node (Infinity past the bounds, or in a cycle). */
  sizes: Map<Node, number | typeof IN_PROGRESS>;
  limits: LimitEvent[];
}

const INDEX = Symbol('otlp-tls yaml index');

function indexOf(doc: Document): YamlIndex {
  const holder = doc as unknown as { [INDEX]?: YamlIndex };
  let index = holder[INDEX];
  if (!index) {
    index = { entries: new Map(), mergedLeft: MAX_MERGED_ENTRIES, sizes: new Map(), limits: [] };
    Object.defineProperty(holder, INDEX, { value: index, enumerable: false });
  }
  return index;
}

/** At most this many places are noted per kind of bound (a thousand aliases of one bomb need not be a thousand diagnostics). */
const MAX_NOTES_PER_KIND = 10;

/** Notes that a bound cut work short at [offset, offset + length) (once per kind and place). */
export function noteLimit(doc: Document, event: LimitEvent): void {
  const { limits } = indexOf(doc);
  const sameKind = limits.filter((l) => l.kind === event.kind);
  if (sameKind.length < MAX_NOTES_PER_KIND && !sameKind.some((l) => l.offset === event.offset)) limits.push(event);
}

/** Forgets the notes of one kind (a file-level cut noted on a document that is reused by the next parse). */
export function clearLimits(doc: Document, kind: LimitEvent['kind']): void {
  const index = indexOf(doc);
  // Asked of every document of a manifest at each parse (yamlDocuments.ts), which mostly holds no note at all.
  if (index.limits.some((l) => l.kind === kind)) index.limits = index.limits.filter((l) => l.kind !== kind);
}

/** Moves the noted places with a document whose ranges moved by `delta` (a reused piece of a file). */
export function shiftLimits(doc: Document, delta: number): void {
  for (const limit of indexOf(doc).limits) limit.offset += delta;
}

/** The bounds the parse cut at (yamlCompose.ts), as they are reported with the document's syntax errors. */
export const PARSE_LIMITS: ReadonlySet<LimitEvent['kind']> = new Set(['nesting', 'nodes', 'documents', 'stream']);

/** What the bounds cut off in `doc` so far (parsing, building the model, checks). */
export function documentLimits(doc: Document): readonly LimitEvent[] {
  return indexOf(doc).limits;
}

function noteAt(doc: Document, node: unknown, kind: LimitEvent['kind'], message: string): void {
  const range = (node as { range?: number[] } | null | undefined)?.range;
  const offset = range?.[0] ?? 0;
  noteLimit(doc, { kind, offset, length: range ? Math.max(1, range[1] - range[0]) : 0, message });
}

/** The node the alias names: the last node anchored with its name before it, in document order (as Alias.resolve). */
function aliasTarget(doc: Document, alias: Alias): Node | undefined {
  const index = indexOf(doc);
  if (!index.targets) {
    const targets = new Map<Alias, Node | undefined>();
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node(_, node) {
        if (isAlias(node)) targets.set(node, anchors.get(node.source));
        else if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
      },
    });
    index.targets = targets;
  }
  // An alias that is not in the document's tree (it should not happen) is resolved the library's way.
  return index.targets.has(alias) ? index.targets.get(alias) : (alias.resolve(doc) as Node | undefined);
}

/** Follows aliases to their anchored node; guards against alias cycles. */
export function resolve(node: unknown, doc: Document): AnyNode {
  let current = node as AnyNode;
  for (let hops = 0; isAlias(current) && hops < 64; hops++) {
    current = aliasTarget(doc, current);
  }
  return isAlias(current) ? undefined : current;
}

export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN'));
}

/**
 * Entries of a mapping, merge keys expanded: explicit keys win over merged ones and the first
 * merged source wins among several, as YAML 1.1 merge semantics (and the Collector) say.
 * Computed once per mapping (the list is shared: do not change it); a merge that reaches back into a
 * mapping being merged (a cycle) brings nothing.
 */
export function mapEntries(node: AnyNode, doc: Document, depth = 0): readonly MapEntry[] {
  if (!isMap(node)) return [];
  const index = indexOf(doc);
  const known = index.entries.get(node as YAMLMap);
  if (known === IN_PROGRESS) return [];
  if (known) return known;
  index.entries.set(node as YAMLMap, IN_PROGRESS);
  const explicit: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const pair of (node as YAMLMap).items) {
    if (isMergeKey(pair.key)) {
      if (depth >= MAX_MERGE_DEPTH) {
        noteAt(doc, pair.key, 'merges', `Merge keys (<<) nested more than ${MAX_MERGE_DEPTH} deep, so this one is not followed: write the keys out. The keys it would bring are not checked.`);
        continue;
      }
      const source = resolve(pair.value, doc);
      const sources = isSeq(source) ? source.items.map((item) => resolve(item, doc)) : [source];
      for (const s of sources) {
        for (const entry of mapEntries(s, doc, depth + 1)) {
          if (index.mergedLeft <= 0) {
            noteAt(doc, pair.key, 'merges', `Merges bring in more than ${MAX_MERGED_ENTRIES.toLocaleString('en-US')} entries, so these are not made: write the keys out. Merge keys (<<) from here on in this file are not made, and the keys they would bring are not checked.`);
            break;
          }
          index.mergedLeft--;
          merged.push({ ...entry, merged: true });
        }
      }
      continue;
    }
    if (!isScalar(pair.key)) continue;
    explicit.push({ key: String(pair.key.value), keyNode: pair.key, value: resolve(pair.value, doc), pair, map: node as YAMLMap, merged: false });
  }
  const seen = new Set(explicit.map((e) => e.key));
  const result = [...explicit];
  for (const entry of merged) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    result.push(entry);
  }
  index.entries.set(node as YAMLMap, result);
  return result;
}

export function getEntry(node: AnyNode, doc: Document, key: string): MapEntry | undefined {
  return mapEntries(node, doc).find((e) => e.key === key);
}

/** The node at `path` below `node`, following aliases and merges. */
export function nodeAt(doc: Document, node: AnyNode, path: readonly (string | number)[]): AnyNode {
  let current = node;
  for (const segment of path) {
    current = typeof segment === 'number' ? (isSeq(current) ? resolve(current.items[segment], doc) : undefined) : getEntry(current, doc, segment)?.value;
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * The entry at `path` below `node` (its last segment a key), or for a last segment that is a
 * sequence index, the item there (`value` only). Aliases and merges are followed, as the checks saw them.
 */
export function entryAt(doc: Document, node: AnyNode, path: readonly (string | number)[]): MapEntry | { value: AnyNode; keyNode?: undefined } | undefined {
  if (path.length === 0) return undefined;
  const parent = nodeAt(doc, node, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'string') return getEntry(parent, doc, last);
  if (!isSeq(parent) || last >= parent.items.length) return undefined;
  return { value: resolve(parent.items[last], doc) };
}

/** [start, end) of a node's value (not including a trailing comment). */
export function nodeSpan(node: AnyNode): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** The string a scalar holds, or undefined for non-scalars. Numbers and booleans are stringified. */
export function scalarText(node: AnyNode): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : String(node.source ?? value);
}

/**
 * The number of nodes of `node` with its aliases and merges expanded, computed once per node;
 * Infinity past MAX_EXPANDED_NODES or MAX_EXPANDED_DEPTH, or for a value that contains itself.
 */
function expandedSize(node: AnyNode, doc: Document, depth = 0): number {
  if (node === null || node === undefined || !(isMap(node) || isSeq(node))) return 1;
  if (depth > MAX_EXPANDED_DEPTH) return Infinity;
  const { sizes } = indexOf(doc);
  const known = sizes.get(node);
  if (known === IN_PROGRESS) return Infinity;
  if (known !== undefined) return known;
  sizes.set(node, IN_PROGRESS);
  let size = 1;
  const children = isMap(node) ? mapEntries(node, doc).map((e) => e.value) : node.items.map((item) => resolve(item, doc));
  for (const child of children) {
    size += expandedSize(child, doc, depth + 1);
    if (size > MAX_EXPANDED_NODES) {
      size = Infinity;
      break;
    }
  }
  sizes.set(node, size);
  return size;
}

/**
 * True when `node` expands (aliases and merges followed) past the bounds, to a value too large to turn
 * into plain data; the place is noted for a `limit-exceeded` diagnostic (`what` names the value).
 */
export function expandsTooFar(node: AnyNode, doc: Document, what: string, at: AnyNode = node): boolean {
  if (expandedSize(node, doc) <= MAX_EXPANDED_NODES) return false;
  noteAt(doc, at, 'expansion', `${what} expands past ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes or ${MAX_EXPANDED_DEPTH} levels, so it is not checked: write it out. With its aliases and merge keys followed it is larger than any TLS setting (an alias bomb?).`);
  return true;
}

/** Turns a resolved node into plain JS (aliases and merges applied); undefined for one that expandsTooFar. */
export function toPlain(node: AnyNode, doc: Document, depth = 0): unknown {
  if (depth === 0 && expandedSize(node, doc) > MAX_EXPANDED_NODES) return undefined;
  if (depth > MAX_EXPANDED_DEPTH || node === undefined) return undefined;
  if (node === null) return null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const e of mapEntries(node, doc)) setOwn(out, e.key, toPlain(e.value, doc, depth + 1));
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(resolve(item, doc), doc, depth + 1));
  if (isScalar(node)) return node.value;
  return undefined;
}

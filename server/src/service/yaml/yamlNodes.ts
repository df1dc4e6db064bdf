/**
 * Small helpers over the `yaml` library's nodes: alias resolution, merge keys (`<<`),
 * and offsets. Everything that walks a collector config goes through these.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';

export type AnyNode = Node | null | undefined;

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

/** Follows aliases to their anchored node; guards against alias cycles. */
export function resolve(node: unknown, doc: Document): AnyNode {
  let current = node as AnyNode;
  for (let hops = 0; isAlias(current) && hops < 64; hops++) {
    current = current.resolve(doc) as AnyNode;
  }
  return isAlias(current) ? undefined : current;
}

export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN'));
}

/**
 * Entries of a mapping, merge keys expanded: explicit keys win over merged ones and the first
 * merged source wins among several, as YAML 1.1 merge semantics (and the Collector) say.
 */
export function mapEntries(node: AnyNode, doc: Document, depth = 0): MapEntry[] {
  if (!isMap(node)) return [];
  const explicit: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const pair of (node as YAMLMap).items) {
    if (isMergeKey(pair.key)) {
      if (depth > 32) continue;
      const source = resolve(pair.value, doc);
      const sources = isSeq(source) ? source.items.map((item) => resolve(item, doc)) : [source];
      for (const s of sources) {
        for (const entry of mapEntries(s, doc, depth + 1)) merged.push({ ...entry, merged: true });
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

/** Turns a resolved node into plain JS (aliases and merges applied), with a depth bound. */
export function toPlain(node: AnyNode, doc: Document, depth = 0): unknown {
  if (depth > 64 || node === undefined) return undefined;
  if (node === null) return null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const e of mapEntries(node, doc)) out[e.key] = toPlain(e.value, doc, depth + 1);
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(resolve(item, doc), doc, depth + 1));
  if (isScalar(node)) return node.value;
  return undefined;
}

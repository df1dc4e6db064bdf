/**
 * Units found inside another file's text (a collector config in a ConfigMap's block scalar, Helm
 * values under `config:`) are parsed from their own text, so the offsets of their model nodes and
 * problems are offsets into that text. An OffsetMap takes them to the file, so problems land on the
 * outer file's lines and fixes edit the outer file. A plain collector config or env file is its own
 * unit: the identity map.
 */

export interface OffsetMap {
  /** True when unit offsets are file offsets (nothing to map). */
  readonly identity: boolean;
  /** The file offset of a unit offset. */
  toFile(offset: number): number;
  /** The unit offset of a file offset; undefined when the file offset is outside the unit. */
  toUnit(offset: number): number | undefined;
}

export const identityMap: OffsetMap = {
  identity: true,
  toFile: (offset) => offset,
  toUnit: (offset) => offset,
};

/** The file span [offset, offset + length) of a unit span. */
export function spanToFile(map: OffsetMap, offset: number, length: number): { offset: number; length: number } {
  if (map.identity) return { offset, length };
  const start = map.toFile(offset);
  return { offset: start, length: Math.max(0, map.toFile(offset + length) - start) };
}

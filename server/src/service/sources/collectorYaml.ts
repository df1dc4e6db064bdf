/**
 * Source: a Collector config file (`*.yaml`, `*.yml` whose top-level mapping has `receivers`,
 * `exporters`, `processors`, `extensions`, `connectors` or `service`) → one collector unit, the
 * whole file. Parsed with chunk reuse (../yaml/yamlChunks.ts), so an edit re-parses only the edited
 * component; the unit's scopes are its chunks, each with its own model (reused with the chunk), so an
 * edit rebuilds the model of the edited component only and the language service checks only it.
 */
import { isMap, type Document } from 'yaml';
import { COLLECTOR_TOP_LEVEL_KEYS, chunkModel, collectorModel, isCollectorRoot, joinModels, type CollectorModel } from '../model/collector';
import type { CollectorUnit, UnitScope } from '../model/units';
import { parseChunked, settle, type Chunk, type ChunkedYaml, type YamlChunkCache } from '../yaml/yamlChunks';
import { documentLimits } from '../yaml/yamlNodes';
import type { YamlScans } from '../yaml/yamlCompose';
import type { Source, SourceUnits } from './detect';
import { identityMap, type OffsetMap } from './embedded';

/** A broken file may not parse into a mapping: a top-level collector key at the start of a line still says what it is. */
const TOP_LEVEL_KEY_LINE = /^(receivers|exporters|processors|extensions|connectors|service)[ \t]*:/m;

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

export const collectorYamlSource: Source = {
  name: 'collectorYaml',
  yaml: true,
  accepts: isYamlPath,
  read({ path, text }, { caches, hasLine, yamlScans }): SourceUnits {
    const unit = collectorUnit(text, caches.yamlChunks && { key: path, cache: caches.yamlChunks }, hasLine, yamlScans);
    return { collectors: unit ? [unit] : [], apps: [] };
  },
};

/**
 * The collector unit of a whole YAML text, or undefined when it is not a collector config. With
 * `reuse`, the chunks of the previous parse of the same file are reused (see parseChunked).
 */
export function collectorUnit(text: string, reuse?: { key: string; cache: YamlChunkCache }, hasLine: (line: RegExp) => boolean = (line) => line.test(text), scans?: YamlScans): CollectorUnit | undefined {
  const parse = parseChunked(text, reuse, scans);
  if (parse.chunks) return parse.chunks.some(isCollectorSection) ? chunkedUnit(parse, text, 0, identityMap) : undefined;
  const doc = parse.document();
  const root = doc.contents;
  // A file cut by a parse limit may have lost its collector keys: its lines still say what it is.
  const cut = documentLimits(doc).length > 0;
  const isCollector = (isMap(root) && isCollectorRoot(doc, root)) || ((!isMap(root) || cut) && hasLine(TOP_LEVEL_KEY_LINE));
  if (!isCollector) return undefined;
  return { kind: 'collector', index: 0, text, offsets: identityMap, model: collectorModel(doc, root) };
}

const TOP_LEVEL_KEY_LINES = new RegExp(TOP_LEVEL_KEY_LINE.source, 'gm');

/**
 * The collector unit of a config found inside another file (a ConfigMap value, an
 * OpenTelemetryCollector's `spec.config` string), or undefined when the text is not one. `known`: the
 * place holds a collector config by definition, so the text is one even when it does not parse;
 * otherwise a text that does not parse counts only with two different top-level collector keys at the
 * start of lines (a script or a PEM block in a ConfigMap is never taken for a broken config).
 */
export function embeddedCollectorUnit(
  text: string,
  offsets: OffsetMap,
  options: { index: number; known: boolean; reuse?: { key: string; cache: YamlChunkCache } },
): CollectorUnit | undefined {
  if (!options.known && !TOP_LEVEL_KEY_LINE.test(text)) return undefined;
  const parse = parseChunked(text, options.reuse);
  if (parse.chunks) return parse.chunks.some(isCollectorSection) ? chunkedUnit(parse, text, options.index, offsets) : undefined;
  const doc = parse.document();
  const root = doc.contents;
  const isConfig = isMap(root) && doc.errors.length === 0 ? isCollectorRoot(doc, root) : options.known || new Set([...text.matchAll(TOP_LEVEL_KEY_LINES)].map((m) => m[1])).size >= 2;
  if (!isConfig) return undefined;
  return { kind: 'collector', index: options.index, text, offsets, model: collectorModel(doc, root) };
}

/** A chunk that is (or opens) a top-level section with a collector key. */
function isCollectorSection(chunk: Chunk): boolean {
  return chunk.kind !== 'component' && COLLECTOR_TOP_LEVEL_KEYS.has(chunk.section);
}

/** A unit over the chunks of a cut config: each chunk a scope with its own model; the whole model assembled when read. */
function chunkedUnit(parse: ChunkedYaml, text: string, index: number, offsets: OffsetMap): CollectorUnit {
  const scopes: UnitScope[] = parse.chunks!.map(scopeOf);
  let model: CollectorModel | undefined;
  return {
    kind: 'collector',
    index,
    text,
    offsets,
    scopes,
    get model(): CollectorModel {
      if (!model) {
        const doc: Document = parse.document();
        model = joinModels(doc, doc.contents, scopes.map((scope) => scope.model));
      }
      return model;
    },
    set model(value: CollectorModel) {
      model = value;
    },
  };
}

/** A chunk's scope: immutable, so the one made by an earlier parse stands while the chunk, its model and its place do. */
class ChunkScope implements UnitScope {
  readonly offset: number;
  readonly length: number;

  constructor(
    private readonly chunk: Chunk,
    readonly model: CollectorModel,
  ) {
    this.offset = chunk.offset;
    this.length = chunk.text.length;
  }

  /** A function of its own (the workspace index keeps it apart from the scope); made once per scope, as scopes are kept. */
  readonly settle = (): void => settle(this.chunk);
}

/** The last scope made of each chunk, kept in it (a cut config's edit leaves most chunks, and their scopes, as they were). */
function scopeOf(chunk: Chunk): UnitScope {
  const model = modelOf(chunk);
  const known = chunk.view;
  if (known instanceof ChunkScope && known.offset === chunk.offset && known.length === chunk.text.length && known.model === model) return known;
  const scope = new ChunkScope(chunk, model);
  chunk.view = scope;
  return scope;
}

const CONSUMER = 'collector';

/** The chunk's model, built once per chunk (and kind and section) and kept in it while it is reused. */
function modelOf(chunk: Chunk): CollectorModel {
  const derived = chunk.derived;
  if (derived?.consumer === CONSUMER && derived.kind === chunk.kind && derived.section === chunk.section) return derived.value as CollectorModel;
  settle(chunk);
  const value = chunkModel(chunk.doc, chunk.kind, chunk.section);
  chunk.derived = { consumer: CONSUMER, kind: chunk.kind, section: chunk.section, value };
  return value;
}

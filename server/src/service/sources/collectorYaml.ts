/**
 * Source: a Collector config file (`*.yaml`, `*.yml` whose top-level mapping has `receivers`,
 * `exporters`, `processors`, `extensions`, `connectors` or `service`) → one collector unit, the
 * whole file. Parsed with chunk reuse (../yaml/yamlChunks.ts), so an edit re-parses only the edited
 * component.
 */
import { isMap } from 'yaml';
import { collectorModel, isCollectorRoot } from '../model/collector';
import type { CollectorUnit } from '../model/units';
import { parseYaml, type YamlChunkCache } from '../yaml/yamlChunks';
import { documentLimits } from '../yaml/yamlNodes';
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
  read({ path, text }, { caches }): SourceUnits {
    const unit = collectorUnit(text, { key: path, cache: caches.yamlChunks });
    return { collectors: unit ? [unit] : [], apps: [] };
  },
};

/**
 * The collector unit of a whole YAML text, or undefined when it is not a collector config. With
 * `reuse`, the chunks of the previous parse of the same file are reused (see parseYaml).
 */
export function collectorUnit(text: string, reuse?: { key: string; cache: YamlChunkCache }): CollectorUnit | undefined {
  const doc = parseYaml(text, reuse);
  const root = doc.contents;
  // A file cut by a parse limit may have lost its collector keys: its lines still say what it is.
  const cut = documentLimits(doc).length > 0;
  const isCollector = (isMap(root) && isCollectorRoot(doc, root)) || ((!isMap(root) || cut) && TOP_LEVEL_KEY_LINE.test(text));
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
  const doc = parseYaml(text, options.reuse);
  const root = doc.contents;
  const isConfig = isMap(root) && doc.errors.length === 0 ? isCollectorRoot(doc, root) : options.known || new Set([...text.matchAll(TOP_LEVEL_KEY_LINES)].map((m) => m[1])).size >= 2;
  if (!isConfig) return undefined;
  return { kind: 'collector', index: options.index, text, offsets, model: collectorModel(doc, root) };
}

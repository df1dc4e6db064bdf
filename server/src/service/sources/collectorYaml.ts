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
import { identityMap } from './embedded';

/** A broken file may not parse into a mapping: a top-level collector key at the start of a line still says what it is. */
const TOP_LEVEL_KEY_LINE = /^(receivers|exporters|processors|extensions|connectors|service)[ \t]*:/m;

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

export const collectorYamlSource: Source = {
  name: 'collectorYaml',
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

/**
 * Which format a file is, by its path and its content, and the one registry of sources. A source
 * (one file per input format in this folder) turns one file's text into units (../model/units.ts).
 * Adding a format is a new file here and one line in SOURCES; the checks, the pairing and the
 * editor features then run on its units unchanged.
 */
import type { Caches } from '../caches';
import { emptyFile, type AppUnit, type CollectorUnit, type ParsedFile } from '../model/units';
import { collectorYamlSource } from './collectorYaml';
import { envFileSource } from './envFile';

export interface SourceUnits {
  collectors: CollectorUnit[];
  apps: AppUnit[];
}

export interface Source {
  /** The name of its file in sources/. */
  name: string;
  /** Whether a file at `path` may hold this format (its content decides in `read`). */
  accepts(path: string): boolean;
  /** The units the file holds; none when its content is not of this format. */
  read(file: { path: string; text: string }, caches: Caches): SourceUnits;
}

/** Every source, in the order they are tried: the first that finds units in a file reads it. */
export const SOURCES: readonly Source[] = [envFileSource, collectorYamlSource];

/** Whether some source may read a file at `path` (the CLI's folder walk, the server's workspace scan). */
export function isSourcePath(path: string): boolean {
  return SOURCES.some((source) => source.accepts(path));
}

/** The units of the file at `path` with `text`, read by the first source that finds any. */
export function readSource(path: string, text: string, caches: Caches): ParsedFile {
  for (const source of SOURCES) {
    if (!source.accepts(path)) continue;
    const units = source.read({ path, text }, caches);
    if (units.collectors.length > 0 || units.apps.length > 0) return { path, text, source: source.name, ...units };
  }
  return emptyFile(path, text);
}

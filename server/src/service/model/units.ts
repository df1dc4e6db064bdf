/**
 * What a source makes of a file: units, each with the place it occupies in the file. A collector
 * unit is a CollectorModel built from a YAML root node, with the offset map from its text to the
 * file; an app unit is the OTLP settings of one app, with what its source knows about editing them.
 * The language service checks each collector unit with the collector checks and each app unit with
 * the app checks; the workspace index holds the units of every file.
 */
import type { OffsetMap } from '../sources/embedded';
import type { AppSetting, AppSettings } from './appSettings';
import type { CollectorModel } from './collector';

export interface CollectorUnit {
  kind: 'collector';
  /** Its index in ParsedFile.collectors (what locators name). */
  index: number;
  /** The unit's own text: model node ranges and problems are offsets into it. */
  text: string;
  offsets: OffsetMap;
  model: CollectorModel;
}

/** A text edit in a unit's offsets. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

/** How an app unit's source edits its settings, in its own syntax (quotes, `export `, line layout). */
export interface AppEdits {
  /** The name as written replaced by `name`. */
  rename(setting: AppSetting, name: string): TextChange;
  /** The value as written replaced by `value`, keeping the setting's quotes, quoting where needed. */
  setValue(setting: AppSetting, value: string): TextChange;
  /** The setting removed, with its line. */
  remove(setting: AppSetting): TextChange;
  /** A setting `name` with `value` added on its own line before or after `setting`, laid out like it. */
  add(setting: AppSetting, where: 'before' | 'after', name: string, value: string): TextChange;
}

export interface AppUnit extends AppSettings {
  kind: 'app';
  /** Its index in ParsedFile.apps (what locators name). */
  index: number;
  /** The unit's own text: setting spans and problems are offsets into it. */
  text: string;
  offsets: OffsetMap;
  edits: AppEdits;
}

export type Unit = CollectorUnit | AppUnit;

/** A file as its source read it: every unit it holds. */
export interface ParsedFile {
  /** Absolute file system path. */
  path: string;
  text: string;
  /** The source that read it (sources/detect.ts), undefined when no source took it. */
  source?: string;
  collectors: CollectorUnit[];
  apps: AppUnit[];
}

/** A file with no units (not a format the product reads, or too large to read). */
export function emptyFile(path: string, text: string): ParsedFile {
  return { path, text, collectors: [], apps: [] };
}

/** The file holds units, so it may change what other files pair with. */
export function hasUnits(file: ParsedFile): boolean {
  return file.collectors.length > 0 || file.apps.length > 0;
}

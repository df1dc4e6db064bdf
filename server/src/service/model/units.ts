/**
 * What a source makes of a file: units, each with the place it occupies in the file. A collector
 * unit is a CollectorModel built from a YAML root node, with the offset map from its text to the
 * file; an app unit is the OTLP settings of one app, with what its source knows about editing them.
 * The language service checks each collector unit with the collector checks and each app unit with
 * the app checks; the workspace index holds the units of every file.
 */
import type { Document } from 'yaml';
import type { Problem } from '../languageTypes';
import type { PathMapping } from '../settings';
import type { OffsetMap } from '../sources/embedded';
import type { AppSetting, AppSettings } from './appSettings';
import type { CollectorModel } from './collector';
import type { ContainerContext, KubernetesObject } from './kubernetes';
import type { InstrumentationTag, PodInjection } from './operatorInjection';

/** What a unit found inside a larger file (a manifest, Helm values) says about where it sits and runs. */
export interface UnitPlace {
  /**
   * Which part of the file the unit is, for messages (`container app of Deployment shop/checkout`,
   * `ConfigMap default/otel-agent data.relay`); undefined for a file that is one unit.
   */
  label?: string;
  /** The container the unit's process runs in, when the file says it runs in a cluster (its files are not on this machine). */
  container?: ContainerContext;
  /**
   * What the language service keeps the unit's check results under, when not the unit object itself: the
   * manifest source makes a unit of an unchanged document anew (it moved: an edit above it changed its
   * offsets), and the new unit stands for the same checks (../sources/kubernetesManifest.ts). `offset` is
   * where the unit's offsets are now relative to any earlier unit of that key (the document's start, for a
   * unit over the file's text; 0 for one over its own text), so kept problems move with it.
   */
  keptAs?: { key: object; offset: number };
}

export interface CollectorUnit extends UnitPlace {
  kind: 'collector';
  /** Its index in ParsedFile.collectors (what locators name). */
  index: number;
  /** The unit's own text: model node ranges and problems are offsets into it. */
  text: string;
  offsets: OffsetMap;
  /**
   * The whole config. For a unit cut into chunks it is assembled on first read, with every chunk's
   * nodes moved into place; the checks of the language service read `scopes` instead.
   */
  model: CollectorModel;
  /**
   * The parts of the unit checked on their own, in text order (the chunks of a cut config,
   * ../yaml/yamlChunks.ts); undefined when the unit is checked whole (languageService.ts).
   */
  scopes?: readonly UnitScope[];
  /** Unit offsets from `offset` on are not the file's but defaults it is merged over (Helm values over the chart's): `what` they are. */
  defaultsFrom?: { offset: number; what: string };
}

/**
 * A part of a collector unit whose problems depend only on its own text (and the files, settings and
 * workspace its checks read): one chunk of a cut config. Its model is the same object while the chunk
 * is reused, so the language service keeps the problems found on it (checkCache.ts).
 */
export interface UnitScope {
  /** Where it starts in the unit's text now, and its length. */
  offset: number;
  length: number;
  /** Its components, tls blocks, listeners and exporters, over its own document. */
  model: CollectorModel;
  /** Moves its nodes to where its text is now (a reused chunk below an edit moves lazily); call before reading their ranges. */
  settle(): void;
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

export interface AppUnit extends AppSettings, UnitPlace {
  kind: 'app';
  /** Its index in ParsedFile.apps (what locators name). */
  index: number;
  /**
   * The unit's own text: setting spans and problems are offsets into it. With `parts`, the texts of
   * the other files it read follow its own (see UnitPart).
   */
  text: string;
  offsets: OffsetMap;
  edits: AppEdits;
  /**
   * Other files whose settings belong to this app (a compose service's env_file, the Java agent's
   * properties file, the declarative file OTEL_CONFIG_FILE names): their texts are appended to the
   * unit's text, each at `offset`, and their settings are copies with an `origin`. A problem inside a
   * part belongs to that file: the language service reports it there, not here (see languageService.ts).
   */
  parts?: UnitPart[];
  /** Container path prefix → local path, for the files this app names (compose bind mounts, secrets, configs). */
  mounts?: PathMapping[];
  /** Problems its source found while reading it (the declarative config's schema), in unit offsets. */
  problems?: Problem[];
  /** With OTEL_CONFIG_FILE set: the file it names, where it was looked for, and what it was found to be (../sources/linkedFiles.ts). */
  configFile?: ConfigFileLink;
  /** A YAML source (the declarative config): its document, for fixes of its keys (locator `{ app, path }`). */
  yaml?: { doc: Document; root: unknown };
  /** A compose service: its name. */
  service?: string;
  /** A compose service's env_file entries (checks/composeEnvFiles.ts). */
  envFiles?: EnvFileEntry[];
  /** A container the OpenTelemetry Operator instruments (an inject annotation): resolved against the workspace (./operatorInjection.ts). */
  injection?: PodInjection;
  /** An operator Instrumentation resource's unit: which one, and which language block. */
  instrumentation?: InstrumentationTag;
}

/** One `env_file:` entry of a compose service. */
export interface EnvFileEntry {
  /** Absolute path. */
  path: string;
  /** As written. */
  written: string;
  required: boolean;
  /** `format: raw`: values are not interpolated. */
  raw: boolean;
  /** The span of the path's scalar. */
  offset: number;
  length: number;
}

/** What an app's OTEL_CONFIG_FILE names. */
export interface ConfigFileLink {
  /** The OTEL_CONFIG_FILE (or OTEL_EXPERIMENTAL_CONFIG_FILE) setting. */
  setting: AppSetting;
  /** The local file it was found at (a declarative config), when found. */
  found?: string;
  /** The local paths tried, when not found (or found but not a declarative config: `notDeclarative`). */
  tried: string[];
  notDeclarative?: boolean;
  /** The env names the file references for substitution (`${OTEL_EXPORTER_OTLP_ENDPOINT}`). */
  referenced: string[];
}

/** The text of another file inside an app unit's text (AppUnit.parts). */
export interface UnitPart {
  /** Absolute path of that file. */
  path: string;
  /** Where its text starts in the unit's text, and its length. */
  offset: number;
  length: number;
  /** Why it belongs to the app, for messages: `env_file of service app`. */
  role: string;
  /**
   * Problems inside the part are the app's, reported at this span of the unit's own text (what an
   * Instrumentation injects into an annotated pod: on the annotation), unless the part's own file
   * reports the same problem itself.
   */
  at?: { offset: number; length: number };
  /** The label the part's own file reports its problems with (`Instrumentation shop/java`). */
  label?: string;
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
  /** Problems the source found in the file itself, outside its units (the YAML syntax of a manifest). */
  problems?: Problem[];
  /** The Kubernetes objects of a manifest, every kind (Services and Secrets included), for cross-file checks. */
  kubernetes?: KubernetesObject[];
  /** Other files its source read (a compose file's `.env` and env_files...): a change to one of them changes this file's units. */
  dependencies?: string[];
  /** Files its source names that must be read as a given source although their names are not the source's (a compose env_file): path → source name. */
  references?: Record<string, string>;
}

/** The length of an app unit's own text (what follows belongs to its parts). */
export function ownLength(unit: AppUnit): number {
  return unit.parts?.length ? unit.parts[0].offset - 1 : unit.text.length;
}

/** The part of an app unit holding `offset`, undefined for its own text. */
export function partAt(unit: AppUnit, offset: number): UnitPart | undefined {
  return unit.parts?.find((part) => offset >= part.offset && offset <= part.offset + part.length);
}

/** A file with no units (not a format the product reads, or too large to read). */
export function emptyFile(path: string, text: string): ParsedFile {
  return { path, text, collectors: [], apps: [] };
}

/** The file holds units (or Kubernetes objects), so it may change what other files pair with. */
export function hasUnits(file: ParsedFile): boolean {
  return file.collectors.length > 0 || file.apps.length > 0 || (file.kubernetes?.length ?? 0) > 0;
}

/**
 * Which format a file is, by its path and its content, and the one registry of sources. A source
 * (one file per input format in this folder) turns one file's text into units (../model/units.ts).
 * Adding a format is a new file here and one line in SOURCES; the checks, the pairing and the
 * editor features then run on its units unchanged. Every app unit then goes through the one model
 * step of ../model/processSettings.ts (JVM options, precedence, the SDK a Java property names,
 * OTEL_CONFIG_FILE) and ./linkedFiles.ts (the files an app's settings name: the Java agent's properties
 * file, the declarative config file).
 */
import type { Caches } from '../caches';
import type { Problem } from '../languageTypes';
import type { KubernetesObject } from '../model/kubernetes';
import { settle } from '../model/processSettings';
import { YamlScans, yamlLineBreaks } from '../yaml/yamlCompose';
import { emptyFile, type AppUnit, type CollectorUnit, type ParsedFile } from '../model/units';
import { collectorYamlSource } from './collectorYaml';
import { composeSource } from './compose';
import { declarativeConfigSource } from './declarativeConfig';
import { dockerfileSource } from './dockerfile';
import { envFileSource } from './envFile';
import { helmValuesSource } from './helmValues';
import { kubernetesManifestSource } from './kubernetesManifest';
import { linkFiles } from './linkedFiles';
import { propertiesFileSource } from './propertiesFile';

export interface SourceUnits {
  collectors: CollectorUnit[];
  apps: AppUnit[];
  /** Problems in the file outside its units (ParsedFile.problems). */
  problems?: Problem[];
  /** The file's Kubernetes objects (ParsedFile.kubernetes). */
  kubernetes?: KubernetesObject[];
  /** The file is of this format even without units (a manifest of Services only, a Helm template): no later source reads it. */
  claimed?: boolean;
  /** Files the source names that must be read as `source` although their names are not that source's (a compose env_file). */
  references?: Record<string, string>;
}

/** What a source may ask besides the file's text: other files (read through the runtime, recorded as dependencies), the environment. */
export interface SourceContext extends BaseSourceContext {
  /** Another file read by `source` as its units (settled, not linked): the parts of an app that reads it. */
  readUnits(path: string, source: string): { apps: AppUnit[] } | undefined;
  /**
   * Whether a line of the file being read matches `pattern` (anchored at a line start with `^` and the
   * `m` flag, within one line): the look a source takes before parsing, kept per file and updated from
   * the lines an edit changed (../text/lineTests.ts), so it costs nothing per keystroke.
   */
  hasLine(pattern: RegExp): boolean;
  /**
   * The read's memo of the last YAML text lexed and parsed (../yaml/yamlCompose.ts YamlScans): a source
   * parsing the text another source parsed and turned down gives it to composeYaml, and the text is not
   * lexed again.
   */
  yamlScans: YamlScans;
}

/** What the language service gives readSource (readUnits is readSource's own). */
export interface BaseSourceContext {
  caches: Caches;
  /** Another file's text (a compose file's `.env`); undefined when missing or not readable. */
  readText(path: string): string | undefined;
  /** Whether `path` exists (stat), for a required env_file: `undefined` when it cannot be examined. */
  exists(path: string): boolean | undefined;
  /** The local paths a path an app names may mean (path mappings, then the app's mounts), in the order tried. */
  candidatePaths(written: string, referringPath: string, mounts: AppUnit['mounts']): string[];
  /** The environment `${env:…}` and declarative substitution read when no app supplies one. */
  getEnv(name: string): string | undefined;
}

export interface Source {
  /** The name of its file in sources/. */
  name: string;
  /**
   * The format is YAML: `read` gets the text with YAML's line breaks (a lone CR as an LF, offsets unchanged:
   * ../yaml/yamlCompose.ts yamlLineBreaks), so its line-based helpers see the lines the parser and the editor see.
   */
  yaml?: boolean;
  /** Whether a file at `path` may hold this format (its content decides in `read`). */
  accepts(path: string): boolean;
  /** The units the file holds; none when its content is not of this format. */
  read(file: { path: string; text: string }, context: SourceContext): SourceUnits;
}

/**
 * Every source, in the order they are tried: the first that finds units in a file (or claims it) reads
 * it. Kubernetes manifests and Helm values come before plain collector configs: a values file has a
 * top-level `service:` too.
 */
export const SOURCES: readonly Source[] = [envFileSource, dockerfileSource, propertiesFileSource, declarativeConfigSource, composeSource, kubernetesManifestSource, helmValuesSource, collectorYamlSource];

/** Whether some source may read a file at `path` (the CLI's folder walk, the server's workspace scan). */
export function isSourcePath(path: string): boolean {
  return SOURCES.some((source) => source.accepts(path));
}

export interface ReadOptions {
  /** Read it as this source, whatever its name (a compose env_file). */
  source?: string;
  /** Leave out ./linkedFiles.ts (the units are another app's parts; that app links). */
  unlinked?: boolean;
  /** The memo the sources of this read share (a new one by default; a test gives one to read its counter). */
  yamlScans?: YamlScans;
}

/** The units of the file at `path` with `text`, read by the first source that finds any. */
export function readSource(path: string, text: string, context: BaseSourceContext, options: ReadOptions = {}): ParsedFile {
  const read: string[] = [];
  const tracking: SourceContext = {
    ...context,
    readText(other) {
      read.push(other);
      return context.readText(other);
    },
    exists(other) {
      read.push(other);
      return context.exists(other);
    },
    hasLine: (pattern) => context.caches.lineTests.test(path, text, pattern),
    yamlScans: options.yamlScans ?? new YamlScans(),
    readUnits(other, source) {
      read.push(other);
      const text = context.readText(other);
      if (text === undefined || options.unlinked) return undefined; // one level: a part reads no parts
      const parsed = readSource(other, text, tracking, { source, unlinked: true });
      return { apps: parsed.apps };
    },
  };
  const sources = options.source ? SOURCES.filter((s) => s.name === options.source) : SOURCES.filter((s) => s.accepts(path));
  let yamlText: string | undefined;
  for (const source of sources) {
    const { claimed, problems, kubernetes, ...units } = source.read({ path, text: source.yaml ? (yamlText ??= yamlLineBreaks(text)) : text }, tracking);
    if (!claimed && units.collectors.length === 0 && units.apps.length === 0) continue;
    const apps = units.apps.map((unit) => {
      const settled = settle(unit);
      return options.unlinked ? settled : linkFiles(settled, path, tracking);
    });
    const parsed: ParsedFile = { path, text, source: source.name, collectors: units.collectors, apps };
    if (problems?.length) parsed.problems = problems;
    if (kubernetes?.length) parsed.kubernetes = kubernetes;
    if (read.length) parsed.dependencies = [...new Set(read)];
    if (units.references && Object.keys(units.references).length) parsed.references = units.references;
    return parsed;
  }
  return emptyFile(path, text);
}

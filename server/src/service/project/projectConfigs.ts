/**
 * Which `.otlp-tls.yaml` governs a file, and what the file is checked with once it is merged in.
 *
 * **Finding it.** A file takes the nearest `.otlp-tls.yaml` in its own folder or a folder above it. The
 * search stops after a folder that holds `.git` (the repository root), after a boundary folder (the
 * server passes its workspace folders; the CLI passes none) and at the filesystem root. One file
 * applies, the nearest: files further up are not merged in (as with Prettier or Ruff), so a folder's
 * file says everything for its subtree.
 *
 * **Merging.** Per setting, the one that speaks last wins: the editor's settings (`otlpTls.*`, or the
 * defaults), then `.otlp-tls.yaml`, then the command line (`--path-map`, `--sdk`). Path mappings are
 * merged per prefix, environment values per variable; `sdk` is the file's last matching rule; a
 * `# otlp-tls: sdk=` line in an env file still wins over all of them (checks/check.ts).
 *
 * Files are read through the Runtime's file system (stat first, the one size limit) and kept for the
 * life of the language service: the server builds a new one when a `.otlp-tls.yaml` changes on disk.
 */
import { dirname, join, relative, sep } from 'node:path';
import type { DiagnosticCode } from '../diagnosticCodes';
import type { Runtime } from '../runtime';
import type { SdkId } from '../sdk/sdks';
import { mappedPrefix, type PathMapping, type Settings } from '../settings';
import { readSourceFile } from '../sourceFile';
import { PROJECT_CONFIG_FILE, parseProjectConfig, type ProjectConfig, type SeverityLevel } from './configFile';

/** What the command line says; it wins over `.otlp-tls.yaml` (`sdk: 'any'`: "--sdk any", no SDK named). */
export interface CommandLineSettings {
  pathMappings?: PathMapping[];
  sdk?: SdkId | 'any';
}

export interface ProjectConfigOptions {
  /** Folders the search goes no higher than (the server's workspace folders). */
  boundaries?: readonly string[];
  commandLine?: CommandLineSettings;
  /** false: no `.otlp-tls.yaml` is looked for (the settings apply as given). */
  enabled?: boolean;
}

/** What one file is checked with. */
export interface FileConfig {
  /** The `.otlp-tls.yaml` that governs the file, if any. */
  config?: ProjectConfig;
  settings: Settings;
  runtime: Runtime;
  severity: Partial<Record<DiagnosticCode, SeverityLevel>>;
  /** The file matches an `ignore` pattern: it is not checked and takes no part in pairing. */
  ignored: boolean;
}

export interface ProjectConfigs {
  /** The configuration of the file at `path` (absolute). */
  forFile(path: string): FileConfig;
  /** The `.otlp-tls.yaml` that governs files in `folder`, if any. */
  nearest(folder: string): ProjectConfig | undefined;
}

export function createProjectConfigs(runtime: Runtime, settings: Settings, options: ProjectConfigOptions = {}): ProjectConfigs {
  const boundaries = new Set(options.boundaries ?? []);
  const commandLine = options.commandLine ?? {};
  /** folder → the config that governs it (null: none). */
  const governing = new Map<string, ProjectConfig | null>();
  const unconfigured: FileConfig = { settings: withCommandLine(settings, commandLine), runtime, severity: {}, ignored: false };
  const byConfig = new Map<ProjectConfig, Omit<FileConfig, 'ignored'>>();

  function exists(path: string): boolean {
    try {
      return runtime.fileSystem.stat(path) !== undefined;
    } catch {
      return false;
    }
  }

  function nearest(folder: string): ProjectConfig | undefined {
    if (options.enabled === false) return undefined;
    const visited: string[] = [];
    let found: ProjectConfig | null = null;
    for (let current = folder; ; current = dirname(current)) {
      const known = governing.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      visited.push(current);
      const file = join(current, PROJECT_CONFIG_FILE);
      const read = exists(file) ? readSourceFile(runtime.fileSystem, file) : undefined;
      if (read && read.status !== 'missing') {
        // An unreadable one still governs its folder (with nothing in it): its own check reports why.
        found = parseProjectConfig(file, read.status === 'read' ? read.text : '').config;
        break;
      }
      if (boundaries.has(current) || exists(join(current, '.git')) || dirname(current) === current) break;
    }
    for (const path of visited) governing.set(path, found);
    return found ?? undefined;
  }

  function applied(config: ProjectConfig): Omit<FileConfig, 'ignored'> {
    let result = byConfig.get(config);
    if (!result) {
      const environment = config.environment;
      const merged: Settings = {
        ...settings,
        pathMappings: mergeMappings(settings.pathMappings, config.pathMappings),
        ...(config.expiryWarningDays !== undefined ? { expiryWarningDays: config.expiryWarningDays } : {}),
      };
      result = {
        config,
        settings: withCommandLine(merged, commandLine),
        runtime: Object.keys(environment).length ? { ...runtime, getEnv: (name) => (Object.prototype.hasOwnProperty.call(environment, name) ? environment[name] : runtime.getEnv(name)) } : runtime,
        severity: config.severity,
      };
      byConfig.set(config, result);
    }
    return result;
  }

  // One FileConfig object per path, for the service's life (as what it is made of): the language
  // service keeps check results per configuration object.
  const byPath = new Map<string, FileConfig>();
  return {
    nearest,
    forFile(path) {
      let known = byPath.get(path);
      if (!known) {
        known = configFor(path);
        byPath.set(path, known);
      }
      return known;
    },
  };

  function configFor(path: string): FileConfig {
    {
      const config = nearest(dirname(path));
      if (!config) return unconfigured;
      const base = applied(config);
      const rel = relative(config.folder, path).split(sep).join('/');
      const ignored = config.ignore.some((pattern) => pattern.matches(rel));
      let sdk: SdkId | 'any' | undefined;
      for (const rule of config.sdk) if (!rule.pattern || rule.pattern.matches(rel)) sdk = rule.sdk;
      if (sdk === undefined || commandLine.sdk !== undefined) return { ...base, ignored };
      const { sdk: _previous, ...rest } = base.settings;
      return { ...base, ignored, settings: sdk === 'any' ? rest : { ...rest, sdk } };
    }
  }
}

/** Mappings of `over` replace those of `base` with the same prefix; the others are kept. */
export function mergeMappings(base: readonly PathMapping[], over: readonly PathMapping[]): PathMapping[] {
  const replaced = new Set(over.map((m) => mappedPrefix(m.from)));
  return [...base.filter((m) => !replaced.has(mappedPrefix(m.from))), ...over];
}

function withCommandLine(settings: Settings, commandLine: CommandLineSettings): Settings {
  let result = settings;
  if (commandLine.pathMappings?.length) result = { ...result, pathMappings: mergeMappings(result.pathMappings, commandLine.pathMappings) };
  if (commandLine.sdk !== undefined) {
    const { sdk: _previous, ...rest } = result;
    result = commandLine.sdk === 'any' ? rest : { ...rest, sdk: commandLine.sdk };
  }
  return result;
}

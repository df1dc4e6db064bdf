/**
 * The facade of the pure core: files in, problems out. The LSP server and the CLI call only this.
 * No `vscode`, no LSP connection, no `fs`: the Runtime brings the outside world. One instance per
 * workspace state (settings, roots): it owns the caches (../caches.ts), so whatever it parsed or read
 * is reused across validations and forgotten with it.
 */
import { createCaches, type Caches } from './caches';
import { createCheckContext, type Check, type CheckContext, type SourceDocument } from './checks/check';
import { cipherSuites } from './checks/cipherSuites';
import { collectorCertificates } from './checks/collectorCertificates';
import { envCertificates } from './checks/envCertificates';
import { exporterToReceiver } from './checks/exporterToReceiver';
import { handshake } from './checks/handshake';
import { endpointScheme } from './checks/endpointScheme';
import { envEndpoint } from './checks/envEndpoint';
import { envHeaders } from './checks/envHeaders';
import { envTlsIgnored } from './checks/envTlsIgnored';
import { envSdkSupport } from './checks/envSdkSupport';
import { sdkDirectiveCheck } from './checks/sdkDirective';
import { envVariables } from './checks/envVariables';
import { insecureSkipVerify } from './checks/insecureSkipVerify';
import { legacyTlsKeys } from './checks/legacyTlsKeys';
import { mtlsNotEnforced } from './checks/mtlsNotEnforced';
import { tlsConflicts } from './checks/tlsConflicts';
import { tlsSchema } from './checks/tlsSchema';
import { unresolvedPaths } from './checks/unresolvedPaths';
import { weakTlsVersion } from './checks/weakTlsVersion';
import { yamlSyntax } from './checks/yamlSyntax';
import { editorFeatures, type EditorFeatures } from './features/editorFeatures';
import type { Problem } from './languageTypes';
import { buildTlsMap, type TlsMap } from './features/tlsMap';
import { envConfigFile } from './checks/envConfigFile';
import { composeEnvFiles } from './checks/composeEnvFiles';
import type { DiagnosticData, Locator } from './languageTypes';
import { settingAt } from './model/processSettings';
import { emptyFile, ownLength, partAt, type AppUnit, type ParsedFile } from './model/units';
import { emptyWorkspace, type WorkspaceIndex } from './model/workspace';
import { candidatePaths } from './certificates/certificateFiles';
import type { Runtime } from './runtime';
import { withMounts, type Settings } from './settings';
import { readSourceFile, sizeProblem } from './sourceFile';
import { readSource, type BaseSourceContext } from './sources/detect';
import { spanToFile } from './sources/embedded';

/** Every check, in the order their problems are listed for the same offset. */
export const checks: readonly Check[] = [
  yamlSyntax,
  tlsSchema,
  legacyTlsKeys,
  tlsConflicts,
  cipherSuites,
  weakTlsVersion,
  insecureSkipVerify,
  mtlsNotEnforced,
  endpointScheme,
  unresolvedPaths,
  collectorCertificates,
  envCertificates,
  handshake,
  exporterToReceiver,
  envVariables,
  envHeaders,
  envEndpoint,
  envTlsIgnored,
  envSdkSupport,
  sdkDirectiveCheck,
  envConfigFile,
  composeEnvFiles,
] as readonly Check[];

export interface LanguageServiceOptions {
  runtime: Runtime;
  settings: Settings;
  /**
   * The other files of the workspace, for cross-file checks; asked for at each validation, so the
   * adapter can update it without a new service.
   */
  workspace?: () => WorkspaceIndex;
  /** The text of a file as the editor holds it (an open document), before the disk: for the files a source reads besides its own. */
  readDocument?: (path: string) => string | undefined;
}

export interface LanguageService extends EditorFeatures {
  /**
   * The file's units, read once; pass the result back to `validate` and the features to avoid reading it
   * twice. `source` reads it as that source whatever its name (a compose env_file: ParsedFile.references).
   */
  parse(document: SourceDocument, options?: { source?: string }): ParsedFile;
  /** Collector checks on each collector unit, app checks on each app unit; problems in file offsets, in file order. */
  validate(document: SourceDocument, parsed?: ParsedFile): Problem[];
  /**
   * The TLS map of the workspace (features/tlsMap.ts). The edges' diagnostics are the files' problems
   * as `validate` finds them, unless the caller passes the problems it already has (the CLI).
   */
  tlsMap(options?: { problemsOf?: (path: string) => readonly Problem[] }): TlsMap;
}

export function getLanguageService(options: LanguageServiceOptions): LanguageService {
  const caches: Caches = createCaches();
  const workspace = options.workspace ?? (() => emptyWorkspace);
  const access = { runtime: options.runtime, settings: options.settings, caches };

  const { runtime } = options;
  const sources: BaseSourceContext = {
    caches,
    readText(path) {
      const open = options.readDocument?.(path);
      if (open !== undefined) return open;
      const file = readSourceFile(runtime.fileSystem, path);
      return file.status === 'read' ? file.text : undefined;
    },
    exists(path) {
      if (options.readDocument?.(path) !== undefined) return true;
      try {
        return runtime.fileSystem.stat(path) !== undefined;
      } catch {
        return undefined;
      }
    },
    candidatePaths: (written, referringPath, mounts) => candidatePaths(written, referringPath, withMounts(options.settings, mounts)),
    getEnv: runtime.getEnv,
  };

  function parse(document: SourceDocument, parseOptions: { source?: string } = {}): ParsedFile {
    if (sizeProblem(document.text.length)) return emptyFile(document.path, document.text);
    return readSource(document.path, document.text, sources, parseOptions);
  }

  function validate(document: SourceDocument, parsed = parse(document)): Problem[] {
    const tooLarge = sizeProblem(document.text.length);
    if (tooLarge) return [tooLarge];
    const index = workspace();
    const problems: Problem[] = [];
    const run = (unit: Parameters<typeof createCheckContext>[0], file: SourceDocument, mounts?: Settings['pathMappings']): Problem[] => {
      const context = createCheckContext(unit, file, access, index, mounts);
      const found: Problem[] = [];
      for (const check of checks) {
        if (check.kind !== unit.kind) continue;
        // One by one: a hostile file can hold more problems than a spread call takes arguments.
        for (const p of (check.run as (c: CheckContext) => Problem[])(context)) found.push(p);
      }
      if (unit.kind === 'app') for (const p of unit.problems ?? []) found.push(p);
      return found;
    };
    for (const unit of parsed.collectors) {
      for (const p of run(unit, document, index.mountsOf(document.path))) problems.push(unit.offsets.identity ? p : { ...p, ...spanToFile(unit.offsets, p.offset, p.length) });
    }
    // A file another app reads as one of its parts (a compose env_file, a declarative config an
    // OTEL_CONFIG_FILE names) is judged as part of each such app, not alone.
    const readers = index.appsReading(document.path);
    if (readers.length > 0 && parsed.apps.length > 0) {
      for (const reader of readers) {
        for (const part of reader.unit.parts ?? []) {
          if (part.path !== document.path) continue;
          for (const p of run(reader.unit, reader)) {
            if (partAt(reader.unit, p.offset) !== part) continue;
            problems.push(inPart(p, reader.unit, part.offset, parsed));
          }
        }
      }
    } else {
      for (const unit of parsed.apps) {
        const own = ownLength(unit);
        for (const p of run(unit, document)) {
          if (p.offset > own) continue; // a part's problem: that file reports it
          const q = ownData(p, unit);
          problems.push(unit.offsets.identity ? q : { ...q, ...spanToFile(unit.offsets, q.offset, q.length) });
        }
      }
    }
    return once(problems.sort((a, b) => a.offset - b.offset));
  }

  /** The problems of the files of `index` as `validate` finds them, each file checked once. */
  function problemsOf(index: WorkspaceIndex): (path: string) => readonly Problem[] {
    const files = filesOf(index);
    const found = new Map<string, Problem[]>();
    return (path) => {
      let problems = found.get(path);
      if (!problems) {
        const file = files.get(path);
        problems = file ? validate({ path, text: file.text }, file) : [];
        found.set(path, problems);
      }
      return problems;
    };
  }

  function tlsMap(options: { problemsOf?: (path: string) => readonly Problem[] } = {}): TlsMap {
    const index = workspace();
    return buildTlsMap({ ...access, workspace: index, problemsOf: options.problemsOf ?? problemsOf(index) });
  }

  return { parse, validate, tlsMap, ...editorFeatures(access, workspace, parse, problemsOf) };
}

/** The files of the index, as parsed (each file's units, grouped by path). */
function filesOf(index: WorkspaceIndex): Map<string, ParsedFile> {
  const files = new Map<string, ParsedFile>();
  const file = (path: string, text: string) => {
    let parsed = files.get(path);
    if (!parsed) {
      parsed = emptyFile(path, text);
      files.set(path, parsed);
    }
    return parsed;
  };
  for (const collector of index.collectors()) file(collector.path, collector.text).collectors.push(collector.unit);
  for (const app of index.apps()) file(app.path, app.text).apps.push(app.unit);
  return files;
}

/** Data locators of a unit's problem: kept when they name its own settings, else the data goes (a fix edits one file). */
function ownData(problem: Problem, unit: AppUnit): Problem {
  if (!problem.data) return problem;
  const foreign = locatorsOf(problem.data).some((at) => 'setting' in at && settingAt(unit, at.setting)?.origin !== undefined);
  if (!foreign) return problem;
  const { data: _dropped, ...rest } = problem;
  return rest;
}

/**
 * A problem inside a part of another file's app unit, as a problem of the part's own file: offsets
 * shifted, and data locators translated to that file's own settings (found by where they are written),
 * or dropped when a locator names a setting of another file.
 */
function inPart(problem: Problem, unit: AppUnit, partOffset: number, parsed: ParsedFile): Problem {
  const shifted: Problem = { ...problem, offset: problem.offset - partOffset };
  if (!problem.data) return shifted;
  const translate = (at: Locator): Locator | undefined => {
    if (!('setting' in at)) return undefined;
    const setting = settingAt(unit, at.setting);
    if (!setting?.origin) return undefined;
    for (const app of parsed.apps) {
      const all = [...app.settings, ...(app.ignored ?? [])];
      const own = all.find((s) => s.nameOffset === setting.nameOffset - partOffset && s.valueOffset === setting.valueOffset - partOffset && s.name === setting.name);
      if (own) return own.locator;
    }
    return undefined;
  };
  const data: Record<string, unknown> = { ...problem.data };
  for (const key of ['at', 'endpoint', 'protocol'] as const) {
    const at = data[key] as Locator | undefined;
    if (!at) continue;
    const mapped = translate(at);
    if (!mapped) {
      delete shifted.data;
      return shifted;
    }
    data[key] = mapped;
  }
  shifted.data = data as DiagnosticData;
  return shifted;
}

function locatorsOf(data: DiagnosticData): Locator[] {
  const d = data as Record<string, unknown>;
  return (['at', 'endpoint', 'protocol'] as const).map((k) => d[k] as Locator | undefined).filter((l): l is Locator => l !== undefined);
}

/**
 * Blocks that share an anchored mapping (`<<: *tls`, `tls: *tls`) find the same problem on it: each
 * problem (code, place, message) is kept once, the first. `sorted` is in offset order, so a repeat sits
 * among the problems of the same offset.
 */
function once(sorted: Problem[]): Problem[] {
  const kept: Problem[] = [];
  for (const problem of sorted) {
    let repeat = false;
    for (let i = kept.length - 1; i >= 0 && kept[i].offset === problem.offset && !repeat; i--) {
      const other = kept[i];
      repeat = other.code === problem.code && other.length === problem.length && other.message === problem.message;
    }
    if (!repeat) kept.push(problem);
  }
  return kept;
}

/**
 * The facade of the pure core: files in, problems out. The LSP server and the CLI call only this.
 * No `vscode`, no LSP connection, no `fs`: the Runtime brings the outside world. One instance per
 * workspace state (settings, roots): it owns the caches (../caches.ts), so whatever it parsed or read
 * is reused across validations and forgotten with it.
 */
import { createCaches, type Caches } from './caches';
import type { VirtualCache } from './certificates/virtualCertificates';
import { oneByCause } from './causes';
import { createCheckContext, createManifestContext, type Check, type CheckContext, type SourceDocument } from './checks/check';
import { certificateSpec } from './checks/certificateSpec';
import { certificateReload } from './checks/certificateReload';
import { caRotation } from './checks/caRotation';
import { envCaRotation } from './checks/envCaRotation';
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
import { clusterValues } from './checks/clusterValues';
import { insecureSkipVerify } from './checks/insecureSkipVerify';
import { legacyTlsKeys } from './checks/legacyTlsKeys';
import { mtlsNotEnforced } from './checks/mtlsNotEnforced';
import { tlsConflicts } from './checks/tlsConflicts';
import { tlsSchema } from './checks/tlsSchema';
import { unresolvedPaths } from './checks/unresolvedPaths';
import { weakTlsVersion } from './checks/weakTlsVersion';
import { yamlSyntax } from './checks/yamlSyntax';
import { workLimits } from './checks/workLimits';
import { editorFeatures, type EditorFeatures } from './features/editorFeatures';
import { buildTlsMap, type TlsMap } from './features/tlsMap';
import type { Problem } from './languageTypes';
import { envConfigFile } from './checks/envConfigFile';
import { composeEnvFiles } from './checks/composeEnvFiles';
import type { DiagnosticData, Locator } from './languageTypes';
import { settingAt } from './model/processSettings';
import { emptyFile, ownLength, partAt, type AppUnit, type ParsedFile, type Unit } from './model/units';
import { createWorkspaceIndex, emptyWorkspace, type WorkspaceIndex } from './model/workspace';
import { resolveInjection } from './model/operatorInjection';
import { relatedAt } from './diagnostics';
import { candidatePaths } from './certificates/certificateFiles';
import { isProjectConfigPath, parseProjectConfig } from './project/configFile';
import { createProjectConfigs, type FileConfig, type ProjectConfigOptions } from './project/projectConfigs';
import { applySuppressions, type SuppressedProblem } from './project/suppressions';
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
  certificateReload,
  caRotation,
  envCaRotation,
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
  clusterValues,
  certificateSpec,
  // Last: it reports the bounds the checks above may have hit too.
  workLimits,
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
  /** Where `.otlp-tls.yaml` files are looked for, and what the command line says (project/projectConfigs.ts). */
  projectConfig?: ProjectConfigOptions;
  /** The file at `path` as the adapter parsed it (for the TLS map's diagnostics); rebuilt from the index's units when absent. */
  parsedFile?: (path: string) => ParsedFile | undefined;
  /**
   * What cert-manager will issue, made so far (certificates/virtualCertificates.ts): an adapter that makes a new
   * service when the settings change keeps one, so the keys (an RSA key takes a tenth of a second or more) are
   * made once. Its entries depend only on the manifests and the clock, never on the settings. A new one when absent.
   */
  virtualCache?: VirtualCache;
}

/** What checking one file found. */
export interface CheckResult {
  /** The problems to show, in file offsets and file order: severity overrides applied, suppressed ones left out. */
  problems: Problem[];
  /** The problems an `otlp-tls-ignore` comment suppressed, with the comment (the CLI counts them, SARIF keeps them). */
  suppressed: SuppressedProblem[];
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
   * `validate`, with the suppressed problems too. `read` are problems of reading the file (sourceFile.ts),
   * which the project configuration (severity) and suppressions apply to like the others.
   */
  check(document: SourceDocument, parsed?: ParsedFile, read?: readonly Problem[]): CheckResult;
  /** The file matches an `ignore` pattern of its `.otlp-tls.yaml`: it is neither checked nor paired. */
  isIgnored(path: string): boolean;
  /** The index of `files` (parsed by this service), each listener read with its own file's environment. */
  workspaceIndex(files: Iterable<ParsedFile>): WorkspaceIndex;
  /**
   * The TLS map of the workspace (features/tlsMap.ts). The edges' diagnostics are the files' problems as
   * `validate` shows them, unless the caller passes the problems it already has (the CLI).
   */
  tlsMap(options?: { problemsOf?: (path: string) => readonly Problem[] }): TlsMap;
}

export function getLanguageService(options: LanguageServiceOptions): LanguageService {
  const caches: Caches = createCaches(options.virtualCache);
  const workspace = options.workspace ?? (() => emptyWorkspace);
  const projects = createProjectConfigs(options.runtime, options.settings, options.projectConfig);
  const accessFor = (file: FileConfig) => ({ runtime: file.runtime, settings: file.settings, caches });

  const { runtime } = options;
  /** What a source may read besides its own file, with the configuration of the file being read (`.otlp-tls.yaml`). */
  const sourcesFor = (path: string): BaseSourceContext => {
    const file = projects.forFile(path);
    return {
      caches,
      readText(other) {
        const open = options.readDocument?.(other);
        if (open !== undefined) return open;
        const read = readSourceFile(runtime.fileSystem, other);
        return read.status === 'read' ? read.text : undefined;
      },
      exists(other) {
        if (options.readDocument?.(other) !== undefined) return true;
        try {
          return runtime.fileSystem.stat(other) !== undefined;
        } catch {
          return undefined;
        }
      },
      candidatePaths: (written, referringPath, mounts) => candidatePaths(written, referringPath, withMounts(file.settings, mounts)),
      getEnv: file.runtime.getEnv,
    };
  };

  function parse(document: SourceDocument, parseOptions: { source?: string } = {}): ParsedFile {
    if (sizeProblem(document.text.length) || isProjectConfigPath(document.path) || projects.forFile(document.path).ignored) return emptyFile(document.path, document.text);
    return readSource(document.path, document.text, sourcesFor(document.path), parseOptions);
  }

  /** The problems of the checks (or of the configuration file itself), in file offsets and order, each once. */
  function found(document: SourceDocument, parsed: ParsedFile, file: FileConfig): Problem[] {
    const tooLarge = sizeProblem(document.text.length);
    if (tooLarge) return [tooLarge];
    if (isProjectConfigPath(document.path)) return parseProjectConfig(document.path, document.text).problems;
    const index = workspace();
    const access = accessFor(file);
    const problems: Problem[] = [...(parsed.problems ?? [])];
    // A unit that is part of a larger file (a container of a Deployment) says which part in its messages;
    // units that share a place (an Instrumentation and its language blocks) say the same problem there once.
    const labelled = new Set<string>();
    const say = (unit: Unit, problem: Problem) => {
      if (!unit.label) return void problems.push(problem);
      const key = `${problem.code}@${problem.offset}:${problem.length}:${problem.message}`;
      if (labelled.has(key)) return;
      labelled.add(key);
      problems.push({ ...problem, message: `${unit.label}: ${problem.message}` });
    };
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
    /** A unit's problem in file offsets (its cause's place too). */
    const inFile = (unit: Unit, p: Problem): Problem => {
      if (unit.offsets.identity) return p;
      const moved: Problem = { ...p, ...spanToFile(unit.offsets, p.offset, p.length) };
      if (p.cause && 'offset' in p.cause) moved.cause = { ...p.cause, ...spanToFile(unit.offsets, p.cause.offset, p.cause.length) };
      return moved;
    };
    for (const unit of parsed.collectors) {
      for (const p of run(unit, document, index.mountsOf(document.path))) say(unit, inFile(unit, p));
    }
    // The manifest's objects that are no unit (cert-manager Certificates...), in file offsets.
    if (parsed.kubernetes?.length) {
      const context = createManifestContext(parsed.kubernetes, document, access, index);
      for (const check of checks) {
        if (check.kind !== 'manifest') continue;
        for (const p of (check.run as (c: CheckContext) => Problem[])(context)) problems.push(p);
      }
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
            problems.push(inPart(p.cause && 'offset' in p.cause && partAt(reader.unit, p.cause.offset) !== part ? withoutCause(p) : p, reader.unit, part.offset, parsed));
          }
        }
      }
    } else {
      for (const raw of parsed.apps) {
        // A container the operator instruments is judged with what its Instrumentation injects (model/operatorInjection.ts).
        const resolved = raw.injection ? resolveInjection(raw, index.apps()) : undefined;
        const unit = resolved?.unit ?? raw;
        for (const p of resolved?.problems ?? []) say(raw, p);
        const from = resolved?.from;
        const standalone = from ? new Set(run(from.unit, from).map((p) => problemKey(p, 0))) : undefined;
        const own = ownLength(unit);
        for (const p of run(unit, document)) {
          if (p.offset > own) {
            // A part's problem: that file reports it, but for a part reported here (an injected Instrumentation: on the
            // annotation), where its own file does not say the same.
            const part = partAt(unit, p.offset);
            if (!part?.at || standalone?.has(problemKey(p, part.offset))) continue;
            const { data: _dropped, cause: _cause, ...rest } = p;
            const where = relatedAt(caches.lineTables, part.path, unit.text.slice(part.offset, part.offset + part.length), p.offset - part.offset, p.length, `injected from ${part.label ?? 'the Instrumentation'}`);
            say(unit, { ...rest, offset: part.at.offset, length: part.at.length, related: [where, ...(p.related ?? [])] });
            continue;
          }
          say(unit, inFile(unit, ownData(p.cause && 'offset' in p.cause && p.cause.offset > own ? withoutCause(p) : p, unit)));
        }
      }
    }
    const here = (offset: number, length: number, message: string) => relatedAt(caches.lineTables, document.path, document.text, offset, length, message);
    return oneByCause(once(problems.sort((a, b) => a.offset - b.offset)), here);
  }

  function check(document: SourceDocument, parsed?: ParsedFile, read: readonly Problem[] = []): CheckResult {
    const file = projects.forFile(document.path);
    if (file.ignored) return { problems: [], suppressed: [] };
    const all = [...read, ...found(document, parsed ?? parse(document), file)].sort((a, b) => a.offset - b.offset);
    // Severity overrides first (`off` drops a problem), then the suppression comments: a comment for a
    // code that is off suppresses nothing, and is reported as unused.
    const severe: Problem[] = [];
    for (const problem of all) {
      const level = file.severity[problem.code];
      if (level === undefined) severe.push(problem);
      else if (level !== 'off') severe.push({ ...problem, severity: level });
    }
    if (sizeProblem(document.text.length)) return { problems: severe, suppressed: [] };
    const result = applySuppressions(document.path, document.text, severe);
    const added = (problem: Problem) => problem.code === 'unused-suppression' || problem.code === 'suppression-without-reason';
    const problems: Problem[] = [];
    for (const problem of result.problems) {
      const level = added(problem) ? file.severity[problem.code] : undefined;
      if (level === undefined) problems.push(problem);
      else if (level !== 'off') problems.push({ ...problem, severity: level });
    }
    return { problems, suppressed: result.suppressed };
  }

  /** The problems of the files of `index` as `validate` shows them, each file checked once. */
  function problemsOf(index: WorkspaceIndex): (path: string) => readonly Problem[] {
    let rebuilt: Map<string, ParsedFile> | undefined;
    const found = new Map<string, readonly Problem[]>();
    return (path) => {
      let problems = found.get(path);
      if (!problems) {
        const file = options.parsedFile?.(path) ?? (rebuilt ??= filesOf(index)).get(path);
        problems = file ? check({ path, text: file.text }, file).problems : [];
        found.set(path, problems);
      }
      return problems;
    };
  }

  function tlsMap(mapOptions: { problemsOf?: (path: string) => readonly Problem[] } = {}): TlsMap {
    const index = workspace();
    return buildTlsMap({ caches, accessFor: (path) => accessFor(projects.forFile(path)), workspace: index, problemsOf: mapOptions.problemsOf ?? problemsOf(index) });
  }

  return {
    parse,
    tlsMap,
    validate: (document, parsed) => check(document, parsed).problems,
    check,
    isIgnored: (path) => projects.forFile(path).ignored,
    workspaceIndex: (files) => createWorkspaceIndex(files, (name, path) => projects.forFile(path).runtime.getEnv(name)),
    ...editorFeatures((path) => accessFor(projects.forFile(path)), workspace, parse, problemsOf),
  };
}

/** The files of the index, rebuilt from its units (each file's units, grouped by path). */
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

/**
 * A problem's code, place (less `shift`) and severity: what an injected part's problem is compared by with its own
 * file's (the messages name the unit differently: "the container", "the pods the operator instruments").
 */
function problemKey(problem: Problem, shift: number): string {
  return `${problem.code}@${problem.offset - shift}:${problem.length}:${problem.severity ?? ''}`;
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
  if (problem.cause && 'offset' in problem.cause) shifted.cause = { ...problem.cause, offset: problem.cause.offset - partOffset };
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

/** A problem whose cause sits in another file's text than its own: no cause here. */
function withoutCause(problem: Problem): Problem {
  const { cause: _cause, ...rest } = problem;
  return rest;
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

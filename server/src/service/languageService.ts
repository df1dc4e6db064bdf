/**
 * The facade of the pure core: files in, problems out. The LSP server and the CLI call only this.
 * No `vscode`, no LSP connection, no `fs`: the Runtime brings the outside world. One instance per
 * workspace state (settings, roots): it owns the caches (../caches.ts), so whatever it parsed or read
 * is reused across validations and forgotten with it.
 */
import { createCaches, type Caches } from './caches';
import type { VirtualCache } from './certificates/virtualCertificates';
import { oneByCause } from './causes';
import { answersOf, byOffset, CheckCache, CLOCK_GRAIN_MS, sameTokens, tokenOf, type KeptResult, type Question, type TokenKind } from './checkCache';
import { FileFacts } from './fileFacts';
import { createCheckContext, createManifestContext, unitRelated, type Check, type CheckContext, type SourceDocument } from './checks/check';
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
import type { Problem, RelatedLocation } from './languageTypes';
import { envConfigFile } from './checks/envConfigFile';
import { composeEnvFiles } from './checks/composeEnvFiles';
import type { DiagnosticData, Locator } from './languageTypes';
import { settingAt } from './model/processSettings';
import { emptyFile, ownLength, partAt, type AppUnit, type CollectorUnit, type ParsedFile, type Unit, type UnitScope } from './model/units';
import { createWorkspaceIndex, emptyWorkspace, type WorkspaceIndex } from './model/workspace';
import { resolveInjection } from './model/operatorInjection';
import { relatedAt } from './diagnostics';
import { candidatePaths } from './certificates/certificateFiles';
import { isProjectConfigPath, parseProjectConfig } from './project/configFile';
import { createProjectConfigs, type FileConfig, type ProjectConfigOptions } from './project/projectConfigs';
import { applySuppressions, type SuppressedProblem } from './project/suppressions';
import type { Runtime } from './runtime';
import type { FileAccess } from './caches';
import { withMounts, type Settings } from './settings';
import { readSourceFile, sizeProblem } from './sourceFile';
import { MAX_PROBLEMS_PER_FILE, capProblems, type OmittedProblems } from './problemCap';
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
  /**
   * Problems listed per file (problemCap.ts, MAX_PROBLEMS_PER_FILE when absent); past it, one `too-many-problems`
   * notice. 0: all are listed (the CLI's `--max-problems-per-file 0`).
   */
  maxProblemsPerFile?: number;
  /**
   * The service lives for one moment (a CLI run): the files, what is on disk and the workspace index do not
   * change while it is used. An app's links, computed by its handshake check, are then kept for the TLS map
   * (caches.ts `links`) instead of being judged again.
   */
  oneMoment?: boolean;
}

/** What checking one file found. */
export interface CheckResult {
  /**
   * The problems to show, in file offsets and file order: severity overrides applied, suppressed ones left
   * out, at most `maxProblemsPerFile` of them and then a `too-many-problems` notice among them.
   */
  problems: Problem[];
  /** The problems an `otlp-tls-ignore` comment suppressed, with the comment (the CLI counts them, SARIF keeps them). */
  suppressed: SuppressedProblem[];
  /** Set when the per-file cap left problems out of `problems`: how many, by severity and code. */
  omitted?: OmittedProblems;
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
  /**
   * The index of `files` (parsed by this service), each listener read with its own file's environment. With
   * `previous` (an index this service made of the same files before an edit), what the edit left standing is
   * taken from it (model/workspace.ts createWorkspaceIndex).
   */
  workspaceIndex(files: Iterable<ParsedFile>, previous?: WorkspaceIndex): WorkspaceIndex;
  /**
   * The file at `path` (a certificate, a key, a file a source read) may have changed on disk: what the
   * service knows of it is asked again (the server's file watcher). Without a path, every file.
   */
  fileChanged(path?: string): void;
  /** The paths the service knows a fact of (stat), for a sweep of the ones no watcher covers (`recheckFile`). */
  knownFiles(): string[];
  /**
   * The editor closed `path`: what the caches keep of the texts it had (its line table, line tests, suppression
   * comments, YAML chunks and documents) is dropped, so a large text pasted and closed does not stay alive; the
   * file on disk is parsed anew. Kept check results go with the units they belong to.
   */
  documentClosed(path: string): void;
  /** Asks the file system about `path` again; true when it changed (what depends on it is checked again). */
  recheckFile(path: string): boolean;
  /**
   * The TLS map of the workspace (features/tlsMap.ts). The edges' diagnostics are the files' problems as
   * `validate` shows them, unless the caller passes the problems it already has (the CLI). `edgesOnly`: the
   * edges (verdicts, reasons, diagnostics) without the nodes of apps and collectors nor the certificates'
   * descriptions, for a count of them (the CLI's coverage).
   */
  tlsMap(options?: { problemsOf?: (path: string) => readonly Problem[]; edgesOnly?: boolean }): TlsMap;
}

export function getLanguageService(options: LanguageServiceOptions): LanguageService {
  const caches: Caches = createCaches(options.virtualCache, options.oneMoment);
  const workspaceOf = options.workspace ?? (() => emptyWorkspace);
  // The links kept for one moment stand for the index they were judged against: another index, none kept.
  let linksIndex: WorkspaceIndex | undefined;
  const workspace = (): WorkspaceIndex => {
    const index = workspaceOf();
    if (caches.links && index !== linksIndex) {
      caches.links = new WeakMap();
      linksIndex = index;
    }
    return index;
  };
  // One stat per distinct path, kept until the adapter says the path changed (fileFacts.ts).
  const facts = new FileFacts(options.runtime.fileSystem);
  const runtime: Runtime = { ...options.runtime, fileSystem: facts.fileSystem };
  const projects = createProjectConfigs(runtime, options.settings, options.projectConfig);
  const accessFor = (file: FileConfig) => ({ runtime: file.runtime, settings: file.settings, caches });
  const kept = new CheckCache(facts, caches.lineTables);
  /** The last validation of each cut collector unit (by file and unit index): its scopes and the lists they gave (collectorProblems). */
  const scopeRuns = new Map<string, ScopeRun>();
  /**
   * What a unit (a collector unit object, or an app's check key) gave at its last validation, when every list was its
   * kept results' own: the same unit when nothing it read can have changed (see `standingRun`) gives them again without
   * walking its scopes or asking the check cache (a manifest's 40 collector units and 50 apps; an edit changes one).
   */
  const unitRuns = new WeakMap<object, UnitRun>();
  /** The lists `key` gave at its last validation, when they stand: at the same offset (an app's key outlives a move of its document), the same place, configuration, index answers, file facts, minute and other tokens. */
  const standingRun = (key: object, base: number, place: string, config: FileConfig, index: WorkspaceIndex, minute: number): Problem[][] | undefined => {
    const last = unitRuns.get(key);
    if (!last || last.base !== base || last.place !== place || last.config !== config || last.answers !== answersOf(index) || last.generation !== facts.generation || last.minute !== minute) return undefined;
    return sameTokens(last.tokens, last.kinds, index) ? last.parts : undefined;
  };
  /** Keeps what `key` gave (standingRun) when each list is the own problems of its kept result, at the offset it was found at; else forgets it. */
  const keepRun = (key: object, base: number, place: string, config: FileConfig, index: WorkspaceIndex, minute: number, parts: Problem[][], results: readonly (readonly [KeptResult | undefined, number])[]): void => {
    const kinds: TokenKind[] = [];
    for (let i = 0; i < parts.length; i++) {
      const [result, base] = results[i];
      if (!result || result.problems !== parts[i] || result.inUnit.size > 0 || result.base !== base) {
        unitRuns.delete(key);
        return;
      }
      for (const kind of kept.othersOf(result)) if (!kinds.includes(kind)) kinds.push(kind);
    }
    unitRuns.set(key, { base, place, config, answers: answersOf(index), generation: facts.generation, minute, kinds, tokens: kinds.map((kind) => tokenOf(index, kind)), parts });
  };
  /**
   * keepRun for the lists of a cut unit's scopes (`collectorProblems`), from what its loop found of each: `reusable[i]` is
   * keepRun's own test of scope i's list against its kept result, `others[i]` that result's other tokens, `tokens` their values now.
   */
  const keepScopesRun = (key: object, base: number, place: string, config: FileConfig, index: WorkspaceIndex, minute: number, parts: Problem[][], reusable: readonly boolean[], others: readonly (readonly TokenKind[])[], tokens: ReadonlyMap<TokenKind, object>): void => {
    const kinds: TokenKind[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (!reusable[i]) {
        unitRuns.delete(key);
        return;
      }
      for (const kind of others[i]) if (!kinds.includes(kind)) kinds.push(kind);
    }
    unitRuns.set(key, { base, place, config, answers: answersOf(index), generation: facts.generation, minute, kinds, tokens: kinds.map((kind) => tokens.get(kind) ?? tokenOf(index, kind)), parts });
  };
  /** The environment of listener endpoints, per file (one function per service: an index built with it may take over an earlier one's). */
  const indexEnv = (name: string, path: string) => projects.forFile(path).runtime.getEnv(name);
  const wholeKeys = new WeakMap<object, object>();
  /** What a collector unit said at the last validation, from which kept lists (see found). */
  const unitOutputs = new WeakMap<Unit, { offsets: object; label: string | undefined; parts: Problem[][]; plain: Problem[]; shown: Problem[] }>();
  /** A unit's problem in file offsets (its cause's place too) before and after its label, once per kept problem while the unit's offset map and label are the same. */
  const placedInFile = (unit: Unit, p: Problem): { plain: Problem; shown: Problem } => {
    if (unit.offsets.identity) return { plain: p, shown: unit.label ? labelledProblem(unit.label, p) : p };
    const known = inFileMemo.get(p);
    if (known && known.offsets === unit.offsets && known.label === unit.label) return known;
    const span = spanToFile(unit.offsets, p.offset, p.length);
    const causeSpan = p.cause && 'offset' in p.cause ? spanToFile(unit.offsets, p.cause.offset, p.cause.length) : undefined;
    // Another offset map (the unit made anew from its edited document) that puts the problem and its cause where they
    // were: the same problems in file offsets (so the same diagnostics, and their JSON, are published again).
    if (known && known.label === unit.label && known.plain.offset === span.offset && known.plain.length === span.length && sameSpan(known.plain.cause, causeSpan)) {
      known.offsets = unit.offsets;
      return known;
    }
    const moved: Problem = { ...p, ...span };
    if (causeSpan) moved.cause = { ...p.cause!, ...causeSpan };
    const made = { offsets: unit.offsets, label: unit.label, plain: moved, shown: unit.label ? labelledProblem(unit.label, moved) : moved };
    inFileMemo.set(p, made);
    return made;
  };
  /** Each kept problem of a unit over its own text, in file offsets and labelled, while its unit's offset map and label are the same. */
  const inFileMemo = new WeakMap<Problem, { offsets: object; label: string | undefined; plain: Problem; shown: Problem }>();
  /** A problem said by a unit that is a part of a larger file (labelled), once per problem object. */
  const labelledProblems = new WeakMap<Problem, { label: string; problem: Problem }>();
  /** The problem a labelled one was made from (what units that share a place are compared by: see `saidOnce`). */
  const plainOf = new WeakMap<Problem, Problem>();
  /** What an app unit said at the last validation (its kept list, in file offsets and labelled), by its check key. */
  const appOutputs = new WeakMap<object, { found: Problem[]; label: string | undefined; offsets: object; settings: object; ignored: object | undefined; own: number; out: Problem[] }>();
  const labelledProblem = (label: string, problem: Problem): Problem => {
    const known = labelledProblems.get(problem);
    if (known?.label === label) return known.problem;
    const made = { ...problem, message: `${label}: ${problem.message}` };
    labelledProblems.set(problem, { label, problem: made });
    plainOf.set(made, problem);
    return made;
  };
  /**
   * The place key of a unit's kept results (unitPlace, and the mounts of a collector's file), one string per unit
   * object while it stands: the check cache compares it for every kept scope at every validation.
   */
  // Kept by the unit's check key (Unit.keptAs: a manifest gives its unchanged documents' app units again as new objects
  // over the new text), and the same string object while what it is made of is the same objects: compared by identity.
  const placeKeys = new WeakMap<object, { of: PlaceParts; mounts: string | undefined; key: string }>();
  const placeKey = (unit: Unit, mountsKey?: string): string => {
    const at = unit.keptAs?.key ?? unit;
    const known = placeKeys.get(at);
    if (known && known.mounts === mountsKey && samePlace(known.of, unit)) return known.key;
    const key = mountsKey === undefined ? unitPlace(unit, containerKey) : `${unitPlace(unit, containerKey)}\u0000${mountsKey}`;
    placeKeys.set(at, { of: placeParts(unit), mounts: mountsKey, key });
    return key;
  };
  /** A unit's container as JSON (in its place key), made once per container object. */
  const containerKeys = new WeakMap<object, string>();
  const containerKey = (container: Unit['container']): string => {
    if (!container) return 'null';
    let key = containerKeys.get(container);
    if (key === undefined) {
      key = JSON.stringify(container);
      containerKeys.set(container, key);
    }
    return key;
  };

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
          return facts.stat(other) !== undefined;
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
    const minute = Math.floor(file.runtime.now().getTime() / CLOCK_GRAIN_MS);
    const lists: Problem[][] = [byOffset([...(parsed.problems ?? [])])];
    // A unit that is part of a larger file (a container of a Deployment) says which part in its messages;
    // units that share a place (an Instrumentation and its language blocks) say the same problem there once:
    // the labelled problems are compared by what they were made from once the lists are merged (saidOnce).
    const say = (unit: Unit, problem: Problem, into: Problem[]) => void into.push(unit.label ? labelledProblem(unit.label, problem) : problem);
    /** A unit's problem as said in this file, labelled: made once per kept problem while the unit's offset map is the same. */
    const placed = (unit: Unit, p: Problem, into: Problem[]) => void into.push(placedInFile(unit, p).shown);
    /** An app unit's problems as this file says them (`out` may hold some already), in offset order. */
    const appProblems = (unit: AppUnit, found: readonly Problem[], own: number, standalone: Set<string> | undefined, out: Problem[] = []): Problem[] => {
      for (const p of found) {
        if (p.offset > own) {
          // A part's problem: that file reports it, but for a part reported here (an injected Instrumentation: on the
          // annotation), where its own file does not say the same.
          const part = partAt(unit, p.offset);
          if (!part?.at || standalone?.has(problemKey(p, part.offset))) continue;
          const { data: _dropped, cause: _cause, ...rest } = p;
          const where = relatedAt(caches.lineTables, part.path, unit.text.slice(part.offset, part.offset + part.length), p.offset - part.offset, p.length, `injected from ${part.label ?? 'the Instrumentation'}`);
          say(unit, { ...rest, offset: part.at.offset, length: part.at.length, related: [where, ...(p.related ?? [])] }, out);
          continue;
        }
        placed(unit, ownData(p.cause && 'offset' in p.cause && p.cause.offset > own ? withoutCause(p) : p, unit), out);
      }
      return byOffset(out);
    };
    const mounts = index.mountsOf(document.path);
    const mountsKey = JSON.stringify(mounts ?? null);
    for (const unit of parsed.collectors) {
      const parts = collectorProblems(unit, document, access, index, mounts, placeKey(unit, mountsKey), file, minute);
      // The same kept lists, offset map and label as at the last validation: the same problems in file offsets (each
      // still said once across units: `said` runs on them again).
      let known = unitOutputs.get(unit);
      if (!known || known.offsets !== unit.offsets || known.label !== unit.label || (known.parts !== parts && (known.parts.length !== parts.length || !known.parts.every((part, i) => part === parts[i])))) {
        if (unit.offsets.identity && !unit.label) {
          // A file that is one unit (a collector config): its problems as they are, one list.
          const all: Problem[] = [];
          for (const part of parts) for (const p of part) all.push(p);
          const sorted = byOffset(all);
          known = { offsets: unit.offsets, label: unit.label, parts, plain: sorted, shown: sorted };
        } else {
          const plain: Problem[] = [];
          const shown: Problem[] = [];
          for (const part of parts) {
            for (const p of part) {
              const inFile = placedInFile(unit, p);
              plain.push(inFile.plain);
              shown.push(inFile.shown);
            }
          }
          known = { offsets: unit.offsets, label: unit.label, parts, ...sortedPairs(plain, shown) };
        }
        unitOutputs.set(unit, known);
      }
      lists.push(known.shown);
    }
    // The manifest's objects that are no unit (cert-manager Certificates...), in file offsets.
    if (parsed.kubernetes?.length) {
      const context = createManifestContext(parsed.kubernetes, document, access, index);
      const out: Problem[] = [];
      for (const check of checks) {
        if (check.kind !== 'manifest') continue;
        for (const p of (check.run as (c: CheckContext) => Problem[])(context)) out.push(p);
      }
      lists.push(byOffset(out));
    }
    // A file another app reads as one of its parts (a compose env_file, a declarative config an
    // OTEL_CONFIG_FILE names) is judged as part of each such app, not alone.
    const readers = index.appsReading(document.path);
    if (readers.length > 0 && parsed.apps.length > 0) {
      const out: Problem[] = [];
      for (const reader of readers) {
        for (const part of reader.unit.parts ?? []) {
          if (part.path !== document.path) continue;
          for (const p of run(reader.unit, reader, access, index)) {
            if (partAt(reader.unit, p.offset) !== part) continue;
            out.push(inPart(p.cause && 'offset' in p.cause && partAt(reader.unit, p.cause.offset) !== part ? withoutCause(p) : p, reader.unit, part.offset, parsed));
          }
        }
      }
      lists.push(byOffset(out));
    } else {
      for (const raw of parsed.apps) {
        // A container the operator instruments is judged with what its Instrumentation injects (model/operatorInjection.ts).
        const resolved = raw.injection ? resolveInjection(raw, index.apps()) : undefined;
        const unit = resolved?.unit ?? raw;
        if (!resolved) {
          // Kept problems (the same list), and what they are said with the same: the same list as at the last validation.
          const key = unit.keptAs?.key ?? unit;
          const base = unit.keptAs?.offset ?? 0;
          const place = placeKey(unit);
          let found = standingRun(key, base, place, file, index, minute)?.[0];
          if (!found) {
            found = keptOrRun(key, unit, base, place, file, index, minute, (recorded, recordingIndex) => run(unit, document, recorded, recordingIndex), unit.keptAs ? document : undefined);
            keepRun(key, base, place, file, index, minute, [found], [[kept.keptFor(key), base]]);
          }
          const own = ownLength(unit);
          const known = appOutputs.get(key);
          if (known && known.found === found && known.label === unit.label && known.offsets === unit.offsets && known.settings === unit.settings && known.ignored === unit.ignored && known.own === own) {
            lists.push(known.out);
            continue;
          }
          const out = appProblems(unit, found, own, undefined);
          appOutputs.set(key, { found, label: unit.label, offsets: unit.offsets, settings: unit.settings, ignored: unit.ignored, own, out });
          lists.push(out);
          continue;
        }
        const out: Problem[] = [];
        for (const p of resolved.problems ?? []) say(raw, p, out);
        const from = resolved.from;
        const standalone = from ? new Set(run(from.unit, from, access, index).map((p) => problemKey(p, 0))) : undefined;
        // An instrumented container's unit is made anew from the index at each validation (what its Instrumentation
        // injects), so its checks run each time; any other unit's are kept while what they read stands.
        lists.push(appProblems(unit, run(unit, document, access, index), ownLength(unit), standalone, out));
      }
    }
    const here = (offset: number, length: number, message: string) => relatedAt(caches.lineTables, document.path, document.text, offset, length, message);
    return oneByCause(once(saidOnce(merged(lists), plainOf)), here);
  }

  /** Every check of the unit's kind on `unit` (a scope's unit for a cut collector config), with `checks` to choose which. */
  function run(unit: Unit, file: SourceDocument, access: FileAccess, index: WorkspaceIndex, mounts?: Settings['pathMappings'], which: (check: Check) => boolean = () => true): Problem[] {
    const context = createCheckContext(unit, file, access, index, mounts);
    const found: Problem[] = [];
    for (const check of checks) {
      if (check.kind !== unit.kind || !which(check)) continue;
      // One by one: a hostile file can hold more problems than a spread call takes arguments.
      for (const p of (check.run as (c: CheckContext) => Problem[])(context)) found.push(p);
    }
    if (unit.kind === 'app' && which({ kind: 'app' } as Check)) for (const p of unit.problems ?? []) found.push(p);
    return found;
  }

  /**
   * The collector checks on `unit`: on each scope of a cut config (a component), kept while the
   * component and what its checks read are unchanged; the checks that need the whole unit, on it.
   */
  function collectorProblems(unit: CollectorUnit, file: SourceDocument, access: FileAccess, index: WorkspaceIndex, mounts: Settings['pathMappings'] | undefined, place: string, config: FileConfig, minute: number): Problem[][] {
    const standing = standingRun(unit, unit.keptAs?.offset ?? 0, place, config, index, minute);
    if (standing) return standing;
    if (!unit.scopes) {
      const key = unit.keptAs?.key ?? unit;
      const base = unit.keptAs?.offset ?? 0;
      const parts = [keptOrRun(key, unit, base, place, config, index, minute, (recorded, recordingIndex) => run(unit, file, recorded, recordingIndex, mounts), unit.keptAs ? file : undefined)];
      keepRun(unit, base, place, config, index, minute, parts, [[kept.keptFor(key), base]]);
      return parts;
    }
    const parts: Problem[][] = [];
    const scopes = unit.scopes;
    // The scopes that are the same objects as at the last validation of this unit, when nothing they read can have
    // changed since (the same place, configuration, index answers, file facts and minute), keep the lists they gave
    // then, without asking the check cache (a 50,000-line config has 5,000 of them; an edit changes one).
    const runKey = `${file.path}\u0000${unit.index}`;
    const last = scopeRuns.get(runKey);
    const answers = answersOf(index);
    const generation = facts.generation;
    const stands = last !== undefined && last.place === place && last.config === config && last.answers === answers && last.generation === generation && last.minute === minute;
    let prefix = 0;
    let suffix = 0;
    if (stands) {
      const before = last.scopes;
      while (prefix < before.length && prefix < scopes.length && before[prefix] === scopes[prefix]) prefix++;
      while (suffix < before.length - prefix && suffix < scopes.length - prefix && before[before.length - 1 - suffix] === scopes[scopes.length - 1 - suffix]) suffix++;
    }
    const reusable: boolean[] = new Array<boolean>(scopes.length);
    // The tokens besides the index's answers each list was kept with (a kind of cluster object: indexes that share their
    // answers can differ there, model/workspace.ts), and their values now, asked once per kind.
    const others: (readonly TokenKind[])[] = new Array<readonly TokenKind[]>(scopes.length);
    const now = new Map<TokenKind, object>();
    const tokenNow = (kind: TokenKind): object => {
      let token = now.get(kind);
      if (token === undefined) now.set(kind, (token = tokenOf(index, kind)));
      return token;
    };
    for (let i = 0; i < scopes.length; i++) {
      const scope = scopes[i];
      const j = !stands ? -1 : i < prefix ? i : i >= scopes.length - suffix ? i - scopes.length + last.scopes.length : -1;
      if (j >= 0 && last!.reusable[j] && last!.others[j].every((kind) => last!.tokens.get(kind) === tokenNow(kind))) {
        parts.push(last!.parts[j]);
        reusable[i] = true;
        others[i] = last!.others[j];
        continue;
      }
      // Most scopes are kept: their result is taken before anything is made for running their checks.
      const known = kept.valid(scope.model, place, config, index, minute);
      let part: Problem[];
      if (known) part = moved(known, unit, scope.offset, file);
      else {
        part = keptOrRun(scope.model, unit, scope.offset, place, config, index, minute, (recorded, recordingIndex) => {
          scope.settle();
          return run(scopedUnit(unit, scope), file, recorded, recordingIndex, mounts, (check) => check.perComponent === true);
        }, file);
      }
      // A list moved or with related locations placed again (from the file's lines) is made anew each time: not kept here.
      const result = known ?? kept.keptFor(scope.model);
      reusable[i] = result !== undefined && part === result.problems && result.inUnit.size === 0 && result.base === scope.offset;
      others[i] = result ? kept.othersOf(result) : [];
      parts.push(part);
    }
    const tokens = new Map<TokenKind, object>();
    for (let i = 0; i < scopes.length; i++) if (reusable[i]) for (const kind of others[i]) if (!tokens.has(kind)) tokens.set(kind, tokenNow(kind));
    scopeRuns.delete(runKey);
    if (scopeRuns.size >= MAX_SCOPE_RUNS) scopeRuns.delete(scopeRuns.keys().next().value as string);
    scopeRuns.set(runKey, { scopes, parts: [...parts], reusable, others, tokens, place, config, answers, generation, minute });
    const hasWhole = checks.some((check) => check.kind === 'collector' && !check.perComponent);
    if (hasWhole) {
      const whole = (recorded: FileAccess, recordingIndex: WorkspaceIndex) => run(unit, file, recorded, recordingIndex, mounts, (check) => !check.perComponent);
      // A unit a manifest keeps with its unchanged document (Unit.keptAs) is the same whole while its key is: its whole-unit checks are kept too.
      parts.push(unit.keptAs ? keptOrRun(wholeKey(unit.keptAs.key), unit, unit.keptAs.offset, place, config, index, minute, whole, file) : whole(access, index));
    }
    // Whole-unit checks that are not kept (a unit of its own file, as a plain config) run at every validation: nothing to keep here.
    if (hasWhole && !unit.keptAs) return parts;
    if (!hasWhole) {
      // Each list is its scope's kept result's own exactly when the loop above found it reusable, with that result's other
      // tokens and their values now: what keepRun would find by looking every scope's result up again (a 50,000-line
      // config has 5,000 scopes; an edit changes one).
      keepScopesRun(unit, unit.keptAs?.offset ?? 0, place, config, index, minute, parts, reusable, others, tokens);
      return parts;
    }
    // Each list with its kept result and the offset it is at (keepRun): a scope's at the scope, moved or not.
    const results: (readonly [KeptResult | undefined, number])[] = scopes.map((scope, i) => [reusable[i] ? kept.keptFor(scope.model) : undefined, scope.offset]);
    if (hasWhole) results.push([kept.keptFor(wholeKey(unit.keptAs!.key)), unit.keptAs!.offset]);
    keepRun(unit, unit.keptAs?.offset ?? 0, place, config, index, minute, parts, results);
    return parts;
  }

  /** The key the whole-unit checks of a unit kept as `key` are kept under (its scopes' own are kept on their models). */
  function wholeKey(key: object): object {
    let whole = wholeKeys.get(key);
    if (!whole) {
      whole = {};
      wholeKeys.set(key, whole);
    }
    return whole;
  }

  /**
   * The problems of `scope` (a scope's model, or a unit) at `offset` in `unit`: the kept ones, moved to
   * where the scope is now, when what they were found with stands; else found by `work`, with what it
   * reads recorded, and kept.
   */
  function keptOrRun(
    scope: object,
    unit: Unit,
    offset: number,
    place: string,
    config: FileConfig,
    index: WorkspaceIndex,
    minute: number,
    work: (access: FileAccess, index: WorkspaceIndex) => Problem[],
    file?: SourceDocument,
  ): Problem[] {
    const known = kept.valid(scope, place, config, index, minute);
    if (known) return moved(known, unit, offset, file);
    const questions: Question[] = [];
    let clock = false;
    const access = accessFor(config);
    const recorded: FileAccess = {
      ...access,
      runtime: {
        ...access.runtime,
        now: () => {
          clock = true;
          return access.runtime.now();
        },
      },
    };
    const inUnit = new Map<RelatedLocation, { offset: number; length: number }>();
    const recordingIndex = kept.recording(index, questions);
    const { value, read } = facts.record(() => work(relatedRecorder(recorded, inUnit), recordingIndex));
    // Only the related locations the problems hold are moved with them (a check may make some it does not report).
    const held = new Map<RelatedLocation, { offset: number; length: number }>();
    if (inUnit.size > 0) for (const p of value) for (const r of p.related ?? []) if (inUnit.has(r)) held.set(r, inUnit.get(r)!);
    const result: KeptResult = { place, config, base: offset, problems: byOffset(value), inUnit: held, facts: read, questions, ...(clock ? { clock: minute } : {}) };
    kept.keep(scope, result);
    return result.problems;
  }

  /** A kept result at the scope's offset now: problems moved by the difference, related locations in the unit placed again. */
  function moved(known: KeptResult, unit: Unit, offset: number, file: SourceDocument | undefined): Problem[] {
    const delta = offset - known.base;
    if (!file || (delta === 0 && known.inUnit.size === 0)) return known.problems;
    return known.problems.map((p) => {
      const related = p.related?.map((r) => {
        const span = known.inUnit.get(r);
        return span ? unitRelated(unit, file, caches.lineTables, span.offset + delta, span.length, r.message) : r;
      });
      // A cause at a place of the unit moves with the problem (both in the unit's offsets).
      const cause = p.cause && 'offset' in p.cause ? { cause: { ...p.cause, offset: p.cause.offset + delta } } : {};
      return { ...p, offset: p.offset + delta, ...(related ? { related } : {}), ...cause };
    });
  }

  /** `access` whose related locations in the unit (made through the check context) are noted in `inUnit`. */
  function relatedRecorder(access: FileAccess, inUnit: Map<RelatedLocation, { offset: number; length: number }>): FileAccess {
    return { ...access, noteRelated: (related, offset, length) => void inUnit.set(related, { offset, length }) };
  }

  function check(document: SourceDocument, parsed?: ParsedFile, read: readonly Problem[] = []): CheckResult {
    const file = projects.forFile(document.path);
    if (file.ignored) return { problems: [], suppressed: [] };
    const checked = found(document, parsed ?? parse(document), file);
    const all = read.length === 0 ? byOffset(checked) : [...read, ...checked].sort((a, b) => a.offset - b.offset);
    // Severity overrides first (`off` drops a problem), then the suppression comments: a comment for a
    // code that is off suppresses nothing, and is reported as unused.
    let severe: Problem[] = all;
    if (hasKeys(file.severity)) {
      severe = [];
      for (const problem of all) {
        const level = file.severity[problem.code];
        if (level === undefined) severe.push(problem);
        else if (level !== 'off') severe.push({ ...problem, severity: level });
      }
    }
    if (sizeProblem(document.text.length)) return capped(document, severe, [], file);
    const result = applySuppressions(document.path, document.text, severe, { memo: caches.suppressions, deltas: caches.deltas, lines: (text) => caches.lineTables.of(document.path, text) });
    const added = (problem: Problem) => problem.code === 'unused-suppression' || problem.code === 'suppression-without-reason';
    if (file.severity['unused-suppression'] === undefined && file.severity['suppression-without-reason'] === undefined) return capped(document, result.problems, result.suppressed, file);
    const problems: Problem[] = [];
    for (const problem of result.problems) {
      const level = added(problem) ? file.severity[problem.code] : undefined;
      if (level === undefined) problems.push(problem);
      else if (level !== 'off') problems.push({ ...problem, severity: level });
    }
    return capped(document, problems, result.suppressed, file);
  }

  /** The per-file cap on what is listed (problemCap.ts); the notice takes the file's severity override for its code. */
  function capped(document: SourceDocument, problems: Problem[], suppressed: SuppressedProblem[], file: FileConfig): CheckResult {
    const max = options.settings.maxProblemsPerFile ?? options.maxProblemsPerFile ?? MAX_PROBLEMS_PER_FILE;
    if (max <= 0 || problems.length <= max) return { problems, suppressed };
    const lines = caches.lineTables.of(document.path, document.text);
    const result = capProblems(problems, max, (offset) => lines.lineAt(offset));
    const level = file.severity['too-many-problems'];
    const listed = level === undefined ? result.problems : result.problems.flatMap((p) => (p.code !== 'too-many-problems' ? [p] : level === 'off' ? [] : [{ ...p, severity: level }]));
    return { problems: listed, suppressed, ...(result.omitted ? { omitted: result.omitted } : {}) };
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

  function tlsMap(mapOptions: { problemsOf?: (path: string) => readonly Problem[]; edgesOnly?: boolean } = {}): TlsMap {
    const index = workspace();
    return buildTlsMap({ caches, accessFor: (path) => accessFor(projects.forFile(path)), workspace: index, problemsOf: mapOptions.problemsOf ?? problemsOf(index), ...(mapOptions.edgesOnly ? { edgesOnly: true } : {}) });
  }

  return {
    parse,
    tlsMap,
    validate: (document, parsed) => check(document, parsed).problems,
    check,
    isIgnored: (path) => projects.forFile(path).ignored,
    fileChanged: (path) => (path === undefined ? facts.changedAll() : facts.changed(path)),
    knownFiles: () => facts.known(),
    recheckFile: (path) => facts.recheck(path),
    documentClosed: (path) => {
      for (const key of [...scopeRuns.keys()]) if (key.startsWith(`${path}\u0000`)) scopeRuns.delete(key);
      caches.lineTables.forget(path);
      caches.lineTests.forget(path);
      caches.suppressions.delete(path);
      // Embedded configs (a ConfigMap's, an operator resource's) are kept under `path\u0000…`.
      for (const cache of [caches.yamlChunks ?? new Map(), caches.yamlDocuments] as Map<string, unknown>[]) {
        for (const key of [...cache.keys()]) if (key === path || key.startsWith(`${path}\u0000`)) cache.delete(key);
      }
    },
    workspaceIndex: (files, previous) => createWorkspaceIndex(files, indexEnv, { previous, delta: (old, next) => caches.deltas.between(old, next) }),
    ...editorFeatures((path) => accessFor(projects.forFile(path)), workspace, parse, problemsOf),
  };
}

/** What the scopes of a cut collector unit gave at its last validation, and what they were checked against. */
interface ScopeRun {
  scopes: readonly UnitScope[];
  parts: Problem[][];
  /** Per scope: its list is its kept result's own (not moved, no related location placed from the file's lines). */
  reusable: boolean[];
  /** Per scope: the tokens besides the index's answers its list was kept with (CheckCache.othersOf); `tokens`, their values then. */
  others: (readonly TokenKind[])[];
  tokens: Map<TokenKind, object>;
  place: string;
  config: FileConfig;
  answers: object;
  generation: number;
  minute: number;
}
const MAX_SCOPE_RUNS = 256;

/** What a unit gave at its last validation, and what it stood on then (see `unitRuns`). */
interface UnitRun {
  /** The offset its lists were found at (Unit.keptAs: where its document started). */
  base: number;
  place: string;
  config: FileConfig;
  answers: object;
  generation: number;
  minute: number;
  /** The tokens besides the index's answers its kept results are kept with (CheckCache.othersOf), and their values then. */
  kinds: readonly TokenKind[];
  tokens: readonly object[];
  parts: Problem[][];
}

/** The unit as the checks of one scope see it: the same unit, with the scope's model. */
function scopedUnit(unit: CollectorUnit, scope: UnitScope): CollectorUnit {
  return Object.create(unit, { model: { value: scope.model, enumerable: true } }) as CollectorUnit;
}

/** What the checks of a unit read of its place in the file, as a key: its index, label, container (as JSON: `containerKey`) and defaults. */
/** What `unitPlace` reads of a unit (not the unit: it holds the file's text). */
interface PlaceParts {
  kind: Unit['kind'];
  index: number;
  label: string | undefined;
  container: Unit['container'];
  defaults: object | undefined;
}

function placeParts(unit: Unit): PlaceParts {
  return { kind: unit.kind, index: unit.index, label: unit.label, container: unit.container, defaults: unit.kind === 'collector' ? unit.defaultsFrom : undefined };
}

/** Whether `unit` has what `unitPlace` reads in the same objects as `parts` (so the same place key). */
function samePlace(parts: PlaceParts, unit: Unit): boolean {
  return parts.kind === unit.kind && parts.index === unit.index && parts.label === unit.label && parts.container === unit.container && parts.defaults === (unit.kind === 'collector' ? unit.defaultsFrom : undefined);
}

function unitPlace(unit: Unit, containerKey: (container: Unit['container']) => string): string {
  const defaults = unit.kind === 'collector' ? unit.defaultsFrom : undefined;
  return `${unit.kind}\u0000${unit.index}\u0000${unit.label ?? ''}\u0000${containerKey(unit.container)}\u0000${JSON.stringify(defaults ?? null)}`;
}


/** Sorted lists as one sorted list: concatenated when they follow each other (a cut config's scopes do), else sorted stably. */
function merged(lists: Problem[][]): Problem[] {
  const full = lists.filter((list) => list.length > 0);
  if (full.length === 1) return full[0];
  const all: Problem[] = [];
  let sorted = true;
  for (const list of lists) {
    if (list.length === 0) continue;
    if (all.length > 0 && all[all.length - 1].offset > list[0].offset) sorted = false;
    for (const p of list) all.push(p);
  }
  return sorted ? all : all.sort((a, b) => a.offset - b.offset);
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
/**
 * Units that share a place (an Instrumentation and its language blocks) say the same problem there once: a labelled
 * problem (one `plainOf` knows) goes when a labelled one before it at the same offset was made from a problem of the
 * same code, length and message. The first unit to say it keeps it: the lists are merged in unit order, stably.
 */
function saidOnce(sorted: Problem[], plainOf: WeakMap<Problem, Problem>): Problem[] {
  // Copied only from the first repeat on (mostly there is none); only problems at an offset taken already are looked up.
  let kept: Problem[] | undefined;
  for (let k = 1; k < sorted.length; k++) {
    const problem = sorted[k];
    const list = kept ?? sorted;
    const last = kept ? kept.length : k;
    if (list[last - 1].offset !== problem.offset) {
      kept?.push(problem);
      continue;
    }
    const plain = plainOf.get(problem);
    let repeat = false;
    if (plain) {
      for (let i = last - 1; i >= 0 && list[i].offset === problem.offset && !repeat; i--) {
        const other = plainOf.get(list[i]);
        repeat = other !== undefined && other.code === plain.code && other.length === plain.length && other.message === plain.message;
      }
    }
    if (repeat) kept ??= sorted.slice(0, k);
    else kept?.push(problem);
  }
  return kept ?? sorted;
}

function once(sorted: Problem[]): Problem[] {
  // Copied only from the first repeat on (mostly there is none).
  let kept: Problem[] | undefined;
  // Past 16 problems at one offset, their keys go into a set: a client paired with hundreds of listeners has hundreds
  // of problems on one place, and comparing each with all those before it was quadratic (issue 15's fuzzer: 17 s of
  // one validation).
  let keys: Set<string> | undefined;
  let keysAt = -1;
  const keyOf = (p: Problem) => `${p.code}\0${p.length}\0${p.message}`;
  for (let k = 0; k < sorted.length; k++) {
    const problem = sorted[k];
    const list = kept ?? sorted;
    const last = kept ? kept.length : k;
    let repeat = false;
    if (keys && keysAt === problem.offset) repeat = keys.has(keyOf(problem));
    else {
      let i = last - 1;
      let seen = 0;
      for (; i >= 0 && list[i].offset === problem.offset && !repeat; i--, seen++) {
        const other = list[i];
        repeat = other.code === problem.code && other.length === problem.length && other.message === problem.message;
      }
      if (!repeat && seen >= 16) {
        keys = new Set();
        for (let j = i + 1; j < last; j++) keys.add(keyOf(list[j]));
        keysAt = problem.offset;
      }
    }
    if (repeat) kept ??= sorted.slice(0, k);
    else {
      kept?.push(problem);
      if (keys && keysAt === problem.offset) keys.add(keyOf(problem));
    }
  }
  return kept ?? sorted;
}

/** Whether a problem's cause sits at `span` (both absent, or the cause's offset and length are the span's). */
function sameSpan(cause: Problem['cause'], span: { offset: number; length: number } | undefined): boolean {
  const at = cause && 'offset' in cause ? cause : undefined;
  if (!at || !span) return at === undefined && span === undefined;
  return at.offset === span.offset && at.length === span.length;
}

function hasKeys(record: object): boolean {
  for (const _ in record) return true;
  return false;
}

/** Two lists of one problem each (the same offsets), in offset order, stably (problems at one offset keep their order). */
function sortedPairs(plain: Problem[], shown: Problem[]): { plain: Problem[]; shown: Problem[] } {
  let sorted = true;
  for (let i = 1; i < plain.length && sorted; i++) if (plain[i - 1].offset > plain[i].offset) sorted = false;
  if (sorted) return { plain, shown };
  const order = plain.map((_, i) => i).sort((a, b) => plain[a].offset - plain[b].offset || a - b);
  return { plain: order.map((i) => plain[i]), shown: order.map((i) => shown[i]) };
}

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
import { workLimits } from './checks/workLimits';
import { editorFeatures, type EditorFeatures } from './features/editorFeatures';
import type { Problem } from './languageTypes';
import { emptyFile, type ParsedFile } from './model/units';
import { emptyWorkspace, type WorkspaceIndex } from './model/workspace';
import type { Runtime } from './runtime';
import type { Settings } from './settings';
import { sizeProblem } from './sourceFile';
import { readSource } from './sources/detect';
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
}

export interface LanguageService extends EditorFeatures {
  /** The file's units, read once; pass the result back to `validate` and the features to avoid reading it twice. */
  parse(document: SourceDocument): ParsedFile;
  /** Collector checks on each collector unit, app checks on each app unit; problems in file offsets, in file order. */
  validate(document: SourceDocument, parsed?: ParsedFile): Problem[];
}

export function getLanguageService(options: LanguageServiceOptions): LanguageService {
  const caches: Caches = createCaches();
  const workspace = options.workspace ?? (() => emptyWorkspace);
  const access = { runtime: options.runtime, settings: options.settings, caches };

  function parse(document: SourceDocument): ParsedFile {
    if (sizeProblem(document.text.length)) return emptyFile(document.path, document.text);
    return readSource(document.path, document.text, caches);
  }

  function validate(document: SourceDocument, parsed = parse(document)): Problem[] {
    const tooLarge = sizeProblem(document.text.length);
    if (tooLarge) return [tooLarge];
    const index = workspace();
    const problems: Problem[] = [];
    for (const unit of [...parsed.collectors, ...parsed.apps]) {
      const context = createCheckContext(unit, document, access, index);
      for (const check of checks) {
        if (check.kind !== unit.kind) continue;
        // One by one: a hostile file can hold more problems than a spread call takes arguments.
        for (const p of (check.run as (c: CheckContext) => Problem[])(context)) problems.push(unit.offsets.identity ? p : { ...p, ...spanToFile(unit.offsets, p.offset, p.length) });
      }
    }
    return once(problems.sort((a, b) => a.offset - b.offset));
  }

  return { parse, validate, ...editorFeatures(access, workspace, parse) };
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

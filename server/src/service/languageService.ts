/**
 * The facade of the pure core: documents in, problems out. The LSP server and the CLI call
 * only this. No `vscode`, no LSP connection, no `fs`: the Runtime brings the outside world.
 */
import type { Check, CheckContext, SourceDocument } from './checks/check';
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
import { parseCollectorConfig, type CollectorModel } from './model/collector';
import { isEnvFilePath, isShellScriptPath, parseEnvFile, type EnvModel } from './sources/envFile';
import type { Problem } from './languageTypes';
import { editorFeatures, type EditorFeatures } from './features/editorFeatures';
import type { Runtime } from './runtime';
import type { Settings } from './settings';
import { emptyWorkspace, type WorkspaceIndex } from './model/workspace';

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
] as readonly Check[];

/** Larger documents get one `file-too-large` problem instead of a check that could take seconds. */
export const MAX_DOCUMENT_SIZE = 2 * 1024 * 1024;

export type ParsedDocument =
  | { kind: 'collector'; model: CollectorModel }
  | { kind: 'env'; model: EnvModel }
  | { kind: 'other' };

export interface LanguageServiceOptions {
  runtime: Runtime;
  settings: Settings;
  workspace?: WorkspaceIndex;
}

export interface LanguageService extends EditorFeatures {
  /** What the document is, parsed once; pass the result back to `validate` to avoid parsing twice. */
  parse(document: SourceDocument): ParsedDocument;
  validate(document: SourceDocument, parsed?: ParsedDocument): Problem[];
}

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

export function getLanguageService(options: LanguageServiceOptions): LanguageService {
  const workspace = options.workspace ?? emptyWorkspace;

  function parse(document: SourceDocument): ParsedDocument {
    if (document.text.length > MAX_DOCUMENT_SIZE) return { kind: 'other' };
    if (isEnvFilePath(document.path)) return { kind: 'env', model: parseEnvFile(document.text, { shell: isShellScriptPath(document.path) }) };
    if (isYamlPath(document.path)) {
      const model = parseCollectorConfig(document.text, document.path);
      if (model.isCollector) return { kind: 'collector', model };
    }
    return { kind: 'other' };
  }

  function validate(document: SourceDocument, parsed = parse(document)): Problem[] {
    if (document.text.length > MAX_DOCUMENT_SIZE) {
      return [
        {
          code: 'file-too-large',
          offset: 0,
          length: 0,
          message: `This file is ${(document.text.length / 1048576).toFixed(1)} MB; files over ${MAX_DOCUMENT_SIZE / 1048576} MB are not checked.`,
        },
      ];
    }
    if (parsed.kind === 'other') return [];
    const context = { ...parsed, document, runtime: options.runtime, settings: options.settings, workspace } as CheckContext;
    const problems: Problem[] = [];
    for (const check of checks) {
      if (check.kind !== context.kind) continue;
      problems.push(...(check.run as (c: CheckContext) => Problem[])(context));
    }
    return problems.sort((a, b) => a.offset - b.offset);
  }

  return { parse, validate, ...editorFeatures({ runtime: options.runtime, settings: options.settings, workspace }, parse) };
}

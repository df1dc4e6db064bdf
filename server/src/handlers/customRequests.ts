/**
 * The custom requests of protocol.ts: suggested hosts, wiring generated certificates into a
 * document, planning and writing development certificates (the VS Code command's work, done here
 * with the same writer as the CLI's), and the server's counters. Params are checked: any client
 * may send anything.
 */
import type { Connection, TextDocuments, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { planCertificates, writeCertificates, type CertificatePlan, type CertificateProblem, type CertificateRequest, type WriteResult } from '../certificateWriter';
import { certificatePlanRequest, serverStatisticsRequest, suggestedHostsRequest, wireCertificatesRequest, writeCertificatesRequest, type CertificatePlanParams, type ServerStatistics } from '../protocol';
import { idleCollector } from '../idleCollector';
import { wireCertificateEdits } from '../service/certificates/wireCertificates';
import { isShellScriptPath } from '../service/sources/envFile';
import type { Runtime } from '../service/runtime';
import type { WorkspaceState } from '../workspaceState';
import type { FeatureRunner } from './runSafe';
import type { ServerSettings } from './serverSettings';
import type { ValidationQueue } from './validationQueue';
import type { VersionDeltas } from './versionDeltas';
import type { WorkspaceScan } from './workspaceHandlers';

export interface CustomRequestContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: ServerSettings;
  state: WorkspaceState;
  runtime: Runtime;
  runner: FeatureRunner;
  validation: ValidationQueue;
  scan: WorkspaceScan;
  deltas: VersionDeltas;
}

const UNTRUSTED: CertificateProblem = {
  code: 'untrusted-workspace',
  message: 'certificates are not written in an untrusted workspace (restricted mode); trust the workspace first',
  force: false,
};

export function registerCustomRequests({ connection, documents, settings, state, runtime, runner, validation, scan, deltas }: CustomRequestContext): void {
  connection.onRequest(suggestedHostsRequest, (token) => runner.run<string[]>('suggested hosts', token, [], () => state.suggestedHosts()));

  connection.onRequest(wireCertificatesRequest, (params, token) =>
    runner.run<TextEdit[]>('wire certificates', token, [], () => {
      const document = typeof params?.uri === 'string' ? documents.get(params.uri) : undefined;
      if (!document || !params.paths) return [];
      return state.withFeatures(document, (_, { path, parsed }) => (parsed ? wireCertificateEdits(document, parsed, params.paths, runtime.getEnv, isShellScriptPath(path ?? document.uri)) : []));
    }),
  );

  connection.onRequest(certificatePlanRequest, (params, token) => {
    const request = certificateRequest(params);
    const refused = (problem: CertificateProblem): CertificatePlan => ({ out: request.out, createsFolder: false, reuseCa: false, files: [], overwrites: [], problems: [problem] });
    const failed = refused({ code: 'io-error', message: 'examining the target folder failed unexpectedly (see the server log)', force: false });
    return runner.run<CertificatePlan>('certificate plan', token, failed, () =>
      settings.trusted ? planCertificates(request, { now: runtime.now(), base: baseOf(params), wording: 'editor' }) : refused(UNTRUSTED),
    );
  });

  connection.onRequest(writeCertificatesRequest, (params, token) =>
    runner.run<WriteResult>('write certificates', token, { ok: false, problem: { code: 'io-error', message: 'writing the certificates failed unexpectedly (see the server log)', force: false } }, async () => {
      if (!settings.trusted) return { ok: false, problem: UNTRUSTED };
      const result = await writeCertificates(certificateRequest(params), { force: params?.force === true, now: runtime.now(), base: baseOf(params), wording: 'editor' });
      if (result.ok) {
        // Re-read what was written and re-check the open files now: the watcher may report only the new folder.
        for (const file of result.files) state.fileChangedOnDisk(file.path);
        validation.all();
      }
      return result;
    }),
  );

  connection.onRequest(serverStatisticsRequest, (): ServerStatistics => ({
    validations: validation.validations,
    unchangedPublishes: validation.unchanged,
    changes: validation.changes,
    scannedFiles: scan.scannedFiles,
    scanned: scan.done,
    failedFeatures: runner.failures,
    answeredFromParsed: deltas.answered,
    memory: process.memoryUsage(),
    ...(idleCollector() ? { idleCollections: idleCollector()!.collections } : {}),
  }));
}

/** The request part of the params, with the types the writer expects (it checks the values). */
function certificateRequest(params: CertificatePlanParams | undefined): CertificateRequest {
  return {
    out: typeof params?.out === 'string' ? params.out : '',
    hosts: Array.isArray(params?.hosts) ? params.hosts : [],
    clients: Array.isArray(params?.clients) ? params.clients : [],
    algorithm: params?.algorithm ?? 'ecdsa-p256',
    days: typeof params?.days === 'number' ? params.days : NaN,
  };
}

function baseOf(params: CertificatePlanParams | undefined): string | undefined {
  return typeof params?.base === 'string' ? params.base : undefined;
}

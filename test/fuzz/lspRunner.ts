/**
 * Cases through the built language server (`node dist/server.js --stdio`), as an editor would drive it:
 * the case files are on disk in the workspace folder (so the start-up scan reads them), the main
 * document is opened and edited at random (typing, deleting, pasting, whole-text replacements, bursts
 * without waiting), and hover, completion, code actions (with the published diagnostics, stale ones and
 * made-up ones) and document links are asked at random positions, some past the end of a line or of
 * the document, some cancelled, some with the document closed while the request is in flight.
 *
 * Watched: every request's answer (an error answer is a failed request; ContentModified and
 * RequestCancelled after a cancel are allowed) and its latency, errors the server logs, its stderr,
 * whether it is alive, its CPU time per case and its memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CancellationTokenSource,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { decodeUtf8 } from '../../server/src/service/sourceFile';
import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';
import type { FuzzCase } from './cases';
import { HOSTILE_FAMILIES, hostileDocument } from './hostile';
import { looksLikeCrash, processUsage, type ProcessUsage } from './processes';
import { Random } from './random';

export type LspOperation =
  | { op: 'open'; uri: string; languageId: string; text: string }
  | { op: 'change'; uri: string; version: number; changes: TextDocumentContentChangeEvent[] }
  | { op: 'request'; method: string; params: object; cancel?: boolean; closeWhilePending?: boolean; publishedDiagnostics?: boolean }
  | { op: 'wait'; uri: string; version: number }
  | { op: 'close'; uri: string }
  | { op: 'configuration'; settings: object }
  | { op: 'watched'; changes: { uri: string; type: number }[] };

export interface RequestRecord {
  method: string;
  ms: number;
  /** The server's CPU time while the request was pending (its own work, and any it waited behind), from /proc. */
  cpuMs?: number;
  /** The error answer, for a failed request. */
  error?: string;
  /** Cancelled by us or answered ContentModified: allowed. */
  cancelled?: boolean;
}

export interface LspFailure {
  /** `over-budget` (CPU of a case) and `slow-request` (over 1 s) are measurements, reported apart from the failures. */
  kind: 'crash' | 'hang' | 'failed-request' | 'logged-error' | 'stderr' | 'over-budget' | 'slow-request';
  detail: string;
  index: number;
  operations: LspOperation[];
}

export interface CaseStats {
  index: number;
  description: string;
  cpuMs: number;
  edits: number;
  requests: RequestRecord[];
  failures: LspFailure[];
}

const WAIT_MS = 30_000;
const SNIPPETS = [
  'tls:\n', '  insecure: true\n', 'ca_file: ca.crt', 'cert_file: ', '"', "'", '[', ']', '{', '}', ': ', '- ', '&a ', '*a', '<<: *a\n', '\t', '\r', '\r\n', '\0', '\ufeff',
  '${env:CERT_DIR}/', '{{ .Values.x }}', 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\n', 'OTEL_EXPORTER_OTLP_CERTIFICATE=', '=', '# otlp-tls: sdk=', 'receivers:\n',
  'exporters:\n  otlp:\n    endpoint: https://collector:4317\n    tls:\n      ca_file: ca.crt\n', '\n', '    ', 'x', 'endpoint: http://', ':4317', 'min_version: "1.0"\n',
];

export class LspSession {
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  readonly loggedErrors: string[] = [];
  stderr = '';
  exited: string | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.set(params.uri, params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type === 1) this.loggedErrors.push(params.message.slice(0, 4000));
    });
    connection.onRequest('workspace/configuration', () => [null]);
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    child.stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 256 * 1024) this.stderr += chunk.toString();
    });
    child.on('exit', (code, signal) => {
      this.exited = `exit ${code}${signal ? ` signal ${signal}` : ''}`;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async start(root: string, workspace: string, settings: object = {}): Promise<LspSession> {
    // OTLP_FUZZ_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) goes to the server's node, for profiling a run.
    const nodeArgs = (process.env.OTLP_FUZZ_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: workspace });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const session = new LspSession(child, connection);
    connection.onError(() => undefined);
    connection.onClose(() => undefined);
    connection.listen();
    const folder = pathToFileURL(workspace).href;
    await session.bounded(
      connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: folder,
        workspaceFolders: [{ uri: folder, name: 'fuzz' }],
        capabilities: { workspace: { configuration: false, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: false } } },
        initializationOptions: { settings },
      }),
      'initialize',
    );
    await connection.sendNotification('initialized', {});
    return session;
  }

  /** The server's V8 heap in use (otlpTls/statistics `memory`), in KiB; undefined when it does not say. */
  async heapUsedKb(): Promise<number | undefined> {
    return (await this.memoryStatistics()).heapKb;
  }

  /** The heap in use and committed, the memory outside it (Buffers...), in KiB, and the idle collections made so far (server/src/idleCollector.ts), as otlpTls/statistics says. */
  async memoryStatistics(): Promise<{ heapKb?: number; heapTotalKb?: number; externalKb?: number; idleCollections?: number }> {
    try {
      const statistics = (await this.bounded(this.connection.sendRequest('otlpTls/statistics'), 'otlpTls/statistics')) as { memory?: { heapUsed?: number; heapTotal?: number; external?: number }; idleCollections?: number } | null;
      const kb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 1024);
      const memory = statistics?.memory;
      return { heapKb: kb(memory?.heapUsed), heapTotalKb: kb(memory?.heapTotal), externalKb: kb(memory?.external), idleCollections: statistics?.idleCollections };
    } catch {
      return {};
    }
  }

  usage(): ProcessUsage | undefined {
    return processUsage(this.child.pid);
  }

  alive(): boolean {
    return this.exited === undefined;
  }

  /** Resolves with `promise`, or rejects after WAIT_MS or when the server exits. */
  private bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new HangError(`${what}: no answer within ${WAIT_MS} ms`)), WAIT_MS);
      const onExit = () => reject(new CrashError(`${what}: the server died (${this.exited})`));
      this.child.once('exit', onExit);
      promise.then(
        (value) => {
          clearTimeout(timer);
          this.child.off('exit', onExit);
          resolve(value);
        },
        (error) => {
          clearTimeout(timer);
          this.child.off('exit', onExit);
          reject(error);
        },
      );
    });
  }

  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return this.published.get(uri);
  }

  /** Waits for diagnostics of `version` or later. */
  async waitFor(uri: string, version: number): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (!this.alive()) throw new CrashError(`waiting for diagnostics of ${uri} v${version}: the server died (${this.exited})`);
      const found = this.published.get(uri);
      if (found && (found.version ?? 0) >= version) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new HangError(`no diagnostics for version ${version} of ${uri} within ${WAIT_MS} ms (last: v${found?.version})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Runs one operation; for a request, returns what became of it. */
  async execute(operation: LspOperation): Promise<RequestRecord | undefined> {
    if (!this.alive()) throw new CrashError(`the server is dead (${this.exited})`);
    switch (operation.op) {
      case 'open':
        this.published.delete(operation.uri);
        await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: operation.uri, languageId: operation.languageId, version: 1, text: operation.text } });
        return undefined;
      case 'change':
        await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: operation.uri, version: operation.version }, contentChanges: operation.changes });
        return undefined;
      case 'close':
        await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: operation.uri } });
        return undefined;
      case 'configuration':
        await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { otlpTls: operation.settings } });
        return undefined;
      case 'watched':
        await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: operation.changes });
        return undefined;
      case 'wait':
        await this.waitFor(operation.uri, operation.version);
        return undefined;
      case 'request': {
        const source = new CancellationTokenSource();
        let params = operation.params;
        if (operation.publishedDiagnostics) {
          const uri = (params as { textDocument: { uri: string } }).textDocument.uri;
          const diagnostics = this.published.get(uri)?.diagnostics ?? [];
          params = { ...params, context: { ...(params as { context: object }).context, diagnostics } };
        }
        const started = performance.now();
        const cpuBefore = this.usage()?.cpuMs;
        const cpu = () => {
          const after = this.usage()?.cpuMs;
          return after !== undefined && cpuBefore !== undefined ? { cpuMs: after - cpuBefore } : {};
        };
        const pending = this.connection.sendRequest(operation.method, params, source.token);
        if (operation.cancel) source.cancel();
        if (operation.closeWhilePending) {
          const uri = (operation.params as { textDocument?: { uri: string } }).textDocument?.uri;
          if (uri) await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
        }
        try {
          await this.bounded(pending, operation.method);
          return { method: operation.method, ms: performance.now() - started, ...cpu() };
        } catch (error) {
          if (error instanceof HangError || error instanceof CrashError) throw error;
          const ms = performance.now() - started;
          const code = (error as ResponseError<unknown>).code;
          // -32800 RequestCancelled (we cancelled it), -32801 ContentModified: allowed answers.
          if ((operation.cancel && code === -32800) || code === -32801) return { method: operation.method, ms, cancelled: true, ...cpu() };
          return { method: operation.method, ms, error: `${code ?? ''} ${(error as Error).message}`, ...cpu() };
        }
      }
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => (this.exited !== undefined ? resolve(null) : this.child.once('exit', resolve)));
    try {
      if (this.alive()) {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
        await this.connection.sendNotification('exit').catch(() => undefined);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
    } catch {
      // gone already; killed below
    } finally {
      if (this.exited === undefined) this.child.kill('SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      this.connection.dispose();
    }
  }
}

export class HangError extends Error {}
export class CrashError extends Error {}

function languageOf(path: string): string {
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.sh$/.test(path)) return 'shellscript';
  return 'dotenv';
}

/** The operations of one case: open, `edits` edits and `requests` requests in random order, then wait and close. */
export function planCase(fuzzCase: FuzzCase, caseDir: string, edits: number, requests: number): LspOperation[] {
  const random = new Random(fuzzCase.seed ^ 0x5eed, fuzzCase.index);
  const path = join(caseDir, fuzzCase.main);
  const uri = pathToFileURL(path).href;
  const spec = fuzzCase.files.find((f) => f.path === fuzzCase.main);
  let text = '';
  if (spec?.kind === 'file') text = typeof spec.contents === 'string' ? spec.contents : decodeUtf8(spec.contents).text;
  else {
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = 'exporters:\n  otlp:\n    endpoint: https://collector:4317\n';
    }
  }
  let document = TextDocument.create(uri, languageOf(path), 1, text);
  const operations: LspOperation[] = [{ op: 'open', uri, languageId: languageOf(path), text }];
  const history: string[] = [text];
  let version = 1;
  let editsLeft = edits;
  let requestsLeft = requests;
  const codes = Object.keys(diagnosticCodes);

  const anyPosition = () => {
    const roll = random.float();
    if (roll < 0.8) return document.positionAt(random.int(document.getText().length + 1));
    const base = document.positionAt(random.int(document.getText().length + 1));
    if (roll < 0.88) return { line: base.line, character: base.character + random.size(10_000) };
    if (roll < 0.94) return { line: document.lineCount + random.int(5), character: random.int(10) };
    return { line: random.pick([0, base.line, 2147483647]), character: 2147483647 };
  };
  const edit = (): TextDocumentContentChangeEvent[] => {
    const current = document.getText();
    const kind = random.weighted([
      [40, 'insert'], [15, 'delete'], [15, 'replace'], [12, 'type'], [5, 'paste'], [5, 'whole'], [5, 'undo'], [3, 'outside'],
    ] as const);
    const range = () => {
      const a = random.int(current.length + 1);
      const b = Math.min(current.length, a + random.size(300));
      return { start: document.positionAt(a), end: document.positionAt(b) };
    };
    switch (kind) {
      case 'insert': {
        const p = document.positionAt(random.int(current.length + 1));
        return [{ range: { start: p, end: p }, text: random.pick(SNIPPETS) }];
      }
      case 'delete':
        return [{ range: range(), text: '' }];
      case 'replace':
        return [{ range: range(), text: random.chance(0.5) ? random.pick(SNIPPETS) : current.slice(random.int(current.length), random.int(current.length) + random.size(200)) }];
      case 'type': {
        // Several keystrokes in one notification, as a fast typist's client may send them.
        const offset = random.int(current.length + 1);
        const word = random.pick(['insecure_skip_verify', 'ca_file: certs/', 'OTEL_EXPORTER_OTLP_', 'min_version: "1.', '    tls:\n      ']);
        const changes: TextDocumentContentChangeEvent[] = [];
        for (let i = 0; i < word.length; i++) {
          const shifted = TextDocument.create(uri, 'x', 0, current.slice(0, offset) + word.slice(0, i) + current.slice(offset));
          const at = shifted.positionAt(offset + i);
          changes.push({ range: { start: at, end: at }, text: word[i] });
        }
        return changes;
      }
      case 'paste': {
        const hostile = hostileDocument(random, random.pick(HOSTILE_FAMILIES));
        let pasted = typeof hostile.contents === 'string' ? hostile.contents : decodeUtf8(hostile.contents).text;
        if (pasted.length > 1_200_000) pasted = pasted.slice(0, 1_200_000);
        const p = document.positionAt(random.int(current.length + 1));
        return [{ range: { start: p, end: p }, text: pasted }];
      }
      case 'whole':
        return [{ text: random.chance(0.5) ? '' : current.split('\n').reverse().join('\n') }];
      case 'undo':
        return [{ text: random.pick(history) }];
      default: {
        // A range past the end of the document or of a line (clients should not, servers must cope).
        const p = anyPosition();
        return [{ range: { start: p, end: { line: p.line + random.int(3), character: p.character + random.int(50) } }, text: random.pick(SNIPPETS) }];
      }
    }
  };
  const request = (): LspOperation => {
    const method = random.weighted([[30, 'textDocument/hover'], [30, 'textDocument/completion'], [25, 'textDocument/codeAction'], [15, 'textDocument/documentLink']] as const);
    const textDocument = { uri };
    let params: object;
    if (method === 'textDocument/codeAction') {
      const start = anyPosition();
      const end = random.chance(0.7) ? start : anyPosition();
      params = { textDocument, range: { start, end }, context: { diagnostics: codeActionDiagnostics(random, codes, start), only: random.chance(0.1) ? ['quickfix'] : undefined } };
      // Most code action requests carry what the server last published (perhaps for an older version).
      if (random.chance(0.6)) return { op: 'request', method, params, publishedDiagnostics: true };
    } else if (method === 'textDocument/documentLink') {
      params = { textDocument };
    } else if (method === 'textDocument/completion') {
      params = { textDocument, position: anyPosition(), context: random.chance(0.5) ? { triggerKind: 2, triggerCharacter: random.pick(['"', ' ', '=', ',', '/']) } : { triggerKind: 1 } };
    } else {
      params = { textDocument, position: anyPosition() };
    }
    return { op: 'request', method, params, cancel: random.chance(0.05) || undefined, closeWhilePending: random.chance(0.02) || undefined };
  };

  while (editsLeft > 0 || requestsLeft > 0) {
    const doEdit = requestsLeft === 0 || (editsLeft > 0 && random.chance(editsLeft / (editsLeft + requestsLeft)));
    if (doEdit) {
      const changes = edit();
      version++;
      document = TextDocument.update(document, changes, version);
      history.push(document.getText());
      if (history.length > 8) history.shift();
      operations.push({ op: 'change', uri, version, changes });
      editsLeft--;
      if (random.chance(0.25)) operations.push({ op: 'wait', uri, version });
    } else {
      const operation = request();
      operations.push(operation);
      requestsLeft--;
      if (operation.op === 'request' && operation.closeWhilePending) {
        // The document is closed while the request is pending; reopen it with the text it had.
        version = 1;
        document = TextDocument.create(uri, languageOf(path), 1, document.getText());
        operations.push({ op: 'open', uri, languageId: languageOf(path), text: document.getText() });
      }
    }
  }
  operations.push({ op: 'wait', uri, version });
  operations.push({ op: 'close', uri });
  return operations;
}

/**
 * Operations on the whole workspace, run between cases (their cost is the workspace's, not a case's):
 * a settings change (every file checked again) or files reported changed on disk.
 */
export function planWorkspaceOperation(random: Random, caseDirs: string[], files: string[][]): LspOperation {
  if (random.chance(0.5)) {
    return {
      op: 'configuration',
      settings: random.pick([
        {},
        { pathMappings: { '/etc/otel/certs': join(random.pick(caseDirs), 'certs') } },
        { environment: { CERT_DIR: random.pick(['certs', '${env:CERT_DIR}', 'x'.repeat(10_000)]) } },
        { sdk: random.pick(['java', 'python', 'bogus']) },
        { expiryWarningDays: random.pick([0, -1, 1e9]) },
      ]),
    };
  }
  const at = random.int(caseDirs.length);
  return { op: 'watched', changes: files[at].slice(0, 5).map((f) => ({ uri: pathToFileURL(join(caseDirs[at], f)).href, type: random.range(1, 3) })) };
}

/** Diagnostics for a code action request: none, made-up ones with any code and odd data, or ones at the position. */
function codeActionDiagnostics(random: Random, codes: string[], at: { line: number; character: number }): Diagnostic[] {
  const count = random.weighted([[3, 0], [4, 1], [2, 2], [1, 5]] as const);
  const out: Diagnostic[] = [];
  for (let i = 0; i < count; i++) {
    const data = random.pick<unknown>([undefined, {}, null, 'x', 42, [], { suggestion: 'x' }, { kind: 'rename', from: 'a', to: 'b' }, { path: ['exporters', 'otlp', 'tls'] }, { locator: { kind: 'yaml', path: [0, 'x', -1] } }]);
    out.push({
      range: { start: at, end: { line: at.line, character: at.character + random.int(20) } },
      message: 'fuzz',
      code: random.chance(0.9) ? random.pick(codes) : random.pick(['', 'nope', '42']),
      source: random.chance(0.9) ? 'otlp-tls' : 'other',
      severity: random.range(1, 4) as 1,
      ...(data === undefined ? {} : { data }),
    });
  }
  return out;
}

/** Runs the planned operations of one case; failures are collected, not thrown (except when the server is gone). */
export async function runCase(
  session: LspSession,
  fuzzCase: FuzzCase,
  operations: LspOperation[],
  budgetMs: number,
): Promise<CaseStats> {
  const stats: CaseStats = { index: fuzzCase.index, description: fuzzCase.description, cpuMs: 0, edits: 0, requests: [], failures: [] };
  const before = session.usage();
  const loggedBefore = session.loggedErrors.length;
  const stderrBefore = session.stderr.length;
  const done: LspOperation[] = [];
  for (const operation of operations) {
    done.push(operation);
    try {
      const record = await session.execute(operation);
      if (operation.op === 'change') stats.edits++;
      if (record) {
        stats.requests.push(record);
        if (record.error) stats.failures.push({ kind: 'failed-request', detail: `${record.method}: ${record.error}`, index: fuzzCase.index, operations: [...done] });
        else if (record.ms > 1000) stats.failures.push({ kind: 'slow-request', detail: `${record.method}: ${Math.round(record.ms)} ms (${record.cpuMs === undefined ? '?' : Math.round(record.cpuMs)} ms of server CPU)`, index: fuzzCase.index, operations: [...done] });
      }
    } catch (error) {
      const kind = error instanceof HangError ? 'hang' : 'crash';
      stats.failures.push({ kind, detail: `${(error as Error).message}${session.stderr ? `\nstderr: ${session.stderr.slice(-3000)}` : ''}`, index: fuzzCase.index, operations: [...done] });
      break;
    }
  }
  const after = session.usage();
  if (before && after) stats.cpuMs = after.cpuMs - before.cpuMs;
  if (stats.cpuMs > budgetMs) stats.failures.push({ kind: 'over-budget', detail: `${Math.round(stats.cpuMs)} ms of server CPU`, index: fuzzCase.index, operations });
  for (const message of session.loggedErrors.slice(loggedBefore)) stats.failures.push({ kind: 'logged-error', detail: message, index: fuzzCase.index, operations });
  const newStderr = session.stderr.slice(stderrBefore);
  if (newStderr.trim() && looksLikeCrash(newStderr)) stats.failures.push({ kind: 'stderr', detail: newStderr.slice(0, 4000), index: fuzzCase.index, operations });
  return stats;
}

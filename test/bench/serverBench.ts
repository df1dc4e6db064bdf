/**
 * Server benchmark (issues 2 and 14): the project's language server against yaml-language-server on
 * the same generated collector config, in the same run: 5,000 lines (200 `tls:` blocks), and 50,000
 * lines (ten times every component, 2,000 tls blocks); then a 5,000-line Kubernetes manifest (ours only).
 *
 * Both servers are real child processes driven over stdio with LSP:
 * - first diagnostics: from `didOpen` to the first `publishDiagnostics` of the file, each on a fresh
 *   server (cold), over several starts;
 * - edits: from a one-line `didChange` to the `publishDiagnostics` that reflects it, one after another.
 *   The first WARMUP_EDITS after opening are the warm-up (JIT, caches filling), reported apart; the
 *   next STEADY_EDITS are the steady state. The edit toggles a `min_version` between a valid and an
 *   invalid value, so the two texts really differ and their diagnostics differ on the edited line.
 *   Our server sends `version` and we wait for it; yaml-language-server publishes without a version,
 *   so for it we wait for the first publish after the change whose diagnostics on the edited line
 *   match the new text (an error there exactly when the value is invalid).
 * - beside every wall time, the server process's CPU time for the same step (every thread, from the
 *   kernel's scheduler statistics, in nanoseconds), which a loaded machine distorts far less; and the
 *   peak resident set (VmHWM) after the edits. Each figure is a median with its p10–p90 (or min–max
 *   under 5 values) and n; the machine's load average is printed with each case.
 *
 * yaml-language-server gets the project's schema through a generated wrapper schema that places
 * `collector-tls.schema.json#/$defs/tlsServer|tlsClient` at the receivers' and exporters' `tls:`
 * keys. The bench fails unless yaml-language-server reports every planted schema mistake, so the
 * comparison is never made against a server that validates nothing.
 *
 * yaml-language-server debounces every validation by a fixed 200 ms; the figures include it (it is
 * what an editor user waits), and a line shows them without it (its CPU time is unaffected). It takes
 * seconds an edit at 50,000 lines, so it gets fewer edits there (its n says how many).
 * An in-process breakdown of our core (parse, checks, ranges, JSON; then the server's kept diagnostics
 * and message bytes) follows, to show where an edit's time goes. The certificate paths in the file do not exist, so the server's file checks run too.
 *
 * Every wait is bounded (WAIT_TIMEOUT_MS) and fails with a message; child servers are killed at the
 * end. No timing is asserted: the figures are printed, not judged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type ConfigurationParams,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { parseDocument } from 'yaml';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { DiagnosticMemo, toDiagnostic } from '../../server/src/service/diagnostics';
import { ReusingMessageWriter } from '../../server/src/messageEncoding';
import { collectorUnit } from '../../server/src/service/sources/collectorYaml';
import { getLanguageService } from '../../server/src/service/languageService';
import { defaultSettings } from '../../server/src/service/settings';
import { generateManifest } from './manifestBench';

/** Every wait for a server is bounded by this; exceeding it fails the bench with a message. */
const WAIT_TIMEOUT_MS = 30_000;
const COLD_STARTS = 5;
/** Edits after opening that are reported apart, as the warm-up. */
const WARMUP_EDITS = 10;
/** Edits of the steady state (after the warm-up). */
const STEADY_EDITS = 100;
/** yaml-language-server's steady-state edits on the 50,000-line config (several seconds each). */
const LARGE_PEER_EDITS = 10;
const IN_PROCESS_RUNS = 20;
/** The plain config at scale 1 (the 50,000-line case is scale 10: ten times every component). */
const BASE_LINES = 5_000;
const BASE_TLS_BLOCKS = 200;
/** yaml-language-server's ValidationHandler waits this long (validationDelayMs, not a setting) before validating. */
const YAML_LS_VALIDATION_DELAY_MS = 200;

/** The repository root: dist/bench.js lives one level below it. */
const ROOT = process.env.OTLP_TLS_BENCH_ROOT ?? resolve(__dirname, '..');

// ---------------------------------------------------------------------------------------------
// The generated collector config
// ---------------------------------------------------------------------------------------------

/** A mistake planted in a tls block, with the 0-based line it sits on. */
export interface Mistake {
  line: number;
  /** Line range of the whole tls block (inclusive), for checks reported on the block. */
  block: { first: number; last: number };
  what: string;
  /** True when a JSON Schema of the tls block can see it (so yaml-language-server must report it). */
  schemaVisible: boolean;
}

export interface BenchConfig {
  text: string;
  lines: number;
  tlsBlocks: number;
  serverBlocks: number;
  clientBlocks: number;
  mistakes: Mistake[];
  /** The line the edits toggle, and its two texts (valid first, then invalid). */
  edit: { line: number; valid: string; invalid: string };
}

type Side = 'server' | 'client';

/**
 * Builds the config deterministically (no randomness): 40 otlp receivers (gRPC and HTTP tls each),
 * 20 zipkin receivers, 50 gRPC and 50 HTTP OTLP exporters under their old and new names, processors
 * to reach exactly 5,000 lines, and a service section. Every tenth tls block carries a mistake.
 */
export function generateCollectorConfig(scale = 1): BenchConfig {
  const TARGET_LINES = BASE_LINES * scale;
  const TLS_BLOCKS = BASE_TLS_BLOCKS * scale;
  const lines: string[] = [];
  const mistakes: Mistake[] = [];
  let tlsBlocks = 0;
  let serverBlocks = 0;
  let clientBlocks = 0;
  let edit: BenchConfig['edit'] | undefined;
  const pad = (n: number) => String(n).padStart(3, '0');

  /** Writes one tls block at `indent`; returns nothing, records mistakes and the edit line. */
  const tlsBlock = (indent: string, side: Side, name: string) => {
    const index = tlsBlocks++;
    if (side === 'server') serverBlocks++;
    else clientBlocks++;
    const i = `${indent}  `;
    const first = lines.length;
    lines.push(`${indent}tls:`);
    const body: string[] = [];
    const planted: { text: string; what: string; schemaVisible: boolean }[] = [];
    const kind = index % 10 === 5 ? Math.floor(index / 10) % 7 : -1;
    if (side === 'server') {
      body.push(`${i}cert_file: /etc/otel/certs/${name}.crt`);
      if (kind !== 5) body.push(`${i}key_file: /etc/otel/certs/${name}.key`);
      if (index % 4 !== 1) body.push(`${i}client_ca_file: /etc/otel/certs/ca.crt`);
    } else {
      body.push(`${i}ca_file: /etc/otel/certs/ca.crt`);
      if (index % 3 === 0) {
        body.push(`${i}cert_file: /etc/otel/certs/${name}.crt`);
        if (kind !== 5) body.push(`${i}key_file: /etc/otel/certs/${name}.key`);
      } else if (kind === 5) {
        body.push(`${i}cert_file: /etc/otel/certs/${name}.crt`);
      }
      if (index % 4 === 2) body.push(`${i}server_name_override: ${name}.gateway.example.com`);
    }
    switch (kind) {
      case 0:
        planted.push({ text: `${i}min_version: 1.2`, what: 'unquoted min_version (a number)', schemaVisible: true });
        break;
      case 1:
        planted.push({ text: `${i}max_version: "1.4"`, what: 'unknown TLS version "1.4"', schemaVisible: true });
        break;
      case 2:
        planted.push(
          side === 'server'
            ? { text: `${i}client_ca_fle: /etc/otel/certs/ca.crt`, what: 'misspelt key client_ca_fle', schemaVisible: true }
            : { text: `${i}insecure_skip_verfy: true`, what: 'misspelt key insecure_skip_verfy', schemaVisible: true },
        );
        break;
      case 3:
        body.push(`${i}cipher_suites:`);
        body.push(`${i}  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`);
        planted.push({ text: `${i}  - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA512`, what: 'unknown cipher suite', schemaVisible: true });
        break;
      case 4:
        planted.push(
          side === 'server'
            ? { text: `${i}insecure: true`, what: 'client-only key insecure in a server block', schemaVisible: true }
            : { text: `${i}client_ca_file: /etc/otel/certs/ca.crt`, what: 'server-only key client_ca_file in a client block', schemaVisible: true },
        );
        break;
      case 5:
        // The key line was left out above: a certificate without its key (a Collector rule, not a schema one).
        planted.push({ text: `${i}reload_interval: 1h`, what: 'cert_file without key_file', schemaVisible: false });
        break;
      case 6:
        if (side === 'server') body.push(`${i}ca_file: /etc/otel/certs/ca.crt`);
        body.push(`${i}ca_pem: "-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIUBench\\n-----END CERTIFICATE-----\\n"`);
        planted.push({ text: `${i}min_version: "1.2"`, what: 'ca_file and ca_pem both set', schemaVisible: false });
        break;
      default:
        if (index % 7 === 3 && side === 'client') body.push(`${i}insecure_skip_verify: true`);
        if (index === TLS_BLOCKS / 2 && side === 'client') {
          edit = { line: first + 1 + body.length, valid: `${i}min_version: "1.2"`, invalid: `${i}min_version: "1.7"` };
        }
        body.push(`${i}min_version: "1.2"`);
        if (index % 5 === 0) body.push(`${i}reload_interval: 12h`);
    }
    lines.push(...body);
    for (const p of planted) {
      lines.push(p.text);
      mistakes.push({ line: lines.length - 1, block: { first, last: first }, what: p.what, schemaVisible: p.schemaVisible });
    }
    for (const m of mistakes) if (m.block.first === first) m.block.last = lines.length - 1;
  };

  const header = [
    '# Generated by test/bench/serverBench.ts: a large gateway collector with 200 tls blocks.',
    '# Deterministic; some blocks carry mistakes on purpose so that both servers have something to report.',
  ];
  lines.push(...header);

  lines.push('receivers:');
  const receiverNames: string[] = [];
  for (let r = 1; r <= 40 * scale; r++) {
    const name = `otlp/r${pad(r)}`;
    receiverNames.push(name);
    lines.push(`  ${name}:`, '    protocols:', '      grpc:', `        endpoint: 0.0.0.0:${14000 + r}`, '        max_recv_msg_size_mib: 16');
    tlsBlock('        ', 'server', `r${pad(r)}-grpc`);
    lines.push('        keepalive:', '          server_parameters:', '            max_connection_idle: 11s', '            max_connection_age: 12s');
    lines.push('      http:', `        endpoint: 0.0.0.0:${24000 + r}`);
    tlsBlock('        ', 'server', `r${pad(r)}-http`);
    lines.push('        cors:', '          allowed_origins:', `            - https://app${pad(r)}.example.com`, '          max_age: 7200');
  }
  for (let z = 1; z <= 20 * scale; z++) {
    const name = `zipkin/z${pad(z)}`;
    receiverNames.push(name);
    lines.push(`  ${name}:`, `    endpoint: 0.0.0.0:${19400 + z}`);
    tlsBlock('    ', 'server', `z${pad(z)}`);
    lines.push('    parse_string_tags: false');
  }

  const processorsAt = lines.length;

  lines.push('', 'exporters:');
  const exporterNames: string[] = [];
  const grpcNames = ['otlp', 'otlp_grpc'];
  const httpNames = ['otlphttp', 'otlp_http'];
  for (let e = 1; e <= 100 * scale; e++) {
    const grpc = e % 2 === 1;
    const type = (grpc ? grpcNames : httpNames)[Math.floor(e / 2) % 2];
    const name = `${type}/e${pad(e)}`;
    exporterNames.push(name);
    lines.push(`  ${name}:`);
    lines.push(grpc ? `    endpoint: gateway-${pad(e)}.example.com:4317` : `    endpoint: https://gateway-${pad(e)}.example.com:4318`);
    lines.push('    compression: gzip', '    timeout: 10s');
    tlsBlock('    ', 'client', `e${pad(e)}`);
    lines.push(
      '    headers:',
      `      x-tenant: tenant-${pad(e)}`,
      '    retry_on_failure:',
      '      enabled: true',
      '      initial_interval: 5s',
      '      max_interval: 30s',
      '      max_elapsed_time: 300s',
      '    sending_queue:',
      '      enabled: true',
      '      num_consumers: 4',
      '      queue_size: 1000',
    );
  }

  lines.push('', 'service:', '  telemetry:', '    logs:', '      level: info', '  pipelines:');
  const pipelines = 20 * scale;
  for (let p = 0; p < pipelines; p++) {
    const signal = ['traces', 'metrics', 'logs'][p % 3];
    lines.push(`    ${signal}/p${pad(p + 1)}:`);
    lines.push(`      receivers: [${receiverNames.filter((_, k) => k % pipelines === p).join(', ')}]`);
    lines.push(`      processors: [memory_limiter, batch/p${pad(p + 1)}]`);
    lines.push(`      exporters: [${exporterNames.filter((_, k) => k % pipelines === p).join(', ')}]`);
  }

  // Processors fill the config up to exactly TARGET_LINES lines (inserted before the exporters,
  // so the mistakes' and the edit's line numbers after them shift by the same amount).
  const processors: string[] = ['', 'processors:', '  memory_limiter:', '    check_interval: 1s', '    limit_percentage: 80', '    spike_limit_percentage: 20'];
  for (let p = 1; p <= pipelines; p++) processors.push(`  batch/p${pad(p)}:`, '    timeout: 5s', '    send_batch_size: 8192');
  let a = 0;
  const attributes = (n: number) => [
    `  attributes/a${pad(n)}:`,
    '    actions:',
    '      - key: deployment.environment',
    `        value: env-${pad(n)}`,
    '        action: upsert',
    '      - key: http.request.header.authorization',
    '        action: delete',
  ];
  while (lines.length + processors.length + attributes(a + 1).length <= TARGET_LINES) processors.push(...attributes(++a));
  while (lines.length + processors.length < TARGET_LINES) processors.push(`  # filler ${lines.length + processors.length}`);
  lines.splice(processorsAt, 0, ...processors);
  const shift = processors.length;
  for (const m of mistakes) {
    if (m.line >= processorsAt) {
      m.line += shift;
      m.block.first += shift;
      m.block.last += shift;
    }
  }
  if (!edit) throw new Error('bench: the generator placed no edit line');
  if (edit.line >= processorsAt) edit.line += shift;
  if (lines[edit.line] !== edit.valid) throw new Error(`bench: edit line ${edit.line} is ${JSON.stringify(lines[edit.line])}`);
  for (const m of mistakes) if (m.line < m.block.first || m.line > m.block.last) throw new Error('bench: mistake outside its block');
  if (lines.length !== TARGET_LINES || tlsBlocks !== TLS_BLOCKS) {
    throw new Error(`bench: generated ${lines.length} lines and ${tlsBlocks} tls blocks, expected ${TARGET_LINES} and ${TLS_BLOCKS}`);
  }
  return { text: lines.join('\n') + '\n', lines: lines.length, tlsBlocks, serverBlocks, clientBlocks, mistakes, edit };
}

/** A schema for yaml-language-server that places the project's tls $defs where a collector config has them. */
function wrapperSchema(tlsSchemaUri: string): object {
  const ref = (def: string) => ({ $ref: `${tlsSchemaUri}#/$defs/${def}` });
  const withTls = (def: string) => ({ type: ['object', 'null'], properties: { tls: ref(def) } });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Collector config (bench wrapper around collector-tls.schema.json)',
    type: 'object',
    properties: {
      receivers: {
        type: 'object',
        additionalProperties: {
          type: ['object', 'null'],
          properties: {
            tls: ref('tlsServer'),
            protocols: { type: 'object', properties: { grpc: withTls('tlsServer'), http: withTls('tlsServer') } },
          },
        },
      },
      exporters: { type: 'object', additionalProperties: withTls('tlsClient') },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Driving a language server over stdio
// ---------------------------------------------------------------------------------------------

interface ServerSpec {
  label: string;
  args: string[];
  /** Answers one workspace/configuration item. */
  configuration(section: string | undefined): unknown;
  /** Sent as initializationOptions. */
  initializationOptions?: unknown;
  /** The sections the server asks for right after `initialized`, before its settings are in place. */
  awaitConfigurationOf?: string;
}

interface Publish {
  at: number;
  params: PublishDiagnosticsParams;
}

interface Waiter {
  accept(p: PublishDiagnosticsParams): boolean;
  resolve(p: Publish): void;
  reject(e: Error): void;
}

const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

function withTimeout<T>(promise: Promise<T>, what: string, ms = WAIT_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: ${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class LspSession {
  readonly connection: ProtocolConnection;
  private readonly waiters = new Set<Waiter>();
  private readonly stderr: string[] = [];
  private readonly configurationAsked: Promise<void>;
  private closed: Error | undefined;

  private constructor(
    readonly spec: ServerSpec,
    private readonly child: ChildProcess,
  ) {
    liveChildren.add(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk.toString());
      if (this.stderr.length > 50) this.stderr.shift();
    });
    child.on('exit', (code, signal) => {
      liveChildren.delete(child);
      this.fail(new Error(`bench: ${spec.label} exited (code ${code}, signal ${signal}); stderr: ${this.stderr.join('').slice(-2000) || '(empty)'}`));
    });
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    let configurationAnswered: () => void = () => undefined;
    this.configurationAsked = new Promise((r) => (configurationAnswered = r));
    this.connection.onRequest(ConfigurationRequest.type, (params: ConfigurationParams) => {
      const answer = params.items.map((item) => spec.configuration(item.section));
      if (params.items.some((item) => item.section === spec.awaitConfigurationOf)) setImmediate(configurationAnswered);
      return answer;
    });
    // Anything else the servers ask (registrations, progress, code lens refresh) gets an empty answer.
    for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'workspace/codeLens/refresh', 'window/showMessageRequest']) {
      this.connection.onRequest(method, () => null);
    }
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const publish = { at: performance.now(), params };
      for (const waiter of [...this.waiters]) {
        if (waiter.accept(params)) {
          this.waiters.delete(waiter);
          waiter.resolve(publish);
        }
      }
    });
    this.connection.onError(([error]) => this.fail(new Error(`bench: ${spec.label}: connection error: ${error.message}`)));
    this.connection.onClose(() => this.fail(new Error(`bench: ${spec.label}: connection closed`)));
    this.connection.listen();
  }

  /** Spawns the server and runs initialize / initialized (and waits for its settings pull when it has one). */
  static async start(spec: ServerSpec, rootUri: string): Promise<{ session: LspSession; startupMs: number }> {
    const started = performance.now();
    const child = spawn(process.execPath, spec.args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const session = new LspSession(spec, child);
    await session.bounded(
      session.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'bench' }],
        initializationOptions: spec.initializationOptions ?? null,
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
          textDocument: {
            synchronization: { didSave: false, dynamicRegistration: false },
            publishDiagnostics: { versionSupport: true, relatedInformation: true },
          },
        },
      }),
      'initialize',
    );
    const startupMs = performance.now() - started;
    await session.connection.sendNotification(InitializedNotification.type, {});
    if (spec.awaitConfigurationOf !== undefined) await session.bounded(session.configurationAsked, `workspace/configuration request for "${spec.awaitConfigurationOf}"`);
    return { session, startupMs };
  }

  /** CPU time of the server process so far (every thread), in ms. */
  cpuMs(): number {
    return processCpuMs(this.child.pid!);
  }

  peakRssMiB(): number {
    return peakRssMiB(this.child.pid!);
  }

  /** Registers a wait for a publishDiagnostics matching `accept`; call before sending what triggers it. */
  expect(accept: (p: PublishDiagnosticsParams) => boolean, what: string): Promise<Publish> {
    if (this.closed) return Promise.reject(this.closed);
    let waiter!: Waiter;
    const promise = new Promise<Publish>((resolve, reject) => {
      waiter = { accept, resolve, reject };
      this.waiters.add(waiter);
    });
    return this.bounded(promise, what).finally(() => this.waiters.delete(waiter));
  }

  bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, `${this.spec.label}: ${what}`);
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = error;
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
  }

  /** shutdown + exit, then a kill if the process is still there. */
  async dispose(): Promise<void> {
    this.closed ??= new Error(`bench: ${this.spec.label} was disposed`);
    const exited = new Promise<void>((r) => (this.child.exitCode !== null || this.child.signalCode !== null ? r() : this.child.once('exit', () => r())));
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), `${this.spec.label}: shutdown`, 5_000);
      await this.connection.sendNotification(ExitNotification.type);
      await withTimeout(exited, `${this.spec.label}: exit`, 5_000);
    } catch {
      // fall through to the kill
    } finally {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
      liveChildren.delete(this.child);
      this.connection.dispose();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

/** How many cold starts and edits a case measures. */
export interface Plan {
  coldStarts: number;
  /** Edits after the first diagnostics that are reported apart (the JIT, the caches filling). */
  warmup: number;
  /** Edits of the steady state, after the warm-up. */
  edits: number;
}

/** Wall time and the server process's CPU time (every thread) of one measured step. */
export interface Step {
  wallMs: number;
  cpuMs: number;
}

interface ServerFigures {
  label: string;
  startup: number[];
  first: Step[];
  warmup: Step[];
  edits: Step[];
  /** Peak resident set of the last session's process (VmHWM), in MiB. */
  peakRssMiB: number;
  /** The first publish of every cold start, each verified against the planted mistakes. */
  firstDiagnostics: Diagnostic[][];
}

/**
 * CPU time of a process, every thread (V8's GC and compiler threads too), from the kernel's
 * scheduler statistics (/proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU), so a step of a few
 * milliseconds is measured, not rounded to clock ticks. A thread that has ended is not counted.
 */
export function processCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e6;
}

/** Peak resident set size (VmHWM) of a process, in MiB. */
export function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** The machine's load average (1 minute) and core count, printed with every case: the figures move with it. */
export function machineLoad(): string {
  const [one, five] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  return `load average ${one} (1 min), ${five} (5 min) on ${cpus().length} cores`;
}

function sameUri(a: string, b: string): boolean {
  return a === b || decodeURIComponent(a) === decodeURIComponent(b);
}

function hasErrorOnLine(diagnostics: Diagnostic[], line: number): boolean {
  return diagnostics.some((d) => d.range.start.line === line && (d.severity ?? 1) === 1);
}

async function measureServer(spec: ServerSpec, config: BenchConfig, rootUri: string, uri: string, plan: Plan): Promise<ServerFigures> {
  const figures: ServerFigures = { label: spec.label, first: [], startup: [], warmup: [], edits: [], peakRssMiB: NaN, firstDiagnostics: [] };
  for (let run = 0; run < plan.coldStarts; run++) {
    const { session, startupMs } = await LspSession.start(spec, rootUri);
    try {
      figures.startup.push(startupMs);
      const published = session.expect((p) => sameUri(p.uri, uri), 'first publishDiagnostics after didOpen');
      const cpu0 = session.cpuMs();
      const t0 = performance.now();
      await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'yaml', version: 1, text: config.text },
      });
      const first = await published;
      figures.first.push({ wallMs: first.at - t0, cpuMs: session.cpuMs() - cpu0 });
      figures.firstDiagnostics.push(first.params.diagnostics);
      if (hasErrorOnLine(first.params.diagnostics, config.edit.line)) {
        throw new Error(`bench: ${spec.label} reports an error on the edit line ${config.edit.line + 1} of the unedited file`);
      }
      if (run === plan.coldStarts - 1) {
        const steps = await measureEdits(session, config, uri, plan.warmup + plan.edits);
        figures.warmup = steps.slice(0, plan.warmup);
        figures.edits = steps.slice(plan.warmup);
        figures.peakRssMiB = session.peakRssMiB();
      }
    } finally {
      await session.dispose();
    }
  }
  return figures;
}

async function measureEdits(session: LspSession, config: BenchConfig, uri: string, edits: number): Promise<Step[]> {
  const steps: Step[] = [];
  const { line, valid, invalid } = config.edit;
  let current = valid;
  for (let k = 0; k < edits; k++) {
    const version = k + 2;
    const next = current === valid ? invalid : valid;
    const expectError = next === invalid;
    // Our server sends the version; yaml-language-server does not, so a publish is accepted when it
    // carries this version, or carries none and its diagnostics on the edited line match the new text.
    const published = session.expect(
      (p) => sameUri(p.uri, uri) && (p.version !== undefined ? p.version === version : hasErrorOnLine(p.diagnostics, line) === expectError),
      `publishDiagnostics for edit ${k + 1} (version ${version})`,
    );
    const cpu0 = session.cpuMs();
    const t0 = performance.now();
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: current.length } }, text: next }],
    });
    const publish = await published;
    steps.push({ wallMs: publish.at - t0, cpuMs: session.cpuMs() - cpu0 });
    if (hasErrorOnLine(publish.params.diagnostics, line) !== expectError) {
      throw new Error(`bench: ${session.spec.label}: after edit ${k + 1} the edited line ${line + 1} ${expectError ? 'has no error' : 'still has an error'}`);
    }
    current = next;
  }
  return steps;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value below which `q` of the values lie (nearest rank). */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function timeRuns(runs: number, f: () => void): number[] {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times;
}

const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(v >= 10 ? 1 : 2)} ms`);
export const count = (n: number) => n.toLocaleString('en-US');
/** `median X (p10 A – p90 B, n=N)`, or with fewer than 5 values `median X (min A – max B, n=N)`. */
export function spread(values: number[]): string {
  if (values.length === 0) return 'no value';
  if (values.length === 1) return `${ms(values[0])} (n=1)`;
  if (values.length < 5) return `median ${ms(median(values))} (min ${ms(Math.min(...values))} – max ${ms(Math.max(...values))}, n=${values.length})`;
  return `median ${ms(median(values))} (p10 ${ms(quantile(values, 0.1))} – p90 ${ms(quantile(values, 0.9))}, n=${values.length})`;
}
const row = (label: string, values: number[]) => `${label.padEnd(72)} ${spread(values)}`;
/** Wall and CPU of steps, on one line each. */
function stepRows(label: string, steps: Step[]): string[] {
  return [row(`${label}, wall`, steps.map((s) => s.wallMs)), row(`${label}, server CPU`, steps.map((s) => s.cpuMs))];
}

/** The core in the bench's own process, split the way the server spends an edit. */
export function inProcessBreakdown(config: BenchConfig, path: string): string[] {
  const service = getLanguageService({ runtime: nodeRuntime(), settings: { ...defaultSettings, workspaceRoots: [] } });
  const source = { path, text: config.text };
  const document = TextDocument.create(pathToFileURL(path).href, 'yaml', 1, config.text);
  const yamlAlone = timeRuns(IN_PROCESS_RUNS, () => parseDocument(config.text, { keepSourceTokens: false }));
  const whole = timeRuns(IN_PROCESS_RUNS, () => collectorUnit(config.text));
  // Checks from nothing kept: a new service each time (its caches empty; the schema validators, compiled once, stay).
  let problems = service.validate(source, service.parse(source));
  const fresh = timeRuns(5, () => {
    const other = getLanguageService({ runtime: nodeRuntime(), settings: { ...defaultSettings, workspaceRoots: [] } });
    other.validate(source, other.parse(source));
  });
  // Alternate the edited line, as the server sees it: only the edited component is parsed and checked again.
  const lines = config.text.split('\n');
  const texts = [config.edit.valid, config.edit.invalid].map((line) => [...lines.slice(0, config.edit.line), line, ...lines.slice(config.edit.line + 1)].join('\n'));
  let turn = 0;
  const parse = timeRuns(IN_PROCESS_RUNS * 5, () => service.parse({ path, text: texts[turn++ % 2] }));
  const edited = timeRuns(IN_PROCESS_RUNS * 5, () => {
    const text = texts[turn++ % 2];
    problems = service.validate({ path, text }, service.parse({ path, text }));
  });
  let diagnostics = problems.map((p) => toDiagnostic(document, p));
  const ranges = timeRuns(IN_PROCESS_RUNS, () => (diagnostics = problems.map((p) => toDiagnostic(document, p))));
  const message = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: document.uri, version: 1, diagnostics } };
  const serialize = timeRuns(IN_PROCESS_RUNS, () => JSON.stringify(message));
  // As the server does after each edit: the kept problems' Diagnostics handed back (DiagnosticMemo), and the
  // message's bytes from their kept JSON in the writer's reused buffer (server/src/messageEncoding.ts).
  const memo = new DiagnosticMemo();
  const writer = new ReusingMessageWriter(new Writable({ write: (_chunk, _encoding, callback) => callback() }));
  const documents = texts.map((text, i) => TextDocument.create(document.uri, 'yaml', i + 2, text));
  const keptRanges: number[] = [];
  const keptBytes: number[] = [];
  for (let k = 0; k < IN_PROCESS_RUNS * 5; k++) {
    const at = turn++ % 2;
    const edit = service.validate({ path, text: texts[at] }, service.parse({ path, text: texts[at] }));
    const t0 = performance.now();
    const list = memo.toDiagnostics(documents[at], edit);
    const t1 = performance.now();
    writer.framed({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: document.uri, version: k + 2, diagnostics: list } } as never);
    keptBytes.push(performance.now() - t1);
    keptRanges.push(t1 - t0);
  }
  // The server's document of the file, updated by one edit after another (as the LSP library does on didChange).
  const open = TextDocument.create(document.uri, 'yaml', 1, config.text);
  let shown = config.edit.valid;
  let version = 1;
  const textUpdate = timeRuns(IN_PROCESS_RUNS * 5, () => {
    const next = shown === config.edit.valid ? config.edit.invalid : config.edit.valid;
    TextDocument.update(open, [{ range: { start: { line: config.edit.line, character: 0 }, end: { line: config.edit.line, character: shown.length } }, text: next }], ++version);
    open.positionAt(open.getText().length);
    shown = next;
  });
  return [
    row(`yaml parseDocument alone (${count(config.lines)} lines)`, yamlAlone),
    row('core in-process: parse, whole file (yaml + collector model)', whole),
    row(`core in-process: parse and checks, nothing kept (a new service; ${problems.length} problems)`, fresh),
    row('core in-process: parse after a one-line edit (unchanged components reused)', parse),
    row('core in-process: parse and checks after a one-line edit (kept problems reused)', edited),
    row('core in-process: offsets to LSP diagnostics (toDiagnostic)', ranges),
    row(`core in-process: JSON of the publishDiagnostics message (${(JSON.stringify(message).length / 1024).toFixed(0)} KB)`, serialize),
    row('server in-process: diagnostics after a one-line edit (DiagnosticMemo: kept ones handed back)', keptRanges),
    row('server in-process: the message bytes after a one-line edit (kept JSON, reused buffer)', keptBytes),
    row('core in-process: TextDocument incremental update of the open document', textUpdate),
  ];
}

/** Both servers' specs for a bench folder; yaml-language-server gets the wrapper schema on every bench config file. */
export function serverSpecs(dir: string, files: string[]): { ours: ServerSpec; yamlLs: ServerSpec } {
  const tlsSchemaUri = pathToFileURL(join(ROOT, 'schemas', 'collector-tls.schema.json')).href;
  const wrapperFile = join(dir, 'collector-bench.schema.json');
  writeFileSync(wrapperFile, JSON.stringify(wrapperSchema(tlsSchemaUri), null, 2));
  const wrapperUri = pathToFileURL(wrapperFile).href;
  const ours: ServerSpec = {
    label: 'server',
    // OTLP_TLS_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles our server (Node refuses --cpu-prof in NODE_OPTIONS).
    args: [...(process.env.OTLP_TLS_BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []), join(ROOT, 'dist', 'server.js'), '--stdio'],
    // Every problem listed, as yaml-language-server lists all it finds: the 50,000-line config has 4,999, past the
    // 500 a file lists by default (otlpTls.maxProblemsPerFile), and the edit's own error must be among them.
    // Sent at start too, as the VS Code client sends its settings, so the first validation lists them all.
    initializationOptions: { settings: { maxProblemsPerFile: 0 } },
    configuration: (section) => (section === 'otlpTls' ? { maxProblemsPerFile: 0 } : null),
  };
  const yamlSettings = {
    validate: true,
    hover: false,
    completion: false,
    format: { enable: false },
    schemas: { [wrapperUri]: files },
    schemaStore: { enable: false },
    kubernetesCRDStore: { enable: false },
    yamlVersion: '1.2',
  };
  const yamlLs: ServerSpec = {
    label: 'yaml-language-server',
    args: [join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
    configuration: (section) => (section === 'yaml' ? yamlSettings : section === 'http' ? { proxy: '', proxyStrictSSL: false } : null),
    awaitConfigurationOf: 'yaml',
  };
  return { ours, yamlLs };
}

/** Both servers must see the planted mistakes on every cold start; yaml-language-server at least the schema-visible ones, from its schema, or the comparison is void. */
function verifyFindings(config: BenchConfig, ourFigures: ServerFigures, theirFigures: ServerFigures): void {
  const schemaVisible = config.mistakes.filter((m) => m.schemaVisible);
  let schemaDiagnostics: Diagnostic[] = [];
  for (const diagnostics of ourFigures.firstDiagnostics) {
    const missed = config.mistakes.filter((m) => !diagnostics.some((d) => d.range.start.line >= m.block.first - 1 && d.range.start.line <= m.block.last));
    if (missed.length) throw new Error(`bench: the server missed planted mistakes: ${missed.map((m) => `line ${m.line + 1} (${m.what})`).join('; ')}`);
  }
  for (const diagnostics of theirFigures.firstDiagnostics) {
    schemaDiagnostics = diagnostics.filter((d) => String(d.source ?? '').startsWith('yaml-schema'));
    const missed = schemaVisible.filter((m) => !schemaDiagnostics.some((d) => d.range.start.line === m.line));
    if (missed.length || schemaDiagnostics.length === 0) {
      throw new Error(
        `bench: yaml-language-server did not validate against the schema (missed ${missed.length}/${schemaVisible.length} planted mistakes: ` +
          `${missed.map((m) => `line ${m.line + 1} ${m.what}`).join('; ')}); its first diagnostics: ${JSON.stringify(diagnostics.slice(0, 5))}`,
      );
    }
  }
  const byCode = new Map<string, number>();
  for (const d of ourFigures.firstDiagnostics[0] ?? []) byCode.set(String(d.code), (byCode.get(String(d.code)) ?? 0) + 1);
  console.log(`  server diagnostics by code: ${[...byCode].map(([code, n]) => `${code} ${n}`).join(', ')}`);
  console.log(
    `  checked on every start: server reports all ${config.mistakes.length} planted mistakes (${ourFigures.firstDiagnostics[0]?.length ?? 0} diagnostics); ` +
      `yaml-language-server all ${schemaVisible.length} schema-visible ones (${schemaDiagnostics.length} schema diagnostics of ${theirFigures.firstDiagnostics[0]?.length ?? 0}).`,
  );
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const wallOf = (steps: Step[]) => steps.map((s) => s.wallMs);
const cpuOf = (steps: Step[]) => steps.map((s) => s.cpuMs);
/** yaml-language-server's wall times less its fixed validation delay. */
const lessDelay = (steps: Step[]) => steps.map((s) => s.wallMs - YAML_LS_VALIDATION_DELAY_MS);

/** One config, both servers in the same run: first diagnostics (cold), warm-up and steady-state edits, wall and CPU, peak RSS. */
async function compareOnConfig(config: BenchConfig, name: string, parent: string, plans: { ours: Plan; theirs: Plan }): Promise<{ ours: ServerFigures; theirs: ServerFigures }> {
  // Each case in a folder of its own: the servers scan their workspace folder, which holds this file only.
  const dir = join(parent, name.replace(/\.yaml$/, ''));
  mkdirSync(dir);
  const file = join(dir, name);
  writeFileSync(file, config.text);
  const rootUri = pathToFileURL(dir).href;
  const uri = pathToFileURL(file).href;
  const { ours, yamlLs } = serverSpecs(dir, [name]);
  const schemaVisible = config.mistakes.filter((m) => m.schemaVisible);
  console.log(
    `\n== ${count(config.lines)}-line collector config: ${config.tlsBlocks} tls blocks (${config.serverBlocks} server, ${config.clientBlocks} client), ` +
      `${config.mistakes.length} planted mistakes (${schemaVisible.length} visible to a JSON Schema), ${(config.text.length / 1024).toFixed(0)} KB; ` +
      `edit toggles line ${config.edit.line + 1} between ${config.edit.valid.trim()} and ${config.edit.invalid.trim()} (${machineLoad()})`,
  );
  const ourFigures = await measureServer(ours, config, rootUri, uri, plans.ours);
  const theirFigures = await measureServer(yamlLs, config, rootUri, uri, plans.theirs);
  verifyFindings(config, ourFigures, theirFigures);
  for (const f of [ourFigures, theirFigures]) {
    console.log(`  ${f.label}:`);
    console.log(`    ${row('start to initialize result', f.startup)}`);
    for (const line of stepRows('first diagnostics (cold start, didOpen to publish)', f.first)) console.log(`    ${line}`);
    for (const line of stepRows(`warm-up: the first ${f.warmup.length} edits after opening`, f.warmup)) console.log(`    ${line}`);
    for (const line of stepRows(`steady state: the next ${f.edits.length} one-line edits`, f.edits)) console.log(`    ${line}`);
    console.log(`    ${'peak resident set (VmHWM) after the edits'.padEnd(72)} ${f.peakRssMiB.toFixed(0)} MiB`);
  }
  console.log(`    yaml-language-server without its fixed ${YAML_LS_VALIDATION_DELAY_MS} ms wait: first diagnostics ${spread(lessDelay(theirFigures.first))}, steady edit ${spread(lessDelay(theirFigures.edits))}`);
  const o = { first: median(wallOf(ourFigures.first)), firstCpu: median(cpuOf(ourFigures.first)), edit: median(wallOf(ourFigures.edits)), editCpu: median(cpuOf(ourFigures.edits)) };
  const t = { first: median(wallOf(theirFigures.first)), firstCpu: median(cpuOf(theirFigures.first)), edit: median(wallOf(theirFigures.edits)), editCpu: median(cpuOf(theirFigures.edits)) };
  console.log(
    `  ratios server / yaml-language-server (medians, same run): first diagnostics wall ${ratio(o.first, t.first)} (without its wait ${ratio(o.first, t.first - YAML_LS_VALIDATION_DELAY_MS)}), CPU ${ratio(o.firstCpu, t.firstCpu)}; ` +
      `steady edit wall ${ratio(o.edit, t.edit)} (without its wait ${ratio(o.edit, t.edit - YAML_LS_VALIDATION_DELAY_MS)}), CPU ${ratio(o.editCpu, t.editCpu)}; peak RSS ${ratio(ourFigures.peakRssMiB, theirFigures.peakRssMiB)}`,
  );
  return { ours: ourFigures, theirs: theirFigures };
}

/** Runs the whole server comparison and prints its figures. Throws (with a message) on any failure. */
export async function benchServers(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-tls-bench-'));
  try {
    const config = generateCollectorConfig();
    const steady = { coldStarts: COLD_STARTS, warmup: WARMUP_EDITS, edits: STEADY_EDITS };
    const small = await compareOnConfig(config, 'collector-bench.yaml', dir, { ours: steady, theirs: steady });
    for (const line of inProcessBreakdown(config, join(dir, 'collector-bench', 'collector-bench.yaml'))) console.log(`  ${line}`);

    // Ten times every component: yaml-language-server takes seconds an edit there, so it gets fewer edits (said in its n=).
    const large = generateCollectorConfig(10);
    await compareOnConfig(large, 'collector-bench-50k.yaml', dir, {
      ours: { coldStarts: 1, warmup: WARMUP_EDITS, edits: STEADY_EDITS },
      theirs: { coldStarts: 1, warmup: 2, edits: LARGE_PEER_EDITS },
    });
    for (const line of inProcessBreakdown(large, join(dir, 'collector-bench-50k', 'collector-bench-50k.yaml'))) console.log(`  ${line}`);
    const manifestDir = join(dir, 'manifest');
    mkdirSync(manifestDir);
    const { ours } = serverSpecs(manifestDir, []);
    await benchManifest(ours, manifestDir, pathToFileURL(manifestDir).href, median(wallOf(small.ours.edits)), median(cpuOf(small.ours.edits)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Only the two cases issue 10 compares, our server alone: the 5,000-line plain config (its edits) and the
 * 5,000-line manifest (`OTLP_TLS_BENCH_ONLY=manifest`, for profiling and quick measurements; the full
 * `servers` part measures the same cases beside yaml-language-server).
 */
export async function benchManifestOnly(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-tls-bench-'));
  try {
    const config = generateCollectorConfig();
    const caseDir = join(dir, 'collector-bench');
    mkdirSync(caseDir);
    const file = join(caseDir, 'collector-bench.yaml');
    writeFileSync(file, config.text);
    const { ours } = serverSpecs(caseDir, ['collector-bench.yaml']);
    console.log(`\n== ${count(config.lines)}-line collector config (our server only), edit toggles line ${config.edit.line + 1} (${machineLoad()})`);
    const figures = await measureServer(ours, config, pathToFileURL(caseDir).href, pathToFileURL(file).href, { coldStarts: 3, warmup: WARMUP_EDITS, edits: STEADY_EDITS });
    for (const line of stepRows('server: first diagnostics (plain config)', figures.first)) console.log(`  ${line}`);
    for (const line of stepRows(`server: steady-state edit (plain config, after ${figures.warmup.length} warm-up edits)`, figures.edits)) console.log(`  ${line}`);
    const manifestDir = join(dir, 'manifest');
    mkdirSync(manifestDir);
    await benchManifest(serverSpecs(manifestDir, []).ours, manifestDir, pathToFileURL(manifestDir).href, median(wallOf(figures.edits)), median(cpuOf(figures.edits)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 10: an edit inside a 5,000-line multi-document manifest (40 collector ConfigMaps with 200 tls
 * blocks, Deployments with OTEL_* env) against the per-edit time of the plain config of the same size,
 * measured the same way (our server over stdio, the same edit toggling a min_version) in the same run.
 */
async function benchManifest(ours: ServerSpec, dir: string, rootUri: string, plainEdit: number, plainEditCpu: number): Promise<void> {
  const manifest = generateManifest();
  const file = join(dir, 'manifest-bench.yaml');
  writeFileSync(file, manifest.text);
  const uri = pathToFileURL(file).href;
  console.log(
    `\n== Manifest: ${count(manifest.lines)} lines, ${manifest.text.split('\n---\n').length} documents, ${manifest.tlsBlocks} tls blocks in ConfigMap block scalars, ${manifest.mistakes.length} planted mistakes; ` +
      `edit toggles line ${manifest.edit.line + 1} (inside a ConfigMap's relay: |) between ${manifest.edit.valid.trim()} and ${manifest.edit.invalid.trim()} (${machineLoad()})`,
  );
  const figures = await measureServer(ours, manifest, rootUri, uri, { coldStarts: 3, warmup: WARMUP_EDITS, edits: STEADY_EDITS });
  for (const diagnostics of figures.firstDiagnostics) {
    const missed = manifest.mistakes.filter((m) => !diagnostics.some((d) => d.range.start.line === m.line));
    if (missed.length) throw new Error(`bench: the server missed planted manifest mistakes: ${missed.map((m) => `line ${m.line + 1} (${m.what})`).join('; ')}`);
  }
  console.log(`  checked on every start: server reports all ${manifest.mistakes.length} planted mistakes in the manifest (${figures.firstDiagnostics[0]?.length ?? 0} diagnostics).`);
  for (const line of stepRows('server: first diagnostics (manifest)', figures.first)) console.log(`  ${line}`);
  for (const line of stepRows(`server: steady-state edit (manifest, after ${figures.warmup.length} warm-up edits)`, figures.edits)) console.log(`  ${line}`);
  console.log(`  manifest edit / plain config edit, wall: ${(median(wallOf(figures.edits)) / plainEdit).toFixed(2)} (${ms(median(wallOf(figures.edits)))} against ${ms(plainEdit)})`);
  console.log(`  manifest edit / plain config edit, server CPU: ${(median(cpuOf(figures.edits)) / plainEditCpu).toFixed(2)} (${ms(median(cpuOf(figures.edits)))} against ${ms(plainEditCpu)})`);

  const service = getLanguageService({ runtime: nodeRuntime(), settings: { ...defaultSettings, workspaceRoots: [] } });
  const lines = manifest.text.split('\n');
  const texts = [manifest.edit.valid, manifest.edit.invalid].map((line) => [...lines.slice(0, manifest.edit.line), line, ...lines.slice(manifest.edit.line + 1)].join('\n'));
  const parsed = service.parse({ path: file, text: manifest.text });
  const whole = timeRuns(IN_PROCESS_RUNS, () => getLanguageService({ runtime: nodeRuntime(), settings: defaultSettings }).parse({ path: file, text: manifest.text }));
  let turn = 0;
  const parse = timeRuns(IN_PROCESS_RUNS, () => service.parse({ path: file, text: texts[turn++ % 2] }));
  let problems = service.validate({ path: file, text: manifest.text }, parsed);
  const checks = timeRuns(IN_PROCESS_RUNS, () => (problems = service.validate({ path: file, text: manifest.text }, parsed)));
  // As the server does it: each edit parsed and checked against an index of the new parse.
  const edited = (versions: string[]) => {
    let index = service.workspaceIndex([]);
    const other = getLanguageService({ runtime: nodeRuntime(), settings: { ...defaultSettings, workspaceRoots: [] }, workspace: () => index });
    let k = 0;
    const step = () => {
      const text = versions[k++ % versions.length];
      const next = other.parse({ path: file, text });
      index = other.workspaceIndex([next]);
      other.validate({ path: file, text }, next);
    };
    for (let i = 0; i < 10; i++) step();
    return timeRuns(IN_PROCESS_RUNS * 5, step);
  };
  // The same edit made two characters longer every other time: every document below it moves.
  const moving = [texts[0], texts[1].replace(manifest.edit.invalid, `${manifest.edit.invalid}  `)];
  console.log(`  ${row('core in-process (manifest): parse, whole file (documents, units)', whole)}`);
  console.log(`  ${row('core in-process (manifest): parse after a one-line edit (unchanged documents reused)', parse)}`);
  console.log(`  ${row(`core in-process (manifest): checks on the parsed units (${problems.length} problems)`, checks)}`);
  console.log(`  ${row('core in-process (manifest): parse, index and checks after the edit', edited(texts))}`);
  const below = lines.slice(manifest.edit.line).filter((line) => line === '---').length;
  console.log(`  ${row(`core in-process (manifest): the same, the edit moving the ${below} documents below it`, edited(moving))}`);
}

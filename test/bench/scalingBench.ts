/**
 * Scaling benchmark (issue 14): the CLI over a generated workspace of 1,000 and 2,000 files, and the
 * server's start-up scan of the 1,000-file workspace with an env file open.
 *
 * The workspace: collector configs in team folders (50 a folder), each with an OTLP gRPC receiver
 * on a port of its own with its server certificate, key and client CA, and as many env files, each
 * pairing with one of them over mTLS (the shared CA, a client certificate and key of its own); every
 * certificate is made for this run (ECDSA P-256). One more env file, `open.env`, pairs with the last
 * collector under a host its certificate does not hold: its san-mismatch is a cross-file finding.
 *
 * - CLI: `node dist/cli.js check DIR --format json --fail-on none`, three runs per size; wall time,
 *   the process's CPU time (user + system, from process.cpuUsage() at exit, through a preloaded
 *   script) and its peak RSS; the ratio of 2,000 files to 1,000.
 * - Start-up scan: the server started on the 1,000-file folder; `open.env` is opened right after
 *   `initialized` and hovers (on its endpoint: the TLS map edge, which reads the workspace index) are
 *   sent one after another until the scan is done; each hover's answer time is recorded with whether
 *   the scan was still under way (otlpTls/statistics). The first publish of `open.env` is compared,
 *   code, range and message, with the CLI's diagnostics of that file: it must be complete, the
 *   cross-file san-mismatch included, or the bench fails.
 *
 * Nothing is asserted about time: the figures are printed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { serverStatisticsRequest } from '../../server/src/protocol';
import { ca, client, server, type Issued } from '../support/certificates';
import { count, LspSession, machineLoad, median, serverSpecs, spread } from './serverBench';

const ROOT = resolve(__dirname, '..');
const SIZES = (process.env.OTLP_TLS_BENCH_SIZES ?? '1000,2000').split(',').map(Number);
const CLI_RUNS = 3;
const SCAN_RUNS = 3;
const SCAN_FILES = 1_000;
const PER_FOLDER = 50;
const OPEN_ENV = 'open.env';

interface Pki {
  ca: Issued;
  servers: Issued[];
  clients: Issued[];
}

async function makePki(pairs: number): Promise<Pki> {
  const root = await ca('Bench CA');
  const servers: Issued[] = [];
  const clients: Issued[] = [];
  for (let i = 0; i < pairs; i++) {
    servers.push(await server(root, [`collector-${i}.bench.svc`]));
    clients.push(await client(root, `app-${i}`));
  }
  return { ca: root, servers, clients };
}

/** `files` files: files/2 − 1 pairs of a collector config and an env file, the certificates, and open.env pairing with the last collector (plus its config). */
function writeWorkspace(dir: string, files: number, pki: Pki): { openPath: string; configs: number; envFiles: number } {
  const pairs = files / 2;
  mkdirSync(join(dir, 'certs'), { recursive: true });
  writeFileSync(join(dir, 'certs', 'ca.crt'), pki.ca.pem);
  let configs = 0;
  let envFiles = 0;
  for (let i = 0; i < pairs; i++) {
    const folder = join(dir, `team-${String(Math.floor(i / PER_FOLDER)).padStart(2, '0')}`);
    if (i % PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
    const port = 20000 + i;
    writeFileSync(join(dir, 'certs', `server-${i}.crt`), pki.servers[i].pem);
    writeFileSync(join(dir, 'certs', `server-${i}.key`), pki.servers[i].keyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'certs', `client-${i}.crt`), pki.clients[i].pem);
    writeFileSync(join(dir, 'certs', `client-${i}.key`), pki.clients[i].keyPem, { mode: 0o600 });
    writeFileSync(
      join(folder, `collector-${i}.yaml`),
      `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:${port}\n        tls:\n          cert_file: ../certs/server-${i}.crt\n          key_file: ../certs/server-${i}.key\n          client_ca_file: ../certs/ca.crt\n          min_version: "1.2"\nprocessors:\n  batch: {}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      processors: [batch]\n      exporters: [debug]\n`,
    );
    configs++;
    // The last pair's env file is open.env (at the root), with a host the collector's certificate does not hold.
    const last = i === pairs - 1;
    const host = last ? `wrong-${i}.bench.svc` : `collector-${i}.bench.svc`;
    writeFileSync(
      last ? join(dir, OPEN_ENV) : join(folder, `app-${i}.env`),
      `OTEL_SERVICE_NAME=app-${i}\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://${host}:${port}\nOTEL_EXPORTER_OTLP_CERTIFICATE=${last ? '' : '../'}certs/ca.crt\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=${last ? '' : '../'}certs/client-${i}.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=${last ? '' : '../'}certs/client-${i}.key\n`,
    );
    envFiles++;
  }
  return { openPath: join(dir, OPEN_ENV), configs, envFiles };
}

interface CliRun {
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
  diagnostics: { file: string; code: string; range: Diagnostic['range']; message: string }[];
}

/** One CLI run over `dir`, its CPU and peak RSS reported by a preloaded script at exit. */
function runCli(dir: string, preload: string, report: string): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-r', preload, join(ROOT, 'dist', 'cli.js'), 'check', dir, '--format', 'json', '--fail-on', 'none'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OTLP_TLS_BENCH_CPU_REPORT: report },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`bench: the CLI exited with ${code ?? signal}: ${Buffer.concat(err).toString().slice(-2000)}`));
      const usage = JSON.parse(readFileSync(report, 'utf8')) as { user: number; system: number; maxRSS: number };
      const parsed = JSON.parse(Buffer.concat(out).toString()) as { diagnostics: CliRun['diagnostics'] };
      resolvePromise({ wallMs, cpuMs: (usage.user + usage.system) / 1000, maxRssMiB: usage.maxRSS / 1024, diagnostics: parsed.diagnostics });
    });
  });
}

const key = (d: { code?: unknown; range: Diagnostic['range']; message: unknown }) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;

export async function benchScaling(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'otlp-tls-bench-scale-'));
  try {
    const t0 = performance.now();
    const pki = await makePki(Math.max(...SIZES) / 2);
    console.log(`\n== Scaling: workspaces of ${SIZES.map(count).join(' and ')} files (collector configs with mTLS receivers and env files pairing with them, ${count(pki.servers.length * 2 + 1)} certificates made in ${((performance.now() - t0) / 1000).toFixed(1)} s) (${machineLoad()})`);
    const preload = join(base, 'cpu-report.cjs');
    writeFileSync(preload, "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.OTLP_TLS_BENCH_CPU_REPORT, JSON.stringify({ user: u.userCPUTime, system: u.systemCPUTime, maxRSS: u.maxRSS })); });\n");
    const workspaces = new Map<number, { dir: string; openPath: string }>();
    const cliMedians = new Map<number, number>();
    let cliOpenDiagnostics: string[] = [];
    for (const size of SIZES) {
      const dir = join(base, `ws-${size}`);
      const written = writeWorkspace(dir, size, pki);
      workspaces.set(size, { dir, openPath: written.openPath });
      const runs: CliRun[] = [];
      for (let run = 0; run < CLI_RUNS; run++) runs.push(await runCli(dir, preload, join(base, `cpu-${size}-${run}.json`)));
      const open = runs[0].diagnostics.filter((d) => resolve(dir, d.file) === written.openPath);
      if (!open.some((d) => d.code === 'san-mismatch')) throw new Error(`bench: the CLI found no san-mismatch in ${OPEN_ENV}: ${JSON.stringify(open)}`);
      if (size === SCAN_FILES) cliOpenDiagnostics = open.map(key).sort();
      const cpu = runs.map((r) => r.cpuMs);
      cliMedians.set(size, median(cpu));
      console.log(`  CLI over ${count(size)} files (${written.configs} collector configs, ${written.envFiles} env files; ${runs[0].diagnostics.length} diagnostics): CPU ${spread(cpu)}, wall ${spread(runs.map((r) => r.wallMs))}, peak RSS ${median(runs.map((r) => r.maxRssMiB)).toFixed(0)} MiB; CPU a file ${(median(cpu) / size).toFixed(2)} ms`);
    }
    const [small, large] = SIZES;
    if (large !== undefined) console.log(`  CLI CPU ${count(large)} files / ${count(small)} files: ${(cliMedians.get(large)! / cliMedians.get(small)!).toFixed(2)} (linear: ${(large / small).toFixed(2)})`);

    if (!workspaces.has(SCAN_FILES)) return;
    const { dir, openPath } = workspaces.get(SCAN_FILES)!;
    const { ours } = serverSpecs(dir, []);
    const openText = readFileSync(openPath, 'utf8');
    const endpointLine = openText.split('\n').findIndex((l) => l.startsWith('OTEL_EXPORTER_OTLP_ENDPOINT='));
    const during: number[] = [];
    const baseline: number[] = [];
    const firstPublish: number[] = [];
    let hoversAfter = 0;
    for (let run = 0; run < SCAN_RUNS; run++) {
      const { session } = await LspSession.start(ours, pathToFileURL(dir).href);
      try {
        const uri = pathToFileURL(openPath).href;
        const published = session.expect((p) => p.uri === uri, `first publishDiagnostics of ${OPEN_ENV} during the start-up scan`);
        const opened = performance.now();
        await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dotenv', version: 1, text: openText } });
        for (;;) {
          const t = performance.now();
          await session.bounded(session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: endpointLine, character: 40 } }), 'hover during the scan');
          const answered = performance.now() - t;
          // A request that does nothing (the server's counters), at the same moment: what the machine's load and the scan's slice add to any answer.
          const s0 = performance.now();
          const stats = await session.bounded(session.connection.sendRequest(serverStatisticsRequest), 'statistics');
          const trivial = performance.now() - s0;
          if (stats.scanned) {
            hoversAfter++;
            break;
          }
          during.push(answered);
          baseline.push(trivial);
          await new Promise((r) => setTimeout(r, 5));
        }
        const publish = await published;
        firstPublish.push(publish.at - opened);
        const shown = publish.params.diagnostics.map(key).sort();
        if (JSON.stringify(shown) !== JSON.stringify(cliOpenDiagnostics)) {
          throw new Error(`bench: the first publish of ${OPEN_ENV} is not the CLI's diagnostics of it:\n  server ${JSON.stringify(shown)}\n  CLI    ${JSON.stringify(cliOpenDiagnostics)}`);
        }
      } finally {
        await session.dispose();
      }
    }
    console.log(`  server start-up scan of ${count(SCAN_FILES)} files with ${OPEN_ENV} open (${SCAN_RUNS} starts):`);
    console.log(`    hover on the endpoint while the scan is under way: ${spread(during)}, max ${Math.max(...during).toFixed(1)} ms (${during.length} hovers; the scan had ended for ${hoversAfter})`);
    console.log(`    a request that does nothing (otlpTls/statistics), sent after each of those hovers: ${spread(baseline)}, max ${Math.max(...baseline).toFixed(1)} ms`);
    console.log(`    didOpen to the first publish of ${OPEN_ENV}: ${spread(firstPublish)}; every first publish equals the CLI's diagnostics of the file (${cliOpenDiagnostics.length}, the cross-file san-mismatch included)`);
  } finally {
    // OTLP_TLS_BENCH_KEEP=1 keeps the generated workspaces (to profile the CLI on them).
    if (process.env.OTLP_TLS_BENCH_KEEP) console.log(`  (kept: ${base})`);
    else rmSync(base, { recursive: true, force: true });
  }
}

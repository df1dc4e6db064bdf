/**
 * The fuzz run: N cases through the CLI, then a number of cases through one long-lived language
 * server with random edits and requests; a report of crashes, hangs, failed requests, the cases over
 * the CPU budget, the slowest cases and requests, and memory. Each failure leaves a reproducer
 * (`<out>/<target>-<seed>-<case>/case.json`) that `npm run fuzz -- --replay` runs again.
 *
 * Used by `npm run fuzz` (test/fuzz/fuzz.ts) and, with a fixed seed and a small count, by
 * test/fuzz/fuzz.test.ts in `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCase, loadCorpus, loadVocabulary, type CertificatePool, type FuzzCase } from './cases';
import { DEFAULT_LIMITS, runCli, writeProbe, type CliResult, type Limits, type Outcome } from './cliRunner';
import { LspSession, planCase, planWorkspaceOperation, runCase, type LspFailure, type LspOperation, type RequestRecord } from './lspRunner';
import { Random } from './random';
import { materialize, toReproducer, writeReproducer, type Reproducer } from './materialize';

export interface FuzzOptions {
  root: string;
  seed: number;
  /** Cases through the CLI. */
  count: number;
  jobs: number;
  /** Cases through the language server, and the edits and requests spread over them. */
  lspCases: number;
  lspEdits: number;
  lspRequests: number;
  /** After the LSP run, RSS and heap are measured 3 s after it and again after this much more quiet (0: not again). */
  quietMs?: number;
  /** Run only this LSP case (its index from 0), in the workspace of all of them: to profile a case as the run met it. */
  lspOnly?: number;
  /** Where reproducers go. */
  out: string;
  limits?: Limits;
  log?: (line: string) => void;
  /** Asked before each CLI case: true stops the run there (the report covers the cases run). */
  stopped?: () => boolean;
}

export interface CaseTiming {
  index: number;
  description: string;
  cpuMs: number;
  peakRssKb?: number;
}

export interface CliFailure {
  index: number;
  outcome: Outcome;
  description: string;
  detail: string;
  reproducer: string;
}

export interface FuzzReport {
  seed: number;
  cli: {
    cases: number;
    wallMs: number;
    outcomes: Record<Outcome, number>;
    failures: CliFailure[];
    /** Cases the harness itself could not run (reported; a fault to fix in the harness). */
    harnessErrors: string[];
    /** Named FIFOs and devices answered with silence (issue 15 item 5). */
    silent: CliFailure[];
    overBudget: CaseTiming[];
    slowest: CaseTiming[];
    peakRss?: CaseTiming;
    codes: Record<string, number>;
  };
  lsp: {
    cases: number;
    edits: number;
    requests: number;
    byMethod: Record<string, number>;
    cancelled: number;
    failures: (Omit<LspFailure, 'operations'> & { reproducer: string; alone?: boolean })[];
    slowestRequests: (RequestRecord & { index: number })[];
    /** The requests during which the server used the most CPU. */
    cpuHeaviestRequests: (RequestRecord & { index: number })[];
    requestsOverOneSecond: number;
    /** Requests during which the server used more than 1 s of CPU (the wall time of the others is the machine's load). */
    requestsOverOneSecondCpu: number;
    /** Requests over 1 s, each with its reproducer. */
    slowRequests: { index: number; detail: string; reproducer: string }[];
    /** Settings changes and files changed on disk between cases, and what they cost the server. */
    workspaceOperations: number;
    workspaceCpuMs: number;
    overBudget: CaseTiming[];
    slowestCases: CaseTiming[];
    rssStartKb?: number;
    /** The server's V8 heap in use (otlpTls/statistics) after start-up and after the run: what its data holds, beside RSS. */
    heapStartKb?: number;
    heapEndKb?: number;
    /** RSS and heap in use after 30 s of quiet after the run. */
    rssQuietKb?: number;
    heapQuietKb?: number;
    /** Full collections the server made when it went quiet (server/src/idleCollector.ts), 3 s after the run and after the quiet. */
    idleCollectionsEnd?: number;
    idleCollectionsQuiet?: number;
    /** At the last of those measurements: the V8 heap committed, and the memory outside it (Buffers, the library's). */
    heapTotalLastKb?: number;
    externalLastKb?: number;
    rssPeakKb?: number;
    rssEndKb?: number;
    restarts: number;
    aliveAtEnd: boolean;
  };
}

/** The run's certificates: a development CA, server and client, made by the CLI itself. */
export function makeCertificatePool(root: string, dir: string): CertificatePool {
  const out = join(dir, 'pool');
  const made = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'certs', '--out', out, '--host', 'localhost', '--host', 'collector', '--host', 'otel-collector', '--host', '127.0.0.1'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`otlp-tls certs failed: ${made.stderr}`);
  const read = (name: string) => readFileSync(join(out, name), 'utf8');
  return { ca: read('ca.crt'), caKey: read('ca.key'), server: read('server.crt'), serverKey: read('server.key'), client: read('client.crt'), clientKey: read('client.key') };
}

/** Index of the first LSP case: LSP cases are other cases than the CLI's, from the same seed. */
export const LSP_CASE_BASE = 1_000_000;

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const tmp = mkdtempSync(join(tmpdir(), 'otlp-fuzz-'));
  const corpus = loadCorpus(options.root);
  const vocabulary = loadVocabulary(options.root);
  const certs = makeCertificatePool(options.root, tmp);
  const probe = writeProbe(tmp);
  mkdirSync(options.out, { recursive: true });
  const report: FuzzReport = {
    seed: options.seed,
    cli: { cases: 0, wallMs: 0, outcomes: { ok: 0, crash: 0, hang: 0, memory: 0, 'bad-output': 0, silent: 0 }, failures: [], harnessErrors: [], silent: [], overBudget: [], slowest: [], codes: {} },
    lsp: { cases: 0, edits: 0, requests: 0, byMethod: {}, cancelled: 0, failures: [], slowestRequests: [], cpuHeaviestRequests: [], requestsOverOneSecond: 0, requestsOverOneSecondCpu: 0, slowRequests: [], workspaceOperations: 0, workspaceCpuMs: 0, overBudget: [], slowestCases: [], restarts: 0, aliveAtEnd: false },
  };
  try {
    // CLI.
    const started = Date.now();
    let next = 0;
    const timings: CaseTiming[] = [];
    const worker = async () => {
      for (;;) {
        if (options.stopped?.()) return;
        const index = next++;
        if (index >= options.count) return;
        const fuzzCase = generateCase(options.seed, index, corpus, vocabulary, certs);
        const dir = join(tmp, 'cli', String(index));
        try {
          materialize(fuzzCase, dir);
          const result = await runCli(fuzzCase, dir, { root: options.root, probe, limits });
          recordCli(report, fuzzCase, result, timings, limits, options.out);
        } catch (error) {
          // A fault of the harness, not of the CLI: say so and go on.
          report.cli.harnessErrors.push(`#${index}: ${(error as Error).message}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        if ((index + 1) % 500 === 0) {
          log(`cli: ${index + 1}/${options.count} cases, ${report.cli.failures.length} failures`);
          // The report so far, in case the run is stopped before its end.
          summarizeCli(report, timings, limits, started);
          writeFileSync(join(options.out, 'progress.txt'), formatReport(report, limits) + '\n');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
    summarizeCli(report, timings, limits, started);

    // Language server.
    if (options.lspCases > 0) await runLsp(options, report, tmp, corpus, vocabulary, certs, limits, log);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return report;
}

/** The CLI part of the report from the cases run so far. */
function summarizeCli(report: FuzzReport, timings: CaseTiming[], limits: Limits, started: number): void {
  report.cli.wallMs = Date.now() - started;
  const sorted = [...timings].sort((a, b) => b.cpuMs - a.cpuMs);
  report.cli.slowest = sorted.slice(0, 10);
  report.cli.overBudget = sorted.filter((t) => t.cpuMs > limits.budgetMs);
  report.cli.peakRss = [...timings].sort((a, b) => (b.peakRssKb ?? 0) - (a.peakRssKb ?? 0))[0];
  report.cli.failures.sort((a, b) => a.index - b.index);
}

function recordCli(report: FuzzReport, fuzzCase: FuzzCase, result: CliResult, timings: CaseTiming[], limits: Limits, out: string): void {
  report.cli.cases++;
  report.cli.outcomes[result.outcome]++;
  for (const code of result.codes) report.cli.codes[code] = (report.cli.codes[code] ?? 0) + 1;
  timings.push({ index: fuzzCase.index, description: fuzzCase.description, cpuMs: result.cpuMs, peakRssKb: result.peakRssKb });
  const overBudget = result.cpuMs > limits.budgetMs;
  if (result.outcome !== 'ok' || overBudget) {
    const outcome = result.outcome === 'ok' ? 'over-budget' : result.outcome;
    const detail = result.outcome === 'ok' ? `${Math.round(result.cpuMs)} ms of CPU` : result.detail;
    const reproducer = writeReproducer(toReproducer(fuzzCase, 'cli', outcome, detail), join(out, `cli-${fuzzCase.seed}-${fuzzCase.index}`));
    if (result.outcome === 'silent') report.cli.silent.push({ index: fuzzCase.index, outcome: result.outcome, description: fuzzCase.description, detail: result.detail, reproducer });
    else if (result.outcome !== 'ok') report.cli.failures.push({ index: fuzzCase.index, outcome: result.outcome, description: fuzzCase.description, detail: result.detail, reproducer });
  }
}

async function runLsp(
  options: FuzzOptions,
  report: FuzzReport,
  tmp: string,
  corpus: ReturnType<typeof loadCorpus>,
  vocabulary: ReturnType<typeof loadVocabulary>,
  certs: CertificatePool,
  limits: Limits,
  log: (line: string) => void,
): Promise<void> {
  const workspace = join(tmp, 'lsp');
  const cases: FuzzCase[] = [];
  for (let i = 0; i < options.lspCases; i++) {
    const fuzzCase = generateCase(options.seed, LSP_CASE_BASE + i, corpus, vocabulary, certs);
    materialize(fuzzCase, join(workspace, `c${i}`));
    cases.push(fuzzCase);
  }
  const caseDirs = cases.map((_, i) => join(workspace, `c${i}`));
  const caseFiles = cases.map((c) => c.files.map((f) => f.path));
  const workspaceRandom = new Random(options.seed ^ 0x77, LSP_CASE_BASE);
  let session = await LspSession.start(options.root, workspace);
  // Warm up (the first validation reads and parses the whole workspace), then take the start memory.
  await warmUp(session, workspace);
  report.lsp.rssStartKb = session.usage()?.rssKb;
  report.lsp.heapStartKb = await session.heapUsedKb();
  let peak = 0;
  const poll = setInterval(() => {
    const usage = session.usage();
    if (usage) peak = Math.max(peak, usage.peakRssKb, usage.rssKb);
  }, 250);
  const caseTimings: CaseTiming[] = [];
  const requests: (RequestRecord & { index: number })[] = [];
  try {
    for (let i = 0; i < cases.length; i++) {
      if (options.lspOnly !== undefined && i !== options.lspOnly) continue;
      const fuzzCase = cases[i];
      const share = (total: number) => Math.floor(total / cases.length) + (i < total % cases.length ? 1 : 0);
      const operations = planCase(fuzzCase, join(workspace, `c${i}`), share(options.lspEdits), share(options.lspRequests));
      const stats = await runCase(session, fuzzCase, operations, limits.budgetMs);
      report.lsp.cases++;
      report.lsp.edits += stats.edits;
      caseTimings.push({ index: fuzzCase.index, description: fuzzCase.description, cpuMs: stats.cpuMs });
      for (const record of stats.requests) {
        report.lsp.requests++;
        report.lsp.byMethod[record.method] = (report.lsp.byMethod[record.method] ?? 0) + 1;
        if (record.cancelled) report.lsp.cancelled++;
        if (record.ms > 1000) report.lsp.requestsOverOneSecond++;
        if ((record.cpuMs ?? 0) > 1000) report.lsp.requestsOverOneSecondCpu++;
        requests.push({ ...record, index: fuzzCase.index });
      }
      for (const failure of stats.failures) {
        if (failure.kind === 'over-budget') {
          report.lsp.overBudget.push({ index: fuzzCase.index, description: fuzzCase.description, cpuMs: stats.cpuMs });
        }
        const reproducer = writeReproducer(
          toReproducer(fuzzCase, 'lsp', failure.kind, failure.detail, failure.operations),
          join(options.out, `lsp-${fuzzCase.seed}-${fuzzCase.index}-${failure.kind}${failure.kind === 'slow-request' ? `-${stats.failures.indexOf(failure)}` : ''}`),
        );
        if (failure.kind === 'slow-request') report.lsp.slowRequests.push({ index: failure.index, detail: failure.detail, reproducer });
        else if (failure.kind !== 'over-budget') report.lsp.failures.push({ kind: failure.kind, detail: failure.detail, index: failure.index, reproducer });
      }
      if (!session.alive() || stats.failures.some((f) => f.kind === 'hang')) {
        await session.stop();
        report.lsp.restarts++;
        session = await LspSession.start(options.root, workspace);
      }
      // Now and then, a settings change or files changed on disk: the whole workspace is checked again.
      if (workspaceRandom.chance(0.1)) {
        const before = session.usage()?.cpuMs ?? 0;
        await session.execute(planWorkspaceOperation(workspaceRandom, caseDirs, caseFiles));
        await warmUp(session, workspace);
        report.lsp.workspaceOperations++;
        report.lsp.workspaceCpuMs += (session.usage()?.cpuMs ?? before) - before;
      }
      if ((i + 1) % 20 === 0) log(`lsp: ${i + 1}/${cases.length} cases, ${report.lsp.edits} edits, ${report.lsp.requests} requests, ${report.lsp.failures.length} failures`);
    }
    // Memory after the run: every document closed, a quiet moment for the collector to return memory; and
    // after `quietMs` more (V8 collects and gives back memory once allocation stays low for a while).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    report.lsp.rssEndKb = session.usage()?.rssKb;
    const end = await session.memoryStatistics();
    report.lsp.heapEndKb = end.heapKb;
    report.lsp.idleCollectionsEnd = end.idleCollections;
    report.lsp.heapTotalLastKb = end.heapTotalKb;
    report.lsp.externalLastKb = end.externalKb;
    if (options.quietMs) {
      await new Promise((resolve) => setTimeout(resolve, options.quietMs));
      report.lsp.rssQuietKb = session.usage()?.rssKb;
      const quiet = await session.memoryStatistics();
      report.lsp.heapQuietKb = quiet.heapKb;
      report.lsp.idleCollectionsQuiet = quiet.idleCollections;
      report.lsp.heapTotalLastKb = quiet.heapTotalKb;
      report.lsp.externalLastKb = quiet.externalKb;
    }
    // OTLP_FUZZ_NODE_ARGS='--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=DIR' and OTLP_FUZZ_HEAP_SNAPSHOT=1: a heap snapshot of the server after the run, for what holds its memory.
    if (process.env.OTLP_FUZZ_HEAP_SNAPSHOT) {
      session.child.kill('SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 120_000));
    }
    report.lsp.aliveAtEnd = session.alive();
  } finally {
    clearInterval(poll);
    await session.stop();
  }
  report.lsp.rssPeakKb = peak || undefined;
  requests.sort((a, b) => b.ms - a.ms);
  report.lsp.slowestRequests = requests.slice(0, 10);
  report.lsp.cpuHeaviestRequests = [...requests].sort((a, b) => (b.cpuMs ?? 0) - (a.cpuMs ?? 0)).slice(0, 10);
  caseTimings.sort((a, b) => b.cpuMs - a.cpuMs);
  report.lsp.slowestCases = caseTimings.slice(0, 10);
}

async function warmUp(session: LspSession, workspace: string): Promise<void> {
  const uri = `file://${join(workspace, 'warm-up.yaml')}`;
  await session.execute({ op: 'open', uri, languageId: 'yaml', text: 'exporters:\n  otlp:\n    endpoint: https://collector:4317\n' });
  await session.waitFor(uri, 1);
  await session.execute({ op: 'close', uri });
}

/**
 * Case `index` of `seed` as a reproducer, not run (`npm run fuzz -- --dump N`): from LSP_CASE_BASE on, an LSP
 * case with the operations a run of `lsp` would plan for it.
 */
export function dumpCase(root: string, seed: number, index: number, lsp: { lspCases: number; lspEdits: number; lspRequests: number }, out: string): string {
  const tmp = mkdtempSync(join(tmpdir(), 'otlp-dump-'));
  try {
    const fuzzCase = generateCase(seed, index, loadCorpus(root), loadVocabulary(root), makeCertificatePool(root, tmp));
    if (index < LSP_CASE_BASE) return writeReproducer(toReproducer(fuzzCase, 'cli', 'dumped', 'written by --dump'), join(out, `cli-${seed}-${index}`));
    const i = index - LSP_CASE_BASE;
    const share = (total: number) => Math.floor(total / lsp.lspCases) + (i < total % lsp.lspCases ? 1 : 0);
    const operations = planCase(fuzzCase, join(tmp, 'lsp', `c${i}`), share(lsp.lspEdits), share(lsp.lspRequests));
    return writeReproducer(toReproducer(fuzzCase, 'lsp', 'dumped', 'written by --dump', operations), join(out, `lsp-${seed}-${index}`));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs a reproducer again: the CLI once, or a fresh server on a workspace of the case's files alone. */
export async function replay(root: string, reproducer: Reproducer, fuzzCase: FuzzCase, limits: Limits = DEFAULT_LIMITS): Promise<string> {
  const tmp = mkdtempSync(join(tmpdir(), 'otlp-replay-'));
  try {
    if (reproducer.target === 'cli') {
      const dir = join(tmp, 'case');
      materialize(fuzzCase, dir);
      const result = await runCli(fuzzCase, dir, { root, probe: writeProbe(tmp), limits });
      return `cli: ${result.outcome}${result.detail ? ` (${result.detail.slice(0, 2000)})` : ''}; exit ${result.exitCode}${result.signal ? ` ${result.signal}` : ''}; ${Math.round(result.cpuMs)} ms CPU; peak ${Math.round(result.peakRssKb / 1024)} MiB; ${result.diagnostics} diagnostics (${result.codes.join(', ')})`;
    }
    const workspace = join(tmp, 'lsp');
    const caseDir = join(workspace, 'c');
    materialize(fuzzCase, caseDir);
    const operations = (reproducer.operations ?? planCase(fuzzCase, caseDir, 20, 20)).map((op) => relocate(op, reproducer, caseDir));
    const session = await LspSession.start(root, workspace);
    try {
      const stats = await runCase(session, fuzzCase, operations, limits.budgetMs);
      const slowest = [...stats.requests].sort((a, b) => b.ms - a.ms)[0];
      return `lsp: ${stats.failures.length ? stats.failures.map((f) => `${f.kind}: ${f.detail.slice(0, 1000)}`).join('\n') : 'no failure'}; ${stats.edits} edits, ${stats.requests.length} requests${slowest ? ` (slowest ${slowest.method} ${Math.round(slowest.ms)} ms)` : ''}; ${Math.round(stats.cpuMs)} ms server CPU; alive: ${session.alive()}`;
    } finally {
      await session.stop();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A recorded operation's URIs point into the recording run's workspace: move them to the replay's. */
function relocate(operation: LspOperation, reproducer: Reproducer, caseDir: string): LspOperation {
  const text = JSON.stringify(operation);
  const uri = (operation as { uri?: string }).uri ?? (operation as { params?: { textDocument?: { uri?: string } } }).params?.textDocument?.uri;
  if (!uri) return operation;
  const mainSuffix = '/' + reproducer.main.split('/').map(encodeURIComponent).join('/');
  const oldDir = uri.endsWith(mainSuffix) ? uri.slice(0, -mainSuffix.length) : undefined;
  if (!oldDir) return operation;
  return JSON.parse(text.split(oldDir).join(`file://${caseDir}`)) as LspOperation;
}

const mib = (kb: number | undefined) => (kb === undefined ? '?' : `${(kb / 1024).toFixed(0)} MiB`);

export function formatReport(report: FuzzReport, limits: Limits = DEFAULT_LIMITS): string {
  const lines: string[] = [];
  const { cli, lsp } = report;
  lines.push(`seed ${report.seed}`);
  lines.push(`CLI: ${cli.cases} cases in ${(cli.wallMs / 1000).toFixed(1)} s`);
  lines.push(`  crashes ${cli.outcomes.crash}, hangs ${cli.outcomes.hang}, killed for memory ${cli.outcomes.memory}, output breaking the contract ${cli.outcomes['bad-output']}, ok ${cli.outcomes.ok}`);
  if (cli.harnessErrors.length) lines.push(`  HARNESS ERRORS ${cli.harnessErrors.length}: ${cli.harnessErrors.slice(0, 5).join('; ')}`);
  if (cli.silent.length) lines.push(`  named FIFOs or devices answered with silence (issue 15 item 5): ${cli.silent.length} (e.g. ${cli.silent[0].reproducer})`);
  lines.push(`  over the ${limits.budgetMs} ms CPU budget: ${cli.overBudget.length}${cli.overBudget.length ? ` (${cli.overBudget.slice(0, 10).map((t) => `#${t.index}`).join(' ')})` : ''}`);
  lines.push(`  peak RSS: ${mib(cli.peakRss?.peakRssKb)}${cli.peakRss ? ` (#${cli.peakRss.index} ${cli.peakRss.description.slice(0, 100)})` : ''}`);
  lines.push('  slowest cases (CPU time of the whole CLI process):');
  for (const t of cli.slowest) lines.push(`    ${Math.round(t.cpuMs).toString().padStart(6)} ms  #${t.index}  ${mib(t.peakRssKb)}  ${t.description.slice(0, 110)}`);
  for (const f of cli.failures.slice(0, 30)) lines.push(`  ${f.outcome.toUpperCase()} #${f.index} ${f.description.slice(0, 100)}\n    ${f.detail.split('\n')[0].slice(0, 300)}\n    reproducer: ${f.reproducer}`);
  if (lsp.cases > 0) {
    lines.push(`LSP: ${lsp.cases} cases, ${lsp.edits} edits, ${lsp.requests} requests (${Object.entries(lsp.byMethod).map(([m, n]) => `${m.replace('textDocument/', '')} ${n}`).join(', ')}; ${lsp.cancelled} cancelled)`);
    const count = (kind: string) => lsp.failures.filter((f) => f.kind === kind).length;
    lines.push(`  failed requests ${count('failed-request')}, crashes ${count('crash')}, hangs ${count('hang')}, logged errors ${count('logged-error')}, stderr traces ${count('stderr')}; server restarts ${lsp.restarts}; alive at the end: ${lsp.aliveAtEnd ? 'yes' : 'no'}`);
    lines.push(`  workspace operations between cases (settings changes, files changed on disk): ${lsp.workspaceOperations}, ${Math.round(lsp.workspaceCpuMs)} ms of server CPU`);
    lines.push(`  requests over 1 s of wall time: ${lsp.requestsOverOneSecond}, during which the server used over 1 s of CPU: ${lsp.requestsOverOneSecondCpu}${lsp.slowRequests.length ? ` (e.g. ${lsp.slowRequests[0].detail}: ${lsp.slowRequests[0].reproducer})` : ''}; cases over the ${limits.budgetMs} ms CPU budget: ${lsp.overBudget.length}${lsp.overBudget.length ? ` (${lsp.overBudget.slice(0, 10).map((t) => `#${t.index}`).join(' ')})` : ''}`);
    lines.push(`  server RSS: ${mib(lsp.rssStartKb)} after start-up, peak ${mib(lsp.rssPeakKb)}, ${mib(lsp.rssEndKb)} 3 s after the run${lsp.rssQuietKb !== undefined ? `, ${mib(lsp.rssQuietKb)} after 30 s of quiet` : ''}; V8 heap in use ${mib(lsp.heapStartKb)} after start-up, ${mib(lsp.heapEndKb)} 3 s after the run${lsp.heapQuietKb !== undefined ? `, ${mib(lsp.heapQuietKb)} after 30 s` : ''} (committed ${mib(lsp.heapTotalLastKb)}, outside the heap ${mib(lsp.externalLastKb)}, at the last); idle collections ${lsp.idleCollectionsEnd ?? 'none reported'} 3 s after the run${lsp.idleCollectionsQuiet !== undefined ? `, ${lsp.idleCollectionsQuiet} after 30 s` : ''}`);
    lines.push('  slowest requests:');
    for (const r of lsp.slowestRequests.slice(0, 5)) lines.push(`    ${Math.round(r.ms).toString().padStart(6)} ms  ${r.method}  #${r.index}  (${r.cpuMs === undefined ? '?' : Math.round(r.cpuMs)} ms of server CPU)`);
    const byCpu = lsp.cpuHeaviestRequests.slice(0, 5);
    lines.push('  requests with the most server CPU while pending:');
    for (const r of byCpu) lines.push(`    ${Math.round(r.cpuMs ?? 0).toString().padStart(6)} ms CPU  ${Math.round(r.ms)} ms wall  ${r.method}  #${r.index}`);
    lines.push('  slowest cases (server CPU):');
    for (const t of lsp.slowestCases.slice(0, 5)) lines.push(`    ${Math.round(t.cpuMs).toString().padStart(6)} ms  #${t.index}  ${t.description.slice(0, 110)}`);
    for (const f of lsp.failures.slice(0, 30)) lines.push(`  ${f.kind.toUpperCase()} #${f.index}${f.alone === false ? ' (not alone)' : ''}\n    ${f.detail.split('\n')[0].slice(0, 300)}\n    reproducer: ${f.reproducer}`);
  }
  return lines.join('\n');
}

export function failureCount(report: FuzzReport): number {
  return report.cli.failures.length + report.cli.harnessErrors.length + report.lsp.failures.length;
}

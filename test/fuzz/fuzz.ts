/**
 * `npm run fuzz -- [--count N] [--seed S] [--jobs J] [--lsp-cases C] [--lsp-edits E] [--lsp-requests R] [--out DIR]`
 * `npm run fuzz -- --replay DIR/case.json`
 * `npm run fuzz -- --seed S --dump N [--count N --lsp-cases C ...] [--out DIR]`: writes case N of seed S as a
 *   reproducer without running it (N from 1,000,000 on is LSP case N - 1,000,000, its operations planned as the
 *   run with the same options would plan them), so a case a run reported can be replayed and profiled alone.
 *
 * Runs N seeded cases through the built CLI and C cases through the built language server (E edits and
 * R requests in all), and prints crashes, hangs, failed requests, the cases over the CPU budget, the
 * slowest cases and requests, and peak memory. Each failure leaves a reproducer under DIR
 * (default fuzz-results/). Exit 0 when nothing failed, 1 otherwise, 2 on bad arguments.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from './cliRunner';
import { dumpCase, failureCount, formatReport, replay, runFuzz } from './harness';
import { readReproducer } from './materialize';
import { parseSeed } from './random';

const ROOT = resolve(__dirname, '..');

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string', default: '1000' },
        seed: { type: 'string', default: '1' },
        jobs: { type: 'string', default: '2' },
        'lsp-cases': { type: 'string' },
        'lsp-edits': { type: 'string', default: '5000' },
        'lsp-requests': { type: 'string', default: '2000' },
        'budget-ms': { type: 'string', default: String(DEFAULT_LIMITS.budgetMs) },
        out: { type: 'string', default: 'fuzz-results' },
        replay: { type: 'string' },
        dump: { type: 'string' },
        'lsp-only': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`fuzz: ${(error as Error).message}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write('usage: npm run fuzz -- [--count N] [--seed S] [--jobs J] [--lsp-cases C] [--lsp-edits E] [--lsp-requests R] [--budget-ms MS] [--out DIR] | --replay case.json | --dump N\n');
    return 0;
  }
  const number = (name: string, value: string | undefined) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
    return n;
  };
  const limits = { ...DEFAULT_LIMITS, budgetMs: number('budget-ms', values['budget-ms']) };
  if (values.replay) {
    const { fuzzCase, reproducer } = readReproducer(resolve(values.replay));
    process.stdout.write(`replaying ${reproducer.target} case #${reproducer.index} of seed ${reproducer.seed}: ${reproducer.description}\nrecorded: ${reproducer.failure}: ${reproducer.detail.split('\n')[0].slice(0, 300)}\n`);
    process.stdout.write((await replay(ROOT, reproducer, fuzzCase, limits)) + '\n');
    return 0;
  }
  const count = number('count', values.count);
  if (values.dump !== undefined) {
    const lspCases = values['lsp-cases'] !== undefined ? number('lsp-cases', values['lsp-cases']) : Math.min(200, Math.max(1, Math.ceil(count / 50)));
    const path = dumpCase(ROOT, parseSeed(values.seed!), number('dump', values.dump), { lspCases, lspEdits: number('lsp-edits', values['lsp-edits']), lspRequests: number('lsp-requests', values['lsp-requests']) }, resolve(values.out!));
    process.stdout.write(`${path}\n`);
    return 0;
  }
  const options = {
    root: ROOT,
    seed: parseSeed(values.seed!),
    count,
    jobs: Math.max(1, number('jobs', values.jobs)),
    lspCases: values['lsp-cases'] !== undefined ? number('lsp-cases', values['lsp-cases']) : Math.min(200, Math.max(1, Math.ceil(count / 50))),
    lspEdits: number('lsp-edits', values['lsp-edits']),
    lspRequests: number('lsp-requests', values['lsp-requests']),
    ...(values['lsp-only'] !== undefined ? { lspOnly: number('lsp-only', values['lsp-only']) } : {}),
    out: resolve(values.out!),
    quietMs: 27_000,
    limits,
    log: (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
  };
  // SIGINT or SIGTERM: no new CLI case is started, and the report covers the cases run.
  let stop = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop = true;
      process.stderr.write(`fuzz: ${signal}: finishing the cases under way, then the report\n`);
    });
  }
  Object.assign(options, { stopped: () => stop });
  process.stderr.write(`fuzz: seed ${options.seed}, ${options.count} CLI cases (${options.jobs} at a time), ${options.lspCases} LSP cases with ${options.lspEdits} edits and ${options.lspRequests} requests; reproducers in ${options.out}\n`);
  const report = await runFuzz(options);
  process.stdout.write(formatReport(report, limits) + '\n');
  return failureCount(report) > 0 || report.cli.overBudget.length > 0 || report.lsp.overBudget.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${(error as Error)?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);

/**
 * A short fixed-seed fuzz run (the same one on every machine): 40 cases through the built CLI and 6
 * cases through the built language server with 150 edits and 60 requests. No crash, no hang (a
 * generous watchdog: 60 s of wall time or 30 s of CPU per case, not a speed assertion), no failed
 * request, no error logged by the server, no output that breaks the CLI's contract. CPU times are
 * printed, never asserted. `npm run fuzz -- --count N --seed S` runs long ones.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';
import { formatReport, runFuzz } from './harness';

it('a fixed-seed fuzz run through the CLI and the server finds no crash, hang or failed request', async (t) => {
  const out = join(ROOT, 'test-artifacts', 'fuzz');
  mkdirSync(out, { recursive: true });
  const report = await runFuzz({ root: ROOT, seed: 15, count: 40, jobs: 2, lspCases: 6, lspEdits: 150, lspRequests: 60, out });
  for (const line of formatReport(report).split('\n')) t.diagnostic(line);
  assert.equal(report.cli.cases, 40);
  assert.equal(report.lsp.edits, 150);
  assert.equal(report.lsp.requests, 60);
  assert.deepEqual(report.cli.harnessErrors, []);
  assert.deepEqual(report.cli.failures.map((f) => `${f.outcome} #${f.index} ${f.description}: ${f.detail.slice(0, 300)} (${f.reproducer})`), []);
  assert.deepEqual(report.lsp.failures.map((f) => `${f.kind} #${f.index}: ${f.detail.slice(0, 300)} (${f.reproducer})`), []);
  assert.ok(report.lsp.aliveAtEnd, 'the server is alive after the run');
});

/**
 * Every regression fixture of test/fixtures/hostile/ (see test/fuzz/fixtures.ts) through the built CLI
 * and the built language server: no crash, no hang (a generous watchdog, not a speed assertion), no
 * failed request, no error logged by the server, the server alive, and the diagnostics the fixture
 * expects. The in-process checks of the same fixtures are in test/unit/hostileInput.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';
import { DEFAULT_LIMITS, runCli, writeProbe } from './cliRunner';
import { fixtureOperations, loadHostileFixtures } from './fixtures';
import { LspSession, runCase } from './lspRunner';
import { materialize } from './materialize';

const fixtures = loadHostileFixtures(ROOT);
const limits = { ...DEFAULT_LIMITS, hangWallMs: 60_000, rssLimitKb: 1536 * 1024 };
let tmp: string;
let probe: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'otlp-hostile-'));
  probe = writeProbe(tmp);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const codesOf = (diagnostics: { code?: unknown }[]) => [...new Set(diagnostics.map((d) => String(d.code)))].sort();

for (const fixture of fixtures) {
  describe(`hostile fixture ${fixture.name}`, () => {
    const { cli, lsp } = fixture.expect;
    if (cli !== false) {
      it(`CLI: ${fixture.description}`, { skip: fixture.skip.cli ?? false }, async () => {
        const dir = join(tmp, 'cli', fixture.name);
        materialize(fixture.fuzzCase, dir);
        const result = await runCli(fixture.fuzzCase, dir, { root: ROOT, probe, limits, command: fixture.command, umask: fixture.umask });
        assert.equal(result.outcome, 'ok', `${result.outcome}: ${result.detail}`);
        if (cli?.exit) assert.ok(cli.exit.includes(result.exitCode ?? -1), `exit ${result.exitCode}, expected one of ${cli.exit.join(', ')}; stderr: ${result.stderr}`);
        for (const code of cli?.codes ?? []) assert.ok(result.codes.includes(code), `${code} is reported (got ${result.codes.join(', ')})`);
        for (const code of cli?.absentCodes ?? []) assert.ok(!result.codes.includes(code), `${code} is not reported (got ${result.codes.join(', ')})`);
        if (cli?.stderrMatches) assert.match(result.stderr, new RegExp(cli.stderrMatches, 'i'));
        for (const folder of cli?.notWritableByOthers ?? []) {
          const mode = statSync(join(dir, folder)).mode & 0o777;
          assert.equal(mode & 0o022, 0, `${folder} is mode ${mode.toString(8)}`);
        }
      });
    }
    if (lsp !== false && fixture.command === 'check') {
      it(`language server: ${fixture.description}`, { skip: fixture.skip.lsp ?? false }, async () => {
        const workspace = join(tmp, 'lsp', fixture.name);
        materialize(fixture.fuzzCase, workspace);
        const session = await LspSession.start(ROOT, workspace);
        try {
          const operations = fixtureOperations(fixture, workspace);
          const stats = await runCase(session, fixture.fuzzCase, operations, Infinity);
          assert.deepEqual(stats.failures.map((f) => `${f.kind}: ${f.detail.slice(0, 2000)}`), []);
          assert.ok(session.alive(), 'the server is alive');
          const uri = (operations[0] as { uri: string }).uri;
          const published = session.latestDiagnostics(uri);
          assert.ok(published, 'diagnostics were published');
          const codes = codesOf(published.diagnostics);
          for (const code of lsp?.codes ?? []) assert.ok(codes.includes(code), `${code} is published (got ${codes.join(', ')})`);
          for (const code of lsp?.absentCodes ?? []) assert.ok(!codes.includes(code), `${code} is not published (got ${codes.join(', ')})`);
          // Still answering: a hover and a completion on the first line.
          for (const method of ['textDocument/hover', 'textDocument/completion']) {
            const record = await session.execute({ op: 'request', method, params: { textDocument: { uri }, position: { line: 0, character: 1 } } });
            assert.equal(record?.error, undefined, `${method} answered`);
          }
        } finally {
          await session.stop();
        }
      });
    }
  });
}

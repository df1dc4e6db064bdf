/**
 * The CLI and the per-file cap (`--max-problems-per-file`, default 500): the listed problems, the
 * too-many-problems line, and counts that include what was not listed, in text, JSON and SARIF; the exit
 * code and --fail-on take the left-out problems in. On the built dist/cli.js.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const unknownKeys = (n: number) => Array.from({ length: n }, (_, i) => `      unknown_${i}: true\n`).join('');

describe('otlp-tls check --max-problems-per-file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-cap-'));
    // 700 unknown keys (errors) in one file, a warning in another.
    writeFileSync(join(dir, 'many.yaml'), `exporters:\n  otlp:\n    endpoint: https://collector:4317\n    tls:\n${unknownKeys(700)}`);
    writeFileSync(join(dir, 'one.yaml'), 'exporters:\n  otlp:\n    endpoint: https://collector:4317\n    tls:\n      insecure_skip_verify: true\n');
    // 600 warnings then nothing worse: left-out warnings alone.
    const exporters = Array.from({ length: 600 }, (_, i) => `  otlp/e${i}:\n    endpoint: https://c:4317\n    tls:\n      insecure_skip_verify: true\n`).join('');
    writeFileSync(join(dir, 'warnings.yml'), `exporters:\n${exporters}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('json: 500 listed and one notice per capped file; summary.problems counts all; omitted per file', () => {
    const r = cli(['check', 'many.yaml', 'one.yaml', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    const many = out.diagnostics.filter((d: { file: string }) => d.file === join(dir, 'many.yaml'));
    assert.equal(many.length, 501);
    assert.equal(many.filter((d: { code: string }) => d.code === 'too-many-problems').length, 1);
    const notice = many.find((d: { code: string }) => d.code === 'too-many-problems');
    assert.equal(notice.severity, 'information');
    assert.equal(notice.range.start.line, 504, 'on the first key left out (unknown_500, line 505)');
    assert.match(notice.message, /^200 more problems are not listed: only 500 of this file's 700 are\./);
    assert.deepEqual(out.omitted, [{ file: join(dir, 'many.yaml'), total: 200, errors: 200, warnings: 0, information: 0, hints: 0, codes: { 'unknown-key': 200 } }]);
    assert.deepEqual(out.summary.problems, { total: 701, errors: 700, warnings: 1, information: 0, hints: 0, suppressed: 0, omitted: 200 });
  });

  it('text: the notice line and the count of every problem found, with how many were not listed', () => {
    const r = cli(['check', 'many.yaml'], dir);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.filter((l) => / error unknown-key: /.test(l)).length, 500);
    assert.ok(lines.some((l) => l.startsWith('many.yaml:505:7: information too-many-problems: 200 more problems are not listed')), r.stdout.slice(-2000));
    assert.equal(lines[lines.length - 1], '700 problems (700 errors, 0 warnings, 0 information), 200 not listed');
  });

  it('0 lists them all; N lists N; a value that is not a whole number is a usage error', () => {
    const all = JSON.parse(cli(['check', 'many.yaml', '--format', 'json', '--max-problems-per-file', '0'], dir).stdout);
    assert.equal(all.diagnostics.length, 700);
    assert.deepEqual(all.omitted, []);
    assert.equal(all.summary.problems.omitted, 0);
    const ten = JSON.parse(cli(['check', 'many.yaml', '--format', 'json', '--max-problems-per-file', '10'], dir).stdout);
    assert.equal(ten.diagnostics.length, 11);
    assert.equal(ten.summary.problems.total, 700);
    for (const bad of ['-1', 'x', '1.5', '']) {
      const r = cli(['check', 'many.yaml', `--max-problems-per-file=${bad}`], dir);
      assert.equal(r.code, 2, `${bad}: ${r.stdout}`);
      assert.match(r.stderr, /--max-problems-per-file must be a whole number/);
    }
  });

  it('sarif: the listed results, and the summary and the omitted files in the run properties', () => {
    const r = cli(['check', 'many.yaml', '--format', 'sarif'], dir);
    const run = JSON.parse(r.stdout).runs[0];
    assert.equal(run.results.length, 501);
    assert.equal(run.results.filter((x: { ruleId: string }) => x.ruleId === 'too-many-problems').length, 1);
    assert.equal(run.properties.summary.problems.total, 700);
    assert.equal(run.properties.omitted[0].total, 200);
  });

  it('the exit code takes in what was not listed: left-out warnings fail --fail-on warning, not the default', () => {
    assert.equal(cli(['check', 'warnings.yml', '--max-problems-per-file', '10'], dir).code, 0);
    assert.equal(cli(['check', 'warnings.yml', '--max-problems-per-file', '10', '--fail-on', 'warning'], dir).code, 1);
    // The notice alone (information) never fails a level its problems would not.
    assert.equal(cli(['check', 'warnings.yml', '--max-problems-per-file', '10', '--fail-on', 'information'], dir).code, 1);
    const json = JSON.parse(cli(['check', 'warnings.yml', '--format', 'json'], dir).stdout);
    assert.deepEqual(json.summary.problems, { total: 600, errors: 0, warnings: 600, information: 0, hints: 0, suppressed: 0, omitted: 100 });
  });
});

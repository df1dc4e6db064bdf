/** The CLI contract: arguments, formats (text, json, sarif) and exit codes, on the built dist/cli.js. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('otlp-tls check', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-cli-'));
    mkdirSync(join(dir, 'bad'));
    mkdirSync(join(dir, 'good'));
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'bad', 'collector.yaml'), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: 1.2\n      insecure_skip_verify: true\n');
    writeFileSync(join(dir, 'good', 'collector.yaml'), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure_skip_verify: true\n');
    writeFileSync(join(dir, 'node_modules', 'x', 'collector.yaml'), 'exporters:\n  otlp:\n    tls:\n      bogus: 1\n');
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from('exporters:\n  otlp:\n    endpoint: c:4317 # caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('text: file:line:col: severity code: message, exit 1 on an error', () => {
    const r = cli(['check', 'bad'], dir);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'bad/collector.yaml:5:20: error invalid-value: min_version must be a quoted string: write "1.2". Unquoted, YAML reads a number and the Collector fails with "expected type \'string\', got unconvertible type \'float64\'".');
    assert.match(lines[1], /^bad\/collector\.yaml:6:7: warning insecure-skip-verify: /);
    assert.match(lines[2], /^2 problems \(1 error, 1 warning\)$/);
  });

  it('exit 0 when only warnings', () => {
    const r = cli(['check', 'good'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /insecure-skip-verify/);
  });

  it('walks folders (default .) but skips node_modules and .git below them', () => {
    const r = cli(['check', '--format', 'json'], dir);
    const files = JSON.parse(r.stdout).diagnostics.map((d: { file: string }) => d.file);
    assert.ok(files.includes(join(dir, 'good', 'collector.yaml')));
    assert.deepEqual(files.filter((f: string) => f.includes('node_modules')), []);
  });

  it('json: absolute file, 0-based LSP range, severity name, code, message', () => {
    const r = cli(['check', 'bad', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { diagnostics: unknown[] };
    assert.deepEqual(out.diagnostics[0], {
      file: join(dir, 'bad', 'collector.yaml'),
      range: { start: { line: 4, character: 19 }, end: { line: 4, character: 22 } },
      severity: 'error',
      code: 'invalid-value',
      message: 'min_version must be a quoted string: write "1.2". Unquoted, YAML reads a number and the Collector fails with "expected type \'string\', got unconvertible type \'float64\'".',
    });
  });

  it('sarif: a 2.1.0 log with rules and 1-based regions', () => {
    const r = cli(['check', 'bad', '--format=sarif'], dir);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'otlp-tls');
    const ruleIds = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    assert.ok(ruleIds.includes('invalid-value') && ruleIds.includes('tls-conflict'));
    const result = run.results[0];
    assert.equal(result.ruleId, 'invalid-value');
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'invalid-value');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: 'bad/collector.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5, startColumn: 20, endLine: 5, endColumn: 23 },
    });
    assert.equal(run.results[1].level, 'warning');
  });

  it('a file that is not UTF-8 is checked with a warning, not a crash', () => {
    const r = cli(['check', 'latin1.yaml', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).diagnostics.map((d: { code: string }) => d.code), ['invalid-encoding']);
  });

  it('--sdk names the SDK that reads the env files', () => {
    writeFileSync(join(dir, 'app.env'), 'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317\n');
    try {
      const codes = (args: string[]) => JSON.parse(cli(['check', 'app.env', '--format', 'json', ...args], dir).stdout).diagnostics.map((d: { code: string; severity: string }) => `${d.code}:${d.severity}`);
      assert.deepEqual(codes([]), ['port-protocol-mismatch:information']);
      assert.deepEqual(codes(['--sdk', 'any']), ['port-protocol-mismatch:information']);
      assert.deepEqual(codes(['--sdk', 'js']), ['port-protocol-mismatch:warning']);
      assert.deepEqual(codes(['--sdk', 'python']), []);
      assert.match(cli(['check', '--sdk', 'cobol'], dir).stderr, /--sdk must be any, java, java-agent, python, go, js, dotnet, dotnet-auto, not "cobol"/);
    } finally {
      rmSync(join(dir, 'app.env'));
    }
  });

  it('exit 2 with a clear message on usage errors', () => {
    for (const args of [['check', '--format', 'xml'], ['check', '--sdk', 'cobol'], ['check', 'missing-folder'], ['check', '--path-map', 'nonsense'], ['check', '--bogus'], ['frobnicate']]) {
      const r = cli(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, /otlp-tls/);
      assert.equal(r.stdout, '');
    }
  });
});

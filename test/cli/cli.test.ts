/** The CLI contract: arguments, formats (text, json, sarif) and exit codes, on the built dist/cli.js. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

function cli(args: string[], cwd: string, as?: { uid: number; gid: number }) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000, ...as });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

type JsonDiagnostic = { file: string; code: string; severity: string; message: string; range: { start: { line: number; character: number } } };
const diagnosticsOf = (stdout: string): JsonDiagnostic[] => JSON.parse(stdout).diagnostics;

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
    // What was checked, then the count of problems as the last line.
    assert.deepEqual(lines.slice(2), [
      'Checked 1 file: 1 collector config.',
      'Endpoints: 1, 0 paired with a listener, 1 not paired (no listener on its port in the checked files: 1).',
      '2 problems (1 error, 1 warning, 0 information)',
    ]);
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

  it('a collector config over 2 MB gets file-too-large, as in the editor (not "0 problems")', () => {
    const big = join(dir, 'big', 'collector.yaml');
    mkdirSync(join(dir, 'big'));
    // 3 MB: a config with an unknown key, then comment lines.
    writeFileSync(big, 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      bogus: 1\n' + '# padding\n'.repeat(314_600));
    try {
      for (const args of [['check', 'big'], ['check', 'big/collector.yaml']]) {
        const r = cli([...args, '--format', 'json'], dir);
        assert.equal(r.code, 0, r.stderr);
        const [d, ...rest] = diagnosticsOf(r.stdout);
        assert.deepEqual(rest, []);
        assert.deepEqual([d.file, d.code, d.severity, d.range.start], [big, 'file-too-large', 'warning', { line: 0, character: 0 }]);
        assert.equal(d.message, 'This file is 3.0 MB; files over 2 MB are not checked.');
      }
    } finally {
      rmSync(join(dir, 'big'), { recursive: true });
    }
  });

  it('a FIFO or a device named as a config is file-unreadable, never opened (exit 1)', (t) => {
    const fifo = join(dir, 'fifo.yaml');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return t.skip('mkfifo is not available');
    try {
      const r = cli(['check', 'fifo.yaml', '/dev/null', '--format', 'json'], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(diagnosticsOf(r.stdout).map((d) => [d.file, d.code, d.message]), [
        [fifo, 'file-unreadable', `${fifo} is not a regular file (a FIFO, socket or device); it was not read.`],
        ['/dev/null', 'file-unreadable', '/dev/null is not a regular file (a FIFO, socket or device); it was not read.'],
      ]);
      // In a folder, too: a FIFO named like a config is reported, and the folder's other files are checked.
      mkdirSync(join(dir, 'pipes'));
      spawnSync('mkfifo', [join(dir, 'pipes', 'collector.yaml')]);
      writeFileSync(join(dir, 'pipes', 'app.env'), 'OTEL_EXPORTER_OTLP_TRACE_ENDPOINT=https://c:4318/v1/traces\n');
      const folder = cli(['check', 'pipes', '--format', 'json'], dir);
      assert.equal(folder.code, 1, folder.stderr);
      assert.deepEqual(diagnosticsOf(folder.stdout).map((d) => [d.file, d.code]), [[join(dir, 'pipes', 'app.env'), 'unknown-variable'], [join(dir, 'pipes', 'collector.yaml'), 'file-unreadable']]);
    } finally {
      rmSync(fifo, { force: true });
      rmSync(join(dir, 'pipes'), { recursive: true, force: true });
    }
  });

  it('an unreadable file in a folder is a diagnostic on that file, and the rest is still checked', (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'otlp-tls-cli-unreadable-'));
    try {
      chmodSync(folder, 0o755);
      writeFileSync(join(folder, 'b.yaml'), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure_skip_verify: true\n');
      // A symbolic link that loops cannot be read, whoever runs the check (stat fails with ELOOP).
      symlinkSync('a.yaml', join(folder, 'a.yaml'));
      const loop = cli(['check', folder, '--format', 'json'], folder);
      assert.equal(loop.code, 1, loop.stderr);
      assert.deepEqual(diagnosticsOf(loop.stdout).map((d) => [d.file, d.code, d.message]), [
        [join(folder, 'a.yaml'), 'file-unreadable', `${join(folder, 'a.yaml')} cannot be read (ELOOP).`],
        [join(folder, 'b.yaml'), 'insecure-skip-verify', diagnosticsOf(loop.stdout)[1]?.message],
      ]);
      rmSync(join(folder, 'a.yaml'));
      // Permission denied: root reads any file, so the check runs as nobody when the tests run as root.
      writeFileSync(join(folder, 'a.yaml'), 'exporters:\n  otlp:\n    endpoint: c:4317\n', { mode: 0o000 });
      chmodSync(join(folder, 'a.yaml'), 0o000);
      chmodSync(join(folder, 'b.yaml'), 0o644);
      const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
      if (process.platform === 'win32') return t.skip('POSIX permissions');
      const denied = cli(['check', folder, '--format', 'json'], folder, as);
      assert.equal(denied.code, 1, denied.stderr);
      assert.deepEqual(diagnosticsOf(denied.stdout).map((d) => [d.file, d.code, d.message.replace(/ \(.*$/, '')]), [
        [join(folder, 'a.yaml'), 'file-unreadable', `${join(folder, 'a.yaml')} cannot be read`],
        [join(folder, 'b.yaml'), 'insecure-skip-verify', diagnosticsOf(denied.stdout)[1]?.message.replace(/ \(.*$/, '')],
      ]);
      assert.match(diagnosticsOf(denied.stdout)[0].message, /cannot be read \(permission denied\)\.$/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
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

  it('check --help, check -h and certs --help print their usage on stdout and exit 0', () => {
    for (const args of [['check', '--help'], ['check', '-h'], ['check', 'bad', '--format', 'json', '--help']]) {
      const r = cli(args, dir);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^usage: otlp-tls check \[PATH\.\.\.\]/);
      assert.match(r.stdout, /--fail-on LEVEL/);
      assert.equal(r.stderr, '');
    }
    const certs = cli(['certs', '--help'], dir);
    assert.equal(certs.code, 0);
    assert.match(certs.stdout, /otlp-tls certs --out DIR/);
  });

  it('exit 2 with a clear message on usage errors', () => {
    for (const args of [['check', '--format', 'xml'], ['check', '--sdk', 'cobol'], ['check', 'missing-folder'], ['check', '--path-map', 'nonsense'], ['check', '--bogus'], ['frobnicate']]) {
      const r = cli(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, /otlp-tls/);
      assert.equal(r.stdout, '');
    }
  });

  it('reads Kubernetes manifests and Helm values by content, in a folder walk; --path-map reaches the container paths', () => {
    const folder = join(dir, 'deploy');
    mkdirSync(join(folder, 'chart'), { recursive: true });
    writeFileSync(
      join(folder, 'all.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\ndata:\n  relay: |\n    exporters:\n      otlp:\n        endpoint: gw:14317\n        tls:\n          ca_file: /etc/otel/ca.crt\n          min_version: 1.2\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: OTEL_EXPORTER_OTLP_ENDPONT\n              value: https://gw:14318\n',
    );
    writeFileSync(join(folder, 'chart', 'values.yaml'), 'mode: deployment\nconfig:\n  exporters:\n    otlp:\n      tls:\n        server_name_overide: gw\n');
    try {
      const r = cli(['check', 'deploy', '--format', 'json'], dir);
      assert.equal(r.code, 1, r.stderr);
      const found = diagnosticsOf(r.stdout).map((d) => `${d.file.slice(folder.length + 1)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code}`);
      assert.deepEqual(found, [
        // The agent's exporter port is served by no collector here, while the chart's default listeners are.
        'all.yaml:9:19 information no-listener',
        'all.yaml:11:20 information container-path',
        'all.yaml:12:24 error invalid-value',
        'all.yaml:24:21 warning unknown-variable',
        'chart/values.yaml:6:9 error unknown-key',
      ]);
      // With a mapping, the container's CA is looked for on disk.
      const mapped = cli(['check', 'deploy/all.yaml', '--format', 'json', '--path-map', '/etc/otel=deploy'], dir);
      assert.deepEqual(diagnosticsOf(mapped.stdout).map((d) => d.code), ['file-not-found', 'invalid-value', 'unknown-variable']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

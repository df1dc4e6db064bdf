/**
 * The package as `npm pack` makes it (from a copy of this checkout: `prepack` builds dist/), installed in
 * a new project and run with `npx` and through its bin link from other folders: dist/cli.js carries
 * everything it reads (schemas, the rules' help from docs/diagnostics.md), so it works wherever it is.
 * Also `npx otlp-tls` inside the clone itself. The install fetches the package's dependencies from the
 * npm registry (or the npm cache).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkout } from '../support/checkout';
import { ROOT } from '../support/lspClient';
import { sarifErrors } from '../support/sarifSchema';

const run = (command: string, args: string[], cwd: string) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('npm pack, then npx otlp-tls from anywhere', () => {
  let dir: string;
  let clone: string;
  let tarball: string;
  let consumer: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-pack-'));
    clone = join(dir, 'clone');
    consumer = join(dir, 'consumer');
    checkout(clone);
    // The clone's own dependencies are this checkout's (npm ci is what the action test runs).
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const packed = run('npm', ['pack', '--pack-destination', dir, '--silent'], clone);
    assert.equal(packed.code, 0, packed.stderr);
    tarball = join(dir, packed.stdout.trim().split('\n').pop()!);
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const installed = run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball], consumer);
    assert.equal(installed.code, 0, installed.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the tarball holds the CLI bundle (with its shebang), the schemas and the docs files, nothing else', () => {
    const listed = run('tar', ['-tzf', tarball], dir);
    // Every file of schemas/ (for other tools), and besides them only these.
    const schemas = readdirSync(join(ROOT, 'schemas')).map((name) => `package/schemas/${name}`);
    assert.deepEqual(listed.stdout.trim().split('\n').sort(), ['package/CHANGELOG.md', 'package/LICENSE', 'package/README.md', 'package/dist/cli.js', 'package/dist/cli-main.js', 'package/package.json', ...schemas].sort());
    assert.ok(readFileSync(join(consumer, 'node_modules', 'otlp-tls-lens', 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('npx otlp-tls check in a folder of the project that installed it: the same output as from the repository', () => {
    cpSync(join(ROOT, 'test', 'fixtures', 'ci-workspace'), join(consumer, 'deploy'), { recursive: true });
    const r = run('npx', ['--no-install', 'otlp-tls', 'check'], join(consumer, 'deploy'));
    assert.equal(r.stdout, readFileSync(join(ROOT, 'test', 'cli', 'expected', 'ci-workspace.txt'), 'utf8'), r.stderr);
    assert.equal(r.code, 1);
  });

  it('its bin link from an unrelated folder: SARIF with the rules help (docs bundled), --help, --version', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'otlp-tls-elsewhere-'));
    try {
      const bin = join(consumer, 'node_modules', '.bin', 'otlp-tls');
      const r = run(bin, ['check', '--format', 'sarif', join(ROOT, 'test', 'fixtures', 'ci-workspace')], elsewhere);
      assert.equal(r.code, 1, r.stderr);
      const log = JSON.parse(r.stdout);
      assert.deepEqual(sarifErrors(log), []);
      assert.match(log.runs[0].tool.driver.rules.find((rule: { id: string }) => rule.id === 'san-mismatch').help.markdown, /^Default severity: error/);
      assert.equal(log.runs[0].results.length, 8);
      assert.match(run(bin, ['check', '--help'], elsewhere).stdout, /^usage: otlp-tls check/);
      assert.equal(run(bin, ['--version'], elsewhere).stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('npx otlp-tls in the clone itself (its own bin)', () => {
    const r = run('npx', ['--no-install', 'otlp-tls', 'check', 'test/fixtures/ci-workspace'], clone);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^6 problems \(2 errors, 3 warnings, 1 information\), 2 suppressed$/m);
  });
});

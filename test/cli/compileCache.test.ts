/**
 * dist/cli.js runs dist/cli-main.js with a V8 code cache (server/src/cli/launch.ts): where it is written
 * and with which modes, that a run with the cache prints what a run without prints, and that a foreign,
 * broken or linked cache is never trusted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

const CLI = join(ROOT, 'dist', 'cli.js');
const posix = process.platform !== 'win32';

function check(cwd: string, env: Record<string, string>) {
  const r = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json', '--fail-on', 'none'], { cwd, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  assert.equal(r.signal, null, 'the CLI was killed (a hang?)');
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('the CLI code cache', { skip: !posix && 'POSIX modes and owners' }, () => {
  let root: string;
  let workspace: string;
  let expected: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'otlp-tls-compile-cache-'));
    workspace = join(root, 'ws');
    cpSync(join(ROOT, 'test', 'fixtures', 'ci-workspace'), workspace, { recursive: true });
    expected = check(workspace, { HOME: root, OTLP_TLS_NO_COMPILE_CACHE: '1' });
    assert.ok(JSON.parse(expected).diagnostics.length > 0);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is one file, 0600 in a 0700 folder under $XDG_CACHE_HOME, and a run with it prints the same', () => {
    const xdg = join(root, 'xdg');
    assert.equal(check(workspace, { HOME: root, XDG_CACHE_HOME: xdg }), expected);
    const folder = join(xdg, 'otlp-tls-lens');
    const files = readdirSync(folder);
    assert.equal(files.length, 1);
    assert.match(files[0], /^cli-[0-9a-f]{32}\.bin$/);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    assert.equal(statSync(join(folder, files[0])).mode & 0o777, 0o600);
    assert.equal(check(workspace, { HOME: root, XDG_CACHE_HOME: xdg }), expected);
    assert.deepEqual(readdirSync(folder), files);
  });

  it('goes under ~/.cache without $XDG_CACHE_HOME, and nowhere with OTLP_TLS_NO_COMPILE_CACHE', () => {
    const home = join(root, 'home');
    mkdirSync(home);
    assert.equal(check(workspace, { HOME: home }), expected);
    assert.equal(readdirSync(join(home, '.cache', 'otlp-tls-lens')).length, 1);
    const off = join(root, 'off');
    mkdirSync(off);
    assert.equal(check(workspace, { HOME: off, OTLP_TLS_NO_COMPILE_CACHE: '1' }), expected);
    assert.deepEqual(readdirSync(off), []);
  });

  it('a cache that is not one (garbage, a link elsewhere, another build) is not used, and replaced', () => {
    const xdg = join(root, 'bad');
    check(workspace, { HOME: root, XDG_CACHE_HOME: xdg });
    const folder = join(xdg, 'otlp-tls-lens');
    const [name] = readdirSync(folder);
    const good = readFileSync(join(folder, name));
    // Garbage, and the right header over garbage: V8 rejects the data, the run is right, the file is made again.
    for (const garbage of [Buffer.from('not a cache'), Buffer.concat([good.subarray(0, 8), Buffer.alloc(4096, 7)])]) {
      writeFileSync(join(folder, name), garbage);
      assert.equal(check(workspace, { HOME: root, XDG_CACHE_HOME: xdg }), expected);
      assert.ok(readFileSync(join(folder, name)).length > 4096 + 8);
    }
    // A link: not followed (its target is left as it was), and replaced by a file.
    const target = join(root, 'target.bin');
    writeFileSync(target, good);
    rmSync(join(folder, name));
    symlinkSync(target, join(folder, name));
    assert.equal(check(workspace, { HOME: root, XDG_CACHE_HOME: xdg }), expected);
    assert.ok(readFileSync(target).equals(good));
    assert.ok(lstatSync(join(folder, name)).isFile());
    // Other builds' caches (other names): the three most recently written are kept when this one's is written.
    const others = [1, 2, 3, 4, 5].map((n) => `cli-${String(n).repeat(32)}.bin`);
    others.forEach((other, i) => {
      writeFileSync(join(folder, other), good);
      utimesSync(join(folder, other), 1_000_000 + i, 1_000_000 + i);
    });
    writeFileSync(join(folder, `${name}.123.tmp`), 'left by a killed run');
    utimesSync(join(folder, `${name}.123.tmp`), 1_000_000, 1_000_000);
    rmSync(join(folder, name));
    check(workspace, { HOME: root, XDG_CACHE_HOME: xdg });
    assert.deepEqual(readdirSync(folder).sort(), [name, ...others.slice(2)].sort());
  });

  it('a cache folder others may write to is not used', () => {
    const xdg = join(root, 'open');
    const folder = join(xdg, 'otlp-tls-lens');
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o777);
    assert.equal(check(workspace, { HOME: root, XDG_CACHE_HOME: xdg }), expected);
    assert.deepEqual(readdirSync(folder), []);
  });
});

/**
 * `otlp-tls certs` on hostile folders (issue 15 item 5), on the built dist/cli.js: a FIFO or a link
 * to /dev/zero where ca.key is, an oversized ca.key, umask 000, a partial CA left by a killed run,
 * a symlink at a target, stale temporary files. Each run is bounded: a hang fails the test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

const posix = process.platform !== 'win32';
const CLI = join(ROOT, 'dist', 'cli.js');

/** Runs the CLI (through `sh -c 'umask U; exec ...'` when `umask` is given), bounded at 30 s. */
function certs(args: string[], cwd: string, umask?: string) {
  const command = umask ? ['sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, CLI, 'certs', ...args]] : [process.execPath, [CLI, 'certs', ...args]];
  const started = Date.now();
  const r = spawnSync(command[0] as string, command[1] as string[], { cwd, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, `certs ${args.join(' ')} was killed after ${Date.now() - started} ms (a hang?)`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const mode = (path: string) => statSync(path).mode & 0o777;
const mkfifo = (path: string) => assert.equal(spawnSync('mkfifo', [path]).status, 0, 'mkfifo');

describe('otlp-tls certs: hostile files where the CA is', { skip: !posix && 'POSIX FIFOs, devices and modes' }, () => {
  let root: string;
  let n = 0;
  const fresh = () => join(root, `d${++n}`);
  /** A folder with a CA made by the command, and the leaves removed. */
  const withCa = () => {
    const dir = fresh();
    assert.equal(certs(['--out', dir, '--host', 'localhost'], root).code, 0);
    for (const f of ['server.crt', 'server.key', 'client.crt', 'client.key']) rmSync(join(dir, f));
    return dir;
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'otlp-certs-cli-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const name of ['ca.key', 'ca.crt']) {
    it(`a FIFO as ${name}: exit 2 at once, naming it, never opened; --force does not remove it either`, () => {
      const dir = withCa();
      rmSync(join(dir, name));
      mkfifo(join(dir, name));
      for (const force of [[], ['--force']]) {
        const r = certs(['--out', dir, '--host', 'localhost', ...force], root);
        assert.equal(r.code, 2, r.stdout);
        assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')} is a FIFO \\(named pipe\\), not a regular file, so it is not opened`));
        assert.match(r.stderr, /Remove it/);
        if (force.length) assert.match(r.stderr, /--force does not, as it is not a file this command writes/);
      }
      assert.ok(lstatSync(join(dir, name)).isFIFO(), 'the FIFO is left alone');
      assert.ok(!existsSync(join(dir, 'server.crt')));
    });
  }

  it('a link to /dev/zero as ca.key: exit 2 at once, the device is named and not read', { skip: !existsSync('/dev/zero') && 'no /dev/zero' }, () => {
    const dir = withCa();
    rmSync(join(dir, 'ca.key'));
    symlinkSync('/dev/zero', join(dir, 'ca.key'));
    const r = certs(['--out', dir, '--host', 'localhost', '--force'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ca\.key is a character device \(a link to \/dev\/zero\), not a regular file, so it is not opened/);
    assert.ok(lstatSync(join(dir, 'ca.key')).isSymbolicLink());
  });

  it('an oversized ca.key (a sparse 3 GiB file) is not read', () => {
    const dir = withCa();
    truncateSync(join(dir, 'ca.key'), 3 * 1024 ** 3);
    const r = certs(['--out', dir, '--host', 'localhost'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ca\.key is 3\.0 GiB, more than any PEM key \(the limit is 1\.0 MiB\), so it is not read/);
  });

  it('a 0-byte ca.key left by a killed run: exit 2 saying what to delete; --force makes a new CA', () => {
    const dir = withCa();
    writeFileSync(join(dir, 'ca.key'), '');
    const oldCa = readFileSync(join(dir, 'ca.crt'), 'utf8');
    const r = certs(['--out', dir, '--host', 'localhost'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /d\d+\/ca\.key is empty \(0 bytes\), as an interrupted run leaves it, so the CA in d\d+ cannot be reused\. Delete d\d+\/ca\.crt and d\d+\/ca\.key to make a new CA \(or use --force to replace them with a new CA\)/);
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), oldCa, 'nothing changed');

    const forced = certs(['--out', dir, '--host', 'localhost', '--force'], root);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /replaced the incomplete CA with a new one \(d\d+\/ca\.key was empty\)/);
    const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
    assert.notEqual(readFileSync(join(dir, 'ca.crt'), 'utf8'), oldCa);
    assert.ok(new X509Certificate(readFileSync(join(dir, 'server.crt'))).verify(ca.publicKey), 'the server certificate chains to the new CA');
    assert.equal(mode(join(dir, 'ca.key')), 0o600);
  });

  it('half a CA (ca.crt without ca.key): exit 2 naming both; --force makes a new CA', () => {
    const dir = withCa();
    rmSync(join(dir, 'ca.key'));
    const r = certs(['--out', dir, '--host', 'localhost'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ca\.crt exists but .*ca\.key does not, so the CA cannot be reused/);
    const forced = certs(['--out', dir, '--host', 'localhost', '--force'], root);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /ca\.key was missing/);
    assert.deepEqual(readdirSync(dir).sort(), ['ca.crt', 'ca.key', 'client.crt', 'client.key', 'server.crt', 'server.key']);
  });
});

describe('otlp-tls certs: modes under any umask, links and leftovers', { skip: !posix && 'POSIX modes' }, () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'otlp-certs-umask-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const umask of ['000', '077', '022']) {
    it(`umask ${umask}: new folders 0700, keys 0600, certificates 0644`, () => {
      const out = join(root, `u${umask}`, 'nested', 'certs');
      const r = certs(['--out', out, '--host', 'localhost'], root, umask);
      assert.equal(r.code, 0, r.stderr);
      for (const folder of [join(root, `u${umask}`), join(root, `u${umask}`, 'nested'), out]) assert.equal(mode(folder), 0o700, folder);
      for (const key of ['ca.key', 'server.key', 'client.key']) assert.equal(mode(join(out, key)), 0o600, key);
      for (const cert of ['ca.crt', 'server.crt', 'client.crt']) assert.equal(mode(join(out, cert)), 0o644, cert);
    });
  }

  it('an existing folder keeps its mode', () => {
    const out = join(root, 'existing');
    mkdirSync(out, { mode: 0o755 });
    assert.equal(certs(['--out', out, '--host', 'localhost'], root, '000').code, 0);
    assert.equal(mode(out), 0o755);
  });

  it('--force replaces a symlink at a target instead of writing through it', () => {
    const out = join(root, 'linked');
    assert.equal(certs(['--out', out, '--host', 'localhost'], root).code, 0);
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    rmSync(join(out, 'server.key'));
    symlinkSync(victim, join(out, 'server.key'));
    const r = certs(['--out', out, '--host', 'localhost', '--force'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
    assert.ok(lstatSync(join(out, 'server.key')).isFile());
    assert.equal(mode(join(out, 'server.key')), 0o600);
  });

  it('leaves no temporary file, and removes those a killed run left', () => {
    const out = join(root, 'leftovers');
    mkdirSync(out);
    writeFileSync(join(out, '.otlp-tls-server.key-0123456789ab.tmp'), 'half a key', { mode: 0o600 });
    writeFileSync(join(out, 'notes.tmp'), 'not ours');
    assert.equal(certs(['--out', out, '--host', 'localhost'], root).code, 0);
    assert.deepEqual(readdirSync(out).sort(), ['ca.crt', 'ca.key', 'client.crt', 'client.key', 'notes.tmp', 'server.crt', 'server.key']);
  });
});

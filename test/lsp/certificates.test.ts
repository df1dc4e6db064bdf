/**
 * The server's otlpTls/certificatePlan and otlpTls/writeCertificates requests (what the VS Code
 * command uses), on the built server: the plan before the write, typed problems instead of text,
 * hostile CA files (FIFO, /dev/zero, 0 bytes) answered at once while the server stays responsive,
 * modes under umask 000, restricted mode, and the open config re-checked after the write.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificatePlanRequest, writeCertificatesRequest, type CertificatePlanParams } from '../../server/src/protocol';
import { LspClient } from '../support/lspClient';

const posix = process.platform !== 'win32';
const mode = (path: string) => statSync(path).mode & 0o777;
const request = (out: string, base?: string): CertificatePlanParams => ({ out, hosts: ['localhost', '127.0.0.1'], clients: ['client'], algorithm: 'ecdsa-p256', days: 365, ...(base ? { base } : {}) });

describe('certificate plan and write requests', () => {
  let dir: string;
  let client: LspClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-certreq-'));
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans a fresh folder, writes it, then plans reuse of the CA and the overwrites', async () => {
    const out = join(dir, 'certs');
    const plan = await client.connection.sendRequest(certificatePlanRequest, request(out, dir));
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.createsFolder, true);
    assert.equal(plan.reuseCa, false);
    assert.deepEqual(plan.files.map((f) => `${f.name}:${f.action}`), ['ca.crt:create', 'ca.key:create', 'server.crt:create', 'server.key:create', 'client.crt:create', 'client.key:create']);
    assert.ok(!existsSync(out), 'planning writes nothing');

    const written = await client.connection.sendRequest(writeCertificatesRequest, { ...request(out, dir), force: false });
    assert.ok(written.ok, JSON.stringify(written));
    assert.deepEqual(written.files.map((f) => [f.name, f.mode]), [['ca.crt', 0o644], ['ca.key', 0o600], ['server.crt', 0o644], ['server.key', 0o600], ['client.crt', 0o644], ['client.key', 0o600]]);
    if (posix) assert.equal(mode(join(out, 'server.key')), 0o600);

    const again = await client.connection.sendRequest(certificatePlanRequest, request(out, dir));
    assert.equal(again.reuseCa, true);
    assert.deepEqual(again.overwrites, ['server.crt', 'server.key', 'client.crt', 'client.key']);
    assert.deepEqual(again.files.filter((f) => f.action === 'reuse').map((f) => f.name), ['ca.crt', 'ca.key']);

    const refused = await client.connection.sendRequest(writeCertificatesRequest, { ...request(out, dir), force: false });
    assert.ok(!refused.ok);
    assert.equal(refused.problem.code, 'would-overwrite');
    assert.match(refused.problem.message, /not overwriting existing certs\/server\.crt, certs\/server\.key, certs\/client\.crt, certs\/client\.key; choose Replace to replace them/);
    const forced = await client.connection.sendRequest(writeCertificatesRequest, { ...request(out, dir), force: true });
    assert.ok(forced.ok && forced.reusedCa);
  });

  it('invalid params come back as an invalid-request problem, not an error', async () => {
    for (const params of [{ ...request(join(dir, 'x')), hosts: ['https://c:4317'] }, { ...request('relative/dir') }, { ...request(join(dir, 'x')), days: 0 }, { out: 5 } as unknown as CertificatePlanParams]) {
      const plan = await client.connection.sendRequest(certificatePlanRequest, params);
      assert.deepEqual(plan.problems.map((p) => p.code), ['invalid-request'], JSON.stringify(plan));
      const written = await client.connection.sendRequest(writeCertificatesRequest, { ...params, force: true });
      assert.ok(!written.ok && written.problem.code === 'invalid-request');
    }
    assert.ok(!existsSync(join(dir, 'x')));
  });

  const hostile: [string, (ca: string) => void, string, boolean][] = [
    ['a FIFO as ca.key', (folder) => assert.equal(spawnSync('mkfifo', [join(folder, 'ca.key')]).status, 0), 'ca-not-regular', false],
    ['a link to /dev/zero as ca.key', (folder) => symlinkSync('/dev/zero', join(folder, 'ca.key')), 'ca-not-regular', false],
    ['a 0-byte ca.key', (folder) => writeFileSync(join(folder, 'ca.key'), ''), 'ca-incomplete', true],
  ];
  for (const [name, make, code, forceResolves] of hostile) {
    it(`${name}: the plan names it (${code}) at once, the server keeps answering`, { skip: !posix && 'POSIX' }, async () => {
      const out = join(dir, name.replace(/\W+/g, '-'));
      mkdirSync(out);
      writeFileSync(join(out, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      make(out);
      const plan = await client.connection.sendRequest(certificatePlanRequest, request(out, dir));
      assert.deepEqual(plan.problems.map((p) => [p.code, p.force]), [[code, forceResolves]], JSON.stringify(plan.problems));
      assert.match(plan.problems[0].message, /ca\.key/);
      const unforced = await client.connection.sendRequest(writeCertificatesRequest, { ...request(out, dir), force: false });
      assert.ok(!unforced.ok && unforced.problem.code === code);
      const forced = await client.connection.sendRequest(writeCertificatesRequest, { ...request(out, dir), force: true });
      if (forceResolves) {
        assert.ok(forced.ok && forced.replacedCa, JSON.stringify(forced));
        assert.equal(mode(join(out, 'ca.key')), 0o600);
      } else {
        assert.ok(!forced.ok && forced.problem.code === code);
        assert.match(forced.problem.message, /Replace does not, as it is not a file this command writes/);
        assert.ok(!lstatSync(join(out, 'ca.key')).isFile(), 'left as it was');
      }
      // Alive and answering.
      const uri = client.open(join(dir, `${out}-alive.yaml`), 'exporters:\n  otlp:\n    endpoint: c:14317\n    tls:\n      insecure_skip_verify: true\n');
      assert.deepEqual((await client.diagnostics(uri)).diagnostics.map((d) => d.code), ['insecure-skip-verify']);
    });
  }

  it('the open config wired to the new files is re-checked after the write, with no notification from the client', async () => {
    const config = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: wired/server.crt\n          key_file: wired/server.key\n          client_ca_file: wired/ca.crt\n';
    writeFileSync(join(dir, 'wired.yaml'), config);
    const uri = client.open(join(dir, 'wired.yaml'), config);
    const codes = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.map((d) => String(d.code));
    await client.diagnostics(uri, (p) => codes(p).filter((c) => c === 'file-not-found').length === 3);
    const written = await client.connection.sendRequest(writeCertificatesRequest, { ...request(join(dir, 'wired'), dir), force: false });
    assert.ok(written.ok);
    const clean = await client.diagnostics(uri, (p) => !codes(p).includes('file-not-found'));
    assert.deepEqual(codes(clean), [], JSON.stringify(clean.diagnostics));
  });
});

describe('certificate requests under umask 000 and in restricted mode', { skip: !posix && 'POSIX umask' }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-certumask-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a server started under umask 000 makes folders 0700 and keys 0600', async () => {
    const client = await LspClient.start(dir, {}, {}, {}, { wrapper: ['sh', '-c', 'umask 000 && exec "$0" "$@"'] });
    try {
      const out = join(dir, 'deep', 'er', 'certs');
      const written = await client.connection.sendRequest(writeCertificatesRequest, { ...request(out, dir), force: false });
      assert.ok(written.ok, JSON.stringify(written));
      for (const folder of [join(dir, 'deep'), join(dir, 'deep', 'er'), out]) assert.equal(mode(folder), 0o700, folder);
      for (const key of ['ca.key', 'server.key', 'client.key']) assert.equal(mode(join(out, key)), 0o600);
      for (const cert of ['ca.crt', 'server.crt', 'client.crt']) assert.equal(mode(join(out, cert)), 0o644);
    } finally {
      await client.stop();
    }
  });

  it('an untrusted workspace: the plan and the write say untrusted-workspace and nothing is written', async () => {
    const client = await LspClient.start(dir, {}, { trusted: false });
    try {
      const out = join(dir, 'untrusted');
      const plan = await client.connection.sendRequest(certificatePlanRequest, request(out, dir));
      assert.deepEqual(plan.problems.map((p) => p.code), ['untrusted-workspace']);
      const written = await client.connection.sendRequest(writeCertificatesRequest, { ...request(out, dir), force: true });
      assert.ok(!written.ok && written.problem.code === 'untrusted-workspace');
      assert.ok(!existsSync(out));
    } finally {
      await client.stop();
    }
  });
});

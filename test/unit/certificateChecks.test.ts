/**
 * Per-file certificate and key checks, on the collector side and the env side, with certificates
 * generated at test time and an in-memory file system. Each code has a case that fails without it.
 */
import { before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { check, expected, summary } from '../support/check';
import { marked } from '../support/markers';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';
import { ca, client, days, intermediate, issue, server, type Issued } from '../support/certificates';
import { clearCertificateCache } from '../../server/src/service/certificates/certificateFiles';
import type { Problem } from '../../server/src/service/languageTypes';

let root: Issued;
let other: Issued;
let srv: Issued;
let cli: Issued;
let files: Record<string, string | Uint8Array | MemoryFile>;

before(async () => {
  root = await ca('Test Root CA');
  other = await ca('Other CA');
  srv = await server(root, ['otel-collector', 'localhost']);
  cli = await client(root);
});

beforeEach(() => {
  clearCertificateCache();
  files = {
    '/certs/ca.crt': root.pem,
    '/certs/server.crt': srv.pem,
    '/certs/server.key': { contents: srv.keyPem, mode: 0o600 },
    '/certs/client.crt': cli.pem,
    '/certs/client.key': { contents: cli.keyPem, mode: 0o600 },
  };
});

const RECEIVER = (tls: string) => `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n${tls}`;

function run(source: string, extra: Record<string, string | Uint8Array | MemoryFile> = {}, options: { path?: string; settings?: object; now?: Date } = {}) {
  const { text, ranges } = marked(source);
  const runtime = memoryRuntime({ files: { ...files, ...extra }, now: options.now ?? new Date() });
  const problems = check(text, { path: options.path ?? '/work/collector.yaml', runtime, settings: options.settings });
  return { problems, ranges, runtime, text };
}

/** Asserts that `code` is reported exactly on the ⟦marked⟧ ranges; returns those problems. */
function expectCode(source: string, code: string, extra: Record<string, string | Uint8Array | MemoryFile> = {}, options: { path?: string; settings?: object; now?: Date } = {}): Problem[] {
  const { problems, ranges } = run(source, extra, options);
  assert.deepEqual(summary(problems, [code]), ranges.map((r) => expected(code, r)), JSON.stringify(problems, null, 1));
  return problems.filter((p) => p.code === code);
}

const CERT_CODES = ['file-not-found', 'file-unreadable', 'file-too-large', 'not-a-certificate', 'not-a-private-key', 'encrypted-key', 'key-mismatch', 'cert-expired', 'cert-not-yet-valid', 'cert-expiring-soon', 'not-a-ca', 'weak-key', 'weak-signature', 'cn-only', 'missing-eku', 'key-permissions', 'incomplete-pair'];

describe('a clean mTLS receiver', () => {
  it('gets no certificate diagnostics', () => {
    const { problems } = run(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: /certs/ca.crt\n'));
    assert.deepEqual(summary(problems, CERT_CODES), []);
  });
});

describe('file-not-found and path resolution', () => {
  it('reports a missing file on its value', () => {
    const [p] = expectCode(RECEIVER('          cert_file: ⟦/certs/nope.crt⟧\n          key_file: /certs/server.key\n'), 'file-not-found');
    assert.match(p.message, /does not exist/);
  });
  it('resolves relative paths against the config folder, then the workspace roots', () => {
    const source = RECEIVER('          cert_file: certs/server.crt\n          key_file: ⟦certs/missing.key⟧\n');
    const extra = { '/work/certs/server.crt': srv.pem, '/root2/certs/missing.key': { contents: srv.keyPem, mode: 0o600 } };
    expectCode(source, 'file-not-found', extra);
    const { problems } = run(source.replace(/[⟦⟧]/g, ''), extra, { settings: { workspaceRoots: ['/root2'] } });
    assert.deepEqual(summary(problems, CERT_CODES), []);
  });
  it('applies path mappings on the prefix first', () => {
    const source = RECEIVER('          cert_file: /etc/otel/certs/server.crt\n          key_file: /etc/otel/certs/server.key\n');
    const { problems } = run(source, {}, { settings: { pathMappings: [{ from: '/etc/otel/certs', to: '/certs' }] } });
    assert.deepEqual(summary(problems, CERT_CODES), []);
    assert.equal(summary(run(source).problems, ['file-not-found']).length, 2);
  });
  it('expands ${env:...} in the path', () => {
    const { text } = marked(RECEIVER('          cert_file: ${env:CERTS}/server.crt\n          key_file: ${env:CERTS}/server.key\n'));
    const runtime = memoryRuntime({ files, now: new Date(), env: { CERTS: '/certs' } });
    assert.deepEqual(summary(check(text, { runtime }), CERT_CODES), []);
  });
  it('skips client blocks the Collector never loads (insecure: true, no CA)', () => {
    const { problems } = run('exporters:\n  otlp:\n    endpoint: gw:4317\n    tls:\n      insecure: true\n      cert_file: /nope.crt\n      key_file: /nope.key\n');
    assert.deepEqual(summary(problems, CERT_CODES), []);
  });
});

describe('files that are not regular, too large or unreadable', () => {
  it('never reads a directory or a FIFO', () => {
    const source = RECEIVER('          cert_file: ⟦/certs/dir⟧\n          key_file: ⟦/certs/fifo⟧\n');
    const { problems, ranges, runtime } = run(source, { '/certs/dir': { contents: '', kind: 'directory' }, '/certs/fifo': { contents: '', kind: 'other' } });
    assert.deepEqual(summary(problems, ['file-unreadable']), ranges.map((r) => expected('file-unreadable', r)));
    assert.match(problems.find((p) => p.code === 'file-unreadable')!.message, /directory/);
    assert.ok(!runtime.reads.includes('/certs/dir') && !runtime.reads.includes('/certs/fifo'));
  });
  it('does not read files over 1 MiB', () => {
    const { problems, runtime } = run(RECEIVER('          cert_file: /certs/big.crt\n          key_file: /certs/server.key\n'), { '/certs/big.crt': new Uint8Array(2 * 1024 * 1024) });
    assert.equal(summary(problems, ['file-too-large']).length, 1);
    assert.ok(!runtime.reads.includes('/certs/big.crt'));
  });
  it('reports a file that cannot be read', () => {
    const { text } = marked(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n'));
    const runtime = memoryRuntime({ files, now: new Date() });
    const readFile = runtime.fileSystem.readFile;
    runtime.fileSystem.readFile = (path: string) => {
      if (path.endsWith('.key')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return readFile(path);
    };
    const problems = check(text, { runtime });
    assert.match(problems.find((p) => p.code === 'file-unreadable')!.message, /permission denied/);
  });
});

describe('not-a-certificate', () => {
  const source = RECEIVER('          cert_file: ⟦/certs/bad.crt⟧\n          key_file: /certs/server.key\n');
  it('DER where PEM is needed', () => {
    const der = new Uint8Array(new X509Certificate(srv.pem).raw);
    const [p] = expectCode(source, 'not-a-certificate', { '/certs/bad.crt': der });
    assert.match(p.message, /DER/);
  });
  it('a key where a certificate is needed (swapped paths)', () => {
    const [p] = expectCode(source, 'not-a-certificate', { '/certs/bad.crt': srv.keyPem });
    assert.match(p.message, /private key, not a certificate.*PEM inputs may have been switched/);
  });
  it('garbage, and an empty file', () => {
    assert.match(expectCode(source, 'not-a-certificate', { '/certs/bad.crt': 'hello world\n' })[0].message, /no PEM data/);
    assert.match(expectCode(source, 'not-a-certificate', { '/certs/bad.crt': '' })[0].message, /empty/);
  });
  it('a CERTIFICATE block that does not parse', () => {
    const [p] = expectCode(source, 'not-a-certificate', { '/certs/bad.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' });
    assert.match(p.message, /does not parse/);
  });
  it('a UTF-8 byte order mark (Go finds no PEM data)', () => {
    const [p] = expectCode(source, 'not-a-certificate', { '/certs/bad.crt': '\ufeff' + srv.pem });
    assert.match(p.message, /byte order mark/);
  });
  it('a CA file without certificates', () => {
    expectCode(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: ⟦/certs/bad.crt⟧\n'), 'not-a-certificate', { '/certs/bad.crt': cli.keyPem });
  });
});

describe('private keys', () => {
  const source = RECEIVER('          cert_file: /certs/server.crt\n          key_file: ⟦/certs/bad.key⟧\n');
  it('not-a-private-key: a certificate in key_file, and garbage', () => {
    assert.match(expectCode(source, 'not-a-private-key', { '/certs/bad.key': { contents: srv.pem, mode: 0o600 } })[0].message, /holds a certificate/);
    expectCode(source, 'not-a-private-key', { '/certs/bad.key': { contents: 'nope', mode: 0o600 } });
  });
  it('encrypted-key: PKCS#8 and legacy Proc-Type', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    assert.match(expectCode(source, 'encrypted-key', { '/certs/bad.key': { contents: privateKey, mode: 0o600 } })[0].message, /failed to parse private key/);
    const legacy = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'secret' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    assert.match(legacy.privateKey, /Proc-Type: 4,ENCRYPTED/);
    expectCode(source, 'encrypted-key', { '/certs/bad.key': { contents: legacy.privateKey, mode: 0o600 } });
  });
  it('key-permissions: a key readable by group or others', () => {
    const [p] = expectCode(source, 'key-permissions', { '/certs/bad.key': { contents: srv.keyPem, mode: 0o644 } });
    assert.match(p.message, /others.*644/);
    expectCode(source.replace(/[⟦⟧]/g, ''), 'key-permissions', { '/certs/bad.key': { contents: srv.keyPem, mode: 0o600 } });
  });
  it('key-mismatch: the key of another certificate, with related pointing at cert_file', () => {
    const [p] = expectCode(source, 'key-mismatch', { '/certs/bad.key': { contents: cli.keyPem, mode: 0o600 } });
    assert.match(p.message, /does not belong to CN=otel-collector/);
    assert.equal(p.related?.[0].path, '/work/collector.yaml');
    assert.equal(p.related?.[0].range.start.line, 6);
  });
  it('key-mismatch: the CA first in cert_file', () => {
    const [p] = expectCode(RECEIVER('          cert_file: /certs/chain.crt\n          key_file: ⟦/certs/server.key⟧\n'), 'key-mismatch', { '/certs/chain.crt': root.pem + srv.pem });
    assert.match(p.message, /only the first certificate counts/);
  });
});

describe('validity', () => {
  const source = RECEIVER('          cert_file: ⟦/certs/s.crt⟧\n          key_file: /certs/s.key\n');
  it('cert-expired', async () => {
    const s = await server(root, ['localhost'], { notBefore: days(-30), notAfter: days(-1) });
    assert.match(expectCode(source, 'cert-expired', { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } })[0].message, /expired on/);
  });
  it('cert-not-yet-valid', async () => {
    const s = await server(root, ['localhost'], { notBefore: days(2), notAfter: days(60) });
    expectCode(source, 'cert-not-yet-valid', { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
  });
  it('cert-expiring-soon, by the expiryWarningDays setting', async () => {
    const s = await server(root, ['localhost'], { notAfter: days(10) });
    const extra = { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } };
    expectCode(source, 'cert-expiring-soon', extra);
    expectCode(source.replace(/[⟦⟧]/g, ''), 'cert-expiring-soon', extra, { settings: { expiryWarningDays: 5 } });
  });
  it('is judged against runtime.now(), not the wall clock', () => {
    expectCode(source, 'cert-expired', { '/certs/s.crt': srv.pem, '/certs/s.key': { contents: srv.keyPem, mode: 0o600 } }, { now: days(400) });
  });
  it('an expired CA in client_ca_file', async () => {
    const old = await ca('Old CA', { notBefore: days(-400), notAfter: days(-2) });
    expectCode(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: ⟦/certs/old.crt⟧\n'), 'cert-expired', { '/certs/old.crt': old.pem });
  });
});

describe('certificate contents', () => {
  it('not-a-ca: a leaf in a CA file', () => {
    const [p] = expectCode(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: ⟦/certs/client.crt⟧\n'), 'not-a-ca');
    assert.match(p.message, /not a CA/);
  });
  it('not-a-ca: a non-CA certificate after the leaf in cert_file', () => {
    expectCode(RECEIVER('          cert_file: ⟦/certs/chain.crt⟧\n          key_file: /certs/server.key\n'), 'not-a-ca', { '/certs/chain.crt': srv.pem + cli.pem });
  });
  it('weak-key: RSA 1024', async () => {
    const s = await server(root, ['localhost'], { key: 'rsa1024' });
    const [p] = expectCode(RECEIVER('          cert_file: ⟦/certs/s.crt⟧\n          key_file: /certs/s.key\n'), 'weak-key', { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
    assert.match(p.message, /RSA 1024-bit/);
  });
  it('weak-signature: a SHA-1 signed leaf', async () => {
    const s = await server(root, ['localhost'], { hash: 'SHA-1' });
    const [p] = expectCode(RECEIVER('          cert_file: ⟦/certs/s.crt⟧\n          key_file: /certs/s.key\n'), 'weak-signature', { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
    assert.match(p.message, /ECDSA-SHA1/);
  });
  it('cn-only: a server certificate without SANs', async () => {
    const s = await issue({ subject: 'otel-collector', issuer: root, eku: ['serverAuth'] });
    const [p] = expectCode(RECEIVER('          cert_file: ⟦/certs/s.crt⟧\n          key_file: /certs/s.key\n'), 'cn-only', { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
    assert.match(p.message, /legacy Common Name/);
  });
  it('missing-eku: a clientAuth-only certificate served by a receiver', () => {
    const [p] = expectCode(RECEIVER('          cert_file: ⟦/certs/client.crt⟧\n          key_file: /certs/client.key\n'), 'missing-eku');
    assert.match(p.message, /lacks serverAuth/);
  });
  it('missing-eku: a serverAuth-only certificate used as an exporter client certificate', () => {
    expectCode('exporters:\n  otlp:\n    endpoint: gw:4317\n    tls:\n      ca_file: /certs/ca.crt\n      cert_file: ⟦/certs/server.crt⟧\n      key_file: /certs/server.key\n', 'missing-eku');
  });
  it('an intermediate chain in cert_file is fine', async () => {
    const mid = await intermediate(root);
    const s = await server(mid, ['localhost']);
    const { problems } = run(RECEIVER('          cert_file: /certs/s.crt\n          key_file: /certs/s.key\n'), { '/certs/s.crt': s.pem + mid.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
    assert.deepEqual(summary(problems, CERT_CODES), []);
  });
  it('checks service.telemetry exporters (certificate, client_certificate, client_key)', () => {
    const source = 'receivers:\n  otlp:\n    protocols:\n      grpc:\nservice:\n  telemetry:\n    traces:\n      processors:\n        - batch:\n            exporter:\n              otlp:\n                endpoint: https://backend:4317\n                certificate: ⟦/certs/nope.crt⟧\n                client_certificate: /certs/client.crt\n                client_key: /certs/client.key\n';
    expectCode(source, 'file-not-found');
  });
});

describe('cache', () => {
  it('parses a file once per path, size and mtime', () => {
    const source = RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n');
    const { text } = marked(source);
    const runtime = memoryRuntime({ files, now: new Date() });
    check(text, { runtime });
    check(text, { runtime });
    assert.equal(runtime.reads.filter((r) => r === '/certs/server.crt').length, 1);
    const changed = memoryRuntime({ files: { ...files, '/certs/server.crt': { contents: srv.pem, mtimeMs: 5 } }, now: new Date() });
    check(text, { runtime: changed });
    assert.equal(changed.reads.filter((r) => r === '/certs/server.crt').length, 1);
  });
});

describe('env files', () => {
  const ENV = '/work/app.env';
  it('checks each file variable on its value, per-signal ones too', () => {
    const source = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=⟦/certs/missing.crt⟧\nOTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY=/certs/client.key\nOTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE=⟦/certs/nope.crt⟧\n';
    expectCode(source, 'file-not-found', {}, { path: ENV });
  });
  it('incomplete-pair: a client certificate without its key', () => {
    const [p] = expectCode('OTEL_EXPORTER_OTLP_ENDPOINT=https://c:4317\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=⟦/certs/client.crt⟧\n', 'incomplete-pair', {}, { path: ENV });
    assert.match(p.message, /OTEL_EXPORTER_OTLP_CLIENT_KEY is not/);
    expectCode('OTEL_EXPORTER_OTLP_CLIENT_KEY=⟦"/certs/client.key"⟧\nOTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE=/certs/client.crt\n', 'incomplete-pair', {}, { path: ENV });
    assert.equal(p.severity, undefined, 'a warning when the SDK is not named');
    const [java] = expectCode('# otlp-tls: sdk=java\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=⟦/certs/client.crt⟧\n', 'incomplete-pair', {}, { path: ENV });
    assert.equal(java.severity, 'error', 'the Java SDK does not start');
  });
  it('key-mismatch between CLIENT_KEY and CLIENT_CERTIFICATE', () => {
    const [p] = expectCode('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=⟦/certs/server.key⟧\n', 'key-mismatch', {}, { path: ENV });
    assert.equal(p.related?.[0].range.start.line, 0);
  });
  it('relative env paths resolve against the env file folder', () => {
    const { problems } = run('OTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n', { '/work/certs/ca.crt': root.pem }, { path: ENV });
    assert.deepEqual(summary(problems, CERT_CODES), []);
  });
  it('skips values holding ${VAR}', () => {
    const { problems } = run('OTEL_EXPORTER_OTLP_CERTIFICATE=${CERTS}/ca.crt\n', {}, { path: ENV });
    assert.deepEqual(summary(problems, CERT_CODES), []);
  });
  it('not-a-ca and expiry in OTEL_EXPORTER_OTLP_CERTIFICATE', async () => {
    expectCode('OTEL_EXPORTER_OTLP_CERTIFICATE=⟦/certs/server.crt⟧\n', 'not-a-ca', {}, { path: ENV });
    void other;
  });
});

describe('inline PEM and TPM keys (configtls cert_pem/key_pem/ca_pem, tpm)', () => {
  const TSS2 = '-----BEGIN TSS2 PRIVATE KEY-----\nMIIBAAAA\n-----END TSS2 PRIVATE KEY-----\n';
  it('a TSS2 PRIVATE KEY with tpm.enabled: true is the TPM\'s key, not not-a-private-key', () => {
    const { problems } = run(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/tpm.key\n          tpm:\n            enabled: true\n            path: /dev/tpmrm0\n'), { '/certs/tpm.key': { contents: TSS2, mode: 0o600 } });
    assert.deepEqual(summary(problems, ['not-a-private-key', 'key-mismatch']), []);
  });
  it('the same key without tpm.enabled is not-a-private-key, naming tpm.enabled', () => {
    const [p] = expectCode(RECEIVER('          cert_file: /certs/server.crt\n          key_file: ⟦/certs/tpm.key⟧\n'), 'not-a-private-key', { '/certs/tpm.key': { contents: TSS2, mode: 0o600 } });
    assert.match(p.message, /TSS2 PRIVATE KEY.*tpm\.enabled: true/);
  });
  it('cert_pem as a block scalar is checked as the certificate it holds', async () => {
    const old = await server(root, ['otel-collector'], { notBefore: days(-60), notAfter: days(-1) });
    const block = old.pem.trimEnd().split('\n').map((l) => `            ${l}`).join('\n');
    const { problems } = run(RECEIVER(`          cert_pem: |\n${block}\n          key_file: /certs/server.key\n`));
    assert.ok(problems.some((p) => p.code === 'cert-expired'), JSON.stringify(problems.map((p) => p.code)));
  });
  it('cert_pem on one line with literal \\n is not-a-certificate, saying why', () => {
    const oneLine = srv.pem.trimEnd().replace(/\n/g, '\\n');
    const [p] = expectCode(RECEIVER(`          cert_pem: ⟦'${oneLine}'⟧\n          key_file: /certs/server.key\n`), 'not-a-certificate');
    assert.match(p.message, /literal "\\n" sequences instead of line breaks/);
  });
  it('cert_pem: ${file:…} reads the file the Collector would read', async () => {
    const old = await server(root, ['otel-collector'], { notBefore: days(-60), notAfter: days(-1) });
    const { problems } = run(RECEIVER('          cert_pem: ${file:/certs/old.crt}\n          key_file: /certs/server.key\n'), { '/certs/old.crt': old.pem });
    assert.ok(problems.some((p) => p.code === 'cert-expired' && /cert_pem/.test(p.message)), JSON.stringify(problems.map((p) => `${p.code}: ${p.message}`)));
  });
});

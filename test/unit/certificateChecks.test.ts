/**
 * Per-file certificate and key checks, on the collector side and the env side, with certificates
 * generated at test time and an in-memory file system. Each code has a case that fails without it.
 */
import { before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { assertProblems, check, summary, workspaceOf } from '../support/check';
import { marked } from '../support/markers';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';
import { ca, client, days, intermediate, issue, server, type Issued } from '../support/certificates';
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
  files = {
    '/certs/ca.crt': root.pem,
    '/certs/server.crt': srv.pem,
    '/certs/server.key': { contents: srv.keyPem, mode: 0o600 },
    '/certs/client.crt': cli.pem,
    '/certs/client.key': { contents: cli.keyPem, mode: 0o600 },
  };
});

/**
 * A gRPC receiver with these tls: lines. Without client_ca_file it also gets mtls-not-enforced, on its
 * `tls` key, which is marked: every assertion here is on the whole list of problems.
 */
const RECEIVER = (tls: string) => `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        ${tls.includes('client_ca_file') ? 'tls' : '⟦tls⟧'}:\n${tls}`;
const MTLS = 'mtls-not-enforced';

function run(source: string, extra: Record<string, string | Uint8Array | MemoryFile> = {}, options: { path?: string; settings?: object; now?: Date } = {}) {
  const { text, ranges } = marked(source);
  const runtime = memoryRuntime({ files: { ...files, ...extra }, now: options.now ?? new Date() });
  const problems = check(text, { path: options.path ?? '/work/collector.yaml', runtime, settings: options.settings });
  return { problems, ranges, runtime, text };
}

/**
 * Asserts that the problems are exactly `codes` on the ⟦marked⟧ ranges (in order; a list for several on
 * one range), nothing else; returns the problems of the last code (the one the test is about).
 */
function expectCodes(source: string, codes: (string | string[])[], extra: Record<string, string | Uint8Array | MemoryFile> = {}, options: { path?: string; settings?: object; now?: Date } = {}): Problem[] {
  const { problems, ranges, text } = run(source, extra, options);
  assertProblems(problems, codes, ranges, JSON.stringify(text));
  const last = [codes[codes.length - 1]].flat()[0];
  return problems.filter((p) => p.code === last);
}

describe('a clean mTLS receiver', () => {
  it('gets no certificate diagnostics', () => {
    const { problems } = run(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: /certs/ca.crt\n'));
    assert.deepEqual(summary(problems), []);
  });
});

describe('file-not-found and path resolution', () => {
  it('reports a missing file on its value', () => {
    const [p] = expectCodes(RECEIVER('          cert_file: ⟦/certs/nope.crt⟧\n          key_file: /certs/server.key\n'), [MTLS, 'file-not-found']);
    assert.match(p.message, /does not exist/);
  });
  it('resolves relative paths against the config folder, then the workspace roots', () => {
    const source = RECEIVER('          cert_file: certs/server.crt\n          key_file: ⟦certs/missing.key⟧\n');
    const extra = { '/work/certs/server.crt': srv.pem, '/root2/certs/missing.key': { contents: srv.keyPem, mode: 0o600 } };
    expectCodes(source, [MTLS, 'file-not-found'], extra);
    expectCodes(source.replace('⟦certs/missing.key⟧', 'certs/missing.key'), [MTLS], extra, { settings: { workspaceRoots: ['/root2'] } });
  });
  it('applies path mappings on the prefix first', () => {
    const source = RECEIVER('          cert_file: /etc/otel/certs/server.crt\n          key_file: /etc/otel/certs/server.key\n');
    expectCodes(source, [MTLS], {}, { settings: { pathMappings: [{ from: '/etc/otel/certs', to: '/certs' }] } });
    expectCodes(source.replace(/(\/etc\/otel\/certs\/server\.(crt|key))/g, '⟦$1⟧'), [MTLS, 'file-not-found', 'file-not-found']);
  });
  it('expands ${env:...} in the path', () => {
    const { text, ranges } = marked(RECEIVER('          cert_file: ${env:CERTS}/server.crt\n          key_file: ${env:CERTS}/server.key\n'));
    const runtime = memoryRuntime({ files, now: new Date(), env: { CERTS: '/certs' } });
    assertProblems(check(text, { runtime }), [MTLS], ranges);
  });
  it('skips client blocks the Collector never loads (insecure: true, no CA)', () => {
    const { problems } = run('exporters:\n  otlp:\n    endpoint: gw:4317\n    tls:\n      insecure: true\n      cert_file: /nope.crt\n      key_file: /nope.key\n');
    assert.deepEqual(summary(problems), []);
  });
});

describe('files that are not regular, too large or unreadable', () => {
  it('never reads a directory or a FIFO', () => {
    const source = RECEIVER('          cert_file: ⟦/certs/dir⟧\n          key_file: ⟦/certs/fifo⟧\n');
    const { problems, ranges, runtime } = run(source, { '/certs/dir': { contents: '', kind: 'directory' }, '/certs/fifo': { contents: '', kind: 'other' } });
    assertProblems(problems, [MTLS, 'file-unreadable', 'file-unreadable'], ranges);
    assert.match(problems[1].message, /directory/);
    assert.match(problems[2].message, /this is not a regular file, not a certificate file; name the file itself\. .* is a FIFO, socket or device/);
    assert.ok(!runtime.reads.includes('/certs/dir') && !runtime.reads.includes('/certs/fifo'));
  });
  it('does not read files over 1 MiB', () => {
    const { problems, ranges, runtime } = run(RECEIVER('          cert_file: ⟦/certs/big.crt⟧\n          key_file: /certs/server.key\n'), { '/certs/big.crt': new Uint8Array(2 * 1024 * 1024) });
    assertProblems(problems, [MTLS, 'file-too-large'], ranges);
    assert.ok(!runtime.reads.includes('/certs/big.crt'));
  });
  it('reports a file that cannot be read', () => {
    const { text, ranges } = marked(RECEIVER('          cert_file: /certs/server.crt\n          key_file: ⟦/certs/server.key⟧\n'));
    const runtime = memoryRuntime({ files, now: new Date() });
    const readFile = runtime.fileSystem.readFile;
    runtime.fileSystem.readFile = (path: string) => {
      if (path.endsWith('.key')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return readFile(path);
    };
    const problems = assertProblems(check(text, { runtime }), [MTLS, 'file-unreadable'], ranges);
    assert.match(problems[1].message, /permission denied/);
  });
});

describe('not-a-certificate', () => {
  const source = RECEIVER('          cert_file: ⟦/certs/bad.crt⟧\n          key_file: /certs/server.key\n');
  it('DER where PEM is needed', () => {
    const der = new Uint8Array(new X509Certificate(srv.pem).raw);
    const [p] = expectCodes(source, [MTLS, 'not-a-certificate'], { '/certs/bad.crt': der });
    assert.match(p.message, /DER/);
  });
  it('a key where a certificate is needed (swapped paths)', () => {
    const [p] = expectCodes(source, [MTLS, 'not-a-certificate'], { '/certs/bad.crt': srv.keyPem });
    assert.match(p.message, /private key, not a certificate.*PEM inputs may have been switched/);
  });
  it('garbage, and an empty file', () => {
    assert.match(expectCodes(source, [MTLS, 'not-a-certificate'], { '/certs/bad.crt': 'hello world\n' })[0].message, /no PEM data/);
    assert.match(expectCodes(source, [MTLS, 'not-a-certificate'], { '/certs/bad.crt': '' })[0].message, /empty/);
  });
  it('a CERTIFICATE block that does not parse', () => {
    const [p] = expectCodes(source, [MTLS, 'not-a-certificate'], { '/certs/bad.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' });
    assert.match(p.message, /does not parse/);
  });
  it('a UTF-8 byte order mark (Go finds no PEM data)', () => {
    const [p] = expectCodes(source, [MTLS, 'not-a-certificate'], { '/certs/bad.crt': '\ufeff' + srv.pem });
    assert.match(p.message, /byte order mark/);
  });
  it('a CA file without certificates', () => {
    expectCodes(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: ⟦/certs/bad.crt⟧\n'), ['not-a-certificate'], { '/certs/bad.crt': cli.keyPem });
  });
});

describe('private keys', () => {
  const source = RECEIVER('          cert_file: /certs/server.crt\n          key_file: ⟦/certs/bad.key⟧\n');
  it('not-a-private-key: a certificate in key_file, and garbage', () => {
    assert.match(expectCodes(source, [MTLS, 'not-a-private-key'], { '/certs/bad.key': { contents: srv.pem, mode: 0o600 } })[0].message, /holds a certificate/);
    expectCodes(source, [MTLS, 'not-a-private-key'], { '/certs/bad.key': { contents: 'nope', mode: 0o600 } });
  });
  it('encrypted-key: PKCS#8 and legacy Proc-Type', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    assert.match(expectCodes(source, [MTLS, 'encrypted-key'], { '/certs/bad.key': { contents: privateKey, mode: 0o600 } })[0].message, /failed to parse private key/);
    const legacy = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'secret' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    assert.match(legacy.privateKey, /Proc-Type: 4,ENCRYPTED/);
    expectCodes(source, [MTLS, 'encrypted-key'], { '/certs/bad.key': { contents: legacy.privateKey, mode: 0o600 } });
  });
  it('key-permissions: a key readable by group or others', () => {
    const [p] = expectCodes(source, [MTLS, 'key-permissions'], { '/certs/bad.key': { contents: srv.keyPem, mode: 0o644 } });
    assert.match(p.message, /others.*644/);
    expectCodes(source.replace('⟦/certs/bad.key⟧', '/certs/bad.key'), [MTLS], { '/certs/bad.key': { contents: srv.keyPem, mode: 0o600 } });
  });
  it('key-mismatch: the key of another certificate, with related pointing at cert_file', () => {
    const [p] = expectCodes(source, [MTLS, 'key-mismatch'], { '/certs/bad.key': { contents: cli.keyPem, mode: 0o600 } });
    assert.match(p.message, /this key does not belong to the certificate; .*It is not the key of CN=otel-collector/);
    assert.equal(p.related?.[0].path, '/work/collector.yaml');
    assert.equal(p.related?.[0].range.start.line, 6);
  });
  it('key-mismatch: the CA first in cert_file', () => {
    // The CA as the leaf also has no SAN, and the real leaf after it is no CA: both said on cert_file.
    const [p] = expectCodes(RECEIVER('          cert_file: ⟦/certs/chain.crt⟧\n          key_file: ⟦/certs/server.key⟧\n'), [MTLS, ['not-a-ca', 'cn-only'], 'key-mismatch'], { '/certs/chain.crt': root.pem + srv.pem });
    assert.match(p.message, /only the first certificate counts/);
  });
});

describe('validity', () => {
  const source = RECEIVER('          cert_file: ⟦/certs/s.crt⟧\n          key_file: /certs/s.key\n');
  it('cert-expired', async () => {
    const s = await server(root, ['localhost'], { notBefore: days(-30), notAfter: days(-1) });
    assert.match(expectCodes(source, [MTLS, 'cert-expired'], { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } })[0].message, /expired on/);
  });
  it('cert-not-yet-valid', async () => {
    const s = await server(root, ['localhost'], { notBefore: days(2), notAfter: days(60) });
    expectCodes(source, [MTLS, 'cert-not-yet-valid'], { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
  });
  it('cert-expiring-soon, by the expiryWarningDays setting', async () => {
    const s = await server(root, ['localhost'], { notAfter: days(10) });
    const extra = { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } };
    expectCodes(source, [MTLS, 'cert-expiring-soon'], extra);
    expectCodes(source.replace('⟦/certs/s.crt⟧', '/certs/s.crt'), [MTLS], extra, { settings: { expiryWarningDays: 5 } });
  });
  it('is judged against runtime.now(), not the wall clock', () => {
    expectCodes(source, [MTLS, 'cert-expired'], { '/certs/s.crt': srv.pem, '/certs/s.key': { contents: srv.keyPem, mode: 0o600 } }, { now: days(400) });
  });
  it('an expired CA in client_ca_file', async () => {
    const old = await ca('Old CA', { notBefore: days(-400), notAfter: days(-2) });
    expectCodes(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: ⟦/certs/old.crt⟧\n'), ['cert-expired'], { '/certs/old.crt': old.pem });
  });
});

describe('certificate contents', () => {
  it('not-a-ca: a leaf in a CA file', () => {
    const [p] = expectCodes(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: ⟦/certs/client.crt⟧\n'), ['not-a-ca']);
    assert.match(p.message, /not a CA/);
  });
  it('not-a-ca: a non-CA certificate after the leaf in cert_file', () => {
    expectCodes(RECEIVER('          cert_file: ⟦/certs/chain.crt⟧\n          key_file: /certs/server.key\n'), [MTLS, 'not-a-ca'], { '/certs/chain.crt': srv.pem + cli.pem });
  });
  it('weak-key: RSA 1024', async () => {
    const s = await server(root, ['localhost'], { key: 'rsa1024' });
    const [p] = expectCodes(RECEIVER('          cert_file: ⟦/certs/s.crt⟧\n          key_file: /certs/s.key\n'), [MTLS, 'weak-key'], { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
    assert.match(p.message, /RSA 1024-bit/);
  });
  it('weak-signature: a SHA-1 signed leaf', async () => {
    const s = await server(root, ['localhost'], { hash: 'SHA-1' });
    const [p] = expectCodes(RECEIVER('          cert_file: ⟦/certs/s.crt⟧\n          key_file: /certs/s.key\n'), [MTLS, 'weak-signature'], { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
    assert.match(p.message, /ECDSA-SHA1/);
  });
  it('cn-only: a server certificate without SANs', async () => {
    const s = await issue({ subject: 'otel-collector', issuer: root, eku: ['serverAuth'] });
    const [p] = expectCodes(RECEIVER('          cert_file: ⟦/certs/s.crt⟧\n          key_file: /certs/s.key\n'), [MTLS, 'cn-only'], { '/certs/s.crt': s.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
    assert.match(p.message, /legacy Common Name/);
  });
  it('missing-eku: a clientAuth-only certificate served by a receiver', () => {
    // A client certificate has no DNS SAN either: as a server certificate it is also cn-only.
    const [p] = expectCodes(RECEIVER('          cert_file: ⟦/certs/client.crt⟧\n          key_file: /certs/client.key\n'), [MTLS, ['missing-eku', 'cn-only']]);
    assert.match(p.message, /lacks the serverAuth extended key usage/);
  });
  it('missing-eku: a serverAuth-only certificate used as an exporter client certificate', () => {
    expectCodes('exporters:\n  otlp:\n    endpoint: gw:4317\n    tls:\n      ca_file: /certs/ca.crt\n      cert_file: ⟦/certs/server.crt⟧\n      key_file: /certs/server.key\n', ['missing-eku']);
  });
  it('an intermediate chain in cert_file is fine', async () => {
    const mid = await intermediate(root);
    const s = await server(mid, ['localhost']);
    expectCodes(RECEIVER('          cert_file: /certs/s.crt\n          key_file: /certs/s.key\n'), [MTLS], { '/certs/s.crt': s.pem + mid.pem, '/certs/s.key': { contents: s.keyPem, mode: 0o600 } });
  });
  it('checks service.telemetry exporters (certificate, client_certificate, client_key)', () => {
    const source = 'receivers:\n  otlp:\n    protocols:\n      grpc:\nservice:\n  telemetry:\n    traces:\n      processors:\n        - batch:\n            exporter:\n              otlp:\n                endpoint: https://backend:4317\n                certificate: ⟦/certs/nope.crt⟧\n                client_certificate: /certs/client.crt\n                client_key: /certs/client.key\n';
    expectCodes(source, ['file-not-found']);
  });
});

describe('cache', () => {
  it('stats a file once and parses it once per path, size and mtime, in the language service instance, until told it changed', () => {
    const { text } = marked(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n'));
    const runtime = memoryRuntime({ files, now: new Date() });
    const { service, parsed } = workspaceOf([{ path: '/work/collector.yaml', text }], { runtime });
    const stat = runtime.fileSystem.stat.bind(runtime.fileSystem);
    let stats = 0;
    let mtime: number | undefined;
    runtime.fileSystem.stat = (path: string) => {
      const found = stat(path);
      if (path === '/certs/server.crt') stats++;
      return path === '/certs/server.crt' && found && mtime !== undefined ? { ...found, mtimeMs: mtime } : found;
    };
    service.validate({ path: '/work/collector.yaml', text }, parsed[0]);
    service.validate({ path: '/work/collector.yaml', text }, parsed[0]);
    assert.equal(runtime.reads.filter((r) => r === '/certs/server.crt').length, 1);
    assert.equal(stats, 1, 'one stat of the path for the two validations');
    // The file changes on disk (a new mtime): unknown to the service until the adapter says so (the server's watcher)...
    mtime = 5;
    service.validate({ path: '/work/collector.yaml', text }, parsed[0]);
    assert.equal(runtime.reads.filter((r) => r === '/certs/server.crt').length, 1);
    // ... then it is statted and read again.
    service.fileChanged('/certs/server.crt');
    service.validate({ path: '/work/collector.yaml', text }, parsed[0]);
    assert.equal(stats, 2);
    assert.equal(runtime.reads.filter((r) => r === '/certs/server.crt').length, 2);
    // Another service (new settings, another workspace state) has caches of its own.
    workspaceOf([{ path: '/work/collector.yaml', text }], { runtime }).service.validate({ path: '/work/collector.yaml', text });
    assert.equal(runtime.reads.filter((r) => r === '/certs/server.crt').length, 3);
  });
});

describe('env files', () => {
  const ENV = '/work/app.env';
  it('checks each file variable on its value, per-signal ones too', () => {
    // Port 4317 without a protocol: the note on the endpoint says which SDKs default to which; and no
    // collector config is open, so the endpoint pairs with no listener (information, no-listener).
    const source = 'OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=⟦/certs/missing.crt⟧\nOTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY=/certs/client.key\nOTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE=⟦/certs/nope.crt⟧\n';
    expectCodes(source, [['no-listener', 'port-protocol-mismatch'], 'file-not-found', 'file-not-found'], {}, { path: ENV });
  });
  it('incomplete-pair: a client certificate without its key', () => {
    const [p] = expectCodes('OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://c:4317⟧\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=⟦/certs/client.crt⟧\n', [['no-listener', 'port-protocol-mismatch'], 'incomplete-pair'], {}, { path: ENV });
    assert.match(p.message, /OTEL_EXPORTER_OTLP_CLIENT_KEY is not/);
    // Without an endpoint in the file, the files may also have no effect (information).
    expectCodes('OTEL_EXPORTER_OTLP_CLIENT_KEY=⟦"/certs/client.key"⟧\nOTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE=⟦/certs/client.crt⟧\n', [['incomplete-pair', 'tls-ignored'], 'tls-ignored'], {}, { path: ENV });
    assert.equal(p.severity, undefined, 'a warning when the SDK is not named');
    const [java] = expectCodes('# otlp-tls: sdk=java\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=⟦/certs/client.crt⟧\n', [['incomplete-pair', 'tls-ignored']], {}, { path: ENV }).filter((q) => q.code === 'incomplete-pair');
    assert.equal(java.severity, 'error', 'the Java SDK does not start');
  });
  it('key-mismatch between CLIENT_KEY and CLIENT_CERTIFICATE', () => {
    // No endpoint in the file: both files may have no effect (information, from envTlsIgnored).
    const [p] = expectCodes('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=⟦/certs/client.crt⟧\nOTEL_EXPORTER_OTLP_CLIENT_KEY=⟦/certs/server.key⟧\n', ['tls-ignored', ['key-mismatch', 'tls-ignored']], {}, { path: ENV });
    assert.equal(p.code, 'key-mismatch');
    assert.equal(p.related?.[0].range.start.line, 0);
  });
  it('relative env paths resolve against the env file folder', () => {
    expectCodes('OTEL_EXPORTER_OTLP_CERTIFICATE=⟦certs/ca.crt⟧\n', ['tls-ignored'], { '/work/certs/ca.crt': root.pem }, { path: ENV });
  });
  it('skips values holding ${VAR}', () => {
    expectCodes('OTEL_EXPORTER_OTLP_CERTIFICATE=${CERTS}/ca.crt\n', [], {}, { path: ENV });
  });
  it('not-a-ca and expiry in OTEL_EXPORTER_OTLP_CERTIFICATE', async () => {
    expectCodes('OTEL_EXPORTER_OTLP_CERTIFICATE=⟦/certs/server.crt⟧\n', [['not-a-ca', 'tls-ignored']], {}, { path: ENV });
    void other;
  });
});

describe('inline PEM and TPM keys (configtls cert_pem/key_pem/ca_pem, tpm)', () => {
  const TSS2 = '-----BEGIN TSS2 PRIVATE KEY-----\nMIIBAAAA\n-----END TSS2 PRIVATE KEY-----\n';
  it('a TSS2 PRIVATE KEY with tpm.enabled: true is the TPM\'s key, not not-a-private-key', () => {
    expectCodes(RECEIVER('          cert_file: /certs/server.crt\n          key_file: /certs/tpm.key\n          tpm:\n            enabled: true\n            path: /dev/tpmrm0\n'), [MTLS], { '/certs/tpm.key': { contents: TSS2, mode: 0o600 } });
  });
  it('the same key without tpm.enabled is not-a-private-key, naming tpm.enabled', () => {
    const [p] = expectCodes(RECEIVER('          cert_file: /certs/server.crt\n          key_file: ⟦/certs/tpm.key⟧\n'), [MTLS, 'not-a-private-key'], { '/certs/tpm.key': { contents: TSS2, mode: 0o600 } });
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
    const [p] = expectCodes(RECEIVER(`          cert_pem: ⟦'${oneLine}'⟧\n          key_file: /certs/server.key\n`), [MTLS, 'not-a-certificate']);
    assert.match(p.message, /literal "\\n" sequences instead of line breaks/);
  });
  it('cert_pem: ${file:…} reads the file the Collector would read', async () => {
    const old = await server(root, ['otel-collector'], { notBefore: days(-60), notAfter: days(-1) });
    const { problems } = run(RECEIVER('          cert_pem: ${file:/certs/old.crt}\n          key_file: /certs/server.key\n'), { '/certs/old.crt': old.pem });
    assert.ok(problems.some((p) => p.code === 'cert-expired' && /cert_pem/.test(p.message)), JSON.stringify(problems.map((p) => `${p.code}: ${p.message}`)));
  });
});

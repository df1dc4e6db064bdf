/**
 * Go's certificate and handshake rules, scenario by scenario (issue 12), against real handshakes:
 * every scenario runs the checker twice on a receiver config and an env file (no SDK named: Go
 * decides; `# otlp-tls: sdk=js`: Node decides) and two real handshakes against the same Go server
 * (the Collector, configured as configtls does): a Go client (the Go SDK) and a Node client (the JS
 * SDK). Each scenario states what Go and Node do; the test asserts that the peers really do that,
 * that the checker's errors match Go (no SDK named) and Node (sdk=js), and that where they differ
 * the unnamed verdict warns about the JS SDK. `go123` marks rules where the newest Go (what the
 * checker follows, and current Collectors are built with) decides otherwise than the Go 1.23 peer.
 *
 * Certificates are made at run time (test/support/forge.ts). Without Go, the scenarios are skipped
 * with the reason, which test/run.mjs repeats in its final summary.
 */
import 'reflect-metadata';
import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as x509 from '@peculiar/x509';
import { GO_MISSING, GO_VERSION, cleanupHarness, describeRun, errorsOf, goPeer, peerBuildError, runCase, runExporterCase, severityOf, type Case, type ExporterCase } from '../support/handshakeHarness';
import { ext, forge, forgeCa, forgeKey, forgeServer, type Forged, type ForgeOptions } from '../support/forge';

after(() => cleanupHarness());

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';
const DAY = 86_400_000;
const daysFromNow = (n: number) => new Date(Date.now() + n * DAY);

interface Expect {
  /** Does the handshake succeed with a Go client (newest Go)? */
  go: boolean;
  /** …with a Node client? */
  node: boolean;
  /** The Go 1.23 peer's outcome, where it differs from the newest Go. */
  go123?: boolean;
  /** The code the checker must report for the failing side(s). */
  code?: string;
  /** The code for the Node side, when OpenSSL fails for another reason than Go. */
  nodeCode?: string;
}

const pems = (...certs: Forged[]) => certs.map((c) => c.pem).join('');

function agreeCase(t: TestContext, c: Case, e: Expect) {
  return (async () => {
    if (!goPeer()) {
      t.skip(GO_VERSION ? `tlspeer.go did not build: ${peerBuildError()}` : GO_MISSING);
      return;
    }
    const run = await runCase(c);
    const info = describeRun(run);
    const envErrors = (problems: typeof run.unnamed) => errorsOf(problems).filter((p) => p.message.startsWith('app.env'));
    // The real peers do what the scenario says.
    assert.equal(run.go!.ok, e.go123 ?? e.go, `Go (${GO_VERSION}) was expected to ${(e.go123 ?? e.go) ? 'succeed' : 'fail'}\n${info}`);
    assert.equal(run.node!.ok, e.node, `Node was expected to ${e.node ? 'succeed' : 'fail'}\n${info}`);
    // The checker agrees: no SDK named follows Go, sdk=js follows Node.
    const unnamed = envErrors(run.unnamed);
    const js = envErrors(run.js);
    assert.equal(unnamed.length === 0, e.go, `checker (no SDK named) should ${e.go ? 'report no error' : 'report an error'}, as Go\n${info}`);
    assert.equal(js.length === 0, e.node, `checker (sdk=js) should ${e.node ? 'report no error' : 'report an error'}, as Node\n${info}`);
    if (e.code && !e.go) assert.ok(unnamed.some((p) => p.code === e.code), `expected ${e.code} (no SDK named)\n${info}`);
    const nodeCode = e.nodeCode ?? e.code;
    if (nodeCode && !e.node) assert.ok(js.some((p) => p.code === nodeCode), `expected ${nodeCode} (sdk=js)\n${info}`);
    if (e.go && !e.node) {
      const warning = run.unnamed.find((p) => p.message.startsWith('app.env') && severityOf(p) === 'warning' && /JS SDK/.test(p.message));
      assert.ok(warning, `where only Node fails, the unnamed verdict warns about the JS SDK\n${info}`);
    }
  })();
}

// ---------------------------------------------------------------------------------------------
// Shared certificates (made once per run).

const root = forgeCa('Agreement2 Root CA');
const rsaRoot = forgeCa('Agreement2 RSA Root CA', { key: forgeKey('rsa') });
const mid = forgeCa('Agreement2 Intermediate CA', { issuer: root });

function serverCase(leaf: Forged, chain: Forged[] = [], extra: Partial<Case> = {}): Case {
  return { certFile: pems(leaf, ...chain), keyFile: leaf.keyPem, host: 'localhost', trustFile: root.pem, ...extra };
}

function leafOf(issuer: Forged, options: Partial<ForgeOptions> = {}, dns = ['localhost']): Forged {
  return forgeServer(issuer, dns, options);
}

describe('chain building: the best chain Go finds, and certificates no chain needs', () => {
  it('cross-signed: trust holds the old root; cert_file the leaf, the intermediate and the new root cross-signed by the old one', async (t) => {
    const oldRoot = forgeCa('Old Root');
    const newKey = forgeKey('ec');
    const cross = forgeCa('New Root', { issuer: oldRoot, key: newKey });
    const newRoot = forgeCa('New Root', { key: newKey });
    const inter = forgeCa('Issuing CA', { issuer: newRoot });
    const leaf = leafOf(inter);
    await agreeCase(t, serverCase(leaf, [inter, cross], { trustFile: oldRoot.pem }), { go: true, node: true });
  });
  it('an expired cross-signed certificate that no chain needs (trust holds the new root)', async (t) => {
    const oldRoot = forgeCa('Old Root 2');
    const newKey = forgeKey('ec');
    const cross = forgeCa('New Root 2', { issuer: oldRoot, key: newKey, notBefore: daysFromNow(-400), notAfter: daysFromNow(-5) });
    const newRoot = forgeCa('New Root 2', { key: newKey });
    const inter = forgeCa('Issuing CA 2', { issuer: newRoot });
    await agreeCase(t, serverCase(leafOf(inter), [inter, cross], { trustFile: newRoot.pem }), { go: true, node: true });
  });
  it('an unrelated expired certificate after the chain in cert_file', async (t) => {
    const stale = forgeCa('Some Other CA', { notBefore: daysFromNow(-400), notAfter: daysFromNow(-30) });
    await agreeCase(t, serverCase(leafOf(mid), [mid, stale]), { go: true, node: true });
  });
  it('two intermediates with the same name, the first a stale copy with another key', async (t) => {
    const stale = forgeCa('Agreement2 Intermediate CA', { issuer: root });
    await agreeCase(t, serverCase(leafOf(mid), [stale, mid]), { go: true, node: true });
  });
  it('a renewed intermediate: the expired one and the valid one, same name and key', async (t) => {
    const key = forgeKey('ec');
    const oldMid = forgeCa('Renewed CA', { issuer: root, key, notBefore: daysFromNow(-400), notAfter: daysFromNow(-1) });
    const newMid = forgeCa('Renewed CA', { issuer: root, key });
    await agreeCase(t, serverCase(leafOf(newMid), [oldMid, newMid]), { go: true, node: true });
  });
  it('an expired intermediate in cert_file, its renewed copy in the trust file (Go takes the trusted one first)', async (t) => {
    const key = forgeKey('ec');
    const oldMid = forgeCa('Renewed In Trust CA', { issuer: root, key, notBefore: daysFromNow(-400), notAfter: daysFromNow(-1) });
    const newMid = forgeCa('Renewed In Trust CA', { issuer: root, key });
    await agreeCase(t, serverCase(leafOf(newMid, { notBefore: daysFromNow(-10) }), [oldMid], { trustFile: pems(root, newMid) }), { go: true, node: true });
  });
  it('the only intermediate is expired', async (t) => {
    const oldMid = forgeCa('Expired Issuing CA', { issuer: root, notBefore: daysFromNow(-400), notAfter: daysFromNow(-1) });
    await agreeCase(t, serverCase(leafOf(oldMid, { notBefore: daysFromNow(-10) }), [oldMid]), { go: false, node: false, code: 'cert-expired' });
  });
  it('intermediates sent out of order (leaf, the upper one, the lower one)', async (t) => {
    const upper = forgeCa('Upper CA', { issuer: root });
    const lower = forgeCa('Lower CA', { issuer: upper });
    await agreeCase(t, serverCase(leafOf(lower), [upper, lower]), { go: true, node: true });
  });
  it('a root with pathLenConstraint 0 above an intermediate', async (t) => {
    const strict = forgeCa('PathLen0 Root', { extensions: [ext.basicConstraints(true, 0)] });
    const inter = forgeCa('Under PathLen0', { issuer: strict });
    await agreeCase(t, serverCase(leafOf(inter), [inter], { trustFile: strict.pem }), { go: false, node: false, code: 'not-a-ca' });
  });
  it('an intermediate without basicConstraints', async (t) => {
    const inter = forge({ subject: 'No BC CA', issuer: root, ca: true, extensions: [ext.keyUsage(x509.KeyUsageFlags.keyCertSign)], defaults: true });
    const noBc = forge({ subject: 'No BC CA', issuer: root, key: inter.key, defaults: false, extensions: [ext.keyUsage(x509.KeyUsageFlags.keyCertSign), ext.ski(inter.key), ext.aki(root.key)] });
    await agreeCase(t, serverCase(leafOf(noBc), [noBc]), { go: false, node: false, code: 'not-a-ca' });
  });
  it('an intermediate CA:TRUE whose keyUsage lacks keyCertSign', async (t) => {
    const inter = forgeCa('No CertSign CA', { issuer: root, extensions: [ext.keyUsage(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.cRLSign)] });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: false, code: 'not-a-ca' });
  });
  it('a version 1 self-signed root without extensions', async (t) => {
    const v1 = forge({ subject: 'V1 Root', version: 1, defaults: false });
    await agreeCase(t, serverCase(leafOf(v1), [], { trustFile: v1.pem }), { go: true, node: true });
  });
});

describe('name constraints', () => {
  const constrained = (c: Parameters<typeof ext.nameConstraints>[0]) => forgeCa('Constrained CA', { issuer: root, extensions: [ext.nameConstraints(c)] });
  it('permitted .example.test, leaf svc.example.test', async (t) => {
    const ca = constrained({ permittedDns: ['.example.test'] });
    await agreeCase(t, serverCase(leafOf(ca, {}, ['svc.example.test']), [ca], { host: 'svc.example.test' }), { go: true, node: true });
  });
  it('permitted .example.test, leaf for another domain', async (t) => {
    const ca = constrained({ permittedDns: ['.example.test'] });
    await agreeCase(t, serverCase(leafOf(ca, {}, ['collector.other.test']), [ca], { host: 'collector.other.test' }), { go: false, node: false, code: 'name-constraints' });
  });
  it('excluded evil.example.test, leaf for that name', async (t) => {
    const ca = constrained({ excludedDns: ['evil.example.test'] });
    await agreeCase(t, serverCase(leafOf(ca, {}, ['evil.example.test']), [ca], { host: 'evil.example.test' }), { go: false, node: false, code: 'name-constraints' });
  });
  it('permitted IP range 10.0.0.0/8, leaf for 127.0.0.1', async (t) => {
    const ca = constrained({ permittedIp: ['10.0.0.0/8'] });
    const leaf = forge({ subject: 'ip', issuer: ca, extensions: [ext.san({ ip: ['127.0.0.1'] }), ext.eku([SERVER_AUTH])] });
    await agreeCase(t, serverCase(leaf, [ca], { host: '127.0.0.1' }), { go: false, node: false, code: 'name-constraints' });
  });
  it('a DNS-only constraint leaves an IP SAN unconstrained', async (t) => {
    const ca = constrained({ permittedDns: ['.example.test'] });
    const leaf = forge({ subject: 'svc', issuer: ca, extensions: [ext.san({ dns: ['svc.example.test'], ip: ['127.0.0.1'] }), ext.eku([SERVER_AUTH])] });
    await agreeCase(t, serverCase(leaf, [ca], { host: '127.0.0.1' }), { go: true, node: true });
  });
  it('a constraint on the trusted root itself', async (t) => {
    const constrainedRoot = forgeCa('Constrained Root', { extensions: [ext.nameConstraints({ permittedDns: ['.corp.test'] })] });
    await agreeCase(t, serverCase(leafOf(constrainedRoot), [], { trustFile: constrainedRoot.pem }), { go: false, node: false, code: 'name-constraints' });
  });
});

describe('critical extensions and policies', () => {
  it('an unknown critical extension on the leaf', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { extensions: [ext.raw('1.3.6.1.4.1.55555.1', new Uint8Array([5, 0]), true)] })), { go: false, node: false, code: 'unhandled-critical-extension' });
  });
  it('an unknown critical extension on the trusted root', async (t) => {
    const odd = forgeCa('Critical Root', { extensions: [ext.raw('1.3.6.1.4.1.55555.2', new Uint8Array([5, 0]), true)] });
    await agreeCase(t, serverCase(leafOf(odd), [], { trustFile: odd.pem }), { go: false, node: false, code: 'unhandled-critical-extension' });
  });
  it('a critical policyConstraints on the intermediate (Go 1.24+ validates policies; Go 1.23 refuses the extension)', async (t) => {
    const inter = forgeCa('Policy CA', { issuer: root, extensions: [ext.policyConstraints(undefined, 0), ext.policies(['2.5.29.32.0'])] });
    await agreeCase(t, serverCase(leafOf(inter, { extensions: [ext.policies(['1.3.6.1.4.1.55555.9'])] }), [inter]), { go: true, go123: false, node: true });
  });
});

describe("what Go's parser refuses and OpenSSL reads", () => {
  it('a negative serial number on the intermediate', async (t) => {
    const inter = forgeCa('Negative Serial CA', { issuer: root, serialHex: 'ff7a' });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: true, code: 'malformed-certificate' });
  });
  it('a negative serial number on the server certificate (the Collector does not start)', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { serialHex: 'fe01' })), { go: false, node: false, code: 'malformed-certificate' });
  });
  it('a negative serial number on the root in the trust file (Go skips it)', async (t) => {
    const negativeRoot = forgeCa('Negative Root', { serialHex: 'ff10' });
    await agreeCase(t, serverCase(leafOf(negativeRoot), [], { trustFile: negativeRoot.pem }), { go: false, node: true });
  });
  it('a repeated extension in the intermediate', async (t) => {
    const inter = forgeCa('Duplicate Ext CA', { issuer: root, extensions: [ext.policies(['2.5.29.32.0']), ext.policies(['2.5.29.32.0'])] });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: true, code: 'malformed-certificate' });
  });
  it('a SAN IP address of 5 bytes in the intermediate', async (t) => {
    const inter = forgeCa('Bad IP CA', { issuer: root, extensions: [ext.sanRaw([[7, new Uint8Array([10, 0, 0, 1, 9])]])] });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: true, code: 'malformed-certificate' });
  });
  it('a SAN dNSName with a non-ASCII byte in the intermediate', async (t) => {
    const inter = forgeCa('Bad DNS CA', { issuer: root, extensions: [ext.sanRaw([[2, Buffer.from('c\xe1.example.test', 'latin1')]])] });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: true, code: 'malformed-certificate' });
  });
  it('a UTCTime with a +0000 offset in the intermediate', async (t) => {
    const inter = forgeCa('Offset Time CA', { issuer: root, notBefore: { raw: '250101000000+0000', tag: 'utc' } });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: false, code: 'malformed-certificate' });
  });
  it('a UTCTime without seconds (Go reads minute precision, OpenSSL refuses it)', async (t) => {
    const inter = forgeCa('Minute Time CA', { issuer: root, notBefore: { raw: '2501010000Z', tag: 'utc' } });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: true, node: false, code: 'malformed-certificate' });
  });
  it('inner and outer signature algorithms that differ', async (t) => {
    const inter = forgeCa('Mismatch CA', { issuer: root, outerHash: 'sha384' });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: false, code: 'malformed-certificate', nodeCode: 'unknown-authority' });
  });
  it('a certificate version 4', async (t) => {
    const inter = forgeCa('V4 CA', { issuer: root, version: 4 });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: true, code: 'malformed-certificate' });
  });
  it('an authority key identifier marked critical', async (t) => {
    const inter = forgeCa('Critical AKID CA', { issuer: root, extensions: [ext.aki(root.key, true)] });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: false, code: 'malformed-certificate', nodeCode: 'unhandled-critical-extension' });
  });
});

describe('signatures and keys', () => {
  it('RSA-PSS with a 20-byte salt (Go: algorithm unimplemented)', async (t) => {
    await agreeCase(t, serverCase(leafOf(rsaRoot, { pssSalt: 20 }), [], { trustFile: rsaRoot.pem }), { go: false, node: true });
  });
  it('RSA-PSS with the hash-length salt', async (t) => {
    await agreeCase(t, serverCase(leafOf(rsaRoot, { pssSalt: 32 }), [], { trustFile: rsaRoot.pem }), { go: true, node: true });
  });
  it('an MD5-signed intermediate', async (t) => {
    const inter = forgeCa('MD5 CA', { issuer: rsaRoot, hash: 'md5', key: forgeKey('rsa', true) });
    await agreeCase(t, serverCase(leafOf(inter), [inter], { trustFile: rsaRoot.pem }), { go: false, node: false, code: 'weak-signature' });
  });
  it('a SHA-1 self-signed root in the trust file (its own signature is never checked)', async (t) => {
    const sha1Root = forgeCa('SHA1 Root', { key: forgeKey('rsa', true), hash: 'sha1' });
    await agreeCase(t, serverCase(leafOf(sha1Root), [], { trustFile: sha1Root.pem }), { go: true, node: true });
  });
  it('an Ed25519 server certificate', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { key: forgeKey('ed25519') })), { go: true, node: true });
  });
  it('an ECDSA P-384 server certificate', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { key: forgeKey('ec384') })), { go: true, node: true });
  });
  it('an ECDSA P-224 server key: Go cannot sign TLS 1.3 with it', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { key: forgeKey('ec224') })), { go: false, node: false, code: 'unsupported-key' });
  });
  it('a secp256k1 server certificate (the Collector does not start)', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { key: forgeKey('secp256k1') })), { go: false, node: false });
  });
  it('a 512-bit RSA intermediate (Go 1.24+ refuses keys under 1024 bits)', async (t) => {
    const weak = forgeCa('Weak RSA CA', { issuer: root, key: forgeKey('rsa512') });
    await agreeCase(t, serverCase(leafOf(weak), [weak]), { go: false, go123: true, node: false, code: 'weak-key' });
  });
  it('an RSA-PSS key (id-RSASSA-PSS) in key_file: tls.X509KeyPair refuses it', async (t) => {
    const pss = leafOf(root, { key: forgeKey('rsa-pss') });
    await agreeCase(t, serverCase(pss), { go: false, node: false });
  });
});

describe('extended key usage and key usage (OpenSSL checks purposes Go does not)', () => {
  it('a server certificate whose only EKU is anyExtendedKeyUsage', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { extensions: [ext.eku([ANY_EKU])] })), { go: true, node: false, code: 'missing-eku' });
  });
  it('an intermediate whose only EKU is anyExtendedKeyUsage', async (t) => {
    const inter = forgeCa('AnyEKU CA', { issuer: root, extensions: [ext.eku([ANY_EKU])] });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: true, node: false, code: 'missing-eku' });
  });
  it('an intermediate limited to clientAuth in a server chain', async (t) => {
    const inter = forgeCa('Client-only CA', { issuer: root, extensions: [ext.eku([CLIENT_AUTH])] });
    await agreeCase(t, serverCase(leafOf(inter), [inter]), { go: false, node: false, code: 'missing-eku' });
  });
  it('a server certificate with serverAuth and an unknown EKU', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { extensions: [ext.eku([SERVER_AUTH, '1.3.6.1.4.1.55555.3'])] })), { go: true, node: true });
  });
  it('a server certificate whose only EKU is an unknown one', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { extensions: [ext.eku(['1.3.6.1.4.1.55555.4'])] })), { go: false, node: false, code: 'missing-eku' });
  });
  it('an ECDSA server certificate whose keyUsage is only keyCertSign', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { extensions: [ext.keyUsage(x509.KeyUsageFlags.keyCertSign)] })), { go: true, node: false, code: 'key-usage' });
  });
  it('an ECDSA server certificate with keyUsage keyEncipherment only, at TLS 1.2', async (t) => {
    const leaf = leafOf(root, { extensions: [ext.keyUsage(x509.KeyUsageFlags.keyEncipherment)] });
    await agreeCase(t, serverCase(leaf, [], { receiverTls: ['max_version: "1.2"'], server: { maxVersion: '1.2' } }), { go: true, node: false, code: 'key-usage' });
  });
  it('the same certificate at TLS 1.3 (OpenSSL checks digitalSignature only for TLS 1.2 ECDSA suites)', async (t) => {
    const leaf = leafOf(root, { extensions: [ext.keyUsage(x509.KeyUsageFlags.keyEncipherment)] });
    await agreeCase(t, serverCase(leaf), { go: true, node: true });
  });
});

describe('host names and SNI', () => {
  it('an endpoint host with a trailing dot: Node sends it as SNI, the Collector refuses it', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { host: 'localhost.' }), { go: true, node: false, code: 'invalid-sni' });
  });
  it('a SAN with a trailing dot (Node strips it, Go does not)', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, {}, ['localhost.'])), { go: false, node: true, code: 'san-mismatch' });
  });
  it('a wildcard over two labels (*.test): Go matches, Node refuses', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, {}, ['*.test']), [], { host: 'collector.test' }), { go: true, node: false, code: 'san-mismatch' });
  });
  it('an IPv4-mapped IPv6 SAN for an IPv4 host (Go compares the addresses, Node the text)', async (t) => {
    const leaf = forge({ subject: 'mapped', issuer: root, extensions: [ext.sanRaw([[7, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1])]]), ext.eku([SERVER_AUTH])] });
    await agreeCase(t, serverCase(leaf, [], { host: '127.0.0.1' }), { go: true, node: false, code: 'san-mismatch' });
  });
  it('a host with an underscore', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, {}, ['otel_collector']), [], { host: 'otel_collector' }), { go: true, node: true });
  });
});

describe('negotiation between the receiver and the client', () => {
  it('min_version "1.3" on the receiver', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { receiverTls: ['min_version: "1.3"'], server: { minVersion: '1.3' } }), { go: true, node: true });
  });
  it('cipher_suites with only RSA suites, an ECDSA key, at most TLS 1.2', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { receiverTls: ['max_version: "1.2"', 'cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]'], server: { maxVersion: '1.2', cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } }), { go: false, node: false, code: 'no-shared-cipher' });
  });
  it('cipher_suites with only RSA suites and an ECDSA key, TLS 1.3 allowed (its suites are not configurable)', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { receiverTls: ['cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]'], server: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } }), { go: true, node: true });
  });
  it('RSA key exchange only (TLS_RSA_WITH_AES_128_GCM_SHA256): Go clients no longer offer it, Node does', async (t) => {
    const leaf = leafOf(rsaRoot, { key: forgeKey('rsa') });
    await agreeCase(t, serverCase(leaf, [], { trustFile: rsaRoot.pem, receiverTls: ['max_version: "1.2"', 'include_insecure_cipher_suites: true', 'cipher_suites: [TLS_RSA_WITH_AES_128_GCM_SHA256]'], server: { maxVersion: '1.2', cipherSuites: ['TLS_RSA_WITH_AES_128_GCM_SHA256'] } }), { go: false, node: true, code: 'no-shared-cipher' });
  });
  it('a CBC-SHA256 suite only: off by default in Go clients, offered by Node', async (t) => {
    const leaf = leafOf(rsaRoot, { key: forgeKey('rsa') });
    await agreeCase(t, serverCase(leaf, [], { trustFile: rsaRoot.pem, receiverTls: ['max_version: "1.2"', 'include_insecure_cipher_suites: true', 'cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256]'], server: { maxVersion: '1.2', cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'] } }), { go: false, node: true, code: 'no-shared-cipher' });
  });
  it('3DES only: neither client offers it', async (t) => {
    const leaf = leafOf(rsaRoot, { key: forgeKey('rsa') });
    await agreeCase(t, serverCase(leaf, [], { trustFile: rsaRoot.pem, receiverTls: ['max_version: "1.2"', 'include_insecure_cipher_suites: true', 'cipher_suites: [TLS_RSA_WITH_3DES_EDE_CBC_SHA]'], server: { maxVersion: '1.2', cipherSuites: ['TLS_RSA_WITH_3DES_EDE_CBC_SHA'] } }), { go: false, node: false, code: 'no-shared-cipher' });
  });
  it('an ECDHE-ECDSA CBC-SHA suite at TLS 1.2', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { receiverTls: ['max_version: "1.2"', 'cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]'], server: { maxVersion: '1.2', cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'] } }), { go: true, node: true });
  });
  it('curve_preferences [P521]', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { receiverTls: ['curve_preferences: [P521]'], server: { curves: ['P521'] } }), { go: true, node: true });
  });
  it('an Ed25519 key with the ECDSA suites at TLS 1.2', async (t) => {
    await agreeCase(t, serverCase(leafOf(root, { key: forgeKey('ed25519') }), [], { receiverTls: ['max_version: "1.2"', 'cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]'], server: { maxVersion: '1.2', cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] } }), { go: true, node: true });
  });
});

describe('CA bundles', () => {
  const broken = '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n';
  it('a CA file whose first CERTIFICATE block does not parse (Go skips it, Node stops there)', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { trustFile: broken + root.pem }), { go: true, node: false, code: 'unknown-authority' });
  });
  it('a CA file with the root first and a broken block after it', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { trustFile: root.pem + broken }), { go: true, node: true });
  });
  it('a CA file whose root block carries PEM headers (Go skips such a block)', async (t) => {
    const withHeaders = root.pem.replace('-----BEGIN CERTIFICATE-----\n', '-----BEGIN CERTIFICATE-----\nComment: exported by a tool\n\n');
    await agreeCase(t, serverCase(leafOf(root), [], { trustFile: withHeaders }), { go: false, node: false });
  });
});

describe('byte order marks (Go reads no PEM after one, Node does)', () => {
  it('a CA file that starts with a byte order mark', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { trustFile: '\ufeff' + root.pem }), { go: false, node: true, code: 'not-a-certificate' });
  });
  it('a client certificate file that starts with a byte order mark (mTLS)', async (t) => {
    const cli = forge({ subject: 'app', issuer: root, extensions: [ext.eku([CLIENT_AUTH])] });
    await agreeCase(t, serverCase(leafOf(root), [], { clientCaFile: root.pem, clientCertFile: '\ufeff' + cli.pem, clientKeyFile: cli.keyPem }), { go: false, node: true });
  });
});

describe('loading the receiver certificate and key', () => {
  it('cert_file with the key appended, key_file the same combined file', async (t) => {
    const leaf = leafOf(root);
    await agreeCase(t, serverCase(leaf, [], { certFile: leaf.pem + leaf.keyPem, keyFile: leaf.pem + leaf.keyPem }), { go: true, node: true });
  });
  it('key_file in SEC1 form after an EC PARAMETERS block', async (t) => {
    const leaf = leafOf(root);
    const sec1 = (leaf.key.privateKey.export({ type: 'sec1', format: 'pem' }) as string);
    await agreeCase(t, serverCase(leaf, [], { keyFile: '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n' + sec1 }), { go: true, node: true });
  });
});

describe('client certificates (verified by the Collector)', () => {
  const clientOf = (issuer: Forged, options: Partial<ForgeOptions> = {}) => forge({ subject: 'app', issuer, extensions: [ext.eku([CLIENT_AUTH])], ...options });
  it('a client certificate with a negative serial number', async (t) => {
    const cli = clientOf(root, { serialHex: 'ff33' });
    await agreeCase(t, serverCase(leafOf(root), [], { clientCaFile: root.pem, clientCertFile: cli.pem, clientKeyFile: cli.keyPem }), { go: false, node: false, code: 'malformed-certificate' });
  });
  it('a client chain sent with its intermediate, client_ca_file the root', async (t) => {
    const cli = clientOf(mid);
    await agreeCase(t, serverCase(leafOf(root), [], { clientCaFile: root.pem, clientCertFile: pems(cli, mid), clientKeyFile: cli.keyPem }), { go: true, node: true });
  });
  it('a client certificate sent alone, client_ca_file the intermediate that issued it', async (t) => {
    const cli = clientOf(mid);
    await agreeCase(t, serverCase(leafOf(root), [], { clientCaFile: mid.pem, clientCertFile: cli.pem, clientKeyFile: cli.keyPem }), { go: true, node: true });
  });
  it('a client certificate whose only EKU is anyExtendedKeyUsage', async (t) => {
    const cli = clientOf(root, { extensions: [ext.eku([ANY_EKU])] });
    await agreeCase(t, serverCase(leafOf(root), [], { clientCaFile: root.pem, clientCertFile: cli.pem, clientKeyFile: cli.keyPem }), { go: true, node: true });
  });
  it('a client certificate under a name-constrained CA, for a name outside it', async (t) => {
    const ca = forgeCa('Client NC CA', { issuer: root, extensions: [ext.nameConstraints({ permittedDns: ['.apps.test'] })] });
    const cli = forge({ subject: 'app', issuer: ca, extensions: [ext.eku([CLIENT_AUTH]), ext.san({ dns: ['app.other.test'] })] });
    await agreeCase(t, serverCase(leafOf(root), [], { clientCaFile: root.pem, clientCertFile: pems(cli, ca), clientKeyFile: cli.keyPem }), { go: false, node: false, code: 'name-constraints' });
  });
});

describe('inline PEM in the receiver (cert_pem, key_pem)', () => {
  it('cert_pem and key_pem as YAML block scalars', async (t) => {
    await agreeCase(t, { ...serverCase(leafOf(root)), inline: 'block' }, { go: true, node: true });
  });
  it('cert_pem and key_pem as ${file:…} references', async (t) => {
    await agreeCase(t, { ...serverCase(leafOf(root)), inline: 'file-ref' }, { go: true, node: true });
  });
  it('cert_pem on one line with literal \\n (the Collector finds no PEM data)', async (t) => {
    await agreeCase(t, { ...serverCase(leafOf(root)), inline: 'one-line' }, { go: false, node: false, code: 'not-a-certificate' });
  });
});

describe("the SDKs' runtimes (TLS settings outside OTEL_*)", () => {
  it('NODE_OPTIONS=--tls-max-v1.2 against a receiver with min_version "1.3"', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { receiverTls: ['min_version: "1.3"'], server: { minVersion: '1.3' }, envLines: ['NODE_OPTIONS=--tls-max-v1.2'], node: { maxVersion: 'TLSv1.2' } }), { go: true, node: false, code: 'weak-tls-version' });
  });
  it('NODE_TLS_REJECT_UNAUTHORIZED=0 with the wrong CA: Node does not verify at all', async (t) => {
    const other = forgeCa('Unrelated CA');
    await agreeCase(t, serverCase(leafOf(root), [], { trustFile: other.pem, envLines: ['NODE_TLS_REJECT_UNAUTHORIZED=0'], node: { rejectUnauthorized: false } }), { go: false, node: true, code: 'unknown-authority' });
  });
  it('NODE_EXTRA_CA_CERTS with the private CA and no OTEL_EXPORTER_OTLP_CERTIFICATE', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { trustFile: undefined, extraFiles: { 'extra.pem': root.pem }, envLines: ['NODE_EXTRA_CA_CERTS={DIR}/extra.pem'], node: { extraCa: root.pem } }), { go: false, node: true, code: 'unknown-authority' });
  });
  it('SSL_CERT_FILE with the private CA and no OTEL_EXPORTER_OTLP_CERTIFICATE: the Go SDK reads it, Node does not', async (t) => {
    await agreeCase(t, serverCase(leafOf(root), [], { trustFile: undefined, extraFiles: { 'system.pem': root.pem }, envLines: ['SSL_CERT_FILE={DIR}/system.pem'], goEnv: { SSL_CERT_FILE: '{DIR}/system.pem' } }), { go: true, node: false, code: 'unknown-authority' });
  });
});

describe('a Collector exporter against a receiver (Go on both ends)', () => {
  async function agreeExporter(t: TestContext, c: ExporterCase, e: { go: boolean; code?: string }) {
    if (!goPeer()) {
      t.skip(GO_VERSION ? `tlspeer.go did not build: ${peerBuildError()}` : GO_MISSING);
      return;
    }
    const run = await runExporterCase(c);
    const info = `checker: ${JSON.stringify(run.problems.map((p) => `${p.code}(${severityOf(p)}): ${p.message}`), null, 1)}\nGo↔Go: ${run.go?.detail}`;
    assert.equal(run.go!.ok, e.go, `Go was expected to ${e.go ? 'succeed' : 'fail'}\n${info}`);
    const errors = errorsOf(run.problems);
    assert.equal(errors.length === 0, e.go, `checker vs Go\n${info}`);
    if (e.code) assert.ok(errors.some((p) => p.code === e.code), `expected ${e.code}\n${info}`);
  }
  const base = (extra: Partial<ExporterCase>): ExporterCase => ({ ...serverCase(leafOf(root)), exporterTls: [], client: {}, ...extra });
  it('the exporter allows at most TLS 1.2, the receiver at least 1.3', async (t) => {
    await agreeExporter(t, base({ receiverTls: ['min_version: "1.3"'], server: { minVersion: '1.3' }, exporterTls: ['max_version: "1.2"'], client: { maxVersion: '1.2' } }), { go: false, code: 'weak-tls-version' });
  });
  it('curve_preferences with nothing in common (receiver P521, exporter X25519)', async (t) => {
    await agreeExporter(t, base({ receiverTls: ['curve_preferences: [P521]'], server: { curves: ['P521'] }, exporterTls: ['curve_preferences: [X25519]'], client: { curves: ['X25519'] } }), { go: false, code: 'no-shared-curve' });
  });
  it('curve_preferences with one group in common', async (t) => {
    await agreeExporter(t, base({ receiverTls: ['curve_preferences: [P521, P256]'], server: { curves: ['P521', 'P256'] }, exporterTls: ['curve_preferences: [X25519, P256]'], client: { curves: ['X25519', 'P256'] } }), { go: true });
  });
  it('cipher_suites at TLS 1.2 with nothing in common between the two configs', async (t) => {
    await agreeExporter(
      t,
      base({
        receiverTls: ['max_version: "1.2"', 'cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]'],
        server: { maxVersion: '1.2', cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] },
        exporterTls: ['cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]'],
        client: { cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'] },
      }),
      { go: false, code: 'no-shared-cipher' },
    );
  });
  it('curves at TLS 1.2: the ECDHE suites need a shared group', async (t) => {
    await agreeExporter(t, base({ receiverTls: ['max_version: "1.2"', 'curve_preferences: [P384]'], server: { maxVersion: '1.2', curves: ['P384'] }, exporterTls: ['curve_preferences: [P256]'], client: { curves: ['P256'] } }), { go: false, code: 'no-shared-cipher' });
  });
});

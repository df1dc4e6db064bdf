/**
 * Go's certificate rules one by one (certificates/goParse.ts, goVerify.ts), the negotiation model
 * (negotiation.ts) and the OpenSSL-side rules (opensslVerify.ts, hostname.ts), on certificates built
 * in process (test/support/forge.ts; no child process). The same rules are proved against real Go
 * and Node peers in test/integration/handshakeAgreementGo.test.ts; this file pins the exact error
 * texts and the Go 1.23 / 1.24+ differences the peers cannot show.
 */
import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as x509 from '@peculiar/x509';
import { parseCertificate, type CertificateInfo } from '../../server/src/service/certificates/certificateInfo';
import { parsePem } from '../../server/src/service/certificates/pem';
import { BerCache } from '../../server/src/service/certificates/goParse';
import { goVerify, type GoRelease } from '../../server/src/service/certificates/goVerify';
import { negotiate } from '../../server/src/service/certificates/negotiation';
import { nodeCaView, opensslVerify } from '../../server/src/service/certificates/opensslVerify';
import { grpcioCheckHost, nodeCheckHost, okHttpCheckHost, opensslCheckHost, verifyHostname } from '../../server/src/service/certificates/hostname';
import { ext, forge, forgeCa, forgeKey, forgeServer, type Forged } from '../support/forge';

const info = (f: Forged): CertificateInfo => parseCertificate(parsePem(f.pem)[0]);
const now = new Date();
const root = forgeCa('Rules Root');
const mid = forgeCa('Rules Intermediate', { issuer: root });

function verify(leaf: Forged, chain: Forged[], roots: Forged[], go: GoRelease = '1.24+', usage: 'serverAuth' | 'clientAuth' = 'serverAuth', dnsName?: string) {
  return goVerify({ leaf: info(leaf), intermediates: chain.map(info), roots: roots.map(info), now, usage, go, ...(dnsName ? { dnsName } : {}) });
}

describe("Go's parser (parser.go)", () => {
  const cases: [string, Forged, string | undefined][] = [
    ['a negative serial number', forgeServer(root, ['a'], { serialHex: 'ff01' }), 'x509: negative serial number'],
    ['an extension repeated', forgeServer(root, ['a'], { extensions: [ext.policies(['2.5.29.32.0']), ext.policies(['2.5.29.32.0'])] }), 'x509: certificate contains duplicate extension with OID "2.5.29.32"'],
    ['a 5-byte SAN IP', forge({ subject: 'a', issuer: root, extensions: [ext.sanRaw([[7, new Uint8Array([1, 2, 3, 4, 5])]])] }), 'x509: cannot parse IP address of length 5'],
    ['a non-ASCII SAN DNS name', forge({ subject: 'a', issuer: root, extensions: [ext.sanRaw([[2, Buffer.from('\xe9.test', 'latin1')]])] }), 'x509: SAN dNSName is malformed'],
    ['a non-ASCII SAN email', forge({ subject: 'a', issuer: root, extensions: [ext.sanRaw([[1, Buffer.from('\xe9@x.test', 'latin1')]])] }), 'x509: SAN rfc822Name is malformed'],
    ['a UTCTime with +0000', forgeServer(root, ['a'], { notBefore: { raw: '250101000000+0000', tag: 'utc' } }), 'x509: malformed UTCTime'],
    ['a UTCTime without seconds (accepted)', forgeServer(root, ['a'], { notBefore: { raw: '2501010000Z', tag: 'utc' } }), undefined],
    ['a GeneralizedTime with a trailing zero fraction', forgeServer(root, ['a'], { notAfter: { raw: '20990101000000.10Z', tag: 'generalized' } }), 'x509: malformed GeneralizedTime'],
    ['inner and outer algorithms that differ', forgeServer(root, ['a'], { outerHash: 'sha384' }), "x509: inner and outer signature algorithm identifiers don't match"],
    ['version 4', forgeServer(root, ['a'], { version: 4 }), 'x509: invalid version'],
    ['a critical AKID', forgeServer(root, ['a'], { extensions: [ext.aki(root.key, true)] }), 'x509: authority key identifier incorrectly marked critical'],
    ['a critical SKID', forgeServer(root, ['a'], { extensions: [{ ...ext.ski(forgeKey()), critical: true }] }), 'x509: subject key identifier incorrectly marked critical'],
    ['a secp256k1 key', forgeServer(root, ['a'], { key: forgeKey('secp256k1') }), 'x509: unsupported elliptic curve'],
    ['empty name constraints', forgeCa('NC', { issuer: root, extensions: [ext.raw('2.5.29.30', new Uint8Array([0x30, 0]), true)] }), 'x509: empty name constraints extension'],
    ['a 5-byte IP name constraint', forgeCa('NC', { issuer: root, extensions: [ext.raw('2.5.29.30', new Uint8Array([0x30, 0x09, 0xa0, 0x07, 0x30, 0x05, 0x87, 0x03, 1, 2, 3]), true)] }), 'x509: IP constraint contained value of length 3'],
  ];
  for (const [name, cert, error] of cases) {
    it(name, () => assert.equal(info(cert).go.parseError, error));
  }
  it("the JDK reads what Go refuses only for a negative serial, a UTCTime offset and a SAN IP's length (jdkReads); Go's error is the first it meets", () => {
    const jdk = (name: string) => cases.find((c) => c[0] === name)![1];
    assert.deepEqual(['a negative serial number', 'a 5-byte SAN IP', 'a UTCTime with +0000', 'an extension repeated', 'version 4', 'inner and outer algorithms that differ', 'a critical AKID'].map((n) => info(jdk(n)).go.jdkReads === true), [true, true, true, false, false, false, false]);
    // A negative serial and then a repeated extension: Go says the serial (first), and the JDK does not read it either.
    const both = info(forgeServer(root, ['a'], { serialHex: 'ff02', extensions: [ext.policies(['2.5.29.32.0']), ext.policies(['2.5.29.32.0'])] }));
    assert.deepEqual([both.go.parseError, both.go.jdkReads], ['x509: negative serial number', undefined]);
  });
  it('RSA-PSS with a 20-byte salt is an unknown signature algorithm to Go; with the hash length it is SHA256-RSAPSS', () => {
    const rsa = forgeCa('PSS Root', { key: forgeKey('rsa') });
    assert.equal(info(forgeServer(rsa, ['a'], { pssSalt: 20 })).go.signatureAlgorithm, '0');
    assert.equal(info(forgeServer(rsa, ['a'], { pssSalt: 32 })).go.signatureAlgorithm, 'SHA256-RSAPSS');
  });
  it('an unknown critical extension is unhandled in both releases; policy constraints only in Go 1.23', () => {
    const unknown = info(forgeServer(root, ['a'], { extensions: [ext.raw('1.2.3.4', new Uint8Array([5, 0]), true)] }));
    assert.deepEqual([unknown.go.unhandledCritical, unknown.go.unhandledCritical123], [['1.2.3.4'], ['1.2.3.4']]);
    const policy = info(forgeCa('P', { issuer: root, extensions: [ext.policyConstraints(undefined, 0)] }));
    assert.deepEqual([policy.go.unhandledCritical, policy.go.unhandledCritical123], [[], ['2.5.29.36']]);
  });
  it('a policy OID listed twice is refused since Go 1.24 only', () => {
    const twice = info(forgeServer(root, ['a'], { extensions: [ext.policies(['1.2.3.4', '1.2.3.4'])] }));
    assert.equal(twice.go.parseError, 'x509: invalid certificate policies');
    assert.equal(twice.go.parseError123, null);
  });
  it('both readings are the same whether asn1js also decodes what OCTET and BIT STRINGs hold or not (BerCache)', async () => {
    const { rootCertificates } = await import('node:tls');
    const forged = [
      ...cases.map((c) => c[1]),
      forgeCa('NC', { issuer: root, extensions: [ext.raw('2.5.29.30', new Uint8Array([0x30, 0x09, 0xa0, 0x07, 0x30, 0x05, 0x87, 0x03, 1, 2, 3]), true)] }),
      forgeCa('P', { issuer: root, extensions: [ext.policyConstraints(undefined, 0)] }),
      forgeServer(root, ['a'], { extensions: [ext.policies(['1.2.3.4', '1.2.3.4'])] }),
      forgeServer(root, ['a'], { extensions: [ext.raw('1.2.3.4', new Uint8Array([5, 0]), true)] }),
      forgeServer(root, ['a'], { extensions: [ext.raw('1.2.3.5', new Uint8Array([0x04, 0x03, 0x30, 0x01, 0x00]), false)] }),
      forgeServer(forgeCa('PSS Root', { key: forgeKey('rsa') }), ['a'], { pssSalt: 20 }),
      forgeServer(root, ['b.test', '10.0.0.1'], { key: forgeKey('ed25519') }),
      mid,
    ];
    const ders = [...rootCertificates.map((pem) => parsePem(pem)[0].bytes), ...forged.map((f) => parsePem(f.pem)[0].bytes)];
    const reading = (der: Uint8Array, ber: BerCache) => {
      let parsed: CertificateInfo;
      try {
        parsed = parseCertificate(der, ber);
      } catch (error) {
        return `throws ${(error as Error).message}`;
      }
      const { x509: _x509, publicKey, ...fields } = parsed;
      const key = { type: publicKey.type, bits: publicKey.bits, curve: publicKey.curve, spki: publicKey.spki };
      return JSON.stringify({ ...fields, key }, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'bigint' ? String(v) : v));
    };
    const differing = ders.filter((der) => reading(der, new BerCache()) !== reading(der, new BerCache({ parseEmbedded: true })));
    assert.ok(ders.length > 100);
    assert.deepEqual(differing.map((der) => reading(der, new BerCache())), []);
  });
  it('every bundled Mozilla root parses', async () => {
    const { rootCertificates } = await import('node:tls');
    const refused = rootCertificates.map((pem) => parseCertificate(parsePem(pem)[0])).filter((c) => c.go.parseError || c.go.unhandledCritical.length);
    assert.deepEqual(refused.map((c) => c.label), []);
  });
});

describe("Go's verifier (verify.go, x509.go)", () => {
  it('a chain through the intermediate', () => assert.equal(verify(forgeServer(mid), [mid], [root]).error, undefined));
  it('unknown authority with the hint of a same-name CA with another key', () => {
    const twin = forgeCa('Rules Root');
    assert.equal(verify(forgeServer(root), [], [twin]).error?.text, 'x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "Rules Root")');
  });
  it('a stale intermediate with the right name but another key is passed over', () => {
    const stale = forgeCa('Rules Intermediate', { issuer: root });
    assert.equal(verify(forgeServer(mid), [stale, mid], [root]).error, undefined);
  });
  it('an expired intermediate is returned as the error (not "unknown authority")', () => {
    const old = forgeCa('Old', { issuer: root, notBefore: new Date(now.getTime() - 9e9), notAfter: new Date(now.getTime() - 1e9) });
    assert.match(verify(forgeServer(old), [old], [root]).error!.text, /^x509: certificate has expired or is not yet valid: current time .* is after /);
  });
  it('SHA-1: Go 1.23 names the GODEBUG override, 1.24+ does not', () => {
    const sha1 = forgeServer(root, ['a'], { hash: 'sha1' });
    assert.match(verify(sha1, [], [root], '1.23').error!.text, /insecure algorithm ECDSA-SHA1 \(temporarily override with GODEBUG=x509sha1=1\)/);
    assert.match(verify(sha1, [], [root], '1.24+').error!.text, /insecure algorithm ECDSA-SHA1"/);
  });
  it('a 512-bit RSA issuer: refused by Go 1.24+, verified by Go 1.23', () => {
    const weak = forgeCa('Weak', { key: forgeKey('rsa512') });
    assert.match(verify(forgeServer(weak), [], [weak], '1.24+').error!.text, /crypto\/rsa: 512-bit keys are insecure/);
    assert.equal(verify(forgeServer(weak), [], [weak], '1.23').error, undefined);
  });
  it('keyCertSign missing from a CA', () => {
    const ca = forgeCa('No Sign', { issuer: root, extensions: [ext.keyUsage(x509.KeyUsageFlags.digitalSignature)] });
    assert.match(verify(forgeServer(ca), [ca], [root]).error!.text, /parent certificate cannot sign this kind of certificate/);
  });
  it('path length: a root with pathlen 0 above an intermediate', () => {
    const strict = forgeCa('Strict', { extensions: [ext.basicConstraints(true, 0)] });
    const inter = forgeCa('Below', { issuer: strict });
    assert.equal(verify(forgeServer(inter), [inter], [strict]).error?.text, 'x509: too many intermediates for path length constraint');
  });
  it('name constraints: permitted, excluded, leading dot, IP', () => {
    const nc = (c: Parameters<typeof ext.nameConstraints>[0]) => forgeCa('NC', { issuer: root, extensions: [ext.nameConstraints(c)] });
    const a = nc({ permittedDns: ['.example.test'] });
    assert.equal(verify(forgeServer(a, ['x.example.test']), [a], [root]).error, undefined);
    assert.match(verify(forgeServer(a, ['example.test']), [a], [root]).error!.text, /DNS name "example.test" is not permitted by any constraint/);
    const b = nc({ excludedDns: ['bad.test'] });
    assert.match(verify(forgeServer(b, ['x.bad.test']), [b], [root]).error!.text, /DNS name "x.bad.test" is excluded by constraint "bad.test"/);
    const c = nc({ permittedIp: ['10.0.0.0/8'] });
    const leaf = forge({ subject: 'ip', issuer: c, extensions: [ext.san({ ip: ['10.1.2.3', '192.168.0.1'] })] });
    assert.match(verify(leaf, [c], [root]).error!.text, /IP address "192.168.0.1" is not permitted by any constraint/);
  });
  it('EKU nests down the chain; anyExtendedKeyUsage allows everything; unknown EKUs block', () => {
    const serverOnly = forgeCa('Server Only', { issuer: root, extensions: [ext.eku(['1.3.6.1.5.5.7.3.1'])] });
    const cli = forge({ subject: 'c', issuer: serverOnly, extensions: [ext.eku(['1.3.6.1.5.5.7.3.2'])] });
    assert.equal(verify(cli, [serverOnly], [root], '1.24+', 'clientAuth').error?.text, 'x509: certificate specifies an incompatible key usage');
    assert.equal(verify(forgeServer(root, ['a'], { extensions: [ext.eku(['2.5.29.37.0'])] }), [], [root]).error, undefined);
    assert.equal(verify(forgeServer(root, ['a'], { extensions: [ext.eku(['1.2.3.4'])] }), [], [root]).error?.text, 'x509: certificate specifies an incompatible key usage');
  });
  it('policies (1.24+): requireExplicitPolicy 0 with no policy in the chain leaves no valid chain', () => {
    const strict = forgeCa('Policy CA', { issuer: root, extensions: [ext.policyConstraints(0, undefined)] });
    assert.equal(verify(forgeServer(strict), [strict], [root], '1.24+').error?.text, 'x509: no valid chains built: all candidate chains have invalid policies');
    assert.equal(verify(forgeServer(strict), [strict], [root], '1.23').error?.text, 'x509: unhandled critical extension');
  });
  it('a certificate in the roots is its own chain (Go pins a CA-issued leaf)', () => {
    const leaf = forgeServer(mid);
    assert.equal(verify(leaf, [], [leaf]).error, undefined);
  });
  it('the bare wildcard is not a pattern (Go ≥ 1.20)', () => {
    assert.equal(verifyHostname(info(forgeServer(root, ['*'])), 'collector').ok, false);
  });
});

describe('negotiation (crypto/tls server against each client)', () => {
  const ec = info(forgeServer(root));
  const rsa = info(forgeServer(forgeCa('R', { key: forgeKey('rsa') }), ['a'], { key: forgeKey('rsa') }));
  it('versions: the receiver allows at most TLS 1.1', () => {
    const n = negotiate({ minVersion: '1.0', maxVersion: '1.1', leaf: ec }, { stack: 'go' });
    assert.deepEqual([n.failure, n.serverError], ['version', 'tls: client offered only unsupported versions: [304 303]']);
  });
  it('TLS 1.3 ignores cipher_suites; TLS 1.2 needs a suite for the key type', () => {
    assert.equal(negotiate({ cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'], leaf: ec }, { stack: 'node' }).ok, true);
    assert.equal(negotiate({ maxVersion: '1.2', cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'], leaf: ec }, { stack: 'node' }).failure, 'cipher');
  });
  it('RSA key exchange: Go clients do not offer it, Node does, Python does not', () => {
    const server = { maxVersion: '1.2' as const, cipherSuites: ['TLS_RSA_WITH_AES_128_GCM_SHA256'], leaf: rsa };
    assert.deepEqual(['go', 'node', 'python', 'grpcio'].map((stack) => negotiate(server, { stack: stack as 'go' }).ok), [false, true, false, false]);
  });
  it('curves: at TLS 1.3 a receiver limited to X25519MLKEM768 shares nothing with Node', () => {
    assert.equal(negotiate({ curves: ['X25519MLKEM768'], leaf: ec }, { stack: 'node' }).failure, 'curve');
    assert.equal(negotiate({ curves: ['X25519MLKEM768'], leaf: ec }, { stack: 'go' }, '1.24+').ok, true);
  });
  it('an ECDSA P-224 key cannot sign TLS 1.3', () => {
    const p224 = info(forgeServer(root, ['a'], { key: forgeKey('ec224') }));
    assert.deepEqual([negotiate({ leaf: p224 }, { stack: 'go' }).serverError, negotiate({ maxVersion: '1.2', leaf: p224 }, { stack: 'go' }).ok], ['tls: unsupported certificate curve (P-224)', true]);
  });
});

describe('the OpenSSL side', () => {
  const run = (leaf: Forged, chain: Forged[], roots: Forged[]) => opensslVerify({ leaf: info(leaf), intermediates: chain.map(info), roots: roots.map(info), now, usage: 'serverAuth' });
  it('an intermediate as the anchor fails without PARTIAL_CHAIN', () => {
    assert.equal(run(forgeServer(mid), [mid], [mid]).code, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  });
  it('anyExtendedKeyUsage is not serverAuth; keyUsage keyCertSign only is no TLS server key', () => {
    assert.equal(run(forgeServer(root, ['a'], { extensions: [ext.eku(['2.5.29.37.0'])] }), [], [root]).code, 'INVALID_PURPOSE');
    const ku = run(forgeServer(root, ['a'], { extensions: [ext.keyUsage(x509.KeyUsageFlags.keyCertSign)] }), [], [root]);
    assert.deepEqual([ku.code, ku.reason], ['INVALID_PURPOSE', 'ku']);
  });
  it('a UTCTime without seconds is a format error', () => {
    assert.equal(run(forgeServer(root, ['a'], { notBefore: { raw: '2501010000Z', tag: 'utc' } }), [], [root]).code, 'ERROR_IN_CERT_NOT_BEFORE_FIELD');
  });
  it('Node reads a CA file up to its first block it cannot read', () => {
    const a = info(root);
    const b = info(mid);
    assert.deepEqual(nodeCaView([a, b], [1]).length, 0);
    assert.deepEqual(nodeCaView([a, b], [2]).map((c) => c.label), [a.label]);
    assert.deepEqual(nodeCaView([a, b], []).length, 2);
  });
  it("Node's host rules: trailing dots, *.tld, IPv4-mapped IPv6", () => {
    assert.equal(nodeCheckHost(info(forgeServer(root, ['localhost.'])), 'localhost').ok, true);
    assert.equal(nodeCheckHost(info(forgeServer(root, ['*.test'])), 'a.test').ok, false);
    assert.equal(nodeCheckHost(info(forgeServer(root, ['f*.x.test'])), 'foo.x.test').ok, true);
    const mapped = info(forge({ subject: 'm', issuer: root, extensions: [ext.sanRaw([[7, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1])]])] }));
    assert.deepEqual([nodeCheckHost(mapped, '127.0.0.1').ok, verifyHostname(mapped, '127.0.0.1').ok], [false, true]);
  });
  it("Python's rules: the CN when there is no DNS SAN (ssl), never (urllib3); no partial wildcard", () => {
    const cnOnly = info(forge({ subject: 'collector', issuer: root }));
    assert.deepEqual([opensslCheckHost(cnOnly, 'collector', 'python-ssl').ok, opensslCheckHost(cnOnly, 'collector', 'python-urllib3').ok, opensslCheckHost(cnOnly, 'collector', 'grpcio').ok], [true, false, true]);
    assert.equal(opensslCheckHost(info(forgeServer(root, ['f*.x.test'])), 'foo.x.test', 'python-ssl').ok, false);
    // X509_check_ip compares bytes: an IPv4 host never matches an IPv4-mapped IPv6 SAN.
    const mapped = info(forge({ subject: 'm', issuer: root, extensions: [ext.sanRaw([[7, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1])]])] }));
    assert.deepEqual([opensslCheckHost(mapped, '127.0.0.1', 'python-urllib3').ok, opensslCheckHost(mapped, '::ffff:127.0.0.1', 'python-urllib3').ok], [false, true]);
  });
  it("grpcio's peer name check (gRPC core's tsi, not OpenSSL's): text compares, trailing dots, a wildcard over what follows the first label", () => {
    const names = (dns: string[]) => info(forgeServer(root, dns));
    const cases: [string[], string, boolean][] = [
      [['localhost.'], 'localhost', true],
      [['localhost'], 'localhost.', true],
      [['*.test'], 'collector.test', false],
      [['*.otel.test'], 'a_b.otel.test', true],
      [['*.otel.test'], 'a.b.otel.test', false],
      [['f*.x.test'], 'foo.x.test', false],
      [['*'], 'localhost', false],
      [['COLLECTOR.test'], 'collector.TEST', true],
      // An IP-looking host equals some SAN entry as text, a DNS one included.
      [['127.0.0.1'], '127.0.0.1', true],
    ];
    for (const [dns, host, ok] of cases) assert.equal(grpcioCheckHost(names(dns), host).ok, ok, `${dns.join(',')} for ${host}`);
    const ip = (bytes: number[]) => info(forge({ subject: 'ip', issuer: root, extensions: [ext.sanRaw([[7, new Uint8Array(bytes)]])] }));
    const mapped = ip([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]);
    // inet_ntop prints the mapped SAN "::ffff:127.0.0.1".
    assert.deepEqual([grpcioCheckHost(mapped, '127.0.0.1').ok, grpcioCheckHost(mapped, '::ffff:127.0.0.1').ok, grpcioCheckHost(mapped, '[::ffff:127.0.0.1]').ok], [false, true, true]);
    const loopback6 = ip([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual([grpcioCheckHost(loopback6, '::1').ok, grpcioCheckHost(loopback6, '0:0:0:0:0:0:0:1').ok, verifyHostname(loopback6, '0:0:0:0:0:0:0:1').ok], [true, false, true]);
    assert.equal(grpcioCheckHost(ip([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]), '2001:db8::1:0:0:1').ok, true);
    // The CN only when the certificate has no SAN entry, never for an IP-looking host.
    const cnOnly = (cn: string) => info(forge({ subject: cn, issuer: root }));
    assert.deepEqual([grpcioCheckHost(cnOnly('collector'), 'collector').ok, grpcioCheckHost(cnOnly('127.0.0.1'), '127.0.0.1').ok], [true, false]);
    assert.equal(grpcioCheckHost(info(forge({ subject: 'collector', issuer: root, extensions: [ext.san({ dns: ['other'] })] })), 'collector').ok, false);
    assert.equal(grpcioCheckHost(names(['other']), 'collector').error, 'Peer name collector is not in peer certificate');
  });
  it('grpcio: any certificate of the CA file is an anchor (PARTIAL_CHAIN), and its own signature is not checked', () => {
    const leaf = forgeServer(mid);
    const partial = (roots: Forged[]) => opensslVerify({ leaf: info(leaf), intermediates: [info(mid)], roots: roots.map(info), now, usage: 'serverAuth', partialChain: true });
    assert.deepEqual([partial([mid]).ok, partial([leaf]).ok, partial([root]).ok], [true, true, true]);
    assert.equal(partial([forgeCa('Unrelated')]).ok, false);
  });
  it('OpenSSL security level 2 (Python): RSA keys under 2048 bits refused in the chain, the anchor included', () => {
    const weak = forgeCa('Rules 1024 CA', { issuer: root, key: forgeKey('rsa1024') });
    const leaf = info(forgeServer(weak));
    const at = (securityLevel: 1 | 2, roots: Forged[]) => opensslVerify({ leaf, intermediates: [info(weak)], roots: roots.map(info), now, usage: 'serverAuth', securityLevel }).code;
    assert.deepEqual([at(1, [root]), at(2, [root])], [undefined, 'CA_KEY_TOO_SMALL']);
    const weakLeaf = info(forgeServer(root, ['a'], { key: forgeKey('rsa1024') }));
    assert.equal(opensslVerify({ leaf: weakLeaf, intermediates: [], roots: [info(root)], now, usage: 'serverAuth', securityLevel: 2 }).code, 'EE_KEY_TOO_SMALL');
  });
  it('grpcio offers only P-256 (SSL_CTX_set_tmp_ecdh) and ECDHE AES-GCM suites at TLS 1.2', () => {
    const ec = info(forgeServer(root));
    assert.deepEqual(['P256', 'P384', 'P521', 'X25519'].map((c) => negotiate({ curves: [c], leaf: ec }, { stack: 'grpcio' }).ok), [true, false, false, false]);
    assert.equal(negotiate({ curves: ['P521'], leaf: ec }, { stack: 'python' }).ok, true);
    assert.equal(negotiate({ maxVersion: '1.2', cipherSuites: ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'], leaf: ec }, { stack: 'grpcio' }).failure, 'cipher');
  });
  it("OkHttp's host rules (the Java SDK): trailing dots on either side, a wildcard of one whole label, canonical IPs, never the CN", () => {
    const names = (dns: string[]) => info(forgeServer(root, dns));
    const cases: [string[], string, boolean][] = [
      [['localhost.'], 'localhost', true],
      [['localhost'], 'localhost.', true],
      [['*.test'], 'collector.test', true],
      [['*.otel.test'], 'a_b.otel.test', true],
      [['*.otel.test'], 'a.b.otel.test', false],
      [['f*.x.test'], 'foo.x.test', false],
      [['*'], 'localhost', false],
      [['COLLECTOR.test'], 'collector.TEST', true],
      [['127.0.0.1'], '127.0.0.1', false],
    ];
    assert.deepEqual(cases.map(([dns, host]) => okHttpCheckHost(names(dns), host).ok), cases.map((c) => c[2]));
    const mapped = info(forge({ subject: 'm', issuer: root, extensions: [ext.sanRaw([[7, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1])]])] }));
    assert.equal(okHttpCheckHost(mapped, '127.0.0.1').ok, true);
    assert.equal(okHttpCheckHost(info(forge({ subject: 'collector', issuer: root })), 'collector').ok, false);
  });
});

/**
 * What parseCertificate reads at the first ask (certificates/certificateInfo.ts: the lenient readings of the
 * extensions, the fingerprint, the names as OpenSSL prints them) against an eager reading of the same
 * certificate by the libraries themselves (@peculiar/asn1-schema's AsnConvert.parse of each extension, Node's
 * X509Certificate), for certificates parsed with one decoding cache and asked in another order than parsed;
 * and the certificate cache of certificateFiles.ts: a path whose file is replaced by another certificate, and
 * one content at two paths.
 */
import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, BasicConstraints, Certificate, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName, SubjectKeyIdentifier } from '@peculiar/asn1-x509';
import { parseCertificate, type CertificateInfo } from '../../server/src/service/certificates/certificateInfo';
import { BerCache } from '../../server/src/service/certificates/goParse';
import { loadReferencedFile } from '../../server/src/service/certificates/certificateFiles';
import { createCaches } from '../../server/src/service/caches';
import { defaultSettings } from '../../server/src/service/settings';
import { ext, forge, forgeCa, forgeKey, forgeServer, type Forged } from '../support/forge';
import { memoryRuntime } from '../support/memoryRuntime';

const root = forgeCa('Reading Root', { extensions: [ext.basicConstraints(true, 2), ext.keyUsage(0x20 | 0x40)] });
const serverKey = forgeKey('ec', true);
const server = forgeServer(root, ['a.test', 'b.test'], {
  key: serverKey,
  extensions: [ext.san({ dns: ['a.test', 'b.test'], ip: ['10.0.0.7'] }), ext.eku(['1.3.6.1.5.5.7.3.1']), ext.ski(serverKey), ext.aki(root.key)],
});
const client = forge({ subject: 'CN=app-1, O=Team', issuer: root, extensions: [ext.san({ dns: ['app-1.test'] }), ext.eku(['1.3.6.1.5.5.7.3.2'])] });
// Extensions whose values do not parse: read leniently, they count as absent (KeyUsage: null), and the certificate is one.
const broken = forge({
  subject: 'CN=broken',
  issuer: root,
  defaults: false,
  extensions: [ext.raw('2.5.29.17', new Uint8Array([0x30, 0x05, 0x82])), ext.raw('2.5.29.15', new Uint8Array([0x02, 0x01])), ext.raw('2.5.29.37', new Uint8Array([0x04, 0x00]))],
});

/** The fields read at the first ask, as plain values. */
function lazyFields(cert: CertificateInfo) {
  return {
    fingerprint: cert.fingerprint,
    label: cert.label,
    subject: cert.subject,
    issuer: cert.issuer,
    isCa: cert.isCa,
    pathLen: cert.pathLen,
    // Arrays as arrays (a SAN's flatMap is the library's SubjectAlternativeName array, as it always was).
    dnsNames: [...cert.dnsNames],
    ipAddresses: [...cert.ipAddresses].map((ip) => Buffer.from(ip).toString('hex')),
    eku: cert.eku,
    subjectKeyId: cert.subjectKeyId,
    authorityKeyId: cert.authorityKeyId,
    keyUsages: cert.keyUsages,
    keyCertSign: cert.keyCertSign,
  };
}

const hex = (b: ArrayBuffer | ArrayBufferView) => (ArrayBuffer.isView(b) ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : Buffer.from(b)).toString('hex');
const lenient = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

/** The same fields read eagerly by the libraries, each extension parsed on its own with AsnConvert.parse. */
function eagerFields(f: Forged) {
  const x509 = new X509Certificate(f.der);
  const tbs = AsnConvert.parse(f.der, Certificate).tbsCertificate;
  const value = (oid: string) => tbs.extensions?.filter((e) => e.extnID === oid).at(-1)?.extnValue.buffer;
  const parse = <T>(oid: string, type: new () => T): T | undefined => {
    const v = value(oid);
    return v ? lenient(() => AsnConvert.parse(v, type)) : undefined;
  };
  const san = parse('2.5.29.17', SubjectAlternativeName) ?? [];
  const bc = parse('2.5.29.19', BasicConstraints);
  const eku = parse('2.5.29.37', ExtendedKeyUsage);
  const ski = parse('2.5.29.14', SubjectKeyIdentifier);
  const aki = parse('2.5.29.35', AuthorityKeyIdentifier)?.keyIdentifier;
  const ku = value('2.5.29.15') ? (lenient(() => AsnConvert.parse(value('2.5.29.15')!, KeyUsage).toNumber() || 0) ?? null) : undefined;
  const subject = x509.subject.split('\n').filter(Boolean).join(', ');
  const cn = /(?:^|, )CN=([^,]*)/.exec(subject)?.[1];
  return {
    fingerprint: x509.fingerprint256,
    label: cn !== undefined ? `CN=${cn}` : subject,
    subject,
    issuer: x509.issuer.split('\n').filter(Boolean).join(', '),
    isCa: !!bc?.cA,
    pathLen: bc?.pathLenConstraint,
    dnsNames: [...san].flatMap((n) => (n.dNSName !== undefined ? [n.dNSName] : [])),
    ipAddresses: [...san].flatMap((n) => (n.iPAddress !== undefined ? [n.iPAddress === '10.0.0.7' ? '0a000007' : `?${n.iPAddress}`] : [])),
    eku: eku ? [...eku] : undefined,
    subjectKeyId: ski ? hex(ski.buffer) : undefined,
    authorityKeyId: aki ? hex(aki.buffer) : undefined,
    keyUsages: ku,
    keyCertSign: ku === undefined || ku === null ? undefined : (ku & 0x20) !== 0,
  };
}

describe('certificate fields read at the first ask', () => {
  const forged = [root, server, client, broken];

  it('are those of an eager reading, for certificates parsed with one decoding cache and asked in another order', () => {
    const ber = new BerCache();
    const parsed = forged.map((f) => parseCertificate(f.der, ber));
    // Asked last certificate first, and each field of every certificate before the next field.
    const order = [...parsed.keys()].reverse();
    const asked = new Map<number, Record<string, unknown>>(order.map((i) => [i, {}]));
    for (const field of Object.keys(lazyFields(parsed[0]))) for (const i of order) asked.get(i)![field] = (lazyFields(parsed[i]) as Record<string, unknown>)[field];
    for (const [i, f] of forged.entries()) assert.deepEqual(asked.get(i), eagerFields(f), `certificate ${i}`);
  });

  it('say what each certificate holds (the eager reading above is not empty)', () => {
    const [r, s, c, b] = forged.map((f) => lazyFields(parseCertificate(f.der)));
    assert.deepEqual([r.isCa, r.pathLen, r.keyCertSign, r.dnsNames], [true, 2, true, []]);
    assert.deepEqual([s.dnsNames, s.ipAddresses, s.eku, s.isCa, s.label], [['a.test', 'b.test'], ['0a000007'], ['1.3.6.1.5.5.7.3.1'], false, 'CN=a.test']);
    assert.equal(s.authorityKeyId, r.subjectKeyId);
    assert.ok(s.subjectKeyId && s.subjectKeyId !== r.subjectKeyId);
    assert.deepEqual([c.dnsNames, c.eku, c.label, c.subject], [['app-1.test'], ['1.3.6.1.5.5.7.3.2'], 'CN=app-1', 'CN=app-1, O=Team']);
    assert.notEqual(s.fingerprint, c.fingerprint);
    // The broken extensions are absent (KeyUsage: there, not read), and the certificate is one.
    assert.deepEqual([b.dnsNames, b.ipAddresses, b.eku, b.keyUsages, b.keyCertSign, b.label], [[], [], undefined, null, undefined, 'CN=broken']);
  });

  it('are own enumerable properties, so a copy of the certificate (spread, JSON) has them', () => {
    const cert = parseCertificate(server.der);
    const { x509: _x509, publicKey: _key, go: _go, ...copy } = cert;
    assert.deepEqual([...copy.dnsNames], ['a.test', 'b.test']);
    assert.deepEqual(JSON.parse(JSON.stringify({ eku: cert.eku, ...copy })).eku, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(copy.fingerprint, new X509Certificate(server.der).fingerprint256);
  });
});

describe('the certificate cache (certificateFiles.ts)', () => {
  const settings = { ...defaultSettings, workspaceRoots: ['/w'] };
  const fingerprints = (loaded: ReturnType<typeof loadReferencedFile>) => (loaded.status === 'ok' ? loaded.parsed.certificates.map((c) => c.fingerprint) : loaded.status);

  it('a path whose file became another certificate (another mtime) is read again', () => {
    const caches = createCaches();
    const before = memoryRuntime({ files: { '/w/tls.crt': { contents: server.pem, mtimeMs: 1 } } });
    const after = memoryRuntime({ files: { '/w/tls.crt': { contents: client.pem, mtimeMs: 2 } } });
    const first = loadReferencedFile({ runtime: before, settings, caches }, 'tls.crt', '/w/collector.yaml');
    const second = loadReferencedFile({ runtime: after, settings, caches }, 'tls.crt', '/w/collector.yaml');
    assert.deepEqual(fingerprints(first), [new X509Certificate(server.der).fingerprint256]);
    assert.deepEqual(fingerprints(second), [new X509Certificate(client.der).fingerprint256]);
    assert.deepEqual(second.status === 'ok' ? [...second.parsed.certificates[0].dnsNames] : [], ['app-1.test']);
    // And back: the cache holds the last reading of the path only.
    const again = loadReferencedFile({ runtime: before, settings, caches }, 'tls.crt', '/w/collector.yaml');
    assert.deepEqual(fingerprints(again), [new X509Certificate(server.der).fingerprint256]);
    assert.deepEqual(before.reads, ['/w/tls.crt', '/w/tls.crt']);
  });

  it('one content at two paths: each path is its own file, with the same certificate read', () => {
    const caches = createCaches();
    const runtime = memoryRuntime({ files: { '/w/a/ca.crt': root.pem, '/w/b/ca.crt': root.pem, '/w/b/other.crt': server.pem } });
    const access = { runtime, settings, caches };
    const a = loadReferencedFile(access, 'ca.crt', '/w/a/app.env');
    const b = loadReferencedFile(access, 'ca.crt', '/w/b/app.env');
    const other = loadReferencedFile(access, 'other.crt', '/w/b/app.env');
    assert.deepEqual([a.status === 'ok' && a.path, b.status === 'ok' && b.path, other.status === 'ok' && other.path], ['/w/a/ca.crt', '/w/b/ca.crt', '/w/b/other.crt']);
    assert.deepEqual(fingerprints(a), fingerprints(b));
    assert.notDeepEqual(fingerprints(a), fingerprints(other));
    assert.deepEqual(a.status === 'ok' ? [a.parsed.certificates[0].isCa, a.parsed.certificates[0].label] : [], [true, 'CN=Reading Root']);
  });
});

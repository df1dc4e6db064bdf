/**
 * One reading (certificates/certificateInfo.ts goReadsAll, docs/virtual-certificates.md "One reading"): a
 * certificate Go reads whole takes the fields the schema's reading gave (extensions, subject, raw names, signature
 * algorithm, validity, version) from Go's decoding, and maps only the subject's CN values. Every field of the parsed certificate, the lazy ones too, is
 * compared with the schema's whole reading (`wholeSchema`) on the bundled Mozilla roots, every certificate of the
 * fixture folders and examples, and forged ones of each shape the shortcut decides on.
 */
import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as asn1js from 'asn1js';
import { parseCertificate, type CertificateInfo } from '../../server/src/service/certificates/certificateInfo';
import { BerCache } from '../../server/src/service/certificates/goParse';
import { scanPem } from '../../server/src/service/certificates/pem';
import { ca, client, intermediate, server as issueServer } from '../support/certificates';
import { ext, forge, forgeCa, forgeKey, forgeServer } from '../support/forge';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Every field, the lazy ones asked, as JSON; or what it throws. */
function reading(der: Uint8Array, wholeSchema: boolean): string {
  let parsed: CertificateInfo;
  try {
    parsed = parseCertificate(der, new BerCache(), { wholeSchema });
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
  const { x509: _x509, publicKey, go: _go, ...fields } = parsed;
  const all = { ...fields, label: parsed.label, subject: parsed.subject, issuer: parsed.issuer, fingerprint: parsed.fingerprint, isCa: parsed.isCa, pathLen: parsed.pathLen, dnsNames: parsed.dnsNames, ipAddresses: parsed.ipAddresses, eku: parsed.eku, subjectKeyId: parsed.subjectKeyId, authorityKeyId: parsed.authorityKeyId, keyUsages: parsed.keyUsages, keyCertSign: parsed.keyCertSign, notBefore: parsed.notBefore.getTime(), notAfter: parsed.notAfter.getTime(), key: publicKey.type };
  return JSON.stringify(all, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'bigint' ? String(v) : v));
}

function pemFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '.git') continue;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) pemFiles(path, out);
    else if (stat?.isFile() && stat.size < 1_000_000) out.push(path);
  }
  return out;
}

/** The TBSCertificate of `der` with `edit` applied to its fields, under the same outer signature (the signature no longer verifies; neither reading checks it). */
function editTbs(der: Uint8Array, edit: (fields: asn1js.AsnType[]) => asn1js.AsnType[]): Uint8Array {
  const top = asn1js.fromBER(new Uint8Array(der)).result as asn1js.Sequence;
  const [tbs, ai, sig] = top.valueBlock.value as [asn1js.Sequence, asn1js.AsnType, asn1js.AsnType];
  const fields = edit([...tbs.valueBlock.value]);
  return new Uint8Array(new asn1js.Sequence({ value: [new asn1js.Sequence({ value: fields }), ai, sig] }).toBER());
}

const atv = (oid: string, value: asn1js.AsnType) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] });
/** A Name of one RDN per attribute. */
const subjectOf = (attributes: [string, asn1js.AsnType][]) => new asn1js.Sequence({ value: attributes.map(([oid, value]) => new asn1js.Set({ value: [atv(oid, value)] })) });

describe('a certificate Go reads whole: the fields from its decoding are the schema whole reading', () => {
  const root = forgeCa('Readings Root');
  const der = (pem: string) => scanPem(pem).blocks[0].bytes;
  const server = der(forgeServer(root, ['a.test', '10.0.0.1'], { extensions: [ext.eku(['1.3.6.1.5.5.7.3.1'])] }).pem);
  const forged: [string, Uint8Array][] = [
    ['a v3 server certificate', server],
    ['a v1 certificate', der(forge({ subject: 'CN=v1, O=Old', issuer: root, version: 1 }).pem)],
    ['a v2 certificate', der(forge({ subject: 'CN=v2', issuer: root, version: 2 }).pem)],
    ['two CNs and an O', der(forge({ subject: 'CN=first, CN=second, O=Org', issuer: root }).pem)],
    ['a GeneralizedTime notAfter', der(forge({ subject: 'CN=long', issuer: root, notAfter: new Date(Date.UTC(2060, 0, 1)) }).pem)],
    ['a UTCTime with an offset (Go 1.24+ refuses)', der(forge({ subject: 'CN=offset', issuer: root, notBefore: { raw: '250101000000+0100', tag: 'utc' } }).pem)],
    ['a negative serial (Go refuses)', der(forgeServer(root, ['a'], { serialHex: 'ff01' }).pem)],
    ['an extension repeated (Go refuses)', der(forgeServer(root, ['a'], { extensions: [ext.policies(['2.5.29.32.0']), ext.policies(['2.5.29.32.0'])] }).pem)],
    ['no version field but extensions (v1: Go ignores them)', editTbs(server, (f) => f.slice(1))],
    ['an RSA issuer', der(forgeServer(forgeCa('RSA Root', { key: forgeKey('rsa') }), ['r']).pem)],
    ['an Ed25519 leaf', der(forgeServer(root, ['e'], { key: forgeKey('ed25519') }).pem)],
    ['issuer and subject unique IDs', editTbs(server, (f) => [...f.slice(0, 7), new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 1 }, valueHex: new Uint8Array([0, 1]) }), new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 }, valueHex: new Uint8Array([0, 2]) }), ...f.slice(7)])],
    ['CNs as BMPString, IA5String, TeletexString and an empty PrintableString, and an O', editTbs(server, (f) => [...f.slice(0, 5), subjectOf([['2.5.4.3', new asn1js.BmpString({ value: 'bmp' })], ['2.5.4.10', new asn1js.Utf8String({ value: 'Org' })], ['2.5.4.3', new asn1js.IA5String({ value: 'ia5' })], ['2.5.4.3', new asn1js.TeletexString({ value: 't61' })], ['2.5.4.3', new asn1js.PrintableString({ value: '' })]]), ...f.slice(6)])],
    ['a CN as UTF8String after one as PrintableString, in one RDN', editTbs(server, (f) => [...f.slice(0, 5), new asn1js.Sequence({ value: [new asn1js.Set({ value: [atv('2.5.4.3', new asn1js.PrintableString({ value: 'first' })), atv('2.5.4.3', new asn1js.Utf8String({ value: 'zweite' }))] })] }), ...f.slice(6)])],
    ['an attribute with a third element', editTbs(server, (f) => [...f.slice(0, 5), new asn1js.Sequence({ value: [new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '2.5.4.3' }), new asn1js.Utf8String({ value: 'x' }), new asn1js.Null()] })] })] }), ...f.slice(6)])],
    ['a field past the extensions', editTbs(server, (f) => [...f, new asn1js.Integer({ value: 7 })])],
    ['the unique IDs after the extensions', editTbs(server, (f) => [...f, new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 1 }, valueHex: new Uint8Array([0, 1]) })])],
  ];
  for (const [name, bytes] of forged) {
    it(name, () => assert.equal(reading(bytes, false), reading(bytes, true)));
  }

  it('every bundled Mozilla root, the tests\' issued certificates, and every certificate of the fixtures and examples', async () => {
    const { rootCertificates } = await import('node:tls');
    const root = await ca('Readings CA', { key: 'rsa' });
    const mid = await intermediate(root);
    const issued = [root, mid, await issueServer(mid, ['collector.test', '127.0.0.1']), await client(root, 'app-1'), await issueServer(undefined, ['self.test'])].map((i) => i.pem);
    const ders = [...rootCertificates, ...issued, ...[...pemFiles(join(ROOT, 'test')), ...pemFiles(join(ROOT, 'examples'))].map((path) => readFileSync(path, 'latin1'))].flatMap((text) =>
      scanPem(text).blocks.filter((b) => b.type === 'CERTIFICATE').map((b) => b.bytes),
    );
    assert.ok(ders.length > 145, `${ders.length} certificates`);
    const differing = ders.filter((d) => reading(d, false) !== reading(d, true));
    assert.deepEqual(differing.map((d) => reading(d, true)), []);
  });
});

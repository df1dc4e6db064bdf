/**
 * One parsed certificate with what the checks need: Node's X509Certificate for signatures,
 * plus the fields Node does not expose (version, signature algorithm, raw issuer/subject, SANs,
 * EKU, basic constraints, key identifiers, key usage) read with @peculiar/asn1-x509's schema
 * exactly as Go's crypto/x509 sees them.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { AsnGeneralizedTimeConverter, AsnObjectIdentifierConverter, AsnOctetStringConverter, AsnParser, AsnProp, AsnUTCTimeConverter } from '@peculiar/asn1-schema';
import {
  AsnIpConverter,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  Name,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  TBSCertificate,
} from '@peculiar/asn1-x509';
import { OID, SIGNATURE_ALGORITHMS } from './oids';
import { keyFromStructure, namedCurveOfSpki } from './keyStructure';
import type { PemBlock } from './pem';
import { BerCache, certificateTree, goParseCertificate, type Der, type GoCertificate } from './goParse';
import type { VirtualMark } from './virtualCertificates';

export interface PublicKeyInfo {
  type: string;
  /** RSA modulus bits. */
  bits?: number;
  curve?: string;
  /** SubjectPublicKeyInfo DER as hex, to compare a certificate with a private key. */
  spki: string;
}

export interface CertificateInfo {
  x509: X509Certificate;
  der: Uint8Array;
  fingerprint: string;
  /** Human label: `CN=…` when there is a CN, else the whole subject. */
  label: string;
  subject: string;
  issuer: string;
  commonName?: string;
  rawSubject: string;
  rawIssuer: string;
  notBefore: Date;
  notAfter: Date;
  version: number;
  signature: { oid: string; name: string; hash: string };
  hasBasicConstraints: boolean;
  isCa: boolean;
  pathLen?: number;
  hasSanExtension: boolean;
  dnsNames: string[];
  ipAddresses: Uint8Array[];
  /** undefined when the certificate has no EKU extension (any usage). */
  eku?: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  /** The KeyUsage extension's KeyUsageFlags bits: undefined when there is none, null when it does not parse. */
  keyUsages?: number | null;
  /** undefined when the certificate has no KeyUsage extension (or it does not parse); else whether keyCertSign is set. */
  keyCertSign?: boolean;
  publicKey: PublicKeyInfo;
  selfIssued: boolean;
  /**
   * The certificate as Go's crypto/x509 parses it (./goParse.ts): its parse error, when Go refuses a
   * certificate OpenSSL reads, and the fields Go's verifier uses. The fields above are OpenSSL's and
   * @peculiar's lenient reading, for hovers and for the OpenSSL-based SDKs.
   */
  go: GoCertificate;
  /** The PEM block had headers (`Proc-Type: …`): Go's AppendCertsFromPEM skips such a block. */
  pemHeaders: boolean;
  /** Not a file: what a cert-manager Certificate of the workspace will issue (./virtualCertificates.ts). */
  virtual?: VirtualMark;
}

/** The TBSCertificate schema, also keeping issuer and subject as encoded: Go builds chains by comparing their raw DER. */
class TbsCertificateWithRawNames extends TBSCertificate {
  @AsnProp({ type: Name, raw: true }) override issuer = new Name();
  @AsnProp({ type: Name, raw: true }) override subject = new Name();
  /** Set by the parser (the `raw` option above). */
  issuerRaw?: Uint8Array;
  subjectRaw?: Uint8Array;
}

class CertificateWithRawNames extends Certificate {
  @AsnProp({ type: TbsCertificateWithRawNames, raw: true }) override tbsCertificate = new TbsCertificateWithRawNames();
}

/**
 * `ber`: the decodings to share (a fresh one by default; tests pass one with asn1js's other options).
 *
 * What decides whether the block is a certificate is read at once: OpenSSL's reading (X509Certificate), the
 * schema's reading of the whole certificate (either throwing makes it not a certificate) and Go's. What
 * neither decides is read at the first ask and kept (getters of the returned object, enumerable like the
 * fields they stand for): the lenient readings of the extensions (one that does not parse counts as absent,
 * so reading it later cannot change what the certificate is), the fingerprint, and the names as OpenSSL prints
 * them. Most certificates of a run are asked a few of them (the bench's 1,000-file
 * workspace: the SANs and EKU of its leaves, the key identifiers of few).
 *
 * The schema's reading is not made of a certificate Go reads whole (goReadsAll): its fields come from Go's
 * decoding. `readings.wholeSchema` makes it anyway (the tests compare both).
 */
export function parseCertificate(block: PemBlock | Uint8Array, ber = new BerCache(), readings: { wholeSchema?: boolean } = {}): CertificateInfo {
  const der = block instanceof Uint8Array ? block : block.bytes;
  const x509 = new X509Certificate(der);
  // The DER and the extensions' values are decoded once for all readings, the schema's and Go's (`go`, which never throws).
  const go = goParseCertificate(der, ber);
  // Throws on malformed input; callers report it as not a certificate.
  const { ext, commonName, rawSubject, rawIssuer, signatureOid, notBefore, notAfter, version } = (readings.wholeSchema ? undefined : goReadsAll(ber, der, go)) ?? schemaFields(ber, der);
  // Leniently: an extension that does not parse counts as absent here (Go's view, in `go`, says what Go makes of it).
  // Decoded (as `ber` decodes) and mapped at the first ask: what is kept until then is the extensions' bytes.
  const decode = ber.decoder;
  const extension = <T>(oid: string, type: new () => T): T | undefined => {
    const value = ext.get(oid);
    return value && value.byteLength > 0 ? safe(() => mapAsn(decode(new Uint8Array(value)), type)) : undefined;
  };
  const once = <T>(read: () => T): (() => T) => {
    let done = false;
    let value: T;
    return () => {
      if (!done) {
        value = read();
        done = true;
      }
      return value;
    };
  };
  const san = once(() => extension(OID.subjectAltName, SubjectAlternativeName));
  const constraints = once(() => extension(OID.basicConstraints, BasicConstraints));
  const eku = once(() => {
    const read = extension(OID.extKeyUsage, ExtendedKeyUsage);
    return read ? [...read] : undefined;
  });
  // The identifiers and KeyUsage are read leniently, as before: one that does not parse is left out.
  const subjectKeyId = once(() => (ext.has(OID.subjectKeyId) ? safe(() => hex(extension(OID.subjectKeyId, SubjectKeyIdentifier)!.buffer)) : undefined));
  const authorityKeyId = once(() => {
    const id = ext.has(OID.authorityKeyId) ? safe(() => extension(OID.authorityKeyId, AuthorityKeyIdentifier)!.keyIdentifier?.buffer) : undefined;
    return id && hex(id);
  });
  const keyUsages = once(() => (ext.has(OID.keyUsage) ? (safe(() => extension(OID.keyUsage, KeyUsage)!.toNumber() || 0) ?? null) : undefined));
  const subject = once(() => oneLine(x509.subject ?? ''));
  const issuer = once(() => oneLine(x509.issuer ?? ''));
  const fingerprint = once(() => x509.fingerprint256);
  const label = once(() => (commonName !== undefined ? `CN=${commonName}` : subject() || `serial ${x509.serialNumber}`));
  const dnsNames = once(() => (san() ?? []).flatMap((name) => (name.dNSName !== undefined ? [name.dNSName] : [])));
  const ipAddresses = once(() => (san() ?? []).flatMap((name) => (name.iPAddress !== undefined ? [ipBytes(name.iPAddress)] : [])));
  return {
    x509,
    der,
    get fingerprint() {
      return fingerprint();
    },
    get label() {
      return label();
    },
    get subject() {
      return subject();
    },
    get issuer() {
      return issuer();
    },
    commonName,
    rawSubject,
    rawIssuer,
    notBefore,
    notAfter,
    version,
    signature: { oid: signatureOid, ...(SIGNATURE_ALGORITHMS[signatureOid] ?? { name: signatureOid, hash: 'unknown' }) },
    hasBasicConstraints: ext.has(OID.basicConstraints),
    get isCa() {
      return !!constraints()?.cA;
    },
    get pathLen() {
      return constraints()?.pathLenConstraint;
    },
    hasSanExtension: ext.has(OID.subjectAltName),
    get dnsNames() {
      return dnsNames();
    },
    get ipAddresses() {
      return ipAddresses();
    },
    get eku() {
      return eku();
    },
    get subjectKeyId() {
      return subjectKeyId();
    },
    get authorityKeyId() {
      return authorityKeyId();
    },
    get keyUsages() {
      return keyUsages();
    },
    get keyCertSign() {
      const bits = keyUsages();
      return bits === undefined || bits === null ? undefined : (bits & KeyUsageFlags.keyCertSign) !== 0;
    },
    // Now: X509Certificate.publicKey throws for a key OpenSSL cannot load, which makes the block not a certificate.
    publicKey: describePublicKey(x509.publicKey),
    selfIssued: rawSubject === rawIssuer,
    go,
    pemHeaders: !(block instanceof Uint8Array) && Object.keys(block.headers).length > 0,
  };
}

/** What the checks read of the schema's reading at once; the extensions' values by OID (a repeated extension counts as its last occurrence). */
interface SchemaFields {
  ext: Map<string, ArrayBuffer | Uint8Array>;
  /** Go keeps the last CN; so do we. */
  commonName?: string;
  rawSubject: string;
  rawIssuer: string;
  signatureOid: string;
  notBefore: Date;
  notAfter: Date;
  version: number;
}

function lastCommonName(subject: Name): string | undefined {
  return [...subject].flatMap((rdn) => [...rdn]).filter((atv) => atv.type === OID.commonName).map((atv) => atv.value.toString()).at(-1);
}

/** The schema's reading of the whole certificate (throws when it does not map). */
function schemaFields(ber: BerCache, der: Uint8Array): SchemaFields {
  const asn = parseAsn(ber, der, CertificateWithRawNames);
  const tbs = asn.tbsCertificate;
  return {
    ext: new Map((tbs.extensions ?? []).map((e) => [e.extnID, e.extnValue.buffer] as const)),
    commonName: lastCommonName(tbs.subject),
    rawSubject: rawHex(tbs.subjectRaw),
    rawIssuer: rawHex(tbs.issuerRaw),
    signatureOid: asn.signatureAlgorithm.algorithm,
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    version: tbs.version + 1,
  };
}

/**
 * The same fields from the decoding Go's reading walked, when Go (1.23 and 1.24+) reads the whole certificate
 * and its TBSCertificate holds exactly the fields of the schema in their order (Go reads extensions only in a
 * v3 certificate, the schema in any): Go's DER rules are stricter than the schema's BER reading, so such a
 * certificate maps too, and mapping all of it (a third of a certificate's parse) would only say so again. The
 * fields are bytes, OIDs and times read by the schema's own converters, and the subject's CN values mapped by its
 * AttributeValue (subjectCommonName). docs/architecture.md ("One reading where Go reads it
 * whole") says why; test/unit/certificateReadings.test.ts compares both readings.
 * Undefined: the schema reads the whole certificate (schemaFields).
 */
function goReadsAll(ber: BerCache, der: Uint8Array, go: GoCertificate): SchemaFields | undefined {
  if (go.parseError !== undefined || go.parseError123 !== undefined) return undefined;
  const top = certificateTree(ber, der);
  if (!top || top.children.length !== 3) return undefined;
  const [tbs, outerAi] = top.children;
  const all = tbs.children;
  const hasVersion = all[0]?.tag === 0xa0;
  const fields = hasVersion ? all.slice(1) : all;
  if (fields.length < 6) return undefined;
  // After the six required fields, only what Go skips or reads: [1] issuerUniqueID, [2] subjectUniqueID and [3]
  // extensions, each at most once, in this order.
  const optional = fields.slice(6).map((f) => f.tag);
  const order = [0x81, 0x82, 0xa3];
  let next = 0;
  for (const tag of optional) {
    while (next < order.length && order[next] !== tag) next++;
    if (next === order.length) return undefined;
    next++;
  }
  if (optional.includes(0xa3) && go.version !== 3) return undefined;
  const [, , issuer, validity, subject] = fields;
  const oid = outerAi.children[0];
  if (!oid || oid.tag !== 0x06) return undefined;
  const [notBefore, notAfter] = validity.children.map(timeOf);
  if (!notBefore || !notAfter || validity.children.length !== 2) return undefined;
  return {
    ext: new Map(go.extensions.map((e) => [e.oid, e.value] as const)),
    commonName: subjectCommonName(subject),
    rawSubject: hexView(subject.raw),
    rawIssuer: hexView(issuer.raw),
    signatureOid: oidOf(oid),
    notBefore,
    notAfter,
    version: go.version,
  };
}

function oidOf(node: Der): string {
  return AsnObjectIdentifierConverter.fromASN(node.block as Parameters<typeof AsnObjectIdentifierConverter.fromASN>[0]);
}

/** A Time as the schema's Time reads it (its UTCTime or GeneralizedTime converter), else undefined. */
function timeOf(node: Der): Date | undefined {
  if (node.tag === 0x17) return AsnUTCTimeConverter.fromASN(node.block as Parameters<typeof AsnUTCTimeConverter.fromASN>[0]);
  if (node.tag === 0x18) return AsnGeneralizedTimeConverter.fromASN(node.block as Parameters<typeof AsnGeneralizedTimeConverter.fromASN>[0]);
  return undefined;
}

/**
 * The subject's last CN as the schema's Name reads it: only the CN values are mapped (the schema's AttributeValue,
 * its string as it prints it) when every attribute is a type and a value; else the whole Name.
 */
function subjectCommonName(subject: Der): string | undefined {
  const atvs = subject.children.flatMap((rdn) => rdn.children);
  if (!atvs.every((atv) => atv.tag === 0x30 && atv.children.length === 2 && atv.children[0].tag === 0x06)) return lastCommonName(AsnParser.fromASN(subject.block, Name));
  const values = atvs.filter((atv) => oidOf(atv.children[0]) === OID.commonName).map((atv) => AsnParser.fromASN(atv.children[1].block, AttributeValue).toString());
  return values.at(-1);
}

function hexView(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * What @peculiar/asn1-schema's AsnConvert.parse(bytes, type) does (asn1js.fromBER of the bytes with the default
 * options, its error thrown, then the schema's mapping), with the decoding taken from `ber`.
 */
function parseAsn<T>(ber: BerCache, bytes: Uint8Array, type: new () => T): T {
  return mapAsn(ber.fromBER(bytes), type);
}

function mapAsn<T>(decoded: ReturnType<BerCache['fromBER']>, type: new () => T): T {
  if (decoded.result.error) throw new Error(decoded.result.error);
  return AsnParser.fromASN(decoded.result, type);
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function hex(bytes: ArrayBuffer | ArrayBufferView): string {
  return (ArrayBuffer.isView(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes)).toString('hex');
}

function rawHex(bytes: Uint8Array | undefined): string {
  if (!bytes) throw new Error('the certificate has no issuer or subject name');
  return hex(bytes);
}

type OctetStringBlock = Parameters<typeof AsnOctetStringConverter.fromASN>[0];

/**
 * The library hands IP SANs over as text; host matching compares the bytes. Go only accepts 4 or
 * 16 bytes, which round-trip exactly; other lengths come back as hex (or an 8/32-byte CIDR) and
 * are kept at their length, which is all `ipText` shows of them.
 */
function ipBytes(text: string): Uint8Array {
  try {
    return new Uint8Array(AsnOctetStringConverter.fromASN(AsnIpConverter.toASN(text) as OctetStringBlock));
  } catch {
    return new Uint8Array(Buffer.from(text, 'hex'));
  }
}

function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/**
 * What a key is, read from its KeyObject on first use: OpenSSL 3 answers the details (bits, curve) and the SPKI
 * export through its provider and encoder machinery, about 0.1 ms each, and most certificates are never asked
 * all three.
 */
export function describePublicKey(key: KeyObject, ofPrivateKey = false): PublicKeyInfo {
  return new KeyDescription(key, ofPrivateKey);
}

class KeyDescription implements PublicKeyInfo {
  readonly type: string;
  #details?: NonNullable<KeyObject['asymmetricKeyDetails']>;
  #spki?: string;

  /** `ofPrivateKey`: the public half of a private key (see `curve`). */
  constructor(
    private readonly key: KeyObject,
    private readonly ofPrivateKey: boolean,
  ) {
    this.type = key.asymmetricKeyType ?? 'unknown';
  }

  private get details(): NonNullable<KeyObject['asymmetricKeyDetails']> {
    return (this.#details ??= this.key.asymmetricKeyDetails ?? {});
  }

  get bits(): number | undefined {
    return this.type === 'rsa' || this.type === 'rsa-pss' ? this.details.modulusLength : undefined;
  }

  /**
   * An EC private key's curve is read from the SPKI OpenSSL exports for it: Node 20 aborts the process when
   * asked the details of an EC key OpenSSL 3.0 loaded but cannot hand over as an EC_KEY (a scalar past the
   * curve's order: a CHECK in GetEcKeyDetail); its export works. Curves not named there are asked as before.
   */
  get curve(): string | undefined {
    if (this.ofPrivateKey && this.type === 'ec') {
      const named = namedCurveOfSpki(Buffer.from(this.spki, 'hex'));
      if (named !== undefined) return named;
    }
    return this.details.namedCurve;
  }

  get spki(): string {
    return (this.#spki ??= (this.key.export({ type: 'spki', format: 'der' }) as Buffer).toString('hex'));
  }
}

/**
 * Whether a certificate holds the public half of a key: their SPKIs as OpenSSL exports them are equal. The
 * certificate's SPKI as encoded is tried first: when it equals the key's export it is an encoding OpenSSL
 * writes, which OpenSSL reads back and exports unchanged, so the certificate's export is the same and need
 * not be made.
 */
export function certificateHoldsKey(cert: CertificateInfo, key: PublicKeyInfo): boolean {
  if (cert.go.spki !== '' && cert.go.spki === key.spki) return true;
  return cert.publicKey.spki === key.spki;
}

/** An IP SAN as Go's net.IP.String() prints it (an IPv4-mapped IPv6 address as IPv4). */
export function ipText(ip: Uint8Array): string {
  if (ip.length !== 4 && ip.length !== 16) return `<${ip.length}-byte IP>`;
  const v4Mapped = ip.length === 16 && Buffer.from(ip.subarray(0, 12)).equals(V4_MAPPED_PREFIX);
  return AsnIpConverter.fromASN(AsnOctetStringConverter.toASN(new Uint8Array(v4Mapped ? ip.subarray(12) : ip).buffer));
}

const V4_MAPPED_PREFIX = Buffer.from('00000000000000000000ffff', 'hex');

/** A short description of the key for messages: "RSA 2048-bit", "EC P-256". */
export function keyDescription(key: PublicKeyInfo): string {
  if (key.type === 'rsa' || key.type === 'rsa-pss') return `RSA ${key.bits}-bit`;
  if (key.type === 'ec') return `ECDSA ${curveName(key.curve)}`;
  return key.type === 'ed25519' ? 'Ed25519' : key.type;
}

function curveName(curve?: string): string {
  return curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : curve ?? 'unknown curve';
}

export interface PrivateKeyInfo {
  pemType: string;
  encrypted: boolean;
  /** Set when Node's crypto could load the key. */
  publicKey?: PublicKeyInfo;
  /** Why the key could not be loaded (never the key material). */
  error?: string;
}

/**
 * A PEM block whose type ends in "PRIVATE KEY", as Go's X509KeyPair looks for. RSA and EC keys whose ASN.1
 * structure decides what OpenSSL makes of them are read from it (./keyStructure.ts); the rest by OpenSSL.
 * `structure: false` always asks OpenSSL (the tests compare both).
 */
export function parsePrivateKey(block: PemBlock, structure = true): PrivateKeyInfo {
  const encrypted = block.type === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '');
  if (encrypted) return { pemType: block.type, encrypted };
  const read = structure ? keyFromStructure(block) : undefined;
  if (read) return { pemType: block.type, encrypted, publicKey: read };
  try {
    const key = createPrivateKey({ key: block.text, format: 'pem' });
    return { pemType: block.type, encrypted, publicKey: describePublicKey(createPublicKey(key), true) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { pemType: block.type, encrypted, error: code ? `${code}` : 'the key data does not parse' };
  }
}

/**
 * Whether `parent`'s public key verifies `child`'s signature, remembered per (issuer, certificate) pair:
 * a memo of a pure function of the two certificates, held by the child's object (so it goes with the
 * certificate cache's entry) and keyed by the parent's fingerprint. Go's and OpenSSL's chain builders
 * and the file findings ask the same pairs for every client of a CA.
 */
export function signatureVerifies(child: CertificateInfo, parent: CertificateInfo): boolean {
  let known = signatures.get(child.x509);
  if (!known) {
    known = new Map();
    signatures.set(child.x509, known);
  }
  let verdict = known.get(parent.fingerprint);
  if (verdict === undefined) {
    try {
      verdict = child.x509.verify(publicKeyOf(parent.x509));
    } catch {
      verdict = false;
    }
    known.set(parent.fingerprint, verdict);
  }
  return verdict;
}

const signatures = new WeakMap<X509Certificate, Map<string, boolean>>();

/** The certificate's public key as a KeyObject, made once per certificate object (X509Certificate.publicKey decodes it on every read). */
function publicKeyOf(x509: X509Certificate): KeyObject {
  let key = publicKeys.get(x509);
  if (!key) {
    key = x509.publicKey;
    publicKeys.set(x509, key);
  }
  return key;
}

const publicKeys = new WeakMap<X509Certificate, KeyObject>();

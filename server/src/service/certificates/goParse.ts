/**
 * What Go's crypto/x509 ParseCertificate makes of a DER certificate: the error it returns for a
 * certificate OpenSSL (Node's X509Certificate) may well accept, and the fields its verifier reads
 * (extensions as Go handles them, unhandled critical extensions, SANs, name constraints, EKUs,
 * policies, the signature and public key algorithms as Go names them).
 *
 * The DER is decoded by asn1js (a maintained BER/DER library); this module applies Go's rules on top:
 * parser.go parseCertificate / processExtensions / parseSANExtension / parseNameConstraintsExtension /
 * parsePublicKey / parseName, x509.go getSignatureAlgorithmFromAI, and the DER strictness of
 * golang.org/x/crypto/cryptobyte (minimal lengths, low tag numbers, DER booleans and integers, time
 * formats). Line numbers of every rule are in docs/tls-rules.md.
 *
 * Two Go versions are modelled: the newest (1.24+, what current Collectors are built with) and 1.23
 * (the Go the integration tests run). Where 1.23 decides otherwise, the `go123` fields say how.
 */
import * as asn1js from 'asn1js';

/** A DER element as Go's cryptobyte sees it: the identifier octet, the content and the whole encoding. */
export interface Der {
  /** Go's asn1.Tag: class | constructed | number (numbers ≥ 31 are refused). */
  tag: number;
  content: Uint8Array;
  raw: Uint8Array;
  block: asn1js.AsnType;
  children: Der[];
  /** Not DER as cryptobyte reads it (indefinite or non-minimal length, high tag number). */
  notDer: boolean;
}

const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  NumericString: 0x12,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  BMPString: 0x1e,
} as const;

const ctx = (n: number, constructed = false) => 0x80 | (constructed ? 0x20 : 0) | n;

function headerIsDer(raw: Uint8Array): boolean {
  if (raw.length < 2) return false;
  if ((raw[0] & 0x1f) === 0x1f) return false;
  const lenByte = raw[1];
  if ((lenByte & 0x80) === 0) return true;
  const lenLen = lenByte & 0x7f;
  if (lenLen === 0 || lenLen > 4 || raw.length < 2 + lenLen) return false;
  let length = 0;
  for (let i = 0; i < lenLen; i++) length = length * 256 + raw[2 + i];
  if (length < 128) return false;
  if (raw[2] === 0) return false;
  return true;
}

function toDer(block: asn1js.AsnType): Der {
  // A view: asn1js decodes a copy of its input (copyInput) and nothing writes to it.
  const raw = block.valueBeforeDecodeView;
  const id = block.idBlock;
  const classBits = [0, 0x00, 0x40, 0x80, 0xc0][id.tagClass] ?? 0;
  const tag = classBits | (id.isConstructed ? 0x20 : 0) | (id.tagNumber & 0x1f);
  const headerLength = id.blockLength + block.lenBlock.blockLength;
  const indefinite = block.lenBlock.isIndefiniteForm;
  const children = id.isConstructed ? ((block.valueBlock as unknown as { value?: asn1js.AsnType[] }).value ?? []).map(toDer) : [];
  return {
    tag,
    content: raw.subarray(headerLength, indefinite ? raw.length - 2 : raw.length),
    raw,
    block,
    children,
    notDer: indefinite || id.tagNumber >= 31 || !headerIsDer(raw),
  };
}

/**
 * asn1js's decoding of byte strings, by content, for the reading of one certificate: Go's view (here) and the
 * lenient one (certificateInfo.ts, @peculiar/asn1-schema) decode the same bytes, the whole DER and each
 * extension's value, and each is decoded once. Every decoding is asn1js.fromBER of a copy; readers only read
 * the trees.
 *
 * Without `parseEmbedded` (asn1js 3.1's default is on): asn1js then also tries to decode the content of every
 * primitive OCTET STRING and BIT STRING as DER and hangs what decodes under it (`valueBlock.value`): each
 * extension's value inside the certificate (decoded again here, from its bytes, for the readers that read it),
 * the public key and the signature. Neither reader looks there: toDer takes children of constructed elements
 * only, and the schema mapping reads such strings' bytes (valueHexView). It was a fifth of the CLI's time in
 * certificates. test/unit/goRules.test.ts compares both readings, with and without, on every bundled root and
 * on forged certificates.
 */
export class BerCache {
  private readonly decoded = new Map<string, { result: ReturnType<typeof asn1js.fromBER>; der?: Der }>();

  constructor(private readonly options: { parseEmbedded?: boolean } = {}) {}

  /**
   * What fromBER would decode, decoded by the function returned at each call of it and not kept: for a reader
   * that decodes later, holding neither the decodings of the cache nor any until then.
   */
  get decoder(): (bytes: Uint8Array) => ReturnType<typeof asn1js.fromBER> {
    const parseEmbedded = this.options.parseEmbedded ?? false;
    return (bytes) => asn1js.fromBER(bytes, { parseEmbedded });
  }

  /** asn1js.fromBER of a copy of `bytes` (non-empty), decoded at the first call for these bytes. */
  fromBER(bytes: Uint8Array): ReturnType<typeof asn1js.fromBER> {
    return this.entry(bytes).result;
  }

  entry(bytes: Uint8Array): { result: ReturnType<typeof asn1js.fromBER>; der?: Der } {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    let entry = this.decoded.get(key);
    if (!entry) {
      entry = { result: asn1js.fromBER(bytes, { parseEmbedded: this.options.parseEmbedded ?? false }) };
      this.decoded.set(key, entry);
    }
    return entry;
  }
}

/** The decoding of a certificate Go's reading walked (goParseCertificate with the same `ber`), else undefined. */
export function certificateTree(ber: BerCache, der: Uint8Array): Der | undefined {
  return der.length > 0 ? ber.entry(der).der : undefined;
}

/** Decodes one element filling `bytes` exactly; undefined when it does not decode or bytes follow it. */
function decode(ber: BerCache, bytes: Uint8Array, allowTrailing = false): { der: Der; trailing: boolean } | undefined {
  if (bytes.length === 0) return undefined;
  const entry = ber.entry(bytes);
  const result = entry.result;
  if (result.offset === -1 || result.result.error) return undefined;
  const trailing = result.offset !== bytes.length;
  if (trailing && !allowTrailing) return undefined;
  return { der: (entry.der ??= toDer(result.result)), trailing };
}

/**
 * `bytes` as one DER element that fills them, each element in it DER as cryptobyte reads it (minimal lengths,
 * low tag numbers, no indefinite form), else undefined: for readers that must see exactly what a strict DER
 * reader sees (./keyStructure.ts).
 */
export function strictDer(bytes: Uint8Array): Der | undefined {
  if (bytes.length === 0) return undefined;
  // Decoded once, by nothing else: no BerCache.
  const result = asn1js.fromBER(bytes, { parseEmbedded: false });
  if (result.offset !== bytes.length || result.result.error) return undefined;
  const der = toDer(result.result);
  const strict = (node: Der): boolean => !node.notDer && node.children.every(strict);
  return strict(der) ? der : undefined;
}

export function oidText(node: Der): string | undefined {
  if (node.tag !== TAG.OID || node.notDer || node.content.length === 0) return undefined;
  // Go (cryptobyte ReadASN1ObjectIdentifier) refuses a non-minimal arc encoding (a leading 0x80).
  for (let i = 0; i < node.content.length; i++) {
    if (node.content[i] === 0x80 && (i === 0 || (node.content[i - 1] & 0x80) === 0)) return undefined;
  }
  if ((node.content[node.content.length - 1] & 0x80) !== 0) return undefined;
  try {
    return (node.block as asn1js.ObjectIdentifier).getValue();
  } catch {
    return undefined;
  }
}

/** An INTEGER's content if it is minimally encoded (cryptobyte checkASN1Integer), else undefined. */
export function integerBytes(node: Der): Uint8Array | undefined {
  if (node.tag !== TAG.INTEGER || node.notDer) return undefined;
  const c = node.content;
  if (c.length === 0) return undefined;
  if (c.length > 1 && ((c[0] === 0 && (c[1] & 0x80) === 0) || (c[0] === 0xff && (c[1] & 0x80) === 0x80))) return undefined;
  return c;
}

/** cryptobyte ReadASN1BitString: padding bits 0–7, none in an empty string, and the padding itself zero. */
function bitStringOk(node: Der | undefined): node is Der {
  if (!node || node.tag !== TAG.BIT_STRING || node.notDer) return false;
  const c = node.content;
  if (c.length === 0) return false;
  const padding = c[0];
  if (padding > 7 || (c.length === 1 && padding > 0)) return false;
  return (c[c.length - 1] & ((1 << padding) - 1)) === 0;
}

function integerValue(c: Uint8Array): bigint {
  let v = 0n;
  for (const b of c) v = (v << 8n) | BigInt(b);
  if (c.length > 0 && (c[0] & 0x80) !== 0) v -= 1n << BigInt(8 * c.length);
  return v;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Go's isIA5String: every byte (rune) at most 0x7F. Go converts to string first: invalid UTF-8 decodes to U+FFFD, also > 0x7F. */
function isIA5(bytes: Uint8Array): boolean {
  return bytes.every((b) => b <= 0x7f);
}

// ---------------------------------------------------------------------------------------------

export interface NameConstraints {
  permittedDns: string[];
  excludedDns: string[];
  permittedIp: { ip: Uint8Array; mask: Uint8Array }[];
  excludedIp: { ip: Uint8Array; mask: Uint8Array }[];
  permittedEmail: string[];
  excludedEmail: string[];
  permittedUri: string[];
  excludedUri: string[];
  critical: boolean;
}

export interface GoExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

export interface GoCertificate {
  /** The error Go 1.24+ ParseCertificate returns, verbatim; undefined when it parses. */
  parseError?: string;
  /** The error Go 1.23 returns, when it differs from parseError (null: 1.23 parses it). */
  parseError123?: string | null;
  version: number;
  serialNegative: boolean;
  /**
   * Go's objections here are only ones the JDK does not share (a negative serial number, a UTCTime with a
   * `+hhmm` offset, a SAN IP address of another length than 4 or 16: observed, docs/tls-rules.md J5): Go
   * refuses the certificate (parseError is the first of them), the JDK reads it. The rest was parsed.
   */
  jdkReads?: boolean;
  /** Signed with RSASSA-PSS whose salt is not the hash length: Go cannot verify it (UnknownSignatureAlgorithm), OpenSSL and the JDK can. */
  otherPssSalt?: boolean;
  serialDecimal: string;
  extensions: GoExtension[];
  /** OIDs of critical extensions Go 1.24+ does not handle (Verify fails with "x509: unhandled critical extension"). */
  unhandledCritical: string[];
  /** The same for Go 1.23, which does not handle policy mappings, policy constraints or inhibitAnyPolicy. */
  unhandledCritical123: string[];
  /** Go's KeyUsage bits (digitalSignature = 1 … decipherOnly = 256); 0 when absent. */
  keyUsage: number;
  hasKeyUsage: boolean;
  basicConstraintsValid: boolean;
  isCa: boolean;
  /** -1 when the extension has no pathLenConstraint. */
  maxPathLen: number;
  hasSan: boolean;
  /** The SAN extension's value bytes, hex (Go's alreadyInChain compares them). */
  sanValue?: string;
  dnsNames: string[];
  emailAddresses: string[];
  ipAddresses: Uint8Array[];
  uris: string[];
  /** Every SAN as [tag, bytes], for name-constraint checks (Go's forEachSAN). */
  sanEntries: { tag: number; data: Uint8Array }[];
  nameConstraints?: NameConstraints;
  /** EKU OIDs Go knows (ExtKeyUsage), and those it does not (UnknownExtKeyUsage). */
  extKeyUsage: string[];
  unknownExtKeyUsage: string[];
  hasEku: boolean;
  subjectKeyId?: string;
  authorityKeyId?: string;
  policies: string[];
  policyMappings: { issuer: string; subject: string }[];
  requireExplicitPolicy?: number;
  inhibitPolicyMapping?: number;
  inhibitAnyPolicy?: number;
  /** Go's SignatureAlgorithm name ("SHA256-RSA", "ECDSA-SHA256", "SHA256-RSAPSS", …) or "0" (UnknownSignatureAlgorithm). */
  signatureAlgorithm: string;
  signatureHash: 'MD5' | 'SHA1' | 'SHA256' | 'SHA384' | 'SHA512' | 'none' | 'unknown';
  signaturePublicKeyAlgorithm: PublicKeyAlgorithm;
  /** Go's PublicKeyAlgorithm of the subject key. */
  publicKeyAlgorithm: PublicKeyAlgorithm;
  /** ECDSA: the named curve Go knows ("P-224", "P-256", "P-384", "P-521"). */
  curve?: string;
  /** RSA modulus bit length. */
  rsaBits?: number;
  spki: string;
  rawTbs: Uint8Array;
  signature: Uint8Array;
  /** Fields read whatever Go makes of the rest (for the OpenSSL-based SDKs' rules). */
  raw: {
    notBefore?: { utc: boolean; text: string };
    notAfter?: { utc: boolean; text: string };
    /** The TBS and outer signature algorithm identifiers are byte-identical. */
    signatureAlgorithmsMatch?: boolean;
  };
}

export type PublicKeyAlgorithm = 'RSA' | 'DSA' | 'ECDSA' | 'Ed25519' | 'unknown';

const EXT_KEY_USAGES_GO_KNOWS = new Set([
  '2.5.29.37.0',
  '1.3.6.1.5.5.7.3.1',
  '1.3.6.1.5.5.7.3.2',
  '1.3.6.1.5.5.7.3.3',
  '1.3.6.1.5.5.7.3.4',
  '1.3.6.1.5.5.7.3.5',
  '1.3.6.1.5.5.7.3.6',
  '1.3.6.1.5.5.7.3.7',
  '1.3.6.1.5.5.7.3.8',
  '1.3.6.1.5.5.7.3.9',
  '1.3.6.1.4.1.311.10.3.3',
  '2.16.840.1.113730.4.1',
  '1.3.6.1.4.1.311.2.1.22',
  '1.3.6.1.4.1.311.61.1.1',
]);

/** x509.go signatureAlgorithmDetails (the RSA-PSS entries are decided by their parameters). */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: GoCertificate['signatureHash']; key: PublicKeyAlgorithm }> = {
  '1.2.840.113549.1.1.4': { name: 'MD5-RSA', hash: 'MD5', key: 'RSA' },
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', hash: 'SHA1', key: 'RSA' },
  '1.3.14.3.2.29': { name: 'SHA1-RSA', hash: 'SHA1', key: 'RSA' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', hash: 'SHA256', key: 'RSA' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', hash: 'SHA384', key: 'RSA' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', hash: 'SHA512', key: 'RSA' },
  '1.2.840.10040.4.3': { name: 'DSA-SHA1', hash: 'SHA1', key: 'DSA' },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA-SHA256', hash: 'SHA256', key: 'DSA' },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', hash: 'SHA1', key: 'ECDSA' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', hash: 'SHA256', key: 'ECDSA' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', hash: 'SHA384', key: 'ECDSA' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', hash: 'SHA512', key: 'ECDSA' },
  '1.3.101.112': { name: 'Ed25519', hash: 'none', key: 'Ed25519' },
};

const RSA_PSS = '1.2.840.113549.1.1.10';
const PSS_HASHES: Record<string, { hash: 'SHA256' | 'SHA384' | 'SHA512'; salt: number }> = {
  '2.16.840.1.101.3.4.2.1': { hash: 'SHA256', salt: 32 },
  '2.16.840.1.101.3.4.2.2': { hash: 'SHA384', salt: 48 },
  '2.16.840.1.101.3.4.2.3': { hash: 'SHA512', salt: 64 },
};
const MGF1 = '1.2.840.113549.1.1.8';

const CURVES: Record<string, string> = {
  '1.3.132.0.33': 'P-224',
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};
const CURVE_SIZES: Record<string, number> = { 'P-224': 28, 'P-256': 32, 'P-384': 48, 'P-521': 66 };

class ParseError extends Error {
  /** A rule Go 1.24 added: Go 1.23 parses the certificate. */
  only124: boolean;
  constructor(message: string, only124: boolean) {
    super(message);
    this.only124 = only124;
  }
}

function fail(message: string, only124 = false): never {
  throw new ParseError(message, only124);
}

/** Go's objections the JDK does not share, in the order Go meets them, for the certificate being parsed. */
let lenientErrors: string[] = [];

/** An error Go returns here and the JDK does not: recorded, and the parse goes on (GoCertificate.jdkReads). */
function lenient(message: string): void {
  lenientErrors.push(message);
}

/** Go's parseAI: an OID and optional parameters (any element). */
function parseAI(seq: Der): { oid: string; params?: Der } {
  const [first, params, ...rest] = seq.children;
  const oid = first && oidText(first);
  if (!oid) fail('x509: malformed OID');
  if (params && params.notDer) fail('x509: malformed parameters');
  void rest;
  return { oid, params };
}

/** x509.go getSignatureAlgorithmFromAI. */
function signatureAlgorithm(ai: { oid: string; params?: Der }): { name: string; hash: GoCertificate['signatureHash']; key: PublicKeyAlgorithm; otherPssSalt?: true } {
  const unknown = { name: '0', hash: 'unknown' as const, key: 'unknown' as const };
  if (ai.oid === '1.3.101.112' && ai.params) return unknown;
  if (ai.oid !== RSA_PSS) return SIGNATURE_ALGORITHMS[ai.oid] ?? unknown;
  // RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0], maskGenAlgorithm [1], saltLength [2], trailerField [3] }
  const params = ai.params;
  if (!params || params.tag !== TAG.SEQUENCE) return unknown;
  let hashOid = '1.3.14.3.2.26';
  let hashParams: Der | undefined;
  let mgfOid = MGF1;
  let mgfHashOid = '1.3.14.3.2.26';
  let mgfHashParams: Der | undefined;
  let salt = 20;
  let trailer = 1;
  for (const field of params.children) {
    const inner = field.children[0];
    if (!inner) return unknown;
    if (field.tag === ctx(0, true)) {
      hashOid = oidText(inner.children[0] ?? inner) ?? '';
      hashParams = inner.children[1];
    } else if (field.tag === ctx(1, true)) {
      mgfOid = oidText(inner.children[0] ?? inner) ?? '';
      const mgfHash = inner.children[1];
      mgfHashOid = (mgfHash && oidText(mgfHash.children[0] ?? mgfHash)) ?? '';
      mgfHashParams = mgfHash?.children[1];
    } else if (field.tag === ctx(2, true)) {
      const b = integerBytes(inner);
      if (!b) return unknown;
      salt = Number(integerValue(b));
    } else if (field.tag === ctx(3, true)) {
      const b = integerBytes(inner);
      if (!b) return unknown;
      trailer = Number(integerValue(b));
    }
  }
  const isNullOrAbsent = (d?: Der) => !d || (d.tag === TAG.NULL && d.content.length === 0);
  if (!isNullOrAbsent(hashParams) || mgfOid !== MGF1 || mgfHashOid !== hashOid || !isNullOrAbsent(mgfHashParams) || trailer !== 1) return unknown;
  const known = PSS_HASHES[hashOid];
  if (!known) return unknown;
  // Go takes only the hash length as the salt (x509.go:415-469); other verifiers (OpenSSL, the JDK) take any salt.
  if (known.salt !== salt) return { ...unknown, otherPssSalt: true };
  return { name: `${known.hash}-RSAPSS`, hash: known.hash, key: 'RSA' };
}

/** parser.go parseASN1String: the string types Go accepts in names, with their checks. */
function checkAttributeValue(node: Der): void {
  const v = node.content;
  const bad = (what: string) => fail(`x509: invalid RDNSequence: invalid attribute value: ${what}`);
  switch (node.tag) {
    case TAG.T61String:
      return;
    case TAG.PrintableString:
      for (const b of v) {
        const c = String.fromCharCode(b);
        if (!/[a-zA-Z0-9'()+,\-./ :=?*&]/.test(c)) bad('invalid PrintableString');
      }
      return;
    case TAG.UTF8String:
      if (!isValidUtf8(v)) bad('invalid UTF-8 string');
      return;
    case TAG.BMPString: {
      if (v.length % 2 !== 0) bad('invalid BMPString');
      let end = v.length;
      if (end >= 2 && v[end - 1] === 0 && v[end - 2] === 0) end -= 2;
      for (let i = 0; i < end; i += 2) {
        const point = (v[i] << 8) | v[i + 1];
        if (point === 0xfffe || point === 0xffff || (point >= 0xfdd0 && point <= 0xfdef) || (point >= 0xd800 && point <= 0xdfff)) bad('invalid BMPString');
      }
      return;
    }
    case TAG.IA5String:
      if (!isIA5(v)) bad('invalid IA5String');
      return;
    case TAG.NumericString:
      if (!v.every((b) => (b >= 0x30 && b <= 0x39) || b === 0x20)) bad('invalid NumericString');
      return;
    default:
      bad(`unsupported string type: ${node.tag}`);
  }
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** parser.go parseName. */
function checkName(seq: Der): void {
  if (seq.tag !== TAG.SEQUENCE || seq.notDer) fail('x509: invalid RDNSequence');
  for (const set of seq.children) {
    if (set.tag !== TAG.SET || set.notDer) fail('x509: invalid RDNSequence');
    for (const atav of set.children) {
      if (atav.tag !== TAG.SEQUENCE || atav.notDer) fail('x509: invalid RDNSequence: invalid attribute');
      const [type, value] = atav.children;
      if (!type || !oidText(type)) fail('x509: invalid RDNSequence: invalid attribute type');
      if (!value || value.notDer) fail('x509: invalid RDNSequence: invalid attribute value');
      checkAttributeValue(value);
    }
  }
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d*[1-9])?(Z|[+-]\d{4})$/;

function validClock(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: string): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const daysIn = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysIn) return false;
  // Go formats a zero offset as "Z", so "+0000" does not round-trip; an offset's minutes must be < 60.
  if (zone !== 'Z') {
    if (/^[+-]0000$/.test(zone)) return false;
    if (Number(zone.slice(3)) > 59 || Number(zone.slice(1, 3)) > 23) return false;
  }
  return true;
}

/** cryptobyte ReadASN1UTCTime / ReadASN1GeneralizedTime: parse, then the text must round-trip through Go's format. */
function checkTime(node: Der | undefined): void {
  if (!node) fail('x509: unsupported time format');
  const text = latin1(node.content);
  if (node.tag === TAG.UTCTime) {
    const m = UTC_TIME.exec(text);
    if (node.notDer || !m || !validClock(2000 + Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0'), m[7])) {
      // Go wants the text to round-trip through its format; the JDK reads a well-formed time with a +hhmm offset.
      if (!node.notDer && /^\d{12}[+-]\d{4}$/.test(text)) lenient('x509: malformed UTCTime');
      else fail('x509: malformed UTCTime');
    }
    return;
  }
  if (node.tag === TAG.GeneralizedTime) {
    const m = GENERALIZED_TIME.exec(text);
    if (node.notDer || !m || !validClock(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[8])) fail('x509: malformed GeneralizedTime');
    return;
  }
  fail('x509: unsupported time format');
}

/** parser.go parsePublicKey, for the algorithms Go knows. */
function checkPublicKey(ber: BerCache, algorithm: PublicKeyAlgorithm, ai: { oid: string; params?: Der }, keyBits: Uint8Array, out: Partial<GoCertificate>): void {
  const key = keyBits.subarray(1);
  switch (algorithm) {
    case 'RSA': {
      if (!ai.params || ai.params.tag !== TAG.NULL || ai.params.content.length !== 0) fail('x509: RSA key missing NULL parameters');
      const seq = decode(ber, key)?.der;
      if (!seq || seq.tag !== TAG.SEQUENCE || seq.notDer) fail('x509: invalid RSA public key');
      const n = seq.children[0] && integerBytes(seq.children[0]);
      if (!n) fail('x509: invalid RSA modulus');
      const e = seq.children[1] && integerBytes(seq.children[1]);
      if (!e || e.length > 8) fail('x509: invalid RSA public exponent');
      if (integerValue(n) <= 0n) fail('x509: RSA modulus is not a positive number');
      if (integerValue(e) <= 0n) fail('x509: RSA public exponent is not a positive number');
      out.rsaBits = integerValue(n).toString(2).length;
      return;
    }
    case 'ECDSA': {
      const curveOid = ai.params && oidText(ai.params);
      if (!curveOid) fail('x509: invalid ECDSA parameters');
      const curve = CURVES[curveOid];
      if (!curve) fail('x509: unsupported elliptic curve');
      // elliptic.Unmarshal: uncompressed points only (0x04 || X || Y).
      const size = CURVE_SIZES[curve];
      if (key.length !== 1 + 2 * size || key[0] !== 4) fail('x509: failed to unmarshal elliptic curve point');
      out.curve = curve;
      return;
    }
    case 'Ed25519':
      if (ai.params) fail('x509: Ed25519 key encoded with illegal parameters');
      if (key.length !== 32) fail('x509: wrong Ed25519 public key size');
      return;
    case 'DSA':
      return;
    default:
      return;
  }
}

function publicKeyAlgorithm(oid: string): PublicKeyAlgorithm {
  switch (oid) {
    case '1.2.840.113549.1.1.1':
      return 'RSA';
    case '1.2.840.10040.4.1':
      return 'DSA';
    case '1.2.840.10045.2.1':
      return 'ECDSA';
    case '1.3.101.112':
      return 'Ed25519';
    default:
      return 'unknown';
  }
}

/** Go's domainToReverseLabels (newest: a leading empty label is refused too). */
export function domainToReverseLabels(domain: string): string[] | undefined {
  if (domain.length === 0) return [];
  const labels = domain.split('.').reverse();
  if (labels[0] === '') return undefined;
  for (const label of labels) {
    if (label.length === 0) return undefined;
    for (const ch of label) {
      const c = ch.codePointAt(0)!;
      if (c < 33 || c > 126) return undefined;
    }
  }
  return labels;
}

function uriHost(uri: string): { host: string } | { error: string } {
  // Go's url.Parse; only the authority's host matters here.
  if (/[\x00-\x1f\x7f ]/.test(uri)) return { error: `parse "${uri}": net/url: invalid control character in URL` };
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  if (!m) return { host: '' };
  const authority = m[1].replace(/^.*@/, '');
  const host = authority.startsWith('[') ? authority.replace(/^(\[[^\]]*\]).*$/, '$1') : authority.replace(/:\d*$/, '');
  return { host };
}

function parseSan(ber: BerCache, value: Uint8Array, out: GoCertificate): boolean {
  const seq = decode(ber, value)?.der;
  if (!seq || seq.tag !== TAG.SEQUENCE || seq.notDer) fail('x509: invalid subject alternative names');
  for (const name of seq.children) {
    if (name.notDer) fail('x509: invalid subject alternative name');
    const tag = name.tag ^ 0x80;
    const data = name.content;
    out.sanEntries.push({ tag, data });
    switch (tag) {
      case 1:
        if (!isIA5(data)) fail('x509: SAN rfc822Name is malformed');
        out.emailAddresses.push(latin1(data));
        break;
      case 2:
        if (!isIA5(data)) fail('x509: SAN dNSName is malformed');
        out.dnsNames.push(latin1(data));
        break;
      case 6: {
        if (!isIA5(data)) fail('x509: SAN uniformResourceIdentifier is malformed');
        const text = latin1(data);
        const parsed = uriHost(text);
        if ('error' in parsed) fail(`x509: cannot parse URI "${text}": ${parsed.error}`);
        if (parsed.host.length > 0 && !domainToReverseLabels(parsed.host)) fail(`x509: cannot parse URI "${text}": invalid domain`);
        out.uris.push(text);
        break;
      }
      case 7:
        if (data.length !== 4 && data.length !== 16) {
          lenient(`x509: cannot parse IP address of length ${data.length}`);
          break;
        }
        out.ipAddresses.push(new Uint8Array(data));
        break;
      default:
        break;
    }
  }
  return out.dnsNames.length + out.emailAddresses.length + out.ipAddresses.length + out.uris.length === 0;
}

function isValidIpMask(mask: Uint8Array): boolean {
  let seenZero = false;
  for (const b of mask) {
    if (seenZero) {
      if (b !== 0) return false;
      continue;
    }
    if ([0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].includes(b)) seenZero = true;
    else if (b !== 0xff) return false;
  }
  return true;
}

function parseNameConstraints(ber: BerCache, value: Uint8Array, critical: boolean): { constraints: NameConstraints; unhandled: boolean } {
  const top = decode(ber, value)?.der;
  if (!top || top.tag !== TAG.SEQUENCE || top.notDer) fail('x509: invalid NameConstraints extension');
  const permitted = top.children.find((c) => c.tag === ctx(0, true));
  const excluded = top.children.find((c) => c.tag === ctx(1, true));
  if (top.children.some((c) => c.tag !== ctx(0, true) && c.tag !== ctx(1, true)) || (top.children[0] && top.children[0].tag === ctx(1, true) && top.children.length > 1)) {
    fail('x509: invalid NameConstraints extension');
  }
  if ((!permitted && !excluded) || ((permitted?.content.length ?? 0) === 0 && (excluded?.content.length ?? 0) === 0)) fail('x509: empty name constraints extension');
  let unhandled = false;
  const values = (subtrees: Der | undefined) => {
    const out = { dns: [] as string[], ip: [] as { ip: Uint8Array; mask: Uint8Array }[], email: [] as string[], uri: [] as string[] };
    for (const subtree of subtrees?.children ?? []) {
      const base = subtree.children[0];
      if (subtree.tag !== TAG.SEQUENCE || !base) fail('x509: invalid NameConstraints extension');
      const text = latin1(base.content);
      switch (base.tag) {
        case ctx(2): {
          if (!isIA5(base.content)) fail('x509: invalid constraint value: asn1: invalid IA5String');
          const trimmed = text.startsWith('.') ? text.slice(1) : text;
          if (!domainToReverseLabels(trimmed)) fail(`x509: failed to parse dnsName constraint "${text}"`);
          out.dns.push(text);
          break;
        }
        case ctx(7): {
          const l = base.content.length;
          if (l !== 8 && l !== 32) fail(`x509: IP constraint contained value of length ${l}`);
          const ip = base.content.subarray(0, l / 2);
          const mask = base.content.subarray(l / 2);
          if (!isValidIpMask(mask)) fail(`x509: IP constraint contained invalid mask ${hex(mask)}`);
          out.ip.push({ ip: new Uint8Array(ip), mask: new Uint8Array(mask) });
          break;
        }
        case ctx(1): {
          if (!isIA5(base.content)) fail('x509: invalid constraint value: asn1: invalid IA5String');
          if (!text.includes('@')) {
            const domain = text.startsWith('.') ? text.slice(1) : text;
            if (!domainToReverseLabels(domain)) fail(`x509: failed to parse rfc822Name constraint "${text}"`);
          }
          out.email.push(text);
          break;
        }
        case ctx(6): {
          if (!isIA5(base.content)) fail('x509: invalid constraint value: asn1: invalid IA5String');
          const trimmed = text.startsWith('.') ? text.slice(1) : text;
          if (!domainToReverseLabels(trimmed)) fail(`x509: failed to parse URI constraint "${text}"`);
          out.uri.push(text);
          break;
        }
        default:
          unhandled = true;
      }
    }
    return out;
  };
  const p = values(permitted);
  const e = values(excluded);
  return {
    constraints: { permittedDns: p.dns, excludedDns: e.dns, permittedIp: p.ip, excludedIp: e.ip, permittedEmail: p.email, excludedEmail: e.email, permittedUri: p.uri, excludedUri: e.uri, critical },
    unhandled,
  };
}

function seqOf(ber: BerCache, value: Uint8Array, error: string, only124 = false): Der {
  const seq = decode(ber, value)?.der;
  if (!seq || seq.tag !== TAG.SEQUENCE || seq.notDer) fail(error, only124);
  return seq;
}

/** parser.go processExtensions. Returns the unhandled critical OIDs for the newest Go and for 1.23. */
function processExtensions(ber: BerCache, out: GoCertificate): { newest: string[]; go123: string[] } {
  const newest: string[] = [];
  const go123: string[] = [];
  for (const e of out.extensions) {
    let unhandled = false;
    let unhandled123: boolean | undefined;
    const arc = /^2\.5\.29\.(\d+)$/.exec(e.oid)?.[1];
    if (arc !== undefined) {
      switch (Number(arc)) {
        case 15: {
          const bits = decode(ber, e.value)?.der;
          if (!bitStringOk(bits)) fail('x509: invalid key usage');
          let usage = 0;
          for (let i = 0; i < 9; i++) {
            const byte = bits.content[1 + (i >> 3)] ?? 0;
            if (byte & (0x80 >> (i & 7))) usage |= 1 << i;
          }
          out.keyUsage = usage;
          out.hasKeyUsage = true;
          break;
        }
        case 19: {
          const seq = seqOf(ber, e.value, 'x509: invalid basic constraints');
          let i = 0;
          let isCa = false;
          if (seq.children[i]?.tag === TAG.BOOLEAN) {
            const b = seq.children[i++];
            if (b.content.length !== 1 || (b.content[0] !== 0 && b.content[0] !== 0xff)) fail('x509: invalid basic constraints');
            isCa = b.content[0] === 0xff;
          }
          let maxPathLen = -1;
          if (seq.children[i]?.tag === TAG.INTEGER) {
            const n = integerBytes(seq.children[i]);
            if (!n) fail('x509: invalid basic constraints');
            const v = integerValue(n);
            // 1.24+ reads an unsigned int: a negative pathLen is an error; 1.23 took it as no constraint.
            if (v < 0n) fail('x509: invalid basic constraints', true);
            maxPathLen = v > 2147483647n ? 2147483647 : Number(v);
          }
          out.isCa = isCa;
          out.maxPathLen = maxPathLen;
          out.basicConstraintsValid = true;
          break;
        }
        case 17:
          out.hasSan = true;
          out.sanValue = hex(e.value);
          unhandled = parseSan(ber, e.value, out);
          break;
        case 30: {
          const parsed = parseNameConstraints(ber, e.value, e.critical);
          out.nameConstraints = parsed.constraints;
          unhandled = parsed.unhandled;
          break;
        }
        case 31: {
          const seq = seqOf(ber, e.value, 'x509: invalid CRL distribution points');
          for (const dp of seq.children) {
            if (dp.tag !== TAG.SEQUENCE) fail('x509: invalid CRL distribution point');
            const name = dp.children[0];
            if (!name || name.tag !== ctx(0, true)) continue;
            const full = name.children[0];
            if (!full || full.tag !== ctx(0, true)) fail('x509: invalid CRL distribution point');
          }
          break;
        }
        case 35: {
          if (e.critical) fail('x509: authority key identifier incorrectly marked critical');
          const seq = seqOf(ber, e.value, 'x509: invalid authority key identifier');
          const id = seq.children[0];
          if (id && id.tag === ctx(0)) out.authorityKeyId = hex(id.content);
          break;
        }
        case 36: {
          // Handled since Go 1.24 (policy validation); 1.23 treats it as unknown.
          unhandled123 = true;
          const seq = seqOf(ber, e.value, 'x509: invalid policy constraints extension', true);
          for (const field of seq.children) {
            const n = field.content;
            if (n.length === 0 || n.length > 8) fail('x509: invalid policy constraints extension', true);
            const v = Number(integerValue(n));
            if (field.tag === ctx(0)) out.requireExplicitPolicy = v;
            else if (field.tag === ctx(1)) out.inhibitPolicyMapping = v;
          }
          break;
        }
        case 37: {
          const seq = seqOf(ber, e.value, 'x509: invalid extended key usages');
          out.hasEku = true;
          for (const item of seq.children) {
            const oid = oidText(item);
            if (!oid) fail('x509: invalid extended key usages');
            (EXT_KEY_USAGES_GO_KNOWS.has(oid) ? out.extKeyUsage : out.unknownExtKeyUsage).push(oid);
          }
          break;
        }
        case 14: {
          if (e.critical) fail('x509: subject key identifier incorrectly marked critical');
          const id = decode(ber, e.value)?.der;
          if (!id || id.tag !== TAG.OCTET_STRING || id.notDer) fail('x509: invalid subject key identifier');
          out.subjectKeyId = hex(id.content);
          break;
        }
        case 32: {
          const seq = seqOf(ber, e.value, 'x509: invalid certificate policies');
          const seen = new Set<string>();
          for (const info of seq.children) {
            const oid = info.tag === TAG.SEQUENCE && info.children[0] ? oidText(info.children[0]) : undefined;
            if (!oid) fail('x509: invalid certificate policies');
            // A repeated policy OID is refused since Go 1.24.
            if (seen.has(oid)) fail('x509: invalid certificate policies', true);
            seen.add(oid);
            out.policies.push(oid);
          }
          break;
        }
        case 33: {
          unhandled123 = true;
          const seq = seqOf(ber, e.value, 'x509: invalid policy mappings extension', true);
          for (const m of seq.children) {
            const issuer = m.children[0] && oidText(m.children[0]);
            const subject = m.children[1] && oidText(m.children[1]);
            if (m.tag !== TAG.SEQUENCE || !issuer || !subject) fail('x509: invalid policy mappings extension', true);
            out.policyMappings.push({ issuer, subject });
          }
          break;
        }
        case 54: {
          unhandled123 = true;
          const n = decode(ber, e.value)?.der;
          const b = n && integerBytes(n);
          if (!b) fail('x509: invalid inhibit any policy extension', true);
          out.inhibitAnyPolicy = Number(integerValue(b));
          break;
        }
        default:
          unhandled = true;
      }
    } else if (e.oid === '1.3.6.1.5.5.7.1.1') {
      if (e.critical) fail('x509: authority info access incorrectly marked critical');
      const seq = seqOf(ber, e.value, 'x509: invalid authority info access');
      for (const ad of seq.children) {
        if (ad.tag !== TAG.SEQUENCE || !ad.children[0] || !oidText(ad.children[0])) fail('x509: invalid authority info access');
      }
    } else {
      unhandled = true;
    }
    if (e.critical && unhandled) newest.push(e.oid);
    if (e.critical && (unhandled123 ?? unhandled)) go123.push(e.oid);
  }
  return { newest, go123 };
}

/** The validity times and both signature algorithm identifiers, read leniently. */
function rawFields(ber: BerCache, der: Uint8Array): GoCertificate['raw'] {
  const out: GoCertificate['raw'] = {};
  try {
    const top = decode(ber, der, true)?.der;
    const tbs = top?.children[0];
    if (!top || !tbs) return out;
    const fields = tbs.children[0]?.tag === ctx(0, true) ? tbs.children.slice(1) : tbs.children;
    const inner = fields[1];
    const outer = top.children[1];
    if (inner && outer) out.signatureAlgorithmsMatch = hex(inner.raw) === hex(outer.raw);
    const validity = fields[3];
    const time = (node: Der | undefined) => (node && (node.tag === TAG.UTCTime || node.tag === TAG.GeneralizedTime) ? { utc: node.tag === TAG.UTCTime, text: latin1(node.content) } : undefined);
    out.notBefore = time(validity?.children[0]);
    out.notAfter = time(validity?.children[1]);
  } catch {
    // leave what was found
  }
  return out;
}

/** Go's ParseCertificate on `der`, newest semantics, with where 1.23 differs. Never throws. `ber`: the decodings this certificate's other reader shares. */
export function goParseCertificate(der: Uint8Array, ber = new BerCache()): GoCertificate {
  const out: GoCertificate = {
    version: 0,
    serialNegative: false,
    serialDecimal: '0',
    extensions: [],
    unhandledCritical: [],
    unhandledCritical123: [],
    keyUsage: 0,
    hasKeyUsage: false,
    basicConstraintsValid: false,
    isCa: false,
    maxPathLen: -1,
    hasSan: false,
    dnsNames: [],
    emailAddresses: [],
    ipAddresses: [],
    uris: [],
    sanEntries: [],
    extKeyUsage: [],
    unknownExtKeyUsage: [],
    hasEku: false,
    policies: [],
    policyMappings: [],
    signatureAlgorithm: '0',
    signatureHash: 'unknown',
    signaturePublicKeyAlgorithm: 'unknown',
    publicKeyAlgorithm: 'unknown',
    spki: '',
    rawTbs: new Uint8Array(),
    signature: new Uint8Array(),
    raw: rawFields(ber, der),
  };
  let extensionsResult: ReturnType<typeof processExtensions> | undefined;
  lenientErrors = [];
  try {
    const decoded = decode(ber, der, true);
    if (!decoded || decoded.der.tag !== TAG.SEQUENCE || decoded.der.notDer) fail('x509: malformed certificate');
    const [tbs, outerAi, signature] = decoded.der.children;
    if (!tbs || tbs.tag !== TAG.SEQUENCE || tbs.notDer) fail('x509: malformed tbs certificate');
    out.rawTbs = tbs.raw;
    const fields = [...tbs.children];
    let next = fields.shift();
    if (next && next.tag === ctx(0, true)) {
      const v = next.children[0] && integerBytes(next.children[0]);
      if (!v || next.children.length !== 1 || next.notDer) fail('x509: malformed version');
      const version = integerValue(v);
      if (version < 0n) fail('x509: malformed version');
      if (version + 1n > 3n) fail('x509: invalid version');
      out.version = Number(version) + 1;
      next = fields.shift();
    } else {
      out.version = 1;
    }
    const serial = next && integerBytes(next);
    if (!serial) fail('x509: malformed serial number');
    const serialValue = integerValue(serial);
    out.serialDecimal = serialValue.toString();
    // Go refuses a negative serial here, unless GODEBUG x509negativeserial=1 (parser.go:870-877), and then
    // parses the rest: the rest is parsed here too, so what that parse (and the JDK) reads is known.
    if (serialValue < 0n) {
      out.serialNegative = true;
      lenient('x509: negative serial number');
    }
    const sigAi = fields.shift();
    if (!sigAi || sigAi.tag !== TAG.SEQUENCE || sigAi.notDer) fail('x509: malformed signature algorithm identifier');
    if (!outerAi || outerAi.tag !== TAG.SEQUENCE || outerAi.notDer) fail('x509: malformed algorithm identifier');
    if (hex(outerAi.content) !== hex(sigAi.content)) fail("x509: inner and outer signature algorithm identifiers don't match");
    const sig = signatureAlgorithm(parseAI(sigAi));
    out.signatureAlgorithm = sig.name;
    out.signatureHash = sig.hash;
    out.signaturePublicKeyAlgorithm = sig.key;
    if (sig.otherPssSalt) out.otherPssSalt = true;
    const issuer = fields.shift();
    if (!issuer || issuer.tag !== TAG.SEQUENCE || issuer.notDer) fail('x509: malformed issuer');
    checkName(issuer);
    const validity = fields.shift();
    if (!validity || validity.tag !== TAG.SEQUENCE || validity.notDer) fail('x509: malformed validity');
    checkTime(validity.children[0]);
    checkTime(validity.children[1]);
    const subject = fields.shift();
    if (!subject || subject.tag !== TAG.SEQUENCE || subject.notDer) fail('x509: malformed issuer');
    checkName(subject);
    const spki = fields.shift();
    if (!spki || spki.tag !== TAG.SEQUENCE || spki.notDer) fail('x509: malformed spki');
    out.spki = hex(spki.raw);
    const [pkAiSeq, keyBits] = spki.children;
    if (!pkAiSeq || pkAiSeq.tag !== TAG.SEQUENCE || pkAiSeq.notDer) fail('x509: malformed public key algorithm identifier');
    const pkAi = parseAI(pkAiSeq);
    out.publicKeyAlgorithm = publicKeyAlgorithm(pkAi.oid);
    if (!bitStringOk(keyBits)) fail('x509: malformed subjectPublicKey');
    checkPublicKey(ber, out.publicKeyAlgorithm, pkAi, keyBits.content, out);
    if (out.version > 1) {
      next = fields.shift();
      if (next && next.tag === ctx(1)) next = fields.shift();
      if (next && next.tag === ctx(2)) next = fields.shift();
      if (out.version === 3 && next && next.tag === ctx(3, true)) {
        const list = next.children[0];
        if (!list || list.tag !== TAG.SEQUENCE || list.notDer || next.children.length !== 1) fail('x509: malformed extensions');
        const seen = new Set<string>();
        for (const ext of list.children) {
          if (ext.tag !== TAG.SEQUENCE || ext.notDer) fail('x509: malformed extension');
          const [idNode, second, third] = ext.children;
          const oid = idNode && oidText(idNode);
          if (!oid) fail('x509: malformed extension OID field');
          let critical = false;
          let valueNode = second;
          if (second && second.tag === TAG.BOOLEAN) {
            if (second.content.length !== 1 || (second.content[0] !== 0 && second.content[0] !== 0xff)) fail('x509: malformed extension critical field');
            critical = second.content[0] === 0xff;
            valueNode = third;
          }
          if (!valueNode || valueNode.tag !== TAG.OCTET_STRING || valueNode.notDer) fail('x509: malformed extension value field');
          if (seen.has(oid)) fail(`x509: certificate contains duplicate extension with OID "${oid}"`);
          seen.add(oid);
          out.extensions.push({ oid, critical, value: new Uint8Array(valueNode.content) });
        }
        extensionsResult = processExtensions(ber, out);
      }
    }
    if (!bitStringOk(signature)) fail('x509: malformed signature');
    out.signature = signature.content.subarray(1);
    if (decoded.trailing || decoded.der.children.length > 3) fail('x509: trailing data');
    out.unhandledCritical = extensionsResult?.newest ?? [];
    out.unhandledCritical123 = extensionsResult?.go123 ?? [];
    if (lenientErrors.length) {
      out.parseError = lenientErrors[0];
      out.jdkReads = true;
    }
  } catch (error) {
    // Go returns the first error it meets: one the JDK does not share, if it came first.
    out.parseError = lenientErrors[0] ?? (error instanceof ParseError ? error.message : 'x509: malformed certificate');
    if (!lenientErrors.length && error instanceof ParseError && error.only124) out.parseError123 = null;
  }
  lenientErrors = [];
  return out;
}

/**
 * A minimal DER reader for the few certificate fields Node's X509Certificate does not expose
 * (version, signature algorithm, raw issuer/subject, validity as dates, SAN/EKU/basicConstraints
 * exactly as encoded). Throws DerError on malformed input; callers treat that as "not a certificate".
 */

export class DerError extends Error {}

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated DER');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not used in certificates');
  let length = bytes[offset + 1];
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported DER length');
    if (contentStart + count > limit) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i];
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('DER value runs past its container');
  return { tag, start: offset, contentStart, end };
}

/** The TLVs directly inside a constructed value. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(bytes, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export function content(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  const first = bytes[0];
  let value = 0;
  let i = 0;
  // The first arcs may span several bytes too; decode the first subidentifier then split it.
  for (; i < bytes.length; i++) {
    value = value * 128 + (bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) break;
  }
  if (first !== undefined) {
    if (value < 40) parts.push(0, value);
    else if (value < 80) parts.push(1, value - 40);
    else parts.push(2, value - 80);
  }
  value = 0;
  for (i = i + 1; i < bytes.length; i++) {
    value = value * 128 + (bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export function decodeTime(bytes: Uint8Array, tag: number): Date {
  const text = String.fromCharCode(...bytes);
  let m: RegExpExecArray | null;
  if (tag === 0x17) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!m) throw new DerError(`bad UTCTime ${text}`);
    const yy = Number(m[1]);
    return new Date(Date.UTC(yy >= 50 ? 1900 + yy : 2000 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  if (tag === 0x18) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
    if (!m) throw new DerError(`bad GeneralizedTime ${text}`);
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  throw new DerError('a validity time that is neither UTCTime nor GeneralizedTime');
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export const OID = {
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  commonName: '2.5.4.3',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

/** Signature algorithms by OID, with the hash Go judges them by. */
export const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string }> = {
  '1.2.840.113549.1.1.2': { name: 'MD2-RSA', hash: 'MD2' },
  '1.2.840.113549.1.1.4': { name: 'MD5-RSA', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', hash: 'SHA1' },
  '1.3.14.3.2.29': { name: 'SHA1-RSA', hash: 'SHA1' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', hash: 'SHA256' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', hash: 'SHA384' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', hash: 'SHA512' },
  '1.2.840.113549.1.1.10': { name: 'RSA-PSS', hash: 'PSS' },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', hash: 'SHA1' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', hash: 'SHA256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', hash: 'SHA384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', hash: 'SHA512' },
  '1.2.840.10040.4.3': { name: 'DSA-SHA1', hash: 'SHA1' },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA-SHA256', hash: 'SHA256' },
  '1.3.101.112': { name: 'Ed25519', hash: 'Ed25519' },
};

export interface DerCertificate {
  /** 1 for v1 (no extensions), 3 for v3. */
  version: number;
  rawIssuer: string;
  rawSubject: string;
  notBefore: Date;
  notAfter: Date;
  signatureOid: string;
  extensions: Map<string, { critical: boolean; value: Uint8Array }>;
  /** commonName of the subject, when present. */
  commonName?: string;
}

export function parseCertificateDer(der: Uint8Array): DerCertificate {
  const cert = readTlv(der, 0);
  if (cert.tag !== 0x30) throw new DerError('not a DER SEQUENCE');
  const [tbs, sigAlg] = children(der, cert);
  if (!tbs || tbs.tag !== 0x30 || !sigAlg || sigAlg.tag !== 0x30) throw new DerError('not a certificate structure');
  const fields = children(der, tbs);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    const v = children(der, fields[0])[0];
    version = (v ? content(der, v)[0] ?? 0 : 0) + 1;
    i++;
  }
  const [, , issuer, validity, subject] = fields.slice(i, i + 5);
  if (!issuer || !validity || !subject) throw new DerError('truncated TBSCertificate');
  const [notBefore, notAfter] = children(der, validity);
  const sigOid = children(der, sigAlg)[0];
  const extensions = new Map<string, { critical: boolean; value: Uint8Array }>();
  for (const field of fields.slice(i + 5)) {
    if (field.tag !== 0xa3) continue;
    const seq = children(der, field)[0];
    if (!seq) continue;
    for (const ext of children(der, seq)) {
      const parts = children(der, ext);
      const oid = decodeOid(content(der, parts[0]));
      const critical = parts.length === 3 && parts[1].tag === 0x01 && content(der, parts[1])[0] !== 0;
      const value = parts[parts.length - 1];
      extensions.set(oid, { critical, value: content(der, value) });
    }
  }
  return {
    version,
    rawIssuer: hex(der.subarray(issuer.start, issuer.end)),
    rawSubject: hex(der.subarray(subject.start, subject.end)),
    notBefore: decodeTime(content(der, notBefore), notBefore.tag),
    notAfter: decodeTime(content(der, notAfter), notAfter.tag),
    signatureOid: decodeOid(content(der, sigOid)),
    extensions,
    commonName: commonNameOf(der, subject),
  };
}

function commonNameOf(der: Uint8Array, name: Tlv): string | undefined {
  let found: string | undefined;
  for (const rdn of children(der, name)) {
    for (const atv of children(der, rdn)) {
      const [type, value] = children(der, atv);
      if (type && value && decodeOid(content(der, type)) === OID.commonName) {
        // Go keeps the last CN; so do we.
        found = decodeString(content(der, value), value.tag);
      }
    }
  }
  return found;
}

function decodeString(bytes: Uint8Array, tag: number): string {
  if (tag === 0x1e) {
    // BMPString: UTF-16BE
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return s;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(tag === 0x0c ? 'utf8' : 'latin1');
}

/** SAN extension value → DNS names and IP addresses (raw bytes as dotted/colon text). */
export function parseSubjectAltName(value: Uint8Array): { dns: string[]; ip: Uint8Array[]; other: number } {
  const seq = readTlv(value, 0);
  const dns: string[] = [];
  const ip: Uint8Array[] = [];
  let other = 0;
  for (const name of children(value, seq)) {
    if (name.tag === 0x82) dns.push(decodeString(content(value, name), 0x16));
    else if (name.tag === 0x87) ip.push(content(value, name));
    else other++;
  }
  return { dns, ip, other };
}

export function parseBasicConstraints(value: Uint8Array): { ca: boolean; pathLen?: number } {
  const seq = readTlv(value, 0);
  let ca = false;
  let pathLen: number | undefined;
  for (const item of children(value, seq)) {
    if (item.tag === 0x01) ca = content(value, item)[0] !== 0;
    else if (item.tag === 0x02) pathLen = content(value, item).reduce((n, b) => n * 256 + b, 0);
  }
  return { ca, pathLen };
}

export function parseExtKeyUsage(value: Uint8Array): string[] {
  const seq = readTlv(value, 0);
  return children(value, seq).filter((t) => t.tag === 0x06).map((t) => decodeOid(content(value, t)));
}

/** Subject key identifier (hex). */
export function parseSubjectKeyId(value: Uint8Array): string {
  return hex(content(value, readTlv(value, 0)));
}

/** Authority key identifier's keyIdentifier (hex), when present. */
export function parseAuthorityKeyId(value: Uint8Array): string | undefined {
  const seq = readTlv(value, 0);
  const keyId = children(value, seq).find((t) => t.tag === 0x80);
  return keyId ? hex(content(value, keyId)) : undefined;
}

/** IPv4 (4 bytes) or IPv6 (16 bytes) as Go's net.IP.String() would print it. */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const isV4Mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
    if (isV4Mapped) return Array.from(bytes.subarray(12)).join('.');
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
    // Longest run of zero groups (length ≥ 2) becomes "::".
    let bestStart = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== 0) { i++; continue; }
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
      i = j;
    }
    const h = (g: number[]) => g.map((x) => x.toString(16)).join(':');
    if (bestStart < 0) return h(groups);
    return `${h(groups.slice(0, bestStart))}::${h(groups.slice(bestStart + bestLen))}`;
  }
  return `<${bytes.length}-byte IP>`;
}

/** KeyUsage BIT STRING → whether keyCertSign (bit 5) is set. */
export function parseKeyCertSign(value: Uint8Array): boolean {
  const bits = content(value, readTlv(value, 0));
  return bits.length > 1 && (bits[1] & 0x04) !== 0;
}

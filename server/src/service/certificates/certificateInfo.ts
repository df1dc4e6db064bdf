/**
 * One parsed certificate with what the checks need: Node's X509Certificate for signatures,
 * plus the fields read from the DER (version, signature algorithm, SANs, EKU, basic constraints)
 * exactly as Go's crypto/x509 sees them.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import {
  OID,
  SIGNATURE_ALGORITHMS,
  formatIp,
  parseAuthorityKeyId,
  parseBasicConstraints,
  parseCertificateDer,
  parseExtKeyUsage,
  parseKeyCertSign,
  parseSubjectAltName,
  parseSubjectKeyId,
} from './der';
import type { PemBlock } from './pem';

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
  /** undefined when the certificate has no KeyUsage extension; else whether keyCertSign is set. */
  keyCertSign?: boolean;
  publicKey: PublicKeyInfo;
  selfIssued: boolean;
}

export function parseCertificate(block: PemBlock | Uint8Array): CertificateInfo {
  const der = block instanceof Uint8Array ? block : block.bytes;
  const x509 = new X509Certificate(der);
  const parsed = parseCertificateDer(der);
  const ext = parsed.extensions;
  const san = ext.get(OID.subjectAltName);
  const sans = san ? parseSubjectAltName(san.value) : { dns: [], ip: [] };
  const bc = ext.get(OID.basicConstraints);
  const constraints = bc ? parseBasicConstraints(bc.value) : undefined;
  const eku = ext.get(OID.extKeyUsage);
  const skid = ext.get(OID.subjectKeyId);
  const akid = ext.get(OID.authorityKeyId);
  const keyUsage = ext.get(OID.keyUsage);
  const subject = oneLine(x509.subject);
  return {
    x509,
    der,
    fingerprint: x509.fingerprint256,
    label: parsed.commonName !== undefined ? `CN=${parsed.commonName}` : subject || `serial ${x509.serialNumber}`,
    subject,
    issuer: oneLine(x509.issuer),
    commonName: parsed.commonName,
    rawSubject: parsed.rawSubject,
    rawIssuer: parsed.rawIssuer,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    version: parsed.version,
    signature: { oid: parsed.signatureOid, ...(SIGNATURE_ALGORITHMS[parsed.signatureOid] ?? { name: parsed.signatureOid, hash: 'unknown' }) },
    hasBasicConstraints: !!bc,
    isCa: !!constraints?.ca,
    pathLen: constraints?.pathLen,
    hasSanExtension: !!san,
    dnsNames: sans.dns,
    ipAddresses: sans.ip,
    eku: eku ? parseExtKeyUsage(eku.value) : undefined,
    subjectKeyId: skid ? safe(() => parseSubjectKeyId(skid.value)) : undefined,
    authorityKeyId: akid ? safe(() => parseAuthorityKeyId(akid.value)) : undefined,
    keyCertSign: keyUsage ? safe(() => parseKeyCertSign(keyUsage.value)) : undefined,
    publicKey: describePublicKey(x509.publicKey),
    selfIssued: parsed.rawSubject === parsed.rawIssuer,
  };
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

export function describePublicKey(key: KeyObject): PublicKeyInfo {
  const details = key.asymmetricKeyDetails ?? {};
  return {
    type: key.asymmetricKeyType ?? 'unknown',
    bits: key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss' ? details.modulusLength : undefined,
    curve: details.namedCurve,
    spki: (key.export({ type: 'spki', format: 'der' }) as Buffer).toString('hex'),
  };
}

export function ipText(ip: Uint8Array): string {
  return formatIp(ip);
}

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

/** A PEM block whose type ends in "PRIVATE KEY", as Go's X509KeyPair looks for. */
export function parsePrivateKey(block: PemBlock): PrivateKeyInfo {
  const encrypted = block.type === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '');
  if (encrypted) return { pemType: block.type, encrypted };
  try {
    const key = createPrivateKey({ key: block.text, format: 'pem' });
    return { pemType: block.type, encrypted, publicKey: describePublicKey(createPublicKey(key)) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { pemType: block.type, encrypted, error: code ? `${code}` : 'the key data does not parse' };
  }
}

/**
 * Certificates built field by field at test time, for the cases a certificate library refuses to make:
 * negative or non-minimal serials, repeated or critical unknown extensions, malformed SANs, odd time
 * encodings, mismatched signature algorithms, RSA-PSS with any salt, curves and key types Go does not
 * take. The DER is assembled with asn1js, extension values with @peculiar/asn1-x509 (or raw bytes),
 * and signed with Node's crypto. Nothing is committed: every run makes fresh keys and certificates.
 */
import 'reflect-metadata';
import * as asn1js from 'asn1js';
import { X509Certificate, constants, createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1x509 from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { toPem } from './certificates';

export type ForgeKeyKind = 'ec' | 'ec384' | 'ec224' | 'secp256k1' | 'rsa' | 'rsa512' | 'rsa1024' | 'ed25519' | 'rsa-pss';

export interface ForgeKey {
  kind: ForgeKeyKind;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 PEM. */
  keyPem: string;
  spki: Uint8Array;
}

const rsaPool = new Map<string, ForgeKey>();

export function forgeKey(kind: ForgeKeyKind = 'ec', fresh = false): ForgeKey {
  const cacheable = kind === 'rsa' || kind === 'rsa-pss';
  if (cacheable && !fresh && rsaPool.has(kind)) return rsaPool.get(kind)!;
  let pair: { privateKey: KeyObject; publicKey: KeyObject };
  switch (kind) {
    case 'ec':
      pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      break;
    case 'ec384':
      pair = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      break;
    case 'ec224':
      pair = generateKeyPairSync('ec', { namedCurve: 'secp224r1' });
      break;
    case 'secp256k1':
      pair = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
      break;
    case 'rsa':
      pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      break;
    case 'rsa512':
      pair = generateKeyPairSync('rsa', { modulusLength: 512 });
      break;
    case 'rsa1024':
      pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
      break;
    case 'ed25519':
      pair = generateKeyPairSync('ed25519');
      break;
    case 'rsa-pss':
      pair = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
      break;
  }
  const key: ForgeKey = {
    kind,
    ...pair,
    keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    spki: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })),
  };
  if (cacheable && !fresh) rsaPool.set(kind, key);
  return key;
}

export interface ForgeExtension {
  oid: string;
  critical?: boolean;
  /** The extnValue contents (DER of the extension's own structure, or anything). */
  value: Uint8Array;
}

export interface Forged {
  pem: string;
  der: Uint8Array;
  key: ForgeKey;
  keyPem: string;
  /** DER of the subject Name. */
  name: Uint8Array;
  subject: string;
  ski: Uint8Array;
}

export type ForgeTime = Date | { raw: string; tag: 'utc' | 'generalized' };

export interface ForgeOptions {
  /** An RFC 4514-ish DN (`CN=x, O=y`) or a bare CN. */
  subject: string;
  issuer?: Forged;
  key?: ForgeKey;
  /** X.509 version (1, 2, 3, or an invalid one). */
  version?: number;
  /** The serial INTEGER's content bytes, hex (two's complement: `ff…` is negative). */
  serialHex?: string;
  notBefore?: ForgeTime;
  notAfter?: ForgeTime;
  extensions?: ForgeExtension[];
  /** Extensions added by default (basicConstraints, keyUsage, SKI, AKI); false leaves them out. */
  defaults?: boolean;
  ca?: boolean;
  hash?: 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5';
  /** Sign with RSASSA-PSS (the issuer key must be RSA), with this salt length. */
  pssSalt?: number;
  /** Put another algorithm identifier in the outer Certificate.signatureAlgorithm. */
  outerHash?: 'sha256' | 'sha384' | 'sha512' | 'sha1';
}

const DAY = 86_400_000;

function bytes(b: ArrayBuffer | ArrayBufferView): Uint8Array {
  return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function fromDer(der: Uint8Array): asn1js.AsnType {
  const copy = new Uint8Array(der);
  const r = asn1js.fromBER(copy);
  if (r.offset === -1) throw new Error('forge: bad DER');
  return r.result;
}

const HASH_OID: Record<string, string> = { sha1: '1.3.14.3.2.26', sha256: '2.16.840.1.101.3.4.2.1', sha384: '2.16.840.1.101.3.4.2.2', sha512: '2.16.840.1.101.3.4.2.3' };
const RSA_SIG: Record<string, string> = { md5: '1.2.840.113549.1.1.4', sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13' };
const EC_SIG: Record<string, string> = { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' };

function algorithm(key: ForgeKey, hash: string, pssSalt?: number): asn1js.Sequence {
  if (key.kind === 'ed25519') return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.3.101.112' })] });
  if (key.kind.startsWith('ec') || key.kind === 'secp256k1') return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: EC_SIG[hash] })] });
  if (pssSalt !== undefined || key.kind === 'rsa-pss') {
    const hashAi = () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: HASH_OID[hash] }), new asn1js.Null()] });
    const params = new asn1js.Sequence({
      value: [
        new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [hashAi()] }),
        new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.8' }), hashAi()] })] }),
        new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 2 }, value: [new asn1js.Integer({ value: pssSalt ?? 32 })] }),
      ],
    });
    return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.10' }), params] });
  }
  return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: RSA_SIG[hash] }), new asn1js.Null()] });
}

function signTbs(tbs: Uint8Array, key: ForgeKey, hash: string, pssSalt?: number): Uint8Array {
  if (key.kind === 'ed25519') return new Uint8Array(sign(null, tbs, key.privateKey));
  if (pssSalt !== undefined || key.kind === 'rsa-pss') return new Uint8Array(sign(hash, tbs, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSalt ?? 32 }));
  return new Uint8Array(sign(hash, tbs, key.privateKey));
}

function time(t: ForgeTime): asn1js.AsnType {
  if (t instanceof Date) {
    return t.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate: t }) : new asn1js.GeneralizedTime({ valueDate: t });
  }
  return new asn1js.Primitive({ idBlock: { tagClass: 1, tagNumber: t.tag === 'utc' ? 23 : 24 }, valueHex: Buffer.from(t.raw, 'latin1') });
}

function nameDer(subject: string): Uint8Array {
  const dn = subject.includes('=') ? subject : `CN=${subject}`;
  return bytes(new x509.Name(dn).toArrayBuffer());
}

export function keyId(key: ForgeKey): Uint8Array {
  return new Uint8Array(createHash('sha1').update(key.spki).digest());
}

/** Extension value builders. */
export const ext = {
  basicConstraints(ca: boolean, pathLen?: number, critical = true): ForgeExtension {
    const parts = [...(ca ? [new asn1js.Boolean({ value: true })] : []), ...(pathLen !== undefined ? [new asn1js.Integer({ value: pathLen })] : [])];
    return { oid: '2.5.29.19', critical, value: new Uint8Array(new asn1js.Sequence({ value: parts }).toBER()) };
  },
  /** keyUsage from @peculiar/x509 KeyUsageFlags. */
  keyUsage(flags: number, critical = true): ForgeExtension {
    return { oid: '2.5.29.15', critical, value: bytes(new x509.KeyUsagesExtension(flags, critical).value) };
  },
  eku(oids: string[], critical = false): ForgeExtension {
    return { oid: '2.5.29.37', critical, value: bytes(new x509.ExtendedKeyUsageExtension(oids, critical).value) };
  },
  san(names: { dns?: string[]; ip?: string[] }, critical = false): ForgeExtension {
    const list = [...(names.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(names.ip ?? []).map((value) => ({ type: 'ip' as const, value }))];
    return { oid: '2.5.29.17', critical, value: bytes(new x509.SubjectAlternativeNameExtension(list, critical).value) };
  },
  /** A SAN from raw GeneralName elements: [tag number, content bytes] (context-specific, primitive). */
  sanRaw(entries: [number, Uint8Array][], critical = false): ForgeExtension {
    const seq = new asn1js.Sequence({ value: entries.map(([n, content]) => new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: n }, valueHex: content })) });
    return { oid: '2.5.29.17', critical, value: new Uint8Array(seq.toBER()) };
  },
  ski(key: ForgeKey): ForgeExtension {
    return { oid: '2.5.29.14', value: new Uint8Array(new asn1js.OctetString({ valueHex: keyId(key) }).toBER()) };
  },
  aki(issuerKey: ForgeKey, critical = false): ForgeExtension {
    const seq = new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: keyId(issuerKey) })] });
    return { oid: '2.5.29.35', critical, value: new Uint8Array(seq.toBER()) };
  },
  nameConstraints(c: { permittedDns?: string[]; excludedDns?: string[]; permittedIp?: string[]; excludedIp?: string[] }, critical = true): ForgeExtension {
    // GeneralSubtree ::= SEQUENCE { base GeneralName }; dNSName [2] and iPAddress [7] (address then mask).
    const subtree = (tag: number, content: Uint8Array) => new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: tag }, valueHex: content })] });
    const ipNet = (cidr: string) => {
      const [ip, bits] = cidr.split('/');
      const octets = ip.split('.').map(Number);
      const mask = [0, 1, 2, 3].map((i) => (0xff << (8 - Math.max(0, Math.min(8, Number(bits) - 8 * i)))) & 0xff);
      return new Uint8Array([...octets, ...mask]);
    };
    const subtrees = (dns: string[] = [], ips: string[] = []) => [...dns.map((d) => subtree(2, Buffer.from(d, 'latin1'))), ...ips.map((cidr) => subtree(7, ipNet(cidr)))];
    const parts: asn1js.AsnType[] = [];
    const permitted = subtrees(c.permittedDns, c.permittedIp);
    const excluded = subtrees(c.excludedDns, c.excludedIp);
    if (permitted.length) parts.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: permitted }));
    if (excluded.length) parts.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: excluded }));
    return { oid: '2.5.29.30', critical, value: new Uint8Array(new asn1js.Sequence({ value: parts }).toBER()) };
  },
  policyConstraints(requireExplicitPolicy: number | undefined, inhibitPolicyMapping: number | undefined, critical = true): ForgeExtension {
    const field = (tag: number, v: number) => new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: tag }, valueHex: new Uint8Array([v]) });
    const parts = [...(requireExplicitPolicy !== undefined ? [field(0, requireExplicitPolicy)] : []), ...(inhibitPolicyMapping !== undefined ? [field(1, inhibitPolicyMapping)] : [])];
    return { oid: '2.5.29.36', critical, value: new Uint8Array(new asn1js.Sequence({ value: parts }).toBER()) };
  },
  policies(oids: string[], critical = false): ForgeExtension {
    const cp = new asn1x509.CertificatePolicies(oids.map((policyIdentifier) => new asn1x509.PolicyInformation({ policyIdentifier })));
    return { oid: '2.5.29.32', critical, value: bytes(AsnConvert.serialize(cp)) };
  },
  raw(oid: string, value: Uint8Array, critical = false): ForgeExtension {
    return { oid, critical, value };
  },
};

/** A certificate built from `options`; self-signed when no issuer is given. */
export function forge(options: ForgeOptions): Forged {
  const key = options.key ?? forgeKey('ec');
  const issuer = options.issuer;
  const signer = issuer?.key ?? key;
  const hash = options.hash ?? 'sha256';
  const name = nameDer(options.subject);
  const issuerName = issuer?.name ?? name;
  const ski = keyId(key);
  const defaults: ForgeExtension[] = [];
  if (options.defaults !== false) {
    defaults.push(ext.basicConstraints(!!options.ca));
    defaults.push(ext.keyUsage(options.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | (key.kind.startsWith('rsa') ? x509.KeyUsageFlags.keyEncipherment : 0)));
    defaults.push(ext.ski(key));
    if (issuer) defaults.push(ext.aki(issuer.key));
  }
  // An explicit extension replaces the default of its OID; listing one twice repeats it.
  const explicit = options.extensions ?? [];
  const extensions = [...defaults.filter((d) => !explicit.some((e) => e.oid === d.oid)), ...explicit];
  const version = options.version ?? 3;
  const serialHex = options.serialHex ?? '01' + randomBytes(15).toString('hex');
  const now = Date.now();
  const sigAlgorithm = algorithm(signer, hash, options.pssSalt);
  const fields: asn1js.AsnType[] = [];
  if (version !== 1) fields.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Integer({ value: version - 1 })] }));
  fields.push(new asn1js.Integer({ valueHex: Buffer.from(serialHex, 'hex') }));
  fields.push(sigAlgorithm);
  fields.push(fromDer(issuerName));
  fields.push(new asn1js.Sequence({ value: [time(options.notBefore ?? new Date(now - DAY)), time(options.notAfter ?? new Date(now + 90 * DAY))] }));
  fields.push(fromDer(name));
  fields.push(fromDer(key.spki));
  if (version >= 3 && extensions.length > 0) {
    const list = extensions.map((e) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: e.oid }), ...(e.critical ? [new asn1js.Boolean({ value: true })] : []), new asn1js.OctetString({ valueHex: e.value })] }));
    fields.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 3 }, value: [new asn1js.Sequence({ value: list })] }));
  }
  const tbs = new Uint8Array(new asn1js.Sequence({ value: fields }).toBER());
  const signature = signTbs(tbs, signer, hash, options.pssSalt);
  const outer = options.outerHash ? algorithm(signer, options.outerHash, options.pssSalt) : algorithm(signer, hash, options.pssSalt);
  const cert = new asn1js.Sequence({ value: [fromDer(tbs), outer, new asn1js.BitString({ valueHex: signature })] });
  const der = new Uint8Array(cert.toBER());
  return { pem: toPem(der, 'CERTIFICATE'), der, key, keyPem: key.keyPem, name, subject: options.subject, ski };
}

/** A root CA (self-signed, CA:TRUE). */
export function forgeCa(subject: string, options: Partial<ForgeOptions> = {}): Forged {
  return forge({ subject, ca: true, ...options });
}

/** A server certificate with DNS SANs and serverAuth. */
export function forgeServer(issuer: Forged, dns: string[] = ['localhost'], options: Partial<ForgeOptions> = {}): Forged {
  const explicit = options.extensions ?? [];
  const extensions = [ext.san({ dns }), ext.eku(['1.3.6.1.5.5.7.3.1'])].filter((d) => !explicit.some((e) => e.oid === d.oid)).concat(explicit);
  return forge({ subject: dns[0] ?? 'server', issuer, ...options, extensions });
}

/** Whether Node (OpenSSL) reads the certificate at all. */
export function opensslReads(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

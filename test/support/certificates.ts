/**
 * Certificates made at test time with @peculiar/x509 over Node's WebCrypto: CAs, intermediates,
 * server and client leaves, ECDSA or RSA, any validity, SANs, EKUs, basic constraints, SHA-1.
 * Nothing is checked in: every test run makes fresh ones.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type RsaHashedKeyAlgorithm = webcrypto.RsaHashedKeyAlgorithm;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
x509.cryptoProvider.set(webcrypto as any);
const subtle = webcrypto.subtle;

export type KeyKind = 'ec' | 'rsa' | 'rsa1024' | 'ec384';

export interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  /** PEM of the certificate. */
  pem: string;
  /** PKCS#8 PEM of the private key. */
  keyPem: string;
  subject: string;
}

const rsaCache = new Map<string, CryptoKeyPair[]>();

async function generate(kind: KeyKind, hash = 'SHA-256'): Promise<CryptoKeyPair> {
  if (kind === 'ec' || kind === 'ec384') {
    return (await subtle.generateKey({ name: 'ECDSA', namedCurve: kind === 'ec' ? 'P-256' : 'P-384' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  }
  const bits = kind === 'rsa1024' ? 1024 : 2048;
  return (await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash }, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** A fresh key pair (RSA keys are slow: pass `reuse` to take one from a small pool). */
export async function keyPair(kind: KeyKind = 'ec', reuse = false): Promise<CryptoKeyPair> {
  if (!reuse || kind === 'ec' || kind === 'ec384') return generate(kind);
  const pool = rsaCache.get(kind) ?? [];
  rsaCache.set(kind, pool);
  if (pool.length < 3) pool.push(await generate(kind));
  return pool[Math.floor(Math.random() * pool.length)];
}

export async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const der = await subtle.exportKey('pkcs8', keys.privateKey);
  return toPem(new Uint8Array(der), 'PRIVATE KEY');
}

export function toPem(der: Uint8Array, type: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${b64}\n-----END ${type}-----\n`;
}

export interface IssueOptions {
  /** `CN=...` or a full DN. */
  subject: string;
  issuer?: Issued;
  key?: KeyKind | CryptoKeyPair;
  ca?: boolean;
  /** Omit basicConstraints entirely. */
  noBasicConstraints?: boolean;
  pathLength?: number;
  dns?: string[];
  ips?: string[];
  /** Omit the SAN extension even when dns/ips are empty (that is the default too). */
  eku?: ('serverAuth' | 'clientAuth')[];
  notBefore?: Date;
  notAfter?: Date;
  /** Signature hash; 'SHA-1' works for ECDSA issuers. */
  hash?: 'SHA-256' | 'SHA-1' | 'SHA-384';
  serial?: string;
}

const DAY = 86_400_000;
const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };

function signingAlgorithm(keys: CryptoKeyPair, hash: string) {
  const name = keys.privateKey.algorithm.name;
  return name === 'ECDSA' ? { name, hash } : { name, hash: (keys.privateKey.algorithm as RsaHashedKeyAlgorithm).hash };
}

let serial = 1;

export async function issue(options: IssueOptions): Promise<Issued> {
  const keys = typeof options.key === 'object' ? options.key : await keyPair(options.key ?? 'ec', options.key === 'rsa');
  const subject = options.subject.includes('=') ? options.subject : `CN=${options.subject}`;
  const now = Date.now();
  const extensions: x509.Extension[] = [];
  if (!options.noBasicConstraints) extensions.push(new x509.BasicConstraintsExtension(!!options.ca, options.pathLength, true));
  if (options.ca) extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true));
  else extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true));
  if (options.eku) extensions.push(new x509.ExtendedKeyUsageExtension(options.eku.map((e) => EKU[e]), false));
  const names = [...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value }))];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  const signer = options.issuer?.keys ?? keys;
  if (options.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(options.issuer.keys.publicKey));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: options.serial ?? (0x1000 + serial++).toString(16).padStart(6, '0'),
    subject,
    issuer: options.issuer?.subject ?? subject,
    notBefore: options.notBefore ?? new Date(now - DAY),
    notAfter: options.notAfter ?? new Date(now + 365 * DAY),
    signingAlgorithm: signingAlgorithm(signer, options.hash ?? 'SHA-256'),
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    extensions,
  });
  return { cert, keys, pem: cert.toString('pem') + '\n', keyPem: await keyPem(keys), subject };
}

/** A root CA (self-signed, CA:TRUE). */
export function ca(name = 'Test Root CA', options: Partial<IssueOptions> = {}): Promise<Issued> {
  return issue({ subject: name, ca: true, ...options });
}

export function intermediate(issuer: Issued, name = 'Test Intermediate CA', options: Partial<IssueOptions> = {}): Promise<Issued> {
  return issue({ subject: name, issuer, ca: true, ...options });
}

export function server(issuer: Issued | undefined, dns: string[] = ['localhost'], options: Partial<IssueOptions> = {}): Promise<Issued> {
  return issue({ subject: dns[0] ?? 'server', issuer, dns, eku: ['serverAuth'], ...options });
}

export function client(issuer: Issued | undefined, name = 'my-application', options: Partial<IssueOptions> = {}): Promise<Issued> {
  return issue({ subject: name, issuer, eku: ['clientAuth'], ...options });
}

export const days = (n: number) => new Date(Date.now() + n * DAY);

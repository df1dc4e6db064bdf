/**
 * The development PKI engine (issue 5): a CA, one server certificate and client certificates
 * that are right for OTLP mTLS, made in-process with `@peculiar/x509` on WebCrypto.
 *
 * Pure: no file system, no editor, no LSP. It takes the options and a clock value and returns
 * file names, PEM contents and the modes the caller must write them with. server/src/certificateWriter.ts
 * writes what this returns, for the CLI (`certs`) and for the server (the VS Code command).
 *
 * What the certificates contain, and why:
 * - CA: CN "OTLP TLS Dev CA", basicConstraints CA:TRUE pathlen:0 (critical: Python 3.13's strict
 *   verification refuses a CA whose basicConstraints is not critical), keyUsage keyCertSign +
 *   cRLSign (critical), no extended key usage (Go nests EKUs down the chain, so a CA with EKU
 *   serverAuth would break every client certificate it issues). Valid `caDays` (default
 *   3650 days, 10 years) so regenerating leaves does not force re-distributing the CA.
 * - Server: DNS SANs for names and IP SANs for IPv4/IPv6 literals (Go and Node never match an IP
 *   host against a DNS SAN or the CN), EKU serverAuth only, keyUsage digitalSignature
 *   (+ keyEncipherment for RSA, for TLS 1.2 RSA key exchange), basicConstraints CA:FALSE.
 * - Clients: CN = the client name, EKU clientAuth only, keyUsage digitalSignature.
 * - Every certificate: a random 128-bit positive serial, subject and authority key identifiers
 *   (the authority key identifier repeats the issuer's own subject key identifier, because
 *   OpenSSL refuses a chain where they differ), SHA-256 signatures (SHA-384/512 when an existing
 *   P-384/P-521 CA signs).
 * - Leaves are valid `days` days, never beyond the CA's own expiry (Go checks every certificate
 *   of the chain, so a leaf outliving its CA gains nothing). notBefore is backdated five minutes
 *   so that a container whose clock lags the host's does not see "certificate is not yet valid".
 * - Private keys are unencrypted PKCS#8 PEM (what Go's `tls.LoadX509KeyPair`, OpenSSL and Node
 *   all read) with mode 0o600; certificates 0o644.
 */
import 'reflect-metadata';
import type * as X509 from '@peculiar/x509';
import { peculiarX509 } from './peculiarX509';
// createPrivateKey reads existing CA keys; the WebCrypto types come from Node (the project compiles without the DOM lib).
import { createPrivateKey, type KeyObject, type webcrypto } from 'node:crypto';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './devCertificateOptions';

type Crypto = webcrypto.Crypto;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
type EcKeyAlgorithm = webcrypto.EcKeyAlgorithm;
type EcKeyImportParams = webcrypto.EcKeyImportParams;
type RsaHashedImportParams = webcrypto.RsaHashedImportParams;

export { DEFAULT_CLIENTS, DEFAULT_LEAF_DAYS, KEY_ALGORITHMS, KEY_ALGORITHM_LABELS, type KeyAlgorithm } from './devCertificateOptions';

export const DEV_CA_COMMON_NAME = 'OTLP TLS Dev CA';
/** Validity of a newly made CA: 10 years. */
export const DEFAULT_CA_DAYS = 3650;
/** How far notBefore is moved into the past, for clocks that lag. */
export const NOT_BEFORE_BACKDATE_MS = 5 * 60 * 1000;

export type GeneratedFileRole = 'ca-cert' | 'ca-key' | 'server-cert' | 'server-key' | 'client-cert' | 'client-key';

export interface GeneratedFile {
  /** A bare file name (`ca.crt`, `server.key`, `<client>.crt`...), relative to the target folder. */
  name: string;
  /** PEM text. Private key contents must never be logged. */
  contents: string;
  /** POSIX mode to create the file with: 0o600 for keys, 0o644 for certificates. */
  mode: number;
  role: GeneratedFileRole;
}

export interface DevCertificateOptions {
  /** Names and IP addresses the server is reached by; at least one. */
  hosts: string[];
  /** Client certificate names (the CN and the file name); may be empty for server-only TLS. */
  clients: string[];
  algorithm: KeyAlgorithm;
  /** Validity of the server and client certificates, in days. */
  days: number;
  /** Validity of a new CA, in days (default 3650). Ignored with `existingCa`. */
  caDays?: number;
  now: Date;
  /** Sign with this CA instead of making a new one; no CA file is returned then. */
  existingCa?: { certPem: string; keyPem: string };
  /** The WebCrypto implementation (default `globalThis.crypto`). */
  crypto?: Crypto;
}

export const CERT_MODE = 0o644;
export const KEY_MODE = 0o600;

/** A host as it goes into the server certificate's subjectAltName. */
export interface HostSan {
  type: 'dns' | 'ip';
  /** Normalised value: lower-case DNS name, canonical IP text. */
  value: string;
}

/**
 * The file names `generateDevCertificates` returns for these options, in order, without
 * generating anything: callers check for existing files before the (slow, for RSA) key generation.
 */
export function devCertificateFileNames(clients: readonly string[], includeCa: boolean): string[] {
  const names = includeCa ? ['ca.crt', 'ca.key'] : [];
  names.push('server.crt', 'server.key');
  for (const client of clients) names.push(`${client}.crt`, `${client}.key`);
  return names;
}

export async function generateDevCertificates(options: DevCertificateOptions): Promise<GeneratedFile[]> {
  const x509 = peculiarX509();
  const crypto = options.crypto ?? (globalThis as { crypto?: Crypto }).crypto;
  if (!crypto?.subtle) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available in this runtime');
  if (!KEY_ALGORITHMS.includes(options.algorithm)) {
    throw new Error(`unknown key algorithm "${options.algorithm}"; use one of ${KEY_ALGORITHMS.join(', ')}`);
  }
  validateDays(options.days, 'days');
  const caDays = options.caDays ?? DEFAULT_CA_DAYS;
  validateDays(caDays, 'caDays');
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) throw new Error('now must be a valid Date');
  const sans = parseHosts(options.hosts);
  const clients = validateClientNames(options.clients);

  const now = options.now.getTime();
  const notBefore = new Date(now - NOT_BEFORE_BACKDATE_MS);
  const files: GeneratedFile[] = [];

  // Leaf keys are generated in parallel with the CA (WebCrypto keygen runs off the main thread).
  const leafKeysPromise = Promise.all([0, ...clients.map((_, i) => i + 1)].map(() => generateKeyPair(options.algorithm, crypto)));
  leafKeysPromise.catch(() => {}); // awaited below; this only avoids an unhandled rejection if the CA step throws first

  let ca: Issuer;
  if (options.existingCa) {
    ca = await loadIssuer(options.existingCa, options.now, crypto);
  } else {
    const caKeys = await generateKeyPair(options.algorithm, crypto);
    const caNotAfter = new Date(now + caDays * DAY_MS);
    const caSki = await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto);
    const caCert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(crypto),
        subject: `CN=${DEV_CA_COMMON_NAME}`,
        issuer: `CN=${DEV_CA_COMMON_NAME}`,
        notBefore,
        notAfter: caNotAfter,
        publicKey: caKeys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: signingAlgorithmFor(caKeys.privateKey),
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          caSki,
          new x509.AuthorityKeyIdentifierExtension(caSki.keyId),
        ],
      },
      crypto,
    );
    ca = { name: caCert.subjectName, keyId: caSki.keyId, privateKey: caKeys.privateKey, notAfter: caNotAfter };
    files.push(
      { name: 'ca.crt', contents: caCert.toString('pem') + '\n', mode: CERT_MODE, role: 'ca-cert' },
      { name: 'ca.key', contents: await privateKeyPem(caKeys.privateKey, crypto), mode: KEY_MODE, role: 'ca-key' },
    );
  }

  const leafNotAfter = new Date(Math.min(now + options.days * DAY_MS, ca.notAfter.getTime()));
  const [serverKeys, ...clientKeys] = await leafKeysPromise;
  const isRsa = options.algorithm.startsWith('rsa-');

  const serverCert = await issueLeaf(
    ca,
    serverKeys,
    {
      subject: `CN=${serverCommonName(sans)}`,
      notBefore,
      notAfter: leafNotAfter,
      keyUsage: x509.KeyUsageFlags.digitalSignature | (isRsa ? x509.KeyUsageFlags.keyEncipherment : 0),
      eku: x509.ExtendedKeyUsage.serverAuth,
      extra: [new x509.SubjectAlternativeNameExtension(sans.map((san) => ({ type: san.type, value: san.value })), false)],
    },
    crypto,
  );
  files.push(
    { name: 'server.crt', contents: serverCert.toString('pem') + '\n', mode: CERT_MODE, role: 'server-cert' },
    { name: 'server.key', contents: await privateKeyPem(serverKeys.privateKey, crypto), mode: KEY_MODE, role: 'server-key' },
  );

  for (let i = 0; i < clients.length; i++) {
    const client = clients[i];
    const keys = clientKeys[i];
    const cert = await issueLeaf(
      ca,
      keys,
      {
        subject: [{ CN: [client] }],
        notBefore,
        notAfter: leafNotAfter,
        keyUsage: x509.KeyUsageFlags.digitalSignature,
        eku: x509.ExtendedKeyUsage.clientAuth,
        extra: [],
      },
      crypto,
    );
    files.push(
      { name: `${client}.crt`, contents: cert.toString('pem') + '\n', mode: CERT_MODE, role: 'client-cert' },
      { name: `${client}.key`, contents: await privateKeyPem(keys.privateKey, crypto), mode: KEY_MODE, role: 'client-key' },
    );
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Validation

const DAY_MS = 24 * 60 * 60 * 1000;

function validateDays(days: number, what: string): void {
  if (typeof days !== 'number' || !Number.isInteger(days) || days <= 0) {
    throw new Error(`${what} must be a whole number of days greater than 0, got ${String(days)}`);
  }
  if (days > 36500) throw new Error(`${what} must be at most 36500 (100 years), got ${days}`);
}

/**
 * Turns the host list into SAN entries: IPv4/IPv6 literals become IP SANs, everything else must
 * be a DNS name (a leftmost `*` label is allowed). Duplicates are dropped. Throws on the first bad host.
 */
export function parseHosts(hosts: readonly string[]): HostSan[] {
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw new Error('at least one host is needed: the names or IP addresses clients use to reach the server');
  }
  const seen = new Set<string>();
  const sans: HostSan[] = [];
  for (const host of hosts) {
    const san = parseHost(host);
    const key = `${san.type}:${san.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sans.push(san);
  }
  return sans;
}

export function parseHost(input: string): HostSan {
  if (typeof input !== 'string') throw new Error(`host must be a string, got ${typeof input}`);
  const host = input.trim();
  const quoted = JSON.stringify(input);
  if (host === '') throw new Error('empty host name');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    throw new Error(`host ${quoted} is a URL; give only the host name or IP address (e.g. "localhost")`);
  }
  const bracketed = host.startsWith('[') && host.endsWith(']');
  const unbracketed = bracketed ? host.slice(1, -1) : host;
  if (bracketed && !unbracketed.includes(':')) throw new Error(`host ${quoted}: brackets are only for IPv6 addresses`);
  if (unbracketed.includes(':')) {
    if (unbracketed.includes('%')) throw new Error(`host ${quoted}: IPv6 zone identifiers cannot go into a certificate`);
    const ip = normalizeIPv6(unbracketed);
    if (ip) return { type: 'ip', value: ip };
    if (/^[^:]+:\d+$/.test(host)) throw new Error(`host ${quoted} has a port; give the host without ":port"`);
    throw new Error(`host ${quoted} is not a valid IPv6 address or DNS name`);
  }
  if (/^[0-9.]+$/.test(host)) {
    const ip = normalizeIPv4(host);
    if (!ip) throw new Error(`host ${quoted} is not a valid IPv4 address`);
    return { type: 'ip', value: ip };
  }
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name.length > 253) throw new Error(`host ${quoted} is longer than 253 characters`);
  const labels = name.split('.');
  labels.forEach((label, index) => {
    if (label === '*' && index === 0) {
      if (labels.length < 3) {
        throw new Error(`host ${quoted}: a wildcard needs at least two labels after "*." (e.g. "*.example.com")`);
      }
      return;
    }
    if (label.includes('*')) throw new Error(`host ${quoted}: "*" is only allowed as the whole leftmost label`);
    if (label === '') throw new Error(`host ${quoted} has an empty label`);
    if (label.length > 63) throw new Error(`host ${quoted} has a label longer than 63 characters`);
    if (!/^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/.test(label)) {
      throw new Error(`host ${quoted} is not a valid DNS name (letters, digits, "-" and "_" between dots)`);
    }
  });
  return { type: 'dns', value: name };
}

function normalizeIPv4(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  for (const part of parts) {
    // Leading zeros are refused, as Go's net.ParseIP does (they read as octal elsewhere).
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
  }
  return parts.map(Number).join('.');
}

/** Canonical (RFC 5952) text of an IPv6 literal, or undefined. Accepts an embedded IPv4 tail. */
function normalizeIPv6(text: string): string | undefined {
  let source = text.toLowerCase();
  const tail = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (tail) {
    const v4 = normalizeIPv4(tail[1]);
    if (!v4) return undefined;
    const [a, b, c, d] = v4.split('.').map(Number);
    source = source.slice(0, source.length - tail[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = source.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  const groups = halves.length === 2 ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  if (groups.length !== 8 || (halves.length === 2 && left.length + right.length > 7)) return undefined;
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const words = groups.map((g) => parseInt(g, 16).toString(16));
  // Compress the longest run (length >= 2) of zero groups.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return words.join(':');
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`;
}

const RESERVED_NAMES = new Set(['ca', 'server']);

/** Client names become the CN and the file name `<name>.crt`, so they must be plain and unique. */
export function validateClientNames(clients: readonly string[]): string[] {
  if (!Array.isArray(clients)) throw new Error('clients must be a list of names');
  const seen = new Set<string>();
  for (const client of clients) {
    if (typeof client !== 'string' || client === '') throw new Error('empty client name');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(client) || client.endsWith('.')) {
      throw new Error(
        `client name ${JSON.stringify(client)} must start with a letter or digit and contain only letters, digits, ".", "_" and "-" (it is also the file name)`,
      );
    }
    if (client.length > 64) throw new Error(`client name ${JSON.stringify(client)} is longer than 64 characters (the CN limit)`);
    if (RESERVED_NAMES.has(client.toLowerCase())) {
      throw new Error(`client name ${JSON.stringify(client)} would collide with ${client.toLowerCase()}.crt; choose another name`);
    }
    // Case-insensitive: on macOS and Windows "App.crt" and "app.crt" are the same file.
    if (seen.has(client.toLowerCase())) throw new Error(`client name ${JSON.stringify(client)} is given twice`);
    seen.add(client.toLowerCase());
  }
  return [...clients];
}

function serverCommonName(sans: HostSan[]): string {
  // The CN is never used for matching when SANs exist; it only makes the certificate readable.
  const first = sans.find((s) => s.type === 'dns' && !s.value.startsWith('*') && s.value.length <= 64) ?? sans[0];
  return first.value.length <= 64 ? escapeDnValue(first.value) : 'OTLP TLS Dev Server';
}

function escapeDnValue(value: string): string {
  return value.replace(/([,+"\\<>;=#])/g, '\\$1');
}

// ---------------------------------------------------------------------------------------------
// Keys and certificates

interface Issuer {
  name: X509.Name;
  /** Hex subject key identifier of the CA, repeated as the leaves' authority key identifier. */
  keyId: string;
  privateKey: CryptoKey;
  notAfter: Date;
}

interface LeafParams {
  subject: string | X509.JsonName;
  notBefore: Date;
  notAfter: Date;
  keyUsage: number;
  eku: X509.ExtendedKeyUsage;
  extra: X509.Extension[];
}

async function issueLeaf(ca: Issuer, keys: CryptoKeyPair, params: LeafParams, crypto: Crypto): Promise<X509.X509Certificate> {
  const x509 = peculiarX509();
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(crypto),
      subject: params.subject,
      issuer: ca.name,
      notBefore: params.notBefore,
      notAfter: params.notAfter,
      publicKey: keys.publicKey,
      signingKey: ca.privateKey,
      signingAlgorithm: signingAlgorithmFor(ca.privateKey),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(params.keyUsage, true),
        new x509.ExtendedKeyUsageExtension([params.eku], false),
        ...params.extra,
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        new x509.AuthorityKeyIdentifierExtension(ca.keyId),
      ],
    },
    crypto,
  );
}

function generateKeyPair(algorithm: KeyAlgorithm, crypto: Crypto): Promise<CryptoKeyPair> {
  if (algorithm === 'ecdsa-p256') {
    return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  }
  const modulusLength = Number(algorithm.slice('rsa-'.length));
  return crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  ) as Promise<CryptoKeyPair>;
}

function signingAlgorithmFor(key: CryptoKey): Algorithm {
  if (key.algorithm.name === 'ECDSA') {
    const curve = (key.algorithm as EcKeyAlgorithm).namedCurve;
    return { name: 'ECDSA', hash: curve === 'P-384' ? 'SHA-384' : curve === 'P-521' ? 'SHA-512' : 'SHA-256' } as Algorithm;
  }
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm;
}

/** 16 random bytes: a 128-bit positive serial (the library prefixes 0x00 when the top bit is set). */
function randomSerial(crypto: Crypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  if (bytes[0] === 0) bytes[0] = 1; // keep the full 128-bit length, and never zero
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function privateKeyPem(key: CryptoKey, crypto: Crypto): Promise<string> {
  const x509 = peculiarX509();
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Reusing an existing CA

/**
 * Rejects, with the message `generateDevCertificates` would give, when this CA cannot sign new
 * certificates at `now` (not PEM, not a CA, expired, encrypted or mismatched key...): lets a caller
 * say so before asking the user anything else.
 */
export async function checkExistingCa(existing: { certPem: string; keyPem: string }, now: Date, crypto: Crypto | undefined = (globalThis as { crypto?: Crypto }).crypto): Promise<void> {
  if (!crypto?.subtle) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available in this runtime');
  await loadIssuer(existing, now, crypto);
}

async function loadIssuer(existing: { certPem: string; keyPem: string }, now: Date, crypto: Crypto): Promise<Issuer> {
  const certBlock = pemBlocks(existing.certPem, 'ca.crt').find((b) => b.type === 'CERTIFICATE');
  if (!certBlock) throw new Error('ca.crt holds no PEM "CERTIFICATE" block');
  const x509 = peculiarX509();
  let cert: X509.X509Certificate;
  try {
    cert = new x509.X509Certificate(certBlock.rawData);
  } catch (error) {
    throw new Error(`ca.crt is not a readable X.509 certificate: ${(error as Error).message}`);
  }
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) throw new Error(`ca.crt ("${cert.subject}") is not a CA certificate (basicConstraints CA:TRUE is missing)`);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (ku && !(ku.usages & x509.KeyUsageFlags.keyCertSign)) {
    throw new Error(`ca.crt ("${cert.subject}") may not sign certificates (keyUsage lacks keyCertSign)`);
  }
  if (cert.notAfter.getTime() <= now.getTime()) {
    throw new Error(`the CA in ca.crt expired on ${cert.notAfter.toISOString()}; remove ca.crt and ca.key to make a new CA`);
  }
  if (cert.notBefore.getTime() > now.getTime()) {
    throw new Error(`the CA in ca.crt is not valid before ${cert.notBefore.toISOString()}`);
  }

  const keyAlgorithm = importAlgorithmFor(cert.publicKey.algorithm);
  const pkcs8 = pkcs8FromPem(existing.keyPem, keyAlgorithm);
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, keyAlgorithm, true, ['sign']);
  } catch (error) {
    throw new Error(`ca.key could not be read as a ${keyAlgorithm.name} private key: ${(error as Error).message}`);
  }
  const [privateJwk, publicJwk] = await Promise.all([
    crypto.subtle.exportKey('jwk', privateKey),
    cert.publicKey.export(keyAlgorithm, ['verify'], crypto).then((key) => crypto.subtle.exportKey('jwk', key)),
  ]);
  const same =
    keyAlgorithm.name === 'ECDSA'
      ? privateJwk.x === publicJwk.x && privateJwk.y === publicJwk.y
      : privateJwk.n === publicJwk.n && privateJwk.e === publicJwk.e;
  if (!same) throw new Error('ca.key does not belong to ca.crt (the public keys differ)');

  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const keyId = ski?.keyId ?? (await x509.SubjectKeyIdentifierExtension.create(cert.publicKey, false, crypto)).keyId;
  return { name: cert.subjectName, keyId, privateKey, notAfter: cert.notAfter };
}

type ImportAlgorithm = RsaHashedImportParams | EcKeyImportParams;

function importAlgorithmFor(algorithm: Algorithm): ImportAlgorithm {
  if (algorithm.name === 'ECDSA') {
    const namedCurve = (algorithm as EcKeyAlgorithm).namedCurve;
    if (!['P-256', 'P-384', 'P-521'].includes(namedCurve)) throw new Error(`the CA's EC curve ${namedCurve} is not supported`);
    return { name: 'ECDSA', namedCurve };
  }
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  throw new Error(`the CA's key type (${algorithm.name}) is not supported; use an RSA or ECDSA CA`);
}

/**
 * PKCS#8 DER from a PEM key (PKCS#8, PKCS#1 `RSA PRIVATE KEY` or SEC1 `EC PRIVATE KEY`), converted by
 * Node's key parser, for WebCrypto's importKey.
 */
function pkcs8FromPem(pem: string, algorithm: ImportAlgorithm): ArrayBuffer {
  const blocks = pemBlocks(pem, 'ca.key');
  if (blocks.some((b) => b.type === 'ENCRYPTED PRIVATE KEY' || b.headers.some((h) => /ENCRYPTED/i.test(h.value)))) {
    throw new Error('ca.key is encrypted; a passphrase-protected CA key cannot be reused');
  }
  const block = blocks.find((b) => b.type.endsWith('PRIVATE KEY'));
  if (!block) throw new Error('ca.key holds no PEM private key block ("-----BEGIN PRIVATE KEY-----")');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new Error(`ca.key could not be read as a private key: ${(error as Error).message}`);
  }
  const wanted = algorithm.name === 'ECDSA' ? 'ec' : 'rsa';
  if (key.asymmetricKeyType !== wanted) {
    throw new Error(`ca.key holds a "${block.type}" block (${key.asymmetricKeyType ?? 'unknown'} key), which does not match the key type of ca.crt`);
  }
  const der = key.export({ type: 'pkcs8', format: 'der' });
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
}

function pemBlocks(pem: string, what: string): X509.PemStruct[] {
  const x509 = peculiarX509();
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN')) throw new Error(`${what} is not PEM (no "-----BEGIN" line)`);
  try {
    return x509.PemConverter.decodeWithHeaders(pem.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`${what} is not valid PEM: ${(error as Error).message}`);
  }
}

/**
 * Virtual certificates: what a cert-manager `Certificate` of the workspace will put in its Secret
 * (`tls.crt`, `tls.key`, `ca.crt`, and the additional output formats), made here as real X.509
 * certificates and keys that carry exactly the fields cert-manager writes, so that every check that
 * reads a certificate file (the file findings, Go's and OpenSSL's verifiers, the negotiation, the
 * hover) runs on them unchanged. Why real certificates rather than a description the verifier would
 * have to learn: docs/virtual-certificates.md.
 *
 * What cert-manager writes (docs/facts/cert-manager.md, v1.21.1):
 * - the template (pkg/util/pki/certificatetemplate.go): subject from `subject` + `commonName`; SANs
 *   from dnsNames, ipAddresses, uris, emailAddresses only (critical when the subject is empty);
 *   BasicConstraints always, CA = isCA, no path length; KeyUsage and ExtKeyUsage from `usages`
 *   (KeyUsagesForCertificateOrCertificateRequest: the defaults give digitalSignature + keyEncipherment and
 *   NO ExtKeyUsage extension; isCA adds keyCertSign); notBefore now, notAfter now + duration;
 * - Go's x509.CreateCertificate then adds: KeyUsage and BasicConstraints critical, a SubjectKeyId for a
 *   CA, the parent's SubjectKeyId as AuthorityKeyId when the parent is not the certificate itself, and
 *   the signature algorithm of the signer's key (SHA-256 with RSA and P-256, SHA-384 with P-384,
 *   SHA-512 with P-521, Ed25519);
 * - the key (pkg/util/pki/generate.go): RSA `size` (2048), ECDSA P-`size` (256), Ed25519; PEM as
 *   `RSA PRIVATE KEY` / `EC PRIVATE KEY` for PKCS1 (the default) and `PRIVATE KEY` for PKCS8 and Ed25519;
 * - the Secret (issuing/internal/secret.go, per issuer §5): `tls.crt` = the leaf and the CA's chain
 *   without its self-signed root; `ca.crt` = the root (CA issuer), the certificate itself (SelfSigned),
 *   none (ACME); `tls-combined.pem` = key then chain, `key.der` = the key in DER.
 *
 * Where the issuer's CA is not in the workspace (the CA Secret of a CA issuer made outside it, a Vault or
 * Venafi issuer, an issuer that is not in the workspace), the certificate is signed by a stand-in CA
 * made for that CA (one per CA Secret or issuer), marked `caUnknown` with the reason: the chain then
 * verifies structurally between certificates of that same issuer, and the handshake checks say "cannot
 * judge" instead of an error where the verdict needs the real CA (./virtualTrust.ts). An ACME issuer's
 * certificates chain to a stand-in public root marked `publicAcme`, which the system roots hold.
 *
 * Keys: RSA keys of more than 2048 bits are stood in for by 2048-bit keys (generating a 4096- or
 * 8192-bit key takes seconds); every rule that reads the key size gives the same verdict for 2048 to
 * 8192 bits (Go's TLS limit is 8192, cert-manager's range 2048-8192), and the mark keeps the size the
 * spec asks for, for messages and hover. Keys and certificates are cached in the language service's
 * caches: a key per Certificate (and stand-in CA), kept while its algorithm and size are unchanged.
 */
import 'reflect-metadata';
import * as asn1js from 'asn1js';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { peculiarX509 } from './peculiarX509';
import { parseFileContents, type ParsedFile } from './certificateFiles';
import type { CertificateInfo } from './certificateInfo';
import { issuedUsages, keyPemType, type CertificateSpec, type IssuerSpec, type KeyAlgorithm } from '../model/certManager';
import { table } from '../lookup';

/** What a virtual certificate is, for messages, hover and the trust decisions of ./virtualTrust.ts. */
export interface VirtualMark {
  /** `Certificate observability/otel-collector-cert`, or the stand-in CA's description. */
  source: string;
  /** The issuer's CA is not in the workspace: why (`the CA Secret cert-manager/internal-ca of ClusterIssuer internal-ca is not in the workspace`). */
  caUnknown?: string;
  /** Which unknown CA this stands in for (the same value for every certificate of it), with caUnknown. */
  caIdentity?: string;
  /** Issued by an ACME issuer: a publicly trusted chain (its stand-in root is in the system roots). */
  publicAcme?: string;
  /** Fields of the Certificate whose values are not known here (templates), so its names cannot be judged. */
  unknownFields?: string[];
  /** The RSA size the spec asks for, when the stand-in key is smaller (see the module comment). */
  specRsaBits?: number;
  /** The spec object, when this is a Certificate's leaf (or a CA Certificate). */
  spec?: CertificateSpec;
}

/** Key names of a Secret that cert-manager writes. */
export type SecretKey = 'tls.crt' | 'tls.key' | 'ca.crt' | 'tls-combined.pem' | 'key.der';

/** The Secret a Certificate's issuance writes: its keys as the files a volume would hold. */
export interface IssuedSecret {
  spec: CertificateSpec;
  issuer: IssuerDescription;
  /** Each key's contents as the certificate reader parses them, with the certificates marked virtual. */
  files: Partial<Record<SecretKey, ParsedFile>>;
  /** Each key's bytes, as the Secret holds them. */
  bytes: Partial<Record<SecretKey, Uint8Array>>;
  leaf: CertificateInfo;
  /** When this issuance was made (certificates are made again after a third of their lifetime). */
  madeAt: number;
  notAfter: number;
}

export interface IssuerDescription {
  /** `ClusterIssuer internal-ca (CA issuer, CA Secret cert-manager/internal-ca)`. */
  label: string;
  issuer?: IssuerSpec;
  type: IssuerSpec['type'] | 'missing';
  /** The CA is not in the workspace (the reason), when so. */
  caUnknown?: string;
}

/** What issuance needs to know about the rest of the workspace (./secretKeys.ts builds it from the cluster index). */
export interface IssuanceLookup {
  /** The Issuer (namespaced, in `namespace`) or ClusterIssuer an issuerRef names. */
  issuer(ref: { name: string; kind: string }, namespace: string | undefined): IssuerSpec | undefined;
  /** The Secret `name` in `namespace` as the workspace has it: its data (known keys), when a manifest holds it. */
  secretData(namespace: string | undefined, name: string, clusterScoped: boolean): Map<string, Uint8Array> | undefined;
  /** The Certificate that writes Secret `name` in `namespace`. */
  certificateFor(namespace: string | undefined, name: string, clusterScoped: boolean): CertificateSpec | undefined;
}

export interface VirtualCache {
  keys: Map<string, KeyObject>;
  issued: Map<string, IssuedSecret>;
  /** Stand-in CAs (unknown CAs, ACME roots and intermediates), by identity. */
  cas: Map<string, StandInCa>;
  /** How many entries each map keeps (VIRTUAL_CACHE_LIMIT unless made with another). */
  limit: number;
}

export function createVirtualCache(limit = VIRTUAL_CACHE_LIMIT): VirtualCache {
  return { keys: new Map(), issued: new Map(), cas: new Map(), limit };
}

/**
 * How many entries each map of a VirtualCache keeps by default: the least recently used go first. An adapter
 * keeps one cache for the whole session, and every edit of a Certificate's spec (each keystroke in a dnsName)
 * makes a new issued Secret, so without a bound the cache grew for as long as the editor ran. A CA is recalled
 * each time it signs, so it stays while it is in use, and what a signer signed is cached under the signer's key
 * (a CA made again never passes for the old one). Only a workspace with more Certificates, issuers and CAs
 * than this in one check could see a CA dropped and made again between two of its certificates, which would
 * then look signed by an unknown authority; issuing that many keys already takes minutes.
 */
export const VIRTUAL_CACHE_LIMIT = 512;

/** The cached value, marked as the most recently used. */
function recall<V>(map: Map<string, V>, key: string): V | undefined {
  const value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}

/** Keeps `value`, dropping the least recently used entries past the cache's limit. */
function remember<V>(cache: VirtualCache, map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= cache.limit) break;
    map.delete(oldest);
  }
}

const DAY = 86_400_000;
const MAX_DEPTH = 8;

/** A signer: the key that signs and the certificates above what it signs. */
interface Signer {
  key: KeyObject;
  /** DER of the signer's subject (the issuer name of what it signs). */
  subject: Uint8Array;
  ski?: Uint8Array;
  /** PEMs of the signer's chain that go in tls.crt after the leaf (without a self-signed root). */
  chainPems: string[];
  /** PEM of ca.crt. */
  caPem?: string;
  description: IssuerDescription;
  mark: Pick<VirtualMark, 'caUnknown' | 'caIdentity' | 'publicAcme'>;
  /** A fingerprint of the signer (its key), for the cache key of what it signs. */
  id: string;
}

/**
 * The Secret that `spec` will produce, made (or taken from the cache) now. Undefined only when the spec
 * has no usable key parameters (never for a spec the model read: it has defaults for everything).
 */
export function issueCertificate(spec: CertificateSpec, lookup: IssuanceLookup, cache: VirtualCache, now: Date, depth = 0): IssuedSecret {
  const key = keyFor(`certificate:${spec.namespace ?? ''}/${spec.name ?? ''}:${spec.privateKey.algorithm}:${spec.privateKey.size}`, spec.privateKey.algorithm, spec.privateKey.size, cache);
  const signer = signerFor(spec, key, lookup, cache, now, depth);
  const cacheKey = [specFingerprint(spec), signer.id].join('|');
  const cached = recall(cache.issued, cacheKey);
  const lifetime = spec.durationMs ?? 90 * DAY;
  if (cached && now.getTime() >= cached.madeAt && now.getTime() < cached.madeAt + lifetime / 3) return cached;

  const usages = issuedUsages(spec);
  const subject = subjectName(spec);
  const self = signer.key === key;
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + lifetime);
  const der = buildCertificate({
    subject,
    issuer: self ? subject : signer.subject,
    publicKey: key,
    signerKey: signer.key,
    notBefore,
    notAfter,
    isCA: spec.isCA,
    keyUsages: usages.keyUsages,
    extKeyUsages: usages.extKeyUsages,
    sans: { dns: spec.dnsNames.map((n) => n.value), ip: spec.ipAddresses.map((n) => n.value), uri: spec.uris.map((n) => n.value), email: spec.emailAddresses.map((n) => n.value) },
    ...(self ? {} : signer.ski ? { authorityKeyId: signer.ski } : {}),
  });
  const leafPem = pem(der, 'CERTIFICATE');
  const mark: VirtualMark = {
    source: spec.label,
    spec,
    ...signer.mark,
    ...(spec.unknown.length ? { unknownFields: [...new Set(spec.unknown.map((u) => u.field))] } : {}),
    ...(spec.privateKey.algorithm === 'RSA' && spec.privateKey.size > 2048 ? { specRsaBits: spec.privateKey.size } : {}),
  };
  const chain = [leafPem, ...signer.chainPems].join('');
  const keyPem = exportKey(key, spec);
  const caPem = self ? leafPem : signer.caPem;
  const bytes: Partial<Record<SecretKey, Uint8Array>> = { 'tls.crt': utf8(chain), 'tls.key': utf8(keyPem) };
  if (caPem !== undefined) bytes['ca.crt'] = utf8(caPem);
  if (spec.additionalOutputFormats.includes('CombinedPEM')) bytes['tls-combined.pem'] = utf8(keyPem + chain);
  if (spec.additionalOutputFormats.includes('DER')) bytes['key.der'] = new Uint8Array(key.export({ type: spec.privateKey.algorithm === 'RSA' && spec.privateKey.encoding === 'PKCS1' ? 'pkcs1' : 'pkcs8', format: 'der' } as never) as Buffer);
  const files: Partial<Record<SecretKey, ParsedFile>> = {};
  for (const [name, contents] of Object.entries(bytes) as [SecretKey, Uint8Array][]) {
    const parsed = parseFileContents(contents);
    // The leaf is the spec's; what comes after it (and a CA issuer's ca.crt) is the signer's.
    files[name] = name === 'key.der' || name === 'tls.key' ? parsed : markAll(parsed, name === 'ca.crt' && !self ? { ...mark, source: signer.description.label } : mark, signer, name === 'ca.crt' && !self);
  }
  const issued: IssuedSecret = { spec, issuer: signer.description, files, bytes, leaf: files['tls.crt']!.certificates[0], madeAt: notBefore.getTime(), notAfter: notAfter.getTime() };
  remember(cache, cache.issued, cacheKey, issued);
  return issued;
}

/** Marks every certificate of a parsed Secret key: the leaf with the spec's mark, the ones above as the signer's. */
function markAll(parsed: ParsedFile, mark: VirtualMark, signer: Signer, allSigner = false): ParsedFile {
  parsed.certificates.forEach((cert, i) => {
    cert.virtual = i === 0 && !allSigner ? mark : { source: signer.description.label, ...signer.mark };
  });
  return parsed;
}

function parse(text: string): ParsedFile {
  return parseFileContents(utf8(text));
}

function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

function signerFor(spec: CertificateSpec, own: KeyObject, lookup: IssuanceLookup, cache: VirtualCache, now: Date, depth: number): Signer {
  const ref = spec.issuerRef;
  const refLabel = `${ref.kind} ${ref.kind === 'ClusterIssuer' ? '' : spec.namespace ? `${spec.namespace}/` : ''}${ref.name ?? '(unnamed)'}`;
  const issuer = ref.name && (ref.group === 'cert-manager.io') ? lookup.issuer({ name: ref.name, kind: ref.kind }, spec.namespace) : undefined;
  if (!issuer) {
    const reason = ref.group !== 'cert-manager.io' ? `${spec.label} is issued by the external issuer ${ref.kind} ${ref.name ?? ''} (group ${ref.group}), whose CA is not in the workspace` : `${spec.label} is issued by ${refLabel}, which is not in the workspace`;
    return standIn(`issuer:${ref.group}/${ref.kind}/${ref.kind === 'ClusterIssuer' ? '' : spec.namespace ?? ''}/${ref.name ?? ''}`, refLabel, reason, { label: refLabel, type: 'missing', caUnknown: reason }, cache, now);
  }
  const description = (extra: string, caUnknown?: string): IssuerDescription => ({ label: `${issuer.label} (${extra})`, issuer, type: issuer.type, ...(caUnknown ? { caUnknown } : {}) });
  switch (issuer.type) {
    case 'selfSigned':
      return { key: own, subject: new Uint8Array(0), chainPems: [], description: description('SelfSigned'), mark: {}, id: `self:${fingerprint(own)}` };
    case 'ca': {
      const secretName = issuer.caSecretName?.value;
      const cluster = issuer.kind === 'ClusterIssuer';
      const where = `${cluster ? '(the cluster resource namespace)' : issuer.namespace ?? '(its namespace)'}/${secretName ?? '?'}`;
      if (!secretName) {
        const reason = `${issuer.label} names no CA Secret (spec.ca.secretName)`;
        return standIn(`issuer:${issuer.label}`, issuer.label, reason, description('CA issuer', reason), cache, now);
      }
      const data = lookup.secretData(issuer.namespace, secretName, cluster);
      const real = data && realSigner(data, description(`CA issuer, CA Secret ${where}`));
      if (real) return real;
      const caCert = depth < MAX_DEPTH ? lookup.certificateFor(issuer.namespace, secretName, cluster) : undefined;
      if (caCert && caCert !== spec) {
        const issued = issueCertificate(caCert, lookup, cache, now, depth + 1);
        const caKey = keyFor(`certificate:${caCert.namespace ?? ''}/${caCert.name ?? ''}:${caCert.privateKey.algorithm}:${caCert.privateKey.size}`, caCert.privateKey.algorithm, caCert.privateKey.size, cache);
        // The CA issuer reads the CA Secret's tls.crt and appends its ca.crt (kube.SecretTLSKeyPairAndCA).
        const { chainPems, caPem } = secretChain(issued.files['tls.crt']!.certificates, issued.files['ca.crt']?.certificates ?? []);
        return {
          key: caKey,
          subject: hexBytes(issued.leaf.rawSubject),
          ...(issued.leaf.subjectKeyId ? { ski: hexBytes(issued.leaf.subjectKeyId) } : {}),
          chainPems,
          caPem,
          description: description(`CA issuer, CA Secret ${where} of ${caCert.label}`, issued.leaf.virtual?.caUnknown),
          mark: { ...(issued.leaf.virtual?.caUnknown ? { caUnknown: issued.leaf.virtual.caUnknown, caIdentity: issued.leaf.virtual.caIdentity } : {}), ...(issued.leaf.virtual?.publicAcme ? { publicAcme: issued.leaf.virtual.publicAcme } : {}) },
          id: `ca:${issued.leaf.fingerprint}`,
        };
      }
      const reason = `the CA Secret ${where} of ${issuer.label} is not in the workspace${data ? ' with both tls.crt and tls.key' : ''}`;
      return standIn(`secret:${cluster ? '*' : issuer.namespace ?? ''}/${secretName}`, `CA of ${issuer.label}`, reason, description(`CA issuer, CA Secret ${where}`, reason), cache, now);
    }
    case 'acme':
      return publicChain(issuer, description(`ACME issuer${issuer.acmeServer ? `, ${issuer.acmeServer}` : ''}: a publicly trusted CA`), cache, now);
    default: {
      const reason = `${issuer.label} is a ${issuer.typeKey ?? 'unknown'} issuer, whose CA is not in the workspace`;
      return standIn(`issuer:${issuer.label}`, issuer.label, reason, description(`${issuer.typeKey ?? 'unknown'} issuer`, reason), cache, now);
    }
  }
}

/** A CA whose tls.crt and tls.key are in a Secret manifest of the workspace: it signs with its real key. */
function realSigner(data: Map<string, Uint8Array>, description: IssuerDescription): Signer | undefined {
  const crt = data.get('tls.crt');
  const keyBytes = data.get('tls.key');
  if (!crt || !keyBytes) return undefined;
  const certs = parseFileContents(crt).certificates;
  const ca = data.get('ca.crt') ? parseFileContents(data.get('ca.crt')!).certificates : [];
  if (!certs.length) return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey(Buffer.from(keyBytes));
  } catch {
    return undefined;
  }
  const top = certs[0];
  return {
    key,
    subject: hexBytes(top.rawSubject),
    ...(top.subjectKeyId ? { ski: hexBytes(top.subjectKeyId) } : {}),
    ...secretChain(certs, ca),
    description,
    mark: {},
    id: `real:${top.fingerprint}`,
  };
}

/**
 * What an issued Secret holds above the leaf, from the CA Secret's tls.crt with its ca.crt appended: the
 * chain without a self-signed root goes in tls.crt, the top certificate is ca.crt (ParseSingleCertificateChain).
 */
function secretChain(certs: CertificateInfo[], ca: CertificateInfo[]): { chainPems: string[]; caPem: string } {
  const full = [...certs, ...ca.filter((c) => !certs.some((d) => d.fingerprint === c.fingerprint))];
  const top = full[full.length - 1];
  const chain = top.selfIssued ? full.slice(0, -1) : full;
  return { chainPems: chain.map((c) => pem(c.der, 'CERTIFICATE')), caPem: pem(top.der, 'CERTIFICATE') };
}

/** A stand-in CA for one CA that is not in the workspace (one per identity, so its certificates chain to each other). */
function standIn(identity: string, label: string, reason: string, description: IssuerDescription, cache: VirtualCache, now: Date): Signer {
  const key = keyFor(`standin:${identity}`, 'ECDSA', 256, cache);
  const ca = selfSignedCa(`standin:${identity}`, `${label} (stand-in: not in the workspace)`, key, cache, now);
  return { key, subject: ca.subject, ski: ca.ski, chainPems: [], caPem: ca.pem, description, mark: { caUnknown: reason, caIdentity: identity }, id: `standin:${identity}:${ca.fingerprint}` };
}

/** The stand-in public chain of an ACME issuer: a root the system roots hold (./virtualTrust.ts) and an intermediate. */
function publicChain(issuer: IssuerSpec, description: IssuerDescription, cache: VirtualCache, now: Date): Signer {
  const server = issuer.acmeServer ?? 'acme';
  const rootKey = keyFor(`acme-root:${server}`, 'ECDSA', 256, cache);
  const root = selfSignedCa(`acme-root:${server}`, `public root of ${server} (stand-in)`, rootKey, cache, now);
  const interKey = keyFor(`acme-intermediate:${server}`, 'ECDSA', 256, cache);
  const cacheKey = `acme-intermediate:${server}:${root.fingerprint}`;
  let inter = recall(cache.cas, cacheKey);
  if (!inter) {
    const subject = new Uint8Array(new (peculiarX509()).Name([{ CN: [`intermediate of ${server} (stand-in)`] }]).toArrayBuffer());
    const der = buildCertificate({ subject, issuer: root.subject, publicKey: interKey, signerKey: rootKey, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3650 * DAY), isCA: true, keyUsages: ['digitalSignature', 'keyCertSign', 'cRLSign'], extKeyUsages: [], sans: {}, authorityKeyId: root.ski });
    inter = { pem: pem(der, 'CERTIFICATE'), subject, ski: keyId(interKey), fingerprint: fingerprint(interKey) };
    remember(cache, cache.cas, cacheKey, inter);
  }
  return { key: interKey, subject: inter.subject, ski: inter.ski, chainPems: [inter.pem], caPem: undefined, description, mark: { publicAcme: `${issuer.label} (ACME, ${server})` }, id: `acme:${server}:${inter.fingerprint}` };
}

export interface StandInCa {
  pem: string;
  subject: Uint8Array;
  ski: Uint8Array;
  fingerprint: string;
}

function selfSignedCa(cacheKey: string, cn: string, key: KeyObject, cache: VirtualCache, now: Date): StandInCa {
  const known = recall(cache.cas, `ca:${cacheKey}`);
  if (known) return known;
  const subject = new Uint8Array(new (peculiarX509()).Name([{ CN: [cn] }]).toArrayBuffer());
  const der = buildCertificate({ subject, issuer: subject, publicKey: key, signerKey: key, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3650 * DAY), isCA: true, keyUsages: ['digitalSignature', 'keyCertSign', 'cRLSign'], extKeyUsages: [], sans: {} });
  const ca: StandInCa = { pem: pem(der, 'CERTIFICATE'), subject, ski: keyId(key), fingerprint: fingerprint(key) };
  remember(cache, cache.cas, `ca:${cacheKey}`, ca);
  return ca;
}

/** The public root certificates of the ACME stand-ins made so far (the system roots hold them: ./virtualTrust.ts). */
export function acmeRoots(cache: VirtualCache): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  for (const [key, value] of cache.cas) {
    if (!key.startsWith('ca:acme-root:')) continue;
    const parsed = parse(value.pem).certificates;
    for (const cert of parsed) cert.virtual = { source: 'a public root (stand-in)', publicAcme: key.slice('ca:acme-root:'.length) };
    out.push(...parsed);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Keys

function keyFor(id: string, algorithm: KeyAlgorithm, size: number, cache: VirtualCache): KeyObject {
  const known = recall(cache.keys, id);
  if (known) return known;
  let key: KeyObject;
  if (algorithm === 'ECDSA') key = generateKeyPairSync('ec', { namedCurve: size === 384 ? 'P-384' : size === 521 ? 'P-521' : 'P-256' }).privateKey;
  else if (algorithm === 'Ed25519') key = generateKeyPairSync('ed25519').privateKey;
  else key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey; // see the module comment on sizes over 2048
  remember(cache, cache.keys, id, key);
  return key;
}

/** tls.key as cert-manager encodes it (generate.go EncodePrivateKey). */
function exportKey(key: KeyObject, spec: CertificateSpec): string {
  const type = keyPemType(spec.privateKey);
  if (type === 'RSA PRIVATE KEY') return key.export({ type: 'pkcs1', format: 'pem' }) as string;
  if (type === 'EC PRIVATE KEY') return key.export({ type: 'sec1', format: 'pem' }) as string;
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

function fingerprint(key: KeyObject): string {
  return createHash('sha256').update(spki(key)).digest('hex').slice(0, 32);
}

function spki(key: KeyObject): Buffer {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' }) as Buffer;
}

/** Go's SubjectKeyId for a CA: SHA-1 of the subjectPublicKey bits (x509.go CreateCertificate, method 1 of RFC 5280 4.2.1.2). */
function keyId(key: KeyObject): Uint8Array {
  const info = asn1js.fromBER(new Uint8Array(spki(key)));
  const bits = (info.result as asn1js.Sequence).valueBlock.value[1] as asn1js.BitString;
  return new Uint8Array(createHash('sha1').update(new Uint8Array(bits.valueBlock.valueHexView.slice(0))).digest());
}

// ---------------------------------------------------------------------------------------------
// Building a certificate: the structure with @peculiar/x509's extensions and asn1js, signed with Node

interface Template {
  subject: Uint8Array;
  issuer: Uint8Array;
  publicKey: KeyObject;
  signerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  keyUsages: string[];
  extKeyUsages: string[];
  sans: { dns?: string[]; ip?: string[]; uri?: string[]; email?: string[] };
  authorityKeyId?: Uint8Array;
}

// The schema's KeyUsageFlags (@peculiar/x509's are the same bits), so that @peculiar/x509 loads only when a certificate is made.
const KU_FLAGS: Record<string, number> = table({
  digitalSignature: KeyUsageFlags.digitalSignature,
  contentCommitment: KeyUsageFlags.nonRepudiation,
  keyEncipherment: KeyUsageFlags.keyEncipherment,
  dataEncipherment: KeyUsageFlags.dataEncipherment,
  keyAgreement: KeyUsageFlags.keyAgreement,
  keyCertSign: KeyUsageFlags.keyCertSign,
  cRLSign: KeyUsageFlags.cRLSign,
  encipherOnly: KeyUsageFlags.encipherOnly,
  decipherOnly: KeyUsageFlags.decipherOnly,
});

function buildCertificate(t: Template): Uint8Array {
  const extensions: { oid: string; critical: boolean; value: Uint8Array }[] = [];
  const flags = t.keyUsages.reduce((all, name) => all | (KU_FLAGS[name] ?? 0), 0);
  // Go's buildCertExtensions order: keyUsage, extKeyUsage, basicConstraints, subjectKeyId, authorityKeyId; cert-manager's SAN comes from the CSR's extensions.
  if (flags !== 0) extensions.push({ oid: '2.5.29.15', critical: true, value: bytes(new (peculiarX509()).KeyUsagesExtension(flags, true).value) });
  if (t.extKeyUsages.length) extensions.push({ oid: '2.5.29.37', critical: false, value: bytes(new (peculiarX509()).ExtendedKeyUsageExtension(t.extKeyUsages, false).value) });
  extensions.push({ oid: '2.5.29.19', critical: true, value: new Uint8Array(new asn1js.Sequence({ value: t.isCA ? [new asn1js.Boolean({ value: true })] : [] }).toBER()) });
  if (t.isCA) extensions.push({ oid: '2.5.29.14', critical: false, value: new Uint8Array(new asn1js.OctetString({ valueHex: keyId(t.publicKey) }).toBER()) });
  if (t.authorityKeyId) {
    extensions.push({ oid: '2.5.29.35', critical: false, value: new Uint8Array(new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: t.authorityKeyId })] }).toBER()) });
  }
  const names = [
    ...(t.sans.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(t.sans.email ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(t.sans.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(t.sans.uri ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  if (names.length) {
    const emptySubject = t.subject.length <= 2;
    extensions.push({ oid: '2.5.29.17', critical: emptySubject, value: bytes(new (peculiarX509()).SubjectAlternativeNameExtension(names, emptySubject).value) });
  }
  const publicKeyInfo = fromDer(new Uint8Array(spki(t.publicKey)));
  const algorithm = signatureAlgorithm(t.signerKey);
  // Positive and minimally encoded: a first byte of 0x00 followed by one under 0x80 would be a non-minimal DER
  // integer, which the certificate readers refuse (1 certificate in 256 with `&= 0x7f` alone).
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const time = (d: Date) => (d.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate: d }) : new asn1js.GeneralizedTime({ valueDate: d }));
  const tbs = new asn1js.Sequence({
    value: [
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Integer({ value: 2 })] }),
      new asn1js.Integer({ valueHex: serial }),
      algorithm.identifier(),
      nameNode(t.issuer),
      new asn1js.Sequence({ value: [time(t.notBefore), time(t.notAfter)] }),
      nameNode(t.subject),
      publicKeyInfo,
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 3 },
        value: [new asn1js.Sequence({ value: extensions.map((e) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: e.oid }), ...(e.critical ? [new asn1js.Boolean({ value: true })] : []), new asn1js.OctetString({ valueHex: e.value })] })) })],
      }),
    ],
  });
  const tbsDer = new Uint8Array(tbs.toBER());
  const signature = sign(algorithm.hash, tbsDer, t.signerKey);
  return new Uint8Array(new asn1js.Sequence({ value: [fromDer(tbsDer), algorithm.identifier(), new asn1js.BitString({ valueHex: new Uint8Array(signature) })] }).toBER());
}

/** Go's signingParamsForKey defaults for the signer's key. */
function signatureAlgorithm(key: KeyObject): { hash: string | null; identifier(): asn1js.Sequence } {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return { hash: null, identifier: () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.3.101.112' })] }) };
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const [hash, oid] = curve === 'secp384r1' ? ['sha384', '1.2.840.10045.4.3.3'] : curve === 'secp521r1' ? ['sha512', '1.2.840.10045.4.3.4'] : ['sha256', '1.2.840.10045.4.3.2'];
    return { hash, identifier: () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] }) };
  }
  return { hash: 'sha256', identifier: () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.11' }), new asn1js.Null()] }) };
}

/** The subject cert-manager requests: `subject` fields then the CN, in Go's pkix.Name.ToRDNSequence order. */
function subjectName(spec: CertificateSpec): Uint8Array {
  const s = spec.subject;
  const rdns: Record<string, string[]>[] = [];
  if (s.countries.length) rdns.push({ C: s.countries });
  if (s.provinces.length) rdns.push({ ST: s.provinces });
  if (s.localities.length) rdns.push({ L: s.localities });
  if (s.organizations.length) rdns.push({ O: s.organizations });
  if (s.organizationalUnits.length) rdns.push({ OU: s.organizationalUnits });
  if (spec.commonName) rdns.push({ CN: [spec.commonName.value] });
  return new Uint8Array(new (peculiarX509()).Name(rdns).toArrayBuffer());
}

/** What makes two issuances of a spec differ (the fields that reach the certificate or the key). */
function specFingerprint(spec: CertificateSpec): string {
  return JSON.stringify([
    spec.namespace, spec.name, spec.commonName?.value, spec.subject, spec.dnsNames.map((n) => n.value), spec.ipAddresses.map((n) => n.value), spec.uris.map((n) => n.value), spec.emailAddresses.map((n) => n.value),
    spec.usages, spec.isCA, spec.durationMs, spec.privateKey.algorithm, spec.privateKey.size, spec.privateKey.encoding, spec.additionalOutputFormats, spec.unknown.map((u) => u.field),
  ]);
}

function nameNode(der: Uint8Array): asn1js.AsnType {
  return der.length === 0 ? new asn1js.Sequence({ value: [] }) : fromDer(der);
}

function fromDer(der: Uint8Array): asn1js.AsnType {
  const result = asn1js.fromBER(new Uint8Array(der));
  if (result.offset === -1) throw new Error('virtual certificate: bad DER');
  return result.result;
}

function bytes(b: ArrayBuffer | ArrayBufferView): Uint8Array {
  return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function hexBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function pem(der: Uint8Array, type: string): string {
  const body = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
}

/** The stand-in CA certificate made for the unknown CA `identity` (what a Secret of that issuer holds as ca.crt), marked. */
export function standInCertificates(cache: VirtualCache, identity: string | undefined, reason: string | undefined): CertificateInfo[] {
  const ca = identity !== undefined ? recall(cache.cas, `ca:standin:${identity}`) : undefined;
  if (!ca) return [];
  const parsed = parse(ca.pem).certificates;
  for (const cert of parsed) cert.virtual = { source: `a stand-in for the CA of ${identity}`, ...(reason ? { caUnknown: reason } : {}), caIdentity: identity };
  return parsed;
}

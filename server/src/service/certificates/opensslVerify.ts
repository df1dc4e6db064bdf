/**
 * How an OpenSSL-based SDK verifies the Collector's certificate chain, where that differs from Go
 * (./goVerify.ts): OpenSSL 3.0's X509_verify_cert as Node 20 calls it (purpose SSL server, no
 * X509_V_FLAG_PARTIAL_CHAIN), and Python's ssl module (OpenSSL too; from Python 3.13 with
 * VERIFY_X509_PARTIAL_CHAIN and VERIFY_X509_STRICT). The rules, with their sources, are in
 * docs/tls-rules.md; each is proved against a real Node client by test/integration/handshakeAgreement*.
 *
 * - trust: the chain must end in a self-signed certificate of the CA file (any certificate of the
 *   file with PARTIAL_CHAIN); Node reads the CA file only up to its first CERTIFICATE block that does
 *   not parse, and also reads `TRUSTED CERTIFICATE` / `X509 CERTIFICATE` blocks, which Go skips;
 * - every CA: basicConstraints CA:TRUE (a v1 self-signed root is a CA), keyCertSign when keyUsage is
 *   present, path length;
 * - purpose (X509_check_purpose, SSL server): every certificate's extendedKeyUsage, when present,
 *   must list serverAuth (anyExtendedKeyUsage does not count, unlike Go); the leaf's keyUsage, when
 *   present, must allow digitalSignature, keyEncipherment or keyAgreement;
 * - signatures: SHA-1 and MD5 refused on every certificate but the self-signed anchor (security
 *   level 1), RSA keys under 1024 bits refused (under 2048 at security level 2: Python, grpcio on
 *   Debian); RSA-PSS with any salt length accepted;
 * - validity of every certificate, anchor included; unknown critical extensions refused (OpenSSL
 *   knows more extensions than Go: policy constraints, policy mappings, inhibitAnyPolicy);
 * - what Go's parser refuses but OpenSSL reads (a negative serial number, …) is not an error here.
 */
import { signatureVerifies, type CertificateInfo } from './certificateInfo';

export interface OpensslVerifyInput {
  leaf: CertificateInfo;
  intermediates: CertificateInfo[];
  roots: CertificateInfo[];
  now: Date;
  usage: 'serverAuth' | 'clientAuth';
  /** X509_V_FLAG_PARTIAL_CHAIN (Python ≥ 3.13's default context). */
  partialChain?: boolean;
  /** X509_V_FLAG_X509_STRICT (Python ≥ 3.13's default context). */
  strict?: boolean;
  /**
   * The OpenSSL security level (default 1: Node's bundled OpenSSL): every key of the chain, the anchor's too,
   * needs 80 bits of security at level 1 (RSA 1024), 112 at level 2 (RSA 2048). Level 2: Python's ssl
   * (CPython's default cipher string starts with @SECLEVEL=2) and grpcio on Debian's libssl3 (built with
   * security level 2 as its default; gRPC's cipher list does not change it). OpenSSL 3.0 x509_vfy.c
   * check_key_level / check_auth_level.
   */
  securityLevel?: 1 | 2;
}

export interface OpensslVerifyOutput {
  ok: boolean;
  /** For INVALID_PURPOSE on the leaf: extendedKeyUsage or keyUsage. */
  reason?: 'eku' | 'ku';
  /** Node's err.code and message, e.g. `UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer certificate`. */
  error?: string;
  code?: string;
  cert?: CertificateInfo;
  chain?: CertificateInfo[];
}

/** OpenSSL extensions it handles, so a critical one is not "unhandled" (crypto/x509/v3_purp.c supported_nids). */
const OPENSSL_SUPPORTED = new Set([
  '2.16.840.1.113730.1.1', // netscape cert type
  '2.5.29.15', // key usage
  '2.5.29.17', // subject alt name
  '2.5.29.19', // basic constraints
  '2.5.29.37', // ext key usage
  '1.3.6.1.5.5.7.1.7', // sbgp-ipAddrBlock
  '1.3.6.1.5.5.7.1.8', // sbgp-autonomousSysNum
  '2.5.29.36', // policy constraints
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
  '2.5.29.30', // name constraints
  '2.5.29.32', // certificate policies
  '2.5.29.33', // policy mappings
  '2.5.29.54', // inhibit any policy
]);

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const NS_SGC = '2.16.840.1.113730.4.1';
const MS_SGC = '1.3.6.1.4.1.311.10.3.3';

const KU_DIGITAL_SIGNATURE = 0x80;
const KU_KEY_ENCIPHERMENT = 0x20;
const KU_KEY_AGREEMENT = 0x08;
const KU_KEY_CERT_SIGN = 0x04;

/** OpenSSL's KU bits are the first byte of the BIT STRING (digitalSignature = 0x80 …); @peculiar's KeyUsageFlags number is the same bit order reversed. */
function opensslKeyUsage(cert: CertificateInfo): number | undefined {
  if (!cert.go.hasKeyUsage) return undefined;
  const k = cert.go.keyUsage;
  let v = 0;
  for (let i = 0; i < 8; i++) if (k & (1 << i)) v |= 0x80 >> i;
  return v;
}

function ekus(cert: CertificateInfo): string[] | undefined {
  if (!cert.go.hasEku && !cert.eku) return undefined;
  return cert.go.hasEku ? [...cert.go.extKeyUsage, ...cert.go.unknownExtKeyUsage] : cert.eku;
}

/**
 * X509_check_purpose for SSL server / client (v3_purp.c check_purpose_ssl_server / _client, xku_reject,
 * ku_reject): undefined when the purpose is allowed, else what refuses it ('eku' or, on a leaf, 'ku').
 */
export function opensslPurposeRefusal(cert: CertificateInfo, usage: 'serverAuth' | 'clientAuth', asCa: boolean): 'eku' | 'ku' | undefined {
  const eku = ekus(cert);
  if (eku && cert.go.hasEku) {
    const wanted = usage === 'serverAuth' ? [SERVER_AUTH, NS_SGC, MS_SGC] : [CLIENT_AUTH];
    if (!eku.some((e) => wanted.includes(e))) return 'eku';
  }
  if (asCa) return undefined;
  const ku = opensslKeyUsage(cert);
  if (ku !== undefined) {
    const allowed = usage === 'serverAuth' ? KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT : KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT;
    if ((ku & allowed) === 0) return 'ku';
  }
  return undefined;
}

/** OpenSSL's KU bits of a certificate: undefined when it has no keyUsage extension. */
export function opensslKeyUsageBits(cert: CertificateInfo): number | undefined {
  return opensslKeyUsage(cert);
}

export const OPENSSL_KU = { digitalSignature: KU_DIGITAL_SIGNATURE, keyEncipherment: KU_KEY_ENCIPHERMENT, keyAgreement: KU_KEY_AGREEMENT, keyCertSign: KU_KEY_CERT_SIGN };

/** v3_purp.c check_ca: CA:TRUE, or a v1 self-signed certificate (keyUsage is checked when the issuer is looked up). */
function isOpensslCa(cert: CertificateInfo): boolean {
  if (cert.hasBasicConstraints) return cert.isCa;
  return cert.version === 1 && cert.selfIssued;
}

function verifies(child: CertificateInfo, parent: CertificateInfo): boolean {
  return signatureVerifies(child, parent);
}

function selfSigned(cert: CertificateInfo): boolean {
  return cert.selfIssued && verifies(cert, cert);
}

/** X509_check_issued: the names match and, when both identifiers are present, AKID = SKID. */
function issued(child: CertificateInfo, parent: CertificateInfo): boolean {
  if (child.rawIssuer !== parent.rawSubject) return false;
  if (child.authorityKeyId && parent.subjectKeyId && child.authorityKeyId !== parent.subjectKeyId) return false;
  return true;
}

/** X509_cmp_time wants YYMMDDHHMMSSZ (UTCTime) or YYYYMMDDHHMMSSZ (GeneralizedTime); anything else is a format error. */
function timeFormatError(cert: CertificateInfo): OpensslVerifyOutput | undefined {
  const ok = (t?: { utc: boolean; text: string }) => !t || (t.utc ? /^\d{12}Z$/.test(t.text) : /^\d{14}Z$/.test(t.text));
  if (!ok(cert.go.raw.notBefore)) return { ok: false, code: 'ERROR_IN_CERT_NOT_BEFORE_FIELD', error: "ERROR_IN_CERT_NOT_BEFORE_FIELD format error in certificate's notBefore field", cert };
  if (!ok(cert.go.raw.notAfter)) return { ok: false, code: 'ERROR_IN_CERT_NOT_AFTER_FIELD', error: "ERROR_IN_CERT_NOT_AFTER_FIELD format error in certificate's notAfter field", cert };
  return undefined;
}

function timeError(cert: CertificateInfo, now: Date): OpensslVerifyOutput | undefined {
  const format = timeFormatError(cert);
  if (format) return format;
  if (now < cert.notBefore) return { ok: false, code: 'CERT_NOT_YET_VALID', error: 'CERT_NOT_YET_VALID certificate is not yet valid', cert };
  if (now > cert.notAfter) return { ok: false, code: 'CERT_HAS_EXPIRED', error: 'CERT_HAS_EXPIRED certificate has expired', cert };
  return undefined;
}

function fail(code: string, message: string, cert?: CertificateInfo): OpensslVerifyOutput {
  return { ok: false, code, error: `${code} ${message}`, ...(cert ? { cert } : {}) };
}

/**
 * X509_verify_cert, simplified to the decisions that matter here: build a chain from the leaf,
 * trusted issuers first (X509_V_FLAG_TRUSTED_FIRST), preferring time-valid issuers, up to a
 * self-signed trusted certificate (or any trusted one with PARTIAL_CHAIN); then check each link.
 */
export function opensslVerify(input: OpensslVerifyInput): OpensslVerifyOutput {
  const { leaf, now, usage } = input;
  const trusted = input.roots;
  const isTrusted = (c: CertificateInfo) => trusted.some((t) => t.fingerprint === c.fingerprint);
  const chain: CertificateInfo[] = [leaf];
  let anchored = false;
  if (isTrusted(leaf) && (selfSigned(leaf) || input.partialChain)) anchored = true;
  while (!anchored) {
    const top = chain[chain.length - 1];
    if (selfSigned(top)) break;
    const pick = (pool: CertificateInfo[]) => {
      const candidates = pool.filter((c) => issued(top, c) && !chain.some((x) => x.fingerprint === c.fingerprint));
      return candidates.find((c) => !timeError(c, now)) ?? candidates[0];
    };
    const fromTrusted = pick(trusted);
    const next = fromTrusted ?? pick(input.intermediates);
    if (!next) break;
    chain.push(next);
    if (fromTrusted && (selfSigned(next) || input.partialChain)) anchored = true;
    if (chain.length > 20) break;
  }
  const top = chain[chain.length - 1];
  if (!anchored) {
    if (chain.length === 1 && selfSigned(leaf)) return fail('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', leaf);
    if (selfSigned(top)) return fail('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', top);
    if (chain.length === 1) return fail('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', leaf);
    return fail('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', top);
  }
  // check_chain: CA flags, then purposes, from the leaf up (the anchor's purpose too: a PEM file carries no trust settings).
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i];
    const unhandled = cert.go.extensions.filter((e) => e.critical && !OPENSSL_SUPPORTED.has(e.oid));
    if (unhandled.length > 0) return fail('UNHANDLED_CRITICAL_EXTENSION', 'unhandled critical extension', cert);
    if (i > 0) {
      if (!isOpensslCa(cert)) return fail('INVALID_CA', 'invalid CA certificate', cert);
      if (opensslPurposeRefusal(cert, usage, true)) return fail('INVALID_PURPOSE', 'unsuitable certificate purpose', cert);
      const below = chain.slice(1, i).filter((c) => !c.selfIssued).length;
      if (cert.hasBasicConstraints && cert.pathLen !== undefined && below > cert.pathLen) return fail('PATH_LENGTH_EXCEEDED', 'path length constraint exceeded', cert);
    } else {
      const refusal = opensslPurposeRefusal(cert, usage, false);
      if (refusal) return { ...fail('INVALID_PURPOSE', 'unsuitable certificate purpose', cert), reason: refusal };
    }
    if (input.strict) {
      const strict = strictError(cert, i, chain);
      if (strict) return strict;
    }
  }
  // check_name_constraints: every CA's constraints over the names of the certificates below it.
  for (let i = 1; i < chain.length; i++) {
    const nc = chain[i].go.nameConstraints;
    if (!nc) continue;
    for (let j = 0; j < i; j++) {
      if (j > 0 && chain[j].selfIssued) continue;
      const violation = nameConstraintViolation(chain[j], nc);
      if (violation) return fail(violation === 'excluded' ? 'EXCLUDED_VIOLATION' : 'PERMITTED_VIOLATION', violation === 'excluded' ? 'excluded subtree violation' : 'permitted subtree violation', chain[i]);
    }
  }
  // internal_verify: signatures (security level 1) and times, from the anchor down.
  for (let i = chain.length - 1; i >= 0; i--) {
    const cert = chain[i];
    const issuer = chain[Math.min(i + 1, chain.length - 1)];
    // The anchor's own signature is never checked: a self-signed one, or with PARTIAL_CHAIN any trusted one
    // (OpenSSL 3.0 crypto/x509/x509_vfy.c internal_verify: "if (ctx->param->flags & X509_V_FLAG_PARTIAL_CHAIN)").
    const isAnchorSelf = i === chain.length - 1 && (selfSigned(cert) || !!input.partialChain);
    if (!isAnchorSelf) {
      const ku = opensslKeyUsage(issuer);
      if (ku !== undefined && (ku & KU_KEY_CERT_SIGN) === 0) return fail('KEYUSAGE_NO_CERTSIGN', 'key usage does not include certificate signing', issuer);
      // The signature is checked with the outer algorithm: one that differs from the TBS's fails.
      if (cert.go.raw.signatureAlgorithmsMatch === false || !verifies(cert, issuer)) return fail('CERT_SIGNATURE_FAILURE', 'certificate signature failure', cert);
      if (['SHA1', 'MD5', 'MD2'].includes(cert.signature.hash)) return fail('CA_MD_TOO_WEAK', 'CA signature digest algorithm too weak', cert);
    }
    const key = cert.publicKey;
    if ((key.type === 'rsa' || key.type === 'rsa-pss') && key.bits !== undefined && key.bits < (input.securityLevel === 2 ? 2048 : 1024)) {
      return i === 0 ? fail('EE_KEY_TOO_SMALL', 'EE certificate key too weak', cert) : fail('CA_KEY_TOO_SMALL', 'CA certificate key too weak', cert);
    }
    const t = timeError(cert, now);
    if (t) return t;
  }
  return { ok: true, chain };
}

/** nc_match over a certificate's SANs (DNS, IP), as OpenSSL's NAME_CONSTRAINTS_check does. */
function nameConstraintViolation(cert: CertificateInfo, nc: NonNullable<CertificateInfo['go']['nameConstraints']>): 'permitted' | 'excluded' | undefined {
  const dnsMatch = (name: string, base: string) => {
    if (base.length === 0) return true;
    const n = name.toLowerCase();
    const b = base.toLowerCase();
    if (n.length < b.length) return false;
    if (n.length > b.length && !b.startsWith('.') && n[n.length - b.length - 1] !== '.') return false;
    return n.endsWith(b);
  };
  const ipMatch = (ip: Uint8Array, c: { ip: Uint8Array; mask: Uint8Array }) => ip.length === c.ip.length && ip.every((b, i) => (b & c.mask[i]) === (c.ip[i] & c.mask[i]));
  const dns = cert.go.dnsNames.length || cert.go.parseError === undefined ? cert.go.dnsNames : cert.dnsNames;
  for (const name of dns) {
    if (nc.excludedDns.some((b) => dnsMatch(name, b))) return 'excluded';
    if (nc.permittedDns.length && !nc.permittedDns.some((b) => dnsMatch(name, b))) return 'permitted';
  }
  for (const ip of cert.go.ipAddresses) {
    if (nc.excludedIp.some((c) => ipMatch(ip, c))) return 'excluded';
    if (nc.permittedIp.length && !nc.permittedIp.some((c) => ipMatch(ip, c))) return 'permitted';
  }
  return undefined;
}

/** X509_V_FLAG_X509_STRICT additions (OpenSSL 3.0 check_extensions / check_chain). */
function strictError(cert: CertificateInfo, i: number, chain: CertificateInfo[]): OpensslVerifyOutput | undefined {
  const bc = cert.go.extensions.find((e) => e.oid === '2.5.29.19');
  if (i > 0 && cert.isCa && bc && !bc.critical) return fail('INVALID_CA', 'Basic Constraints of CA cert not marked critical', cert);
  const isSelf = cert.selfIssued;
  if (!isSelf && !cert.authorityKeyId && i < chain.length) return fail('MISSING_AUTHORITY_KEY_IDENTIFIER', 'Missing Authority Key Identifier', cert);
  if (cert.isCa && !cert.subjectKeyId) return fail('MISSING_SUBJECT_KEY_IDENTIFIER', 'Missing Subject Key Identifier', cert);
  if (cert.hasSanExtension && cert.dnsNames.length === 0 && cert.ipAddresses.length === 0 && cert.subject === '') return fail('EMPTY_SUBJECT_ALT_NAME', 'Empty Subject Alternative Name extension', cert);
  return undefined;
}

/**
 * The CA certificates Node reads from a file given as `ca` (or NODE_EXTRA_CA_CERTS): node_crypto's
 * AddCACert calls PEM_read_bio_X509_AUX in a loop and stops at the first CERTIFICATE block it cannot
 * read (bad base64 or DER, or PEM headers), so the certificates after it are not used.
 * `badIndexes` are the 1-based positions, among CERTIFICATE blocks, of those that did not parse.
 */
export function nodeCaView(certificates: CertificateInfo[], badIndexes: number[]): CertificateInfo[] {
  const firstBad = badIndexes.length ? Math.min(...badIndexes) : Infinity;
  const out: CertificateInfo[] = [];
  for (let i = 0; i < certificates.length && i + 1 < firstBad; i++) {
    if (certificates[i].pemHeaders) break;
    out.push(certificates[i]);
  }
  return out;
}

/**
 * What is wrong with one referenced certificate or key file on its own, as findings without
 * positions: the checks anchor them on the value that names the file. Messages quote the error
 * the Collector (Go's tls.X509KeyPair, configtls) or the SDK will print (tls-failures.md §1.7, §4).
 */
import type { DiagnosticCode, Severity } from '../diagnosticCodes';
import { certificateHoldsKey, keyDescription, type CertificateInfo, type PrivateKeyInfo, signatureVerifies } from './certificateInfo';
import type { LoadedFile, ParsedFile } from './certificateFiles';
import { MAX_CERTIFICATE_FILE_SIZE } from './certificateFiles';
import { ekuNames } from './verifyHandshake';
import { OID } from './oids';

export interface Finding {
  code: DiagnosticCode;
  message: string;
  severity?: Severity;
  /** Only Go's PEM reading fails here (a byte order mark): Node and Python read the file. */
  goOnly?: boolean;
  /**
   * A CA file with a CERTIFICATE block that does not parse: Go skips the block, but the Python SDK
   * (ssl load_verify_locations: "[X509] PEM lib") and the Java SDK (CertificateFactory.generateCertificates
   * in TlsUtil.trustManager) fail to load the whole file (docs/tls-rules.md O13, J6).
   */
  wholeFileReaders?: boolean;
}

/**
 * What the file is for:
 * - `server-cert`: a receiver's cert_file (presented to clients, checked with serverAuth and the host);
 * - `client-cert`: a client certificate (exporter cert_file, CLIENT_CERTIFICATE), checked with clientAuth;
 * - `cert`: a certificate whose side is not known;
 * - `ca`: trust anchors (ca_file, client_ca_file, CERTIFICATE);
 * - `key`: a private key (key_file, CLIENT_KEY).
 */
export type FilePurpose = 'server-cert' | 'client-cert' | 'cert' | 'ca' | 'key';

export interface FindingContext {
  /** The setting that names the file, for messages (`cert_file`, `OTEL_EXPORTER_OTLP_CERTIFICATE`). */
  setting: string;
  /** Who loads the file: 'collector' (Go, configtls) or 'sdk'. */
  loader: 'collector' | 'sdk';
  now: Date;
  expiryWarningDays: number;
  /** The PEM is written inline (cert_pem, key_pem, ca_pem), not in a file. */
  inline?: boolean;
  /** The block has tpm.enabled: true: the key is a TSS2 key loaded through the TPM. */
  tpm?: boolean;
}

const DAY = 24 * 60 * 60 * 1000;

/** Findings about reaching the file at all (missing, not regular, too large, unreadable). */
export function accessFindings(file: LoadedFile, written: string, context: FindingContext): Finding[] {
  switch (file.status) {
    case 'missing': {
      const where = file.tried.length === 1 ? file.tried[0] : `${file.tried.join(', ')}`;
      const consequence =
        context.loader === 'collector'
          ? `the Collector fails to start with "open ${written}: no such file or directory"`
          : 'the SDK logs an error and goes on without it (no custom CA: system roots; no client certificate)';
      return [{ code: 'file-not-found', message: `${context.setting}: the file does not exist; fix the path, or map it (--path-map). "${written}" was looked for at ${where}; ${consequence}. A path mapping (otlpTls.pathMappings, --path-map) maps container paths to local folders.` }];
    }
    case 'not-regular':
      return [{ code: 'file-unreadable', message: `${context.setting}: this is ${file.kind === 'directory' ? 'a directory' : 'not a regular file'}, not a certificate file; name the file itself. ${file.path} is ${file.kind === 'directory' ? 'a directory' : 'a FIFO, socket or device'}; it was not read.` }];
    case 'too-large':
      return [{ code: 'file-too-large', message: `${context.setting}: the file is too large to be a certificate file, so it is not checked. ${file.path} is ${(file.size / 1048576).toFixed(1)} MiB; certificate files over ${MAX_CERTIFICATE_FILE_SIZE / 1048576} MiB are not read or checked.` }];
    case 'unreadable':
      return [{ code: 'file-unreadable', message: `${context.setting}: the file cannot be read; check its permissions. ${file.path}: ${file.reason}.` }];
    default:
      return [];
  }
}

/** Findings about the contents of a readable file for its purpose. */
export function contentFindings(parsed: ParsedFile, purpose: FilePurpose, context: FindingContext, mode?: number): Finding[] {
  const limit: Finding[] = parsed.truncated
    ? [{ code: 'limit-exceeded', message: `${context.setting}: more than ${parsed.truncated.blocks.toLocaleString('en-US')} PEM blocks, so the rest is not checked: split the file. Only the first ${parsed.truncated.blocks.toLocaleString('en-US')} blocks are read.` }]
    : [];
  return [...limit, ...readableFindings(parsed, purpose, context, mode)];
}

function readableFindings(parsed: ParsedFile, purpose: FilePurpose, context: FindingContext, mode?: number): Finding[] {
  if (purpose === 'key') return keyFindings(parsed, context, mode);
  const problem = certificateFormatProblem(parsed, purpose, context);
  if (problem) return [problem];
  const findings: Finding[] = [];
  if (parsed.bom && parsed.certificates.length > 0) {
    findings.push({ code: 'not-a-certificate', goOnly: true, message: `${context.setting}: the file starts with a UTF-8 byte order mark; Go's PEM decoder skips the first certificate after it (Node and Python read it). Save the file without a BOM.` });
  }
  if (parsed.badCertificates.length > 0 && parsed.certificates.length > 0) {
    const which = parsed.badCertificates.map((b) => `#${b.index}`).join(', ');
    findings.push({
      code: 'not-a-certificate',
      severity: purpose === 'ca' ? 'warning' : 'error',
      ...(purpose === 'ca' && context.loader === 'sdk' ? { wholeFileReaders: true } : {}),
      message: `${context.setting}: CERTIFICATE block ${which} is not a valid X.509 certificate (${parsed.badCertificates[0].reason}).${purpose === 'ca' ? ' Go skips it silently; the other certificates are used.' : ''}`,
    });
  }
  const certificates = parsed.certificates;
  findings.push(...goParseFindings(certificates, purpose, context));
  // In a certificate file (not a CA bundle), only the certificates a chain from the leaf can use matter:
  // a certificate no chain needs is never an error (Go's buildChains simply does not pick it).
  const roles = purpose === 'ca' ? undefined : chainRoles(certificates);
  certificates.forEach((cert, index) => {
    const isLeaf = purpose !== 'ca' && index === 0;
    const role = roles?.[index];
    if (role === 'unused') {
      // Never an error: no chain from the leaf goes through it. A non-CA there is a leftover worth a note.
      if (!(cert.hasBasicConstraints && cert.isCa)) {
        findings.push({ code: 'not-a-ca', severity: 'information', message: `${context.setting}: ${cert.label} follows the leaf, but no chain from the leaf uses it (it issues neither the leaf nor its intermediates) and it is not a CA. Peers ignore it; only the leaf and its intermediates belong in this file.` });
      }
      return;
    }
    const soft = (list: Finding[]) => (role === 'maybe' ? list.map((f) => ({ ...f, severity: 'warning' as const, message: `${f.message} It matters only if the peer's chain goes through it: another certificate of the file can take its place.` })) : list);
    // A chain certificate's dates are an error only where a handshake needs it: the peer's CA file may hold a
    // renewed copy that Go's buildChains takes first, so on its own it is a warning (the handshake check decides).
    const chainCert = purpose !== 'ca' && !isLeaf;
    const note = chainCert ? " Verification uses it unless the peer's CA file holds a renewed copy, which Go and OpenSSL take first; the handshake check says which." : purpose === 'ca' && certificates.length > 1 ? ' Other certificates of this bundle may still anchor the chain.' : undefined;
    const dates = validityFindings(cert, context, note, isLeaf ? 'the certificate' : purpose === 'ca' ? 'the CA certificate' : 'the chain certificate');
    findings.push(...soft(dates));
    findings.push(...keyStrengthFindings(cert, context, isLeaf));
    if (purpose !== 'ca' && !(cert.selfIssued && index > 0) && !(index === 0 && cert.selfIssued && certificates.length === 1)) {
      findings.push(...soft(signatureFindings(cert, context)));
    }
    if (purpose === 'ca' || index > 0) {
      const caProblem = notACaFinding(cert, purpose, context);
      if (caProblem) findings.push(caProblem);
    }
  });
  const leaf = certificates[0];
  if (purpose === 'server-cert' || purpose === 'client-cert') {
    const usage = purpose === 'server-cert' ? 'serverAuth' : 'clientAuth';
    const wanted = purpose === 'server-cert' ? OID.serverAuth : OID.clientAuth;
    if (leaf.eku && leaf.eku.length > 0 && !leaf.eku.includes(wanted) && !leaf.eku.includes(OID.anyExtendedKeyUsage)) {
      findings.push({
        code: 'missing-eku',
        message: `${context.setting}: the certificate lacks the ${usage} extended key usage; reissue it with ${usage}. ${leaf.label} is used as a ${purpose === 'server-cert' ? 'server' : 'client'} certificate, but its extended key usage is ${ekuNames(leaf.eku)}. ${purpose === 'server-cert' ? 'Clients fail with "x509: certificate specifies an incompatible key usage" (Go) / "unsuitable certificate purpose" (OpenSSL).' : 'The Collector rejects it with "x509: certificate specifies an incompatible key usage".'} Reissue it with extendedKeyUsage = ${usage}.`,
      });
    }
  }
  if (purpose === 'server-cert' && !leaf.hasSanExtension) {
    findings.push({
      code: 'cn-only',
      message: `${context.setting}: the server certificate has no subjectAltName, which Go requires; reissue it with one. ${leaf.label} has no subjectAltName extension. Go clients (the Go SDK, Collector exporters), Java's OkHttp sender and the Python HTTP exporter never fall back to the Common Name and reject it ("x509: certificate relies on legacy Common Name field, use SANs instead"); only OpenSSL-based SDKs accept it. Reissue it with subjectAltName = DNS:<host>.`,
    });
  }
  return findings;
}

/**
 * What each certificate after the leaf is to the leaf's chain, following issuer names and signatures
 * through the file: `needed` (the only certificate that can issue the one below it), `maybe` (one of
 * several that can, or a self-signed root the peer may already trust), `unused` (no chain from the
 * leaf reaches it: a leftover, or a certificate for something else).
 */
export function chainRoles(certificates: CertificateInfo[]): ('leaf' | 'needed' | 'maybe' | 'unused')[] {
  const roles: ('leaf' | 'needed' | 'maybe' | 'unused')[] = certificates.map((_, i) => (i === 0 ? 'leaf' : 'unused'));
  let current = certificates[0];
  const seen = new Set<number>([0]);
  while (current && !current.selfIssued) {
    const below = current;
    const candidates = certificates
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => !seen.has(i) && c.rawSubject === below.rawIssuer && signs(below, c));
    if (candidates.length === 0) break;
    for (const { c, i } of candidates) {
      seen.add(i);
      roles[i] = candidates.length === 1 && !c.selfIssued ? 'needed' : 'maybe';
    }
    if (candidates.length !== 1) {
      // Several candidates: whatever they issue may be on the chain too.
      for (let i = 1; i < certificates.length; i++) if (roles[i] === 'unused' && candidates.some(({ c }) => certificates[i].rawIssuer === c.rawSubject)) roles[i] = 'maybe';
      break;
    }
    current = candidates[0].c;
  }
  return roles;
}

function signs(child: CertificateInfo, parent: CertificateInfo): boolean {
  return signatureVerifies(child, parent);
}

/**
 * Certificates Go's crypto/x509 refuses to parse (./goParse.ts), by what the file is for: a leaf the
 * Collector cannot load (tls.X509KeyPair parses it), a chain certificate Go peers cannot parse when it
 * is sent, a CA certificate AppendCertsFromPEM skips.
 */
function goParseFindings(certificates: CertificateInfo[], purpose: FilePurpose, context: FindingContext): Finding[] {
  const findings: Finding[] = [];
  const refused = certificates.filter((c) => c.go.parseError !== undefined);
  if (refused.length === 0) return findings;
  const go123 = (c: CertificateInfo) => (c.go.parseError123 === null ? ' (Go 1.23 still parses it; Go 1.24+ does not.)' : '');
  if (purpose === 'ca') {
    const all = refused.length === certificates.length;
    for (const cert of refused) {
      findings.push({
        code: 'malformed-certificate',
        // For an SDK's CA file only Go SDKs are affected: the handshake check gives that verdict, for the SDK named.
        severity: all && context.loader === 'collector' ? 'error' : 'warning',
        message: `${context.setting}: Go cannot parse ${cert.label} ("${cert.go.parseError}") and skips it${all ? `; no certificate of the file is left, so ${context.loader === 'collector' ? 'the Collector fails with "failed to load CA CertPool File: failed to parse cert"' : 'a Go SDK ignores the file (and uses the system roots)'}` : ''}. OpenSSL-based SDKs (Node, Python) read it.${go123(cert)}`,
      });
    }
    return findings;
  }
  for (const cert of refused) {
    const leaf = cert === certificates[0];
    const message = leaf
      ? context.loader === 'collector'
        ? `${context.setting}: Go cannot parse the certificate, so the Collector does not start; reissue it. ${cert.label}: the Collector fails to start with "failed to load TLS cert and key: failed to load TLS cert and key PEMs: ${cert.go.parseError}".`
        : `${context.setting}: Go cannot parse the certificate, so Go peers refuse it; reissue it. ${cert.label} ("${cert.go.parseError}"): a Go SDK logs "create tls client key pair" and sends no client certificate, and the Collector refuses it from any SDK ("tls: failed to parse client certificate").`
      : `${context.setting}: Go cannot parse a chain certificate, so Go peers refuse it; remove or reissue it. ${cert.label} ("${cert.go.parseError}") is sent in the handshake, and Go peers refuse it: "tls: failed to parse certificate from server" (Go clients) / "tls: failed to parse client certificate" (the Collector). Remove it from the file or reissue it.`;
    findings.push({ code: 'malformed-certificate', message: message + go123(cert) });
  }
  return findings;
}

function certificateFormatProblem(parsed: ParsedFile, purpose: FilePurpose, context: FindingContext): Finding | undefined {
  if (parsed.certificates.length > 0) return undefined;
  const loadError = context.loader === 'collector' ? (purpose === 'ca' ? ' The Collector fails with "failed to load CA CertPool File: failed to parse cert".' : '') : '';
  const goCert = purpose === 'ca' ? '' : ' Go: ';
  let reason: string;
  if (parsed.literalNewlines) reason = `${context.inline ? 'the PEM' : 'the file'} is on one line with literal "\\n" sequences instead of line breaks, so Go finds no PEM data in it ("tls: failed to find any PEM data in certificate input"). Write real line breaks (a YAML block scalar "|", or a double-quoted string, where \\n is a line break)`;
  else if (parsed.empty) reason = 'the file is empty';
  else if (parsed.der) reason = `the file is DER (binary), but PEM is needed. Convert it: openssl x509 -inform der -in FILE -out FILE.pem.${purpose !== 'ca' ? `${goCert}"tls: failed to find any PEM data in certificate input".` : ''}`;
  else if (parsed.bom && parsed.keys.length === 0 && parsed.badCertificates.length === 0) reason = `the file starts with a UTF-8 byte order mark, so Go finds no PEM data in it ("tls: failed to find any PEM data in certificate input"). Save it without a BOM.`;
  else if (parsed.badCertificates.length > 0) reason = `its CERTIFICATE block does not parse as X.509 (${parsed.badCertificates[0].reason})`;
  else if (parsed.keys.length > 0) reason = `it holds a private key, not a certificate${purpose === 'ca' ? '' : ' (cert_file and key_file swapped?). Go: "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched"'}`;
  else if (parsed.otherTypes.length > 0) reason = `it holds only ${parsed.otherTypes.map((t) => `"${t}"`).join(', ')} PEM blocks, no CERTIFICATE. Go: "tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${parsed.otherTypes.join(' ')}]"`;
  else reason = 'no PEM data was found in it';
  const goOnly = parsed.bom && parsed.keys.length === 0 && parsed.badCertificates.length === 0 && !parsed.der && !parsed.empty && !parsed.literalNewlines;
  return { code: 'not-a-certificate', ...(goOnly ? { goOnly } : {}), message: `${context.setting}: not a PEM certificate file; point it at one. It is not: ${reason}.${loadError}${goOnly ? ' Node and Python read it.' : ''}` };
}

function keyFindings(parsed: ParsedFile, context: FindingContext, mode?: number): Finding[] {
  const findings: Finding[] = [];
  const key = parsed.keys[0];
  if (!key) {
    let reason: string;
    if (parsed.literalNewlines) reason = 'it is on one line with literal "\\n" sequences instead of line breaks ("tls: failed to find any PEM data in key input"); write real line breaks';
    else if (parsed.empty) reason = 'the file is empty ("tls: failed to find any PEM data in key input")';
    else if (parsed.der) reason = 'the file is DER (binary), but PEM is needed ("tls: failed to find any PEM data in key input"). Convert it: openssl pkey -inform der -in FILE -out FILE.pem';
    else if (parsed.certificates.length > 0) reason = 'it holds a certificate, not a private key (cert_file and key_file swapped?). Go: "tls: found a certificate rather than a key in the PEM for the private key"';
    else if (parsed.otherTypes.length > 0) reason = `it holds only ${parsed.otherTypes.map((t) => `"${t}"`).join(', ')} PEM blocks. Go: "tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${parsed.otherTypes.join(' ')}]"`;
    else if (parsed.bom) reason = 'the file starts with a UTF-8 byte order mark, so Go finds no PEM data in it; save it without a BOM';
    else reason = 'no PEM data was found in it ("tls: failed to find any PEM data in key input")';
    const goOnly = !parsed.empty && !parsed.der && !parsed.literalNewlines && parsed.certificates.length === 0 && parsed.otherTypes.length === 0 && parsed.bom;
    findings.push({ code: 'not-a-private-key', ...(goOnly ? { goOnly } : {}), message: `${context.setting}: not a PEM private key; point it at the key. It is not: ${reason}.${goOnly ? ' Node and Python read it.' : ''}` });
    return findings;
  }
  if (key.pemType === 'TSS2 PRIVATE KEY') {
    // A TPM-wrapped key: configtls loads it through the TPM when tpm.enabled is true; Go's X509KeyPair cannot.
    if (!context.tpm) {
      findings.push({ code: 'not-a-private-key', message: `${context.setting} holds a TSS2 PRIVATE KEY (a key wrapped by a TPM), which only the TPM can use: set tpm.enabled: true and tpm.path in this tls block, or Go fails with "tls: failed to parse private key".` });
    }
    return findings;
  }
  if (key.encrypted) {
    findings.push({
      code: 'encrypted-key',
      message: `${context.setting}: the private key is encrypted, and nothing here can decrypt it; store it decrypted (mode 0600). It is ${key.pemType === 'ENCRYPTED PRIVATE KEY' ? 'PKCS#8 ENCRYPTED PRIVATE KEY' : 'Proc-Type: 4,ENCRYPTED'}), and ${context.loader === 'collector' ? 'the Collector has no passphrase setting: it fails with "tls: failed to parse private key"' : 'SDKs have no passphrase variable: the key cannot be loaded'}. Decrypt it: openssl pkey -in FILE -out FILE.key.`,
    });
  } else if (key.error) {
    findings.push({ code: 'not-a-private-key', message: `${context.setting}: the ${key.pemType} block does not parse as a private key (${key.error}); Go: "tls: failed to parse private key".` });
  } else if (key.publicKey) {
    const refused = goKeyRefusal(key.publicKey);
    if (refused) {
      findings.push({
        code: 'unsupported-key',
        ...(context.loader === 'sdk' ? { severity: 'warning' as const } : {}),
        message: `${context.setting}: the private key is ${refused.what}, which Go's tls.X509KeyPair cannot load: "${refused.error}". ${context.loader === 'collector' ? 'The Collector fails to start ("failed to load TLS cert and key PEMs").' : 'A Go SDK sends no client certificate; Node and Python load it.'} Use an RSA, ECDSA (P-256/P-384/P-521) or Ed25519 key.`,
      });
    }
  }
  if (mode !== undefined && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    findings.push({
      code: 'key-permissions',
      message: `${context.setting}: the private key is readable by others; restrict it with chmod 600. The file is readable by ${mode & 0o070 ? 'its group' : ''}${mode & 0o070 && mode & 0o007 ? ' and ' : ''}${mode & 0o007 ? 'others' : ''} (mode ${octal}). Restrict it: chmod 600.`,
    });
  }
  // A weak RSA key is reported on the certificate that carries it (weak-key), not here.
  return findings;
}

/**
 * Keys Node loads and Go's tls.X509KeyPair does not (crypto/tls parsePrivateKey: PKCS#1, PKCS#8 with an
 * RSA, ECDSA or Ed25519 key, SEC1; x509.ParsePKCS8PrivateKey knows no RSASSA-PSS, DSA, X448/Ed448 keys).
 */
function goKeyRefusal(key: NonNullable<PrivateKeyInfo['publicKey']>): { what: string; error: string } | undefined {
  switch (key.type) {
    case 'rsa':
    case 'ed25519':
      return undefined;
    case 'ec':
      return ['prime256v1', 'secp384r1', 'secp521r1', 'secp224r1'].includes(key.curve ?? '') ? undefined : { what: `an EC key on ${key.curve}`, error: 'tls: failed to parse private key' };
    case 'x25519':
      return { what: 'an X25519 key', error: 'tls: found unknown private key type in PKCS#8 wrapping' };
    case 'rsa-pss':
      return { what: 'an RSASSA-PSS key (id-RSASSA-PSS)', error: 'tls: failed to parse private key' };
    default:
      return { what: `a ${key.type} key`, error: 'tls: failed to parse private key' };
  }
}

/** `soft`: a note that makes an expired or future certificate a warning (it may not be used). */
function validityFindings(cert: CertificateInfo, context: FindingContext, soft: string | undefined, what: string): Finding[] {
  const inBundle = soft !== undefined;
  const now = context.now.getTime();
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (now < cert.notBefore.getTime()) {
    return [{ code: 'cert-not-yet-valid', severity: inBundle ? 'warning' : undefined, message: `${context.setting}: ${what} is not valid before ${day(cert.notBefore)}; check the issuer's clock, or reissue it. ${cert.label} is not valid until ${cert.notBefore.toISOString()}; until then TLS fails with "x509: certificate has expired or is not yet valid" (Node: CERT_NOT_YET_VALID). Check the clock of the machine that issued it.` }];
  }
  if (now > cert.notAfter.getTime()) {
    return [{ code: 'cert-expired', severity: inBundle ? 'warning' : undefined, message: `${context.setting}: ${what} expired on ${day(cert.notAfter)}; renew it. ${cert.label}: TLS fails with "x509: certificate has expired or is not yet valid: current time … is after ${cert.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z')}" (Node: CERT_HAS_EXPIRED).${soft ?? ''}` }];
  }
  const left = (cert.notAfter.getTime() - now) / DAY;
  if (left <= context.expiryWarningDays) {
    return [{ code: 'cert-expiring-soon', message: `${context.setting}: ${what} expires on ${day(cert.notAfter)}, in ${Math.max(0, Math.floor(left))} day(s); renew it. ${cert.label}: SDKs never reload certificates, and the Collector only with reload_interval.` }];
  }
  return [];
}

function keyStrengthFindings(cert: CertificateInfo, context: FindingContext, isLeaf: boolean): Finding[] {
  const key = cert.publicKey;
  if ((key.type !== 'rsa' && key.type !== 'rsa-pss') || key.bits === undefined) return [];
  if (key.bits < 1024) {
    return [{ code: 'weak-key', severity: 'error', message: `${context.setting}: the certificate's RSA key is too small; use RSA 2048+ or ECDSA P-256. ${cert.label} has a ${keyDescription(key)} key. Go 1.24+ refuses RSA keys under 1024 bits ("crypto/rsa: ${key.bits}-bit keys are insecure") and OpenSSL refuses them at its default security level. Use RSA 2048+ or ECDSA P-256.` }];
  }
  if (key.bits < 2048) {
    return [{ code: 'weak-key', message: `${context.setting}: the certificate's RSA key is under 2048 bits; use RSA 2048+ or ECDSA P-256. ${cert.label} has a ${keyDescription(key)} key. OpenSSL 3.2+ (Node 24.5+, current Python builds) refuses RSA keys under 2048 bits ("EE certificate key too weak"). Use RSA 2048+ or ECDSA P-256.` }];
  }
  if (key.bits > 8192 && isLeaf) {
    return [{ code: 'weak-key', severity: 'error', message: `${context.setting}: the certificate's RSA key is over 8192 bits, which Go refuses; use a smaller key. ${cert.label} has a ${keyDescription(key)} key; Go's TLS stack refuses certificates with RSA keys larger than 8192 bits ("tls: server sent certificate containing RSA key larger than 8192 bits").` }];
  }
  return [];
}

function signatureFindings(cert: CertificateInfo, context: FindingContext): Finding[] {
  const hash = cert.signature.hash;
  if (hash !== 'SHA1' && hash !== 'MD5' && hash !== 'MD2') return [];
  return [
    {
      code: 'weak-signature',
      message: `${context.setting}: the certificate is signed with ${cert.signature.hash}, which Go and OpenSSL 3 refuse; reissue it with SHA-256. ${cert.label} is signed with ${cert.signature.name}. Go refuses it ("x509: cannot verify signature: insecure algorithm ${cert.signature.name}") and OpenSSL 3 refuses it at its default security level ("CA signature digest algorithm too weak"). Reissue it with SHA-256.`,
    },
  ];
}

function notACaFinding(cert: CertificateInfo, purpose: FilePurpose, context: FindingContext): Finding | undefined {
  if (cert.hasBasicConstraints && cert.isCa) return undefined;
  const what = cert.hasBasicConstraints ? 'basicConstraints CA:FALSE' : cert.version === 1 ? 'a v1 certificate without extensions' : 'no basicConstraints extension';
  if (purpose === 'ca') {
    if (cert.version === 1 && cert.selfIssued) return undefined; // a v1 self-signed root is a valid anchor for Go and OpenSSL
    return {
      code: 'not-a-ca',
      severity: 'warning',
      message: `${context.setting}: this certificate is not a CA; put the CA that issued the peer's certificate here. ${cert.label} (${what}) can only be trusted as that exact certificate: Go refuses it as the issuer of anything ("x509: invalid signature: parent certificate cannot sign this kind of certificate"), and OpenSSL-based SDKs accept it only if it is self-signed. Put the CA certificate that issued the peer's certificate here.`,
    };
  }
  return {
    code: 'not-a-ca',
    severity: 'warning',
    message: `${context.setting}: a chain certificate after the leaf is not a CA; remove it from the file. ${cert.label} follows the leaf (${what}); Go refuses it as an intermediate ("x509: certificate is not authorized to sign other certificates"). Only the leaf and its intermediates belong in this file.`,
  };
}

/** key-mismatch between a certificate file and a key file (Go compares the key with the FIRST certificate only). */
export function pairFinding(certificates: CertificateInfo[], key: PrivateKeyInfo, context: { certSetting: string; keySetting: string; loader: 'collector' | 'sdk' }): Finding | undefined {
  const leaf = certificates[0];
  if (!leaf || !key.publicKey) return undefined;
  if (certificateHoldsKey(leaf, key.publicKey)) return undefined;
  const laterMatch = certificates.findIndex((c, i) => i > 0 && certificateHoldsKey(c, key.publicKey!));
  const goError = leaf.publicKey.type !== key.publicKey.type ? 'tls: private key type does not match public key type' : 'tls: private key does not match public key';
  const after =
    context.loader === 'collector' ? `The Collector fails to start: "failed to load TLS cert and key PEMs: ${goError}".` : `The SDK cannot use the pair (Go: "${goError}", Node: "key values mismatch") and sends no client certificate.`;
  if (laterMatch > 0) {
    return {
      code: 'key-mismatch',
      message: `${context.keySetting}: the key is for a later certificate of ${context.certSetting}; put its leaf first. It is the key of certificate #${laterMatch + 1}, but only the first certificate counts: the file must start with the leaf (${certificates[laterMatch].label}), then its intermediates. ${after}`,
    };
  }
  return {
    code: 'key-mismatch',
    message: `${context.keySetting}: this key does not belong to the certificate; use the certificate's own key. It is not the key of ${leaf.label} (${keyDescription(key.publicKey)} key vs the certificate's ${keyDescription(leaf.publicKey)} key). ${after}`,
  };
}

/**
 * Certificate verification as Go's crypto/x509 does it in a TLS handshake (Verify, buildChains,
 * CheckSignatureFrom, isValid, checkChainForKeyUsage, VerifyHostname), Go 1.19–1.23 semantics:
 * - any certificate in the trust file is an anchor (also a CA-issued leaf or an intermediate);
 * - an issuer must be a CA (basicConstraints CA:TRUE; a v1 certificate may only be a root);
 * - SHA-1/MD5 signatures are refused (a root's own self-signature is never checked);
 * - every certificate of the chain must be within its validity period;
 * - EKUs nest down the chain: every certificate that lists EKUs must allow the usage;
 * - the host is matched against SANs only (./hostname.ts).
 * The result also says where OpenSSL-based SDKs would differ, for messages.
 */
import { ipText, type CertificateInfo } from './certificateInfo';
import { OID } from './oids';
import { verifyHostname } from './hostname';

export type Usage = 'serverAuth' | 'clientAuth';

export type VerifyFailureCode = 'cert-expired' | 'cert-not-yet-valid' | 'not-a-ca' | 'weak-signature' | 'unknown-authority' | 'missing-eku' | 'san-mismatch' | 'cn-only';

export interface VerifyFailure {
  code: VerifyFailureCode;
  /** What went wrong, in words, naming the certificates. */
  message: string;
  /** The error Go prints (the `x509: …` part). */
  goError: string;
  /** The certificate the failure is about. */
  cert?: CertificateInfo;
}

export interface VerifyResult {
  failures: VerifyFailure[];
  /** The chain Go would build (leaf first), when one verifies. */
  chain?: CertificateInfo[];
  /** Where OpenSSL-based SDKs (Node, Python < 3.13, grpcio) would decide otherwise. */
  opensslDiffers?: string;
}

export interface VerifyOptions {
  /** What the peer sends: leaf first, then its intermediates (the whole cert file). */
  presented: CertificateInfo[];
  /** Trust anchors (the CA file). */
  roots: CertificateInfo[];
  now: Date;
  usage: Usage;
  /** The server name the client checks (absent for client certificates). */
  host?: string;
  /** Says "the system roots" instead of naming a CA file. */
  rootsDescription?: string;
}

const MAX_SIGNATURE_CHECKS = 100;
const INSECURE_HASHES = new Set(['SHA1', 'MD5', 'MD2']);

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function validityError(cert: CertificateInfo, now: Date): VerifyFailure | undefined {
  if (now < cert.notBefore) {
    return {
      code: 'cert-not-yet-valid',
      cert,
      message: `${cert.label} is not valid before ${rfc3339(cert.notBefore)}`,
      goError: `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(cert.notBefore)}`,
    };
  }
  if (now > cert.notAfter) {
    return {
      code: 'cert-expired',
      cert,
      message: `${cert.label} expired on ${rfc3339(cert.notAfter)}`,
      goError: `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(cert.notAfter)}`,
    };
  }
  return undefined;
}

/** Go's CheckSignatureFrom: undefined when `parent` signed `child` and may sign certificates. */
export function checkSignatureFrom(child: CertificateInfo, parent: CertificateInfo): VerifyFailure | undefined {
  if ((parent.version === 3 && !parent.hasBasicConstraints) || (parent.hasBasicConstraints && !parent.isCa) || parent.keyCertSign === false) {
    return {
      code: 'not-a-ca',
      cert: parent,
      message: `${parent.label} issued ${child.label} but is not a CA (${parent.keyCertSign === false && parent.isCa ? 'its KeyUsage lacks keyCertSign' : 'no basicConstraints CA:TRUE'}), so it cannot sign certificates`,
      goError: 'x509: invalid signature: parent certificate cannot sign this kind of certificate',
    };
  }
  if (INSECURE_HASHES.has(child.signature.hash)) {
    return {
      code: 'weak-signature',
      cert: child,
      message: `${child.label} is signed with ${child.signature.name}, which Go refuses`,
      goError: `x509: cannot verify signature: insecure algorithm ${child.signature.name}${child.signature.hash === 'SHA1' ? ' (temporarily override with GODEBUG=x509sha1=1)' : ''}`,
    };
  }
  let verified = false;
  try {
    verified = child.x509.verify(parent.x509.publicKey);
  } catch {
    verified = false;
  }
  if (!verified) {
    const algo = parent.publicKey.type === 'ec' ? 'x509: ECDSA verification failure' : parent.publicKey.type === 'ed25519' ? 'x509: Ed25519 verification failure' : 'crypto/rsa: verification error';
    return {
      code: 'unknown-authority',
      cert: parent,
      message: `${parent.label} has the name of ${child.label}'s issuer but not its key (a regenerated CA, or a stale copy)`,
      goError: algo,
    };
  }
  return undefined;
}

interface BuildState {
  chains: CertificateInfo[][];
  /** The first signature-level failure (Go's hint). */
  hint?: VerifyFailure;
  /** Validity/CA failures of candidates that did sign (Go returns these directly). */
  invalid?: VerifyFailure;
  sigChecks: number;
}

function sameCert(a: CertificateInfo, b: CertificateInfo): boolean {
  return a.fingerprint === b.fingerprint;
}

function buildChains(chain: CertificateInfo[], roots: CertificateInfo[], intermediates: CertificateInfo[], now: Date, state: BuildState): void {
  const cert = chain[chain.length - 1];
  const consider = (kind: 'root' | 'intermediate', candidate: CertificateInfo) => {
    if (chain.some((c) => sameCert(c, candidate))) return;
    if (++state.sigChecks > MAX_SIGNATURE_CHECKS) return;
    const sigError = checkSignatureFrom(cert, candidate);
    if (sigError) {
      state.hint ??= sigError;
      return;
    }
    const invalid = validityError(candidate, now) ?? (kind === 'intermediate' ? intermediateError(candidate, chain) : undefined);
    if (invalid) {
      state.invalid = invalid;
      return;
    }
    if (kind === 'root') state.chains.push([...chain, candidate]);
    else buildChains([...chain, candidate], roots, intermediates, now, state);
  };
  for (const root of roots) if (root.rawSubject === cert.rawIssuer) consider('root', root);
  for (const intermediate of intermediates) if (intermediate.rawSubject === cert.rawIssuer) consider('intermediate', intermediate);
}

function intermediateError(candidate: CertificateInfo, chain: CertificateInfo[]): VerifyFailure | undefined {
  if (!candidate.hasBasicConstraints || !candidate.isCa) {
    return {
      code: 'not-a-ca',
      cert: candidate,
      message: `the intermediate ${candidate.label} is not a CA (no basicConstraints CA:TRUE)`,
      goError: 'x509: certificate is not authorized to sign other certificates',
    };
  }
  if (candidate.pathLen !== undefined && chain.length - 1 > candidate.pathLen) {
    return {
      code: 'not-a-ca',
      cert: candidate,
      message: `${candidate.label} allows ${candidate.pathLen} intermediate(s) below it (pathLenConstraint), the chain has ${chain.length - 1}`,
      goError: 'x509: too many intermediates for path length constraint',
    };
  }
  return undefined;
}

/** Go's checkChainForKeyUsage: the first certificate (from the root down) that does not allow `usage`. */
export function ekuBlocker(chain: CertificateInfo[], usage: Usage): CertificateInfo | undefined {
  const wanted = usage === 'serverAuth' ? OID.serverAuth : OID.clientAuth;
  for (let i = chain.length - 1; i >= 0; i--) {
    const eku = chain[i].eku;
    if (!eku || eku.length === 0) continue;
    if (eku.includes(OID.anyExtendedKeyUsage)) continue;
    if (!eku.includes(wanted)) return chain[i];
  }
  return undefined;
}

export function ekuNames(eku: string[] | undefined): string {
  if (!eku) return 'none';
  const names: Record<string, string> = { [OID.serverAuth]: 'serverAuth', [OID.clientAuth]: 'clientAuth', [OID.anyExtendedKeyUsage]: 'any', '1.3.6.1.5.5.7.3.3': 'codeSigning', '1.3.6.1.5.5.7.3.4': 'emailProtection', '1.3.6.1.5.5.7.3.8': 'timeStamping', '1.3.6.1.5.5.7.3.9': 'OCSPSigning' };
  return eku.map((o) => names[o] ?? o).join(', ') || 'none';
}

/** Verifies what a peer presents as Go would, reporting every independent reason it fails. */
export function verifyPeer(options: VerifyOptions): VerifyResult {
  const { presented, roots, now, usage, host } = options;
  const failures: VerifyFailure[] = [];
  const leaf = presented[0];
  if (!leaf) return { failures };
  const leafValidity = validityError(leaf, now);
  if (leafValidity) failures.push(leafValidity);

  if (host !== undefined) {
    const hostCheck = verifyHostname(leaf, host);
    if (!hostCheck.ok) {
      failures.push(
        hostCheck.kind === 'cn-only'
          ? {
              code: 'cn-only',
              cert: leaf,
              message: `${leaf.label} names "${host}" only in its Common Name and has no subjectAltName extension. Go (the Go SDK, Collector exporters), Java's OkHttp sender and the Python HTTP exporter never use the CN and reject it; OpenSSL-based stacks (Node, Python gRPC, .NET, JDK HttpClient) still fall back to the CN.`,
              goError: hostCheck.goError,
            }
          : {
              code: 'san-mismatch',
              cert: leaf,
              message: `"${host}" is not covered by ${leaf.label}: ${sanSummary(leaf)}`,
              goError: hostCheck.goError,
            },
      );
    }
  }

  let chains: CertificateInfo[][] = [];
  const state: BuildState = { chains, sigChecks: 0 };
  if (roots.some((r) => sameCert(r, leaf))) {
    chains = [[leaf]];
  } else {
    buildChains([leaf], roots, presented.slice(1), now, state);
    chains = state.chains;
  }
  if (chains.length === 0) {
    failures.push(chainFailure(leaf, presented, roots, state, options));
    return { failures };
  }
  const usable = chains.filter((c) => !ekuBlocker(c, usage));
  if (usable.length === 0) {
    const blocker = ekuBlocker(chains[0], usage)!;
    const role = usage === 'serverAuth' ? 'server' : 'client';
    failures.push({
      code: 'missing-eku',
      cert: blocker,
      message:
        blocker === leaf
          ? `${leaf.label} is used as a ${role} certificate but its extended key usage (${ekuNames(leaf.eku)}) lacks ${usage}`
          : `the CA ${blocker.label} limits the certificates it issues to ${ekuNames(blocker.eku)}, so ${leaf.label} cannot be used for ${usage} (Go nests EKUs down the chain)`,
      goError: 'x509: certificate specifies an incompatible key usage',
    });
    return { failures, chain: chains[0] };
  }
  const chain = usable[0];
  const anchor = chain[chain.length - 1];
  const result: VerifyResult = { failures, chain };
  const anchorSelfSigned = anchor.selfIssued && (() => { try { return anchor.x509.verify(anchor.x509.publicKey); } catch { return false; } })();
  if (!anchorSelfSigned) {
    result.opensslDiffers = `the trusted certificate ${anchor.label} is not a self-signed root: Go accepts any certificate in the CA file as an anchor, but OpenSSL-based SDKs (Node, Python < 3.13, grpcio) fail with "unable to get local issuer certificate" unless the root CA is in the file too`;
  }
  return result;
}

function chainFailure(leaf: CertificateInfo, presented: CertificateInfo[], roots: CertificateInfo[], state: BuildState, options: VerifyOptions): VerifyFailure {
  const trust = options.rootsDescription ?? 'the CA file';
  if (state.invalid) {
    const f = state.invalid;
    return { ...f, message: `the chain of ${leaf.label} goes through ${f.message}` };
  }
  const hint = state.hint;
  if (hint && (hint.code === 'not-a-ca' || hint.code === 'weak-signature')) {
    return { ...hint, goError: `x509: certificate signed by unknown authority (possibly because of "${hint.goError}" while trying to verify candidate authority certificate "${goName(hint.cert!)}")` };
  }
  if (hint) {
    return {
      code: 'unknown-authority',
      cert: hint.cert,
      message: `${trust} holds ${hint.message}: it does not verify ${leaf.label}`,
      goError: `x509: certificate signed by unknown authority (possibly because of "${hint.goError}" while trying to verify candidate authority certificate "${goName(hint.cert!)}")`,
    };
  }
  // Find how far the chain got through what was presented.
  let top = leaf;
  for (let guard = 0; guard < presented.length; guard++) {
    const parent = presented.find((c) => c.rawSubject === top.rawIssuer && !sameCert(c, top));
    if (!parent) break;
    top = parent;
  }
  const issuerName = issuerLabel(top);
  const missingIntermediate = top.selfIssued
    ? `${top.label} is a self-signed root that ${trust} does not contain`
    : `nothing in ${trust} or in the certificates sent with ${leaf.label} is its issuer ${issuerName}${top !== leaf ? ` (reached through ${top.label})` : ''}; if that is an intermediate, it must follow the leaf in the certificate file (Go fetches no intermediates)`;
  return {
    code: 'unknown-authority',
    cert: top,
    message: roots.length === 0 ? `${trust} holds no certificate, so ${leaf.label} cannot be verified` : missingIntermediate,
    goError: 'x509: certificate signed by unknown authority',
  };
}

function issuerLabel(cert: CertificateInfo): string {
  const cn = /(?:^|, )CN=([^,]*)/.exec(cert.issuer)?.[1];
  return cn !== undefined ? `CN=${cn}` : cert.issuer;
}

/** The name Go prints for a candidate authority: CN, else the first O, else the serial. */
function goName(cert: CertificateInfo): string {
  if (cert.commonName) return cert.commonName;
  const o = /(?:^|, )O=([^,]*)/.exec(cert.subject)?.[1];
  return o ?? `serial:${BigInt('0x' + cert.x509.serialNumber).toString()}`;
}

export function sanSummary(cert: CertificateInfo): string {
  const dns = cert.dnsNames.map((d) => `DNS:${d}`);
  const ips = cert.ipAddresses.map((ip) => `IP:${ipText(ip)}`);
  const all = [...dns, ...ips];
  if (!cert.hasSanExtension) return `it has no subjectAltName at all${cert.commonName ? ` (only CN=${cert.commonName}, which Go ignores)` : ''}`;
  return all.length ? `its SANs are ${all.join(', ')}` : 'its subjectAltName holds no DNS names or IPs';
}

// ---------------------------------------------------------------------------------------------
// One client against one server: what the handshake will do, as findings to anchor.

/** Where a finding belongs in the client's file, and which server setting it relates to. */
export type ClientAnchor = 'endpoint' | 'ca' | 'client-cert';
export type ServerAnchor = 'tls' | 'listener' | 'cert_file' | 'client_ca_file' | 'max_version';

export interface HandshakeFinding {
  code: VerifyFailureCode | 'plaintext-endpoint' | 'missing-client-cert' | 'weak-tls-version';
  message: string;
  severity?: 'error' | 'warning' | 'information';
  anchor: ClientAnchor;
  related: ServerAnchor;
}

export interface ServerEnd {
  /** For messages: `otlp/protocols.grpc on :4317 in gateway.yaml`. */
  name: string;
  tls: boolean;
  /** Certificates of cert_file, when it loaded (undefined: not set or broken; the per-file check says why). */
  certificates?: CertificateInfo[];
  /** Whether client_ca_file is set (Go then requires and verifies client certificates). */
  requiresClientCert: boolean;
  /** Certificates of client_ca_file, when it loaded. */
  clientCas?: CertificateInfo[];
  maxVersion?: string;
}

export interface ClientEnd {
  /** For messages: the env variable or the exporter setting that decides TLS. */
  usesTls: boolean;
  /** Why the client uses TLS or not, for messages. */
  tlsReason: string;
  host: string;
  /** The trust file's certificates; 'system' when none is configured; undefined when it is configured but broken. */
  roots?: CertificateInfo[] | 'system';
  rootsSetting: string;
  /** The client certificate chain when one is configured and loads; 'none' when none is configured (or only half of the pair). */
  certificates?: CertificateInfo[] | 'none';
  clientCertSetting: string;
  /** The client does not verify the server (insecure_skip_verify). */
  skipVerify?: boolean;
  /**
   * An SDK configured by env variables. The Go SDK puts the client pair in tls.Config.Certificates,
   * so Go sends it only when an issuer of its chain is among the server's acceptable CAs (the subjects
   * of client_ca_file), and otherwise sends no certificate at all (tls-failures.md, Go-client caveat).
   */
  sdk?: boolean;
  now: Date;
}

export function judgeHandshake(client: ClientEnd, server: ServerEnd, systemRootsFor: (presented: readonly CertificateInfo[]) => CertificateInfo[]): HandshakeFinding[] {
  if (server.tls && !client.usesTls) {
    return [
      {
        code: 'plaintext-endpoint',
        severity: 'error',
        anchor: 'endpoint',
        related: 'tls',
        message: `${server.name} serves TLS, but this client connects in plaintext (${client.tlsReason}). The handshake never starts: gRPC clients see "error reading server preface: EOF", HTTP clients "400 Bad Request: Client sent an HTTP request to an HTTPS server". Use https://.`,
      },
    ];
  }
  if (!server.tls && client.usesTls) {
    return [
      {
        code: 'plaintext-endpoint',
        severity: 'error',
        anchor: 'endpoint',
        related: 'listener',
        message: `${server.name} serves plaintext (no tls:), but this client uses TLS (${client.tlsReason}). It fails with "tls: first record does not look like a TLS handshake" (Go) / "WRONG_VERSION_NUMBER" (OpenSSL). Use http:// (or add tls: to the receiver).`,
      },
    ];
  }
  if (!server.tls) return [];
  const findings: HandshakeFinding[] = [];
  if (server.maxVersion === '1.0' || server.maxVersion === '1.1') {
    findings.push({
      code: 'weak-tls-version',
      severity: 'error',
      anchor: 'endpoint',
      related: 'max_version',
      message: `${server.name} allows at most TLS ${server.maxVersion}, and OTLP SDKs and Go clients require TLS 1.2 or later: "tls: protocol version not supported" / "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION". Raise max_version to "1.3" (or remove it).`,
    });
  }

  // The server certificate, verified by the client.
  if (server.certificates && !client.skipVerify && client.roots !== undefined) {
    const system = client.roots === 'system';
    const roots = system ? systemRootsFor(server.certificates) : (client.roots as CertificateInfo[]);
    const result = verifyPeer({
      presented: server.certificates,
      roots,
      now: client.now,
      usage: 'serverAuth',
      host: client.host,
      rootsDescription: system ? `the system roots (${client.rootsSetting} is not set)` : client.rootsSetting,
    });
    for (const failure of result.failures) {
      const trustProblem = failure.code === 'unknown-authority' || failure.code === 'not-a-ca' || failure.code === 'weak-signature' || ((failure.code === 'cert-expired' || failure.code === 'cert-not-yet-valid') && failure.cert !== server.certificates[0]);
      findings.push({
        code: failure.code,
        severity: 'error',
        anchor: trustProblem && !system ? 'ca' : 'endpoint',
        related: 'cert_file',
        message: `The server certificate of ${server.name} fails verification: ${failure.message}. ${goSays(failure)}${hint(failure, client)}`,
      });
    }
    if (result.failures.length === 0 && result.opensslDiffers) {
      findings.push({
        code: 'unknown-authority',
        severity: 'warning',
        anchor: system ? 'endpoint' : 'ca',
        related: 'cert_file',
        message: `Go SDKs accept the server certificate of ${server.name}, but ${result.opensslDiffers}.`,
      });
    }
  }

  // The client certificate, verified by the Collector (Go, RequireAndVerifyClientCert).
  if (server.requiresClientCert) {
    if (client.certificates === 'none') {
      findings.push({
        code: 'missing-client-cert',
        severity: 'error',
        anchor: 'endpoint',
        related: 'client_ca_file',
        message: `${server.name} requires a client certificate (client_ca_file ⇒ RequireAndVerifyClientCert), but this client presents none (${client.clientCertSetting}). The Collector logs "tls: client didn't provide a certificate"; the client sees "certificate required" / "bad certificate".`,
      });
    } else if (client.certificates && server.clientCas) {
      const result = verifyPeer({ presented: client.certificates, roots: server.clientCas, now: client.now, usage: 'clientAuth', rootsDescription: 'client_ca_file' });
      const goSdkSendsNothing = client.sdk && !acceptedIssuer(client.certificates, server.clientCas);
      for (const failure of result.failures) {
        findings.push({
          code: failure.code,
          severity: 'error',
          anchor: 'client-cert',
          related: 'client_ca_file',
          message:
            `${server.name} rejects this client certificate: ${failure.message}. The Collector logs "tls: failed to verify certificate: ${failure.goError}"; the client sees "bad certificate".` +
            (goSdkSendsNothing
              ? ` A Go SDK does not even send it: no certificate of its chain is issued by a CA named in client_ca_file, so Go sends no certificate and the Collector logs "tls: client didn't provide a certificate" instead.`
              : ''),
        });
      }
    }
  }
  return findings;
}

/**
 * What judgeHandshake could not verify for this pair, and why, in words (empty when it judged every
 * step). It skips a step when a file it needs did not load (not set, not found, not a certificate, a
 * value not known here): the per-file checks report the file, and the TLS map shows the link as not
 * judged rather than fine. The conditions are those of judgeHandshake above.
 */
export function unjudgedSteps(client: ClientEnd, server: ServerEnd): string[] {
  if (!server.tls || !client.usesTls) return [];
  const steps: string[] = [];
  if (!client.skipVerify) {
    if (!server.certificates) steps.push(`the server certificate of ${server.name} did not load (cert_file is not set, not found, not known here or holds no certificate), so its verification is not judged`);
    else if (client.roots === undefined) steps.push(`${client.rootsSetting} did not load, so the verification of the server certificate is not judged`);
  }
  if (server.requiresClientCert && client.certificates !== 'none') {
    if (client.certificates === undefined) steps.push(`the client certificate (${client.clientCertSetting}) did not load, so ${server.name}'s verification of it is not judged`);
    else if (!server.clientCas) steps.push(`client_ca_file of ${server.name} did not load (or is not known here), so its verification of the client certificate is not judged`);
  }
  return steps;
}

/** Whether a Go client with tls.Config.Certificates sends `chain`: some certificate's issuer is an acceptable CA (crypto/tls SupportsCertificate). */
function acceptedIssuer(chain: readonly CertificateInfo[], clientCas: readonly CertificateInfo[]): boolean {
  return chain.some((c) => clientCas.some((ca) => ca.rawSubject === c.rawIssuer));
}

function goSays(failure: VerifyFailure): string {
  return `Go: "tls: failed to verify certificate: ${failure.goError}".`;
}

function hint(failure: VerifyFailure, client: ClientEnd): string {
  switch (failure.code) {
    case 'san-mismatch':
      return ` Add DNS:${client.host} to the certificate's subjectAltName, or connect with a name it holds (SDKs have no server-name override).`;
    case 'cn-only':
      return ' Reissue the certificate with a subjectAltName.';
    case 'unknown-authority':
      return client.roots === 'system' ? ` Set ${client.rootsSetting} to the CA that issued it.` : ` Put the CA that issued it in ${client.rootsSetting}.`;
    default:
      return '';
  }
}

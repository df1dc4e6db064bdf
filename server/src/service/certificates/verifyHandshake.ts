/**
 * One client against one server: what the handshake will do, as findings to anchor.
 *
 * The verdict is that of the client's TLS stack against the Collector (Go's crypto/tls server):
 * - Go (the Go SDK, a Collector exporter): Go's certificate rules (./goVerify.ts, ./goParse.ts) and
 *   crypto/tls's negotiation (./negotiation.ts), the newest Go (1.24+); where Go 1.23 decides
 *   otherwise, messages say so;
 * - the OpenSSL-based SDKs (Node's JS SDK, Python): ./opensslVerify.ts and the host name rules of
 *   ./hostname.ts, the SNI they send, their cipher lists.
 * The client certificate is always verified by Go (the Collector, RequireAndVerifyClientCert).
 *
 * With the SDK named (`# otlp-tls: sdk=js`, otlpTls.sdk) its stack decides and a failure is an
 * error. Unnamed, Go decides, and where Node or Python would decide otherwise a warning names them.
 * Every rule, its source line and the test that proves it: docs/tls-rules.md.
 */
import type { DiagnosticCode } from '../diagnosticCodes';
import { ipText, keyDescription, type CertificateInfo } from './certificateInfo';
import { goCertName, goCheckSignatureFrom, goUsageBlocker, goValidity, goVerify, type GoError, type GoRelease, type Usage } from './goVerify';
import { nodeCheckHost, okHttpCheckHost, opensslCheckHost, parseIp, type HostRules } from './hostname';
import { negotiate, unknownCipherSuites, type ClientSide, type ClientStack, type ServerSide, type TlsVersion } from './negotiation';
import { OPENSSL_KU, opensslKeyUsageBits, opensslVerify } from './opensslVerify';
import { OID } from './oids';
import type { RuntimeTls } from './runtimeTls';
import { table } from '../lookup';

export type { Usage } from './goVerify';

export type VerifyFailureCode = DiagnosticCode;

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
  /** What Go 1.23 says when it decides otherwise than the newest Go. */
  go123?: string;
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
  go?: GoRelease;
  /**
   * Another verifier than Go's on the same chain-building rules (the JDK's PKIX validator, for the Java
   * SDK): the parse errors it does not share (the certificate is read), and whether EKUs nest down the
   * chain (Go's checkChainForKeyUsage; PKIX checks no EKU of a CA).
   */
  variant?: { parses?: (cert: CertificateInfo) => boolean; ekuNesting?: false; anyPssSalt?: boolean };
}

/** isValid's validity check, as a failure. */
export function validityError(cert: CertificateInfo, now: Date): VerifyFailure | undefined {
  const error = goValidity(cert, now);
  if (!error) return undefined;
  return error.kind === 'not-yet-valid'
    ? { code: 'cert-not-yet-valid', cert, message: `${cert.label} is not valid before ${rfc3339(cert.notBefore)}`, goError: error.text }
    : { code: 'cert-expired', cert, message: `${cert.label} expired on ${rfc3339(cert.notAfter)}`, goError: error.text };
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's CheckSignatureFrom: undefined when `parent` signed `child` and may sign certificates. */
export function checkSignatureFrom(child: CertificateInfo, parent: CertificateInfo): VerifyFailure | undefined {
  const error = goCheckSignatureFrom(child, parent, '1.24+');
  return error ? failureOf(error, child, { presented: [child], roots: [parent], usage: 'serverAuth' }) : undefined;
}

/** The first certificate (from the root down) that does not allow `usage` (Go's nested EKU). */
export function ekuBlocker(chain: CertificateInfo[], usage: Usage): CertificateInfo | undefined {
  return goUsageBlocker(chain, usage);
}

const EKU_NAMES: Record<string, string> = table({
  [OID.serverAuth]: 'serverAuth',
  [OID.clientAuth]: 'clientAuth',
  [OID.anyExtendedKeyUsage]: 'any',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
});

export function ekuNames(eku: string[] | undefined): string {
  if (!eku) return 'none';
  return eku.map((o) => EKU_NAMES[o] ?? o).join(', ') || 'none';
}

export function sanSummary(cert: CertificateInfo): string {
  const dns = cert.go.dnsNames.map((d) => `DNS:${d}`);
  const ips = cert.go.ipAddresses.map((ip) => `IP:${ipText(ip)}`);
  const all = [...dns, ...ips];
  if (!cert.go.hasSan) return `it has no subjectAltName at all${cert.commonName ? ` (only CN=${cert.commonName}, which Go ignores)` : ''}`;
  return all.length ? `its SANs are ${all.join(', ')}` : 'its subjectAltName holds no DNS names or IPs';
}

/** What each Go error means, as a code and words. */
function failureOf(error: GoError, leaf: CertificateInfo, options: Pick<VerifyOptions, 'presented' | 'roots' | 'host' | 'rootsDescription' | 'usage'> & Partial<VerifyOptions>): VerifyFailure {
  const cert = error.cert;
  const trust = options.rootsDescription ?? 'the CA file';
  const base = { goError: error.text, ...(cert ? { cert } : {}) };
  switch (error.kind) {
    case 'expired':
    case 'not-yet-valid': {
      const v = validityError(cert!, options.now!)!;
      return { ...v, message: cert === leaf ? v.message : `the chain of ${leaf.label} goes through ${v.message}`, goError: error.text };
    }
    case 'hostname': {
      const cnOnly = error.text.includes('legacy Common Name');
      return cnOnly
        ? { ...base, code: 'cn-only', message: `${leaf.label} names "${options.host}" only in its Common Name and has no subjectAltName extension. Go (the Go SDK, Collector exporters), Java's OkHttp sender and the Python HTTP exporter never use the CN and reject it; OpenSSL-based stacks (Node, Python gRPC, .NET, JDK HttpClient) still fall back to the CN` }
        : { ...base, code: 'san-mismatch', message: `"${options.host}" is not covered by ${leaf.label}: ${sanSummary(leaf)}` };
    }
    case 'unhandled-critical': {
      const oids = (cert!.go.unhandledCritical.length ? cert!.go.unhandledCritical : cert!.go.unhandledCritical123).join(', ');
      return { ...base, code: 'unhandled-critical-extension', message: `${cert!.label} has a critical extension Go does not handle (${oids}); Go refuses a certificate with an unhandled critical extension anywhere in the chain` };
    }
    case 'name-constraints':
      return { ...base, code: 'name-constraints', message: `the CA ${cert!.label} has name constraints that do not permit a name of the chain (${error.text.replace(/^x509: a root or intermediate certificate is not authorized to sign for this name: /, '')})` };
    case 'not-authorized-to-sign':
      return { ...base, code: 'not-a-ca', message: `the intermediate ${cert!.label} is not a CA (no basicConstraints CA:TRUE)` };
    case 'too-many-intermediates':
      return { ...base, code: 'not-a-ca', message: `${cert!.label} allows ${cert!.go.maxPathLen} intermediate(s) below it (pathLenConstraint), and the chain has more` };
    case 'incompatible-usage':
    case 'no-valid-chains': {
      if (error.text.includes('invalid policies') && !error.text.includes('incompatible key usage')) {
        return { ...base, code: 'unknown-authority', message: `every chain Go builds for ${leaf.label} has invalid certificate policies (policy constraints of a CA; Go 1.24+ validates them, Go 1.23 refuses such critical extensions instead)` };
      }
      const usage = options.usage;
      const blocker = goUsageBlocker(options.presented.concat(options.roots), usage) ?? leaf;
      const role = usage === 'serverAuth' ? 'server' : 'client';
      return {
        ...base,
        code: 'missing-eku',
        cert: blocker,
        message:
          blocker === leaf
            ? `${leaf.label} is used as a ${role} certificate but its extended key usage (${ekuNames(leaf.eku)}) lacks ${usage}`
            : `the CA ${blocker.label} limits the certificates it issues to ${ekuNames(blocker.eku)}, so ${leaf.label} cannot be used for ${usage} (Go nests EKUs down the chain)`,
      };
    }
    case 'signature-limit':
      return { ...base, code: 'unknown-authority', message: `Go gives up after 100 signature checks building the chain of ${leaf.label}: too many candidate issuers with the same name` };
    case 'constraint-violation':
      return { ...base, code: 'not-a-ca', message: `${cert!.label} issued ${leaf.label === cert!.label ? 'it' : 'a certificate of the chain'} but is not a CA (${cert!.go.basicConstraintsValid && cert!.go.isCa ? 'its KeyUsage lacks keyCertSign' : 'no basicConstraints CA:TRUE'}), so it cannot sign certificates` };
    case 'insecure-algorithm':
      return { ...base, code: 'weak-signature', message: `${cert!.label} is signed with ${cert!.go.signatureAlgorithm}, which Go refuses` };
    case 'rsa-key-too-small':
      return { ...base, code: 'weak-key', message: `${cert!.label} has a ${cert!.go.rsaBits}-bit RSA key, and Go 1.24+ refuses RSA keys under 1024 bits (Go 1.23 still verifies with it)` };
    case 'unsupported-algorithm':
    case 'key-mismatch-algorithm':
      return { ...base, code: 'unsupported-key', message: `Go cannot check the signature on ${leaf.label === cert?.label ? leaf.label : 'a certificate of the chain'} with ${cert!.label}'s ${cert!.go.publicKeyAlgorithm} key (${error.text})` };
    case 'bad-signature':
      return { ...base, code: 'unknown-authority', message: `${trust} holds ${cert!.label}, which has the name of the issuer but not its key (a regenerated CA, or a stale copy)` };
    case 'unknown-authority':
    default: {
      const hint = error.hint;
      if (hint) {
        const inner = failureOf(hint, error.cert ?? leaf, options);
        // A rejected candidate explains the failure better than "unknown authority" alone.
        return { ...inner, goError: error.text, message: inner.code === 'unknown-authority' ? inner.message.replace(/^the chain of .* goes through /, '') : `the candidate issuer ${hint.cert?.label ?? ''} is refused: ${inner.message}` };
      }
      return { ...base, code: 'unknown-authority', cert: error.cert ?? leaf, message: unknownAuthorityMessage(leaf, options, trust) };
    }
  }
}

function unknownAuthorityMessage(leaf: CertificateInfo, options: Pick<VerifyOptions, 'presented' | 'roots'>, trust: string): string {
  const { presented, roots } = options;
  if (roots.length === 0) return `${trust} holds no certificate, so ${leaf.label} cannot be verified`;
  let top = leaf;
  for (let guard = 0; guard < presented.length; guard++) {
    const parent = presented.find((c) => c.rawSubject === top.rawIssuer && c.fingerprint !== top.fingerprint);
    if (!parent) break;
    top = parent;
  }
  const cn = /(?:^|, )CN=([^,]*)/.exec(top.issuer)?.[1];
  const issuerName = cn !== undefined ? `CN=${cn}` : top.issuer;
  return top.selfIssued
    ? `${top.label} is a self-signed root that ${trust} does not contain`
    : `nothing in ${trust} or in the certificates sent with ${leaf.label} is its issuer ${issuerName}${top !== leaf ? ` (reached through ${top.label})` : ''}; if that is an intermediate, it must follow the leaf in the certificate file (Go fetches no intermediates)`;
}

/** What Go's crypto/tls does with the certificates a peer sends before Verify: parse every one, refuse RSA keys over 8192 bits. */
function tlsLayerFailures(presented: CertificateInfo[], usage: Usage, go: GoRelease, parses?: (cert: CertificateInfo) => boolean): VerifyFailure[] {
  const side = usage === 'serverAuth' ? 'server' : 'client';
  for (const cert of presented) {
    const error = (go === '1.23' && cert.go.parseError123 === null) || parses?.(cert) ? undefined : cert.go.parseError;
    if (error) {
      const prefix = usage === 'serverAuth' ? 'tls: failed to parse certificate from server: ' : 'tls: failed to parse client certificate: ';
      return [
        {
          code: 'malformed-certificate',
          cert,
          goError: prefix + error,
          message: `Go's crypto/x509 cannot parse ${cert.label}${cert === presented[0] ? '' : ` (sent after the leaf)`}: "${error}"${cert.go.parseError123 === null ? ' (Go 1.23 still parses it; Go 1.24+ does not)' : ''}. OpenSSL reads it, so Node and Python SDKs may not notice`,
        },
      ];
    }
    if (cert.go.publicKeyAlgorithm === 'RSA' && (cert.go.rsaBits ?? 0) > 8192) {
      return [{ code: 'weak-key', cert, goError: `tls: ${side} sent certificate containing RSA key larger than 8192 bits`, message: `${cert.label} has a ${cert.go.rsaBits}-bit RSA key; Go's TLS stack refuses keys over 8192 bits (GODEBUG tlsmaxrsasize)` }];
    }
  }
  const leaf = presented[0];
  const alg = leaf?.go.publicKeyAlgorithm;
  if (leaf && alg !== 'RSA' && alg !== 'ECDSA' && alg !== 'Ed25519') {
    const type = alg === 'DSA' ? '*dsa.PublicKey' : '<nil>';
    const goError = usage === 'serverAuth' ? `tls: server's certificate contains an unsupported type of public key: ${type}` : `tls: client certificate contains an unsupported public key of type ${type}`;
    return [{ code: 'unsupported-key', cert: leaf, goError, message: `${leaf.label} has a ${keyDescription(leaf.publicKey)} key, which Go's TLS stack does not support (only RSA, ECDSA P-256/P-384/P-521 and Ed25519)` }];
  }
  return [];
}

/** Go's roots: AppendCertsFromPEM keeps the CERTIFICATE blocks without headers that parse. */
export function goRootPool(roots: CertificateInfo[], go: GoRelease = '1.24+', parses?: (cert: CertificateInfo) => boolean): CertificateInfo[] {
  return roots.filter((r) => !r.pemHeaders && (r.go.parseError === undefined || (go === '1.23' && r.go.parseError123 === null) || parses?.(r) === true));
}

/** Verifies what a peer presents as Go would. */
export function verifyPeer(options: VerifyOptions): VerifyResult {
  const go = options.go ?? '1.24+';
  const leaf = options.presented[0];
  if (!leaf) return { failures: [] };
  const parses = options.variant?.parses;
  const layer = tlsLayerFailures(options.presented, options.usage, go, parses);
  if (layer.length && layer[0].code === 'malformed-certificate') return { failures: layer };
  const roots = goRootPool(options.roots, go, parses);
  const usage = options.variant?.ekuNesting === false ? 'any' : options.usage;
  const anyPssSalt = options.variant?.anyPssSalt;
  const out = goVerify({ leaf, intermediates: options.presented.slice(1), roots, now: options.now, usage, dnsName: options.host, go, anyPssSalt });
  const failures: VerifyFailure[] = [...layer];
  if (out.error) {
    failures.push(failureOf(out.error, leaf, { ...options, roots }));
    // Go returns at the first error; the host name and the chain are independent, so say both: a chain
    // error after a host name that passes, and the chain's error after the host name's (Go checks the
    // host name first, verify.go Verify), which is the next one the user would meet.
    if (out.error.kind !== 'hostname' && options.host !== undefined && out.error.cert !== leaf) {
      const again = goVerify({ leaf, intermediates: [], roots: [leaf], now: options.now, usage, dnsName: options.host, go });
      if (again.error?.kind === 'hostname') failures.push(failureOf(again.error, leaf, { ...options, roots }));
    }
    if (out.error.kind === 'hostname') {
      const chain = goVerify({ leaf, intermediates: options.presented.slice(1), roots, now: options.now, usage, go, anyPssSalt });
      if (chain.error) failures.push(failureOf(chain.error, leaf, { ...options, roots }));
    }
  }
  const result: VerifyResult = { failures, ...(out.chains[0] ? { chain: out.chains[0] } : {}) };
  if (go === '1.24+') {
    const old = verifyPeer({ ...options, go: '1.23' });
    const oldFails = old.failures.some((f) => f.code !== 'weak-key');
    if (oldFails !== failures.length > 0) result.go123 = oldFails ? `Go 1.23 refuses it: ${old.failures[0].goError}` : 'Go 1.23 accepts it';
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// One client against one server.

/** Where a finding belongs in the client's file, and which server setting it relates to. */
export type ClientAnchor = 'endpoint' | 'ca' | 'client-cert';
export type ServerAnchor = 'tls' | 'listener' | 'cert_file' | 'key_file' | 'client_ca_file' | 'max_version' | 'min_version' | 'cipher_suites' | 'curve_preferences';

export interface HandshakeFinding {
  code: DiagnosticCode;
  message: string;
  /** What the TLS map says of a step left unjudged, when not the whole message (its details, without what to do). */
  step?: string;
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
  minVersion?: string;
  maxVersion?: string;
  cipherSuites?: string[];
  curvePreferences?: string[];
  includeInsecureCipherSuites?: boolean;
  /** Why the receiver does not start (its cert_file, key_file or client_ca_file does not load as configtls loads them). */
  startupError?: { code: DiagnosticCode; message: string; setting: string };
}

/** The SDKs a named SDK id stands for, by TLS stack. */
export type SdkStack = 'go' | 'node' | 'python' | 'java' | 'dotnet';

export interface ClientEnd {
  /** For messages: the env variable or the exporter setting that decides TLS. */
  usesTls: boolean;
  /** Why the client uses TLS or not, for messages. */
  tlsReason: string;
  /** What turns it the other way, for messages ("use https://", "remove tls.insecure: true"); ../model/clientTls.ts. */
  tlsFix?: string;
  host: string;
  /** The trust file's certificates; 'system' when none is configured; undefined when it is configured but broken. */
  roots?: CertificateInfo[] | 'system';
  /** The trust file's certificates as Node reads them (up to the first block that does not parse), when that differs. */
  nodeRoots?: CertificateInfo[];
  /** The client certificate chain as Node reads it, when that differs from Go's reading (a byte order mark). */
  nodeCertificates?: CertificateInfo[];
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
  /** The named SDK's stack (undefined: not named; then Go decides and the others get warnings). */
  stack?: SdkStack;
  /** OTLP protocol (Python's gRPC exporter is grpcio, its HTTP exporter requests/urllib3). */
  protocol?: 'grpc' | 'http';
  /** A Collector exporter's own tls settings. */
  minVersion?: string;
  maxVersion?: string;
  cipherSuites?: string[];
  curvePreferences?: string[];
  runtime?: RuntimeTls;
  now: Date;
}

/** The stacks as a message's first sentence names them. */
const SHORT_LABEL: Record<SdkStack, string> = { go: 'Go', node: 'JS', python: 'Python', java: 'Java', dotnet: '.NET' };

const STACK_LABEL: Record<SdkStack, string> = { go: 'the Go SDK', node: 'the JS SDK (Node.js, OpenSSL)', python: 'the Python SDK (OpenSSL)', java: 'the Java SDK', dotnet: 'the .NET SDK' };

export function judgeHandshake(client: ClientEnd, server: ServerEnd, systemRootsFor: (presented: readonly CertificateInfo[]) => CertificateInfo[]): HandshakeFinding[] {
  if (server.tls && !client.usesTls) {
    return [
      {
        code: 'plaintext-endpoint',
        severity: 'error',
        anchor: 'endpoint',
        related: 'tls',
        message: `The receiver serves TLS, but this client sends plaintext: ${client.tlsFix ?? 'use https://'}. ${server.name} serves TLS; this client connects in plaintext (${client.tlsReason}), so the handshake never starts: ${plaintextToTlsSymptom(client.protocol)}.`,
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
        message: `The receiver serves plaintext, but this client uses TLS: ${client.tlsFix ?? 'use http://'}, or add tls: to the receiver. ${server.name} has no tls:; this client uses TLS (${client.tlsReason}), and fails with ${tlsToPlaintextSymptom(client.stack)}.`,
      },
    ];
  }
  if (!server.tls) return [];
  if (server.startupError) {
    const { code, message, setting } = server.startupError;
    return [{ code, severity: 'error', anchor: 'endpoint', related: setting === 'client_ca_file' ? 'client_ca_file' : setting === 'key_file' ? 'key_file' : 'cert_file', message: `The receiver does not start, so no client can connect: fix its ${setting}. ${server.name}: ${message}` }];
  }
  const leaf = server.certificates?.[0];
  if (leaf && leaf.go.parseError !== undefined) return [];

  const primary: SdkStack = client.stack ?? 'go';
  const others: SdkStack[] = client.stack || !client.sdk ? [] : ['node', 'python', 'java'];
  const findings: HandshakeFinding[] = [];
  const primaryFindings = stackFindings(primary, client, server, systemRootsFor);
  // A named SDK's verdict says whose it is after the first sentence, which stays what is wrong and what to do.
  for (const f of primaryFindings) findings.push({ ...f, severity: f.severity ?? 'error', message: primary === 'go' || f.code === 'plaintext-endpoint' ? f.message : afterFirstSentence(f.message, `${capitalize(STACK_LABEL[primary])}'s verdict.`) });
  const primaryCodes = new Set(primaryFindings.map((f) => f.code));
  const primaryFails = primaryFindings.some((f) => (f.severity ?? 'error') === 'error');
  // Where the other stacks fail and Go does not: one warning per code, naming every stack that fails.
  const differing = new Map<string, { finding: HandshakeFinding; stacks: SdkStack[] }>();
  for (const stack of primaryFails ? [] : others) {
    for (const f of stackFindings(stack, client, server, systemRootsFor)) {
      if ((f.severity ?? 'error') !== 'error' || primaryCodes.has(f.code)) continue;
      const entry = differing.get(f.code);
      if (entry) {
        if (!entry.stacks.includes(stack)) entry.stacks.push(stack);
      } else differing.set(f.code, { finding: f, stacks: [stack] });
    }
  }
  for (const { finding, stacks } of differing.values()) {
    const who = stacks.map((s) => STACK_LABEL[s]).join(' and ');
    const short = stacks.map((s) => SHORT_LABEL[s]).join(' and ');
    findings.push({
      ...finding,
      severity: 'warning',
      message: `${short} ${stacks.length === 1 ? 'fails' : 'fail'}, Go passes: ${lowerFirst(finding.message)} Go SDKs complete this handshake, but ${who} would not. Name the SDK (# otlp-tls: sdk=… in the env file, or otlpTls.sdk) for an exact verdict.`,
    });
  }
  return findings;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) && !/^(Go|Node|OpenSSL|Java|Python|JS)\b/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** `text` inserted after the first sentence of `message` (a ". " outside quotes and parentheses). */
function afterFirstSentence(message: string, text: string): string {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === '.' && message[i + 1] === ' ') return `${message.slice(0, i + 1)} ${text}${message.slice(i + 1)}`;
  }
  return `${message} ${text}`;
}

/** What a plaintext client sees from a TLS receiver, for the protocol it speaks (both when not known). */
function plaintextToTlsSymptom(protocol: 'grpc' | 'http' | undefined): string {
  const grpc = 'the gRPC client sees "error reading server preface: EOF"';
  const http = 'the Collector answers "400 Bad Request: Client sent an HTTP request to an HTTPS server"';
  return protocol === 'grpc' ? grpc : protocol === 'http' ? http : `over gRPC ${grpc}; over HTTP ${http}`;
}

/** What a TLS client's stack reports from a plaintext receiver: the named SDK's, else Go's and OpenSSL's. */
function tlsToPlaintextSymptom(stack: SdkStack | undefined): string {
  const go = '"tls: first record does not look like a TLS handshake" (Go)';
  const openssl = '"WRONG_VERSION_NUMBER" (OpenSSL)';
  if (stack === 'go') return go;
  if (stack === 'node' || stack === 'python') return openssl;
  if (stack === 'java') return '"Unsupported or unrecognized SSL message" (Java\'s JSSE)';
  if (stack) return 'a TLS handshake error';
  return `${go} / ${openssl}`;
}

/** The client's TLS stack settings for negotiation. */
function clientSide(stack: SdkStack, client: ClientEnd): ClientSide {
  const asVersion = (v?: string) => (v === '1.0' || v === '1.1' || v === '1.2' || v === '1.3' ? v : undefined);
  const runtime = client.runtime?.[stack];
  const s: ClientStack = stack === 'node' ? 'node' : stack === 'python' ? (client.protocol === 'grpc' ? 'grpcio' : 'python') : stack === 'java' ? 'java' : 'go';
  return {
    stack: s,
    minVersion: asVersion(client.minVersion) ?? runtime?.minVersion,
    maxVersion: asVersion(client.maxVersion) ?? runtime?.maxVersion,
    ...(client.cipherSuites?.length ? { cipherSuites: client.cipherSuites } : {}),
    ...(client.curvePreferences?.length ? { curves: client.curvePreferences } : {}),
    ...(runtime?.cipherList ? { opensslCipherList: runtime.cipherList } : {}),
  };
}

/**
 * Whether the stack reads PEM files as Node does: OpenSSL's PEM_read_bio_X509_AUX in a loop up to the first
 * CERTIFICATE block it cannot read, a leading byte order mark skipped. Node, and grpcio (the Python gRPC
 * exporter): gRPC core's x509_store_load_certs (grpc 1.51.1 ssl_transport_security.cc:754-821) for the CA file,
 * ssl_ctx_use_certificate_chain for the client certificate.
 */
function readsLikeNode(stack: SdkStack, client: ClientEnd): boolean {
  return stack === 'node' || (stack === 'python' && client.protocol === 'grpc');
}

function stackFindings(stack: SdkStack, client: ClientEnd, server: ServerEnd, systemRootsFor: (presented: readonly CertificateInfo[]) => CertificateInfo[]): HandshakeFinding[] {
  const findings: HandshakeFinding[] = [];
  const leaf = server.certificates?.[0];
  const label = STACK_LABEL[stack];

  // Negotiation: versions, suites, groups, the key's signature schemes.
  const asVersion = (v?: string) => (v === '1.0' || v === '1.1' || v === '1.2' || v === '1.3' ? v : undefined);
  const serverSide: ServerSide = {
    minVersion: asVersion(server.minVersion),
    maxVersion: asVersion(server.maxVersion),
    ...(server.cipherSuites?.length ? { cipherSuites: server.cipherSuites.filter((n) => !unknownCipherSuites([n], !!server.includeInsecureCipherSuites).length) } : {}),
    ...(server.curvePreferences?.length ? { curves: server.curvePreferences } : {}),
    ...(leaf ? { leaf } : {}),
  };
  const negotiated = negotiate(serverSide, clientSide(stack, client));
  if (!negotiated.ok) {
    const who = client.sdk ? label : 'this exporter';
    switch (negotiated.failure) {
      case 'version':
        findings.push({
          code: 'weak-tls-version',
          anchor: 'endpoint',
          related: server.maxVersion ? 'max_version' : 'min_version',
          message: `The receiver and this client share no TLS version: allow TLS 1.2 or 1.3 on both. ${server.name} and ${who}: ${negotiated.detail}. The Collector logs "${negotiated.serverError}"; the client sees "${negotiated.clientError}".`,
        });
        break;
      case 'cipher':
        findings.push({
          code: 'no-shared-cipher',
          anchor: 'endpoint',
          related: 'cipher_suites',
          message: `No cipher suite works between the receiver and this client: allow TLS 1.3, or list one for its key. ${server.name} negotiates TLS ${negotiated.version} with ${who}: ${negotiated.detail}. The Collector logs "${negotiated.serverError}". TLS 1.3 suites are not configurable.`,
        });
        break;
      case 'curve':
        findings.push({ code: 'no-shared-curve', anchor: 'endpoint', related: 'curve_preferences', message: `The receiver and this client share no key exchange group: add a common one to curve_preferences. ${server.name} and ${who}: ${negotiated.detail}. The Collector logs "${negotiated.serverError}".` });
        break;
      case 'key':
        findings.push({ code: 'unsupported-key', anchor: 'endpoint', related: 'cert_file', message: `The receiver's key cannot sign this TLS ${negotiated.version} handshake: reissue its certificate with a supported key. ${server.name}: "${negotiated.serverError}".` });
        break;
      default:
        break;
    }
    return findings;
  }

  // The server certificate, verified by the client.
  const runtime = client.runtime?.[stack];
  const verifyOff = client.skipVerify || runtime?.verifyOff;
  const clientRoots = readsLikeNode(stack, client) && client.roots === undefined && client.nodeRoots ? client.nodeRoots : client.roots;
  if (server.certificates && !verifyOff && clientRoots !== undefined) {
    const system = clientRoots === 'system';
    const presented = server.certificates;
    // No CA configured: the system roots, as the runtime's environment makes them (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, …).
    const fromRuntime = system && (runtime?.replaceRoots || runtime?.extraRoots);
    const roots = system ? runtime?.replaceRoots ?? [...systemRootsFor(presented), ...(runtime?.extraRoots ?? [])] : readsLikeNode(stack, client) && client.nodeRoots ? client.nodeRoots : (client.roots as CertificateInfo[]);
    const rootsDescription = fromRuntime ? runtime!.rootsSetting! : system ? `the system roots (${client.rootsSetting} is not set)` : client.rootsSetting;
    const trustAnchor = (f: { code: string; cert?: CertificateInfo }) => ['unknown-authority', 'not-a-ca', 'weak-signature', 'name-constraints'].includes(f.code) || ((f.code === 'cert-expired' || f.code === 'cert-not-yet-valid') && f.cert !== presented[0]);
    if (stack === 'java') {
      for (const f of javaServerFindings(presented, roots, rootsDescription, client, server, negotiated.version, negotiated.keyExchange)) {
        findings.push({ ...f, anchor: trustAnchor(f) && !system ? 'ca' : f.anchor });
      }
    } else if (stack === 'go' || stack === 'dotnet') {
      const result = verifyPeer({ presented, roots, now: client.now, usage: 'serverAuth', host: client.host, rootsDescription });
      for (const failure of result.failures) {
        findings.push({
          code: failure.code,
          anchor: trustAnchor(failure) && !system ? 'ca' : 'endpoint',
          related: 'cert_file',
          message: `${serverFirst(failure.code, client)} ${server.name}: ${failure.message}. ${goSays(failure)}${result.go123 ? ` (${result.go123}.)` : ''}${failure.code === 'san-mismatch' && client.sdk ? ' SDKs have no server-name override.' : ''}`,
        });
      }
      if (result.failures.length === 0 && result.go123) {
        findings.push({ code: 'unhandled-critical-extension', severity: 'information', anchor: 'endpoint', related: 'cert_file', message: `Go 1.23 and older refuse the server certificate (the newest Go accepts it): reissue it. ${server.name}: ${result.go123}; Collectors and Go SDKs built with Go 1.23 or older fail.` });
      }
    } else {
      for (const f of opensslServerFindings(stack, presented, roots, rootsDescription, client, server, negotiated.version)) {
        findings.push({ ...f, anchor: trustAnchor(f) && !system ? 'ca' : f.anchor });
      }
    }
  }

  // The client certificate, verified by the Collector (Go, RequireAndVerifyClientCert).
  const clientCertificates = readsLikeNode(stack, client) && client.nodeCertificates ? client.nodeCertificates : client.certificates;
  // Python (both exporters) at OpenSSL security level 2 refuses to use a client chain with an RSA key under 2048
  // bits: ssl_security_cert when the certificate is loaded (load_cert_chain; grpc's ssl_ctx_use_certificate_chain)
  // or sent (ssl_add_cert_chain), mTLS or not.
  const weakClient = stack === 'python' && Array.isArray(clientCertificates) ? clientCertificates.find((c) => (c.publicKey.type === 'rsa' || c.publicKey.type === 'rsa-pss') && c.publicKey.bits !== undefined && c.publicKey.bits < 2048) : undefined;
  if (weakClient) {
    const leafWeak = weakClient === (clientCertificates as CertificateInfo[])[0];
    const error = client.protocol === 'grpc' ? (leafWeak ? 'Invalid cert chain file. … Handshaker factory creation failed with TSI_INVALID_ARGUMENT' : 'Ssl handshake failed: SSL_ERROR_SSL: … ca key too small') : leafWeak ? '[SSL: EE_KEY_TOO_SMALL] ee key too small' : '[SSL: CA_KEY_TOO_SMALL] ca key too small';
    findings.push({
      code: 'weak-key',
      anchor: 'client-cert',
      related: 'tls',
      message: `The client certificate's RSA key is too short for Python: use RSA 2048+. ${weakClient.label} in ${client.clientCertSetting} has a ${weakClient.publicKey.bits}-bit RSA key; Python's OpenSSL runs at security level 2 (112-bit keys: RSA 2048), so it refuses to use it: "${error}" (Go accepts RSA keys of 1024 bits).`,
    });
  }
  if (server.requiresClientCert) {
    if (clientCertificates === 'none') {
      findings.push({
        code: 'missing-client-cert',
        anchor: 'endpoint',
        related: 'client_ca_file',
        message: `The receiver requires a client certificate, which this client lacks: set one and its key. ${server.name} requires one (client_ca_file ⇒ RequireAndVerifyClientCert), but this client presents none (${client.clientCertSetting}). The Collector logs "tls: client didn't provide a certificate"; the client sees "certificate required" / "bad certificate".`,
      });
    } else if (clientCertificates && server.clientCas) {
      const presented = clientCertificates;
      const goClient = stack === 'go' && client.sdk;
      const goSendsNothing = goClient && !acceptedIssuer(presented, goRootPool(server.clientCas));
      const result = verifyPeer({ presented, roots: server.clientCas, now: client.now, usage: 'clientAuth', rootsDescription: 'client_ca_file' });
      for (const failure of result.failures) {
        findings.push({
          code: failure.code,
          anchor: 'client-cert',
          related: 'client_ca_file',
          message:
            `${clientFirst(failure)} ${server.name}: ${failure.message}. The Collector logs "${failure.code === 'malformed-certificate' ? failure.goError : `tls: failed to verify certificate: ${failure.goError}`}"; the client sees "bad certificate".` +
            (goSendsNothing
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
 * step). It skips a step when something it needs is not there: a file that did not load (not set,
 * not found, not a certificate, a value not known here), a server certificate Go cannot parse. The
 * per-file checks report the file, and the TLS map shows the link as not judged rather than fine.
 * The conditions are those of judgeHandshake and stackFindings above, for the primary stack.
 */
export function unjudgedSteps(client: ClientEnd, server: ServerEnd): string[] {
  if (!server.tls || !client.usesTls || server.startupError) return [];
  const leaf = server.certificates?.[0];
  if (leaf && leaf.go.parseError !== undefined) return [`the server certificate of ${server.name} does not parse as Go parses it, so the handshake is not judged (the certificate's own diagnostic says why)`];
  const stack: SdkStack = client.stack ?? 'go';
  const steps: string[] = [];
  const verifyOff = client.skipVerify || client.runtime?.[stack]?.verifyOff;
  const roots = readsLikeNode(stack, client) && client.roots === undefined && client.nodeRoots ? client.nodeRoots : client.roots;
  if (!verifyOff) {
    if (!server.certificates) steps.push(`the server certificate of ${server.name} did not load (cert_file is not set, not found, not known here or holds no certificate), so its verification is not judged`);
    else if (roots === undefined) steps.push(`${client.rootsSetting} did not load, so the verification of the server certificate is not judged`);
  }
  const certificates = readsLikeNode(stack, client) && client.nodeCertificates ? client.nodeCertificates : client.certificates;
  if (server.requiresClientCert && certificates !== 'none') {
    if (certificates === undefined) steps.push(`the client certificate (${client.clientCertSetting}) did not load, so ${server.name}'s verification of it is not judged`);
    else if (!server.clientCas) steps.push(`client_ca_file of ${server.name} did not load (or is not known here), so its verification of the client certificate is not judged`);
  }
  return steps;
}

/**
 * The JDK reads a certificate Go's parser refuses only for a negative serial number, a UTCTime with a
 * `+hhmm` offset or a SAN IP address of another length (observed with JDK 17, test/integration/
 * handshakeAgreementSdks.test.ts; ./goParse.ts jdkReads); any other parse error stays Go's verdict.
 */
const JDK_PARSES = (cert: CertificateInfo) => cert.go.jdkReads === true;

/** Server-Gated-Crypto OIDs EndEntityChecker still takes for serverAuth (Microsoft, Netscape). */
const SGC_EKUS = ['1.3.6.1.4.1.311.10.3.3', '2.16.840.1.113730.4.1'];

/**
 * The server certificate as the Java SDK verifies it (docs/tls-rules.md §8): the trust manager of
 * TlsUtil (JSSE's PKIX validator: chains built like Go's, any certificate of the CA file an anchor,
 * no EKU checked on CAs), then EndEntityChecker.checkTLSServer on the leaf (keyUsage for the key
 * exchange, extendedKeyUsage serverAuth, anyExtendedKeyUsage or SGC), then OkHttp's
 * OkHostnameVerifier on the endpoint host (./hostname.ts okHttpCheckHost).
 */
function javaServerFindings(presented: CertificateInfo[], roots: CertificateInfo[], rootsDescription: string, client: ClientEnd, server: ServerEnd, version: TlsVersion | undefined, keyExchange: 'ecdhe' | 'rsa' | undefined): HandshakeFinding[] {
  const findings: HandshakeFinding[] = [];
  const leaf = presented[0];
  const result = verifyPeer({ presented, roots, now: client.now, usage: 'serverAuth', rootsDescription, variant: { parses: JDK_PARSES, ekuNesting: false, anyPssSalt: true } });
  for (const failure of result.failures) {
    findings.push({ code: failure.code, anchor: 'endpoint', related: 'cert_file', message: `${serverFirst(failure.code, client)} ${server.name}: ${failure.message}. Go: "${failure.goError}"; the JDK's PKIX validator refuses it as well.` });
  }
  if (result.failures.length === 0) {
    // EndEntityChecker.checkTLSServer: the key usage the key exchange needs (TLS 1.3's authType is UNKNOWN, a signature).
    const ku = opensslKeyUsageBits(leaf);
    const encipher = version !== '1.3' && keyExchange === 'rsa';
    const needed = encipher ? OPENSSL_KU.keyEncipherment : OPENSSL_KU.digitalSignature;
    if (ku !== undefined && (ku & needed) === 0) {
      const text = encipher ? 'KeyUsage does not allow key encipherment' : 'KeyUsage does not allow digital signatures';
      findings.push({
        code: 'key-usage',
        anchor: 'endpoint',
        related: 'cert_file',
        message: `The server certificate's keyUsage lacks ${encipher ? 'keyEncipherment' : 'digitalSignature'}: add it. ${server.name}: ${leaf.label} is checked by JSSE's EndEntityChecker for a TLS ${version ?? ''} server ${encipher ? '(RSA key exchange)' : '(a signature)'}: "java.security.cert.CertificateException: ${text}" (Go ignores keyUsage).`,
      });
    }
    const eku = leaf.eku;
    if (eku && !eku.includes(OID.serverAuth) && !eku.includes(OID.anyExtendedKeyUsage) && !eku.some((o) => SGC_EKUS.includes(o))) {
      findings.push({
        code: 'missing-eku',
        anchor: 'endpoint',
        related: 'cert_file',
        message: `The server certificate lacks the serverAuth extended key usage: add it. ${server.name}: ${leaf.label}'s extended key usage is ${ekuNames(eku)}: "Extended key usage does not permit use for TLS server authentication" (JSSE's EndEntityChecker).`,
      });
    }
  }
  // OkHttp checks the host name after the handshake, on the leaf alone.
  const host = okHttpCheckHost(leaf, client.host);
  if (!host.ok) {
    const cnOnly = !leaf.hasSanExtension && leaf.commonName !== undefined && leaf.commonName.toLowerCase() === client.host.toLowerCase().replace(/\.$/, '');
    findings.push(
      cnOnly
        ? { code: 'cn-only', anchor: 'endpoint', related: 'cert_file', message: `The host name is only in the Common Name, which Java never uses: add a DNS SAN. ${server.name}: ${leaf.label} has no subjectAltName, and DNS:${client.host} belongs in it; OkHttp's OkHostnameVerifier matches SANs only: "${host.error}".` }
        : { code: 'san-mismatch', anchor: 'endpoint', related: 'cert_file', message: `The host is not in the server certificate: add DNS:${client.host.replace(/\.$/, '')} to it. ${server.name}: "${client.host}" is not covered by ${leaf.label} by OkHttp's rules (${sanSummary(leaf)}): "${host.error}".` },
    );
  }
  return findings;
}

/** The server certificate as an OpenSSL-based SDK verifies it: chain, purpose, host name, SNI. */
function opensslServerFindings(stack: SdkStack, presented: CertificateInfo[], roots: CertificateInfo[], rootsDescription: string, client: ClientEnd, server: ServerEnd, version: TlsVersion | undefined): HandshakeFinding[] {
  const findings: HandshakeFinding[] = [];
  const leaf = presented[0];
  // gRPC core sets X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_TRUSTED_FIRST on the store of the root certificates
  // it is given (grpc 1.51.1 ssl_transport_security.cc:823-833, ssl_ctx_load_verification_certs), not on its
  // default roots' store: with OTEL_EXPORTER_OTLP_CERTIFICATE, any certificate of the file is an anchor.
  const partialChain = stack === 'python' && client.protocol === 'grpc' && client.roots !== 'system';
  // Security level 2 for Python: its ssl module's default cipher string (@SECLEVEL=2) and grpcio on Debian's libssl3,
  // whose built-in default is level 2 (observed: a 1024-bit RSA key fails both, "EE certificate key too weak").
  const chain = opensslVerify({ leaf, intermediates: presented.slice(1), roots, now: client.now, usage: 'serverAuth', partialChain, securityLevel: stack === 'python' ? 2 : 1 });
  if (!chain.ok) {
    const code = chain.code === 'INVALID_PURPOSE' && chain.reason === 'ku' ? 'key-usage' : opensslCode(chain.code!);
    const first = code === 'key-usage' ? "OpenSSL refuses the server certificate's keyUsage for TLS: add digitalSignature to it." : serverFirst(code, client);
    findings.push({
      code,
      anchor: 'endpoint',
      related: 'cert_file',
      message: `${first} Verifying the server certificate of ${server.name} against ${rootsDescription} fails: "${chain.error}"${chain.cert ? ` (at ${chain.cert.label})` : ''}.${opensslHint(chain.code!, chain.cert, leaf)}${stack === 'python' && client.protocol !== 'grpc' && chain.code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ? " (Python 3.13's ssl.create_default_context sets VERIFY_X509_PARTIAL_CHAIN and accepts such an anchor.)" : ''}`,
    });
  }
  // ssl_check_srvr_ecc_cert_and_alg: an ECDSA suite (TLS 1.2 and below) needs digitalSignature when keyUsage is present.
  const ku = opensslKeyUsageBits(leaf);
  if (version !== '1.3' && (leaf.go.publicKeyAlgorithm === 'ECDSA' || leaf.go.publicKeyAlgorithm === 'Ed25519') && ku !== undefined && (ku & OPENSSL_KU.digitalSignature) === 0 && chain.ok) {
    findings.push({
      code: 'key-usage',
      anchor: 'endpoint',
      related: 'cert_file',
      message: `OpenSSL refuses this ECDSA server certificate at TLS ${version}: add digitalSignature to its keyUsage. ${leaf.label} is refused for an ECDSA cipher suite at TLS ${version}: its keyUsage lacks digitalSignature ("ERR_SSL_ECC_CERT_NOT_FOR_SIGNING ecc cert not for signing"; Go ignores keyUsage). Allowing TLS 1.3 avoids it too.`,
    });
  }
  const host = client.host;
  const check = stack === 'node' ? nodeCheckHost(leaf, host) : opensslCheckHost(leaf, host, (client.protocol === 'grpc' ? 'grpcio' : 'python-urllib3') as Exclude<HostRules, 'node'>);
  if (!check.ok) {
    findings.push({ code: 'san-mismatch', anchor: 'endpoint', related: 'cert_file', message: `the host name "${host}" does not match ${leaf.label} by its rules (${sanSummary(leaf)}): "${check.error}".` });
  }
  // Node sends servername as given (not for an IP); gRPC core sets the target's host as SNI whatever it is
  // (grpc 1.51.1 ssl_transport_security.cc:1724-1730, create_tsi_ssl_handshaker).
  const grpcio = stack === 'python' && client.protocol === 'grpc';
  if ((stack === 'node' || grpcio) && /\.$/.test(host) && (grpcio || !/^[\d.]+$/.test(host.slice(0, -1)))) {
    const who = grpcio ? 'gRPC core (grpcio, the Python gRPC exporter)' : 'Node';
    const sees = grpcio ? '"Ssl handshake failed: SSL_ERROR_SSL: … sslv3 alert unexpected message"' : '"ERR_SSL_SSLV3_ALERT_UNEXPECTED_MESSAGE"';
    findings.push({
      code: 'invalid-sni',
      anchor: 'endpoint',
      related: 'tls',
      message: `The host's trailing dot is refused in SNI by the Collector: drop it. The endpoint host "${host}" ends with a dot, and ${who} sends it as is in the TLS server_name (SNI) extension, which Go's crypto/tls refuses ("An SNI value may not include a trailing dot"): the Collector fails the handshake with "tls: unexpected message" and ${grpcio ? 'grpcio' : 'Node'} sees ${sees}. Go SDKs strip the dot.`,
    });
  }
  return findings;
}

function opensslCode(code: string): DiagnosticCode {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'cert-expired';
    case 'CERT_NOT_YET_VALID':
      return 'cert-not-yet-valid';
    case 'INVALID_PURPOSE':
      return 'missing-eku';
    case 'INVALID_CA':
    case 'PATH_LENGTH_EXCEEDED':
      return 'not-a-ca';
    case 'CA_MD_TOO_WEAK':
      return 'weak-signature';
    case 'EE_KEY_TOO_SMALL':
    case 'CA_KEY_TOO_SMALL':
      return 'weak-key';
    case 'UNHANDLED_CRITICAL_EXTENSION':
      return 'unhandled-critical-extension';
    case 'PERMITTED_VIOLATION':
    case 'EXCLUDED_VIOLATION':
      return 'name-constraints';
    case 'KEYUSAGE_NO_CERTSIGN':
      return 'not-a-ca';
    case 'ERROR_IN_CERT_NOT_BEFORE_FIELD':
    case 'ERROR_IN_CERT_NOT_AFTER_FIELD':
      return 'malformed-certificate';
    default:
      return 'unknown-authority';
  }
}

function opensslHint(code: string, cert: CertificateInfo | undefined, leaf: CertificateInfo): string {
  switch (code) {
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return ' OpenSSL needs the chain to end in a self-signed root of the CA file (Go accepts any certificate of the CA file as the anchor): put the root CA in the file.';
    case 'ERROR_IN_CERT_NOT_BEFORE_FIELD':
    case 'ERROR_IN_CERT_NOT_AFTER_FIELD':
      return ' OpenSSL accepts only YYMMDDHHMMSSZ (UTCTime) and YYYYMMDDHHMMSSZ (GeneralizedTime) validity times; Go also reads other forms.';
    case 'INVALID_PURPOSE':
      return cert && cert.go.extKeyUsage.includes(OID.anyExtendedKeyUsage) && !cert.go.extKeyUsage.includes(OID.serverAuth)
        ? ` OpenSSL does not count anyExtendedKeyUsage as serverAuth (Go does): list serverAuth in ${cert.label}'s extendedKeyUsage.`
        : cert === leaf && cert.go.hasKeyUsage
          ? ` OpenSSL checks keyUsage, which Go ignores: a TLS server certificate needs digitalSignature (and keyEncipherment for RSA).`
          : ` OpenSSL checks extendedKeyUsage on every certificate of the chain.`;
    default:
      return '';
  }
}

/** Whether a Go client with tls.Config.Certificates sends `chain`: some certificate's issuer is an acceptable CA (crypto/tls SupportsCertificate). */
function acceptedIssuer(chain: readonly CertificateInfo[], clientCas: readonly CertificateInfo[]): boolean {
  return chain.some((c) => clientCas.some((ca) => ca.rawSubject === c.rawIssuer));
}

function goSays(failure: VerifyFailure): string {
  return failure.code === 'malformed-certificate' || failure.goError.startsWith('tls: ') ? `Go: "${failure.goError}".` : `Go: "tls: failed to verify certificate: ${failure.goError}".`;
}

/**
 * The first sentence of a server certificate's verification failure: what is wrong and what to do, for
 * the value the fix writes (an IP host needs an IP SAN; an SDK has no server-name override, a Collector
 * exporter has server_name_override).
 */
function serverFirst(code: VerifyFailureCode, client: ClientEnd): string {
  switch (code) {
    case 'san-mismatch': {
      const san = isIpHost(client.host) ? `IP:${bareHost(client.host)}` : `DNS:${client.host}`;
      // Which names it holds comes in the details (failure.message), and for an SDK that it has no server-name override.
      return client.sdk
        ? `The host is not in the server certificate: add ${san} to it, or connect to a name it holds.`
        : `The host is not in the server certificate: add ${san}, or set server_name_override.`;
    }
    case 'cn-only':
      return 'The server certificate has the host only in its CN, which Go ignores: reissue it with a SAN.';
    case 'unknown-authority':
      return client.roots === 'system'
        ? 'The server certificate\'s issuer is not a system root: set a CA file that holds its CA.'
        : 'The server certificate\'s issuer is not in the trusted CA file: put its CA there.';
    case 'cert-expired':
      return 'The server certificate (or a CA of its chain) has expired: renew it.';
    case 'cert-not-yet-valid':
      return 'The server certificate (or a CA of its chain) is not valid yet: check the clocks, or reissue it.';
    case 'missing-eku':
      return 'The server certificate lacks the serverAuth extended key usage: reissue it with serverAuth.';
    case 'not-a-ca':
      return 'A CA of the server certificate\'s chain is not marked CA:TRUE: reissue it as a CA.';
    case 'weak-signature':
      return 'The server certificate\'s chain uses SHA-1 or MD5, which Go refuses: reissue it with SHA-256.';
    case 'weak-key':
      return 'The server chain\'s key is too weak for this client: use RSA 2048+ or ECDSA.';
    case 'name-constraints':
      return 'A CA\'s name constraints forbid a name of the server certificate: reissue it within them.';
    case 'unhandled-critical-extension':
      return 'The server certificate has a critical extension the client does not handle: reissue it without.';
    case 'malformed-certificate':
      return 'Go cannot parse the server certificate: reissue it.';
    default:
      return 'The server certificate fails verification: reissue it, or trust its CA.';
  }
}

/** The first sentence of a client certificate the Collector rejects. */
function clientFirst(failure: VerifyFailure): string {
  switch (failure.code) {
    case 'missing-eku':
      return 'The receiver rejects this client certificate, which lacks clientAuth: reissue it with clientAuth.';
    case 'unknown-authority':
      return 'The receiver rejects this client certificate: its CA is not in the receiver\'s client_ca_file.';
    case 'cert-expired':
      return 'The receiver rejects this client certificate, which has expired: renew it.';
    case 'cert-not-yet-valid':
      return 'The receiver rejects this client certificate, which is not valid yet: check the clocks, or reissue it.';
    default:
      return `The receiver rejects this client certificate (${failure.code}): reissue it.`;
  }
}

/** Whether a host is an IP address as Go parses one (an IPv6 one possibly in brackets): it needs an IP SAN. */
function isIpHost(host: string): boolean {
  return parseIp(bareHost(host)) !== undefined;
}

function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export { goCertName };

/**
 * The one registry of diagnostic codes. The ids are a stable contract (CLI JSON and SARIF
 * output, quick fixes, other tools): add new ones, never rename.
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CodeInfo {
  /** The severity a check uses unless it has a reason to say otherwise. */
  severity: Severity;
  /** One sentence, used for SARIF rule descriptions and the README table. */
  description: string;
  /**
   * Set on the security rules (a setting that weakens confidentiality or authentication, as opposed to
   * one that makes the handshake fail): SARIF's `security-severity` (0.0 to 10.0, the CVSS 3.1 base score
   * of the vector named in docs/diagnostics.md) and the CWE it is an instance of. Code scanning shows
   * these rules as security alerts, with the score's level (low, medium, high, critical).
   */
  security?: { score: number; cwe: number };
}

/** The `source` of every diagnostic this product emits. */
export const SOURCE = 'otlp-tls';

/** Where each code is explained; `#<code>` is appended. */
export const DOCS_URL = 'https://github.com/otlp-tls-lens/otlp-tls-lens/blob/main/docs/diagnostics.md';

export const diagnosticCodes = {
  // Collector YAML (core issue)
  'yaml-syntax': { severity: 'error', description: 'The file is not valid YAML.' },
  'unknown-key': { severity: 'error', description: 'A key that this tls: block (or env file, or .otlp-tls.yaml) does not accept.' },
  'invalid-value': { severity: 'error', description: 'A value of the wrong type or outside the allowed set.' },
  'tls-conflict': { severity: 'error', description: 'Settings that the Collector rejects together, or that are missing a partner.' },
  'insecure-skip-verify': { severity: 'warning', description: 'The client does not verify the server certificate.', security: { score: 7.4, cwe: 295 } },
  'weak-tls-version': { severity: 'warning', description: 'A TLS version below 1.2 is allowed, or the versions cannot meet.', security: { score: 5.9, cwe: 326 } },
  'mtls-not-enforced': { severity: 'information', description: 'A TLS server that does not ask clients for a certificate.', security: { score: 4.3, cwe: 306 } },
  'plaintext-endpoint': { severity: 'warning', description: 'The endpoint scheme and the TLS settings disagree about plaintext.', security: { score: 5.9, cwe: 319 } },
  'tls-ignored': { severity: 'warning', description: 'TLS settings that have no effect where they are.', security: { score: 4.8, cwe: 319 } },
  'unresolved-substitution': { severity: 'information', description: 'A value that cannot be known here (${env:VAR}, a Kubernetes valueFrom, envFrom or $(VAR)), so the check is skipped.' },
  'file-too-large': { severity: 'warning', description: 'The document is too large to check.' },
  'invalid-encoding': { severity: 'warning', description: 'The document is not valid UTF-8; undecodable bytes were replaced before checking.' },
  'limit-exceeded': { severity: 'warning', description: 'A part of the document or file past a bound on the work of checking it (nesting depth, YAML nodes, aliases and merge keys, substitutions, PEM blocks) is not checked.' },
  'too-many-problems': { severity: 'information', description: 'A file with more problems than are listed per file (500): how many more were found, of which codes, and how to list them all.' },

  // SDK env files (consistency issue)
  'unknown-variable': { severity: 'warning', description: 'An OTEL_EXPORTER_OTLP_* name that no SDK reads (a typo).' },
  'deprecated-variable': { severity: 'warning', description: 'A variable name that SDKs no longer read or will stop reading.' },
  'port-protocol-mismatch': { severity: 'warning', description: 'The endpoint port is the other OTLP protocol\'s port (4317 gRPC, 4318 HTTP).' },
  'env-ignored': { severity: 'information', description: 'OTEL_* settings the SDK ignores because OTEL_CONFIG_FILE names a declarative configuration file.' },

  // Certificate files and cross-file handshake (certificates issue)
  'file-not-found': { severity: 'error', description: 'A certificate, key or env file (compose env_file) named in a config does not exist.' },
  'file-unreadable': { severity: 'error', description: 'A certificate, key or config file that is a directory, FIFO or device, or that cannot be read.' },
  'not-a-certificate': { severity: 'error', description: 'A file that must hold PEM certificates does not (DER, a key, garbage, a byte order mark).' },
  'not-a-private-key': { severity: 'error', description: 'A file that must hold a PEM private key does not.' },
  'encrypted-key': { severity: 'error', description: 'A passphrase-protected private key, which neither the Collector nor the SDKs can load.' },
  'key-mismatch': { severity: 'error', description: 'The private key does not belong to the (first) certificate of its pair.' },
  'incomplete-pair': { severity: 'warning', description: 'A client certificate without its key, or a key without its certificate.' },
  'cert-expired': { severity: 'error', description: 'A certificate whose notAfter has passed.' },
  'cert-not-yet-valid': { severity: 'error', description: 'A certificate whose notBefore is in the future.' },
  'cert-expiring-soon': { severity: 'warning', description: 'A certificate that expires within otlpTls.expiryWarningDays.' },
  'not-a-ca': { severity: 'warning', description: 'A certificate used as a CA or an issuer that lacks basicConstraints CA:TRUE.' },
  'unknown-authority': { severity: 'error', description: 'The trusted CA does not verify the peer\'s certificate chain.' },
  'missing-eku': { severity: 'error', description: 'A certificate whose extended key usage lacks serverAuth (server) or clientAuth (client).' },
  'weak-key': { severity: 'warning', description: 'An RSA key under 2048 bits (or otherwise refused by current TLS stacks).', security: { score: 5.9, cwe: 326 } },
  'weak-signature': { severity: 'error', description: 'A certificate signed with SHA-1 or MD5, which Go and OpenSSL 3 refuse.', security: { score: 4.8, cwe: 327 } },
  'cn-only': { severity: 'error', description: 'The host name is only in the Common Name; Go never uses the CN.' },
  'key-permissions': { severity: 'warning', description: 'A private key file readable by its group or by others.', security: { score: 5.5, cwe: 732 } },
  'san-mismatch': { severity: 'error', description: 'The endpoint host is not in the server certificate\'s subjectAltNames (Go\'s rules).' },
  'missing-client-cert': { severity: 'error', description: 'The receiver requires a client certificate (client_ca_file) and the client presents none.' },
  'key-format': { severity: 'warning', description: 'A private key in a PEM form an SDK cannot load (Java takes PKCS#8 only).' },

  // Go's certificate and handshake rules, and where OpenSSL-based SDKs differ (issue 12)
  'malformed-certificate': { severity: 'error', description: 'A certificate Go\'s crypto/x509 refuses to parse (negative serial, duplicate extension, malformed SAN or time…), though OpenSSL may read it.' },
  'unhandled-critical-extension': { severity: 'error', description: 'A certificate of the chain has a critical extension the verifier does not handle.' },
  'name-constraints': { severity: 'error', description: 'A CA\'s name constraints do not permit a name of the chain.' },
  'unsupported-key': { severity: 'error', description: 'A key type, curve, size or PEM form the TLS stack cannot use for this handshake.' },
  'no-shared-cipher': { severity: 'error', description: 'At TLS 1.2 and below, no cipher suite both ends allow works with the server key.' },
  'no-shared-curve': { severity: 'error', description: 'The two ends share no key exchange group (curve_preferences).' },
  'key-usage': { severity: 'warning', description: 'A keyUsage that OpenSSL-based SDKs refuse for this use, though Go ignores keyUsage.' },
  'invalid-sni': { severity: 'warning', description: 'An endpoint host with a trailing dot, which OpenSSL-based SDKs send as SNI and the Collector refuses.' },
  'runtime-tls-override': { severity: 'warning', description: 'A TLS setting of the SDK\'s runtime (NODE_OPTIONS, NODE_TLS_REJECT_UNAUTHORIZED, SSL_CERT_FILE, …) that changes the handshake.' },
  'no-listener': { severity: 'information', description: 'An endpoint that pairs with no receiver listener of the workspace, so its handshake is not judged.' },

  // Suppressions (# otlp-tls-ignore: comments, project/suppressions.ts)
  'unused-suppression': { severity: 'warning', description: 'An otlp-tls-ignore comment that suppresses nothing on its line (or names no known code).' },
  'suppression-without-reason': { severity: 'warning', description: 'An otlp-tls-ignore comment that suppresses a finding but gives no reason.' },

  // Deployment surfaces (Kubernetes manifests, operator resources, Helm values)
  'container-path': { severity: 'information', description: 'A file path inside a container that is not on this machine and no path mapping covers, so what it names is not checked.' },
  'injection-not-judged': { severity: 'information', description: 'A pod the OpenTelemetry Operator instruments (an inject annotation) whose injected exporter settings are not known here (the Instrumentation is not in the workspace), so its handshake is not judged.' },
  'injection-rejected': { severity: 'warning', description: 'Inject annotations the OpenTelemetry Operator refuses (two Instrumentations to choose from, languages without container names), so the pod runs uninstrumented.' },

  // Kubernetes certificate plumbing: cert-manager, Secrets, rotation (issue 11)
  'certificate-spec-rejected': { severity: 'error', description: 'A cert-manager Certificate that cert-manager\'s admission webhook rejects (its message), so no certificate is issued.' },
  'issuer-not-in-workspace': { severity: 'information', description: 'A certificate comes from a cert-manager issuer whose CA is not in the workspace, so whether a trust file holds that CA cannot be judged.' },
  'reload-not-configured': { severity: 'warning', description: 'A Collector tls block reads a certificate that cert-manager renews, without a reload_interval that picks the renewal up.' },
  'secret-subpath-mount': { severity: 'warning', description: 'A renewed Secret mounted with subPath: the kubelet never updates such a file, so the old certificate stays.' },
  'ca-rotation': { severity: 'warning', description: 'A trust file is the ca.crt of a CA that cert-manager rotates, read once by a process that never reads it again.' },

  // Coverage (issue 13): what could not be judged is said, so silence means "checked and fine"
  'handshake-not-predicted': { severity: 'information', description: 'An endpoint pairs with a receiver listener, but a file of the receiver did not load, so its handshake is not (fully) predicted.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof diagnosticCodes;

export function isDiagnosticCode(value: unknown): value is DiagnosticCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(diagnosticCodes, value);
}

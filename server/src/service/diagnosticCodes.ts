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
}

/** The `source` of every diagnostic this product emits. */
export const SOURCE = 'otlp-tls';

/** Where each code is explained; `#<code>` is appended. */
export const DOCS_URL = 'https://github.com/otlp-tls-lens/otlp-tls-lens/blob/main/docs/diagnostics.md';

export const diagnosticCodes = {
  // Collector YAML (core issue)
  'yaml-syntax': { severity: 'error', description: 'The file is not valid YAML.' },
  'unknown-key': { severity: 'error', description: 'A key that this tls: block (or env file) does not accept.' },
  'invalid-value': { severity: 'error', description: 'A value of the wrong type or outside the allowed set.' },
  'tls-conflict': { severity: 'error', description: 'Settings that the Collector rejects together, or that are missing a partner.' },
  'insecure-skip-verify': { severity: 'warning', description: 'The client does not verify the server certificate.' },
  'weak-tls-version': { severity: 'warning', description: 'A TLS version below 1.2 is allowed, or the versions cannot meet.' },
  'mtls-not-enforced': { severity: 'information', description: 'A TLS server that does not ask clients for a certificate.' },
  'plaintext-endpoint': { severity: 'warning', description: 'The endpoint scheme and the TLS settings disagree about plaintext.' },
  'tls-ignored': { severity: 'warning', description: 'TLS settings that have no effect where they are.' },
  'unresolved-substitution': { severity: 'information', description: 'A ${env:VAR} value that cannot be known here, so the check is skipped.' },
  'file-too-large': { severity: 'warning', description: 'The document is too large to check.' },
  'invalid-encoding': { severity: 'warning', description: 'The document is not valid UTF-8; undecodable bytes were replaced before checking.' },
  'limit-exceeded': { severity: 'warning', description: 'A part of the document or file past a bound on the work of checking it (nesting depth, YAML nodes, aliases and merge keys, substitutions, PEM blocks) is not checked.' },

  // SDK env files (consistency issue)
  'unknown-variable': { severity: 'warning', description: 'An OTEL_EXPORTER_OTLP_* name that no SDK reads (a typo).' },
  'deprecated-variable': { severity: 'warning', description: 'A variable name that SDKs no longer read or will stop reading.' },
  'port-protocol-mismatch': { severity: 'warning', description: 'The endpoint port is the other OTLP protocol\'s port (4317 gRPC, 4318 HTTP).' },

  // Certificate files and cross-file handshake (certificates issue)
  'file-not-found': { severity: 'error', description: 'A certificate or key file named in a config does not exist.' },
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
  'weak-key': { severity: 'warning', description: 'An RSA key under 2048 bits (or otherwise refused by current TLS stacks).' },
  'weak-signature': { severity: 'error', description: 'A certificate signed with SHA-1 or MD5, which Go and OpenSSL 3 refuse.' },
  'cn-only': { severity: 'error', description: 'The host name is only in the Common Name; Go never uses the CN.' },
  'key-permissions': { severity: 'warning', description: 'A private key file readable by its group or by others.' },
  'san-mismatch': { severity: 'error', description: 'The endpoint host is not in the server certificate\'s subjectAltNames (Go\'s rules).' },
  'missing-client-cert': { severity: 'error', description: 'The receiver requires a client certificate (client_ca_file) and the client presents none.' },
  'key-format': { severity: 'warning', description: 'A private key in a PEM form an SDK cannot load (Java takes PKCS#8 only).' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof diagnosticCodes;

export function isDiagnosticCode(value: unknown): value is DiagnosticCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(diagnosticCodes, value);
}

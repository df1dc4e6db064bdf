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

  // SDK env files (consistency issue)
  'unknown-variable': { severity: 'warning', description: 'An OTEL_EXPORTER_OTLP_* name that no SDK reads (a typo).' },
  'deprecated-variable': { severity: 'warning', description: 'A variable name that SDKs no longer read or will stop reading.' },
  'port-protocol-mismatch': { severity: 'warning', description: 'The endpoint port is the other OTLP protocol\'s port (4317 gRPC, 4318 HTTP).' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof diagnosticCodes;

export function isDiagnosticCode(value: unknown): value is DiagnosticCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(diagnosticCodes, value);
}

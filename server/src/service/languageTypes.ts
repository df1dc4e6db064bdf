/**
 * The core's vocabulary: problems, where they sit, and what a quick fix needs to find its node again.
 * The core never imports `vscode` or `vscode-languageserver` (see test/unit/layering.test.ts).
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { DiagnosticCode, Severity } from './diagnosticCodes';

export type { Range } from 'vscode-languageserver-types';
export type { DiagnosticCode, Severity } from './diagnosticCodes';

/** A place in another file, with the range already computed against that file's text. */
export interface RelatedLocation {
  /** Absolute file system path. */
  path: string;
  range: Range;
  message: string;
}

/** What a check reports: offsets into the checked text, converted to ranges by `toDiagnostic` only. */
export interface Problem {
  code: DiagnosticCode;
  /** JavaScript string index (UTF-16) of the first character. */
  offset: number;
  length: number;
  message: string;
  /** Overrides the registry's default severity. */
  severity?: Severity;
  related?: RelatedLocation[];
  /** What a quick fix needs, keyed by code (see DiagnosticData). */
  data?: DiagnosticData;
  /**
   * This problem is a consequence of another one (`code` at a place): of a problem of the same unit at
   * `offset` (in the same offsets as this one), or of one in another file at `related` (its range in that
   * file). Where that root problem is reported, this one is not: its place goes into the root's related
   * locations with `note` (languageService.ts `oneByCause`, and the CLI across files, `causes.ts`).
   * Consequences of one root that is not reported keep the first, the others in its related locations.
   * Never sent to the editor as such (toDiagnostic leaves it out).
   */
  cause?: ProblemCause;
}

export type ProblemCause = { code: DiagnosticCode; note: string } & ({ offset: number; length: number } | { related: RelatedLocation });

/** Map keys and sequence indexes from the root of a YAML unit down to a node. */
export type KeyPath = (string | number)[];

/**
 * Where a problem's subject is, so that a fixer goes to it directly instead of searching the text
 * again. Plain JSON: it travels to the editor in the diagnostic's `data` and comes back with the
 * code action request.
 */
export type Locator =
  /** The entry at `path` (its key and value) in collector unit `collector` (an index into ParsedFile.collectors). */
  | { collector: number; path: KeyPath }
  /** Setting `setting` (an index into AppUnit.settings) of app unit `app` (an index into ParsedFile.apps). */
  | { app: number; setting: number }
  /** Where app unit `app` names its SDK (a `# otlp-tls: sdk=` comment). */
  | { app: number; sdk: true }
  /** The entry at `path` of app unit `app` whose source is YAML (a declarative config: AppUnit.yaml). */
  | { app: number; path: KeyPath }
  /** The entry at `path` (from the object's mapping) of Kubernetes object `object` (an index into ParsedFile.kubernetes). */
  | { object: number; path: KeyPath };

/**
 * Quick-fix payloads, narrowed by `kind`; every one carries the locator `at` of the node or setting
 * the problem is about. Extend the union; fixers narrow it with `dataOf`.
 */
export type DiagnosticData = { at: Locator } & (
  /** Rename the key or variable at `at` to a suggestion. */
  | { kind: 'rename'; suggestions: string[] }
  /** Replace the value at `at` with one of `values`. */
  | { kind: 'values'; values: string[] }
  /** A TLS version YAML reads as a number (`min_version: 1.2`): quote it. */
  | { kind: 'quote-version' }
  /** Remove the key or variable at `at`. */
  | { kind: 'remove-key' }
  /** Replace the scheme of the endpoint at `at`, or of `endpoint` when the problem sits on another setting. */
  | { kind: 'scheme'; from: string; to: string; endpoint?: Locator }
  /** App settings: add `name=value` on the line above the setting at `at`. */
  | { kind: 'add-variable'; name: string; value: string }
  /**
   * san-mismatch on the endpoint at `at`: the host the client checks, the names (DNS names, then IPs)
   * the server certificate covers, and `reissueFolder` (absolute) when it is a development certificate
   * whose CA key (`ca.key` beside `ca.crt`, next to the certificate) is in the workspace.
   */
  | { kind: 'san'; host: string; names: string[]; reissueFolder?: string }
  /** A comma-separated string that should be a YAML list (cipher_suites): its items, trimmed. */
  | { kind: 'split-list'; items: string[] }
  /** Replace the value with this YAML source (`true` for a quoted "true"). */
  | { kind: 'yaml-source'; source: string }
  /** A pre-v0.36 TLS key written directly under its exporter: move it under `tls:`. */
  | { kind: 'move-under-tls' }
  /** The tls block at `at` lacks `missing` (and, for a server block with neither, the other one too). */
  | { kind: 'missing-key'; missing: 'cert_file' | 'key_file' }
  /** The server tls block at `at` does not require client certificates: add client_ca_file. */
  | { kind: 'require-client-cert' }
  /** Add `key: value` to the tls block at `at` (reload_interval: 1h, client_ca_file_reload: true). */
  | { kind: 'add-tls-key'; key: string; value: string }
  /** The certificate or key path at `at` names no file: point it at one of the same name. */
  | { kind: 'missing-file' }
  /** The client certificate or key at `at` is set without its partner: add the partner. */
  | { kind: 'add-partner' }
  /**
   * port-protocol-mismatch on the endpoint at `at`: swap the port; set the protocol setting `protocol`
   * to match it; or add `add` (the protocol, when a named SDK's default does not fit).
   */
  | { kind: 'port'; protocol?: Locator; add?: { name: string; value: string } }
);

/** A diagnostic ready for LSP or the CLI: the LSP shape plus the code as our own type. */
export interface CheckedDiagnostic extends Diagnostic {
  code: DiagnosticCode;
}

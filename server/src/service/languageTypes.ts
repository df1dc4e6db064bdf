/**
 * The core's vocabulary. Every other core file takes its types from here.
 * The core never imports `vscode` or `vscode-languageserver` (see test/unit/layering.test.ts).
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { DiagnosticCode, Severity } from './diagnosticCodes';

export type { Diagnostic, Range, Position, DiagnosticRelatedInformation } from 'vscode-languageserver-types';
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
}

/** Quick-fix payloads. Extend the union; fixes narrow it by `kind`. */
export type DiagnosticData =
  | { kind: 'rename'; suggestions: string[] }
  | { kind: 'values'; values: string[] }
  | { kind: 'remove-key' }
  /** Replace the scheme of the endpoint in the diagnostic's range, or (env files) of the value of `variable`. */
  | { kind: 'scheme'; from: string; to: string; variable?: string }
  /** Env files: add `name=value` on the line above the diagnostic's variable. */
  | { kind: 'add-variable'; name: string; value: string }
  /**
   * san-mismatch: the host the client checks, the names (DNS names, then IPs) the server
   * certificate covers, and `reissueFolder` (absolute) when it is a development certificate whose CA key
   * (`ca.key` beside `ca.crt`, next to the certificate) is in the workspace.
   */
  | { kind: 'san'; host: string; names: string[]; reissueFolder?: string }
  /** A comma-separated string that should be a YAML list (cipher_suites): its items, trimmed. */
  | { kind: 'split-list'; items: string[] }
  /** Replace the value with this YAML source (`true` for a quoted "true"). */
  | { kind: 'yaml-source'; source: string }
  | { kind: 'generic'; [key: string]: unknown };

/** A diagnostic ready for LSP or the CLI: the LSP shape plus the code as our own type. */
export interface CheckedDiagnostic extends Diagnostic {
  code: DiagnosticCode;
}

export type { Diagnostic as LspDiagnostic };

/** The only place where offsets become LSP ranges. */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DOCS_URL, SOURCE, diagnosticCodes, type Severity } from './diagnosticCodes';
import { URI } from 'vscode-uri';
import type { CheckedDiagnostic, Problem, Range, RelatedLocation } from './languageTypes';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function severityName(severity: DiagnosticSeverity | undefined): Severity {
  switch (severity) {
    case DiagnosticSeverity.Warning: return 'warning';
    case DiagnosticSeverity.Information: return 'information';
    case DiagnosticSeverity.Hint: return 'hint';
    default: return 'error';
  }
}

/** Anything with `positionAt`: a TextDocument, or a cheap stand-in built from text. */
export interface PositionSource {
  positionAt(offset: number): { line: number; character: number };
}

export function rangeOf(document: PositionSource, offset: number, length: number): Range {
  return { start: document.positionAt(offset), end: document.positionAt(offset + Math.max(0, length)) };
}

export function toDiagnostic(document: PositionSource | TextDocument, problem: Problem): CheckedDiagnostic {
  const severity = problem.severity ?? diagnosticCodes[problem.code].severity;
  const diagnostic: CheckedDiagnostic = {
    range: rangeOf(document, problem.offset, problem.length),
    severity: severities[severity],
    code: problem.code,
    codeDescription: { href: `${DOCS_URL}#${problem.code}` },
    source: SOURCE,
    message: problem.message,
  };
  if (problem.related?.length) {
    diagnostic.relatedInformation = problem.related.map((r) => ({
      location: { uri: URI.file(r.path).toString(), range: r.range },
      message: r.message,
    }));
  }
  if (problem.data) diagnostic.data = problem.data;
  return diagnostic;
}

const MAX_LINE_TABLES = 500;

/**
 * A related location at `offset` in the file `path` whose text is `text`, its range computed with a
 * line table kept in `lineTables` (the service's cache) while the text is unchanged.
 */
export function relatedAt(lineTables: Map<string, TextDocument>, path: string, text: string, offset: number, length: number, message: string): RelatedLocation {
  let document = lineTables.get(path);
  if (!document || document.getText() !== text) {
    if (lineTables.size > MAX_LINE_TABLES) lineTables.clear();
    document = TextDocument.create('file://' + path, 'plaintext', 0, text);
    lineTables.set(path, document);
  }
  return { path, range: rangeOf(document, offset, length), message };
}

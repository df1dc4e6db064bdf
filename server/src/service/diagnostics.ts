/** The only place where offsets become LSP ranges. */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DOCS_URL, SOURCE, diagnosticCodes, type Severity } from './diagnosticCodes';
import { URI } from 'vscode-uri';
import type { CheckedDiagnostic, Problem, Range, RelatedLocation } from './languageTypes';
import { LineIndex } from './text/lineIndex';
import { textDelta, type TextDeltas } from './text/textDelta';

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
 * The line tables of the texts related locations point into (the service's cache, ../caches.ts): one
 * per file, updated from the previous version of its text when it changes (./text/lineIndex.ts), and
 * the span each related location was computed from, so a reused problem can be moved with its text.
 */
export class LineTables {
  private readonly tables = new Map<string, LineIndex>();
  private readonly spans = new WeakMap<RelatedLocation, { offset: number; length: number }>();

  constructor(private readonly deltas?: TextDeltas) {}

  /** The line table of `text`, the current text of `path`. */
  of(path: string, text: string): LineIndex {
    let index = this.tables.get(path);
    if (index?.text === text) return index;
    index = index && text.length > 0 ? index.updated(text, this.deltas ? this.deltas.between(index.text, text) : textDelta(index.text, text)) : LineIndex.of(text);
    if (this.tables.size > MAX_LINE_TABLES) this.tables.clear();
    this.tables.delete(path);
    this.tables.set(path, index);
    return index;
  }

  /** Forgets the line table of `path` (and the text it holds). */
  forget(path: string): void {
    this.tables.delete(path);
  }

  /** A related location at [offset, offset + length) of `path`, whose text is `text`. */
  at(path: string, text: string, offset: number, length: number, message: string): RelatedLocation {
    const related: RelatedLocation = { path, range: rangeOf(this.of(path, text), offset, length), message };
    this.spans.set(related, { offset, length });
    return related;
  }

  /** The offsets a related location was computed from (undefined for one made elsewhere). */
  spanOf(related: RelatedLocation): { offset: number; length: number } | undefined {
    return this.spans.get(related);
  }
}

/**
 * A related location at `offset` in the file `path` whose text is `text`, its range computed with the
 * line table of that text in `lineTables` (the service's cache).
 */
export function relatedAt(lineTables: LineTables, path: string, text: string, offset: number, length: number, message: string): RelatedLocation {
  return lineTables.at(path, text, offset, length, message);
}

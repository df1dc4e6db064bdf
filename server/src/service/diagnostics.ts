/** The only place where offsets become LSP ranges. */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DOCS_URL, SOURCE, diagnosticCodes, type Severity } from './diagnosticCodes';
import { URI } from 'vscode-uri';
import type { CheckedDiagnostic, Problem, Range, RelatedLocation } from './languageTypes';
import { LineIndex } from './text/lineIndex';
import { textDelta, type TextDelta, type TextDeltas } from './text/textDelta';

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
  return diagnosticAt(rangeOf(document, problem.offset, problem.length), problem);
}

function diagnosticAt(range: Range, problem: Problem): CheckedDiagnostic {
  const severity = problem.severity ?? diagnosticCodes[problem.code].severity;
  const diagnostic: CheckedDiagnostic = {
    range,
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

/**
 * `toDiagnostic` for an adapter that converts the problems of successive versions of one document (the
 * server, one memo per open document): a problem object seen before (a kept problem: checkCache.ts
 * hands back the same objects while its component and what its checks read stand) whose range is the
 * same in the new text gets the same Diagnostic object back, so nothing is built again for it, and what
 * is derived from the Diagnostic (its encoded JSON, `server/src/messageEncoding.ts`) is reused.
 *
 * Which ranges stand is told from the span the edit changed (text/textDelta.ts), not by converting
 * again: a position depends on the text up to and including its offset, so a problem that ends before
 * the span has the range it had; when the edit kept the length and the line breaks of the span, a
 * problem after it too. Any other kept problem has its range computed and compared. Problems are never
 * changed once made, and the Diagnostics given out must not be changed either: both are kept by identity.
 */
export class DiagnosticMemo {
  private readonly memo = new WeakMap<Problem, CheckedDiagnostic>();
  private last: { text: string; problems: readonly Problem[]; diagnostics: CheckedDiagnostic[] } | undefined;

  toDiagnostics(document: PositionSource & { getText(): string }, problems: readonly Problem[]): CheckedDiagnostic[] {
    const text = document.getText();
    const last = this.last;
    const delta = last && last.text !== text ? textDelta(last.text, text) : undefined;
    // Offsets below `before`, and from `after` on, are where they were: at the same line and character.
    const before = delta ? delta.start : Infinity;
    const after = delta && sameLineBreaks(last!.text, text, delta) ? delta.newEnd + 1 : Infinity;
    const out: CheckedDiagnostic[] = new Array(problems.length);
    const previous = last?.problems ?? [];
    let j = 0;
    for (let i = 0; i < problems.length; i++) {
      const problem = problems[i];
      let known: CheckedDiagnostic | undefined;
      // The lists of successive versions mostly hold the same problems in the same order.
      if (previous[j] === problem) known = last!.diagnostics[j++];
      else if (previous[j + 1] === problem) known = last!.diagnostics[(j += 2) - 1];
      else {
        known = this.memo.get(problem);
        // One the last list holds further on (problems new or gone before it): the lists are in step again from it.
        if (known) {
          for (let k = j + 2, to = Math.min(previous.length, j + 2 + STEP_WINDOW); k < to; k++) {
            if (previous[k] === problem) {
              j = k + 1;
              break;
            }
          }
        }
      }
      if (known && (problem.offset + Math.max(0, problem.length) < before || problem.offset >= after)) {
        out[i] = known;
        continue;
      }
      const start = document.positionAt(problem.offset);
      const end = document.positionAt(problem.offset + Math.max(0, problem.length));
      if (known && samePosition(known.range.start, start) && samePosition(known.range.end, end)) {
        out[i] = known;
        continue;
      }
      const diagnostic = diagnosticAt({ start, end }, problem);
      this.memo.set(problem, diagnostic);
      out[i] = diagnostic;
    }
    this.last = { text, problems, diagnostics: out };
    return out;
  }
}

/** How far ahead in the last list a problem is looked for, to bring the two lists in step again after an edit's new or gone ones. */
const STEP_WINDOW = 64;

function samePosition(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line === b.line && a.character === b.character;
}

/**
 * Whether the edit `delta` left every position after its span where it was: the same length and no line
 * break in the span, before or after (then every line starts where it did: a break is decided by the
 * character before a line and, for a `\r`, the one after it, and neither changed).
 */
function sameLineBreaks(old: string, next: string, delta: TextDelta): boolean {
  if (delta.oldEnd !== delta.newEnd) return false;
  return !hasLineBreak(old, delta.start, delta.oldEnd) && !hasLineBreak(next, delta.start, delta.newEnd);
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) {
    const c = text.charCodeAt(at);
    if (c === 10 || c === 13) return true;
  }
  return false;
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

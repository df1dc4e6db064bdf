/**
 * At most MAX_PROBLEMS_PER_FILE problems of one file are listed; past that, one `too-many-problems`
 * notice says how many more were found, of which codes and severities, where the first of them is,
 * and how to list them all. The language service applies it last (after severity overrides and
 * suppressions), so the editor and the CLI list the same problems, and it returns what it left out
 * (`OmittedProblems`) so that the CLI's counts stay honest.
 *
 * Which ones are listed: first those that say a part of the file was not checked or read as written
 * (`limit-exceeded`, `file-too-large`, `invalid-encoding`, `file-unreadable`: without them the rest would
 * read as "all checked"), then the most severe (errors, then warnings, information, hints), in file order
 * within a severity, as VS Code's extension host does when a file has more than it shows
 * (docs/diagnostics.md#too-many-problems). The CLI's exit code counts the omitted ones too.
 */
import { diagnosticCodes, type DiagnosticCode, type Severity } from './diagnosticCodes';
import type { Problem } from './languageTypes';

/**
 * Problems listed per file. VS Code's extension host shows at most 1,000 diagnostics of one file per
 * collection (most severe first) and drops the rest, so the listed ones and the notice must fit under
 * it, or the notice (information) would be the first dropped.
 */
export const MAX_PROBLEMS_PER_FILE = 500;

/** What the cap left out of one file's list. */
export interface OmittedProblems {
  total: number;
  bySeverity: Record<Severity, number>;
  byCode: Partial<Record<DiagnosticCode, number>>;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
/** Listed before any other: they say what was not checked. */
const ALWAYS: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['limit-exceeded', 'file-too-large', 'invalid-encoding', 'file-unreadable']);
const rank = (problem: Problem) => (ALWAYS.has(problem.code) ? -1 : RANK[severityOf(problem)]);

/** The severity a problem is shown with. */
export function severityOf(problem: Problem): Severity {
  return problem.severity ?? diagnosticCodes[problem.code].severity;
}

/**
 * `problems` (in file order) cut to `max` (0: no cap) with the notice among them, in file order, and
 * what was left out. `lineOf` gives the 0-based line of an offset, for the message.
 */
export function capProblems(problems: readonly Problem[], max: number, lineOf: (offset: number) => number): { problems: Problem[]; omitted?: OmittedProblems } {
  if (max <= 0 || problems.length <= max) return { problems: [...problems] };
  // What was not checked, then the most severe, stably (file order within a severity).
  const order = problems.map((_, i) => i).sort((a, b) => rank(problems[a]) - rank(problems[b]) || a - b);
  const listed = new Uint8Array(problems.length);
  for (let i = 0; i < max; i++) listed[order[i]] = 1;
  const omitted: OmittedProblems = { total: 0, bySeverity: { error: 0, warning: 0, information: 0, hint: 0 }, byCode: {} };
  const kept: Problem[] = [];
  let first: Problem | undefined;
  for (let i = 0; i < problems.length; i++) {
    const problem = problems[i];
    if (listed[i]) {
      kept.push(problem);
      continue;
    }
    first ??= problem;
    omitted.total++;
    omitted.bySeverity[severityOf(problem)]++;
    omitted.byCode[problem.code] = (omitted.byCode[problem.code] ?? 0) + 1;
  }
  const notice = noticeFor(first!, omitted, problems.length, max, lineOf(first!.offset));
  const at = kept.findIndex((p) => p.offset > notice.offset);
  kept.splice(at < 0 ? kept.length : at, 0, notice);
  return { problems: kept, omitted };
}

const count = (n: number) => n.toLocaleString('en-US');

function noticeFor(first: Problem, omitted: OmittedProblems, found: number, max: number, line: number): Problem {
  const codes = (Object.entries(omitted.byCode) as [DiagnosticCode, number][])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${count(n)} ${code}`);
  const severities = (Object.entries(omitted.bySeverity) as [Severity, number][]).filter(([, n]) => n > 0).map(([severity, n]) => `${count(n)} ${severity === 'information' ? 'information' : `${severity}${n === 1 ? '' : 's'}`}`);
  const shownCodes = codes.length > 8 ? [...codes.slice(0, 8), `${codes.length - 8} more codes`] : codes;
  return {
    code: 'too-many-problems',
    offset: first.offset,
    length: first.length,
    // Information, or hint when only hints were left out: the notice itself never fails a --fail-on level
    // that the problems it stands for would not.
    severity: omitted.bySeverity.error + omitted.bySeverity.warning + omitted.bySeverity.information > 0 ? 'information' : 'hint',
    message:
      `${count(omitted.total)} more problems are not listed: only ${count(max)} of this file's ${count(found)} are. ` +
      `Not listed (${severities.join(', ')}): ${shownCodes.join(', ')}; the first is here, on line ${count(line + 1)}. ` +
      'Fix the listed ones, or run `otlp-tls check --max-problems-per-file 0` on this file to list them all.',
  };
}

/** The CLI's text and JSON output (a stable contract: extend, never rename); SARIF is in sarif.ts. */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { severityName } from '../service/diagnostics';
import type { CheckedDiagnostic, ProblemCause, Range } from '../service/languageTypes';
import { coverageLines, type Coverage } from '../service/features/coverage';

/** One finding of the run: shown, or suppressed by an `otlp-tls-ignore` comment. */
export interface FileDiagnostic {
  /** Absolute path. */
  file: string;
  diagnostic: CheckedDiagnostic;
  /** The text of the line the diagnostic starts on (SARIF fingerprints). */
  line: string;
  /** Set when an `otlp-tls-ignore` comment suppressed it: its reason, and where the comment is. */
  suppression?: { justification?: string; range: Range };
  /** The problem's cause in another file, if it names one (../service/causes.ts); not printed. */
  cause?: ProblemCause;
}

export type Format = 'text' | 'json' | 'sarif';

/**
 * What the per-file cap (../service/problemCap.ts) left out of a file's list: each such file has one
 * `too-many-problems` notice among its diagnostics, and these counts.
 */
export interface OmittedFile {
  /** Absolute path. */
  file: string;
  total: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
  /** By code, most first. */
  codes: Record<string, number>;
}

/** The per-file notice of problems not listed: not itself a problem of the files, so not counted as one. */
const isNotice = (r: FileDiagnostic) => r.diagnostic.code === 'too-many-problems';

/** A path as the text output shows it: relative to the working directory when inside it, else absolute. */
export function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || rel === file ? file : rel;
}

/** The absolute path of a `file:` URI (related locations), or the URI itself. */
export function pathOfUri(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/**
 * `file:line:col: severity code: message` (1-based), each related location indented under its diagnostic
 * (`  related: file:line:col: message`), then the summary: every problem found counted by severity (those the
 * per-file cap did not list too), the suppressed findings when there are some, and the problems not listed.
 */
export function formatText(results: FileDiagnostic[], cwd: string, checked?: Coverage, omitted: readonly OmittedFile[] = []): string {
  const shown = results.filter((r) => !r.suppression);
  const lines: string[] = [];
  const at = (file: string, range: Range) => `${shownPath(file, cwd)}:${range.start.line + 1}:${range.start.character + 1}`;
  for (const { file, diagnostic: d } of shown) {
    lines.push(`${at(file, d.range)}: ${severityName(d.severity)} ${d.code}: ${d.message}`);
    for (const related of d.relatedInformation ?? []) lines.push(`  related: ${at(pathOfUri(related.location.uri), related.location.range)}: ${related.message}`);
  }
  const { total, errors, warnings, information, hints, suppressed, omitted: notListed } = problemCounts(results, omitted);
  // What was checked, then the count of problems as the last line (scripts read it there).
  if (checked) lines.push(...coverageLines(checked));
  lines.push(
    `${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${information} information${hints ? `, ${plural(hints, 'hint')}` : ''})` +
      (suppressed ? `, ${suppressed} suppressed` : '') +
      // Past the per-file cap (each such file has a too-many-problems line above); --max-problems-per-file 0 lists them.
      (notListed ? `, ${notListed} not listed` : ''),
  );
  return lines.join('\n') + '\n';
}

/**
 * The problems found, by severity: the shown ones and those the per-file cap left out of the list
 * (`omitted`, also counted apart), not the cap's notices; and the suppressed ones.
 */
export function problemCounts(
  results: FileDiagnostic[],
  omitted: readonly OmittedFile[] = [],
): { total: number; errors: number; warnings: number; information: number; hints: number; suppressed: number; omitted: number } {
  const shown = results.filter((r) => !r.suppression);
  const problems = shown.filter((r) => !isNotice(r));
  const count = (severity: string) => problems.filter((r) => severityName(r.diagnostic.severity) === severity).length;
  const more = (key: 'total' | 'errors' | 'warnings' | 'information' | 'hints') => omitted.reduce((sum, o) => sum + o[key], 0);
  return {
    total: problems.length + more('total'),
    errors: count('error') + more('errors'),
    warnings: count('warning') + more('warnings'),
    information: count('information') + more('information'),
    hints: count('hint') + more('hints'),
    suppressed: results.length - shown.length,
    omitted: more('total'),
  };
}

/** The `summary` of JSON and SARIF: what was checked (features/coverage.ts) and the problems counted. */
export function summaryObject(results: FileDiagnostic[], checked: Coverage, omitted: readonly OmittedFile[] = []): Coverage & { problems: ReturnType<typeof problemCounts> } {
  return { ...checked, problems: problemCounts(results, omitted) };
}

/**
 * `{"diagnostics": [...], "suppressed": [...], "omitted": [...], "summary": {...}}`: absolute paths in `file` and in each
 * related item's `file` (its `location.uri` is kept as it was), 0-based LSP ranges. `suppressed` holds the findings
 * an `otlp-tls-ignore` comment suppressed, in the same shape, each with its `suppression`. `omitted` has one entry
 * per file with more problems than the per-file cap lists (`OmittedFile`: how many were left out, by severity and
 * code); `summary.problems` counts them in.
 */
export function formatJson(results: FileDiagnostic[], checked?: Coverage, omitted: readonly OmittedFile[] = []): string {
  const item = ({ file, diagnostic: d }: FileDiagnostic) => ({
    file,
    range: d.range,
    severity: severityName(d.severity),
    code: d.code,
    message: d.message,
    ...(d.relatedInformation ? { relatedInformation: d.relatedInformation.map((r) => ({ file: pathOfUri(r.location.uri), location: r.location, message: r.message })) } : {}),
  });
  const diagnostics = results.filter((r) => !r.suppression).map(item);
  const suppressed = results
    .filter((r) => r.suppression)
    .map((r) => ({ ...item(r), suppression: { kind: 'inSource', ...(r.suppression!.justification ? { justification: r.suppression!.justification } : {}), range: r.suppression!.range } }));
  return JSON.stringify({ diagnostics, suppressed, omitted, ...(checked ? { summary: summaryObject(results, checked, omitted) } : {}) }, null, 2) + '\n';
}

/**
 * Inline suppressions: `# otlp-tls-ignore: <code>[,<code>] <reason>` in a comment.
 *
 * - A comment that follows something on its line covers that line; a comment alone on its line covers
 *   its own line and the next line that is not itself a suppression comment (so several can stack
 *   above one line). A problem is covered when its first character is on a covered line.
 * - They work on the problems of a whole file, in file offsets, after every source and check has run
 *   (languageService.ts): a source added to sources/ needs nothing here, unless its file format
 *   writes comments with other characters, when it gets a row in COMMENT_SYNTAX.
 * - A code that suppresses nothing on the lines it covers, or that is not a code at all, is an
 *   `unused-suppression`; a suppression that suppresses something but gives no reason is a
 *   `suppression-without-reason` (it still suppresses). Neither of these two can itself be suppressed
 *   (`severity:` in .otlp-tls.yaml can turn them off).
 * - The reason is the text after the codes (a leading `--` or `:` is dropped): `# otlp-tls-ignore:
 *   san-mismatch -- the dev cluster has no DNS name for it`.
 */
import { distance } from 'fastest-levenshtein';
import { diagnosticCodes, isDiagnosticCode, type DiagnosticCode } from '../diagnosticCodes';
import type { Problem } from '../languageTypes';
import { LineIndex } from '../text/lineIndex';
import { lineEndAfter, lineStartAt, type TextDeltas } from '../text/textDelta';

/** How a file format writes comments. */
export interface CommentSyntax {
  /** The format, for messages and tests. */
  name: string;
  /** Whether a file at `path` has this syntax (first match wins; the last row matches everything). */
  matches(path: string): boolean;
  /** Characters that start a comment. */
  markers: string;
  /**
   * Whether a comment may follow text on its line (after a blank, outside quotes): YAML and shell yes;
   * .properties files and Dockerfiles take a comment only at the start of a line.
   */
  trailing: boolean;
  /** Quotes a trailing comment cannot start inside; YAML opens a quote only at the start of a token. */
  quotes: 'shell' | 'yaml' | 'none';
}

/** One row per comment syntax; a new format whose comments start with `#` needs no row. */
export const COMMENT_SYNTAX: readonly CommentSyntax[] = [
  { name: 'properties', matches: (p) => /\.properties$/i.test(p), markers: '#!', trailing: false, quotes: 'none' },
  { name: 'dockerfile', matches: (p) => /(^|[\\/])(Dockerfile|Containerfile)([.-](?!(md|txt|rst|adoc|html)$)[^\\/]*)?$|\.(dockerfile|containerfile)$/i.test(p), markers: '#', trailing: false, quotes: 'none' },
  { name: 'yaml', matches: (p) => /\.ya?ml$/i.test(p), markers: '#', trailing: true, quotes: 'yaml' },
  // dotenv, shell scripts, and anything else (`#` after a blank, outside quotes).
  { name: 'shell', matches: () => true, markers: '#', trailing: true, quotes: 'shell' },
];

export function commentSyntax(path: string): CommentSyntax {
  return COMMENT_SYNTAX.find((syntax) => syntax.matches(path)) ?? COMMENT_SYNTAX[COMMENT_SYNTAX.length - 1];
}

/** A code named by a suppression, where it is written. */
export interface SuppressionCode {
  code: string;
  offset: number;
  length: number;
}

export interface Suppression {
  /** The comment, from its marker to the end of its line (file offsets). */
  offset: number;
  length: number;
  codes: SuppressionCode[];
  /** The reason as written, trimmed; undefined when there is none. */
  reason?: string;
  /** The 0-based lines it covers. */
  lines: number[];
}

export interface SuppressedProblem {
  problem: Problem;
  suppression: Suppression;
}

export interface SuppressionResult {
  /** The problems that stay, with unused-suppression and suppression-without-reason added, in offset order. */
  problems: Problem[];
  /** The problems a suppression covers, each with it. */
  suppressed: SuppressedProblem[];
}

const DIRECTIVE = /^otlp-tls-ignore(?=[\s:]|$)/;
const SUPPRESSION_CODES: ReadonlySet<string> = new Set(['unused-suppression', 'suppression-without-reason']);

/** A suppression comment as found on its line, before the lines it covers are worked out. */
interface Found extends Omit<Suppression, 'lines'> {
  line: number;
  alone: boolean;
}

/**
 * The suppression comments of each file's last text, by path, so the next version's are found by
 * scanning only the lines an edit changed (the language service's cache, ../caches.ts).
 */
export type SuppressionMemo = Map<string, { text: string; found: Found[] }>;
const MAX_MEMO_FILES = 256;

/** What `applySuppressions` may reuse: the memo, the deltas of the validation, and the line table of the text. */
export interface SuppressionReuse {
  memo: SuppressionMemo;
  deltas: TextDeltas;
  lines: (text: string) => LineIndex;
}

/** Every suppression comment of `text`, in order. */
export function findSuppressions(path: string, text: string, reuse?: SuppressionReuse): Suppression[] {
  return covering(foundIn(path, text, reuse));
}

function foundIn(path: string, text: string, reuse?: SuppressionReuse): Found[] {
  const known = reuse?.memo.get(path);
  if (known?.text === text) return known.found;
  let found: Found[];
  const delta = known && reuse ? reuse.deltas.between(known.text, text) : undefined;
  if (known && reuse && delta) {
    // The lines the edit touched are scanned again; the comments above them stay, those below move.
    const from = lineStartAt(known.text, delta.start);
    const oldTo = lineEndAfter(known.text, delta.oldEnd);
    const shift = delta.newEnd - delta.oldEnd;
    const newTo = oldTo + shift;
    const lines = reuse.lines(text);
    const firstLine = lines.lineAt(from);
    const lineShift = countBreaks(text, from, newTo) - countBreaks(known.text, from, oldTo);
    found = known.found.filter((f) => f.offset < from);
    scanLines(text, from, newTo, firstLine, commentSyntax(path), found);
    for (const f of known.found) {
      if (f.offset < oldTo) continue;
      found.push({ ...f, offset: f.offset + shift, line: f.line + lineShift, codes: f.codes.map((c) => ({ ...c, offset: c.offset + shift })) });
    }
  } else {
    found = [];
    if (text.includes('otlp-tls-ignore')) scanLines(text, 0, text.length, 0, commentSyntax(path), found);
  }
  if (reuse) {
    reuse.memo.delete(path);
    if (reuse.memo.size >= MAX_MEMO_FILES) reuse.memo.delete(reuse.memo.keys().next().value as string);
    reuse.memo.set(path, { text, found });
  }
  return found;
}

/** The line breaks in text[from, to) (from and to at line starts). */
function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** Pushes the suppression comments of the lines of text[from, to) (from at a line start, on line `line`). */
function scanLines(text: string, from: number, to: number, line: number, syntax: CommentSyntax, found: Found[]): void {
  for (let start = from; start < to; line++) {
    const end = lineEndAfter(text, start);
    const lineText = text.slice(start, end).replace(/\r?\n$|\r$/, '');
    const here = start;
    start = end;
    if (!lineText.includes('otlp-tls-ignore')) continue;
    const at = commentStart(lineText, syntax);
    if (at === undefined) continue;
    const body = lineText.slice(at + 1);
    const lead = body.length - body.trimStart().length;
    if (DIRECTIVE.test(body.trimStart())) found.push({ ...parseDirective(body.trimStart(), here + at + 1 + lead), offset: here + at, length: lineText.length - at, line, alone: lineText.slice(0, at).trim() === '' });
  }
}

/** A comment alone on its line covers it and the next line that is not a suppression comment alone on its line. */
function covering(found: readonly Found[]): Suppression[] {
  if (found.length === 0) return [];
  const aloneLines = new Set(found.filter((f) => f.alone).map((f) => f.line));
  return found.map(({ line: at, alone, ...suppression }) => {
    const lines = [at];
    if (alone) {
      let next = at + 1;
      while (aloneLines.has(next)) next++;
      lines.push(next);
    }
    return { ...suppression, lines };
  });
}

/** Where the comment of `line` starts (the marker's index), if it has one. */
function commentStart(line: string, syntax: CommentSyntax): number | undefined {
  const first = line.length - line.trimStart().length;
  if (syntax.markers.includes(line[first] ?? '')) return first;
  if (!syntax.trailing) return undefined;
  let quote: string | undefined;
  for (let i = first; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    const previous = line[i - 1];
    const tokenStart = i === 0 || /[\s:,[{-]/.test(previous);
    if ((c === '"' || c === "'") && (syntax.quotes === 'shell' || (syntax.quotes === 'yaml' && tokenStart))) quote = c;
    else if (syntax.markers.includes(c) && /\s/.test(previous ?? ' ')) return i;
  }
  return undefined;
}

/** `otlp-tls-ignore: a, b reason` (starting at file offset `offset`) → its codes and reason. */
function parseDirective(body: string, offset: number): Pick<Suppression, 'codes' | 'reason'> {
  const match = /^otlp-tls-ignore\s*:?[ \t]*/.exec(body)!;
  let rest = body.slice(match[0].length);
  let at = offset + match[0].length;
  const codes: SuppressionCode[] = [];
  const list = /^([A-Za-z0-9_-]+)(\s*,\s*)?/;
  for (let m = list.exec(rest); m; m = list.exec(rest)) {
    codes.push({ code: m[1], offset: at, length: m[1].length });
    at += m[0].length;
    rest = rest.slice(m[0].length);
    if (!m[2]) break;
  }
  const reason = rest.replace(/^\s*(--|:|—)?\s*/, '').trim();
  return { codes, ...(reason ? { reason } : {}) };
}

/**
 * Applies the suppressions of `text` to `problems` (file offsets, in offset order): the covered ones
 * move to `suppressed`; unused-suppression and suppression-without-reason are added.
 */
export function applySuppressions(path: string, text: string, problems: readonly Problem[], reuse?: SuppressionReuse): SuppressionResult {
  const suppressions = findSuppressions(path, text, reuse);
  if (suppressions.length === 0) return { problems: [...problems], suppressed: [] };
  const index = reuse ? reuse.lines(text) : LineIndex.of(text);
  const lineOf = (offset: number) => index.lineAt(offset);
  const byLine = new Map<number, Suppression[]>();
  for (const suppression of suppressions) for (const line of suppression.lines) byLine.set(line, [...(byLine.get(line) ?? []), suppression]);
  const used = new Set<SuppressionCode>();
  const kept: Problem[] = [];
  const suppressed: SuppressedProblem[] = [];
  for (const problem of problems) {
    const here = SUPPRESSION_CODES.has(problem.code) ? undefined : byLine.get(lineOf(problem.offset));
    let by: Suppression | undefined;
    for (const suppression of here ?? []) {
      const code = suppression.codes.find((c) => c.code === problem.code);
      if (!code) continue;
      used.add(code);
      by ??= suppression;
    }
    if (by) suppressed.push({ problem, suppression: by });
    else kept.push(problem);
  }
  for (const suppression of suppressions) {
    if (suppression.codes.length === 0) {
      kept.push({ code: 'unused-suppression', offset: suppression.offset, length: suppression.length, message: 'This otlp-tls-ignore comment names no code: write "otlp-tls-ignore: <code>[,<code>] <reason>".' });
      continue;
    }
    const unused = suppression.codes.filter((c) => !used.has(c));
    for (const c of unused) kept.push({ code: 'unused-suppression', offset: c.offset, length: c.length, message: unusedMessage(c.code, suppression) });
    if (unused.length < suppression.codes.length && !suppression.reason) {
      kept.push({ code: 'suppression-without-reason', offset: suppression.offset, length: suppression.length, message: `Say why this finding is accepted, after the code: "# otlp-tls-ignore: ${suppression.codes.map((c) => c.code).join(',')} <reason>". The reason goes into the SARIF report as the justification.` });
    }
  }
  return { problems: kept.sort((a, b) => a.offset - b.offset), suppressed };
}

function unusedMessage(code: string, suppression: Suppression): string {
  const lines = suppression.lines.length === 1 ? `line ${suppression.lines[0] + 1}` : `lines ${suppression.lines.map((l) => l + 1).join(' and ')}`;
  if (isDiagnosticCode(code)) return `Nothing to suppress: no ${code} on ${lines}. Remove "${code}" from this otlp-tls-ignore comment.`;
  const suggestion = closestCode(code);
  return `"${code}" is not a diagnostic code of otlp-tls, so it suppresses nothing.${suggestion ? ` Did you mean "${suggestion}"?` : ' The codes are listed in docs/diagnostics.md.'}`;
}

function closestCode(code: string): DiagnosticCode | undefined {
  let best: { code: string; d: number } | undefined;
  for (const known of CODES) {
    const d = distance(code.toLowerCase(), known);
    if (d <= Math.max(2, Math.floor(code.length / 3)) && (!best || d < best.d)) best = { code: known, d };
  }
  return best?.code as DiagnosticCode | undefined;
}

const CODES = Object.keys(diagnosticCodes);

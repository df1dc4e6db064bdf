/** Helpers that build problems: anchored on a YAML node, and merged across the signals of an app. */
import type { DiagnosticCode, DiagnosticData, Problem, Severity } from './languageTypes';
import { SIGNALS, exportsOverOtlp, type AppSettings, type Signal } from './model/appSettings';
import type { Document } from 'yaml';
import { PARSE_LIMITS, documentLimits, nodeSpan, type AnyNode } from './yaml/yamlNodes';

export interface ProblemOptions {
  severity?: Severity;
  data?: DiagnosticData;
}

/** A problem covering `node`; undefined when the node has no range (it should not happen for parsed nodes). */
export function problemAt(node: AnyNode, code: DiagnosticCode, message: string, options: ProblemOptions = {}): Problem | undefined {
  const span = nodeSpan(node);
  if (!span) return undefined;
  return { code, offset: span[0], length: span[1] - span[0], message, ...options };
}

/** Drops the undefined entries problemAt may return. */
export function defined(problems: (Problem | undefined)[]): Problem[] {
  return problems.filter((p): p is Problem => p !== undefined);
}

/**
 * App checks judge each signal (traces, metrics, logs) with its own settings, but one setting usually
 * serves all three: the same problem at the same place is reported once, prefixed with its signals
 * unless it applies to all of them. Signals the SDK does not export over OTLP are skipped.
 */
export function perSignal(app: AppSettings, find: (signal: Signal) => Problem[]): Problem[] {
  return mergeSignals(app, find).map((merged) => merged.problem);
}

/** perSignal, also giving each problem as found (`original`) and the signals that found it (the TLS map puts it on their edges). */
export function mergeSignals(app: AppSettings, find: (signal: Signal) => Problem[]): { problem: Problem; original: Problem; signals: Signal[] }[] {
  const merged = new Map<string, { problem: Problem; signals: Signal[] }>();
  for (const signal of SIGNALS) {
    if (!exportsOverOtlp(app, signal)) continue;
    for (const problem of find(signal)) {
      const key = `${problem.code}@${problem.offset}:${problem.message}`;
      const existing = merged.get(key);
      if (existing) existing.signals.push(signal);
      else merged.set(key, { problem, signals: [signal] });
    }
  }
  return [...merged.values()].map(({ problem, signals }) => ({
    problem: signals.length === SIGNALS.length ? problem : { ...problem, message: `${capitalize(signals.join(', '))}: ${problem.message}` },
    original: problem,
    signals,
  }));
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * `yaml-syntax`: the errors and warnings the `yaml` parser reports for `doc` (parsed from `text`, or
 * from a piece of it at its offset), on the characters it points at; the check of a collector unit
 * and the sources of other YAML formats (the outer text of a manifest) report them alike.
 */
/** yaml-syntax problems reported per document, at most. */
export const MAX_SYNTAX_PROBLEMS = 1000;

/**
 * The YAML library's errors and warnings as `yaml-syntax` problems (at most MAX_SYNTAX_PROBLEMS, then one
 * `limit-exceeded`), and the places the parse was cut, as `limit-exceeded`.
 */
export function yamlErrorProblems(doc: Document, text: string): Problem[] {
  const problems: Problem[] = [];
  const all = [...doc.errors, ...doc.warnings];
  for (const error of all.slice(0, MAX_SYNTAX_PROBLEMS)) {
    const [start, end] = widen(text, error.pos);
    problems.push({
      code: 'yaml-syntax',
      offset: start,
      length: Math.max(1, end - start),
      message: sentence(error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '')),
      severity: error.name === 'YAMLWarning' ? 'warning' : 'error',
    });
  }
  // Where the parse was cut (nesting, nodes, documents: ../yaml/yamlCompose.ts), with the syntax errors.
  for (const limit of documentLimits(doc)) {
    if (PARSE_LIMITS.has(limit.kind)) problems.push({ code: 'limit-exceeded', offset: limit.offset, length: limit.length, message: limit.message });
  }
  // A broken paste can make tens of thousands of errors, each a diagnostic for the editor to hold.
  if (all.length > MAX_SYNTAX_PROBLEMS) {
    const next = all[MAX_SYNTAX_PROBLEMS];
    problems.push({
      code: 'limit-exceeded',
      offset: next.pos[0],
      length: Math.max(1, next.pos[1] - next.pos[0]),
      message: `More than ${MAX_SYNTAX_PROBLEMS.toLocaleString('en-US')} YAML syntax errors, so the ${(all.length - MAX_SYNTAX_PROBLEMS).toLocaleString('en-US')} from here on are not reported: fix the first ones.`,
    });
  }
  return problems;
}

/** The parser points at one character for some errors (duplicate keys): cover the whole token there. */
function widen(text: string, [start, end]: [number, number]): [number, number] {
  if (end - start > 1) return [start, end];
  const token = /^[^\s:,\[\]{}#]+/.exec(text.slice(start, start + 256));
  return token ? [start, start + token[0].length] : [start, end];
}

/** The YAML library's message as a sentence (a stop at its end). */
function sentence(message: string): string {
  return /[.?!]$/.test(message) ? message : `${message}.`;
}

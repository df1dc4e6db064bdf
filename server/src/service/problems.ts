/** Helpers that build problems: anchored on a YAML node, and merged across the signals of an app. */
import type { DiagnosticCode, DiagnosticData, Problem, Severity } from './languageTypes';
import { SIGNALS, exportsOverOtlp, type AppSettings, type Signal } from './model/appSettings';
import { nodeSpan, type AnyNode } from './yaml/yamlNodes';

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
  return [...merged.values()].map(({ problem, signals }) =>
    signals.length === SIGNALS.length ? problem : { ...problem, message: `${capitalize(signals.join(', '))}: ${problem.message}` },
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

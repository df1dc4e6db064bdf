/**
 * Env checks judge each signal (traces, metrics, logs) with its own settings, but one line usually serves
 * all three: the same problem at the same place is reported once, prefixed with its signals unless it
 * applies to all of them. Signals the SDK does not export over OTLP are skipped.
 */
import type { Problem } from '../languageTypes';
import { SIGNALS, exportsOverOtlp, type EnvModel, type Signal } from '../sources/envFile';

export function perSignal(model: EnvModel, find: (signal: Signal) => Problem[]): Problem[] {
  const merged = new Map<string, { problem: Problem; signals: Signal[] }>();
  for (const signal of SIGNALS) {
    if (!exportsOverOtlp(model, signal)) continue;
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

/**
 * Go's `time.Duration` strings, as cert-manager (`duration`, `renewBefore`: metav1.Duration, which is
 * time.ParseDuration) and the Collector (`reload_interval`) read them: a sequence of decimal numbers,
 * each with a unit (`ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`), an optional sign, or a bare `0`.
 * There is no `d` unit (`90d` is an error). The grammar is the one schemas/collector-tls.schema.json's
 * `duration` pattern states; this module only adds the value and a readable form.
 */
import { table } from '../lookup';

const UNIT_MS: Record<string, number> = table({ ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 });

const WHOLE = /^[-+]?((([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+|0)$/;
const PART = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g;

/** The duration in milliseconds, or undefined when `text` is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  if (/^[-+]?0$/.test(trimmed)) return 0;
  let total = 0;
  for (const match of trimmed.matchAll(PART)) total += Number(match[1]) * UNIT_MS[match[2]];
  return trimmed.startsWith('-') ? -total : total;
}

/** Go's Duration.String() for whole seconds and up (`2160h0m0s`, `1h0m0s`, `5m0s`), as cert-manager's messages print durations. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  const seconds = Number.isInteger(s) ? String(s) : s.toFixed(3).replace(/0+$/, '');
  if (h > 0) return `${sign}${h}h${m}m${seconds}s`;
  if (m > 0) return `${sign}${m}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** A duration for people: `90 days`, `15 days`, `20 hours`, `45 minutes`. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  const day = 86_400_000;
  if (abs >= 2 * day && abs % (day / 24) === 0) {
    const days = abs / day;
    return `${Number.isInteger(days) ? days : days.toFixed(1)} days`;
  }
  if (abs >= 3_600_000) {
    const hours = abs / 3_600_000;
    return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} hour${hours === 1 ? '' : 's'}`;
  }
  if (abs >= 60_000) {
    const minutes = abs / 60_000;
    return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} minute${minutes === 1 ? '' : 's'}`;
  }
  return `${abs / 1000} seconds`;
}

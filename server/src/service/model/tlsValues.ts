/** Reading settings out of a TLS block, with `${env:...}` expansion applied. */
import { isScalar } from 'yaml';
import { blockEntry, type TlsBlock } from './collector';
import { expandValue, type ExpandedValue } from '../yaml/substitution';
import type { MapEntry } from '../yaml/yamlNodes';

export interface SettingValue {
  entry: MapEntry;
  /** The scalar's value as parsed by YAML (string, number, boolean, null). */
  raw: unknown;
  expansion?: ExpandedValue;
  /** The value the Collector would use, when it can be known here. */
  known?: string | boolean | number;
  /** True when the value holds a substitution that cannot be resolved here. */
  unknown: boolean;
}

export function readSetting(block: TlsBlock, key: string, getEnv: (name: string) => string | undefined): SettingValue | undefined {
  const entry = blockEntry(block, key);
  return entry ? readEntry(entry, getEnv) : undefined;
}

export function readEntry(entry: MapEntry, getEnv: (name: string) => string | undefined): SettingValue {
  const raw = isScalar(entry.value) ? entry.value.value : entry.value === null ? null : undefined;
  if (typeof raw !== 'string') {
    return { entry, raw, known: raw === null || raw === undefined ? undefined : (raw as string | number | boolean), unknown: false };
  }
  const expansion = expandValue(raw, getEnv);
  if (expansion.kind === 'literal') return { entry, raw, expansion, known: expansion.value, unknown: false };
  if (expansion.kind === 'substituted' && expansion.value !== undefined) {
    return { entry, raw, expansion, known: coerce(expansion.value, raw), unknown: false };
  }
  return { entry, raw, expansion, unknown: true };
}

/** A whole-value reference takes the YAML type of what it expands to (`${env:B}` with B=true is a bool). */
function coerce(value: string, raw: string): string | boolean {
  const whole = /^\$\{[^}]*\}$/.test(raw.trim());
  if (whole && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Set = present with a non-empty value, or with a value that cannot be known here. */
export function isSet(value: SettingValue | undefined): boolean {
  if (!value) return false;
  if (value.unknown) return true;
  return value.known !== undefined && value.known !== '' && value.known !== null;
}

/** Set to a known non-empty value (a substitution that cannot be resolved does not count). */
export function isKnownSet(value: SettingValue | undefined): boolean {
  return !!value && !value.unknown && isSet(value);
}

export function isTrue(value: SettingValue | undefined): boolean {
  return !!value && !value.unknown && value.known === true;
}

/**
 * What a process makes of the settings its sources wrote, applied to every app unit whatever its source
 * (sources/detect.ts calls `settle` on each): the one model step between sources and checks.
 * - JVM options: the `-Dotel.*` words of JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS and `*_OPTS` values become
 *   settings of the app, each located inside the value, and the variable itself leaves the settings.
 *   An assignment that does not reference the variable itself (`JAVA_OPTS="$JAVA_OPTS -D…"` does)
 *   replaces the earlier ones.
 * - Precedence: settings are ordered lowest first (the agent's properties file, then the environment,
 *   then system properties), stable within a layer, so `lookup` (the last one wins) is the SDK's rule
 *   (docs/facts/java-properties.md §2).
 * - The SDK: a Java property, or the OpenTelemetry agent loaded with `-javaagent:`, names the Java SDK
 *   (the agent when it is loaded) unless the source names one (`# otlp-tls: sdk=`).
 * - OTEL_CONFIG_FILE (or the deprecated OTEL_EXPERIMENTAL_CONFIG_FILE) set: every other `OTEL_*`
 *   setting is ignored by the SDK (spec sdk-environment-variables.md, docs/facts/declarative-config.md §6):
 *   they move to `ignored`, where no check but envConfigFile looks.
 * Locators are assigned last: `{ app, setting: i }` over `settings` followed by `ignored`.
 */
import type { AppEdits, AppUnit, TextChange } from './units';
import { isJvmOptionsName, type AppSetting, type SettingLayer } from './appSettings';
import { envNameOfProperty, isOtelAgent, javaArguments, propertyNameOfEnv, splitOptionsValue, type JavaProperty, type Word } from './javaOptions';
import { isSdkId } from '../sdk/sdks';

/** The variables that name a declarative configuration file. */
export const CONFIG_FILE_VARIABLES: readonly string[] = ['OTEL_CONFIG_FILE', 'OTEL_EXPERIMENTAL_CONFIG_FILE'];

const LAYER_ORDER: Record<SettingLayer, number> = { 'properties-file': 0, env: 1, 'system-property': 2, 'config-file': 3 };

/** The last element of `list` that `test` accepts. */
function lastOf<T>(list: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i])) return list[i];
  return undefined;
}

/**
 * What `settle` made of a unit kept under a check key (Unit.keptAs: a manifest's unchanged document gives its units
 * again as new objects over the file's new text), with what it was made from (every field but the text, which it
 * reads only for JVM options): the same is made again without sorting and expanding anew.
 */
const settledKept = new WeakMap<object, { from: Record<string, unknown>; fields: number; settled: AppUnit }>();
/** Whether a unit with these settings has JVM options (settle reads their values from the unit's text). */
const jvmOptions = new WeakMap<readonly AppSetting[], boolean>();

/** The app unit as its process reads it (see the file comment). Idempotent: a settled unit settles to itself. */
export function settle(unit: AppUnit): AppUnit {
  const key = unit.keptAs?.key;
  if (!key) return settleNow(unit);
  let hasOptions = jvmOptions.get(unit.settings);
  if (hasOptions === undefined) {
    hasOptions = unit.settings.some((s) => isJvmOptionsName(s.name) && !s.origin);
    jvmOptions.set(unit.settings, hasOptions);
  }
  if (hasOptions) return settleNow(unit);
  const known = settledKept.get(key);
  if (known && sameButText(known.from, known.fields, unit)) {
    const { settled } = known;
    // The same setting objects: their locators as settle assigns them (another unit holding them may have renumbered them).
    let i = 0;
    for (const setting of settled.settings) locate(setting, settled.index, i++);
    for (const setting of settled.ignored ?? []) locate(setting, settled.index, i++);
    return { ...settled, text: unit.text };
  }
  const settled = settleNow(unit);
  const { text: _text, ...from } = unit;
  settledKept.set(key, { from, fields: Object.keys(from).length, settled: { ...settled, text: '' } });
  return settled;
}

function locate(setting: AppSetting, app: number, index: number): void {
  const at = setting.locator;
  if (!at || !('app' in at) || !('setting' in at) || at.app !== app || at.setting !== index) setting.locator = { app, setting: index };
}

/** Whether `unit` has the fields of `from` (all but the text), each the same value or object. */
function sameButText(from: Record<string, unknown>, fields: number, unit: AppUnit): boolean {
  let n = 0;
  for (const name in unit) {
    if (name === 'text') continue;
    if (from[name] !== (unit as unknown as Record<string, unknown>)[name]) return false;
    n++;
  }
  return n === fields;
}

function settleNow(unit: AppUnit): AppUnit {
  const expanded = expandJvmOptions(unit);
  // Settings of one layer (any env file) are in order already: not sorted (a pasted env file of 40,000 lines was
  // sorted at each validation, issue 15's fuzzer).
  const layer = LAYER_ORDER[expanded.settings[0]?.layer ?? 'env'];
  const ordered = expanded.settings.every((setting) => LAYER_ORDER[setting.layer ?? 'env'] === layer)
    ? [...expanded.settings]
    : expanded.settings
        .map((setting, i) => ({ setting, i }))
        .sort((a, b) => LAYER_ORDER[a.setting.layer ?? 'env'] - LAYER_ORDER[b.setting.layer ?? 'env'] || a.i - b.i)
        .map(({ setting }) => setting);
  let settings = ordered;
  let ignored = unit.ignored ?? [];
  const configFile = lastOf(ordered, (s) => CONFIG_FILE_VARIABLES.includes(s.name) && s.value !== '');
  if (configFile) {
    const kept = (s: AppSetting) => !s.name.startsWith('OTEL_') || CONFIG_FILE_VARIABLES.includes(s.name) || s.layer === 'config-file';
    ignored = [...ignored, ...ordered.filter((s) => !kept(s))];
    settings = ordered.filter(kept);
  }
  const java = expanded.java;
  const namesJava = java && (java.agent || settings.some(isJavaSetting) || ignored.some(isJavaSetting));
  const directive = unit.sdkDirective && isSdkId(unit.sdkDirective.id) ? unit.sdkDirective.id : undefined;
  const sdk = directive ?? unit.sdk ?? (namesJava ? (java.agent ? 'java-agent' : 'java') : undefined);
  [...settings, ...ignored].forEach((setting, i) => (setting.locator = { app: unit.index, setting: i }));
  const settled: AppUnit = { ...unit, settings, edits: expanded.edits, ...(java ? { java } : {}), ...(sdk ? { sdk } : {}) };
  if (ignored.length) settled.ignored = ignored;
  else delete settled.ignored;
  return settled;
}

function isJavaSetting(setting: AppSetting): boolean {
  return setting.layer === 'system-property' || setting.layer === 'properties-file';
}

/** The setting at a locator's index: `settings`, then `ignored`. */
export function settingAt(unit: AppUnit, index: number): AppSetting | undefined {
  return unit.settings[index] ?? unit.ignored?.[index - unit.settings.length];
}

// ---------------------------------------------------------------------------------------------
// JVM option variables

function expandJvmOptions(unit: AppUnit): { settings: AppSetting[]; edits: AppEdits; java?: { agent: boolean } } {
  const options = unit.settings.filter((s) => isJvmOptionsName(s.name) && !s.origin);
  if (options.length === 0) return { settings: unit.settings, edits: unit.edits, ...(unit.java ? { java: unit.java } : {}) };
  const live = new Set<AppSetting>();
  for (const setting of options) {
    const text = optionsText(unit.text, setting);
    // An assignment that does not build on the variable's earlier value replaces it.
    if (!new RegExp(`\\$\\{?${setting.name}\\b`).test(text.value)) for (const other of [...live]) if (other.name === setting.name) live.delete(other);
    live.add(setting);
  }
  const properties: AppSetting[] = [];
  const owners = new Map<AppSetting, AppEdits>();
  let agent = unit.java?.agent ?? false;
  let jvm = !!unit.java;
  for (const setting of options) {
    if (!live.has(setting)) continue;
    const text = optionsText(unit.text, setting);
    const words = splitOptionsValue(text.value);
    const args = javaArguments(words, true);
    if (args.properties.length || args.agents.length) jvm = true;
    if (args.agents.some(isOtelAgent)) agent = true;
    for (const property of args.properties) {
      // A word holding another variable (`-Dotel.x=$X`) is unknown here.
      const known = !property.word.value.includes('$') && (text.known || !property.value.includes('$'));
      const created = jvmPropertySetting(property, setting, text, known);
      properties.push(created);
      owners.set(created, jvmPropertyEdits(unit, setting, text, property));
    }
  }
  const settings = unit.settings.filter((s) => !options.includes(s)).concat(properties);
  return { settings, edits: dispatchEdits(unit.edits, owners), ...(jvm ? { java: { agent } } : {}) };
}

/** The text an options value is split from: the value when known, else the written value without its quotes. */
interface OptionsText {
  value: string;
  /** Where value[0] is in the unit's text when `value` is written as it is; undefined otherwise. */
  at?: number;
  /** The value is the SDK's (not a written text holding references). */
  known: boolean;
}

function optionsText(text: string, setting: AppSetting): OptionsText {
  const raw = text.slice(setting.valueOffset, setting.valueOffset + setting.valueLength);
  const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]);
  const inner = quoted ? raw.slice(1, -1) : raw;
  const at = setting.valueOffset + (quoted ? 1 : 0);
  if (setting.value === undefined) return { value: inner, at, known: false };
  return { value: setting.value, ...(inner === setting.value ? { at } : {}), known: true };
}

function jvmPropertySetting(property: JavaProperty, owner: AppSetting, text: OptionsText, known: boolean): AppSetting {
  const word = property.word;
  const exact = text.at !== undefined && word.at !== undefined;
  const base = exact ? text.at! + word.at! : 0;
  return {
    name: envNameOfProperty(property.key),
    written: property.key,
    value: known ? property.value : undefined,
    nameOffset: exact ? base + property.keyStart : owner.valueOffset,
    nameLength: exact ? property.key.length : owner.valueLength,
    valueOffset: exact ? base + property.valueStart : owner.valueOffset,
    valueLength: exact ? property.value.length : owner.valueLength,
    locator: owner.locator,
    layer: 'system-property',
  };
}

/**
 * Edits of a property inside an options value: the written text is changed in place where the value is
 * written as it is, else the whole value is set again through the variable's own source (its quoting).
 */
function jvmPropertyEdits(unit: AppUnit, owner: AppSetting, text: OptionsText, property: JavaProperty): AppEdits {
  const word = property.word;
  const inValue = (start: number, end: number, replacement: string): TextChange => {
    if (text.at !== undefined) return { offset: text.at + start, length: end - start, text: replacement };
    return unit.edits.setValue(owner, text.value.slice(0, start) + replacement + text.value.slice(end));
  };
  // Offsets in the value of the word's key and value parts (only meaningful for a word written as it is).
  const wordAt = word.at ?? word.start;
  const option = (name: string, value: string) => `-D${propertyKey(name)}=${value}`;
  return {
    rename: (_setting, name) => (word.at !== undefined ? inValue(wordAt + property.keyStart, wordAt + property.keyStart + property.key.length, propertyKey(name)) : inValue(word.start, word.end, option(name, property.value))),
    setValue: (_setting, value) => (word.at !== undefined ? inValue(wordAt + property.valueStart, word.at + word.value.length, value) : inValue(word.start, word.end, option(property.key, value))),
    remove() {
      // The word and the blanks before it (after it, for the first word).
      let start = word.start;
      let end = word.end;
      while (start > 0 && /\s/.test(text.value[start - 1])) start--;
      if (start === 0) while (end < text.value.length && /\s/.test(text.value[end])) end++;
      return inValue(start, end, '');
    },
    add: (_setting, where, name, value) => (where === 'before' ? inValue(word.start, word.start, `${option(name, value)} `) : inValue(word.end, word.end, ` ${option(name, value)}`)),
  };
}

/** A name for a property: kept when it is one already, else the property spelling of an env name. */
export function propertyKey(name: string): string {
  return /^[A-Z0-9_]+$/.test(name) ? propertyNameOfEnv(name) : name;
}

/** Edits that go to the edits of the source that wrote each setting, `base` for the others. */
export function dispatchEdits(base: AppEdits, owners: Map<AppSetting, AppEdits>): AppEdits {
  if (owners.size === 0) return base;
  const of = (setting: AppSetting) => owners.get(setting) ?? base;
  return {
    rename: (setting, name) => of(setting).rename(setting, name),
    setValue: (setting, value) => of(setting).setValue(setting, value),
    remove: (setting) => of(setting).remove(setting),
    add: (setting, where, name, value) => of(setting).add(setting, where, name, value),
  };
}

/** Settings from the `-D` words of a command line the source read (a shell script's or a Dockerfile's `java`), with their edits. */
export function commandLineProperties(words: Word[], edits: (property: JavaProperty) => AppEdits): { settings: AppSetting[]; owners: Map<AppSetting, AppEdits>; agent: boolean } {
  const args = javaArguments(words);
  const settings: AppSetting[] = [];
  const owners = new Map<AppSetting, AppEdits>();
  for (const property of args.properties) {
    const word = property.word;
    const exact = word.at !== undefined;
    const setting: AppSetting = {
      name: envNameOfProperty(property.key),
      written: property.key,
      value: property.value.includes('$') ? undefined : property.value,
      nameOffset: exact ? word.at! + property.keyStart : word.start,
      nameLength: exact ? property.key.length : word.end - word.start,
      valueOffset: exact ? word.at! + property.valueStart : word.start,
      valueLength: exact ? property.value.length : word.end - word.start,
      locator: { app: 0, setting: 0 },
      layer: 'system-property',
    };
    settings.push(setting);
    owners.set(setting, edits(property));
  }
  return { settings, owners, agent: args.agents.some(isOtelAgent) };
}

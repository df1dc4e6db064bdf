/**
 * An app's settings (env files): variable names and values against schemas/sdk-env.schema.json (../schemas.ts).
 *   unknown-variable     an OTEL_EXPORTER_OTLP_* name no SDK reads (did-you-mean in data.suggestions);
 *                        other OTEL_* names only when they are one typo away from a known one
 *   deprecated-variable  an obsolete name (data: rename to the schema's x-replacedBy)
 *   invalid-value        a value the schema rejects (enums, booleans, integers, millisecond timeouts),
 *                        out-of-range integers, OTEL_TRACES_SAMPLER_ARG, batch size above queue size
 * Headers, resource attributes and endpoints have their own checks (envHeaders, envEndpoint).
 * Facts: ../shared/reference/sdk-env.md §1.1, §1.4, §2 and §6.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';
import { OTLP_PREFIX, lookup, type AppSetting, type AppSettings as AppUnit } from '../model/appSettings';
import { envValueErrors, envVariableSchema, suggestVariables, type EnvVariableSchema } from '../schemas';
import { SDKS, type SdkId } from '../sdk/sdks';
import { propertyNameOfEnv } from '../model/javaOptions';
import { table } from '../lookup';
import { asVerdict, MAX_KEPT_VALUE, part, placed, type EnvVerdicts } from './envVerdicts';

/** Language-specific prefixes (sdk-env.md §2): names under them are not ours to judge. */
const LANGUAGE_PREFIXES = [
  'OTEL_JAVA_', 'OTEL_JAVAAGENT_', 'OTEL_PYTHON_', 'OTEL_NODE_', 'OTEL_DOTNET_', 'OTEL_GO_', 'OTEL_RUBY_', 'OTEL_PHP_',
  'OTEL_RUST_', 'OTEL_CPP_', 'OTEL_ERLANG_', 'OTEL_SWIFT_', 'OTEL_INSTRUMENTATION_', 'OTEL_EXPERIMENTAL_',
];

/** Options that exist per signal; PROFILES_<option> is read by some tools but is not in the spec. */
const PER_SIGNAL_OPTIONS = ['ENDPOINT', 'PROTOCOL', 'INSECURE', 'CERTIFICATE', 'CLIENT_KEY', 'CLIENT_CERTIFICATE', 'HEADERS', 'COMPRESSION', 'TIMEOUT'];

/** Names proposed for the spec and rejected (sdk-env.md §1.1): say so, and point at the real one. */
const REJECTED: Record<string, string> = table({
  [`${OTLP_PREFIX}CLIENT_KEY_CHAIN`]: 'was proposed for the spec (PR #2370) but never added',
});

export const envVariables: Check<AppCheckContext> = {
  name: 'envVariables',
  kind: 'app',
  run({ unit, sdk, caches }) {
    const known = new Set<AppSetting>();
    const problems = checkNames(unit, caches.suggestions, caches.envVerdicts, known);
    for (const p of checkValues(unit, sdk, caches.envVerdicts, known)) problems.push(p);
    for (const p of checkRelations(unit)) problems.push(p);
    return problems;
  },
};

// ---------------------------------------------------------------------------------------------
// Names

/**
 * Each setting's name problem, from the verdict kept for its name (what nameProblem reads: the name as read and as
 * written, and whether it is a property); `known` gets the settings whose name the schema knows.
 */
function checkNames(unit: AppUnit, memo: Map<string, string[]>, verdicts: EnvVerdicts, known: Set<AppSetting>): Problem[] {
  const problems: Problem[] = [];
  for (const setting of unit.settings) {
    // An env variable's name written as read (the common case) is its own key.
    const context = isProperty(setting) ? `p${part(setting.written)}` : setting.written === setting.name ? 'e' : `e${part(setting.written)}`;
    let verdict = verdicts.names.get(context, setting.name, '');
    if (!verdict) {
      const problem = nameProblem(setting, memo);
      verdict = { problem: problem ? asVerdict(problem) : null, known: envVariableSchema(setting.name) !== undefined };
      verdicts.names.set(context, setting.name, '', verdict);
    }
    if (verdict.known) known.add(setting);
    if (verdict.problem) problems.push(placed(verdict.problem, setting.nameOffset, setting.nameLength, setting.locator));
  }
  return problems;
}

/** Suggestions for a name, computed once per name (a manifest repeats the same variables in every container). */
/**
 * Names measured, kept per service: every edit of an env file checks all its names again (an env file of 40,000
 * unknown names, issue 15's fuzzer, measured them all at each validation past the former bound of 2,000).
 */
const MAX_MEMO = 50_000;

function suggestionsFor(name: string, memo: Map<string, string[]>): string[] {
  let found = memo.get(name);
  if (!found) {
    found = suggestVariables(name);
    if (memo.size >= MAX_MEMO) memo.clear();
    // A copy of the name as the key: a slice of the file's text would keep the whole text alive.
    memo.set(JSON.parse(JSON.stringify(name)) as string, found);
  }
  return found;
}

/** A Java property (a `-D` word, a `.properties` key) is named, and its suggestions given, in property form. */
function isProperty(setting: AppSetting): boolean {
  return setting.layer === 'system-property' || setting.layer === 'properties-file';
}

function nameProblem(setting: AppSetting, memo: Map<string, string[]>): Problem | undefined {
  const { name, written } = setting;
  const at = { offset: setting.nameOffset, length: setting.nameLength };
  const known = envVariableSchema(name);
  const form = (n: string) => (isProperty(setting) ? propertyNameOfEnv(n) : n);
  const kind = isProperty(setting) ? 'property' : 'variable';
  if (known?.deprecated) {
    const replacement = known['x-replacedBy'] && form(known['x-replacedBy']);
    return {
      code: 'deprecated-variable',
      ...at,
      message: replacement ? `An obsolete name: use ${replacement}. SDKs written after the rename read only the new name, not ${written}.` : `${written} is an obsolete name.`,
      ...(replacement ? { data: { kind: 'rename', suggestions: [replacement], at: setting.locator } } : {}),
    };
  }
  if (known || LANGUAGE_PREFIXES.some((prefix) => name.startsWith(prefix))) return undefined;

  const profilesOption = name.startsWith(`${OTLP_PREFIX}PROFILES_`) ? name.slice(`${OTLP_PREFIX}PROFILES_`.length) : undefined;
  if (profilesOption !== undefined && PER_SIGNAL_OPTIONS.includes(profilesOption)) {
    return {
      code: 'unknown-variable',
      ...at,
      severity: 'information',
      message: `${written} is not in the OpenTelemetry specification (the profiles signal is in Development); only some tools read it, the SDKs do not.`,
    };
  }

  const suggestions = suggestionsFor(name, memo).map(form);
  const isOtlp = name.startsWith(OTLP_PREFIX);
  // Other OTEL_* names belong to instrumentations and vendors: only a near-miss of a known name is reported.
  if (!isOtlp && suggestions.length === 0) return undefined;
  const why = REJECTED[name] ?? (name.startsWith(`${OTLP_PREFIX}TLS_`) ? 'is not a spec variable (TLS variables were proposed in spec issue #1363, never added)' : 'is not read by any OpenTelemetry SDK');
  return {
    code: 'unknown-variable',
    ...at,
    ...(isOtlp ? {} : { severity: 'information' as const }),
    message: `Unknown ${kind} ${written}: it ${why}.` + (suggestions.length ? ` Did you mean ${suggestions.join(' or ')}?` : ''),
    ...(suggestions.length ? { data: { kind: 'rename', suggestions, at: setting.locator } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Values, through the schema

const MAX_INTEGER = 2 ** 31 - 1;

/** A setting with a known, non-empty value. */
type Valued = AppSetting & { value: string };

/**
 * Each known setting's value, judged on its own (the schema's rules are per variable: no rule reads two), from the
 * verdict kept for what the judgement reads: the SDK, the name as read and as written, the value.
 */
function checkValues(unit: AppUnit, sdk: SdkId | undefined, verdicts: EnvVerdicts, known: Set<AppSetting>): Problem[] {
  const problems: Problem[] = [];
  const sdkKey = sdk ?? '';
  for (const setting of unit.settings) {
    if (!setting.value || !known.has(setting)) continue;
    const entry = setting as Valued;
    const keep = entry.value.length <= MAX_KEPT_VALUE;
    const context = entry.written === entry.name ? sdkKey : `${sdkKey}|${part(entry.written)}`;
    let verdict = keep ? verdicts.values.get(context, entry.name, entry.value) : undefined;
    if (!verdict) {
      verdict = valueVerdict(entry, envVariableSchema(entry.name)!, sdk);
      if (keep) verdicts.values.set(context, entry.name, entry.value, (verdict = verdict.map(asVerdict)));
    }
    for (const p of verdict) problems.push(placed(p, entry.valueOffset, entry.valueLength, entry.locator));
  }
  return problems;
}

/** One setting's value problems: the schema's first error (none for a Java duration the named Java SDK reads), else the notes. */
function valueVerdict(entry: Valued, property: EnvVariableSchema, sdk: SdkId | undefined): Problem[] {
  const instance = { [entry.name]: property['x-caseInsensitive'] ? entry.value.toLowerCase() : entry.value };
  if (envValueErrors(instance).length > 0) return javaDuration(entry, property, sdk) ? [] : [valueProblem(entry, property)];
  return validValueNotes(entry, property, sdk);
}

function onValue(setting: AppSetting): { offset: number; length: number } {
  return { offset: setting.valueOffset, length: setting.valueLength };
}

function valueProblem(entry: Valued, property: EnvVariableSchema): Problem {
  const { written: name, value } = entry;
  const at = entry.locator;
  const canonical = entry.name;
  const shown = JSON.stringify(value);
  const severity = property['x-severity'];
  const base = { code: 'invalid-value' as const, ...onValue(entry), ...(severity ? { severity } : {}) };
  const spaced = value !== value.trim() ? ' Remove the surrounding blanks: Java and Python do not trim values.' : '';
  switch (property['x-format']) {
    case 'boolean':
      return {
        ...base,
        message: `${name}=${shown} is not a boolean: only "true" (any case) means true, and every other value, such as 1, yes or on, means false.${spaced}`,
        data: { kind: 'values', values: ['true', 'false'], at },
      };
    case 'milliseconds':
      return { ...base, message: `${name}=${shown}: ${millisecondsHint(value)}` };
    case 'integer':
    case 'positiveInteger':
      return { ...base, message: `${name}=${shown} must be ${property['x-format'] === 'integer' ? 'a non-negative' : 'a positive'} integer; SDKs warn and ignore other values.` };
    case 'port':
      return { ...base, message: `${name}=${shown} must be a port number, 0 to 65535.` };
    case 'list': {
      const allowed = property['x-values'] ?? [];
      const unknown = value.split(',').map((v) => v.trim()).filter((v) => !allowed.includes(v.toLowerCase()));
      return {
        ...base,
        message: `${name} holds ${unknown.map((v) => JSON.stringify(v)).join(', ') || 'an empty item'}, which the spec does not define (SDKs warn and ignore unknown values unless an extension provides them); known: ${allowed.join(', ')}.`,
        data: { kind: 'values', values: allowed, at },
      };
    }
  }
  if (property.enum) {
    const declarative = canonical.endsWith('TEMPORALITY_PREFERENCE') && value.toLowerCase() === 'low_memory' ? ' low_memory is the declarative config spelling; the environment variable takes lowmemory.' : '';
    return {
      ...base,
      message: `${name} has an unsupported value ${shown}; allowed: ${property.enum.join(', ')}.${declarative || spaced} SDKs warn and ignore it${canonical.includes('PROTOCOL') ? ' (Java and Python fail at startup)' : ''}.`,
      data: { kind: 'values', values: [...property.enum], at },
    };
  }
  return { ...base, message: `${name}=${shown} is not valid here.` };
}

/**
 * A named Java SDK reads durations with a unit (`5s`, `100ms`; ns, us, ms, s, m, h, d): DefaultConfigProperties
 * getDuration and getDurationUnit (docs/facts/java-properties.md §2).
 */
function javaDuration(entry: Valued, property: EnvVariableSchema, sdk: SdkId | undefined): boolean {
  return (sdk === 'java' || sdk === 'java-agent') && property['x-format'] === 'milliseconds' && /^\s*[0-9]+\s*(?:ns|us|ms|s|m|h|d)?\s*$/.test(entry.value);
}

const UNIT_MS: Record<string, number> = table({ ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 });

function millisecondsHint(value: string): string {
  const trimmed = value.trim();
  if (/^-[0-9]+$/.test(trimmed)) return 'a negative duration; SDKs warn and use the default.';
  const match = /^([0-9]+)(ns|us|ms|s|m|h|d)$/.exec(trimmed);
  if (match) {
    const ms = Number(match[1]) * UNIT_MS[match[2]];
    const suggestion = Number.isInteger(ms) ? ` Write ${ms}.` : '';
    return `only Java accepts unit suffixes; the spec and the other SDKs want plain integer milliseconds.${suggestion}`;
  }
  if (trimmed !== value && /^[0-9]+$/.test(trimmed)) return 'remove the surrounding blanks; SDKs parse the value as written.';
  return 'not a duration; write a non-negative integer of milliseconds. SDKs warn and use the default.';
}

/** Notes on values the schema accepts. */
function validValueNotes(entry: Valued, property: EnvVariableSchema, sdk: SdkId | undefined): Problem[] {
  const { written: name, value } = entry;
  const at = entry.locator;
  const canonical = entry.name;
  const format = property['x-format'];
  if (format === 'milliseconds' || format === 'integer' || format === 'positiveInteger') {
    if (Number(value) > MAX_INTEGER) {
      return [{ code: 'invalid-value', ...onValue(entry), severity: 'warning', message: `${name}=${value} is above ${MAX_INTEGER}, the largest value SDKs must support; it may be ignored.` }];
    }
    if (format === 'milliseconds' && canonical.startsWith(OTLP_PREFIX) && Number(value) === 0 && (sdk === undefined || sdk === 'js')) {
      return [{ code: 'invalid-value', ...onValue(entry), severity: sdk ? 'warning' : 'information', message: `${name}=0 means "no limit" in the spec, but the JS SDK rejects 0 (it warns and uses 10000).` }];
    }
    // Python reads the OTLP exporter timeouts in seconds (sdk-env.md §3.3 "Timeout unit").
    if (format === 'milliseconds' && canonical.startsWith(OTLP_PREFIX) && sdk === 'python' && Number(value) >= 1000) {
      const hours = Number(value) / 3600;
      return [{
        code: 'invalid-value',
        ...onValue(entry),
        severity: 'warning',
        message: `the Python SDK reads ${name} in seconds, not milliseconds: ${value} is ${hours >= 1 ? `${hours.toFixed(1)} hours` : `${Math.round(Number(value) / 60)} minutes`}. Write ${Math.max(1, Math.round(Number(value) / 1000))} for ${value} ms.`,
        data: { kind: 'values', values: [String(Math.max(1, Math.round(Number(value) / 1000)))], at },
      }];
    }
  }
  if (canonical.includes('PROTOCOL') && value.toLowerCase() === 'http/json' && sdk !== 'js') {
    if (sdk) {
      return [{ code: 'invalid-value', ...onValue(entry), severity: 'error', message: `${SDKS[sdk].label} does not support http/json (${sdk.startsWith('java') || sdk === 'python' ? 'it fails at startup' : 'it rejects it'}); only JS does. Use http/protobuf.`, data: { kind: 'values', values: ['http/protobuf'], at } }];
    }
    return [{ code: 'invalid-value', ...onValue(entry), severity: 'information', message: `http/json is in the spec, but only JS supports it: Java and Python fail at startup, .NET and Go autoexport reject it. Use http/protobuf unless every app reading this file is JS.` }];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Relations between variables (sdk-env.md §6 items 9 and 10)

function checkRelations(unit: AppUnit): Problem[] {
  const problems: Problem[] = [];
  const sampler = lookup(unit, 'OTEL_TRACES_SAMPLER');
  const arg = lookup(unit, 'OTEL_TRACES_SAMPLER_ARG');
  if (sampler?.value !== undefined && arg?.value !== undefined && sampler.value.toLowerCase().endsWith('traceidratio')) {
    const ratio = /^\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*$/.test(arg.value) ? Number(arg.value) : NaN;
    if (!(ratio >= 0 && ratio <= 1)) {
      problems.push({ code: 'invalid-value', ...onValue(arg), message: `OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(arg.value)} must be a ratio between 0 and 1 for ${sampler.value}; SDKs warn and sample everything (1.0).` });
    }
  }
  for (const processor of ['BSP', 'BLRP']) {
    const batch = lookup(unit, `OTEL_${processor}_MAX_EXPORT_BATCH_SIZE`);
    const queue = lookup(unit, `OTEL_${processor}_MAX_QUEUE_SIZE`);
    const queueSize = queue?.value !== undefined && /^[0-9]+$/.test(queue.value) ? Number(queue.value) : 2048;
    if (batch?.value !== undefined && /^[0-9]+$/.test(batch.value) && Number(batch.value) > queueSize) {
      problems.push({
        code: 'invalid-value',
        ...onValue(batch),
        severity: 'warning',
        message: `OTEL_${processor}_MAX_EXPORT_BATCH_SIZE (${batch.value}) must not exceed OTEL_${processor}_MAX_QUEUE_SIZE (${queueSize}${queue ? '' : ', the default'}).`,
      });
    }
  }
  return problems;
}

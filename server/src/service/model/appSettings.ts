/**
 * The settings model of the app side: one app's (process's) OTLP exporter settings, whatever the
 * source (env files and shell scripts, compose services, Dockerfile ENV, Java `-D` properties on command
 * lines and in JVM option variables, `.properties` files, the SDK's declarative config file; Kubernetes
 * `env:`). Each setting is named as the SDK reads it from the environment (OTEL_EXPORTER_OTLP_CERTIFICATE),
 * keeps the name as written for messages (`otel.exporter.otlp.certificate`), its value (or "unknown
 * here") and its spans; per-signal resolution follows the spec. The env checks, the pairing and the
 * handshake judgement read only this. What a process makes of the settings its sources wrote (JVM options
 * become system properties, which win; OTEL_CONFIG_FILE makes the rest ignored) is ./processSettings.ts.
 * Facts: ../shared/reference/sdk-env.md §1.1 (per-signal names), §1.2 (endpoint URLs), §1.4 (empty means unset).
 */
import type { Locator } from '../languageTypes';
import type { SdkDirective, SdkId } from '../sdk/sdks';
import { parseEndpoint } from './endpoint';

export type Signal = 'traces' | 'metrics' | 'logs';

export const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

export const OTLP_PREFIX = 'OTEL_EXPORTER_OTLP_';

/** One setting of an app, as its source wrote it. Offsets are into the unit's text. */
export interface AppSetting {
  /** The name as the SDK reads it from the environment: `OTEL_EXPORTER_OTLP_CERTIFICATE`. */
  name: string;
  /** The name as written (`OTEL_EXPORTER_OTLP_CERTIFICATE`, later `-Dotel.exporter.otlp.certificate`); messages use it. */
  written: string;
  /** The value as the SDK reads it (unquoted, unescaped); undefined when it cannot be known here (`${VAR}`). */
  value: string | undefined;
  nameOffset: number;
  nameLength: number;
  valueOffset: number;
  /** The value as written, quotes included. */
  valueLength: number;
  /** Where a fix finds this setting again. */
  locator: Locator;
  /**
   * How the SDK gets it, which decides precedence (a Java system property wins over the environment,
   * which wins over the agent's properties file): `env` when absent.
   */
  layer?: SettingLayer;
  /** A copy of a setting of another file (a compose service's env_file, AppUnit.parts): that file. */
  origin?: { path: string };
  /**
   * Why the value is not known here, when its source can say (a Kubernetes `valueFrom`, a `$(VAR)` of
   * one): checks/clusterValues.ts reports it, so the skipped checks are not silent. `warning` when the
   * value is known to be wrong (a `$(VAR)` the kubelet leaves as written).
   */
  /** Why the value is not known here; `first`, when set, the short what-to-do that opens the message. */
  unknown?: { why: string; warning?: boolean; first?: string };
}

/**
 * How a setting reaches the SDK, lowest precedence first (see ./processSettings.ts): the Java agent's
 * properties file, the environment, Java system properties; `config-file` for the settings of the
 * declarative file OTEL_CONFIG_FILE names (the only ones the SDK then reads).
 */
export type SettingLayer = 'properties-file' | 'env' | 'system-property' | 'config-file';

/** The names the sources keep: `OTEL_*`, and the variables that hold JVM options (./processSettings.ts reads them). */
export function isAppSettingName(name: string): boolean {
  return name.startsWith('OTEL_') || isJvmOptionsName(name);
}

/**
 * Variables whose value is JVM options: JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS (read by the JVM and the
 * `java` launcher), and `*_OPTS` (JAVA_OPTS, CATALINA_OPTS, JAVA_AGENT_OPTS: conventions of start
 * scripts, which pass them to `java`). docs/facts/java-properties.md §6.
 */
export function isJvmOptionsName(name: string): boolean {
  return name === 'JAVA_TOOL_OPTIONS' || name === 'JDK_JAVA_OPTIONS' || /^[A-Z][A-Z0-9_]*_OPTS$/.test(name);
}

/** A setting of the app's runtime (NODE_OPTIONS, SSL_CERT_FILE, …) that bears on TLS: ../certificates/runtimeTls.ts. */
export type RuntimeSetting = Omit<AppSetting, 'locator'>;

/** The OTLP settings of one app. */
export interface AppSettings {
  /** Every `OTEL_*` setting, in source order; a later one of the same name wins. */
  settings: AppSetting[];
  /** The SDK runtime's own TLS settings from the same environment, in source order (absent: the source has none). */
  runtime?: RuntimeSetting[];
  /** The SDK the source names (a `# otlp-tls: sdk=` comment naming a known SDK), if any. */
  sdk?: SdkId;
  /** The `# otlp-tls: sdk=<id>` comment as written, known id or not. */
  sdkDirective?: SdkDirective;
  /**
   * Settings the SDK does not read: with OTEL_CONFIG_FILE set, every other `OTEL_*` variable (the
   * declarative file decides; checks/envConfigFile.ts names them, no other check judges them).
   */
  ignored?: AppSetting[];
  /** The process is a JVM (a `java` command line, JVM options); `agent` when it loads the OpenTelemetry Java agent. */
  java?: { agent: boolean };
  /**
   * Where more settings may come from that cannot be read here (a Kubernetes `envFrom` of a ConfigMap
   * or Secret), with the span that names it; checks/clusterValues.ts says so.
   */
  opaqueSources?: { what: string; offset: number; length: number; reason?: string }[];
}

export interface SignalSettings {
  signal: Signal;
  endpoint?: AppSetting;
  /**
   * The URL the SDK sends this signal to (sdk-env.md §1.2): a per-signal endpoint as written
   * (plus `/` when it has no path), a generic one with `v1/<signal>` appended for OTLP/HTTP.
   * Protocol `grpc` uses either as written. An unset protocol is taken as the spec default
   * (http/protobuf). Undefined when no endpoint is set (the default depends on the SDK) or the
   * endpoint's value is unknown.
   */
  effectiveEndpoint?: string;
  protocol?: AppSetting;
  insecure?: AppSetting;
  certificate?: AppSetting;
  clientKey?: AppSetting;
  clientCertificate?: AppSetting;
}

/** A setting whose value is known here. */
export function isKnown(setting: AppSetting | undefined): setting is AppSetting & { value: string } {
  return setting !== undefined && setting.value !== undefined;
}

/**
 * The protocol one signal is sent with as its setting says, lower case: undefined when unset, ''
 * when set to a value unknown here (neither `grpc` nor `http/…`, so no rule reads it as either).
 */
export function protocolValue(s: SignalSettings): string | undefined {
  return s.protocol ? (s.protocol.value ?? '').toLowerCase() : undefined;
}

/** The last setting of `name` (later ones win), undefined when absent or empty (empty means unset, sdk-env.md §1.4). */
/**
 * The settings of another file that a later setting of the same name replaces (the compose `environment` over an
 * env_file or the image's ENV, a system property over the environment): the SDK never reads their values, so the
 * checks of values skip them. Repeats within one file are not in the set (each is judged as written).
 */
export function replacedAcrossFiles(app: AppSettings): Set<AppSetting> {
  // Settings all of one file (an env file: tens of thousands when pasted, issue 15's fuzzer) replace none across files,
  // without a map of their names (two checks asked it at each validation of a 2 MB env file: 100 ms).
  const first = app.settings[0]?.origin?.path;
  if (app.settings.every((setting) => setting.origin?.path === first)) return new Set();
  const last = new Map<string, AppSetting>();
  for (const setting of app.settings) last.set(setting.name, setting);
  const out = new Set<AppSetting>();
  for (const setting of app.settings) {
    const winner = last.get(setting.name)!;
    if (winner !== setting && winner.origin?.path !== setting.origin?.path) out.add(setting);
  }
  return out;
}

export function lookup(app: AppSettings, name: string): AppSetting | undefined {
  const settings = app.settings;
  if (settings.length > INDEX_FROM) {
    const setting = lastByName(settings).get(name);
    return setting === undefined || setting.value === '' ? undefined : setting;
  }
  for (let i = settings.length - 1; i >= 0; i--) {
    const setting = settings[i];
    if (setting.name === name) return setting.value === '' ? undefined : setting;
  }
  return undefined;
}

/**
 * Past this many settings, `lookup` asks an index by name instead of walking them: each signal's settings
 * take about fifteen lookups and several checks ask them, so an env file of 40,000 lines walked 12 million
 * settings per check (issue 15's fuzzer: a pasted env file, 1.1 s of one validation).
 */
const INDEX_FROM = 32;
/** The last setting of each name, by settings list; rebuilt when the list grew (sources push while they read). */
const indexes = new WeakMap<readonly AppSetting[], { length: number; byName: Map<string, AppSetting> }>();
function lastByName(settings: readonly AppSetting[]): Map<string, AppSetting> {
  let index = indexes.get(settings);
  if (!index || index.length !== settings.length) {
    const byName = new Map<string, AppSetting>();
    for (const setting of settings) byName.set(setting.name, setting);
    index = { length: settings.length, byName };
    indexes.set(settings, index);
  }
  return index.byName;
}

/**
 * Whether the SDK exports `signal` over OTLP at all: not when OTEL_SDK_DISABLED=true, nor when
 * OTEL_<SIGNAL>_EXPORTER lists no `otlp` (`none`, `console`...). Unset means the default, otlp.
 * An unknown value counts as exporting (sdk-env.md §6 items 21 and 22).
 */
export function exportsOverOtlp(app: AppSettings, signal: Signal): boolean {
  const disabled = lookup(app, 'OTEL_SDK_DISABLED');
  if (disabled?.value !== undefined && disabled.value.trim().toLowerCase() === 'true') return false;
  const exporter = lookup(app, `OTEL_${signal.toUpperCase()}_EXPORTER`);
  if (!exporter || exporter.value === undefined) return true;
  return exporter.value.split(',').some((name) => name.trim().toLowerCase() === 'otlp');
}

/** Obsolete per-signal INSECURE names, still read where implemented (sdk-env.md §1.1). */
const OBSOLETE_INSECURE: Partial<Record<Signal, string>> = {
  traces: `${OTLP_PREFIX}SPAN_INSECURE`,
  metrics: `${OTLP_PREFIX}METRIC_INSECURE`,
};

/** The settings one signal's exporter uses: the per-signal setting when set and non-empty, else the generic one. */
export function signalSettings(app: AppSettings, signal: Signal): SignalSettings {
  const S = signal.toUpperCase();
  const pick = (option: string): AppSetting | undefined => lookup(app, `${OTLP_PREFIX}${S}_${option}`) ?? lookup(app, `${OTLP_PREFIX}${option}`);
  const obsolete = OBSOLETE_INSECURE[signal];
  const settings: SignalSettings = {
    signal,
    endpoint: pick('ENDPOINT'),
    protocol: pick('PROTOCOL'),
    insecure: lookup(app, `${OTLP_PREFIX}${S}_INSECURE`) ?? (obsolete ? lookup(app, obsolete) : undefined) ?? lookup(app, `${OTLP_PREFIX}INSECURE`),
    certificate: pick('CERTIFICATE'),
    clientKey: pick('CLIENT_KEY'),
    clientCertificate: pick('CLIENT_CERTIFICATE'),
  };
  const effective = settings.endpoint && effectiveEndpoint(settings.endpoint, settings.protocol, signal);
  if (effective !== undefined) settings.effectiveEndpoint = effective;
  return settings;
}

function effectiveEndpoint(endpoint: AppSetting, protocol: AppSetting | undefined, signal: Signal): string | undefined {
  const value = endpoint.value;
  if (value === undefined) return undefined;
  if (protocol?.value?.toLowerCase() === 'grpc') return value;
  const perSignal = endpoint.name !== `${OTLP_PREFIX}ENDPOINT`;
  const url = parseEndpoint(value).url;
  if (perSignal) return url ? url.href : value; // `href` adds the `/` of an empty path
  if (!url) return `${value}${value.endsWith('/') ? '' : '/'}v1/${signal}`;
  url.pathname = `${url.pathname}${url.pathname.endsWith('/') ? '' : '/'}v1/${signal}`;
  return url.href;
}

/**
 * The text span of `value.slice(start, end)` of a setting, for diagnostics inside a value. Exact when
 * the value is written as-is (unquoted, or quoted without escapes); else the whole written value.
 */
export function valueSpan(text: string, setting: AppSetting, start: number, end: number): { offset: number; length: number } {
  const raw = text.slice(setting.valueOffset, setting.valueOffset + setting.valueLength);
  const value = setting.value ?? '';
  if (raw === value) return { offset: setting.valueOffset + start, length: end - start };
  if (isQuote(raw[0]) && raw.length === value.length + 2 && raw.endsWith(raw[0]) && raw.slice(1, -1) === value) {
    return { offset: setting.valueOffset + 1 + start, length: end - start };
  }
  return { offset: setting.valueOffset, length: setting.valueLength };
}

function isQuote(c: string | undefined): boolean {
  return c === '"' || c === "'" || c === '`';
}

/**
 * The OTLP endpoints of an app's settings (an env file's), judged with the protocol each signal uses:
 *   invalid-value           URL syntax (absolute http:// or https://, no blanks, no query or fragment),
 *                           OTLP/HTTP paths (a per-signal endpoint is used as written, a generic one gets
 *                           v1/<signal> appended), a gRPC endpoint with a path
 *   port-protocol-mismatch  4317 with http/*, 4318 with grpc; with no protocol set, which SDKs default to which,
 *                           or, when the SDK is named (settings.sdk, `# otlp-tls: sdk=`), whether its default fits
 * An endpoint holding `${...}` is unknown here and skipped.
 * Facts: ../shared/reference/sdk-env.md §1.2, §1.3, §3.1, §3.3 and §6 items 12 to 14.
 */
import type { AppCheckContext, Check } from './check';
import { SDKS, type SdkId } from '../sdk/sdks';
import type { Problem, RelatedLocation } from '../languageTypes';
import { asVerdict, MAX_KEPT_VALUE, part, placed } from './envVerdicts';
import { lookup, OTLP_PREFIX, replacedAcrossFiles, SIGNALS, signalSettings, type AppSetting, type AppSettings, type Signal } from '../model/appSettings';
import { parseEndpoint, type Endpoint } from '../model/endpoint';

const GENERIC_ENDPOINT = `${OTLP_PREFIX}ENDPOINT`;
const GRPC_PORT = '4317';
const HTTP_PORT = '4318';

type Setting = AppSetting;
/** A setting with a known value. */
type Valued = AppSetting & { value: string };

type Protocol = 'grpc' | 'http' | 'unset' | 'unknown';

/** The signals that send to one endpoint entry with the same protocol setting. */
interface Use {
  protocol?: Setting;
  kind: Protocol;
  /** With no protocol set and the SDK named: that SDK's default. */
  assumed?: 'grpc' | 'http';
  signals: Signal[];
}

/** The protocol a use sends with, when known: set, or the named SDK's default. */
function sendsWith(use: Use): 'grpc' | 'http' | undefined {
  return use.kind === 'grpc' || use.kind === 'http' ? use.kind : use.assumed;
}

export const envEndpoint: Check<AppCheckContext> = {
  name: 'envEndpoint',
  kind: 'app',
  run(context) {
    const { unit, sdk } = context;
    const memo = context.caches.envVerdicts.endpoints;
    const problems: Problem[] = [];
    // Who sends to an endpoint depends only on its name: computed once per name, not per setting.
    const usesByName = new Map<string, { uses: Use[]; key: string }>();
    // The protocol's related location, made once per protocol setting (at its place in this text).
    const relatedOf = new Map<Setting, RelatedLocation[]>();
    // A setting of another file that a later one replaces (the compose environment over an env_file or the image's
    // ENV, a container's env over what the operator would inject) is never sent to in this app: not judged here (its
    // own file, or another app reading it, judges it). Repeats within one file are each judged, as written.
    const replaced = replacedAcrossFiles(unit);
    for (const setting of unit.settings) {
      const signal = ENDPOINT_SIGNALS.get(setting.name);
      if (signal === undefined || !setting.value || replaced.has(setting)) continue;
      let byName = usesByName.get(setting.name);
      if (!byName) {
        const uses = usesOf(unit, signal, sdk);
        usesByName.set(setting.name, (byName = { uses, key: `${sdk ?? ''}|${usesKey(uses)}` }));
      }
      const { uses } = byName;
      const entry = setting as Valued;
      // What checkEndpoint reads besides the setting's place: the SDK, the name, the value and who sends to it.
      const keep = entry.value.length <= MAX_KEPT_VALUE;
      const key = entry.written === entry.name ? byName.key : `${byName.key}|${part(entry.written)}`;
      let verdict = keep ? memo.get(key, entry.name, entry.value) : undefined;
      if (!verdict) {
        const found: { problem: Problem; use: number }[] = [];
        const seen = new Set<string>();
        for (const problem of checkEndpoint(entry, signal, uses, sdk)) {
          if (seen.has(problem.message)) continue;
          seen.add(problem.message);
          const about = problem.data?.kind === 'port' && problem.data.protocol ? uses.findIndex((use) => use.protocol?.locator === (problem.data as { protocol?: unknown }).protocol) : -1;
          found.push({ problem: keep ? asVerdict(problem) : problem, use: about });
        }
        verdict = found;
        if (keep) memo.set(key, entry.name, entry.value, verdict);
      }
      for (const { problem, use } of verdict) {
        const protocol = use >= 0 ? uses[use].protocol : undefined;
        if (!protocol) {
          problems.push(placed(problem, entry.valueOffset, entry.valueLength, entry.locator));
          continue;
        }
        let related = relatedOf.get(protocol);
        if (!related) relatedOf.set(protocol, (related = [context.related(protocol.nameOffset, protocol.valueOffset + protocol.valueLength - protocol.nameOffset, 'the protocol is set here')]));
        problems.push(placed(problem, entry.valueOffset, entry.valueLength, entry.locator, { data: { protocol: protocol.locator }, related }));
      }
    }
    return problems;
  },
};

/** Who sends to an endpoint, as checkEndpoint reads it (a protocol setting by what it says, not where). */
function usesKey(uses: Use[]): string {
  return uses.map((use) => `${use.kind}|${use.assumed ?? ''}|${use.signals.join(',')}|${use.protocol ? `${part(use.protocol.written)}${JSON.stringify(use.protocol.value ?? null)}` : '-'}`).join(';');
}

const ENDPOINT_SIGNALS = new Map<string, Signal | 'generic'>([[GENERIC_ENDPOINT, 'generic'], ...SIGNALS.map((s) => [`${OTLP_PREFIX}${s.toUpperCase()}_ENDPOINT`, s] as [string, Signal])]);

function classify(protocol: Setting | undefined): Protocol {
  if (!protocol) return 'unset';
  const value = (protocol.value ?? '').toLowerCase();
  if (value === 'grpc') return 'grpc';
  if (value === 'http/protobuf' || value === 'http/json') return 'http';
  return 'unknown'; // a `${...}` reference, or a bad value envVariables reports
}

/** Who sends to this endpoint, grouped by protocol setting. A generic endpoint nobody uses is judged with the generic protocol. */
function usesOf(app: AppSettings, signal: Signal | 'generic', sdk: SdkId | undefined): Use[] {
  const assumed = sdk ? (SDKS[sdk].defaultProtocol === 'grpc' ? 'grpc' : 'http') : undefined;
  return usesBySetting(app, signal).map((use) => (use.kind === 'unset' && assumed ? { ...use, assumed } : use));
}

function usesBySetting(app: AppSettings, signal: Signal | 'generic'): Use[] {
  const signals = signal === 'generic' ? SIGNALS.filter((s) => !lookup(app, `${OTLP_PREFIX}${s.toUpperCase()}_ENDPOINT`)) : [signal];
  if (signals.length === 0) {
    const protocol = lookup(app, `${OTLP_PREFIX}PROTOCOL`);
    return [{ protocol, kind: classify(protocol), signals: [] }];
  }
  const groups = new Map<number, Use>();
  for (const s of signals) {
    const protocol = signalSettings(app, s).protocol;
    const key = protocol ? protocol.nameOffset : -1;
    const group = groups.get(key) ?? { protocol, kind: classify(protocol), signals: [] };
    group.signals.push(s);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The port and path an OTLP endpoint check looks at: for a URL, as the URL normalises them. */
function portAndPath(endpoint: Endpoint): { port: string; path: string } {
  return endpoint.url ? { port: endpoint.url.port, path: endpoint.url.pathname } : { port: endpoint.port, path: endpoint.path };
}

function checkEndpoint(entry: Valued, signal: Signal | 'generic', uses: Use[], sdk: SdkId | undefined): Problem[] {
  const { written: name, value } = entry;
  const at = { offset: entry.valueOffset, length: entry.valueLength };
  const problems: Problem[] = [];
  const anyHttp = uses.some((u) => sendsWith(u) === 'http');

  if (value !== value.trim()) {
    return [{ code: 'invalid-value', ...at, message: `${name} has blanks around the URL; SDKs do not trim it (Java fails, others build a broken URL). Remove them.` }];
  }
  const parsed = parseEndpoint(value);
  const { port, path } = portAndPath(parsed);
  switch (parsed.form) {
    case 'invalid': {
      const scheme = parsed.scheme;
      const why = scheme && scheme !== 'http' && scheme !== 'https' ? `the scheme must be http or https, not "${scheme}" (https:// means TLS, http:// plaintext)` : 'it is not a valid absolute URL';
      return [{ code: 'invalid-value', ...at, message: `${name}=${JSON.stringify(value)}: ${why}.` }];
    }
    case 'grpc-target':
      return anyHttp ? [{ code: 'invalid-value', ...at, message: `${name} uses the gRPC target scheme "${parsed.scheme}:", but the protocol is OTLP/HTTP, which needs an http:// or https:// URL.` }] : [];
    case 'schemeless':
      if (anyHttp) {
        return [{ code: 'invalid-value', ...at, message: `The endpoint has no scheme: write https:// (TLS) or http:// (plaintext). ${name}=${JSON.stringify(value)}: OTLP/HTTP needs an absolute URL such as https://${value} (TLS) or http://${value} (plaintext).` }];
      }
      problems.push({
        code: 'invalid-value',
        ...at,
        severity: 'warning',
        message:
          `The endpoint has no scheme: write https:// (TLS) or http:// (plaintext). ${SCHEMELESS[sdk ? SDK_STACK_OF[sdk] : 'any'](name, value)} Write https://${value} (TLS) or http://${value} (plaintext).`,
      });
      break;
    case 'url':
      if (parsed.url!.search || parsed.url!.hash) {
        problems.push({ code: 'invalid-value', ...at, severity: 'warning', message: `${name} has a ${parsed.url!.search ? 'query' : 'fragment'}: Java fails at startup, and the spec lets other SDKs ignore it. Remove it.` });
      }
      break;
  }

  const hasPath = path !== '' && path !== '/';
  for (const use of uses) {
    if (sendsWith(use) === 'grpc' && hasPath) {
      problems.push({
        code: 'invalid-value',
        ...at,
        severity: 'warning',
        message: `${name} has the path ${path}, but gRPC endpoints take none${protocolSays(use)}: Java fails at startup ("OTLP endpoint must not have a path"), Go dials a broken target, JS ignores the path. Remove it.`,
      });
    }
    if (parsed.form === 'url' && (use.kind === 'http' || (use.kind === 'unset' && use.assumed !== 'grpc'))) problems.push(...httpPath(entry, signal, use, { url: parsed.url!, port, path }));
    problems.push(...portProtocol(entry, port, use, sdk));
  }
  return problems;
}

/** OTLP/HTTP paths: per-signal endpoints are used as written, generic ones get v1/<signal> appended (sdk-env.md §1.2). */
function httpPath(entry: Valued, signal: Signal | 'generic', use: Use, parsed: { url: URL; port: string; path: string }): Problem[] {
  const at = { code: 'invalid-value' as const, offset: entry.valueOffset, length: entry.valueLength, severity: 'warning' as const };
  const path = parsed.path.endsWith('/') && parsed.path.length > 1 ? parsed.path.slice(0, -1) : parsed.path;
  const signalPath = SIGNALS.find((s) => path.endsWith(`/v1/${s}`));
  if (signal === 'generic') {
    if (!signalPath) return [];
    const example = use.signals.includes(signalPath) ? signalPath : (use.signals[0] ?? signalPath);
    return [{
      ...at,
      message:
        `OTEL_EXPORTER_OTLP_ENDPOINT is a base URL: for OTLP/HTTP the SDK appends v1/<signal>, so ${example} go to ${path}/v1/${example}. ` +
        `Remove /v1/${signalPath}, or set it as OTEL_EXPORTER_OTLP_${signalPath.toUpperCase()}_ENDPOINT, which is used as written.`,
    }];
  }
  if (signalPath && signalPath !== signal) {
    return [{ ...at, message: `${entry.written} ends with /v1/${signalPath}: the SDK sends ${signal} there, to the ${signalPath} path. Use /v1/${signal}.` }];
  }
  // With no protocol set, only port 4318 says the user meant OTLP/HTTP.
  if (!signalPath && path === '/' && (use.kind === 'http' || parsed.port === HTTP_PORT)) {
    const origin = parsed.url.origin;
    return [{
      ...at,
      message:
        `A per-signal endpoint is used as written${use.kind === 'unset' ? ' with OTLP/HTTP' : ''}: ${signal} go to ${origin}/, not to ${origin}/v1/${signal}. ` +
        `Append /v1/${signal}, or set OTEL_EXPORTER_OTLP_ENDPOINT instead (the SDK appends the path to it).`,
    }];
  }
  return [];
}

const DEFAULT_GRPC = 'the Java SDK autoconfigure, Python and the .NET SDK default to grpc';
const DEFAULT_HTTP = 'the Java agent, the Spring Boot starter, JS (sdk-node), Go autoexport and .NET auto-instrumentation default to http/protobuf';

/** Port 4317 is OTLP/gRPC, 4318 OTLP/HTTP (opentelemetry-proto docs/specification.md); Java warns on a mismatch too. */
function portProtocol(entry: Valued, port: string, use: Use, sdk: SdkId | undefined): Problem[] {
  if (port !== GRPC_PORT && port !== HTTP_PORT) return [];
  const at = { code: 'port-protocol-mismatch' as const, offset: entry.valueOffset, length: entry.valueLength };
  const protocol = use.protocol;
  // The related location (the protocol setting) is placed by the caller, at the protocol's place now.
  const related = protocol ? { related: [] as RelatedLocation[] } : {};
  const data = { kind: 'port' as const, at: entry.locator, ...(protocol ? { protocol: protocol.locator } : {}) };
  if (port === GRPC_PORT && use.kind === 'http') {
    return [{
      ...at,
      ...related,
      data,
      message:
        `OTLP/HTTP sent to the gRPC port 4317: use port 4318, or set the protocol to grpc. ${protocol!.written}=${protocol!.value}${forSignals(use)}: the exporter sends HTTP requests to a gRPC listener, ` +
        `which fails (typically "malformed HTTP response").`,
    }];
  }
  if (port === HTTP_PORT && use.kind === 'grpc') {
    return [{
      ...at,
      ...related,
      data,
      message:
        `gRPC sent to the OTLP/HTTP port 4318: use port 4317, or set the protocol to http/protobuf. ${protocol!.written}=grpc${forSignals(use)}: a gRPC client cannot talk to an OTLP/HTTP listener.`,
    }];
  }
  if (use.kind !== 'unset') return [];
  const grpcPort = port === GRPC_PORT;
  const wanted = grpcPort ? 'grpc' : 'http/protobuf';
  if (sdk) {
    // The SDK is known, so its default protocol is too: a mismatch is certain.
    const { label, defaultProtocol } = SDKS[sdk];
    if (defaultProtocol === wanted) return [];
    return [{
      ...at,
      data: { ...data, add: { name: `${OTLP_PREFIX}PROTOCOL`, value: wanted } },
      message:
        `${capitalizeFirst(label)} sends ${defaultProtocol} to port ${port}: set OTEL_EXPORTER_OTLP_PROTOCOL=${wanted}. ` +
        `Or use port ${grpcPort ? HTTP_PORT : GRPC_PORT}, the ${grpcPort ? 'OTLP/HTTP' : 'gRPC'} port. No OTEL_EXPORTER_OTLP_PROTOCOL is set${forSignals(use)} and ${label} defaults to ${defaultProtocol}: ${grpcPort ? 'it sends HTTP requests to the gRPC listener (typically "malformed HTTP response")' : 'a gRPC client cannot talk to an OTLP/HTTP listener'}.`,
    }];
  }
  return [{
    ...at,
    severity: 'information',
    data,
    message:
      `Some SDKs send the other protocol to port ${port}: set OTEL_EXPORTER_OTLP_PROTOCOL=${wanted}. ` +
      `Port ${port} is the OTLP/${grpcPort ? 'gRPC' : 'HTTP'} port, but no OTEL_EXPORTER_OTLP_PROTOCOL is set${forSignals(use)}, so the SDK default decides: ` +
      `${DEFAULT_GRPC}${grpcPort ? ' (matches)' : ' (a gRPC client cannot talk to port 4318)'}; ${DEFAULT_HTTP}${grpcPort ? ' (they would send HTTP to the gRPC port)' : ' (matches)'}. ` +
      `Or name the SDK (otlpTls.sdk, or a "# otlp-tls: sdk=<id>" line) for an exact verdict.`,
  }];
}

function protocolSays(use: Use): string {
  return use.protocol ? ` (${use.protocol.written}=${use.protocol.value})` : '';
}

function forSignals(use: Use): string {
  return use.signals.length > 0 && use.signals.length < SIGNALS.length ? ` for ${use.signals.join(' and ')}` : '';
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a scheme-less gRPC endpoint does, for the named SDK only (or every SDK when none is named). */
const SCHEMELESS: Record<'any' | 'java' | 'go' | 'node' | 'python' | 'dotnet', (name: string, value: string) => string> = {
  any: (name, value) => `SDKs read ${name}=${JSON.stringify(value)} differently: Java fails at startup ("OTLP endpoint must be a valid URL"), Go's exporter sees an empty host, JS and Python connect with TLS unless OTEL_EXPORTER_OTLP_INSECURE=true.`,
  java: (name, value) => `With ${name}=${JSON.stringify(value)} the Java SDK fails at startup ("OTLP endpoint must be a valid URL").`,
  go: (name, value) => `With ${name}=${JSON.stringify(value)} Go's exporter sees an empty host.`,
  node: (name, value) => `With ${name}=${JSON.stringify(value)} the JS SDK connects with TLS unless OTEL_EXPORTER_OTLP_INSECURE=true.`,
  python: (name, value) => `With ${name}=${JSON.stringify(value)} the Python SDK connects with TLS unless OTEL_EXPORTER_OTLP_INSECURE=true.`,
  dotnet: (name, value) => `${name}=${JSON.stringify(value)} is not a URL; what the .NET SDK does with it is not known here.`,
};
const SDK_STACK_OF: Record<SdkId, 'java' | 'go' | 'node' | 'python' | 'dotnet'> = { java: 'java', 'java-agent': 'java', go: 'go', js: 'node', python: 'python', dotnet: 'dotnet', 'dotnet-auto': 'dotnet' };

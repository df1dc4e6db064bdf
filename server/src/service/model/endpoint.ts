/**
 * The one endpoint parser: what an OTLP endpoint as written says (an SDK's OTEL_EXPORTER_OTLP_*ENDPOINT,
 * a Collector exporter's `endpoint`): `https://host:4318/v1/traces`, `host:4317`, `[::1]:4317`,
 * `dns:///host:4317`, `unix:/path`. The authority ends at the first `/`, `?` or `#`; userinfo is dropped;
 * a bracketed IPv6 host loses its brackets. Pairing, the endpoint checks, the per-signal URL, the
 * host-name fixes and the suggested certificate hosts all read endpoints through it.
 * Facts: ../shared/reference/sdk-env.md §1.2; gRPC name resolvers (grpc-go, grpc-java) for the target schemes.
 */
import { expandValue } from '../yaml/substitution';

/** Targets only gRPC resolves (grpc-go/grpc-java name resolvers). */
export const GRPC_TARGET_SCHEMES: ReadonlySet<string> = new Set(['dns', 'unix', 'unix-abstract', 'ipv4', 'ipv6', 'xds', 'passthrough']);

export interface Endpoint {
  /**
   * `url`: http:// or https:// that parses as a URL; `schemeless`: host[:port][/path];
   * `grpc-target`: a gRPC resolver target (`dns:`, `unix:`...); `invalid`: anything else (`htp://x`, `https:x`).
   */
  form: 'url' | 'schemeless' | 'grpc-target' | 'invalid';
  /** Lower case, when written as `scheme://` (or a gRPC target scheme); undefined for `host:4317`. */
  scheme?: string;
  /** The parsed URL, for form `url`. */
  url?: URL;
  /** The host, brackets removed; undefined when there is no usable host and port. */
  host?: string;
  /** [start, end) of the host in the text, brackets included. */
  hostSpan?: [number, number];
  /** The port as written, '' when none. */
  port: string;
  /** From the `/` that ends the authority ('' when none). */
  path: string;
}

/** The scheme part of an endpoint: the name before `:` (lower case), whether `//` follows, and the scheme it makes (see Endpoint.scheme). */
function schemePart(text: string): { match: RegExpExecArray | null; named?: string; slashes: boolean; scheme?: string } {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text);
  const named = match?.[1].toLowerCase();
  const slashes = match !== null && text.startsWith('//', match[0].length);
  return { match, named, slashes, scheme: named !== undefined && (slashes || GRPC_TARGET_SCHEMES.has(named)) ? named : undefined };
}

/** Endpoint.scheme without the rest of the parse (no URL is built), for the rules that only need the scheme. */
export function schemeOf(text: string): string | undefined {
  return schemePart(text).scheme;
}

export function parseEndpoint(text: string): Endpoint {
  const { match: schemeMatch, named, slashes, scheme } = schemePart(text);
  if (named === 'http' || named === 'https') {
    if (!slashes) return { form: 'invalid', port: '', path: '' };
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { form: 'invalid', scheme, port: '', path: '' };
    }
    return { form: 'url', scheme, url, ...authority(text, schemeMatch![0].length + 2) };
  }
  if (scheme !== undefined && GRPC_TARGET_SCHEMES.has(scheme)) {
    // dns://[authority]/host:port and passthrough:///host:port name a host; the other targets do not.
    if (!slashes || (scheme !== 'dns' && scheme !== 'passthrough')) return { form: 'grpc-target', scheme, port: '', path: '' };
    const slash = text.indexOf('/', schemeMatch![0].length + 2);
    return { form: 'grpc-target', scheme, ...(slash < 0 ? { port: '', path: '' } : authority(text, slash + 1)) };
  }
  if (slashes) return { form: 'invalid', scheme, port: '', path: '' }; // htp://, grpc://, tcp://...
  return { form: 'schemeless', ...authority(text, 0) };
}

/** Host, port and path of the authority starting at `start`. */
function authority(text: string, start: number): Pick<Endpoint, 'host' | 'hostSpan' | 'port' | 'path'> {
  let end = start;
  while (end < text.length && text[end] !== '/' && text[end] !== '?' && text[end] !== '#') end++;
  const path = text[end] === '/' ? text.slice(end) : '';
  let hostStart = start;
  const at = text.lastIndexOf('@', end - 1);
  if (at >= start) hostStart = at + 1;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text.slice(hostStart, end));
  if (!m) return { port: /:(\d+)$/.exec(text.slice(hostStart, end))?.[1] ?? '', path };
  const host = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return { host, hostSpan: [hostStart, hostStart + m[1].length], port: m[2] ?? '', path };
}

/** The port a client connects to: written, or the scheme's default (443, 80); undefined without one. */
export function connectPort(endpoint: Endpoint): number | undefined {
  if (!endpoint.host) return undefined;
  if (endpoint.port !== '') return Number(endpoint.port);
  return endpoint.scheme === 'https' ? 443 : endpoint.scheme === 'http' ? 80 : undefined;
}

/** `http` or `https` when the endpoint (or its text) says so with its scheme; undefined otherwise. */
export function tlsScheme(endpoint: Endpoint | string): 'http' | 'https' | undefined {
  const scheme = typeof endpoint === 'string' ? schemeOf(endpoint) : endpoint.scheme;
  return scheme === 'http' || scheme === 'https' ? scheme : undefined;
}

/** The host of an endpoint as written (trimmed), or undefined. */
export function hostOf(text: string | undefined): string | undefined {
  return text ? parseEndpoint(text.trim()).host : undefined;
}

/**
 * The port a listener binds (`0.0.0.0:4317`, `:4317`, `[::]:4317`, `${env:HOST}:4317`): `${env:…}` is
 * expanded where known; an unknown host before a literal port still gives the port.
 */
export function bindPort(endpoint: string, getEnv: (name: string) => string | undefined): number | undefined {
  let text = endpoint;
  if (text.includes('${')) {
    const expanded = expandValue(text, getEnv);
    const port = /:(\d+)$/.exec(text)?.[1];
    if (expanded.kind === 'substituted' && expanded.value !== undefined) text = expanded.value;
    else if (port) return Number(port); // `${env:MY_POD_IP}:4317`: the host is unknown, the port is not
    else return undefined;
  }
  const m = /:(\d+)$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * The SDK that reads an env file, when the user names it: the `otlpTls.sdk` setting (CLI `--sdk`), or
 * a `# otlp-tls: sdk=<id>` comment in the env file, which wins. Unnamed, the checks say what each SDK
 * does; named, they say what this one does (default protocol and endpoint).
 * Facts: ../shared/reference/sdk-env.md §3.1 (default protocol) and §3.3 (default endpoint scheme).
 */
export const SDK_IDS = ['java', 'java-agent', 'python', 'go', 'js', 'dotnet', 'dotnet-auto'] as const;
export type SdkId = (typeof SDK_IDS)[number];

export interface SdkFacts {
  /** For messages: "the Java agent defaults to ...". */
  label: string;
  /** The protocol used when no OTEL_EXPORTER_OTLP_PROTOCOL is set. */
  defaultProtocol: 'grpc' | 'http/protobuf';
  /** The scheme of the default endpoint (localhost, port 4317 for gRPC, 4318 for HTTP). */
  defaultScheme: 'http' | 'https';
}

export const SDKS: Readonly<Record<SdkId, SdkFacts>> = {
  java: { label: 'the Java SDK (autoconfigure)', defaultProtocol: 'grpc', defaultScheme: 'http' },
  'java-agent': { label: 'the Java agent', defaultProtocol: 'http/protobuf', defaultScheme: 'http' },
  python: { label: 'the Python SDK', defaultProtocol: 'grpc', defaultScheme: 'http' },
  go: { label: 'Go (autoexport)', defaultProtocol: 'http/protobuf', defaultScheme: 'https' },
  js: { label: 'JS (sdk-node)', defaultProtocol: 'http/protobuf', defaultScheme: 'http' },
  dotnet: { label: 'the .NET SDK', defaultProtocol: 'grpc', defaultScheme: 'http' },
  'dotnet-auto': { label: '.NET auto-instrumentation', defaultProtocol: 'http/protobuf', defaultScheme: 'http' },
};

export function isSdkId(value: unknown): value is SdkId {
  return typeof value === 'string' && (SDK_IDS as readonly string[]).includes(value);
}

/** `# otlp-tls: sdk=python` on a line of its own; `id` as written (maybe not a known id). */
const DIRECTIVE = /^[ \t]*#[ \t]*otlp-tls:[ \t]*sdk[ \t]*=[ \t]*([^\s#]*)/m;

export interface SdkDirective {
  id: string;
  offset: number;
  length: number;
}

export function sdkDirective(text: string): SdkDirective | undefined {
  const match = DIRECTIVE.exec(text);
  if (!match) return undefined;
  const id = match[1];
  return { id, offset: match.index + match[0].length - id.length, length: id.length };
}

/** What an app unit takes from its directive: the SDK when the id is known, and the directive itself (checked as written). */
export function directiveFields(directive: SdkDirective | undefined): { sdk?: SdkId; sdkDirective?: SdkDirective } {
  if (!directive) return {};
  return isSdkId(directive.id) ? { sdk: directive.id, sdkDirective: directive } : { sdkDirective: directive };
}

/**
 * Whether a named SDK connects with TLS when an explicit INSECURE meets an http:// or https:// endpoint,
 * with the reason; undefined when the scheme decides (the spec's rule). From the SDKs' sources:
 * - Go (otlptrace*, internal/otlpconfig/envconfig.go): the option from INSECURE is appended after the one
 *   from the scheme, so INSECURE wins, for gRPC and HTTP alike;
 * - Python gRPC (exporter.py `_get_credentials`): INSECURE is read only when the scheme is not https, so
 *   http:// with INSECURE=false uses TLS; the Python HTTP exporter does not read INSECURE;
 * - JS follows the scheme; Java and .NET do not read INSECURE (sdk-env.md §3.2, §3.3).
 */
export function insecureOverride(sdk: SdkId, scheme: 'http' | 'https', insecure: boolean, protocol: 'grpc' | 'http'): { usesTls: boolean; how: string } | undefined {
  // INSECURE that agrees with the scheme changes nothing anywhere.
  if (insecure === (scheme === 'http')) return undefined;
  if (sdk === 'go') {
    return { usesTls: !insecure, how: `Go's exporter applies INSECURE after the scheme, so it connects ${insecure ? 'in plaintext despite https://' : 'with TLS despite http://'}` };
  }
  if (sdk === 'python' && protocol === 'grpc' && scheme === 'http' && !insecure) {
    return { usesTls: true, how: 'the Python gRPC exporter lets INSECURE=false turn TLS on, so it connects with TLS despite http://' };
  }
  return undefined;
}

/** Why INSECURE has no effect against the scheme in a named SDK (when insecureOverride says the scheme decides). */
export function insecureIgnored(sdk: SdkId, scheme: 'http' | 'https', protocol: 'grpc' | 'http'): string {
  switch (sdk) {
    case 'java':
    case 'java-agent':
    case 'dotnet':
    case 'dotnet-auto':
      return `${SDKS[sdk].label} does not read INSECURE, so it has no effect`;
    case 'python':
      if (protocol === 'http') return 'the Python OTLP/HTTP exporter does not read INSECURE, so it has no effect';
      return 'Python follows the https:// scheme and connects with TLS, so it has no effect';
    default:
      return `${sdk === 'js' ? 'JS' : SDKS[sdk].label} follows the ${scheme}:// scheme and connects ${scheme === 'https' ? 'with TLS' : 'in plaintext'}, so it has no effect`;
  }
}

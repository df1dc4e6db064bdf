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

/** The SDK of an env file: its directive when that names a known SDK, else the setting. */
export function sdkOf(text: string, setting: SdkId | undefined): SdkId | undefined {
  const directive = sdkDirective(text);
  return directive && isSdkId(directive.id) ? directive.id : setting;
}

/**
 * Which TLS variables a named SDK actually reads for one signal (sdk-env.md §3.2 and §6 item 17):
 * - .NET (SDK and auto-instrumentation) reads only the generic OTEL_EXPORTER_OTLP_CERTIFICATE,
 *   _CLIENT_KEY and _CLIENT_CERTIFICATE, never the per-signal ones;
 * - Python's gRPC exporter reads the client certificate and key only when a CERTIFICATE is set too.
 */
import { lookup, OTLP_PREFIX, type AppSettings, type SignalSettings } from '../model/appSettings';
import { SDKS, type SdkId } from './sdks';

export interface TlsAsRead {
  settings: SignalSettings;
  /** Why a client pair that is written is not read, for messages. */
  clientPairIgnored?: string;
}

export function tlsAsRead(app: AppSettings, s: SignalSettings, sdk: SdkId | undefined, protocol: 'grpc' | 'http'): TlsAsRead {
  let settings = s;
  if (sdk === 'dotnet' || sdk === 'dotnet-auto') {
    settings = {
      ...settings,
      certificate: lookup(app, `${OTLP_PREFIX}CERTIFICATE`),
      clientKey: lookup(app, `${OTLP_PREFIX}CLIENT_KEY`),
      clientCertificate: lookup(app, `${OTLP_PREFIX}CLIENT_CERTIFICATE`),
    };
  }
  if (sdk === 'python' && protocol === 'grpc' && !settings.certificate && (settings.clientKey || settings.clientCertificate)) {
    return {
      settings: { ...settings, clientKey: undefined, clientCertificate: undefined },
      clientPairIgnored: `${SDKS.python.label}'s gRPC exporter ignores the client certificate and key when no CERTIFICATE is set`,
    };
  }
  return { settings };
}

/** Per-signal TLS variables (OTEL_EXPORTER_OTLP_<SIGNAL>_CERTIFICATE...) that a named SDK never reads. */
export function ignoresPerSignalTls(sdk: SdkId | undefined): boolean {
  return sdk === 'dotnet' || sdk === 'dotnet-auto';
}

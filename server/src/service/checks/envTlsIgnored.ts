/**
 * `tls-ignored` in an app's settings: TLS settings that the endpoint's scheme makes dead or contradictory,
 * per signal (per-signal settings override generic ones), for signals exported over OTLP:
 *   - CERTIFICATE / CLIENT_CERTIFICATE / CLIENT_KEY with an http:// endpoint: plaintext, the files are never read;
 *   - the same with no endpoint set (information: the process may get one elsewhere): the SDK
 *     default applies, http://localhost (plaintext) everywhere but Go;
 *   - INSECURE=true with https://: JS and Python follow the scheme (TLS), Go applies INSECURE after it (plaintext);
 *   - INSECURE=false with http://: JS follows the scheme (plaintext), Go and Python's gRPC exporter turn TLS on.
 * With the SDK named (../sdk/sdks.ts), the messages say what that SDK does.
 * Whether the handshake then works against the paired receiver is the handshake check's business.
 * Facts: ../shared/reference/sdk-env.md §1.3, §3.3 ("INSECURE vs scheme", "Default endpoint scheme") and §6 item 15.
 */
import type { AppCheckContext, Check } from './check';
import type { DiagnosticData, Problem } from '../languageTypes';
import { OTLP_PREFIX, isKnown, protocolValue, signalSettings, type AppSetting, type SignalSettings } from '../model/appSettings';
import { sdkClientTls } from '../model/clientTls';
import { tlsScheme } from '../model/endpoint';
import { perSignal } from '../problems';
import { SDKS, insecureIgnored, insecureOverride, type SdkId } from '../sdk/sdks';

const GENERIC_ENDPOINT = `${OTLP_PREFIX}ENDPOINT`;

export const envTlsIgnored: Check<AppCheckContext> = {
  name: 'envTlsIgnored',
  kind: 'app',
  run(context) {
    return perSignal(context.unit, (signal) => findings(signalSettings(context.unit, signal), context, context.sdk));
  },
};

function findings(s: SignalSettings, context: AppCheckContext, sdk: SdkId | undefined): Problem[] {
  const files = [s.certificate, s.clientCertificate, s.clientKey].filter(isKnown);
  const problems: Problem[] = [];
  const endpoint = s.endpoint;
  if (!endpoint) {
    const protocol = protocolValue(s) ?? (sdk ? SDKS[sdk].defaultProtocol : undefined);
    const port = protocol?.startsWith('http/') ? '4318' : '4317';
    // A named SDK whose default endpoint is https:// (Go) uses the certificate.
    if (sdk && SDKS[sdk].defaultScheme === 'https') return problems;
    const whatDefault = sdk
      ? `${SDKS[sdk].label} sends to its default, plaintext http://localhost:${port}`
      : 'the SDK default applies, which is plaintext http://localhost:4317 or :4318 in Java, Python, JS and .NET (only Go defaults to https://localhost)';
    for (const file of files) {
      // Information only: the endpoint may come from elsewhere (a compose file, a Kubernetes manifest).
      problems.push(on(file, {
        severity: 'information',
        message:
          `No endpoint here, so this may go unused: set ${GENERIC_ENDPOINT}=https://<host>:${port}. ` +
          `${file.written} has no effect unless the process gets an endpoint elsewhere: ${whatDefault}.`,
        data: { kind: 'add-variable', name: GENERIC_ENDPOINT, value: `https://localhost:${port}`, at: file.locator },
      }));
    }
    return problems;
  }
  if (!isKnown(endpoint)) return problems;
  const scheme = tlsScheme(endpoint.value);
  const related = [context.related(endpoint.nameOffset, endpoint.valueOffset + endpoint.valueLength - endpoint.nameOffset, `the endpoint is set here`)];

  const insecure = isKnown(s.insecure) ? s.insecure : undefined;
  const isTrue = insecure?.value.trim().toLowerCase() === 'true';
  const protocol = (protocolValue(s) ?? (sdk ? SDKS[sdk].defaultProtocol : 'grpc')).startsWith('http/') ? 'http' : 'grpc';
  // A named SDK may let INSECURE override the scheme (Go; Python's gRPC exporter with http://).
  const override = sdk && insecure && scheme ? insecureOverride(sdk, scheme, isTrue, protocol) : undefined;
  if (scheme === 'http' && !sdkClientTls(s, scheme, protocol, sdk)!.usesTls) {
    for (const file of files) {
      problems.push(on(file, {
        message: `${file.written} is not used: ${endpoint.written} is http:// (plaintext). Use https:// for TLS. Over http:// the exporter never reads this file.`,
        related,
        data: { kind: 'scheme', from: 'http', to: 'https', endpoint: endpoint.locator, at: file.locator },
        // The plaintext endpoint is the cause: where the handshake check reports it, this is a related place of it.
        cause: { code: 'plaintext-endpoint', offset: endpoint.valueOffset, length: endpoint.valueLength, note: `${file.written} is not used while ${endpoint.written} is http://` },
      }));
    }
  }

  if (!insecure || !scheme) return problems;
  const grpcOnly = protocol === 'http' ? ' INSECURE is a gRPC setting in the spec; OTLP/HTTP exporters follow the scheme (Go\'s reads INSECURE anyway).' : '';
  const named = sdk ? `${override?.how ?? insecureIgnored(sdk, scheme, protocol)}.` : undefined;
  if (isTrue && scheme === 'https') {
    const what = named ?? `the spec says the scheme wins, and JS and Python connect with TLS, but Go's exporter applies INSECURE after the scheme and connects in plaintext; Java does not read INSECURE.${grpcOnly}`;
    problems.push(on(insecure, {
      message: `This INSECURE=true contradicts the https:// endpoint: remove it, or use http:// for plaintext. ${insecure.written}=${insecure.value} and ${endpoint.written} is https://: ${what}`,
      related,
      data: { kind: 'remove-key', at: insecure.locator },
    }));
  } else if (!isTrue && scheme === 'http') {
    const what = named ?? `JS follows the scheme and connects in plaintext, but Go's exporter (and Python's gRPC one) let INSECURE=false turn TLS on; Java does not read INSECURE.${grpcOnly}`;
    problems.push(on(insecure, {
      message: `This INSECURE=false contradicts the http:// endpoint: remove it, or use https:// for TLS. ${insecure.written}=${insecure.value} and ${endpoint.written} is http://: ${what}`,
      related,
      data: { kind: 'remove-key', at: insecure.locator },
    }));
  }
  return problems;
}

function on(setting: AppSetting, rest: { message: string; severity?: Problem['severity']; related?: Problem['related']; data: DiagnosticData; cause?: Problem['cause'] }): Problem {
  return { code: 'tls-ignored', offset: setting.valueOffset, length: setting.valueLength, ...rest };
}

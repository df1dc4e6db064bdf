/**
 * `tls-ignored` in an env file: TLS settings that the endpoint's scheme makes dead or contradictory,
 * per signal (per-signal variables override generic ones), for signals exported over OTLP:
 *   - CERTIFICATE / CLIENT_CERTIFICATE / CLIENT_KEY with an http:// endpoint: plaintext, the files are never read;
 *   - the same with no endpoint in the file (information: the process may get one elsewhere): the SDK
 *     default applies, http://localhost (plaintext) everywhere but Go;
 *   - INSECURE=true with https://: JS and Python follow the scheme (TLS), Go applies INSECURE after it;
 *   - INSECURE=false with http://: JS follows the scheme (plaintext), Python and Go turn TLS on.
 * Whether the handshake then works against the paired receiver is the handshake check's business.
 * Facts: ../shared/reference/sdk-env.md §1.3, §3.3 ("INSECURE vs scheme", "Default endpoint scheme") and §6 item 15.
 */
import type { Check, EnvCheckContext } from './check';
import type { DiagnosticData, Problem } from '../languageTypes';
import { relatedAt } from '../certificates/references';
import { SDKS, sdkOf, type SdkId } from '../sdk/sdks';
import { exportsOverOtlp, holdsReference, OTLP_PREFIX, SIGNALS, signalSettings, type Setting, type Signal, type SignalSettings } from '../documents/envFile';

const GENERIC_ENDPOINT = `${OTLP_PREFIX}ENDPOINT`;

export const envTlsIgnored: Check<EnvCheckContext> = {
  name: 'envTlsIgnored',
  kind: 'env',
  run({ model, document, settings }) {
    const sdk = sdkOf(document.text, settings.sdk);
    // One problem per place and message, listing the signals it applies to when not all of them.
    const merged = new Map<string, { problem: Problem; signals: Signal[] }>();
    for (const signal of SIGNALS) {
      if (!exportsOverOtlp(model, signal)) continue;
      for (const problem of findings(signalSettings(model, signal), document, sdk)) {
        const key = `${problem.offset}:${problem.message}`;
        const existing = merged.get(key);
        if (existing) existing.signals.push(signal);
        else merged.set(key, { problem, signals: [signal] });
      }
    }
    return [...merged.values()].map(({ problem, signals }) =>
      signals.length === SIGNALS.length ? problem : { ...problem, message: `${signals.map(capitalize).join(', ')}: ${problem.message}` },
    );
  },
};

/** What INSECURE does against the scheme in each SDK, for the two contradictions (sdk-env.md §3.2, §3.3). */
const INSECURE_WITH_HTTPS: Record<SdkId, string> = {
  java: 'the Java SDK does not read INSECURE, so it has no effect',
  'java-agent': 'the Java agent does not read INSECURE, so it has no effect',
  python: 'Python follows the https:// scheme and connects with TLS, so it has no effect',
  go: "Go's exporter applies INSECURE after the scheme and may connect in plaintext",
  js: 'JS follows the https:// scheme and connects with TLS, so it has no effect',
  dotnet: '.NET does not read INSECURE, so it has no effect',
  'dotnet-auto': '.NET auto-instrumentation does not read INSECURE, so it has no effect',
};
const INSECURE_WITH_HTTP: Record<SdkId, string> = {
  java: 'the Java SDK does not read INSECURE, so it has no effect',
  'java-agent': 'the Java agent does not read INSECURE, so it has no effect',
  python: 'Python lets INSECURE=false turn TLS on, so it connects with TLS despite http://',
  go: "Go's exporter applies INSECURE after the scheme, so it connects with TLS despite http://",
  js: 'JS follows the http:// scheme and connects in plaintext, so it has no effect',
  dotnet: '.NET does not read INSECURE, so it has no effect',
  'dotnet-auto': '.NET auto-instrumentation does not read INSECURE, so it has no effect',
};

function findings(s: SignalSettings, document: { path: string; text: string }, sdk: SdkId | undefined): Problem[] {
  const files = [s.certificate, s.clientCertificate, s.clientKey].filter((f): f is Setting => f !== undefined && !holdsReference(f.value));
  const problems: Problem[] = [];
  const endpoint = s.endpoint;
  if (!endpoint) {
    const protocol = s.protocol?.value.toLowerCase() ?? (sdk ? SDKS[sdk].defaultProtocol : undefined);
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
          `${file.entry.name} may have no effect: no ${GENERIC_ENDPOINT} is set in this file, and unless the process gets one elsewhere, ${whatDefault}. ` +
          `Set ${GENERIC_ENDPOINT}=https://<collector host>:${port}.`,
        data: { kind: 'add-variable', name: GENERIC_ENDPOINT, value: `https://localhost:${port}` },
      }));
    }
    return problems;
  }
  if (holdsReference(endpoint.value)) return problems;
  const scheme = /^(https?):\/\//i.exec(endpoint.value)?.[1].toLowerCase();
  const related = [relatedAt(document.path, document.text, endpoint.entry.nameOffset, endpoint.entry.valueOffset + endpoint.entry.valueLength - endpoint.entry.nameOffset, `the endpoint is set here`)];

  // Python and Go let an explicit INSECURE=false turn TLS on even with http:// (see INSECURE_WITH_HTTP).
  const insecureFalse = s.insecure !== undefined && !holdsReference(s.insecure.value) && s.insecure.value.trim().toLowerCase() !== 'true';
  const tlsDespiteHttp = insecureFalse && (sdk === 'python' || sdk === 'go');
  if (scheme === 'http' && !tlsDespiteHttp) {
    for (const file of files) {
      problems.push(on(file, {
        message: `${file.entry.name} is not used: ${endpoint.entry.name} is http://, so the exporter connects in plaintext and never reads this file. Use https:// for TLS.`,
        related,
        data: { kind: 'scheme', from: 'http', to: 'https', variable: endpoint.entry.name },
      }));
    }
  }

  const insecure = s.insecure;
  if (!insecure || holdsReference(insecure.value)) return problems;
  const isTrue = insecure.value.trim().toLowerCase() === 'true';
  const httpProtocol = s.protocol?.value.toLowerCase().startsWith('http/');
  const grpcOnly = httpProtocol ? ' INSECURE is a gRPC setting in the spec; OTLP/HTTP exporters follow the scheme (Go\'s honours INSECURE anyway).' : '';
  if (isTrue && scheme === 'https') {
    const what = sdk
      ? `${INSECURE_WITH_HTTPS[sdk]}.`
      : `the spec says the scheme wins, and JS and Python connect with TLS, but Go's exporter applies INSECURE after the scheme and may connect in plaintext; Java does not read INSECURE.${grpcOnly}`;
    problems.push(on(insecure, {
      message: `${insecure.entry.name}=${insecure.value} contradicts the https:// of ${endpoint.entry.name}: ${what} Remove it, or use http:// for plaintext.`,
      related,
      data: { kind: 'remove-key' },
    }));
  } else if (!isTrue && scheme === 'http') {
    const what = sdk
      ? `${INSECURE_WITH_HTTP[sdk]}.`
      : `JS follows the scheme and connects in plaintext, but Python and Go let INSECURE=false turn TLS on; Java does not read INSECURE.${grpcOnly}`;
    problems.push(on(insecure, {
      message: `${insecure.entry.name}=${insecure.value} contradicts the http:// of ${endpoint.entry.name}: ${what} Remove it, or use https:// for TLS.`,
      related,
      data: { kind: 'remove-key' },
    }));
  }
  return problems;
}

function on(setting: Setting, rest: { message: string; severity?: Problem['severity']; related?: Problem['related']; data: DiagnosticData }): Problem {
  return { code: 'tls-ignored', offset: setting.entry.valueOffset, length: setting.entry.valueLength, ...rest };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

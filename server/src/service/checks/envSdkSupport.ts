/**
 * TLS variables of an env file that an SDK does not read, or files it cannot load (sdk-env.md §3.2,
 * §3.3 "Client key format", §6 items 16 and 17):
 *   tls-ignored  with the SDK named: .NET's per-signal CERTIFICATE / CLIENT_* (only the generic ones are
 *                read); Python's gRPC exporter's client certificate and key with no CERTIFICATE;
 *   key-format   a CLIENT_KEY in PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`) form, which the Java
 *                SDK and agent cannot load (they take PKCS#8 only): an error when the SDK is Java, a
 *                warning when no SDK is named, nothing for the other SDKs.
 */
import type { Check, EnvCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { SIGNALS, exportsOverOtlp, holdsReference, signalSettings, type Setting } from '../documents/envFile';
import { envFileVariable } from '../certificates/certificatePaths';
import { SDKS, sdkOf } from '../sdk/sdks';
import { ignoresPerSignalTls, tlsAsRead } from '../sdk/sdkEnv';
import { envReference } from './envCertificates';

const LEGACY_KEY_FORMS: Record<string, string> = { 'RSA PRIVATE KEY': 'PKCS#1', 'EC PRIVATE KEY': 'SEC1' };

export const envSdkSupport: Check<EnvCheckContext> = {
  name: 'envSdkSupport',
  kind: 'env',
  run({ model, document, runtime, settings }) {
    const sdk = sdkOf(document.text, settings.sdk);
    const problems: Problem[] = [];
    const on = (setting: Setting, problem: Omit<Problem, 'offset' | 'length'>) => problems.push({ ...problem, offset: setting.entry.valueOffset, length: setting.entry.valueLength });

    for (const entry of model.entries) {
      const variable = envFileVariable(entry.name);
      if (!variable || entry.value === '' || holdsReference(entry.value)) continue;
      if (variable.signal && ignoresPerSignalTls(sdk)) {
        on({ value: entry.value, entry }, {
          code: 'tls-ignored',
          message: `${SDKS[sdk!].label} reads only the generic OTEL_EXPORTER_OTLP_${variable.option}, never ${entry.name}: this file is not used. Set the generic variable instead.`,
        });
      }
      if (variable.option === 'CLIENT_KEY' && (sdk === undefined || sdk === 'java' || sdk === 'java-agent')) {
        const reference = envReference(entry, document.path, runtime, settings);
        const key = reference?.file.status === 'ok' ? reference.file.parsed.keys[0] : undefined;
        const form = key && !key.encrypted ? LEGACY_KEY_FORMS[key.pemType] : undefined;
        if (!form) continue;
        const java = sdk ? SDKS[sdk].label : 'the Java SDK and agent';
        on({ value: entry.value, entry }, {
          code: 'key-format',
          severity: sdk ? 'error' : 'warning',
          message:
            `${entry.name} is a ${form} "${key!.pemType}", and ${java} load${sdk ? 's' : ''} only PKCS#8 ("BEGIN PRIVATE KEY"): the exporter fails with ` +
            `"Unable to generate key from supported algorithms: [RSA,EC]". Go, Python, JS and .NET accept it. Convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8` +
            (sdk ? '.' : ', or name the SDK (otlpTls.sdk) if this app is not Java.'),
        });
      }
    }

    if (sdk === 'python') {
      const seen = new Set<string>();
      for (const signal of SIGNALS) {
        if (!exportsOverOtlp(model, signal)) continue;
        const s = signalSettings(model, signal);
        const protocol = (s.protocol?.value.toLowerCase() ?? SDKS.python.defaultProtocol).startsWith('http/') ? 'http' : 'grpc';
        const read = tlsAsRead(model, s, sdk, protocol);
        if (!read.clientPairIgnored) continue;
        for (const setting of [s.clientCertificate, s.clientKey]) {
          if (!setting || seen.has(setting.entry.name)) continue;
          seen.add(setting.entry.name);
          on(setting, {
            code: 'tls-ignored',
            message: `${read.clientPairIgnored}: ${setting.entry.name} is not used, and the collector sees no client certificate. Set OTEL_EXPORTER_OTLP_CERTIFICATE to the CA of the collector's certificate.`,
          });
        }
      }
    }
    return problems;
  },
};

/**
 * `tls-ignored` for TLS variables of an env file that the named SDK does not read (sdk-env.md §3.2, §6
 * item 17): .NET's per-signal CERTIFICATE / CLIENT_* (only the generic ones are read), and Python's gRPC
 * exporter's client certificate and key when no CERTIFICATE is set. The handshake check leaves them out
 * the same way (../sdk/sdkEnv.ts). A client key Java cannot load is envCertificates' key-format.
 */
import type { Check, EnvCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { SIGNALS, exportsOverOtlp, holdsReference, signalSettings, type Setting } from '../sources/envFile';
import { envFileVariable } from '../certificates/certificatePaths';
import { SDKS, sdkOf } from '../sdk/sdks';
import { ignoresPerSignalTls, tlsAsRead } from '../sdk/sdkEnv';

export const envSdkSupport: Check<EnvCheckContext> = {
  name: 'envSdkSupport',
  kind: 'env',
  run({ model, settings }) {
    const sdk = sdkOf(model.sdkDirective, settings.sdk);
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

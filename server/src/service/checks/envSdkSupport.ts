/**
 * `tls-ignored` for TLS settings of an app that the named SDK does not read (sdk-env.md §3.2, §6
 * item 17): .NET's per-signal CERTIFICATE / CLIENT_* (only the generic ones are read), and Python's gRPC
 * exporter's client certificate and key when no CERTIFICATE is set. The handshake check leaves them out
 * the same way (../sdk/sdkEnv.ts). A client key Java cannot load is envCertificates' key-format.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';
import { SIGNALS, exportsOverOtlp, protocolValue, signalSettings, type AppSetting } from '../model/appSettings';
import { envFileVariable } from '../certificates/certificatePaths';
import { SDKS } from '../sdk/sdks';
import { ignoresPerSignalTls, tlsAsRead } from '../sdk/sdkEnv';

export const envSdkSupport: Check<AppCheckContext> = {
  name: 'envSdkSupport',
  kind: 'app',
  run({ unit, sdk }) {
    const problems: Problem[] = [];
    const on = (setting: AppSetting, problem: Omit<Problem, 'offset' | 'length'>) => problems.push({ ...problem, offset: setting.valueOffset, length: setting.valueLength });

    for (const setting of unit.settings) {
      const variable = envFileVariable(setting.name);
      if (!variable || !setting.value) continue;
      if (variable.signal && ignoresPerSignalTls(sdk)) {
        on(setting, {
          code: 'tls-ignored',
          message: `${SDKS[sdk!].label} reads only the generic OTEL_EXPORTER_OTLP_${variable.option}, never ${setting.written}: this file is not used. Set the generic variable instead.`,
        });
      }
    }

    if (sdk === 'python') {
      const seen = new Set<string>();
      for (const signal of SIGNALS) {
        if (!exportsOverOtlp(unit, signal)) continue;
        const s = signalSettings(unit, signal);
        const protocol = (protocolValue(s) ?? SDKS.python.defaultProtocol).startsWith('http/') ? 'http' : 'grpc';
        const read = tlsAsRead(unit, s, sdk, protocol);
        if (!read.clientPairIgnored) continue;
        for (const setting of [s.clientCertificate, s.clientKey]) {
          if (!setting || seen.has(setting.name)) continue;
          seen.add(setting.name);
          on(setting, {
            code: 'tls-ignored',
            message: `${read.clientPairIgnored}: ${setting.written} is not used, and the collector sees no client certificate. Set OTEL_EXPORTER_OTLP_CERTIFICATE to the CA of the collector's certificate.`,
          });
        }
      }
    }
    return problems;
  },
};

/**
 * The certificate and key files an app's settings name (OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE,
 * _CLIENT_KEY, _CLIENT_CERTIFICATE), each checked on its own, and per signal as a pair:
 * key-mismatch (the key does not belong to the certificate) and incomplete-pair (one without the other);
 * and key-format, a client key in a form the Java SDK cannot load.
 * Values unknown here (`${VAR}`) are skipped.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';
import { replacedAcrossFiles, SIGNALS, signalSettings, type AppSetting } from '../model/appSettings';
import { envFileVariable, envFileVariableName, type EnvFileOption } from '../certificates/certificatePaths';
import { pairFinding } from '../certificates/fileFindings';
import { certificatesOf, keyOf, settingReference, type CheckedReference } from '../certificates/references';
import { SDKS, type SdkId } from '../sdk/sdks';
import { table } from '../lookup';

export const envCertificates: Check<AppCheckContext> = {
  name: 'envCertificates',
  kind: 'app',
  run(context) {
    const { unit, path, sdk } = context;
    const problems: Problem[] = [];
    const references = new Map<AppSetting, CheckedReference>();
    // A file a later setting of another file replaces (the compose environment over an env_file or the image's ENV) is never read.
    const replaced = replacedAcrossFiles(unit);
    for (const setting of unit.settings) {
      if (replaced.has(setting)) continue;
      const reference = settingReference(setting, path, context);
      if (!reference) continue;
      references.set(setting, reference);
      for (const finding of reference.findings) {
        // What only Go's PEM reading refuses is no error when the file names an SDK that reads it (Node, Python).
        let severity = finding.goOnly && (sdk === 'js' || sdk === 'python') ? 'warning' : finding.severity;
        let message = finding.message;
        // A CA file with a block that does not parse: Python's ssl and Java's CertificateFactory refuse the whole file.
        if (finding.wholeFileReaders && (sdk === undefined || sdk === 'python' || sdk === 'java' || sdk === 'java-agent')) {
          const who = sdk === 'python' ? 'The Python SDK' : sdk ? 'The Java SDK' : 'The Python and Java SDKs';
          if (sdk) severity = 'error';
          message += ` ${who} fail${sdk ? 's' : ''} to load the whole file, so ${sdk ? 'it verifies' : 'they verify'} nothing against it: Python's ssl (the HTTP exporter through requests) with "[X509] PEM lib", Java's CertificateFactory (TlsUtil) with "Could not build TrustManagerFactory from trustedCertificatesPem". Remove the broken block${sdk ? '' : ', or name the SDK (otlpTls.sdk) if this app is neither'}.`;
        }
        problems.push({
          code: finding.code,
          offset: setting.valueOffset,
          length: setting.valueLength,
          message,
          ...(severity ? { severity } : {}),
          ...(finding.code === 'file-not-found' || finding.code === 'container-path' ? { data: { kind: 'missing-file' as const, at: setting.locator } } : {}),
        });
      }
      if (envFileVariable(setting.name)?.option === 'CLIENT_KEY') {
        const format = keyFormat(setting, reference, sdk);
        if (format) problems.push(format);
      }
    }
    const seen = new Set<string>();
    const push = (problem: Problem) => {
      const key = `${problem.code}@${problem.offset}:${problem.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      problems.push(problem);
    };
    const halves = new Map<AppSetting, { present: AppSetting; missing: EnvFileOption; signals: string[] }>();
    for (const signal of SIGNALS) {
      const s = signalSettings(unit, signal);
      const { clientCertificate, clientKey } = s;
      const half: { present: AppSetting; missing: EnvFileOption } | undefined =
        clientCertificate && !clientKey ? { present: clientCertificate, missing: 'CLIENT_KEY' } : clientKey && !clientCertificate ? { present: clientKey, missing: 'CLIENT_CERTIFICATE' } : undefined;
      if (half) {
        const entry = halves.get(half.present) ?? { ...half, signals: [] };
        entry.signals.push(signal);
        halves.set(half.present, entry);
      }
      if (!clientCertificate || !clientKey) continue;
      const certificates = certificatesOf(references.get(clientCertificate));
      const key = keyOf(references.get(clientKey));
      if (!certificates || !key) continue;
      const finding = pairFinding(certificates, key, { certSetting: clientCertificate.written, keySetting: clientKey.written, loader: 'sdk' });
      if (finding) {
        push({
          code: finding.code,
          offset: clientKey.valueOffset,
          length: clientKey.valueLength,
          message: finding.message,
          related: [context.related(clientCertificate.valueOffset, clientCertificate.valueLength, `${clientCertificate.written}: ${certificates[0].label}`)],
        });
      }
    }
    for (const half of halves.values()) problems.push(incomplete(half.present, half.missing, half.signals, sdk));
    return problems;
  },
};

/** What an SDK does with half a client pair (sdk-env.md §3.2): the named SDK's only, every known one when none is named. */
const HALF_PAIR: Partial<Record<SdkId | 'any', string>> = {
  any: 'The Java SDK refuses to start; JS warns and sends no client certificate; Go skips the pair.',
  java: 'The Java SDK refuses to start.',
  js: 'JS warns and sends no client certificate.',
  go: 'Go skips the pair.',
};

function halfPair(sdk: SdkId | undefined): string {
  const said = sdk === undefined ? HALF_PAIR.any : HALF_PAIR[sdk === 'java-agent' ? 'java' : sdk];
  return said ? ` ${said}` : '';
}

function incomplete(present: AppSetting, missing: EnvFileOption, signals: string[], sdk: SdkId | undefined): Problem {
  const perSignal = envFileVariable(present.name)?.signal;
  const counterpart = envFileVariableName(missing, perSignal);
  const scope = !perSignal && signals.length < SIGNALS.length ? ` for ${signals.join(' and ')}` : '';
  return {
    code: 'incomplete-pair',
    offset: present.valueOffset,
    length: present.valueLength,
    data: { kind: 'add-partner', at: present.locator },
    message: `A client certificate needs its key and the reverse: set both, or neither. ${present.written} is set but ${counterpart} is not${scope}.${halfPair(sdk)}`,
    // Named Java: a ConfigurationException at startup (sdk-env.md §3.2), so no telemetry at all.
    ...(sdk === 'java' || sdk === 'java-agent' ? { severity: 'error' as const } : {}),
  };
}

const LEGACY_KEY_FORMS: Record<string, string> = table({ 'RSA PRIVATE KEY': 'PKCS#1', 'EC PRIVATE KEY': 'SEC1' });

/**
 * key-format: a CLIENT_KEY in PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`) form, which the Java SDK and
 * agent cannot load: they take a file that is one PKCS#8 block (TlsUtil, sdk-env.md §3.3 "Client key format").
 * An error when the SDK is named Java, a warning when no SDK is named, nothing for the other SDKs.
 */
function keyFormat(setting: AppSetting, reference: CheckedReference, sdk: SdkId | undefined): Problem | undefined {
  if (sdk !== undefined && sdk !== 'java' && sdk !== 'java-agent') return undefined;
  const key = reference.file.status === 'ok' ? reference.file.parsed.keys[0] : undefined;
  const form = key && !key.encrypted ? LEGACY_KEY_FORMS[key.pemType] : undefined;
  // A PKCS#8 key of another algorithm than RSA and EC: TlsUtil tries only the RSA and EC KeyFactory.
  const type = key?.pemType === 'PRIVATE KEY' ? key.publicKey?.type : undefined;
  const java = sdk ? SDKS[sdk].label : 'the Java SDK and agent';
  // Both refusals: an error when the app is named Java, a warning when no SDK is named.
  const refused = (message: string): Problem => ({
    code: 'key-format',
    severity: sdk ? 'error' : 'warning',
    offset: setting.valueOffset,
    length: setting.valueLength,
    message: message + (sdk ? '.' : ', or name the SDK (otlpTls.sdk) if this app is not Java.'),
  });
  if (!form && type !== undefined && type !== 'rsa' && type !== 'ec') {
    return refused(
      `A ${type === 'ed25519' ? 'Ed25519' : type.toUpperCase()} key, which Java cannot load: use an RSA or EC (P-256) key. ${setting.written} is a PKCS#8 ${type} key, and ${java} read${sdk ? 's' : ''} the key with the RSA and the EC KeyFactory only (TlsUtil.generatePrivateKey): the exporter fails with ` +
        `"Unable to generate key from supported algorithms: [RSA,EC]". Go, Python and JS accept it`,
    );
  }
  if (!form) return undefined;
  // A key cert-manager writes: the fix is the Certificate's spec.privateKey.encoding (PKCS1 is its default), not a conversion.
  const issued = reference.secret?.contents.kind === 'issued' ? reference.secret.contents.certificate.value : undefined;
  const fix = issued
    ? `This key is what ${issued.label} issues (${issued.privateKey.nodes.encoding ? `spec.privateKey.encoding: ${issued.privateKey.encoding}` : "cert-manager's default encoding, PKCS1"}): set spec.privateKey.encoding: PKCS8 on it; cert-manager writes tls.key as PKCS#8 when it next issues the certificate (the change alone does not re-issue: cmctl renew does it now)`
    : 'Convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8';
  return refused(
    `A ${form} key, which Java cannot load: ${issued ? `set spec.privateKey.encoding: PKCS8 on ${issued.label}` : 'convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)'}. ${setting.written} is a ${form} "${key!.pemType}", and ${java} load${sdk ? 's' : ''} only PKCS#8 ("BEGIN PRIVATE KEY"): the exporter fails with ` +
      `"Unable to generate key from supported algorithms: [RSA,EC]". Go, Python, JS and .NET accept it. ${fix}`,
  );
}

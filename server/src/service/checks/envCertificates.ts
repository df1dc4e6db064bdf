/**
 * The certificate and key files an SDK env file names (OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE,
 * _CLIENT_KEY, _CLIENT_CERTIFICATE), each checked on its own, and per signal as a pair:
 * key-mismatch (the key does not belong to the certificate) and incomplete-pair (one without the other);
 * and key-format, a client key in a form the Java SDK cannot load.
 * Values holding `${VAR}` are unknown here and skipped.
 */
import type { Check, EnvCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { SIGNALS, holdsReference, signalSettings, type EnvEntry, type Setting } from '../documents/envFile';
import { envFileVariable, envFileVariableName, type EnvFileOption } from '../certificates/certificatePaths';
import { pairFinding } from '../certificates/fileFindings';
import { checkReference, certificatesOf, keyOf, relatedAt, type CheckedReference } from '../certificates/references';
import type { Runtime } from '../runtime';
import type { Settings } from '../settings';
import { SDKS, sdkOf, type SdkId } from '../sdk/sdks';

/** Loads and judges the file an env entry names; undefined when the entry names none (empty, `${VAR}`). */
export function envReference(entry: EnvEntry, path: string, runtime: Runtime, settings: Settings): CheckedReference | undefined {
  const variable = envFileVariable(entry.name);
  if (!variable || entry.value.trim() === '' || holdsReference(entry.value)) return undefined;
  return checkReference({ setting: entry.name, written: entry.value, purpose: variable.purpose, loader: 'sdk' }, path, runtime, settings);
}

export const envCertificates: Check<EnvCheckContext> = {
  name: 'envCertificates',
  kind: 'env',
  run({ model, document, runtime, settings }) {
    const problems: Problem[] = [];
    const sdk = sdkOf(model.sdkDirective, settings.sdk);
    const references = new Map<EnvEntry, CheckedReference>();
    for (const entry of model.entries) {
      const reference = envReference(entry, document.path, runtime, settings);
      if (!reference) continue;
      references.set(entry, reference);
      for (const finding of reference.findings) {
        // What only Go's PEM reading refuses is no error when the file names an SDK that reads it (Node, Python).
        const severity = finding.goOnly && (sdk === 'js' || sdk === 'python') ? 'warning' : finding.severity;
        problems.push({ code: finding.code, offset: entry.valueOffset, length: entry.valueLength, message: finding.message, ...(severity ? { severity } : {}) });
      }
      if (envFileVariable(entry.name)?.option === 'CLIENT_KEY') {
        const format = keyFormat(entry, reference, sdk);
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
    const halves = new Map<EnvEntry, { present: Setting; missing: EnvFileOption; signals: string[] }>();
    for (const signal of SIGNALS) {
      const s = signalSettings(model, signal);
      const { clientCertificate, clientKey } = s;
      const half: { present: Setting; missing: EnvFileOption } | undefined =
        clientCertificate && !clientKey ? { present: clientCertificate, missing: 'CLIENT_KEY' } : clientKey && !clientCertificate ? { present: clientKey, missing: 'CLIENT_CERTIFICATE' } : undefined;
      if (half) {
        const entry = halves.get(half.present.entry) ?? { ...half, signals: [] };
        entry.signals.push(signal);
        halves.set(half.present.entry, entry);
      }
      if (!clientCertificate || !clientKey) continue;
      const certificates = certificatesOf(references.get(clientCertificate.entry));
      const key = keyOf(references.get(clientKey.entry));
      if (!certificates || !key) continue;
      const finding = pairFinding(certificates, key, { certSetting: clientCertificate.entry.name, keySetting: clientKey.entry.name, loader: 'sdk' });
      if (finding) {
        push({
          code: finding.code,
          offset: clientKey.entry.valueOffset,
          length: clientKey.entry.valueLength,
          message: finding.message,
          related: [relatedAt(document.path, document.text, clientCertificate.entry.valueOffset, clientCertificate.entry.valueLength, `${clientCertificate.entry.name}: ${certificates[0].label}`)],
        });
      }
    }
    for (const half of halves.values()) problems.push(incomplete(half.present, half.missing, half.signals, sdk));
    return problems;
  },
};

function incomplete(present: Setting, missing: EnvFileOption, signals: string[], sdk: SdkId | undefined): Problem {
  const perSignal = envFileVariable(present.entry.name)?.signal;
  const counterpart = envFileVariableName(missing, perSignal);
  const scope = !perSignal && signals.length < SIGNALS.length ? ` for ${signals.join(' and ')}` : '';
  return {
    code: 'incomplete-pair',
    offset: present.entry.valueOffset,
    length: present.entry.valueLength,
    message: `${present.entry.name} is set but ${counterpart} is not${scope}: a client certificate needs its key and the reverse. The Java SDK refuses to start; JS warns and sends no client certificate; Go skips the pair. Set both, or neither.`,
    // Named Java: a ConfigurationException at startup (sdk-env.md §3.2), so no telemetry at all.
    ...(sdk === 'java' || sdk === 'java-agent' ? { severity: 'error' as const } : {}),
  };
}

const LEGACY_KEY_FORMS: Record<string, string> = { 'RSA PRIVATE KEY': 'PKCS#1', 'EC PRIVATE KEY': 'SEC1' };

/**
 * key-format: a CLIENT_KEY in PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`) form, which the Java SDK and
 * agent cannot load: they take a file that is one PKCS#8 block (TlsUtil, sdk-env.md §3.3 "Client key format").
 * An error when the SDK is named Java, a warning when no SDK is named, nothing for the other SDKs.
 */
function keyFormat(entry: EnvEntry, reference: CheckedReference, sdk: SdkId | undefined): Problem | undefined {
  if (sdk !== undefined && sdk !== 'java' && sdk !== 'java-agent') return undefined;
  const key = reference.file.status === 'ok' ? reference.file.parsed.keys[0] : undefined;
  const form = key && !key.encrypted ? LEGACY_KEY_FORMS[key.pemType] : undefined;
  if (!form) return undefined;
  const java = sdk ? SDKS[sdk].label : 'the Java SDK and agent';
  return {
    code: 'key-format',
    severity: sdk ? 'error' : 'warning',
    offset: entry.valueOffset,
    length: entry.valueLength,
    message:
      `${entry.name} is a ${form} "${key!.pemType}", and ${java} load${sdk ? 's' : ''} only PKCS#8 ("BEGIN PRIVATE KEY"): the exporter fails with ` +
      `"Unable to generate key from supported algorithms: [RSA,EC]". Go, Python, JS and .NET accept it. Convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8` +
      (sdk ? '.' : ', or name the SDK (otlpTls.sdk) if this app is not Java.'),
  };
}

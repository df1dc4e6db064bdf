/**
 * Cross-file: an env file's OTLP exporter against the collector receiver it sends to.
 * For every signal (per-signal variables override generic ones) whose endpoint's port is served
 * by exactly one receiver listener of the workspace, predicts the handshake by Go's rules:
 * plaintext-endpoint, san-mismatch, cn-only, unknown-authority, not-a-ca, weak-signature,
 * cert-expired, missing-eku, missing-client-cert, weak-tls-version. The diagnostic sits on the
 * endpoint (or the CERTIFICATE / CLIENT_CERTIFICATE value), with `related` on the receiver's file.
 * TLS per the spec (sdk-env.md §1.3): https:// is TLS, http:// is plaintext, a gRPC endpoint
 * without a scheme is TLS unless INSECURE=true; with the SDK named, INSECURE overrides the scheme
 * where that SDK lets it (Go; Python's gRPC exporter, see ../sdk/sdks.ts insecureOverride).
 */
import type { Check, EnvCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { holdsReference, signalSettings, type Setting, type SignalSettings } from '../documents/envFile';
import { perSignal } from './perSignal';
import { certificatesOf, checkReference } from '../certificates/references';
import { SDKS, insecureOverride, sdkOf, type SdkId } from '../sdk/sdks';
import { tlsAsRead } from '../sdk/sdkEnv';
import { listenerName, listenersFor, noListenerMessage, parseEndpoint } from '../certificates/pairing';
import { readRuntime } from '../certificates/runtimeTls';
import type { EnvEntry, EnvModel } from '../documents/envFile';
import { systemRootsFor } from '../certificates/systemRoots';
import { nodeCaView } from '../certificates/opensslVerify';
import { parseFileContents } from '../certificates/certificateFiles';
import { judgeHandshake, type ClientEnd, type SdkStack } from '../certificates/verifyHandshake';
import { envReference } from './envCertificates';
import { plaintextData, receiverEnd, relatedMessage, sanMismatchData } from './receiverEnd';

export const handshake: Check<EnvCheckContext> = {
  name: 'handshake',
  kind: 'env',
  run({ model, document, runtime, settings, workspace }) {
    const getEnv = runtime.getEnv;
    const sdk = sdkOf(model.sdkDirective, settings.sdk);
    return perSignal(model, (signal) => {
      const s = signalSettings(model, signal);
      const endpointSetting = s.endpoint;
      if (!endpointSetting || holdsReference(endpointSetting.value)) return [];
      const endpoint = parseEndpoint(endpointSetting.value);
      if (!endpoint) return [];
      const listeners = listenersFor(workspace, endpoint, getEnv);
      if (listeners.length === 0) {
        return [{ code: 'no-listener', offset: endpointSetting.entry.valueOffset, length: endpointSetting.entry.valueLength, message: noListenerMessage(endpoint, endpointSetting.entry.name) }];
      }
      const problems: Problem[] = [];
      for (const paired of listeners) {
        // Unset: the named SDK's default, else the protocol of the listener it pairs with (the user's evident intent).
        const protocol = s.protocol?.value.toLowerCase() ?? (sdk ? SDKS[sdk].defaultProtocol : paired.listener.protocol === 'grpc' ? 'grpc' : 'http/protobuf');
        const tls = decideTls(s, endpoint.scheme, protocol, sdk);
        if (!tls) continue;
        const receiver = receiverEnd(paired, runtime, settings);
        // The TLS variables this SDK reads (a named .NET reads only the generic ones; see ../sdk/sdkEnv.ts).
        const read = tlsAsRead(model, s, sdk, protocol === 'grpc' ? 'grpc' : 'http');
        const t = read.settings;
        const runtimeTls = readRuntime(runtimeGetter(model), {
          protocol: protocol === 'grpc' ? 'grpc' : 'http',
          certificateSet: !!t.certificate,
          load: (path) => certificatesOf(checkReference({ setting: 'runtime CA file', written: path, purpose: 'ca', loader: 'sdk' }, document.path, runtime, settings)),
        });
        const client: ClientEnd = {
          usesTls: tls.usesTls,
          tlsReason: tls.reason,
          host: endpoint.host,
          roots: trust(t.certificate, document.path, runtime, settings),
          ...nodeTrust(t.certificate, document.path, runtime, settings),
          rootsSetting: t.certificate?.entry.name ?? 'OTEL_EXPORTER_OTLP_CERTIFICATE',
          certificates: clientChain(t, document.path, runtime, settings),
          ...nodeClientChain(t, document.path, runtime, settings),
          clientCertSetting:
            read.clientPairIgnored ??
            (t.clientCertificate && t.clientKey ? `${t.clientCertificate.entry.name}` : t.clientCertificate || t.clientKey ? `only ${(t.clientCertificate ?? t.clientKey)!.entry.name} is set, without its pair` : 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and _CLIENT_KEY are not set'),
          sdk: true,
          ...(sdk ? { stack: SDK_STACKS[sdk] } : {}),
          protocol: protocol === 'grpc' ? 'grpc' : 'http',
          runtime: runtimeTls.runtime,
          now: runtime.now(),
        };
        // The runtime's own TLS settings, on the variable that sets them (for the named SDK's stack only).
        for (const note of runtimeTls.notes) {
          if (sdk && !note.stacks.includes(SDK_STACKS[sdk])) continue;
          const entry = lastRuntimeEntry(model, note.name);
          if (entry) problems.push({ code: 'runtime-tls-override', severity: note.severity, offset: entry.valueOffset, length: entry.valueLength, message: note.message });
        }
        const several = listeners.length > 1 ? `Against ${listenerName(paired)} (one of ${listeners.length} listeners on port ${endpoint.port}): ` : '';
        for (const finding of judgeHandshake(client, receiver.end, systemRootsFor)) {
          const anchor: Setting = (finding.anchor === 'ca' ? t.certificate : finding.anchor === 'client-cert' ? t.clientCertificate : undefined) ?? endpointSetting;
          const problem: Problem = {
            code: finding.code,
            offset: anchor.entry.valueOffset,
            length: anchor.entry.valueLength,
            message: several + finding.message,
            ...(finding.severity ? { severity: finding.severity } : {}),
            related: receiver.related(finding.related, relatedMessage(finding, receiver.end)),
          };
          const data = finding.code === 'san-mismatch' ? sanMismatchData(client.host, receiver, runtime, settings) : plaintextData(finding.code, endpoint.scheme, true);
          if (data) problem.data = data;
          problems.push(problem);
        }
      }
      // One note per place, however many listeners share the port.
      const seen = new Set<string>();
      return problems.filter((p) => {
        const key = `${p.code}@${p.offset}:${p.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    });
  },
};

/** The runtime variables of the env file, as the SDK's process sees them (the last assignment wins; `${VAR}` is unknown). */
function runtimeGetter(model: EnvModel): (name: string) => string | undefined {
  return (name) => {
    const entry = lastRuntimeEntry(model, name);
    return entry && !holdsReference(entry.value) && entry.value !== '' ? entry.value : undefined;
  };
}

function lastRuntimeEntry(model: EnvModel, name: string): EnvEntry | undefined {
  for (let i = model.runtime.length - 1; i >= 0; i--) if (model.runtime[i].name === name) return model.runtime[i];
  return undefined;
}

/** The TLS stack each named SDK runs on. */
const SDK_STACKS: Record<SdkId, SdkStack> = { go: 'go', js: 'node', python: 'python', java: 'java', 'java-agent': 'java', dotnet: 'dotnet', 'dotnet-auto': 'dotnet' };

function decideTls(s: SignalSettings, scheme: 'http' | 'https' | undefined, protocol: string, sdk: SdkId | undefined): { usesTls: boolean; reason: string } | undefined {
  const name = s.endpoint!.entry.name;
  if (sdk && scheme && s.insecure && !holdsReference(s.insecure.value)) {
    // A named SDK where INSECURE overrides the scheme (Go; Python's gRPC exporter with http://).
    const override = insecureOverride(sdk, scheme, s.insecure.value.trim().toLowerCase() === 'true', protocol === 'grpc' ? 'grpc' : 'http');
    if (override) return { usesTls: override.usesTls, reason: `${name} is ${scheme}://, but ${s.insecure.entry.name}=${s.insecure.value} and ${override.how}` };
  }
  if (scheme === 'https') return { usesTls: true, reason: `${name} is https://` };
  if (scheme === 'http') return { usesTls: false, reason: `${name} is http://` };
  if (protocol !== 'grpc') return undefined; // OTLP/HTTP needs a scheme; envEndpoint reports it
  const insecure = s.insecure?.value.toLowerCase() === 'true';
  return insecure ? { usesTls: false, reason: `${s.insecure!.entry.name}=true and ${name} has no scheme` } : { usesTls: true, reason: `${name} has no scheme and INSECURE is not true, so gRPC uses TLS` };
}

type Runtime = Parameters<typeof envReference>[2];
type Settings = Parameters<typeof envReference>[3];

function trust(certificate: Setting | undefined, path: string, runtime: Runtime, settings: Settings): ClientEnd['roots'] {
  if (!certificate) return 'system';
  return certificatesOf(envReference(certificate.entry, path, runtime, settings));
}

/** The CA file as Node reads it, when that differs from the certificates Go reads (../certificates/opensslVerify.ts nodeCaView). */
function nodeTrust(certificate: Setting | undefined, path: string, runtime: Runtime, settings: Settings): Pick<ClientEnd, 'nodeRoots'> {
  const reference = certificate ? envReference(certificate.entry, path, runtime, settings) : undefined;
  if (reference?.file.status !== 'ok') return {};
  const parsed = nodeParsed(reference.file, runtime);
  const view = nodeCaView(parsed.certificates, parsed.badCertificates.map((b) => b.index));
  return view.length === reference.file.parsed.certificates.length && parsed === reference.file.parsed ? {} : { nodeRoots: view };
}

/** The file as Node reads it: OpenSSL's PEM reader skips a leading byte order mark, which hides the first block from Go. */
function nodeParsed(file: Extract<NonNullable<ReturnType<typeof envReference>>['file'], { status: 'ok' }>, runtime: Runtime) {
  if (!file.parsed.bom) return file.parsed;
  try {
    return parseFileContents(runtime.fileSystem.readFile(file.path).subarray(3));
  } catch {
    return file.parsed;
  }
}

/** The client certificate chain as Node reads it, when that differs from Go's reading (a byte order mark). */
function nodeClientChain(s: SignalSettings, path: string, runtime: Runtime, settings: Settings): Pick<ClientEnd, 'nodeCertificates'> {
  if (!s.clientCertificate || !s.clientKey) return {};
  const reference = envReference(s.clientCertificate.entry, path, runtime, settings);
  if (reference?.file.status !== 'ok' || !reference.file.parsed.bom) return {};
  const certificates = nodeParsed(reference.file, runtime).certificates;
  return certificates.length ? { nodeCertificates: certificates } : {};
}

function clientChain(s: SignalSettings, path: string, runtime: Runtime, settings: Settings): ClientEnd['certificates'] {
  if (!s.clientCertificate || !s.clientKey) return 'none';
  return certificatesOf(envReference(s.clientCertificate.entry, path, runtime, settings));
}

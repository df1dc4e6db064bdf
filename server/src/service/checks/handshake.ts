/**
 * Cross-file: an app's OTLP exporter against the collector receivers it sends to.
 * For every signal (per-signal settings override generic ones), the endpoint is judged against every
 * receiver listener of the workspace on its port (findings name the listener when there are several;
 * none: no-listener), with the verdict of the named SDK's TLS stack, else Go's with warnings naming
 * the SDKs that would decide otherwise (../certificates/verifyHandshake.ts), the SDK runtime's own TLS
 * settings included (../certificates/runtimeTls.ts). The diagnostic sits on the endpoint (or the
 * CERTIFICATE / CLIENT_CERTIFICATE value), with `related` on the receiver's file.
 * Whether the client uses TLS is the SDK rule of ../model/clientTls.ts.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';
import { isKnown, protocolValue, signalSettings, type AppSetting, type AppSettings, type RuntimeSetting, type SignalSettings } from '../model/appSettings';
import { sdkClientTls } from '../model/clientTls';
import { connectPort, parseEndpoint, tlsScheme } from '../model/endpoint';
import { perSignal } from '../problems';
import { certificatesOf, checkReference, settingReference } from '../certificates/references';
import { SDKS, type SdkId } from '../sdk/sdks';
import { tlsAsRead } from '../sdk/sdkEnv';
import { listenerName, listenersFor, noListenerMessage } from '../certificates/pairing';
import { systemRootsFor } from '../certificates/systemRoots';
import { nodeCaView } from '../certificates/opensslVerify';
import { parseFileContents, type LoadedFile } from '../certificates/certificateFiles';
import { readRuntime } from '../certificates/runtimeTls';
import { judgeHandshake, type ClientEnd, type SdkStack } from '../certificates/verifyHandshake';
import { plaintextData, receiverEnd, relatedMessage, sanMismatchData } from '../certificates/receiverEnd';

export const handshake: Check<AppCheckContext> = {
  name: 'handshake',
  kind: 'app',
  run(context) {
    const { unit, runtime, workspace, sdk } = context;
    return perSignal(unit, (signal) => {
      const s = signalSettings(unit, signal);
      const endpointSetting = s.endpoint;
      if (!isKnown(endpointSetting)) return [];
      const endpoint = parseEndpoint(endpointSetting.value.trim());
      const port = connectPort(endpoint);
      if (port === undefined) return [];
      const listeners = listenersFor(workspace, { host: endpoint.host ?? '', port });
      if (listeners.length === 0) {
        // Said where a TLS handshake is in question (an http:// endpoint has none to judge). The protocol
        // when unset: the named SDK's default, else the one the OTLP port stands for.
        const protocol = protocolValue(s) ?? (sdk ? SDKS[sdk].defaultProtocol : port === 4318 ? 'http/protobuf' : 'grpc');
        if (!sdkClientTls(s, tlsScheme(endpoint), protocol, sdk)?.usesTls) return [];
        return [{ code: 'no-listener', offset: endpointSetting.valueOffset, length: endpointSetting.valueLength, message: noListenerMessage({ host: endpoint.host ?? '', port }, endpointSetting.written) }];
      }
      const problems: Problem[] = [];
      for (const paired of listeners) {
        // Unset: the named SDK's default, else the protocol of the listener it pairs with (the user's evident intent).
        const protocol = protocolValue(s) ?? (sdk ? SDKS[sdk].defaultProtocol : paired.listener.protocol === 'grpc' ? 'grpc' : 'http/protobuf');
        const tls = sdkClientTls(s, tlsScheme(endpoint), protocol, sdk);
        if (!tls) continue;
        const receiver = receiverEnd(paired, context);
        // The TLS variables this SDK reads (a named .NET reads only the generic ones; see ../sdk/sdkEnv.ts).
        const read = tlsAsRead(unit, s, sdk, protocol === 'grpc' ? 'grpc' : 'http');
        const t = read.settings;
        const runtimeTls = readRuntime(runtimeGetter(unit), {
          protocol: protocol === 'grpc' ? 'grpc' : 'http',
          certificateSet: !!t.certificate,
          load: (file) => certificatesOf(checkReference({ setting: 'runtime CA file', written: file, purpose: 'ca', loader: 'sdk' }, context.path, context)),
        });
        const client: ClientEnd = {
          usesTls: tls.usesTls,
          tlsReason: tls.reason,
          host: endpoint.host!,
          roots: trust(t.certificate, context),
          ...nodeTrust(t.certificate, context),
          rootsSetting: t.certificate?.written ?? 'OTEL_EXPORTER_OTLP_CERTIFICATE',
          certificates: clientChain(t, context),
          ...nodeClientChain(t, context),
          clientCertSetting:
            read.clientPairIgnored ??
            (t.clientCertificate && t.clientKey ? `${t.clientCertificate.written}` : t.clientCertificate || t.clientKey ? `only ${(t.clientCertificate ?? t.clientKey)!.written} is set, without its pair` : 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and _CLIENT_KEY are not set'),
          sdk: true,
          ...(sdk ? { stack: SDK_STACKS[sdk] } : {}),
          protocol: protocol === 'grpc' ? 'grpc' : 'http',
          runtime: runtimeTls.runtime,
          now: runtime.now(),
        };
        // The runtime's own TLS settings, on the setting that makes them (for the named SDK's stack only).
        for (const note of runtimeTls.notes) {
          if (sdk && !note.stacks.includes(SDK_STACKS[sdk])) continue;
          const setting = lastRuntimeSetting(unit, note.name);
          if (setting) problems.push({ code: 'runtime-tls-override', severity: note.severity, offset: setting.valueOffset, length: setting.valueLength, message: note.message });
        }
        const several = listeners.length > 1 ? `Against ${listenerName(paired)} (one of ${listeners.length} listeners on port ${port}): ` : '';
        for (const finding of judgeHandshake(client, receiver.end, systemRootsFor)) {
          const anchor: AppSetting = (finding.anchor === 'ca' ? t.certificate : finding.anchor === 'client-cert' ? t.clientCertificate : undefined) ?? endpointSetting;
          const problem: Problem = {
            code: finding.code,
            offset: anchor.valueOffset,
            length: anchor.valueLength,
            message: several + finding.message,
            ...(finding.severity ? { severity: finding.severity } : {}),
            related: receiver.related(finding.related, relatedMessage(finding, receiver.end)),
          };
          const at = endpointSetting.locator;
          const data = finding.code === 'san-mismatch' ? sanMismatchData(client.host, receiver, context, at) : plaintextData(finding.code, tlsScheme(endpoint), true, at);
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

function trust(certificate: AppSetting | undefined, context: AppCheckContext): ClientEnd['roots'] {
  if (!certificate) return 'system';
  return certificatesOf(settingReference(certificate, context.path, context));
}

function clientChain(s: SignalSettings, context: AppCheckContext): ClientEnd['certificates'] {
  if (!s.clientCertificate || !s.clientKey) return 'none';
  return certificatesOf(settingReference(s.clientCertificate, context.path, context));
}

/** The TLS stack each named SDK runs on. */
const SDK_STACKS: Record<SdkId, SdkStack> = { go: 'go', js: 'node', python: 'python', java: 'java', 'java-agent': 'java', dotnet: 'dotnet', 'dotnet-auto': 'dotnet' };

/** The runtime settings of the app, as its process sees them (the last one wins; unknown values are unset). */
function runtimeGetter(unit: AppSettings): (name: string) => string | undefined {
  return (name) => {
    const setting = lastRuntimeSetting(unit, name);
    return setting?.value !== undefined && setting.value !== '' ? setting.value : undefined;
  };
}

function lastRuntimeSetting(unit: AppSettings, name: string): RuntimeSetting | undefined {
  const list = unit.runtime ?? [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i].name === name) return list[i];
  return undefined;
}

/** The CA file as Node reads it, when that differs from the certificates Go reads (../certificates/opensslVerify.ts nodeCaView). */
function nodeTrust(certificate: AppSetting | undefined, context: AppCheckContext): Pick<ClientEnd, 'nodeRoots'> {
  const reference = certificate ? settingReference(certificate, context.path, context) : undefined;
  if (reference?.file.status !== 'ok') return {};
  const parsed = nodeParsed(reference.file, context);
  const view = nodeCaView(parsed.certificates, parsed.badCertificates.map((b) => b.index));
  return view.length === reference.file.parsed.certificates.length && parsed === reference.file.parsed ? {} : { nodeRoots: view };
}

/** The file as Node reads it: OpenSSL's PEM reader skips a leading byte order mark, which hides the first block from Go. */
function nodeParsed(file: Extract<LoadedFile, { status: 'ok' }>, context: AppCheckContext) {
  if (!file.parsed.bom) return file.parsed;
  try {
    return parseFileContents(context.runtime.fileSystem.readFile(file.path).subarray(3));
  } catch {
    return file.parsed;
  }
}

/** The client certificate chain as Node reads it, when that differs from Go's reading (a byte order mark). */
function nodeClientChain(s: SignalSettings, context: AppCheckContext): Pick<ClientEnd, 'nodeCertificates'> {
  if (!s.clientCertificate || !s.clientKey) return {};
  const reference = settingReference(s.clientCertificate, context.path, context);
  if (reference?.file.status !== 'ok' || !reference.file.parsed.bom) return {};
  const certificates = nodeParsed(reference.file, context).certificates;
  return certificates.length ? { nodeCertificates: certificates } : {};
}

/**
 * Cross-file: an app's OTLP exporter against the collector receiver it sends to.
 * For every signal (per-signal settings override generic ones) whose endpoint's port is served
 * by exactly one receiver listener of the workspace, predicts the handshake by Go's rules:
 * plaintext-endpoint, san-mismatch, cn-only, unknown-authority, not-a-ca, weak-signature,
 * cert-expired, missing-eku, missing-client-cert, weak-tls-version. The diagnostic sits on the
 * endpoint (or the CERTIFICATE / CLIENT_CERTIFICATE value), with `related` on the receiver's file.
 * Whether the client uses TLS is the SDK rule of ../model/clientTls.ts.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';
import { isKnown, protocolValue, signalSettings, type AppSetting, type SignalSettings } from '../model/appSettings';
import { sdkClientTls } from '../model/clientTls';
import { connectPort, parseEndpoint, tlsScheme } from '../model/endpoint';
import { perSignal } from '../problems';
import { certificatesOf, settingReference } from '../certificates/references';
import { SDKS } from '../sdk/sdks';
import { tlsAsRead } from '../sdk/sdkEnv';
import { listenerOnPort } from '../certificates/pairing';
import { systemRootsFor } from '../certificates/systemRoots';
import { judgeHandshake, type ClientEnd } from '../certificates/verifyHandshake';
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
      const paired = listenerOnPort(workspace, port);
      if (!paired) return [];
      // Unset: the named SDK's default, else the protocol of the listener it pairs with (the user's evident intent).
      const protocol = protocolValue(s) ?? (sdk ? SDKS[sdk].defaultProtocol : paired.listener.protocol === 'grpc' ? 'grpc' : 'http/protobuf');
      const tls = sdkClientTls(s, tlsScheme(endpoint), protocol, sdk);
      if (!tls) return [];
      const receiver = receiverEnd(paired, context);
      // The TLS variables this SDK reads (a named .NET reads only the generic ones; see ../sdk/sdkEnv.ts).
      const read = tlsAsRead(unit, s, sdk, protocol === 'grpc' ? 'grpc' : 'http');
      const t = read.settings;
      const client: ClientEnd = {
        usesTls: tls.usesTls,
        tlsReason: tls.reason,
        host: endpoint.host!,
        roots: trust(t.certificate, context),
        rootsSetting: t.certificate?.written ?? 'OTEL_EXPORTER_OTLP_CERTIFICATE',
        certificates: clientChain(t, context),
        clientCertSetting:
          read.clientPairIgnored ??
          (t.clientCertificate && t.clientKey ? `${t.clientCertificate.written}` : t.clientCertificate || t.clientKey ? `only ${(t.clientCertificate ?? t.clientKey)!.written} is set, without its pair` : 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and _CLIENT_KEY are not set'),
        sdk: true,
        now: runtime.now(),
      };
      return judgeHandshake(client, receiver.end, systemRootsFor).map((finding) => {
        const anchor: AppSetting = (finding.anchor === 'ca' ? t.certificate : finding.anchor === 'client-cert' ? t.clientCertificate : undefined) ?? endpointSetting;
        const problem: Problem = {
          code: finding.code,
          offset: anchor.valueOffset,
          length: anchor.valueLength,
          message: finding.message,
          ...(finding.severity ? { severity: finding.severity } : {}),
          related: receiver.related(finding.related, relatedMessage(finding, receiver.end)),
        };
        const at = endpointSetting.locator;
        const data = finding.code === 'san-mismatch' ? sanMismatchData(client.host, receiver, context, at) : plaintextData(finding.code, tlsScheme(endpoint), true, at);
        if (data) problem.data = data;
        return problem;
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

/**
 * Cross-file: an OTLP exporter of one collector config (an agent) against the receiver of another
 * config in the workspace (a gateway) that listens on its endpoint's port. Same verdicts as the app
 * side (./handshake.ts), with the exporter's ca_file, cert_file/key_file, server_name_override and
 * insecure_skip_verify. TLS is decided as the Collector does (../model/clientTls.ts).
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { endpointPath, type ExporterTarget } from '../model/collector';
import { blockLoadsFiles, clientTlsSettings, collectorClientTls } from '../model/clientTls';
import { connectPort, parseEndpoint, tlsScheme, type Endpoint } from '../model/endpoint';
import { isKnownSet, isTrue, readEntry, readSetting } from '../model/tlsValues';
import { nodeSpan, type MapEntry } from '../yaml/yamlNodes';
import { blockFiles, certificatesOf } from '../certificates/references';
import { listenerOnPort } from '../certificates/pairing';
import { plaintextData, receiverEnd, relatedMessage, sanMismatchData } from '../certificates/receiverEnd';
import { systemRootsFor } from '../certificates/systemRoots';
import { judgeHandshake, type ClientEnd } from '../certificates/verifyHandshake';

export const exporterToReceiver: Check<CollectorCheckContext> = {
  name: 'exporterToReceiver',
  kind: 'collector',
  run(context) {
    const { model, runtime, path, workspace, at } = context;
    const problems: Problem[] = [];
    for (const exporter of model.exporters) {
      for (const endpointEntry of [exporter.endpoint, ...exporter.signalEndpoints]) {
        if (!endpointEntry) continue;
        const value = readEntry(endpointEntry, runtime.getEnv);
        if (value.unknown || typeof value.known !== 'string') continue;
        const endpoint = parseEndpoint(value.known.trim());
        const port = connectPort(endpoint);
        if (port === undefined) continue;
        const paired = listenerOnPort(workspace, port, path);
        if (!paired) continue;
        const receiver = receiverEnd(paired, context);
        const client = exporterClient(exporter, endpoint, endpointEntry, context);
        const endpointAt = at(endpointPath(exporter, endpointEntry));
        for (const finding of judgeHandshake(client.end, receiver.end, systemRootsFor)) {
          const anchor = (finding.anchor === 'ca' ? client.caSpan : finding.anchor === 'client-cert' ? client.certSpan : undefined) ?? client.endpointSpan;
          if (!anchor) continue;
          const data =
            finding.code === 'san-mismatch' ? sanMismatchData(client.end.host, receiver, context, endpointAt) : plaintextData(finding.code, tlsScheme(endpoint), exporter.protocol !== 'grpc', endpointAt);
          problems.push({
            code: finding.code,
            offset: anchor[0],
            length: anchor[1] - anchor[0],
            message: `${exporter.component.id}: ${finding.message}`,
            ...(finding.severity ? { severity: finding.severity } : {}),
            related: receiver.related(finding.related, relatedMessage(finding, receiver.end)),
            ...(data ? { data } : {}),
          });
        }
      }
    }
    return problems;
  },
};

function exporterClient(exporter: ExporterTarget, endpoint: Endpoint, endpointEntry: MapEntry, context: CollectorCheckContext) {
  const getEnv = context.runtime.getEnv;
  const block = exporter.tls;
  const get = (key: string) => (block ? readSetting(block, key, getEnv) : undefined);
  const tls = collectorClientTls(exporter.protocol, tlsScheme(endpoint), clientTlsSettings(block, getEnv));
  const files = block && blockLoadsFiles(block, getEnv) ? blockFiles(block, context, context.path) : undefined;
  const ca = files?.get('ca_file');
  const cert = files?.get('cert_file');
  const key = files?.get('key_file');
  const serverName = get('server_name_override');
  const host = serverName && !serverName.unknown && typeof serverName.known === 'string' && serverName.known ? serverName.known : endpoint.host!;
  const end: ClientEnd = {
    usesTls: tls.usesTls,
    tlsReason: tls.reason,
    host,
    roots: ca ? certificatesOf(ca) : isKnownSet(get('ca_pem')) ? undefined : 'system',
    rootsSetting: 'ca_file',
    certificates: cert && key ? certificatesOf(cert) : 'none',
    clientCertSetting: cert && key ? 'cert_file' : 'tls.cert_file and tls.key_file are not set',
    skipVerify: isTrue(get('insecure_skip_verify')),
    now: context.runtime.now(),
  };
  return {
    end,
    endpointSpan: nodeSpan(endpointEntry.value),
    caSpan: ca ? ([ca.offset, ca.offset + ca.length] as [number, number]) : undefined,
    certSpan: cert ? ([cert.offset, cert.offset + cert.length] as [number, number]) : undefined,
  };
}

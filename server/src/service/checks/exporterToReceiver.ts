/**
 * Cross-file: an OTLP exporter of one collector config (an agent) against the receiver of another
 * config in the workspace (a gateway) that listens on its endpoint's port. Same verdicts as the env
 * side (./handshake.ts), with the exporter's ca_file, cert_file/key_file, server_name_override and
 * insecure_skip_verify. TLS is decided as the Collector does (collector-tls.md §3.2, §4):
 * gRPC uses TLS unless insecure: true with no CA and no https://; HTTP follows the URL scheme.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import type { ExporterTarget } from '../documents/collectorConfig';
import { isKnownSet, isTrue, readEntry, readSetting } from '../documents/tlsValues';
import { nodeSpan, type MapEntry } from '../documents/yamlNodes';
import { certificatesOf } from '../certificates/references';
import { listenerName, listenersFor, noListenerMessage, parseEndpoint, type ParsedEndpoint } from '../certificates/pairing';
import { rootCertificatesAsInfo, systemRootsFor } from '../certificates/systemRoots';
import type { CertificateInfo } from '../certificates/certificateInfo';
import { judgeHandshake, type ClientEnd } from '../certificates/verifyHandshake';
import { blockFiles, blockLoadsFiles } from './collectorCertificates';
import { plaintextData, readList, receiverEnd, relatedMessage, sanMismatchData } from './receiverEnd';

export const exporterToReceiver: Check<CollectorCheckContext> = {
  name: 'exporterToReceiver',
  kind: 'collector',
  run({ model, document, runtime, settings, workspace }) {
    const getEnv = runtime.getEnv;
    const problems: Problem[] = [];
    for (const exporter of model.exporters) {
      for (const endpointEntry of [exporter.endpoint, ...exporter.signalEndpoints]) {
        if (!endpointEntry) continue;
        const value = readEntry(endpointEntry, getEnv);
        if (value.unknown || typeof value.known !== 'string') continue;
        const endpoint = parseEndpoint(value.known);
        if (!endpoint) continue;
        const listeners = listenersFor(workspace, endpoint, getEnv, document.path);
        const client = exporterClient(exporter, endpoint, endpointEntry, { runtime, settings }, document.path);
        if (listeners.length === 0) {
          // Only where pairing is expected (other collector configs with listeners are open) and TLS is in
          // question: a lone config exporting to a backend outside the workspace is common.
          const othersListen = workspace.collectors().some((c) => c.path !== document.path && c.model.listeners.some((l) => l.protocol !== 'other'));
          if (othersListen && client.endpointSpan && client.end.usesTls) problems.push({ code: 'no-listener', offset: client.endpointSpan[0], length: client.endpointSpan[1] - client.endpointSpan[0], message: `${exporter.component.id}: ${noListenerMessage(endpoint, 'The endpoint')}` });
          continue;
        }
        for (const paired of listeners) {
          const receiver = receiverEnd(paired, runtime, settings);
          const several = listeners.length > 1 ? `against ${listenerName(paired)} (one of ${listeners.length} listeners on port ${endpoint.port}): ` : '';
          for (const finding of judgeHandshake(client.end, receiver.end, systemRootsFor)) {
            const anchor = (finding.anchor === 'ca' ? client.caSpan : finding.anchor === 'client-cert' ? client.certSpan : undefined) ?? client.endpointSpan;
            if (!anchor) continue;
            const data = finding.code === 'san-mismatch' ? sanMismatchData(client.end.host, receiver, runtime, settings) : plaintextData(finding.code, endpoint.scheme, exporter.protocol !== 'grpc');
            problems.push({
              code: finding.code,
              offset: anchor[0],
              length: anchor[1] - anchor[0],
              message: `${exporter.component.id}: ${several}${finding.message}`,
              ...(finding.severity ? { severity: finding.severity } : {}),
              related: receiver.related(finding.related, relatedMessage(finding, receiver.end)),
              ...(data ? { data } : {}),
            });
          }
        }
      }
    }
    return problems;
  },
};

function exporterClient(exporter: ExporterTarget, endpoint: ParsedEndpoint, endpointEntry: MapEntry, context: Pick<CollectorCheckContext, 'runtime' | 'settings'>, path: string) {
  const getEnv = context.runtime.getEnv;
  const block = exporter.tls;
  const get = (key: string) => (block ? readSetting(block, key, getEnv) : undefined);
  const hasCa = isKnownSet(get('ca_file')) || isKnownSet(get('ca_pem'));
  const insecure = isTrue(get('insecure'));
  let usesTls: boolean;
  let reason: string;
  if (exporter.protocol === 'grpc') {
    usesTls = !(insecure && !hasCa && endpoint.scheme !== 'https');
    reason = usesTls ? (endpoint.scheme === 'https' ? 'https:// endpoint' : 'gRPC exporters use TLS unless tls.insecure: true') : 'tls.insecure: true';
  } else {
    usesTls = endpoint.scheme === 'https';
    reason = usesTls ? 'https:// endpoint' : 'http:// endpoint';
  }
  const files = block && blockLoadsFiles(block, getEnv) ? blockFiles(block, context, path) : undefined;
  const ca = files?.byKey.get('ca_file');
  const cert = files?.byKey.get('cert_file');
  const key = files?.byKey.get('key_file');
  const serverName = get('server_name_override');
  const host = serverName && !serverName.unknown && typeof serverName.known === 'string' && serverName.known ? serverName.known : endpoint.host;
  const end: ClientEnd = {
    usesTls,
    tlsReason: reason,
    host,
    // include_system_ca_certs_pool: the system roots and the CA file (configtls loadCACertPool); only with a CA.
    roots: ca ? withSystem(certificatesOf(ca), isTrue(get('include_system_ca_certs_pool'))) : isKnownSet(get('ca_pem')) ? undefined : 'system',
    rootsSetting: 'ca_file',
    certificates: cert && key ? certificatesOf(cert) : 'none',
    clientCertSetting: cert && key ? 'cert_file' : 'tls.cert_file and tls.key_file are not set',
    skipVerify: isTrue(get('insecure_skip_verify')),
    now: context.runtime.now(),
  };
  for (const key of ['min_version', 'max_version'] as const) {
    const v = get(key);
    if (v && !v.unknown && v.known !== undefined && v.known !== '') end[key === 'min_version' ? 'minVersion' : 'maxVersion'] = String(v.known);
  }
  if (block) {
    const suites = readList(block, 'cipher_suites', getEnv);
    if (suites) end.cipherSuites = suites.values;
    const curves = readList(block, 'curve_preferences', getEnv);
    if (curves) end.curvePreferences = curves.values;
  }
  return {
    end,
    endpointSpan: nodeSpan(endpointEntry.value),
    caSpan: ca ? ([ca.offset, ca.offset + ca.length] as [number, number]) : undefined,
    certSpan: cert ? ([cert.offset, cert.offset + cert.length] as [number, number]) : undefined,
  };
}

/** A CA pool that starts from the system roots (include_system_ca_certs_pool: true), with the CA file's certificates. */
function withSystem(certificates: CertificateInfo[] | undefined, includeSystem: boolean): CertificateInfo[] | undefined {
  if (!certificates || !includeSystem) return certificates;
  return [...certificates, ...rootCertificatesAsInfo()];
}

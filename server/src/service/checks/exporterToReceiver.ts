/**
 * Cross-file: an OTLP exporter of one collector config (an agent) against the receivers of other
 * configs in the workspace (a gateway) that listen on its endpoint's port, each judged (findings name
 * the listener when there are several; none, while other configs have listeners: no-listener). Same
 * verdicts as the app side (./handshake.ts), with Go on both ends and the exporter's ca_file (with
 * include_system_ca_certs_pool), cert_file/key_file, server_name_override, insecure_skip_verify,
 * min_version/max_version, cipher_suites and curve_preferences. TLS is decided as the Collector does
 * (../model/clientTls.ts).
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { endpointPath, type ExporterTarget } from '../model/collector';
import { blockLoadsFiles, clientTlsSettings, collectorClientTls } from '../model/clientTls';
import { connectPort, parseEndpoint, tlsScheme, type Endpoint } from '../model/endpoint';
import { isKnownSet, isTrue, readEntry, readSetting } from '../model/tlsValues';
import { nodeSpan, type MapEntry } from '../yaml/yamlNodes';
import { blockFiles, certificatesOf } from '../certificates/references';
import { isUnit, listenerName, listenersFor, noListenerMessage } from '../certificates/pairing';
import { plaintextData, readList, receiverEnd, relatedMessage, sanMismatchData } from '../certificates/receiverEnd';
import { rootCertificatesAsInfo, systemRootsFor } from '../certificates/systemRoots';
import type { CertificateInfo } from '../certificates/certificateInfo';
import { judgeHandshake, type ClientEnd } from '../certificates/verifyHandshake';

export const exporterToReceiver: Check<CollectorCheckContext> = {
  name: 'exporterToReceiver',
  kind: 'collector',
  run(context) {
    const { model, runtime, path, workspace, at, unit } = context;
    const problems: Problem[] = [];
    for (const exporter of model.exporters) {
      for (const endpointEntry of [exporter.endpoint, ...exporter.signalEndpoints]) {
        if (!endpointEntry) continue;
        const value = readEntry(endpointEntry, runtime.getEnv);
        if (value.unknown || typeof value.known !== 'string') continue;
        const endpoint = parseEndpoint(value.known.trim());
        const port = connectPort(endpoint);
        if (port === undefined) continue;
        const listeners = listenersFor(workspace, { host: endpoint.host ?? '', port }, { path, index: unit.index });
        const client = exporterClient(exporter, endpoint, endpointEntry, context);
        if (listeners.length === 0) {
          // Only where pairing is expected (other configs with listeners are open) and TLS is in question:
          // a lone config exporting to a backend outside the workspace is common.
          const othersListen = workspace.collectors().some((c) => !isUnit(c, { path, index: unit.index }) && c.unit.model.listeners.some((l) => l.protocol !== 'other'));
          if (othersListen && client.endpointSpan && client.end.usesTls) {
            problems.push({ code: 'no-listener', offset: client.endpointSpan[0], length: client.endpointSpan[1] - client.endpointSpan[0], message: `${exporter.component.id}: ${noListenerMessage({ host: endpoint.host ?? '', port }, 'The endpoint')}` });
          }
          continue;
        }
        const endpointAt = at(endpointPath(exporter, endpointEntry));
        for (const paired of listeners) {
          const receiver = receiverEnd(paired, context);
          const several = listeners.length > 1 ? `against ${listenerName(paired)} (one of ${listeners.length} listeners on port ${port}): ` : '';
          for (const finding of judgeHandshake(client.end, receiver.end, systemRootsFor)) {
            const anchor = (finding.anchor === 'ca' ? client.caSpan : finding.anchor === 'client-cert' ? client.certSpan : undefined) ?? client.endpointSpan;
            if (!anchor) continue;
            const data =
              finding.code === 'san-mismatch' ? sanMismatchData(client.end.host, receiver, context, endpointAt) : plaintextData(finding.code, tlsScheme(endpoint), exporter.protocol !== 'grpc', endpointAt);
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

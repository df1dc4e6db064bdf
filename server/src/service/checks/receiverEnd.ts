/** The server side of a pair: a receiver listener's TLS as the handshake checks need it, with its anchors. */
import { readSetting } from '../documents/tlsValues';
import { nodeSpan } from '../documents/yamlNodes';
import type { RelatedLocation } from '../languageTypes';
import type { Runtime } from '../runtime';
import type { Settings } from '../settings';
import { certificatesOf, relatedAt } from '../certificates/references';
import { listenerName, type PairedListener } from '../certificates/pairing';
import type { HandshakeFinding, ServerAnchor, ServerEnd } from '../certificates/verifyHandshake';
import { blockFiles } from './collectorCertificates';

export interface ReceiverEnd {
  end: ServerEnd;
  related(anchor: ServerAnchor, message: string): RelatedLocation[];
}

export function receiverEnd(paired: PairedListener, runtime: Runtime, settings: Settings): ReceiverEnd {
  const { collector, listener } = paired;
  const getEnv = runtime.getEnv;
  const block = listener.tls;
  const spans = new Map<ServerAnchor, [number, number]>();
  const listenerSpan = nodeSpan(listener.anchor);
  if (listenerSpan) spans.set('listener', listenerSpan);
  const end: ServerEnd = { name: listenerName(paired), tls: !!block, requiresClientCert: false };
  if (block) {
    const tlsSpan = nodeSpan(block.keyNode ?? block.node);
    if (tlsSpan) spans.set('tls', tlsSpan);
    const files = blockFiles(block, { runtime, settings }, collector.path);
    const cert = files.byKey.get('cert_file');
    if (cert) spans.set('cert_file', [cert.offset, cert.offset + cert.length]);
    end.certificates = certificatesOf(cert);
    const clientCa = readSetting(block, 'client_ca_file', getEnv);
    if (clientCa && (clientCa.unknown || (typeof clientCa.known === 'string' && clientCa.known !== ''))) {
      end.requiresClientCert = true;
      const span = nodeSpan(clientCa.entry.value);
      if (span) spans.set('client_ca_file', span);
      end.clientCas = certificatesOf(files.byKey.get('client_ca_file'));
    }
    const max = readSetting(block, 'max_version', getEnv);
    if (max && !max.unknown && max.known !== undefined) {
      end.maxVersion = String(max.known);
      const span = nodeSpan(max.entry.value);
      if (span) spans.set('max_version', span);
    }
  }
  return {
    end,
    related(anchor, message) {
      const span = spans.get(anchor) ?? spans.get('tls') ?? spans.get('listener');
      return span ? [relatedAt(collector.path, collector.text, span[0], span[1] - span[0], message)] : [];
    },
  };
}

/** The message of the related location for a finding. */
export function relatedMessage(finding: HandshakeFinding, end: ServerEnd): string {
  switch (finding.related) {
    case 'cert_file': return `the server certificate of ${end.name}`;
    case 'client_ca_file': return `${end.name} verifies client certificates with this CA`;
    case 'max_version': return `${end.name}: max_version`;
    case 'listener': return `${end.name} (plaintext)`;
    default: return `${end.name} serves TLS here`;
  }
}

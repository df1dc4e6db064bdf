/** The server side of a pair: a receiver listener's TLS as the handshake checks need it, with its anchors. */
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { FileAccess } from '../caches';
import { relatedAt } from '../diagnostics';
import type { DiagnosticData, Locator, RelatedLocation } from '../languageTypes';
import { readSetting } from '../model/tlsValues';
import type { PairedListener } from '../model/workspace';
import { spanToFile } from '../sources/embedded';
import { nodeSpan } from '../yaml/yamlNodes';
import { loadReferencedFile } from './certificateFiles';
import { ipText, type CertificateInfo } from './certificateInfo';
import { listenerName } from './pairing';
import { blockFiles, certificatesOf } from './references';
import type { HandshakeFinding, ServerAnchor, ServerEnd } from './verifyHandshake';

export interface ReceiverEnd {
  end: ServerEnd;
  /** The file the server certificate was loaded from. */
  certPath?: string;
  related(anchor: ServerAnchor, message: string): RelatedLocation[];
}

export function receiverEnd(paired: PairedListener, access: FileAccess): ReceiverEnd {
  const { collector, listener } = paired;
  const getEnv = access.runtime.getEnv;
  const block = listener.tls;
  const spans = new Map<ServerAnchor, [number, number]>();
  const listenerSpan = nodeSpan(listener.anchor);
  if (listenerSpan) spans.set('listener', listenerSpan);
  const end: ServerEnd = { name: listenerName(paired), tls: !!block, requiresClientCert: false };
  let certPath: string | undefined;
  if (block) {
    const tlsSpan = nodeSpan(block.keyNode ?? block.node);
    if (tlsSpan) spans.set('tls', tlsSpan);
    const files = blockFiles(block, access, collector.path);
    const cert = files.get('cert_file');
    if (cert) spans.set('cert_file', [cert.offset, cert.offset + cert.length]);
    end.certificates = certificatesOf(cert);
    if (cert?.file.status === 'ok') certPath = cert.file.path;
    const clientCa = readSetting(block, 'client_ca_file', getEnv);
    if (clientCa && (clientCa.unknown || (typeof clientCa.known === 'string' && clientCa.known !== ''))) {
      end.requiresClientCert = true;
      const span = nodeSpan(clientCa.entry.value);
      if (span) spans.set('client_ca_file', span);
      end.clientCas = certificatesOf(files.get('client_ca_file'));
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
    ...(certPath ? { certPath } : {}),
    related(anchor, message) {
      const span = spans.get(anchor) ?? spans.get('tls') ?? spans.get('listener');
      if (!span) return [];
      const inFile = spanToFile(collector.unit.offsets, span[0], span[1] - span[0]);
      return [relatedAt(access.caches.lineTables, collector.path, collector.text, inFile.offset, inFile.length, message)];
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

/**
 * The data of a plaintext-endpoint finding on the endpoint at `at` when switching its scheme fixes it:
 * `http://` to a TLS receiver becomes `https://`, `https://` to a plaintext one `http://`. Only where the
 * scheme decides TLS (app settings, OTLP/HTTP exporters): a gRPC exporter's TLS follows tls.insecure instead.
 */
export function plaintextData(code: HandshakeFinding['code'], scheme: 'http' | 'https' | undefined, schemeDecides: boolean, at: Locator): DiagnosticData | undefined {
  if (code !== 'plaintext-endpoint' || !schemeDecides || !scheme) return undefined;
  return scheme === 'http' ? { kind: 'scheme', from: 'http', to: 'https', at } : { kind: 'scheme', from: 'https', to: 'http', at };
}

/**
 * The data of a san-mismatch on the endpoint at `at` (see DiagnosticData `san`): the names the server
 * certificate covers, and whether it can be re-issued with the host added: a development certificate
 * whose CA (`ca.crt`, its issuer) and CA key (`ca.key`) sit beside it, inside a workspace root.
 */
export function sanMismatchData(host: string, receiver: ReceiverEnd, access: FileAccess, at: Locator): DiagnosticData | undefined {
  const leaf = receiver.end.certificates?.[0];
  if (!leaf) return undefined;
  const names = [...leaf.dnsNames, ...leaf.ipAddresses.map(ipText)];
  const reissue = receiver.certPath !== undefined && hasDevCa(receiver.certPath, leaf, access);
  return { kind: 'san', host, names, ...(reissue ? { reissueFolder: dirname(receiver.certPath!) } : {}), at };
}

function hasDevCa(certPath: string, leaf: CertificateInfo, access: FileAccess): boolean {
  const folder = dirname(certPath);
  const roots = access.settings.workspaceRoots;
  if (roots.length > 0 && !roots.some((root) => isInside(folder, root))) return false;
  try {
    if (access.runtime.fileSystem.stat(join(folder, 'ca.key'))?.kind !== 'file') return false;
  } catch {
    return false;
  }
  const ca = loadReferencedFile(access, join(folder, 'ca.crt'), certPath);
  return ca.status === 'ok' && ca.parsed.certificates.some((c) => c.isCa && c.rawSubject === leaf.rawIssuer);
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

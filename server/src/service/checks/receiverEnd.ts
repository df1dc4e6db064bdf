/** The server side of a pair: a receiver listener's TLS as the handshake checks need it, with its anchors. */
import { dirname, isAbsolute, join, relative } from 'node:path';
import { isSeq, isScalar } from 'yaml';
import { blockEntry, type TlsBlock } from '../documents/collectorConfig';
import { expandValue } from '../documents/substitution';
import { isTrue, readSetting } from '../documents/tlsValues';
import { nodeSpan } from '../documents/yamlNodes';
import type { DiagnosticData, RelatedLocation } from '../languageTypes';
import type { Runtime } from '../runtime';
import type { Settings } from '../settings';
import { loadReferencedFile } from '../certificates/certificateFiles';
import { ipText, type CertificateInfo } from '../certificates/certificateInfo';
import { certificatesOf, keyOf, relatedAt } from '../certificates/references';
import { pairFinding } from '../certificates/fileFindings';
import { listenerName, type PairedListener } from '../certificates/pairing';
import type { HandshakeFinding, ServerAnchor, ServerEnd } from '../certificates/verifyHandshake';
import { blockFiles } from './collectorCertificates';

export interface ReceiverEnd {
  end: ServerEnd;
  /** The file the server certificate was loaded from. */
  certPath?: string;
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
  let certPath: string | undefined;
  if (block) {
    const tlsSpan = nodeSpan(block.keyNode ?? block.node);
    if (tlsSpan) spans.set('tls', tlsSpan);
    const files = blockFiles(block, { runtime, settings }, collector.path);
    const cert = files.byKey.get('cert_file');
    if (cert) spans.set('cert_file', [cert.offset, cert.offset + cert.length]);
    end.certificates = certificatesOf(cert);
    // What stops the receiver from starting (configtls LoadTLSConfig): its files' errors, the pair's mismatch.
    for (const key of ['cert_file', 'key_file', 'client_ca_file']) {
      const reference = files.byKey.get(key);
      const fatal = reference?.findings.find((f) => (f.severity ?? 'error') === 'error' && (key !== 'cert_file' || f.code !== 'malformed-certificate' || /Collector fails to start/.test(f.message)) && !['cert-expired', 'cert-not-yet-valid', 'weak-signature', 'cn-only', 'missing-eku', 'weak-key'].includes(f.code));
      if (fatal && !end.startupError) end.startupError = { code: fatal.code, message: fatal.message, setting: key };
    }
    const key = files.byKey.get('key_file');
    const pair = end.certificates && keyOf(key) ? pairFinding(end.certificates, keyOf(key)!, { certSetting: 'cert_file', keySetting: 'key_file', loader: 'collector' }) : undefined;
    if (pair && !end.startupError) end.startupError = { code: pair.code, message: pair.message, setting: 'key_file' };
    if (cert?.file.status === 'ok') certPath = cert.file.path;
    const clientCa = readSetting(block, 'client_ca_file', getEnv);
    if (clientCa && (clientCa.unknown || (typeof clientCa.known === 'string' && clientCa.known !== ''))) {
      end.requiresClientCert = true;
      const span = nodeSpan(clientCa.entry.value);
      if (span) spans.set('client_ca_file', span);
      end.clientCas = certificatesOf(files.byKey.get('client_ca_file'));
    }
    for (const key of ['max_version', 'min_version'] as const) {
      const version = readSetting(block, key, getEnv);
      if (version && !version.unknown && version.known !== undefined && version.known !== '') {
        if (key === 'max_version') end.maxVersion = String(version.known);
        else end.minVersion = String(version.known);
        const span = nodeSpan(version.entry.value);
        if (span) spans.set(key, span);
      }
    }
    for (const key of ['cipher_suites', 'curve_preferences'] as const) {
      const list = readList(block, key, getEnv);
      if (!list) continue;
      if (key === 'cipher_suites') end.cipherSuites = list.values;
      else end.curvePreferences = list.values;
      const span = nodeSpan(list.node);
      if (span) spans.set(key, span);
    }
    end.includeInsecureCipherSuites = isTrue(readSetting(block, 'include_insecure_cipher_suites', getEnv));
  }
  return {
    end,
    ...(certPath ? { certPath } : {}),
    related(anchor, message) {
      const span = spans.get(anchor) ?? spans.get('tls') ?? spans.get('listener');
      return span ? [relatedAt(collector.path, collector.text, span[0], span[1] - span[0], message)] : [];
    },
  };
}

/**
 * A list setting (cipher_suites, curve_preferences) as the Collector decodes it: a YAML sequence of
 * strings, or a string split on "," without trimming (mapstructure StringToSliceHookFunc).
 * Undefined when absent, empty, or holding a value that cannot be known here.
 */
export function readList(block: TlsBlock, key: string, getEnv: (name: string) => string | undefined): { values: string[]; node: NonNullable<ReturnType<typeof blockEntry>>['value'] } | undefined {
  const entry = blockEntry(block, key);
  if (!entry || !entry.value) return undefined;
  const expand = (text: string): string | undefined => {
    const e = expandValue(text, getEnv);
    return e.kind === 'literal' || (e.kind === 'substituted' && e.value !== undefined) ? e.value : undefined;
  };
  let values: string[] = [];
  if (isSeq(entry.value)) {
    for (const item of entry.value.items) {
      if (!isScalar(item) || typeof item.value !== 'string') return undefined;
      const v = expand(item.value);
      if (v === undefined) return undefined;
      values.push(v);
    }
  } else if (isScalar(entry.value) && typeof entry.value.value === 'string') {
    const v = expand(entry.value.value);
    if (v === undefined) return undefined;
    values = v === '' ? [] : v.split(',');
  } else return undefined;
  return values.length ? { values, node: entry.value } : undefined;
}

/** The message of the related location for a finding. */
export function relatedMessage(finding: HandshakeFinding, end: ServerEnd): string {
  switch (finding.related) {
    case 'cert_file': return `the server certificate of ${end.name}`;
    case 'client_ca_file': return `${end.name} verifies client certificates with this CA`;
    case 'max_version': return `${end.name}: max_version`;
    case 'min_version': return `${end.name}: min_version`;
    case 'cipher_suites': return `${end.name}: cipher_suites`;
    case 'curve_preferences': return `${end.name}: curve_preferences`;
    case 'listener': return `${end.name} (plaintext)`;
    default: return `${end.name} serves TLS here`;
  }
}

/**
 * The data of a plaintext-endpoint finding when switching the endpoint's scheme fixes it: `http://`
 * to a TLS receiver becomes `https://`, `https://` to a plaintext one `http://`. Only where the scheme
 * decides TLS (env files, OTLP/HTTP exporters): a gRPC exporter's TLS follows tls.insecure instead.
 */
export function plaintextData(code: HandshakeFinding['code'], scheme: 'http' | 'https' | undefined, schemeDecides: boolean): DiagnosticData | undefined {
  if (code !== 'plaintext-endpoint' || !schemeDecides || !scheme) return undefined;
  return scheme === 'http' ? { kind: 'scheme', from: 'http', to: 'https' } : { kind: 'scheme', from: 'https', to: 'http' };
}

/**
 * The data of a san-mismatch (see DiagnosticData `san`): the names the server certificate covers,
 * and whether it can be re-issued with the host added: a development certificate whose CA
 * (`ca.crt`, its issuer) and CA key (`ca.key`) sit beside it, inside a workspace root.
 */
export function sanMismatchData(host: string, receiver: ReceiverEnd, runtime: Runtime, settings: Settings): DiagnosticData | undefined {
  const leaf = receiver.end.certificates?.[0];
  if (!leaf) return undefined;
  const names = [...leaf.dnsNames, ...leaf.ipAddresses.map(ipText)];
  const reissue = receiver.certPath !== undefined && hasDevCa(receiver.certPath, leaf, runtime, settings);
  return { kind: 'san', host, names, ...(reissue ? { reissueFolder: dirname(receiver.certPath!) } : {}) };
}

function hasDevCa(certPath: string, leaf: CertificateInfo, runtime: Runtime, settings: Settings): boolean {
  const folder = dirname(certPath);
  if (settings.workspaceRoots.length > 0 && !settings.workspaceRoots.some((root) => isInside(folder, root))) return false;
  try {
    if (runtime.fileSystem.stat(join(folder, 'ca.key'))?.kind !== 'file') return false;
  } catch {
    return false;
  }
  const ca = loadReferencedFile(runtime, settings, join(folder, 'ca.crt'), certPath);
  return ca.status === 'ok' && ca.parsed.certificates.some((c) => c.isCa && c.rawSubject === leaf.rawIssuer);
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

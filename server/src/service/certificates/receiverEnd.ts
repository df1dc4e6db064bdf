/** The server side of a pair: a receiver listener's TLS as the handshake checks need it, with its anchors. */
import { dirname, isAbsolute, join, relative } from 'node:path';
import { isScalar, isSeq } from 'yaml';
import type { FileAccess } from '../caches';
import { relatedAt } from '../diagnostics';
import type { DiagnosticData, Locator, Problem, RelatedLocation } from '../languageTypes';
import { blockEntry, type TlsBlock } from '../model/collector';
import { isTrue, readSetting } from '../model/tlsValues';
import { expandValue } from '../yaml/substitution';
import type { PairedListener } from '../model/workspace';
import { withMounts } from '../settings';
import { spanToFile } from '../sources/embedded';
import { nodeSpan } from '../yaml/yamlNodes';
import { loadReferencedFile } from './certificateFiles';
import { ipText, type CertificateInfo } from './certificateInfo';
import { listenerName } from './pairing';
import { pairFinding } from './fileFindings';
import { blockFiles, certificatesOf, keyOf } from './references';
import type { HandshakeFinding, ServerAnchor, ServerEnd } from './verifyHandshake';

export interface ReceiverEnd {
  end: ServerEnd;
  /** The file the server certificate was loaded from. */
  certPath?: string;
  related(anchor: ServerAnchor, message: string): RelatedLocation[];
}

/** receiverEnd, judged once per listener (and the Service it is reached through: its name says it) while what it read stands (../accessMemo.ts): the same for every exporter paired with it. */
export function keptReceiverEnd(paired: PairedListener, access: FileAccess): ReceiverEnd {
  // Only what receiverEnd reads, so a kept end holds no check context (an exporter's document): the listener's files
  // are read in its collector's container, whatever the exporter's; the cluster only there (./references.ts
  // inContainer), and each check context has a cluster of its own.
  const given: FileAccess = { runtime: access.runtime, settings: access.settings, caches: access.caches, ...(paired.collector.unit.container && access.cluster ? { cluster: access.cluster } : {}) };
  return access.caches.receiverEnds.get(paired.listener, paired.collector, paired.via ?? '', given, (recording) => receiverEnd(paired, recording));
}

export function receiverEnd(paired: PairedListener, access: FileAccess): ReceiverEnd {
  const { collector, listener } = paired;
  const getEnv = access.runtime.getEnv;
  const block = listener.tls;
  const spans = new Map<ServerAnchor, [number, number]>();
  const listenerSpan = nodeSpan(listener.anchor);
  if (listenerSpan) spans.set('listener', listenerSpan);
  const end: ServerEnd = { name: listenerName(paired, access.settings.workspaceRoots), tls: !!block, requiresClientCert: false };
  let certPath: string | undefined;
  if (block) {
    const tlsSpan = nodeSpan(block.keyNode ?? block.node);
    if (tlsSpan) spans.set('tls', tlsSpan);
    // The collector's files as its container sees them (the compose service that mounts its config).
    const files = blockFiles(block, { ...access, settings: withMounts(access.settings, collector.mounts), container: collector.unit.container }, collector.path);
    const cert = files.get('cert_file');
    if (cert) spans.set('cert_file', [cert.offset, cert.offset + cert.length]);
    const key = files.get('key_file');
    if (key) spans.set('key_file', [key.offset, key.offset + key.length]);
    end.certificates = certificatesOf(cert);
    // What stops the receiver from starting (configtls LoadTLSConfig): its files' errors, the pair's mismatch.
    for (const key of ['cert_file', 'key_file', 'client_ca_file']) {
      const reference = files.get(key);
      const fatal = reference?.findings.find(
        (f) => (f.severity ?? 'error') === 'error' && (key !== 'cert_file' || f.code !== 'malformed-certificate' || /Collector fails to start/.test(f.message)) && !['cert-expired', 'cert-not-yet-valid', 'weak-signature', 'cn-only', 'missing-eku', 'weak-key'].includes(f.code),
      );
      if (fatal && !end.startupError) end.startupError = { code: fatal.code, message: fatal.message, setting: key };
    }
    const privateKey = keyOf(files.get('key_file'));
    const pair = end.certificates && privateKey ? pairFinding(end.certificates, privateKey, { certSetting: 'cert_file', keySetting: 'key_file', loader: 'collector' }) : undefined;
    if (pair && !end.startupError) end.startupError = { code: pair.code, message: pair.message, setting: 'key_file' };
    // A Secret key's contents (file.path is its manifest): no development CA beside it to re-issue from.
    if (cert?.file.status === 'ok' && !cert.secret) certPath = cert.file.path;
    const clientCa = readSetting(block, 'client_ca_file', getEnv);
    if (clientCa && (clientCa.unknown || (typeof clientCa.known === 'string' && clientCa.known !== ''))) {
      end.requiresClientCert = true;
      const span = nodeSpan(clientCa.entry.value);
      if (span) spans.set('client_ca_file', span);
      end.clientCas = certificatesOf(files.get('client_ca_file'));
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
      if (!span) return [];
      const inFile = spanToFile(collector.unit.offsets, span[0], span[1] - span[0]);
      return [relatedAt(access.caches.lineTables, collector.path, collector.text, inFile.offset, inFile.length, message)];
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
    return e.kind === 'template' ? undefined : e.value;
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
    case 'key_file': return `the server key of ${end.name}`;
    case 'client_ca_file': return `${end.name} verifies client certificates with this CA`;
    case 'max_version': return `${end.name}: max_version`;
    case 'min_version': return `${end.name}: min_version`;
    case 'cipher_suites': return `${end.name}: cipher_suites`;
    case 'curve_preferences': return `${end.name}: curve_preferences`;
    case 'listener': return `${end.name} (plaintext)`;
    default: return `${end.name} serves TLS here`;
  }
}

/** The server settings that name a file: a finding related to one is the receiver's own file problem when that file reports the same code there. */
const FILE_ANCHORS: readonly ServerAnchor[] = ['cert_file', 'key_file', 'client_ca_file'];

/**
 * The cause of a client's finding that is about one of the receiver's files (its expired certificate):
 * the same code at that file setting, where the receiver's own check reports it (../causes.ts).
 */
export function fileCause(finding: HandshakeFinding, related: RelatedLocation[], note: string): Problem['cause'] {
  if (!FILE_ANCHORS.includes(finding.related) || !related[0]) return undefined;
  return { code: finding.code, related: related[0], note };
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

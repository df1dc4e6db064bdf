/**
 * The certificate and key files a collector config names, each checked on its own
 * (file-not-found, not-a-certificate, not-a-private-key, encrypted-key, cert-expired, cert-not-yet-valid,
 * cert-expiring-soon, not-a-ca, weak-key, weak-signature, cn-only, missing-eku, key-permissions, ...)
 * and as a pair (key-mismatch). The diagnostic sits on the value that names the file.
 * Blocks the Collector never loads (client `insecure: true` without a CA, a server `tls` that is off)
 * are skipped, and so are values holding unresolved substitutions (unresolvedPaths reports those).
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { tlsPresent, type TlsBlock } from '../documents/collectorConfig';
import { isKnownSet, isTrue, readSetting } from '../documents/tlsValues';
import { nodeSpan } from '../documents/yamlNodes';
import { blockFileSettings, blockKeyPair } from '../certificates/certificatePaths';
import { pairFinding } from '../certificates/fileFindings';
import { checkInline, checkReference, certificatesOf, keyOf, relatedAt, type CheckedReference } from '../certificates/references';
import { isMap, isScalar } from 'yaml';
import { blockEntry } from '../documents/collectorConfig';
import { expandValue } from '../documents/substitution';

/** Whether the Collector loads this block's files at all. */
export function blockLoadsFiles(block: TlsBlock, getEnv: (name: string) => string | undefined): boolean {
  if (block.role === 'server') return tlsPresent(block);
  if (block.role === 'client' || block.role === 'either') {
    const insecure = isTrue(readSetting(block, 'insecure', getEnv));
    const hasCa = isKnownSet(readSetting(block, 'ca_file', getEnv)) || isKnownSet(readSetting(block, 'ca_pem', getEnv));
    return !(insecure && !hasCa);
  }
  return true;
}

export interface BlockFiles {
  /** Checked references by key (only keys with a known string value). */
  byKey: Map<string, CheckedReference & { offset: number; length: number }>;
}

/** Loads and judges every file of one block (cached, so the cross-file checks can call it too). */
export function blockFiles(block: TlsBlock, context: Pick<CollectorCheckContext, 'runtime' | 'settings'>, path: string): BlockFiles {
  const getEnv = context.runtime.getEnv;
  const byKey: BlockFiles['byKey'] = new Map();
  const tpm = tpmEnabled(block, getEnv);
  for (const [key, purpose] of blockFileSettings(block.role)) {
    const value = readSetting(block, key, getEnv);
    if (!value || value.unknown || typeof value.known !== 'string' || value.known.trim() === '') {
      // cert_pem, key_pem, ca_pem: the PEM inline, or `${file:…}` / `${env:…}` that resolve to it (configtls reads them as PEM text).
      const inline = key.endsWith('_file') && !value ? inlinePem(block, key.replace(/_file$/, '_pem'), getEnv) : undefined;
      if (inline) {
        const reference = { setting: inline.setting, written: inline.written, purpose, loader: 'collector' as const, ...(tpm && purpose === 'key' ? { tpm } : {}) };
        const checked = inline.text !== undefined ? checkInline(reference, inline.text, path, context.runtime, context.settings) : checkReference(reference, path, context.runtime, context.settings);
        byKey.set(key, { ...checked, offset: inline.span[0], length: inline.span[1] - inline.span[0] });
      }
      continue;
    }
    const span = nodeSpan(value.entry.value);
    if (!span) continue;
    const checked = checkReference({ setting: key, written: value.known, purpose, loader: 'collector', ...(tpm && purpose === 'key' ? { tpm } : {}) }, path, context.runtime, context.settings);
    byKey.set(key, { ...checked, offset: span[0], length: span[1] - span[0] });
  }
  return { byKey };
}

/** tpm.enabled: true in the block (configtls loads key_file/key_pem through the TPM). */
function tpmEnabled(block: TlsBlock, getEnv: (name: string) => string | undefined): boolean {
  const tpm = blockEntry(block, 'tpm');
  if (!tpm || !isMap(tpm.value)) return false;
  const enabled = tpm.value.items.find((pair) => isScalar(pair.key) && pair.key.value === 'enabled');
  if (!enabled || !isScalar(enabled.value)) return false;
  const raw = enabled.value.value;
  if (raw === true) return true;
  if (typeof raw === 'string') {
    const expanded = expandValue(raw, getEnv);
    return (expanded.kind === 'literal' || expanded.kind === 'substituted') && 'value' in expanded && expanded.value === 'true';
  }
  return false;
}

/**
 * An inline PEM key's text, or the file a `${file:path}` names: as the Collector resolves it
 * (confmap's file provider reads the file; the env provider gives the variable's value).
 */
function inlinePem(block: TlsBlock, key: string, getEnv: (name: string) => string | undefined): { setting: string; written: string; text?: string; span: [number, number] } | undefined {
  const entry = blockEntry(block, key);
  if (!entry || !isScalar(entry.value) || typeof entry.value.value !== 'string') return undefined;
  const span = nodeSpan(entry.value);
  if (!span) return undefined;
  const raw = entry.value.value;
  const file = /^\s*\$\{file:([^}]+)\}\s*$/.exec(raw)?.[1];
  if (file) return { setting: `${key} (\${file:${file}})`, written: file, span };
  const expanded = expandValue(raw, getEnv);
  const text = expanded.kind === 'literal' ? expanded.value : expanded.kind === 'substituted' ? expanded.value : undefined;
  if (text === undefined || text.trim() === '') return undefined;
  return { setting: key, written: '(inline PEM)', text, span };
}

export const collectorCertificates: Check<CollectorCheckContext> = {
  name: 'collectorCertificates',
  kind: 'collector',
  run(context) {
    const { model, runtime, document } = context;
    const getEnv = runtime.getEnv;
    const problems: Problem[] = [];
    for (const block of model.tlsBlocks) {
      if (!blockLoadsFiles(block, getEnv)) continue;
      const files = blockFiles(block, context, document.path);
      for (const reference of files.byKey.values()) {
        for (const finding of reference.findings) {
          problems.push({ code: finding.code, offset: reference.offset, length: reference.length, message: finding.message, ...(finding.severity ? { severity: finding.severity } : {}) });
        }
      }
      const { certificate: certKey, key: keyKey } = blockKeyPair(block.role);
      const cert = files.byKey.get(certKey);
      const key = files.byKey.get(keyKey);
      const certificates = certificatesOf(cert);
      const privateKey = keyOf(key);
      if (cert && key && certificates && privateKey) {
        const finding = pairFinding(certificates, privateKey, { certSetting: certKey, keySetting: keyKey, loader: 'collector' });
        if (finding) {
          problems.push({
            code: finding.code,
            offset: key.offset,
            length: key.length,
            message: finding.message,
            related: [relatedAt(document.path, document.text, cert.offset, cert.length, `${certKey}: ${certificates[0].label}`)],
          });
        }
      }
    }
    return problems;
  },
};

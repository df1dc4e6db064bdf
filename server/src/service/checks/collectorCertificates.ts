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
import { tlsPresent, type TlsBlock } from '../model/collector';
import { isKnownSet, isTrue, readSetting } from '../model/tlsValues';
import { nodeSpan } from '../yaml/yamlNodes';
import { blockFileSettings, blockKeyPair } from '../certificates/certificatePaths';
import { pairFinding } from '../certificates/fileFindings';
import { checkReference, certificatesOf, keyOf, relatedAt, type CheckedReference } from '../certificates/references';

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
  for (const [key, purpose] of blockFileSettings(block.role)) {
    const value = readSetting(block, key, getEnv);
    if (!value || value.unknown || typeof value.known !== 'string' || value.known.trim() === '') continue;
    const span = nodeSpan(value.entry.value);
    if (!span) continue;
    const checked = checkReference({ setting: key, written: value.known, purpose, loader: 'collector' }, path, context.runtime, context.settings);
    byKey.set(key, { ...checked, offset: span[0], length: span[1] - span[0] });
  }
  return { byKey };
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

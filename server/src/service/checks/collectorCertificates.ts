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
import { entryPath } from '../model/collector';
import { blockLoadsFiles } from '../model/clientTls';
import { blockKeyPair } from '../certificates/certificatePaths';
import { pairFinding } from '../certificates/fileFindings';
import { blockFiles, certificatesOf, keyOf } from '../certificates/references';

export const collectorCertificates: Check<CollectorCheckContext> = {
  name: 'collectorCertificates',
  kind: 'collector',
  perComponent: true,
  run(context) {
    const { model, runtime, path, at } = context;
    const problems: Problem[] = [];
    for (const block of model.tlsBlocks) {
      if (!blockLoadsFiles(block, runtime.getEnv)) continue;
      const files = blockFiles(block, context, path);
      for (const reference of files.values()) {
        for (const finding of reference.findings) {
          problems.push({
            code: finding.code,
            offset: reference.offset,
            length: reference.length,
            message: finding.message,
            ...(finding.severity ? { severity: finding.severity } : {}),
            ...((finding.code === 'file-not-found' || finding.code === 'container-path') && reference.setting === reference.key ? { data: { kind: 'missing-file' as const, at: at(entryPath(block, reference.key)) } } : {}),
          });
        }
      }
      const { certificate: certKey, key: keyKey } = blockKeyPair(block.role);
      const cert = files.get(certKey);
      const key = files.get(keyKey);
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
            related: [context.related(cert.offset, cert.length, `${certKey}: ${certificates[0].label}`)],
          });
        }
      }
    }
    return problems;
  },
};

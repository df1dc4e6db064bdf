/**
 * Rotation readiness of a Collector's trust files (`ca-rotation`, `secret-subpath-mount`): a `ca_file`
 * (a client's CA, or a server's), a receiver's `client_ca_file`, or a telemetry exporter's `certificate`
 * that is the CA of a Secret whose CA cert-manager renews (certificates/secretKeys.ts `rotatingCaOf`), read
 * once: configtls never reloads ca_file, and client_ca_file only with `client_ca_file_reload: true`
 * (docs/facts/collector-reload.md §2-3); fix: add `client_ca_file_reload: true` to a receiver. A reloaded
 * client_ca_file mounted with subPath never sees the new CA (the kubelet does not update it).
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { blockLoadsFiles } from '../model/clientTls';
import { isTrue, readSetting } from '../model/tlsValues';
import { blockFiles } from '../certificates/references';
import { caRotationFinding, certificateRelated } from '../certificates/rotation';
import { rotatingCaOf } from '../certificates/secretKeys';

const READERS = { ca_file: 'collector-ca-file', client_ca_file: 'collector-client-ca-file', certificate: 'sdk' } as const;

export const caRotation: Check<CollectorCheckContext> = {
  name: 'caRotation',
  kind: 'collector',
  perComponent: true,
  run(context) {
    const { model, runtime, path, at, cluster } = context;
    const problems: Problem[] = [];
    if (!cluster) return problems;
    for (const block of model.tlsBlocks) {
      if (!blockLoadsFiles(block, runtime.getEnv)) continue;
      const files = blockFiles(block, context, path);
      for (const [key, reader] of Object.entries(READERS) as [keyof typeof READERS, (typeof READERS)[keyof typeof READERS]][]) {
        const file = files.get(key);
        // A receiver's ca_file verifies nothing (configtls: only client_ca_file verifies clients).
        if (!file?.secret || (key === 'ca_file' && block.role === 'server')) continue;
        const rotating = rotatingCaOf(file.secret.contents, cluster);
        if (!rotating) continue;
        const reload = key === 'client_ca_file' && isTrue(readSetting(block, 'client_ca_file_reload', runtime.getEnv));
        const secret = `${file.secret.ref.kind === 'secret' ? 'Secret' : 'ConfigMap'} ${file.secret.ref.name}`;
        const related = certificateRelated(context, rotating.certificate, `${rotating.spec.label}: the CA that ${secret}'s ${file.secret.ref.key} holds, renewed by cert-manager`);
        if (reload && file.secret.subPath) {
          problems.push({
            code: 'secret-subpath-mount',
            offset: file.offset,
            length: file.length,
            related,
            message: `${block.component.id}: A subPath mount never sees the renewed CA: mount the Secret as a folder (no subPath). client_ca_file is ${file.secret.ref.key} of ${secret} mounted with subPath, and the kubelet never updates a subPath mount: client_ca_file_reload reloads the same old bytes when cert-manager renews ${rotating.spec.label}. Name the file in the mounted folder.`,
          });
          continue;
        }
        const finding = caRotationFinding({ setting: file.setting, reader, clientCaReload: reload, secret, rotating: rotating.spec, selfSignedLeaf: rotating.selfSignedLeaf });
        if (!finding) continue;
        problems.push({
          code: finding.code,
          offset: file.offset,
          length: file.length,
          message: `${block.component.id}: ${finding.message}`,
          related,
          ...(key === 'client_ca_file' && block.role !== 'client' ? { data: { kind: 'add-tls-key' as const, key: 'client_ca_file_reload', value: 'true', at: at(block.keyPath) } } : {}),
        });
      }
    }
    return problems;
  },
};

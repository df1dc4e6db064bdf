/**
 * Rotation readiness of a Collector's own certificate (`reload-not-configured`, `secret-subpath-mount`):
 * a tls block whose cert_file / key_file is a key of a Secret that a cert-manager Certificate writes (and
 * renews), judged with certificates/rotation.ts `reloadFindings`:
 * - no `reload_interval` (or one not shorter than the renewal window): the Collector reads the pair once,
 *   at start (configtls certReloader; docs/facts/collector-reload.md §2), and serves the old certificate
 *   after a renewal until it expires; fix: add `reload_interval`;
 * - the PEM through `cert_pem: ${file:…}`: resolved once with the config, never reloaded;
 * - a subPath mount: the kubelet never updates it (docs/facts/kubernetes.md §4), whatever reload_interval says.
 * A receiver's certificate and an exporter's client certificate alike; a Secret from a manifest's data is
 * not renewed, and is not judged here.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { blockLoadsFiles } from '../model/clientTls';
import { parseGoDuration } from '../model/goDuration';
import { readSetting } from '../model/tlsValues';
import { blockKeyPair } from '../certificates/certificatePaths';
import { blockFiles } from '../certificates/references';
import { certificateRelated, reloadFindings } from '../certificates/rotation';

export const certificateReload: Check<CollectorCheckContext> = {
  name: 'certificateReload',
  kind: 'collector',
  perComponent: true,
  run(context) {
    const { model, runtime, path, at } = context;
    const problems: Problem[] = [];
    for (const block of model.tlsBlocks) {
      // The telemetry exporters are the Go SDK's, which has no reload setting; a block the Collector does not load is skipped.
      if (block.role === 'telemetry' || !blockLoadsFiles(block, runtime.getEnv)) continue;
      const files = blockFiles(block, context, path);
      const pair = blockKeyPair(block.role);
      const cert = files.get(pair.certificate);
      const key = files.get(pair.key);
      // The certificate the block presents is what cert-manager renews (a cert_file that will not exist says so itself).
      const issued = cert?.secret?.contents.kind === 'issued' ? cert : undefined;
      if (!cert || !issued?.secret || issued.secret.contents.kind !== 'issued') continue;
      const contents = issued.secret.contents;
      const interval = readSetting(block, 'reload_interval', runtime.getEnv);
      // A value not known here (${env:…}), or not a duration string (the schema check says so): nothing certain to say.
      if (interval?.unknown || (interval && interval.known !== undefined && typeof interval.known !== 'string')) continue;
      const reloadMs = typeof interval?.known === 'string' && interval.known !== '' ? parseGoDuration(interval.known) : undefined;
      if (typeof interval?.known === 'string' && interval.known !== '' && reloadMs === undefined) continue;
      const inline = [cert, key].some((f) => f && f.setting !== f.key && f.setting.includes('${file:'));
      const findings = reloadFindings({
        setting: cert.setting,
        side: block.role === 'client' ? 'client' : 'server',
        spec: contents.certificate.value,
        secret: `Secret ${issued.secret.ref.name}`,
        ...(reloadMs ? { reloadMs } : {}),
        subPath: [cert, key].some((f) => f?.secret?.subPath),
        inline,
      });
      for (const finding of findings) {
        const anchor = finding.code === 'reload-not-configured' && interval ? interval.entry.value : undefined;
        const span = anchor && (anchor as { range?: [number, number, number] }).range;
        problems.push({
          code: finding.code,
          offset: span ? span[0] : cert.offset,
          length: span ? span[1] - span[0] : cert.length,
          message: `${block.component.id}: ${finding.message}`,
          ...(finding.severity ? { severity: finding.severity } : {}),
          related: certificateRelated(context, contents.certificate, `${contents.certificate.value.label} writes Secret ${issued.secret.ref.name}`),
          ...(finding.suggestedInterval && !interval ? { data: { kind: 'add-tls-key' as const, key: 'reload_interval', value: finding.suggestedInterval, at: at(block.keyPath) } } : {}),
        });
      }
    }
    return problems;
  },
};

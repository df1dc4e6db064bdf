/**
 * Rotation readiness of an app's trust file (`ca-rotation`): OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE that is
 * the CA of a Secret whose CA cert-manager renews (certificates/secretKeys.ts `rotatingCaOf`). SDKs read it
 * once, at start, and have no setting to read it again, so after the CA's renewal (a new key with the
 * default rotationPolicy Always) the collector's new certificates fail verification until the app restarts.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';
import { envFileVariable } from '../certificates/certificatePaths';
import { settingReference } from '../certificates/references';
import { caRotationFinding, certificateRelated } from '../certificates/rotation';
import { rotatingCaOf } from '../certificates/secretKeys';

export const envCaRotation: Check<AppCheckContext> = {
  name: 'envCaRotation',
  kind: 'app',
  run(context) {
    const { unit, path, cluster } = context;
    const problems: Problem[] = [];
    if (!cluster) return problems;
    for (const setting of unit.settings) {
      if (envFileVariable(setting.name)?.option !== 'CERTIFICATE') continue;
      const reference = settingReference(setting, path, context);
      if (!reference?.secret) continue;
      const rotating = rotatingCaOf(reference.secret.contents, cluster);
      if (!rotating) continue;
      const secret = `${reference.secret.ref.kind === 'secret' ? 'Secret' : 'ConfigMap'} ${reference.secret.ref.name}`;
      const finding = caRotationFinding({ setting: setting.written, reader: 'sdk', secret, rotating: rotating.spec, selfSignedLeaf: rotating.selfSignedLeaf });
      if (!finding) continue;
      problems.push({
        code: finding.code,
        offset: setting.valueOffset,
        length: setting.valueLength,
        message: finding.message,
        related: certificateRelated(context, rotating.certificate, `${rotating.spec.label}: the CA that ${secret}'s ${reference.secret.ref.key} holds, renewed by cert-manager`),
      });
    }
    return problems;
  },
};

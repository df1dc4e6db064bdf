/**
 * cert-manager Certificates of a manifest that cert-manager's admission webhook rejects
 * (`certificate-spec-rejected`): `kubectl apply` fails, no certificate is ever issued, and every pod that
 * mounts its Secret misses the files. The rules and the webhook's messages are model/certManager.ts
 * (`webhookRejections`, cert-manager v1.21.1 validation/certificate.go; docs/facts/cert-manager.md §3).
 * The problem sits on the field the webhook names, with a fix where one is obvious (remove a renewBefore
 * that is not shorter than the duration, `90d` → `2160h`, the nearest usage name, an allowed key size).
 */
import type { Check, ManifestCheckContext } from './check';
import type { DiagnosticData, KeyPath, Problem } from '../languageTypes';
import { EXT_KEY_USAGE_OIDS, KEY_USAGE_NAMES, webhookRejections, type CertificateSpec, type SpecRejection } from '../model/certManager';
import { clusterResource } from '../model/cluster';
import { problemAt } from '../problems';
import { resolve, scalarText } from '../yaml/yamlNodes';
import { isSeq } from 'yaml';

export const certificateSpec: Check<ManifestCheckContext> = {
  name: 'certificateSpec',
  kind: 'manifest',
  run(context) {
    const problems: Problem[] = [];
    context.objects.forEach((object, index) => {
      const resource = object.resource ?? clusterResource(object);
      if (resource?.kind !== 'certificate') return;
      const spec = resource.spec;
      for (const rejection of webhookRejections(spec)) {
        const where = spec.secretName ? `, so Secret ${spec.secretName.value} is never written and the pods that mount it get none of its files` : '';
        const data = fixData(spec, rejection, (path) => context.at(index, [...object.path, ...path]));
        const problem = problemAt(rejection.node, 'certificate-spec-rejected', `cert-manager rejects this Certificate's ${rejection.field}: fix it, or no Secret is written. ${spec.label}: ${rejection.field}: ${rejection.message}. cert-manager's admission webhook rejects the Certificate${where}.`, data ? { data } : {});
        if (problem) problems.push(problem);
      }
    });
    return problems;
  },
};

/** The obvious fix of a rejection, as typed data; undefined where the choice is the user's. */
function fixData(spec: CertificateSpec, rejection: SpecRejection, at: (path: KeyPath) => DiagnosticData['at']): DiagnosticData | undefined {
  const written = scalarText(rejection.node);
  const days = written !== undefined ? /^(\d+)d$/.exec(written.trim()) : null;
  switch (rejection.field) {
    case 'spec.renewBefore':
      // Not shorter than duration, under 5 minutes, or beside renewBeforePercentage: without it cert-manager renews at two thirds of the lifetime.
      if (days) return { kind: 'values', values: [`${Number(days[1]) * 24}h`], at: at(['spec', 'renewBefore']) };
      return spec.renewBeforeNode ? { kind: 'remove-key', at: at(['spec', 'renewBefore']) } : undefined;
    case 'spec.duration':
      if (days) return { kind: 'values', values: [`${Number(days[1]) * 24}h`], at: at(['spec', 'duration']) };
      return spec.durationMs !== undefined ? { kind: 'values', values: ['1h'], at: at(['spec', 'duration']) } : undefined;
    case 'spec.privateKey.size':
      return { kind: 'values', values: spec.privateKey.algorithm === 'ECDSA' ? ['256', '384', '521'] : ['2048', '4096'], at: at(['spec', 'privateKey', 'size']) };
    case 'spec.privateKey.algorithm':
      return { kind: 'values', values: ['RSA', 'ECDSA', 'Ed25519'], at: at(['spec', 'privateKey', 'algorithm']) };
    case 'spec.issuerRef.kind':
      return { kind: 'values', values: ['Issuer', 'ClusterIssuer'], at: at(['spec', 'issuerRef', 'kind']) };
    case 'spec.usages': {
      const list = spec.usagesNode;
      const index = isSeq(list) ? list.items.findIndex((item) => resolve(item, spec.doc) === rejection.node) : -1;
      const near = written !== undefined ? nearestUsages(written) : [];
      return index >= 0 && near.length ? { kind: 'values', values: near, at: at(['spec', 'usages', index]) } : undefined;
    }
    default:
      return undefined;
  }
}

/** The usage names cert-manager knows that `written` is likely meant as (`serverAuth` → `server auth`). */
function nearestUsages(written: string): string[] {
  const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  const names = [...Object.keys(KEY_USAGE_NAMES), ...Object.keys(EXT_KEY_USAGE_OIDS)];
  return names.filter((name) => squash(name) === squash(written) || squash(name) === squash(written).replace(/authentication$/, 'auth'));
}

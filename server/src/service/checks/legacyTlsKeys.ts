/**
 * `unknown-key` for TLS settings written directly under an exporter, the syntax of Collectors up to
 * v0.35 that vendor examples still publish (tls-roles.md, "Old syntax still published"). Today the
 * Collector rejects them ("has invalid keys: insecure"); the quick fix moves them under `tls:`.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { OTLP_GRPC_EXPORTERS, OTLP_HTTP_EXPORTERS } from '../model/componentRoles';
import { mapEntries } from '../yaml/yamlNodes';
import { schemaKeys } from '../schemas';
import { defined, problemAt } from '../problems';

/** Exporters that took flat TLS keys before v0.36 (splunk_hec examples still show insecure_skip_verify). */
const LEGACY_FLAT = (type: string) => OTLP_GRPC_EXPORTERS.has(type) || OTLP_HTTP_EXPORTERS.has(type) || type === 'splunk_hec';

export const legacyTlsKeys: Check<CollectorCheckContext> = {
  name: 'legacyTlsKeys',
  kind: 'collector',
  perComponent: true,
  run({ model, at }) {
    const tlsKeys = new Set(schemaKeys('tlsClient'));
    const problems: (Problem | undefined)[] = [];
    for (const exporter of model.components) {
      if (exporter.section !== 'exporters' || !LEGACY_FLAT(exporter.type)) continue;
      for (const entry of mapEntries(exporter.node, model.doc)) {
        if (entry.merged || !tlsKeys.has(entry.key)) continue;
        problems.push(
          problemAt(
            entry.keyNode,
            'unknown-key',
            `"${entry.key}" belongs under tls: since Collector v0.36: move it there. It sits directly under ${exporter.id}, and current Collectors fail with "has invalid keys: ${entry.key}".`,
            { data: { kind: 'move-under-tls', at: at([...exporter.keyPath, entry.key]) } },
          ),
        );
      }
    }
    return defined(problems);
  },
};

/** `weak-tls-version`: a min_version or max_version below TLS 1.2 in a collector tls block. */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { entryPath } from '../model/collector';
import { readSetting } from '../model/tlsValues';
import { defined, problemAt } from '../problems';

const WEAK = new Set(['1.0', '1.1']);

export const weakTlsVersion: Check<CollectorCheckContext> = {
  name: 'weakTlsVersion',
  kind: 'collector',
  perComponent: true,
  run({ model, runtime, at }) {
    const problems: (Problem | undefined)[] = [];
    for (const block of model.tlsBlocks) {
      if (block.role === 'telemetry') continue;
      for (const key of ['min_version', 'max_version']) {
        const value = readSetting(block, key, runtime.getEnv);
        if (!value || value.unknown || typeof value.known !== 'string' || !WEAK.has(value.known)) continue;
        problems.push(
          problemAt(
            value.entry.value,
            'weak-tls-version',
            `${key} "${value.known}" allows the deprecated TLS ${value.known}: use "1.2" or "1.3". TLS ${value.known} is deprecated (RFC 8996) and refused by current SDKs and browsers.`,
            { data: { kind: 'values', values: ['1.2', '1.3'], at: at(entryPath(block, key)) } },
          ),
        );
      }
    }
    return defined(problems);
  },
};

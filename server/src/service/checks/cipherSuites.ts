/**
 * `invalid-value` on cipher suites the schema cannot judge alone: insecure suites without
 * `include_insecure_cipher_suites: true`, and comma-separated strings with spaces
 * (the Collector splits on "," without trimming).
 */
import { isScalar, isSeq } from 'yaml';
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { blockEntry, entryPath } from '../model/collector';
import { isTrue, readSetting } from '../model/tlsValues';
import { holdsSubstitution } from '../yaml/substitution';
import { defined, problemAt } from '../problems';

/** Go's tls.InsecureCipherSuites() (collector-tls.md 1.5). */
const INSECURE_CIPHER_SUITES: ReadonlySet<string> = new Set([
  'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
]);

export const cipherSuites: Check<CollectorCheckContext> = {
  name: 'cipherSuites',
  kind: 'collector',
  perComponent: true,
  run({ model, runtime, at }) {
    const problems: (Problem | undefined)[] = [];
    for (const block of model.tlsBlocks) {
      const entry = blockEntry(block, 'cipher_suites');
      if (!entry) continue;
      const allowInsecure = isTrue(readSetting(block, 'include_insecure_cipher_suites', runtime.getEnv));
      if (isScalar(entry.value) && typeof entry.value.value === 'string' && !holdsSubstitution(entry.value.value)) {
        const parts = entry.value.value.split(',');
        if (parts.length > 1 && parts.some((p) => p !== p.trim())) {
          problems.push(
            problemAt(entry.value, 'invalid-value', `The Collector splits cipher_suites on "," without trimming, so ${parts.filter((p) => p !== p.trim()).map((p) => JSON.stringify(p)).join(', ')} is not a cipher suite name: remove the spaces or use a YAML list.`, {
              data: { kind: 'split-list', items: parts.map((p) => p.trim()).filter(Boolean), at: at(entryPath(block, 'cipher_suites')) },
            }),
          );
        }
        continue;
      }
      if (!isSeq(entry.value) || allowInsecure) continue;
      for (const item of entry.value.items) {
        if (isScalar(item) && typeof item.value === 'string' && INSECURE_CIPHER_SUITES.has(item.value)) {
          problems.push(
            problemAt(item, 'invalid-value', `invalid TLS cipher suite: "${item.value}": it is one of Go's insecure suites, accepted only with include_insecure_cipher_suites: true. Prefer an ECDHE suite with AES-GCM or ChaCha20.`),
          );
        }
      }
    }
    return defined(problems);
  },
};

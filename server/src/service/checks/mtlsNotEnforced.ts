/** `mtls-not-enforced`: a TLS server that accepts clients without a certificate. */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { tlsPresent } from '../model/collector';
import { isSet, readSetting } from '../model/tlsValues';
import { defined, problemAt } from '../problems';

export const mtlsNotEnforced: Check<CollectorCheckContext> = {
  name: 'mtlsNotEnforced',
  kind: 'collector',
  perComponent: true,
  run({ model, runtime, at }) {
    const problems: (Problem | undefined)[] = [];
    for (const block of model.tlsBlocks) {
      if (block.role !== 'server' || !tlsPresent(block)) continue;
      const get = (key: string) => readSetting(block, key, runtime.getEnv);
      if (isSet(get('client_ca_file'))) continue;
      if (!isSet(get('cert_file')) && !isSet(get('cert_pem'))) continue; // tls-conflict already says it
      const caOnly = isSet(get('ca_file')) || isSet(get('ca_pem'));
      problems.push(
        problemAt(
          block.keyNode,
          'mtls-not-enforced',
          `${block.component.id} accepts clients without a certificate: set client_ca_file to enforce mTLS. It serves TLS but any client may send.` +
            (caOnly ? ' (On a server, ca_file does not verify clients; only client_ca_file does.)' : ''),
          { data: { kind: 'require-client-cert', at: at(block.keyPath) } },
        ),
      );
    }
    return defined(problems);
  },
};

/** `insecure-skip-verify`: the client accepts any server certificate. */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { entryPath } from '../model/collector';
import { isTrue, readSetting } from '../model/tlsValues';
import { defined, problemAt } from '../problems';

export const insecureSkipVerify: Check<CollectorCheckContext> = {
  name: 'insecureSkipVerify',
  kind: 'collector',
  perComponent: true,
  run({ model, runtime, at }) {
    const problems: (Problem | undefined)[] = [];
    for (const block of model.tlsBlocks) {
      const value = readSetting(block, 'insecure_skip_verify', runtime.getEnv);
      if (!isTrue(value)) continue;
      problems.push(
        problemAt(
          value!.entry.keyNode,
          'insecure-skip-verify',
          `${block.component.id} accepts any server certificate: trust the server's CA with ca_file instead. With insecure_skip_verify: true, anyone on the path can read and alter the telemetry.`,
          { data: { kind: 'remove-key', at: at(entryPath(block, 'insecure_skip_verify')) } },
        ),
      );
    }
    return defined(problems);
  },
};

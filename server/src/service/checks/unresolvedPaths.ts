/**
 * `unresolved-substitution`: a certificate path holding `${env:VAR}` that cannot be resolved here
 * (no default, variable not set), so the certificate checks skip that file. Every key that names a
 * file in some block is looked at in every block, whatever its role.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { readSetting } from '../model/tlsValues';
import { COLLECTOR_PATH_KEYS } from '../certificates/certificatePaths';
import { defined, problemAt } from '../problems';
import { MAX_REFERENCES } from '../yaml/substitution';

export const unresolvedPaths: Check<CollectorCheckContext> = {
  name: 'unresolvedPaths',
  kind: 'collector',
  perComponent: true,
  run({ model, runtime }) {
    const problems: (Problem | undefined)[] = [];
    for (const block of model.tlsBlocks) {
      for (const key of COLLECTOR_PATH_KEYS) {
        const value = readSetting(block, key, runtime.getEnv);
        if (!value?.unknown || !value.expansion) continue;
        if (value.expansion.kind === 'substituted' && value.expansion.tooMany) {
          problems.push(problemAt(value.entry.value, 'limit-exceeded', `${key}: more than ${MAX_REFERENCES} \${...} references, so it is not expanded and the file is not checked; use fewer.`));
          continue;
        }
        const names = value.expansion.kind === 'substituted' ? value.expansion.unresolved.map((r) => r.text).join(', ') : 'a template expression';
        problems.push(
          problemAt(value.entry.value, 'unresolved-substitution', `${key} depends on ${names}, which is not known here, so this file is not checked. Set the variable in the environment of the checker or give a default (\${env:VAR:-path}).`),
        );
      }
    }
    return defined(problems);
  },
};

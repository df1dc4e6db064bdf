/**
 * `limit-exceeded`: where a bound on the work for one document cut it short, so that part was not checked:
 * collections nested too deep or too many YAML nodes (../yaml/yamlCompose.ts), merge keys nested too deep
 * or bringing in too many entries, a value that expands too far through its aliases, a search for tls:
 * blocks that reached too many nodes (../yaml/yamlNodes.ts, ../model/collector.ts). One problem for each
 * place a bound was hit, with what was left out.
 *
 * The bounds are noted while the document is parsed, its model built and the checks before this one run,
 * so this check comes last (../languageService.ts).
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { documentLimits } from '../yaml/yamlNodes';

export const workLimits: Check<CollectorCheckContext> = {
  name: 'workLimits',
  kind: 'collector',
  run({ model }) {
    return documentLimits(model.doc).map((limit): Problem => ({ code: 'limit-exceeded', offset: limit.offset, length: limit.length, message: limit.message }));
  },
};

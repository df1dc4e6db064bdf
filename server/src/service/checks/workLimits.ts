/**
 * `limit-exceeded`: where a bound on the work for one document cut it short, so that part was not checked:
 * merge keys nested too deep
 * or bringing in too many entries, a value that expands too far through its aliases, a search for tls:
 * blocks that reached too many nodes (../yaml/yamlNodes.ts, ../model/collector.ts). One problem for each
 * place a bound was hit, with what was left out. The parse's cuts (nesting, nodes, documents:
 * ../yaml/yamlCompose.ts) come with the syntax errors, from every YAML source (../problems.ts).
 *
 * The bounds are noted while the document is parsed, its model built and the checks before this one run,
 * so this check comes last (../languageService.ts); on each component of a cut config (`perComponent`),
 * whose bounds are noted on the component's own piece.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { PARSE_LIMITS, documentLimits } from '../yaml/yamlNodes';

export const workLimits: Check<CollectorCheckContext> = {
  name: 'workLimits',
  kind: 'collector',
  // On a cut config, each component's bounds are noted on its own piece's document (its model, built from
  // it, and the checks of that component before this one): run on each, as those checks are, it reports
  // them, and the whole config is never assembled to read none.
  perComponent: true,
  run({ model }) {
    // The parse's own cuts are reported with the syntax errors (../problems.ts yamlErrorProblems).
    return documentLimits(model.doc)
      .filter((limit) => !PARSE_LIMITS.has(limit.kind))
      .map((limit): Problem => ({ code: 'limit-exceeded', offset: limit.offset, length: limit.length, message: limit.message }));
  },
};

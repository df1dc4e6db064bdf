/**
 * Incremental validation equals a from-scratch one (test/support/incrementalEdits.ts): edits aimed at
 * each way the cut is redone, and a short run of random edits; test/integration/incrementalRandomEdits.test.ts
 * runs a long one. OTLP_TLS_RANDOM_EDITS and OTLP_TLS_RANDOM_SEED override the count and the seed in both.
 */
import { describe, it } from 'node:test';
import { randomEditsFromEnv } from '../support/chunkedParse';
import { incrementalEdits, targetedEdits, TARGETED_EDITS } from '../support/incrementalEdits';

describe('incremental validation equals a fresh one', () => {
  it(`after ${TARGETED_EDITS.length} edits aimed at each way the cut is redone`, () => targetedEdits());
  const { count, seed } = randomEditsFromEnv(15);
  it(`after ${count} random edits of a workspace (configs, env file, manifest, certificates on disk)`, () => incrementalEdits(count, seed));
});

/**
 * Incremental validation of multi-document manifests equals a fresh one (test/support/manifestIncremental.ts):
 * edits aimed at what one document's units read of the others (a Secret's keys, a Service's name and port, a
 * pod's mounts and ports), whole documents inserted, deleted and moved, edits that move the documents below
 * them, then random edits; test/integration/manifestIncrementalRandomEdits.test.ts runs a long series.
 * OTLP_TLS_RANDOM_EDITS and OTLP_TLS_RANDOM_SEED override the count and the seed.
 */
import { describe, it } from 'node:test';
import { randomEditsFromEnv } from '../support/chunkedParse';
import { MANIFEST_EDITS, manifestEdits } from '../support/manifestIncremental';

describe('incremental validation of multi-document manifests equals a fresh one', () => {
  const { count, seed } = randomEditsFromEnv(3);
  it(`after ${MANIFEST_EDITS.length} edits aimed at what documents read of each other, then ${count} random edits`, () => manifestEdits(count, seed));
});

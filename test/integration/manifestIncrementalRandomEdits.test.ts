/** The multi-document manifest agreement of test/unit/manifestIncremental.test.ts over more random edits (OTLP_TLS_RANDOM_EDITS and OTLP_TLS_RANDOM_SEED override). */
import { it } from 'node:test';
import { MANIFEST_EDITS, manifestEdits } from '../support/manifestIncremental';

const count = Number(process.env.OTLP_TLS_RANDOM_EDITS ?? 150);
const seed = Number(process.env.OTLP_TLS_RANDOM_SEED ?? 23);
it(`incremental validation of two manifests equals a fresh one after ${MANIFEST_EDITS.length} targeted and ${count} random edits (seed ${seed})`, () => manifestEdits(count, seed));

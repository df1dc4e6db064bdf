/**
 * The long run of test/unit/yamlChunks.test.ts: 300 random edits of the bench config (about 50 s of
 * CPU, so not in the unit tier), each re-parsed per component and compared with a whole-file parse.
 * OTLP_TLS_RANDOM_EDITS and OTLP_TLS_RANDOM_SEED override the count and the seed.
 */
import { it } from 'node:test';
import { randomEdits, randomEditsFromEnv } from '../support/chunkedParse';

const { count, seed } = randomEditsFromEnv(300);
it(`chunked re-parse agrees with a whole-file parse after ${count} random edits`, { timeout: 600_000 }, () => randomEdits(count, seed));

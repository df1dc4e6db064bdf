/**
 * The long run of test/unit/incrementalValidation.test.ts: 600 random edits of the workspace, every
 * file's whole diagnostics list from the long-lived language service compared with a fresh one's.
 * OTLP_TLS_RANDOM_EDITS and OTLP_TLS_RANDOM_SEED override the count and the seed.
 */
import { it } from 'node:test';
import { randomEditsFromEnv } from '../support/chunkedParse';
import { incrementalEdits } from '../support/incrementalEdits';

const { count, seed } = randomEditsFromEnv(600);
it(`incremental validation equals a fresh one after ${count} random edits`, { timeout: 900_000 }, () => incrementalEdits(count, seed));

/** The manifest reuse agreement of test/unit/manifestReuse.test.ts over more random edits (OTLP_TLS_RANDOM_EDITS and OTLP_TLS_RANDOM_SEED override). */
import { it } from 'node:test';
import { randomManifestEdits } from '../support/manifestEdits';

const count = Number(process.env.OTLP_TLS_RANDOM_EDITS ?? 60);
it(`manifest re-parse with reuse agrees with a fresh parse after ${count} random edits`, () => randomManifestEdits(count, Number(process.env.OTLP_TLS_RANDOM_SEED ?? 11)));

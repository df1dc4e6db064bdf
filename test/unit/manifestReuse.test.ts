/**
 * (The unit tier runs 4 edits; test/integration/manifestReuseRandomEdits.test.ts runs 60. OTLP_TLS_RANDOM_EDITS
 * and OTLP_TLS_RANDOM_SEED override the count and the seed.)
 * Reusing a multi-document manifest's unchanged documents (yaml/yamlDocuments.ts) and its embedded
 * configs' chunks must see exactly what a fresh parse sees: after every edit of a replayable random
 * series (values, inserted and deleted lines, new document markers, moved lines), the problems (code,
 * offsets, message) of one service that reuses its caches equal those of a new service.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocuments } from '../../server/src/service/yaml/yamlDocuments';
import { randomManifestEdits } from '../support/manifestEdits';

const PATH = '/work/manifest.yaml';

describe('manifest re-parse with reuse agrees with a fresh parse', () => {
  it('reuses the documents an edit did not touch, moved to their new offsets', () => {
    const cache = new Map();
    const text = 'a: 1\n---\nb: 2\n---\nc: 3\n';
    const first = parseDocuments(text, { key: PATH, cache });
    const second = parseDocuments(text.replace('a: 1', 'a: 10'), { key: PATH, cache });
    assert.notEqual(second[0].doc, first[0].doc);
    assert.equal(second[1].doc, first[1].doc);
    assert.equal(second[2].doc, first[2].doc);
    // The edit made the text one character longer: the third document moved by one.
    assert.equal(second[2].doc.range?.[0], text.indexOf('---\nc: 3') + 1);
    assert.equal((second[2].doc.contents as { range: number[] }).range[0], text.indexOf('c: 3') + 1);
  });

  const count = Number(process.env.OTLP_TLS_RANDOM_EDITS ?? 4);
  it(`after ${count} random edits of the bench manifest`, () => randomManifestEdits(count, Number(process.env.OTLP_TLS_RANDOM_SEED ?? 7)));
});


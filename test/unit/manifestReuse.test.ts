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

  it('cuts again only around an edit, and every edit near markers (---, ..., a marker made or unmade) gives the documents of a fresh parse', () => {
    const cache = new Map();
    const show = (_text: string, docs: ReturnType<typeof parseDocuments>) =>
      docs.map(({ doc }) => JSON.stringify({ range: doc.range, contents: doc.contents ? doc.toJS() : null, first: (doc.contents as { range?: number[] } | null)?.range, errors: doc.errors.map((e) => [e.code, e.pos]) }));
    // Edits at a marker's edges first: the line break before one removed, the character after one changed, a `...` changed.
    const start = 'a: 1\n---\nb: 2\n...\nc: 3\n--- # next\nd: [1, 2]\n---\ne: |\n  x\n  y\n---\nf: 6\n';
    const dashes = 'a: 1\n---\nb: 2\n---\nc: 3\n--- # next\nd: [1, 2]\n';
    for (const [from, to] of [['1\n---\nb', '1---\nb'], ['2\n---\nc', '2 ---\nc'], ['3\n--- #', '3\n---#']] as const) {
      parseDocuments(dashes, { key: PATH, cache });
      const edited = dashes.replace(from, to);
      assert.deepEqual(show(edited, parseDocuments(edited, { key: PATH, cache })), show(edited, parseDocuments(edited)), `${JSON.stringify(from)} → ${JSON.stringify(to)}`);
    }
    for (const [from, to] of [['1\n---\nb', '1---\nb'], ['1\n---\nb', '1x---\nb'], ['---\nb', '---xb'], ['\n...\n', '\n..\n'], ['--- # next', '---# next'], ['y\n---', 'y\n\n---']] as const) {
      parseDocuments(start, { key: PATH, cache });
      const edited = start.replace(from, to);
      assert.notEqual(edited, start);
      assert.deepEqual(show(edited, parseDocuments(edited, { key: PATH, cache })), show(edited, parseDocuments(edited)), `${JSON.stringify(from)} → ${JSON.stringify(to)}`);
    }
    let text = start;
    let seed = 5;
    const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const inserts = ['-', '.', '\n', ' ', '#', 'x', '---\n', '\n...', ': ', '%YAML 1.2\n'];
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(next() * (text.length + 1));
      const cut = next() < 0.4 ? Math.floor(next() * 5) : 0;
      text = text.slice(0, at) + (next() < 0.7 ? inserts[Math.floor(next() * inserts.length)] : '') + text.slice(at + cut);
      if (text.length > 400) text = text.slice(0, 200);
      assert.deepEqual(show(text, parseDocuments(text, { key: PATH, cache })), show(text, parseDocuments(text)), `edit ${i}: ${JSON.stringify(text)}`);
    }
  });

  const count = Number(process.env.OTLP_TLS_RANDOM_EDITS ?? 4);
  it(`after ${count} random edits of the bench manifest`, () => randomManifestEdits(count, Number(process.env.OTLP_TLS_RANDOM_SEED ?? 7)));
});


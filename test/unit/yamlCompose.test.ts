/**
 * Bounded YAML parsing (server/src/service/yaml/yamlCompose.ts): within the limits it gives the
 * same Document as the library's parseDocument with uniqueKeys, lone CRs read as line breaks (same errors and warnings at the same
 * places, same nodes and ranges, same values), on the project's documents and 200 seeded fuzz cases;
 * past them it cuts the deep or excess part out, keeps every offset, and says where.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseDocument, visit, type Document } from 'yaml';
import { MAX_NESTING, MAX_NODES, composeYaml, yamlLineBreaks } from '../../server/src/service/yaml/yamlCompose';
import { generateCase, loadCorpus, loadVocabulary, type CertificatePool } from '../fuzz/cases';

const ROOT = join(__dirname, '..', '..', '..');

function shape(doc: Document) {
  const nodes: string[] = [];
  visit(doc, {
    Node(key, node) {
      nodes.push(`${String(key)}:${node.constructor.name}:${JSON.stringify((node as { range?: unknown }).range)}`);
    },
  });
  let value: string;
  try {
    value = JSON.stringify(doc.toJS({ maxAliasCount: 50, mapAsMap: true }), (_, v) => (v instanceof Map ? [...v] : v));
  } catch (error) {
    value = `throws ${(error as Error).message}`;
  }
  // DUPLICATE_KEY is compared by number: ours sits on the duplicated key, the library's after the entry before it.
  const problems = (list: { code: string; pos: [number, number]; message: string }[]) => list.map((e) => (e.code === 'DUPLICATE_KEY' ? `${e.code}:${e.message}` : `${e.code}@${e.pos.join('-')}:${e.message}`)).sort();
  return { errors: problems(doc.errors), warnings: problems(doc.warnings), nodes, value };
}

const POOL: CertificatePool = { ca: 'ca', caKey: 'k', server: 's', serverKey: 'k', client: 'c', clientKey: 'k' };

describe('composeYaml', () => {
  it('gives the same Document as parseDocument within the limits', () => {
    const corpus = loadCorpus(ROOT);
    const vocabulary = loadVocabulary(ROOT);
    const texts = corpus.yaml.map((d) => d.text);
    for (let i = 0; i < 200; i++) {
      const fuzzCase = generateCase(15, i, corpus, vocabulary, POOL);
      for (const file of fuzzCase.files) {
        if (file.kind === 'file' && /\.ya?ml$/.test(file.path) && typeof file.contents === 'string' && file.contents.length < 40_000) texts.push(file.contents);
      }
    }
    let compared = 0;
    let duplicates = 0;
    for (const text of texts) {
      const { doc, limits } = composeYaml(text);
      if (limits.length > 0) continue;
      // A lone CR ends a line, as YAML 1.2 says and the library does not (test/unit/lineEnds.test.ts).
      const expected = parseDocument(yamlLineBreaks(text), { merge: true, prettyErrors: false, uniqueKeys: true });
      assert.deepEqual(shape(doc), shape(expected), JSON.stringify(text.slice(0, 300)));
      compared++;
      // Each DUPLICATE_KEY of ours is at the start of a key written earlier in the same text.
      for (const error of doc.errors.filter((e) => e.code === 'DUPLICATE_KEY')) {
        duplicates++;
        const key = /^[^\s:]*/.exec(text.slice(error.pos[0]))![0];
        assert.ok(text.lastIndexOf(key, error.pos[0] - 1) >= 0, `the duplicate ${JSON.stringify(key)} at ${error.pos[0]} was written before`);
      }
    }
    assert.ok(compared > 150, `${compared} texts compared`);
    assert.ok(duplicates > 10, `${duplicates} duplicate keys compared`);
  });

  it('finds duplicate keys with a Set per mapping (the library compares each key with every earlier one), with its error, on the key', () => {
    const text = `a:\n${Array.from({ length: 30_000 }, (_, i) => `  k${i % 29_999}: v\n`).join('')}`;
    const { doc } = composeYaml(text);
    assert.deepEqual(doc.errors.map((e) => [e.code, e.message]), [['DUPLICATE_KEY', 'Map keys must be unique']]);
    assert.equal(text.slice(doc.errors[0].pos[0], doc.errors[0].pos[0] + 3), 'k0:');
    assert.ok(doc.errors[0].pos[0] > text.length - 20);
  });

  it('cuts flow collections nested past the limit and keeps the rest of the document', () => {
    const depth = 7000;
    const text = `receivers: ${'['.repeat(depth)}${']'.repeat(depth)}\nexporters:\n  otlp:\n    tls:\n      insecure: true\n`;
    const { doc, limits } = composeYaml(text);
    assert.equal(limits.length, 1);
    assert.equal(limits[0].kind, 'nesting');
    // The cut starts at the bracket that opens level MAX_NESTING + 1 and ends after its closing bracket.
    assert.equal(text.slice(0, limits[0].offset), `receivers: ${'['.repeat(MAX_NESTING)}`);
    assert.equal(text.slice(limits[0].end), `${']'.repeat(MAX_NESTING)}\nexporters:\n  otlp:\n    tls:\n      insecure: true\n`);
    assert.deepEqual(doc.toJS().exporters, { otlp: { tls: { insecure: true } } });
    assert.equal(doc.errors.length, 0);
  });

  it('cuts unbalanced nesting to the end of the text', () => {
    const text = `exporters:\n  otlp:\n    tls:\n      insecure: true\nreceivers: ${'{a: '.repeat(5000)}\n`;
    const { doc, limits } = composeYaml(text);
    assert.deepEqual(limits.map((l) => [l.kind, l.end]), [['nesting', text.length]]);
    assert.deepEqual(doc.toJS({ maxAliasCount: -1 })?.exporters, { otlp: { tls: { insecure: true } } });
  });

  it('cuts block nesting past the limit at the next line indented no deeper', () => {
    const lines = ['receivers:', '  otlp:', '    protocols:'];
    for (let i = 0; i < 300; i++) lines.push(`${' '.repeat(6 + i)}k${i}:`);
    lines.push('exporters:', '  otlp:', '    endpoint: x:4317');
    const text = lines.join('\n') + '\n';
    const { doc, limits } = composeYaml(text);
    assert.equal(limits.length, 1);
    assert.ok(text.slice(limits[0].end).startsWith('exporters:'), text.slice(limits[0].end, limits[0].end + 20));
    assert.deepEqual(doc.toJS().exporters, { otlp: { endpoint: 'x:4317' } });
    // Offsets are kept: the node of `exporters` is where the text has it.
    const exporters = (doc.contents as { items: { key: { range: number[] } }[] }).items[1].key.range[0];
    assert.equal(exporters, text.indexOf('exporters:'));
  });

  it('cuts the library\'s recovery from a line indented one less (each later line read one level deeper) to the end, in one pass', () => {
    // Issue 15 (fuzz seed 1, LSP case 1000128): a 1.2 MB paste with such a line; the cut to the next line
    // indented no deeper was crossed again at once, and each cut parsed the text again (three passes, the
    // blanked rest included: about 1 s of CPU at each edit).
    const keys = (from: number, count: number, indent: number) => Array.from({ length: count }, (_, i) => `${' '.repeat(indent)}k${from + i}: v\n`).join('');
    const text = `exporters:\n  otlp:\n${keys(0, 1000, 4)}   k1000: v\n${keys(1001, 5000, 4)}`;
    const { doc, limits, lexed } = composeYaml(text);
    assert.equal(limits.length, 1);
    assert.equal(limits[0].kind, 'nesting');
    assert.equal(limits[0].end, text.length);
    // The cut is where the library's nesting passes the limit, MAX_NESTING lines after the bad one or so.
    const line = text.slice(0, limits[0].offset).split('\n').length;
    assert.ok(line > 1000 + MAX_NESTING - 10 && line < 1000 + MAX_NESTING + 10, `cut at line ${line}`);
    assert.ok(lexed <= limits[0].offset + 20, `${lexed} characters read for a cut at ${limits[0].offset}`);
    assert.equal((doc.toJS({ maxAliasCount: -1 }) as { exporters: { otlp: Record<string, unknown> } }).exporters.otlp.k999, 'v');
  });

  it('parses no second time for a cut that takes the rest of the text', () => {
    const filler = Array.from({ length: 2000 }, (_, i) => `k${i}: v\n`).join('');
    const text = `a: ${'['.repeat(300)}${']'.repeat(300)}\n${filler}b: ${'{a: '.repeat(300)}\n${filler}`;
    const { doc, limits, lexed } = composeYaml(text);
    assert.deepEqual(limits.map((l) => [l.kind, text.slice(0, l.offset).split('\n').length, l.end]), [['nesting', 1, limits[0].end], ['nesting', 2002, text.length]]);
    // The text read to the first cut, then (its deep part blanked) to the second: not a third time.
    assert.ok(lexed <= limits[0].offset + limits[1].offset + 10, `${lexed} characters read for cuts at ${limits[0].offset} and ${limits[1].offset}`);
    assert.equal((doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>).k1999, 'v');
  });

  it('cuts compact sequences nested on one line', () => {
    const text = `a:\n  ${'- '.repeat(2000)}x\nb: 1\n`;
    const { doc, limits } = composeYaml(text);
    assert.equal(limits.length, 1);
    assert.equal(doc.toJS().b, 1);
  });

  it('stops at the node limit and keeps what comes before', () => {
    const text = `exporters:\n  otlp:\n    tls:\n      insecure: true\nx: [${'1,'.repeat(2000)}1]\n`;
    const { doc, limits } = composeYaml(text, { limits: { maxNesting: MAX_NESTING, maxNodes: 1000 } });
    assert.ok(MAX_NODES >= 100_000);
    assert.deepEqual(limits.map((l) => [l.kind, l.end]), [['nodes', text.length]]);
    assert.deepEqual(doc.toJS({ maxAliasCount: -1 })?.exporters, { otlp: { tls: { insecure: true } } });
  });

  it('composes chunks at their offset in the file', () => {
    const chunk = 'otlp:\n  tls:\n    insecure: true\n';
    const { doc } = composeYaml(chunk, { offset: 100 });
    assert.deepEqual(doc.range, [100, 100 + chunk.length, 100 + chunk.length]);
    const otlp = (doc.contents as { items: { key: { range: number[] } }[] }).items[0].key.range;
    assert.equal(otlp[0], 100);
  });

  it('gives one document and an error for the others, without composing thousands', () => {
    const text = 'a: 1\n' + '---\nb: 2\n'.repeat(20_000);
    const { doc } = composeYaml(text);
    assert.deepEqual(doc.errors.map((e) => e.code), ['MULTIPLE_DOCS']);
    assert.deepEqual(doc.toJS(), { a: 1 });
  });
});

/**
 * Re-parsing per component (yamlChunks.ts) must see exactly what a whole-file parse sees:
 * same problems (code, offsets, message) on every config, and after every kind of edit. The unit tier
 * runs 10 random edits; test/integration/yamlChunksRandomEdits.test.ts runs 300
 * (OTLP_TLS_RANDOM_EDITS and OTLP_TLS_RANDOM_SEED override the count and the seed in both).
 */
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chunkedService, randomEdits, randomEditsFromEnv, same } from '../support/chunkedParse';
import { generateCollectorConfig } from '../bench/serverBench';
import { countNodeEstimate, parseChunked, type YamlChunkCache } from '../../server/src/service/yaml/yamlChunks';
import { MAX_NODES } from '../../server/src/service/yaml/yamlCompose';

const ROOT = join(__dirname, '..', '..', '..');

describe('chunked re-parse agrees with a whole-file parse', () => {
  it('on the shipped examples and the bench config', () => {
    const service = chunkedService();
    for (const file of ['examples/gateway/collector.yaml', 'examples/agent/collector.yaml']) same(service, readFileSync(join(ROOT, file), 'utf8'), file);
    same(service, generateCollectorConfig().text, 'bench config');
  });

  it('on layouts it must not cut (anchors, documents, flow, odd indentation) and on broken YAML', () => {
    const service = chunkedService();
    const texts = [
      'x: &t {insecure: true}\nexporters:\n  otlp:\n    tls: *t\n',
      '---\nexporters:\n  otlp:\n    tls: {insecure: maybe}\n---\nreceivers: {}\n',
      '{exporters: {otlp: {tls: {insecure: "yes"}}}}\n',
      'exporters:\n  otlp:\n    tls:\n      insecure: true\n otlp/2:\n    tls:\n      bogus: 1\n',
      'exporters:\n  otlp:\n    tls: [\n  otlp/2: x\n',
      'exporters:\n  otlp:\n    endpoint: a\n  otlp:\n    endpoint: b\n',
      'receivers:\n  - otlp\nexporters:\n  otlp:\n    tls:\n      bogus: 1\n',
      'exporters:\n  otlp:\n    tls:\n      min_version: 1.2\n  "otlp/q":\n    tls:\n      insecure: "true"\n',
      'exporters: # all of them\n  # first\n  otlp:\n    tls:\n      bogus: 1\n# between\n  otlphttp:\n    endpoint: http://x:4318\n    tls:\n      ca_file: c\nservice:\n  pipelines: {}\n',
    ];
    texts.forEach((text, i) => same(service, text, `text ${i}`));
  });

  it('brings its node estimate (the node limit look) from the edited lines, equal to counting the text again', () => {
    // Long enough to be counted (200,000 characters); edits that add, remove and change such lines, and a line break.
    const cache: YamlChunkCache = new Map();
    let text = generateCollectorConfig(2).text;
    assert.ok(text.length > 200_000);
    const edits: [RegExp | string, string][] = [
      ['min_version: "1.2"', 'min_version: "1.7"'],
      ['insecure: true', 'insecure:'],
      ['    tls:\n', '    tls:\n      - a\n      - b\n'],
      ['      - a\n', ''],
      ['endpoint: ', 'endpoint:\n        '],
      [/\n(?=exporters:)/, '\n# - x: y\n'],
      ['min_version: "1.7"', 'min_version: "1.7"\n      cipher_suites: [A, B, C]'],
      ['[A, B, C]', '[A]'],
    ];
    for (const [from, to] of edits) {
      const next = text.replace(from, to);
      assert.notEqual(next, text, String(from));
      text = next;
      parseChunked(text, { key: '/work/count.yaml', cache });
      assert.equal(cache.get('/work/count.yaml')?.nodeEstimate, countNodeEstimate(text, 0, text.length), String(from));
    }
  });

  it('parses a text past the node limit once, whole, also when one line of flow items takes it there', () => {
    // CLI fuzz case 8709 of seed 1: a 369,530-character line of flow items went past the limit in its chunk,
    // which was parsed, and then the whole file (1.7 s of CPU). Parsed whole at once, no chunk is kept.
    const items = Array.from({ length: MAX_NODES }, () => '1').join(',');
    for (const text of [`exporters:\n  otlp:\n    endpoint: collector:4317\n    headers: [${items}]\n`, `receivers:\n${Array.from({ length: MAX_NODES / 2 + 10 }, (_, i) => `  k${i}: v\n`).join('')}`]) {
      const cache: YamlChunkCache = new Map();
      const parse = parseChunked(text, { key: 'file', cache });
      assert.equal(parse.chunks, undefined);
      assert.equal(cache.get('file')?.chunks, undefined, 'no chunk parsed');
      assert.ok(parse.document().contents, 'a document');
    }
  });

  const { count, seed } = randomEditsFromEnv(10);
  it(`after ${count} random edits of the bench config (values, inserted and deleted lines, moved components)`, () => randomEdits(count, seed));
});

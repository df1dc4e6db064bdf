/**
 * Re-parsing per component (yamlChunks.ts) must see exactly what a whole-file parse sees:
 * same problems (code, offsets, message) on every config, and after every kind of edit. The unit tier
 * runs 30 random edits; test/integration/yamlChunksRandomEdits.test.ts runs 300
 * (OTLP_TLS_RANDOM_EDITS and OTLP_TLS_RANDOM_SEED override the count and the seed in both).
 */
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunkedService, randomEdits, randomEditsFromEnv, same } from '../support/chunkedParse';
import { generateCollectorConfig } from '../bench/serverBench';

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

  const { count, seed } = randomEditsFromEnv(30);
  it(`after ${count} random edits of the bench config (values, inserted and deleted lines, moved components)`, () => randomEdits(count, seed));
});

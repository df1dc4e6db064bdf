/**
 * Re-parsing per component (yamlChunks.ts) must see exactly what a whole-file parse sees:
 * same problems (code, offsets, message) on every config, and after every kind of edit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCollectorConfig } from '../../server/src/service/model/collector';
import { getLanguageService } from '../../server/src/service/languageService';
import { defaultSettings } from '../../server/src/service/settings';
import { clearYamlChunks } from '../../server/src/service/yaml/yamlChunks';
import { memoryRuntime } from '../support/memoryRuntime';
import { generateCollectorConfig } from '../bench/serverBench';

const ROOT = join(__dirname, '..', '..', '..');
const service = getLanguageService({ runtime: memoryRuntime(), settings: defaultSettings });
const path = '/work/chunked.yaml';

/** Problems from the chunked parse (path given) and from a whole-file parse of the same text. */
function both(text: string) {
  const show = (ps: ReturnType<typeof service.validate>) => ps.map((p) => `${p.code}@${p.offset}+${p.length} ${p.message}`);
  const chunked = show(service.validate({ path, text }));
  const model = parseCollectorConfig(text);
  const whole = show(service.validate({ path, text }, model.isCollector ? { kind: 'collector', model } : { kind: 'other' }));
  return { chunked, whole };
}

function same(text: string, label: string) {
  const { chunked, whole } = both(text);
  assert.deepEqual(chunked, whole, label);
}

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('chunked re-parse agrees with a whole-file parse', () => {
  it('on the shipped examples and the bench config', () => {
    clearYamlChunks();
    for (const file of ['examples/gateway/collector.yaml', 'examples/agent/collector.yaml']) same(readFileSync(join(ROOT, file), 'utf8'), file);
    same(generateCollectorConfig().text, 'bench config');
  });

  it('on layouts it must not cut (anchors, documents, flow, odd indentation) and on broken YAML', () => {
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
    texts.forEach((text, i) => same(text, `text ${i}`));
  });

  it('after 300 random edits of the bench config (values, inserted and deleted lines, moved components)', () => {
    clearYamlChunks();
    const next = random(Number(process.env.CHUNK_SEED ?? 42));
    let text = generateCollectorConfig().text;
    same(text, 'start');
    for (let i = 0; i < Number(process.env.CHUNK_EDITS ?? 300); i++) {
      const lines = text.split('\n');
      const at = Math.floor(next() * lines.length);
      const kind = Math.floor(next() * 6);
      if (kind === 0) lines[at] = lines[at].replace(/"1\.2"|"1\.3"/, (v) => (v === '"1.2"' ? '"1.7"' : '"1.2"'));
      else if (kind === 1) lines[at] = lines[at] + 'x';
      else if (kind === 2) lines.splice(at, 1);
      else if (kind === 3) lines.splice(at, 0, lines[Math.floor(next() * lines.length)]);
      else if (kind === 4) lines[at] = lines[at].replace(/^(\s*)(\S)/, '$1 $2');
      else lines.splice(at, 0, '    # a comment');
      text = lines.join('\n');
      same(text, `edit ${i} (kind ${kind} at line ${at})`);
    }
  });
});

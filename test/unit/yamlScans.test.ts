/**
 * One lexing per text in a read (server/src/service/yaml/yamlCompose.ts YamlScans): a file that one source
 * parses and turns down is read again by the next source from the same CST, each with its own Document
 * (issue 15's fuzz run: the slowest CLI cases were collector configs with a `services:` line, parsed
 * whole as a Compose file and then again as a collector config).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { visit, type Document } from 'yaml';
import { YamlScans, composeYaml } from '../../server/src/service/yaml/yamlCompose';
import { readSource, type BaseSourceContext } from '../../server/src/service/sources/detect';
import { createCaches } from '../../server/src/service/caches';

const keys = (count: number, indent: string) => Array.from({ length: count }, (_, i) => `${indent}k${i}: v\n`).join('');

/** Each node's place, type and range. */
function shape(doc: Document): string[] {
  const nodes: string[] = [];
  visit(doc, { Node: (key, node) => void nodes.push(`${String(key)}:${node.constructor.name}:${JSON.stringify((node as { range?: unknown }).range)}`) });
  return nodes;
}

function context(oneMoment: boolean): BaseSourceContext {
  return { caches: createCaches(undefined, oneMoment), readText: () => undefined, exists: () => false, candidatePaths: (written) => [written], getEnv: () => undefined };
}

describe('YamlScans', () => {
  it('lexes a text once for two parses with different options, each its own Document, the same as without it', () => {
    const text = `x-a: &a {k: 1}\nb:\n  <<: *a\n  c: [1, 2, {d: e}]\n  c: dup\n${keys(200, '')}`;
    const scans = new YamlScans();
    const plain = composeYaml(text, { yaml: { prettyErrors: false }, duplicateKeys: false, scans });
    const merged = composeYaml(text, { scans });
    assert.equal(scans.lexed, text.length);
    assert.equal(scans.reused, 1);
    assert.equal(plain.lexed, text.length);
    assert.equal(merged.lexed, 0);
    assert.notEqual(plain.doc, merged.doc);
    const alone = [composeYaml(text, { yaml: { prettyErrors: false }, duplicateKeys: false }), composeYaml(text)];
    for (const [i, got] of [plain, merged].entries()) {
      assert.deepEqual(got.doc.toJS({ maxAliasCount: -1 }), alone[i].doc.toJS({ maxAliasCount: -1 }));
      assert.deepEqual(got.doc.errors.map((e) => [e.code, e.pos]), alone[i].doc.errors.map((e) => [e.code, e.pos]));
      assert.deepEqual(shape(got.doc), shape(alone[i].doc));
    }
    // The merge key is merged only where the options say so; the duplicate key is an error only there.
    assert.deepEqual(merged.doc.toJS().b.k, 1);
    assert.equal(plain.doc.toJS().b.k, undefined);
    assert.deepEqual(merged.doc.errors.map((e) => e.code), ['DUPLICATE_KEY']);
    assert.deepEqual(plain.doc.errors, []);
  });

  it('lexes another text, offset or limit again', () => {
    const scans = new YamlScans();
    composeYaml('a: 1\n', { scans });
    composeYaml('a: 2\n', { scans });
    composeYaml('a: 2\n', { scans, offset: 10 });
    composeYaml('a: 2\n', { scans, offset: 10, limits: { maxNesting: 4, maxNodes: 10 } });
    assert.equal(scans.lexed, 4 * 5);
    assert.equal(scans.reused, 0);
  });

  it('keeps the cuts of a text past the limits for its second parse', () => {
    const text = `a: ${'['.repeat(300)}${']'.repeat(300)}\nexporters:\n  otlp: {}\n`;
    const scans = new YamlScans();
    const first = composeYaml(text, { yaml: { prettyErrors: false }, scans });
    const second = composeYaml(text, { scans });
    assert.deepEqual(second.limits, first.limits);
    assert.equal(second.limits.length, 1);
    assert.deepEqual(second.doc.toJS().exporters, { otlp: {} });
  });

  it("reads a collector config with a Compose file's `services:` line from one lexing (the CLI's caches)", () => {
    const text = `services:\n  app:\n    image: x\nexporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n      insecure: true\n${keys(300, '      ')}`;
    const yamlScans = new YamlScans();
    const parsed = readSource('collector.yaml', text, context(true), { yamlScans });
    assert.equal(parsed.source, 'collectorYaml');
    assert.equal(parsed.collectors.length, 1);
    // The Compose source parsed it and turned it down; the collector source composed it from the same CST.
    assert.equal(yamlScans.lexed, text.length);
    assert.equal(yamlScans.reused, 1);
  });
});

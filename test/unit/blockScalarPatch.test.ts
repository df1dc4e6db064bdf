/**
 * An edit inside one content line of a literal block scalar (a ConfigMap's collector config) takes the last parse's
 * document in place (yaml/yamlDocuments.ts patchBlockScalar) instead of parsing the document again. After random
 * edits, inside block scalars and anywhere else, every document (its nodes' kinds, values and ranges, errors and
 * warnings) equals that of a fresh parse, and a long-lived language service's problems equal a new service's. Both
 * tests also count the edits that were patched, so they cannot pass by parsing everything again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { getLanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import { hasUnits, type ParsedFile } from '../../server/src/service/model/units';
import { emptyWorkspace, type WorkspaceIndex } from '../../server/src/service/model/workspace';
import { defaultSettings } from '../../server/src/service/settings';
import { parseDocuments, type YamlDocumentCache } from '../../server/src/service/yaml/yamlDocuments';
import { memoryRuntime } from '../support/memoryRuntime';

const PATH = '/w/k8s/gateway.yaml';

const collector = (n: number, indent: string) =>
  [
    'receivers:',
    `  otlp/r${n}:`,
    '    protocols:',
    '      grpc:',
    `        endpoint: 0.0.0.0:${4317 + n}`,
    '        tls:',
    `          cert_file: /etc/otel/certs/r${n}.crt`,
    `          key_file: /etc/otel/certs/r${n}.key`,
    '          min_version: "1.2"',
    '',
    'exporters:',
    `  otlp/e${n}:`,
    `    endpoint: backend-${n}.example.com:4317`,
    '    tls:',
    '      ca_file: /etc/otel/certs/ca.crt',
    '      insecure_skip_verify: true',
    '      min_version: "1.2"',
    'service:',
    '  pipelines:',
    '    traces:',
    `      receivers: [otlp/r${n}]`,
    `      exporters: [otlp/e${n}]`,
  ]
    .map((line) => (line === '' ? '' : `${indent}${line}`))
    .join('\n');

/**
 * ConfigMaps whose collector configs sit in `|` and `|-` (with a header comment) blocks, a Secret with `|+`, anchored and
 * tagged blocks and lines of spaces in and after them, and a Deployment mounting one ConfigMap.
 */
function manifest(): string {
  return [
    '# gateway manifest',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: gateway-a',
    '  namespace: observability',
    'data:',
    '  relay: |',
    collector(1, '    '),
    '  other: plain text',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: gateway-b',
    '  namespace: observability',
    'data:',
    '  relay: |- # the config',
    '',
    collector(2, '      '),
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: certs',
    '  namespace: observability',
    'stringData:',
    '  ca.crt: |+',
    '    -----BEGIN CERTIFICATE-----',
    '    not a certificate',
    '    -----END CERTIFICATE-----',
    '      ',
    '    ',
    '',
    '  notes: &notes |',
    '    first line',
    '        ',
    '    last line',
    '      ',
    '    ',
    '  tagged: !!str |-',
    '    tagged one',
    '    tagged two',
    '  again: *notes',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: gateway',
    '  namespace: observability',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: otelcol',
    '          volumeMounts:',
    '            - name: config',
    '              mountPath: /conf',
    '      volumes:',
    '        - name: config',
    '          configMap:',
    '            name: gateway-a',
    '',
  ].join('\n');
}

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const PIECES = ['a', 'Z', '1', '7', ' ', '  ', ':', ': ', '#', ' #', '"', "'", '-', '---', '|', '{', '}', '[', '&x', '*x', '\t', '\n', '\r\n', '\u00a0', 'é', 'min_version: "1.7"', 'insecure: true'];

/**
 * One random edit of `text`: mostly a change inside a line of one of the block scalars' bodies (replacing up to four
 * characters of it after a random column, or a whole value), else anywhere.
 */
function randomEdit(text: string, next: () => number): string {
  const lines = text.split('\n');
  const inBlocks = lines.map((_, i) => i).filter((i) => /^ {4,}\S/.test(lines[i]) && !/^ {4,}(-|name:|volumeMounts|mountPath|configMap|spec|containers)/.test(lines[i]));
  const choice = next();
  const line = choice < 0.8 && inBlocks.length > 0 ? inBlocks[Math.floor(next() * inBlocks.length)] : Math.floor(next() * lines.length);
  const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const column = Math.floor(next() * (lines[line].length + 1));
  const removed = Math.min(lines[line].length - column, Math.floor(next() * 5));
  const inserted = next() < 0.3 ? '' : PIECES[Math.floor(next() * PIECES.length)];
  return text.slice(0, start + column) + inserted + text.slice(start + column + removed);
}

/** What a document is, as a comparison sees it (as JSON): every node's kind, range and (scalars) value, type and source; errors and warnings. */
function shape(doc: Document): string {
  const node = (n: unknown): unknown => {
    if (n === null || n === undefined) return n;
    if (isPair(n)) return { key: node(n.key), value: node(n.value) };
    const range = (n as { range?: number[] }).range;
    if (isScalar(n)) return { scalar: n.value, type: n.type, source: n.source, range, tag: n.tag, anchor: n.anchor, comment: n.comment, commentBefore: n.commentBefore };
    if (isMap(n) || isSeq(n)) return { [isMap(n) ? 'map' : 'seq']: n.items.map(node), range, flow: n.flow, comment: n.comment, commentBefore: n.commentBefore };
    return { other: String(n), range };
  };
  return JSON.stringify({ contents: node(doc.contents), range: doc.range, errors: doc.errors.map((e) => [e.code, e.pos]), warnings: doc.warnings.map((e) => [e.code, e.pos]), comment: doc.comment, commentBefore: doc.commentBefore });
}

describe('an edit inside a block scalar line patches the last parse in place', () => {
  it('gives the documents a fresh parse gives, after random edits (patched ones counted)', () => {
    for (const seed of [1, 2]) {
      const next = random(seed);
      const cache: YamlDocumentCache = new Map();
      let text = manifest();
      parseDocuments(text, { key: PATH, cache, patch: true });
      let patched = 0;
      for (let i = 0; i < 80; i++) {
        // Back to the manifest every tenth edit (errors and carriage returns that random edits leave stop patching).
        const edited = i % 10 === 9 ? manifest() : randomEdit(text, next);
        const before = text;
        text = edited;
        const reused = parseDocuments(text, { key: PATH, cache, patch: true });
        const fresh = parseDocuments(text);
        const label = `seed ${seed}, edit ${i} (${text.length - before.length} characters)`;
        assert.equal(reused.length, fresh.length, label);
        reused.forEach((d, k) => assert.equal(shape(d.doc), shape(fresh[k].doc), `${label}, document ${k}`));
        patched += reused.filter((d) => d.patched).length;
      }
      assert.ok(patched >= 20, `seed ${seed}: ${patched} of 80 edits patched in place`);
    }
  });

  it('gives the documents a fresh parse gives, after each edit at the edges of the blocks\' indentation', () => {
    const text = manifest();
    const lines = text.split('\n');
    const cache: YamlDocumentCache = new Map();
    parseDocuments(text, { key: PATH, cache, patch: true });
    const original = parseDocuments(text).map((d) => shape(d.doc));
    let patched = 0;
    let start = 0;
    // The lines of the ConfigMaps and the Secret (those of the Deployment are no block's).
    for (const line of lines.slice(0, lines.indexOf('apiVersion: apps/v1'))) {
      const indent = line.length - line.trimStart().length;
      if (indent >= 4) {
        for (const column of new Set([indent - 1, indent, indent + 1, line.length])) {
          for (const [inserted, removed] of [[' ', 0], ['x', 0], ['', 1], [' ', 1]] as const) {
            if (column < 0 || column + removed > line.length) continue;
            // The edit, then back (a patched document taking the edit back is checked too).
            const edited = text.slice(0, start + column) + inserted + text.slice(start + column + removed);
            for (const [version, expected, back] of [[edited, parseDocuments(edited).map((d) => shape(d.doc)), ''], [text, original, ', and back']] as const) {
              const reused = parseDocuments(version, { key: PATH, cache, patch: true });
              const label = `${JSON.stringify(inserted)} for ${removed} at line ${JSON.stringify(line)}, column ${column}${back}`;
              assert.equal(reused.length, expected.length, label);
              reused.forEach((d, k) => assert.equal(shape(d.doc), expected[k], `${label}, document ${k}`));
              patched += reused.filter((d) => d.patched).length;
            }
          }
        }
      }
      start += line.length + 1;
    }

    assert.ok(patched >= 100, `${patched} edits patched in place`);
  });

  it('a long-lived service equals a new one after random edits inside the ConfigMaps\' configs', () => {
    const runtime = memoryRuntime({ files: { '/etc/otel/certs/ca.crt': 'not a certificate' } });
    const settings = { ...defaultSettings, workspaceRoots: ['/w'] };
    const shown = (p: Problem) => JSON.stringify({ code: p.code, offset: p.offset, length: p.length, message: p.message, severity: p.severity, related: p.related, data: p.data });
    let index: WorkspaceIndex = emptyWorkspace;
    const service = getLanguageService({ runtime, settings, workspace: () => index });
    const check = (text: string, label: string): ParsedFile => {
      const parsed = service.parse({ path: PATH, text });
      index = service.workspaceIndex([parsed].filter(hasUnits), index === emptyWorkspace ? undefined : index);
      const incremental = service.validate({ path: PATH, text }, parsed).map(shown);
      let freshIndex: WorkspaceIndex = emptyWorkspace;
      const fresh = getLanguageService({ runtime, settings, workspace: () => freshIndex });
      const freshParsed = fresh.parse({ path: PATH, text });
      freshIndex = fresh.workspaceIndex([freshParsed].filter(hasUnits));
      assert.deepEqual(incremental, fresh.validate({ path: PATH, text }, freshParsed).map(shown), label);
      return parsed;
    };
    const configMapDocs = (parsed: ParsedFile) => (parsed.kubernetes ?? []).filter((o) => o.kind === 'ConfigMap').map((o) => ({ doc: o.doc, value: JSON.stringify(o.doc.toJS()) }));
    for (const seed of [7, 8]) {
      const next = random(seed);
      let text = manifest();
      let last = configMapDocs(check(text, `seed ${seed}: start`));
      let patched = 0;
      for (let i = 0; i < 12; i++) {
        // Toggles the config's values as an editor does, and random edits between.
        text = i % 3 === 0 ? text.replace('min_version: "1.2"', 'min_version: "1.7"') : i % 3 === 1 ? text.replace('min_version: "1.7"', 'min_version: "1.2"') : randomEdit(text, next);
        const docs = configMapDocs(check(text, `seed ${seed}, edit ${i}`));
        // A ConfigMap's document that is the same object with another value: changed in place, and read again.
        if (docs.some((d, k) => d.doc === last[k]?.doc && d.value !== last[k].value)) patched++;
        last = docs;
      }
      assert.ok(patched >= 6, `seed ${seed}: ${patched} of 12 edits patched a ConfigMap's document in place`);
    }
  });
});

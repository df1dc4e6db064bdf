/**
 * Hostile documents: each builder makes one text (or bytes) of a kind that has hurt YAML and PEM tools
 * (alias and merge-key bombs, deep nesting, huge lines, NUL bytes, BOMs, lone CRs, thousands of documents
 * in one stream, binary env files, custom tags, endless substitutions, PEM without END...), sized by the
 * random generator so that a run covers small and large forms of each.
 */
import type { Random } from './random';

export interface HostileDocument {
  /** Short name of the family, for reports (`alias-bomb-map`). */
  family: string;
  /** What was made, with its size parameters (`9 levels of 9`). */
  detail: string;
  /** `yaml`, `env` or `pem`: what file name the text gets. */
  kind: 'yaml' | 'env' | 'pem';
  contents: string | Uint8Array;
}

const NAMES = 'abcdefghijklmnopqrstuvwxyz';

/** A tail that makes a YAML text a collector config with a TLS block, so the checks run on it. */
function collectorTail(extra = ''): string {
  return `exporters:\n  otlp:\n    endpoint: collector:4317\n${extra}    tls:\n      insecure_skip_verify: true\nservice:\n  pipelines:\n    traces:\n      exporters: [otlp]\n`;
}

type Builder = (random: Random) => HostileDocument;

export const HOSTILE_BUILDERS: Record<string, Builder> = {
  /** Billion laughs with sequences: each level lists the previous one `width` times. */
  'alias-bomb-seq': (random) => {
    const levels = random.range(3, 12);
    const width = random.range(2, 10);
    let text = `x-a: &a ["lol"]\n`;
    for (let i = 1; i < levels; i++) text += `x-${NAMES[i]}: &${NAMES[i]} [${Array(width).fill(`*${NAMES[i - 1]}`).join(', ')}]\n`;
    const where = random.pick(['component', 'tls', 'telemetry']);
    const alias = `*${NAMES[levels - 1]}`;
    if (where === 'tls') text += `exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n      insecure_skip_verify: true\n      cipher_suites: ${alias}\n`;
    else if (where === 'telemetry') text += `service:\n  telemetry:\n    traces:\n      processors: ${alias}\n`;
    else text += collectorTail(`    headers: ${alias}\n`);
    return { family: 'alias-bomb-seq', detail: `${levels} levels of ${width}, used in ${where}`, kind: 'yaml', contents: text };
  },
  /** Billion laughs with mappings (the issue's 920-byte bomb): each level maps 9 keys to the previous one. */
  'alias-bomb-map': (random) => {
    const levels = random.range(3, 10);
    const width = random.range(2, 9);
    const keys = 'qrstuvwxy'.slice(0, width).split('');
    let text = `x-a: &a {${keys.map((k) => `${k}: 1`).join(', ')}}\n`;
    for (let i = 1; i < levels; i++) text += `x-${NAMES[i]}: &${NAMES[i]} {${keys.map((k) => `${k}: *${NAMES[i - 1]}`).join(', ')}}\n`;
    const alias = `*${NAMES[levels - 1]}`;
    const where = random.pick(['tls', 'tls-block', 'component', 'protocols']);
    if (where === 'tls') text += `exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n      insecure_skip_verify: true\n      ca_pem: ${alias}\n`;
    else if (where === 'tls-block') text += `exporters:\n  otlp:\n    endpoint: collector:4317\n    tls: ${alias}\n`;
    else if (where === 'protocols') text += `receivers:\n  otlp:\n    protocols: ${alias}\n`;
    else text += collectorTail(`    headers: ${alias}\n`);
    return { family: 'alias-bomb-map', detail: `${levels} levels of ${width}, used in ${where}`, kind: 'yaml', contents: text };
  },
  /** Merge keys that double at each line: `<<: [*prev, *prev]`. */
  'merge-bomb': (random) => {
    const lines = random.range(4, 24);
    let text = 'x-m0: &m0 {k0: 1}\n';
    for (let i = 1; i <= lines; i++) text += `x-m${i}: &m${i}\n  <<: [${Array(random.range(2, 3)).fill(`*m${i - 1}`).join(', ')}]\n  k${i}: ${i}\n`;
    const where = random.pick(['component', 'tls']);
    text += where === 'tls' ? `exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n      <<: *m${lines}\n      insecure: true\n` : `exporters:\n  otlp:\n    <<: *m${lines}\n    endpoint: collector:4317\n`;
    return { family: 'merge-bomb', detail: `${lines} lines, merged into ${where}`, kind: 'yaml', contents: text };
  },
  /** Many plain aliases to one anchor, as map values, sequence items or whole components. */
  'many-aliases': (random) => {
    const count = random.size(4000);
    const shape = random.pick(['values', 'items', 'components', 'tls-blocks']);
    let text = 'x-anchors:\n  v: &v "1"\n  t: &t {insecure: true}\n  c: &c {endpoint: "collector:4317", tls: {insecure: true}}\n';
    if (shape === 'values') text += `exporters:\n  otlp:\n    endpoint: collector:4317\n${Array.from({ length: count }, (_, i) => `    k${i}: *v\n`).join('')}`;
    else if (shape === 'items') text += `exporters:\n  otlp:\n    endpoint: collector:4317\n    headers:\n${'      - *v\n'.repeat(count)}`;
    else if (shape === 'components') text += `exporters:\n${Array.from({ length: count }, (_, i) => `  otlp/e${i}: *c\n`).join('')}`;
    else text += `exporters:\n${Array.from({ length: count }, (_, i) => `  otlp/e${i}:\n    endpoint: collector:4317\n    tls: *t\n`).join('')}`;
    return { family: 'many-aliases', detail: `${count} aliases as ${shape}`, kind: 'yaml', contents: text };
  },
  /** An alias to itself or to an anchor defined later, and anchors redefined. */
  'alias-cycle': (random) => {
    const text = random.pick([
      'a: &a [*a]\n' + collectorTail('    x: *a\n'),
      'a: &a {b: *a}\n' + collectorTail('    <<: *a\n'),
      collectorTail('    x: *later\n') + 'y: &later 1\n',
      'a: &a 1\nb: &a {c: *a}\n' + collectorTail('    x: *a\n    <<: *a\n'),
      'a: &a\n  <<: *a\n' + collectorTail('    <<: *a\n'),
    ]);
    return { family: 'alias-cycle', detail: 'self and forward references', kind: 'yaml', contents: text };
  },
  /** Flow collections nested `depth` levels (the issue's 7,000 `[`), balanced or not. */
  'deep-flow': (random) => {
    const depth = random.size(20000);
    const open = random.pick(['[', '{a: ', '{', '[{']);
    const close = open === '[' ? ']' : open === '[{' ? '}]' : '}';
    const balanced = random.chance(0.5);
    const body = open.repeat(depth) + (balanced ? close.repeat(depth) : '');
    const where = random.pick(['top', 'receivers', 'value', 'tls']);
    const text =
      where === 'top' ? body + '\n'
      : where === 'receivers' ? `receivers: ${body}\n`
      : where === 'tls' ? `exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n      cipher_suites: ${body}\n`
      : `receivers:\n  otlp:\n    x: ${body}\n`;
    return { family: 'deep-flow', detail: `${depth} levels of ${open.trim()}${balanced ? ' balanced' : ''} at ${where}`, kind: 'yaml', contents: text };
  },
  /** Block collections nested by indentation, or compact `- - - -` sequences on one line. */
  'deep-block': (random) => {
    const depth = random.size(3000);
    const shape = random.pick(['map', 'seq-compact', 'seq-lines', 'explicit-keys']);
    let text = 'receivers:\n  otlp:\n    protocols:\n';
    if (shape === 'map') for (let i = 0; i < depth; i++) text += `${' '.repeat(6 + i)}k${i}:\n`;
    else if (shape === 'seq-compact') text += `      x:\n        ${'- '.repeat(depth)}1\n`;
    else if (shape === 'seq-lines') for (let i = 0; i < depth; i++) text += `${' '.repeat(6 + i)}-\n`;
    else text += `      ${'? '.repeat(depth)}k\n`;
    return { family: 'deep-block', detail: `${depth} levels (${shape})`, kind: 'yaml', contents: text };
  },
  /** One enormous line: a scalar, a comment, a key, a flow sequence of many items, a quoted string. */
  'huge-line': (random) => {
    const size = random.size(1_500_000);
    const shape = random.pick(['scalar', 'comment', 'key', 'flow-items', 'quoted', 'env-value', 'substitutions']);
    const kind = shape === 'env-value' ? 'env' : 'yaml';
    const text =
      shape === 'scalar' ? `exporters:\n  otlp:\n    endpoint: ${'a'.repeat(size)}\n    tls:\n      insecure: true\n`
      : shape === 'comment' ? `# ${'x'.repeat(size)}\n${collectorTail()}`
      : shape === 'key' ? `exporters:\n  ${'k'.repeat(size)}:\n    endpoint: collector:4317\n`
      : shape === 'flow-items' ? `exporters:\n  otlp:\n    endpoint: collector:4317\n    headers: [${'1,'.repeat(Math.ceil(size / 2))}1]\n`
      : shape === 'quoted' ? `exporters:\n  otlp:\n    endpoint: "${'\\"'.repeat(Math.ceil(size / 2))}"\n`
      : shape === 'substitutions' ? `exporters:\n  otlp:\n    endpoint: ${'${env:A}'.repeat(Math.ceil(size / 8))}\n    tls:\n      ca_file: ${'${'.repeat(Math.ceil(size / 4))}${'}'.repeat(Math.ceil(size / 4))}\n`
      : `OTEL_EXPORTER_OTLP_ENDPOINT=https://${'h'.repeat(size)}:4317\nOTEL_EXPORTER_OTLP_HEADERS=${'a=b,'.repeat(Math.ceil(size / 4))}\n`;
    return { family: 'huge-line', detail: `${size} characters (${shape})`, kind, contents: text };
  },
  /** Many short lines: keys, list items, env variables. */
  'many-lines': (random) => {
    const count = random.size(200_000);
    const shape = random.pick(['keys', 'items', 'env', 'tls-keys', 'blank']);
    const text =
      shape === 'keys' ? `exporters:\n  otlp:\n    endpoint: collector:4317\n${Array.from({ length: count }, (_, i) => `    k${i}: v\n`).join('')}`
      : shape === 'items' ? `exporters:\n  otlp:\n    endpoint: collector:4317\n    headers:\n${'      - a\n'.repeat(count)}`
      : shape === 'tls-keys' ? `exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n${Array.from({ length: count }, (_, i) => `      unknown_${i}: true\n`).join('')}`
      : shape === 'blank' ? `${'\n'.repeat(count)}${collectorTail()}`
      : Array.from({ length: count }, (_, i) => `OTEL_EXPORTER_OTLP_${i % 7 === 0 ? 'ENDPOINT' : `X${i}`}=https://h${i}:4317\n`).join('');
    return { family: 'many-lines', detail: `${count} lines (${shape})`, kind: shape === 'env' ? 'env' : 'yaml', contents: text };
  },
  /** Thousands of documents in one stream. */
  'many-documents': (random) => {
    const count = random.size(20_000);
    const doc = random.pick(['---\n', '---\nreceivers: {}\n', '...\n---\n', '--- !!map\n', '---\n' + collectorTail()]);
    return { family: 'many-documents', detail: `${count} documents`, kind: 'yaml', contents: collectorTail() + doc.repeat(count) };
  },
  /** NUL and other control bytes, in keys, values and between lines. */
  'control-bytes': (random) => {
    const base = collectorTail();
    const bytes = Buffer.from(base, 'utf8');
    const out: number[] = [];
    for (const b of bytes) {
      out.push(b);
      if (random.chance(0.15)) out.push(random.pick([0, 0, 1, 7, 8, 0x0b, 0x0c, 0x1b, 0x7f, 0x85]));
    }
    return { family: 'control-bytes', detail: `${out.length - bytes.length} control bytes`, kind: random.pick(['yaml', 'env'] as const), contents: new Uint8Array(out) };
  },
  /** Byte order marks: UTF-8 (once or several times), UTF-16 and UTF-32, and one in the middle. */
  boms: (random) => {
    const body = random.chance(0.5) ? collectorTail() : 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=ca.crt\n';
    const kind = body.startsWith('OTEL') ? 'env' : 'yaml';
    const shape = random.pick(['utf8', 'utf8-twice', 'utf16le', 'utf16be', 'utf32', 'middle']);
    let contents: Uint8Array;
    if (shape === 'utf8') contents = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
    else if (shape === 'utf8-twice') contents = Buffer.from('\ufeff\ufeff' + body);
    else if (shape === 'utf16le') contents = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]);
    else if (shape === 'utf16be') contents = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(body, 'utf16le').swap16()]);
    else if (shape === 'utf32') contents = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(body)]);
    else contents = Buffer.from(body.replace('\n', '\n\ufeff'));
    return { family: 'boms', detail: shape, kind, contents };
  },
  /** Line ends: lone CRs, mixed CR/LF/CRLF, Unicode line separators. */
  'line-ends': (random) => {
    const body = random.chance(0.6) ? collectorTail() + 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: s.crt\n' : 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=ca.crt\n';
    const shape = random.pick(['cr', 'mixed', 'crcrlf', 'ls', 'nel']);
    const ends: Record<string, () => string> = { cr: () => '\r', mixed: () => random.pick(['\r', '\n', '\r\n']), crcrlf: () => '\r\r\n', ls: () => '\u2028', nel: () => '\u0085' };
    return { family: 'line-ends', detail: shape, kind: body.startsWith('OTEL') ? 'env' : 'yaml', contents: body.replace(/\n/g, () => ends[shape]()) };
  },
  /** Invalid UTF-8: lone continuation bytes, overlong forms, surrogates, truncated sequences. */
  'invalid-utf8': (random) => {
    const body = Buffer.from(collectorTail());
    const junk = [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff], [0xfe]];
    const out: number[] = [];
    for (const b of body) {
      out.push(b);
      if (random.chance(0.05)) out.push(...random.pick(junk));
    }
    return { family: 'invalid-utf8', detail: `${out.length - body.length} bad bytes`, kind: random.pick(['yaml', 'env'] as const), contents: new Uint8Array(out) };
  },
  /** Random bytes named as a config or env file. */
  binary: (random) => {
    const size = random.size(200_000);
    return { family: 'binary', detail: `${size} random bytes`, kind: random.pick(['yaml', 'env', 'pem'] as const), contents: random.bytes(size) };
  },
  /** Custom and standard tags, directives, and tags on keys. */
  tags: (random) => {
    const tag = random.pick(['!!binary', '!!set', '!!omap', '!!pairs', '!!timestamp', '!!python/object:os.system', '!custom', '!<tag:example.com,2000:x>', '!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq', '!e!x', '!!merge']);
    const text = random.pick([
      `%TAG !e! tag:example.com,2000:\n---\n${collectorTail().replace('insecure_skip_verify: true', `insecure_skip_verify: ${tag} true`)}`,
      `exporters:\n  otlp:\n    endpoint: ${tag} collector:4317\n    tls: ${tag}\n      insecure: ${tag} yes\n`,
      `exporters:\n  ${tag} otlp:\n    ${tag} endpoint: collector:4317\n    tls:\n      ${tag} ca_file: ${tag} ca.crt\n`,
      `%YAML 1.1\n---\n${collectorTail()}`,
      `%YAML 9.9\n%FOO bar\n---\n${collectorTail()}`,
      `exporters: !!map\n  otlp: !!map\n    endpoint: !!str collector:4317\n    tls: !!set\n      ? insecure\n`,
      `exporters:\n  otlp:\n    tls:\n      <<: !!merge {insecure: true}\n      ca_pem: !!binary aGVsbG8=\n`,
    ]);
    return { family: 'tags', detail: tag, kind: 'yaml', contents: text };
  },
  /** Substitutions: many, nested, recursive through the environment, with odd schemes and `$$` runs. */
  substitutions: (random) => {
    const count = random.size(20_000);
    const shape = random.pick(['many', 'nested', 'dollars', 'schemes', 'defaults', 'unclosed']);
    const value =
      shape === 'many' ? '${env:CERT_DIR}/'.repeat(count) + 'ca.crt'
      : shape === 'nested' ? '${env:'.repeat(count) + 'X' + ':-d}'.repeat(count)
      : shape === 'dollars' ? '$'.repeat(count) + '{env:CERT_DIR}'
      : shape === 'schemes' ? Array.from({ length: Math.min(count, 2000) }, (_, i) => `\${${random.pick(['file', 'http', 'yaml', 'env', 'x+y.z', '1bad'])}:v${i}}`).join('')
      : shape === 'defaults' ? '${env:A:-${env:B:-${env:C:-' + 'x'.repeat(count) + '}}}'
      : '${env:' + '{'.repeat(count);
    const text = `exporters:\n  otlp:\n    endpoint: "${value.replace(/"/g, '\\"')}"\n    tls:\n      ca_file: "${value.replace(/"/g, '\\"')}"\n      min_version: "\${env:TLS_MIN}"\n`;
    return { family: 'substitutions', detail: `${shape} x${count}`, kind: 'yaml', contents: text };
  },
  /** Helm-style templates around and inside values. */
  templates: (random) => {
    const n = random.size(5000);
    const text = `{{- if .Values.enabled }}\nexporters:\n  otlp:\n    endpoint: {{ .Values.endpoint | quote }}\n    tls:\n      ca_file: "{{ ${'{{'.repeat(n)} }}"\n      insecure: {{ .Values.insecure }}\n{{- end }}\n`;
    return { family: 'templates', detail: `${n} nested braces`, kind: 'yaml', contents: text };
  },
  /** Env files with odd syntax: exports, quotes that never close, continuation lines, huge counts. */
  'env-syntax': (random) => {
    const n = random.size(50_000);
    const text = random.pick([
      `export OTEL_EXPORTER_OTLP_ENDPOINT="https://collector:4317\n${'x\n'.repeat(n)}`,
      `OTEL_EXPORTER_OTLP_ENDPOINT='${"'".repeat(n)}\n`,
      `OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317 \\\n${' \\\n'.repeat(n)}`,
      `${'OTEL_EXPORTER_OTLP_CERTIFICATE=ca.crt\n'.repeat(n)}`,
      `OTEL_EXPORTER_OTLP_HEADERS=${'%'.repeat(n)}\nOTEL_EXPORTER_OTLP_ENDPOINT=${'${A}'.repeat(n)}\n`,
      `#!/bin/sh\nexport OTEL_EXPORTER_OTLP_ENDPOINT=$(cat <<EOF\n${'line\n'.repeat(n)}EOF\n)\n`,
      `# otlp-tls: sdk=${'x'.repeat(n)}\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\n`,
      `${'='.repeat(n)}\n${'OTEL_'.repeat(n)}\n`,
    ]);
    return { family: 'env-syntax', detail: `size ${n}`, kind: 'env', contents: text };
  },
  /** PEM files that are not what they say: BEGIN without END (the issue's 1 MiB freeze), many tiny blocks, huge bodies. */
  'pem-hostile': (random) => {
    const size = random.size(1_100_000);
    const shape = random.pick(['begin-no-end', 'tiny-blocks', 'huge-body', 'nested-begin', 'end-only', 'headers', 'crlf-begin']);
    const repeatTo = (unit: string) => unit.repeat(Math.max(1, Math.floor(size / unit.length)));
    const contents =
      shape === 'begin-no-end' ? repeatTo('-----BEGIN CERTIFICATE-----\n')
      : shape === 'tiny-blocks' ? repeatTo('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
      : shape === 'huge-body' ? `-----BEGIN CERTIFICATE-----\n${repeatTo('QUFB')}\n-----END CERTIFICATE-----\n`
      : shape === 'nested-begin' ? repeatTo('-----BEGIN A-----\n-----BEGIN B-----\nQUFB\n-----END A-----\n')
      : shape === 'end-only' ? repeatTo('\n-----END CERTIFICATE-----')
      : shape === 'headers' ? `-----BEGIN RSA PRIVATE KEY-----\n${repeatTo('Proc-Type: 4,ENCRYPTED\n')}`
      : repeatTo('-----BEGIN CERTIFICATE-----\r');
    return { family: 'pem-hostile', detail: `${shape}, ${contents.length} bytes`, kind: 'pem', contents };
  },
};

export const HOSTILE_FAMILIES = Object.keys(HOSTILE_BUILDERS);

export function hostileDocument(random: Random, family = random.pick(HOSTILE_FAMILIES)): HostileDocument {
  return HOSTILE_BUILDERS[family](random);
}

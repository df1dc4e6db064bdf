/**
 * The fuzz cases: each is a small workspace (a folder of files) made from (seed, case number) alone.
 * Three families:
 * - `mutated`: a document of the project (examples/, test/fixtures/, the snippets) with 1 to 8 random
 *   mutations (YAML indicators, anchors and aliases, substitutions, control bytes, line ends, deleted,
 *   copied and repeated spans, keys and values from the schemas);
 * - `generated`: a collector config or env file built from the schemas' keys with random values;
 * - `hostile`: one document of hostile.ts (bombs, deep nesting, huge lines, BOMs, binary...).
 * Every case also holds certificate files the configs name: real ones (the run's development
 * certificates and Node's bundled roots), mutated ones, hostile PEM, and special files: FIFOs, links
 * to /dev/zero and /dev/null, symlink loops, dangling links and folders, named as certificates and as
 * configs.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rootCertificates } from 'node:tls';
import { Random } from './random';
import { HOSTILE_FAMILIES, hostileDocument } from './hostile';

export type FileSpec =
  | { path: string; kind: 'file'; contents: string | Uint8Array; mode?: number }
  | { path: string; kind: 'fifo' }
  | { path: string; kind: 'symlink'; target: string }
  | { path: string; kind: 'dir' };

export interface FuzzCase {
  seed: number;
  index: number;
  family: 'mutated' | 'generated' | 'hostile';
  /** What the case is, for reports: the seed document or hostile family, and the mutations. */
  description: string;
  files: FileSpec[];
  /** The document the LSP session opens and edits (a path in `files`). */
  main: string;
  /** CLI arguments after `check`, relative to the case folder (`.` = the whole folder). */
  cliArgs: string[];
  /** Environment for `${env:VAR}` references. */
  env: Record<string, string>;
}

/** Certificates and keys the cases can name: made once per run (keys are never checked in). */
export interface CertificatePool {
  ca: string;
  caKey: string;
  server: string;
  serverKey: string;
  client: string;
  clientKey: string;
}

export interface Corpus {
  yaml: { name: string; text: string }[];
  env: { name: string; text: string }[];
}

const CERT_NAMES = ['ca.crt', 'server.crt', 'server.key', 'client.crt', 'client.key', 'bundle.pem', 'certs/ca.crt', 'certs/server.crt', 'certs/server.key'];
const SPECIAL_TARGETS = ['/dev/zero', '/dev/null', '/dev/urandom', '/dev/full', '/proc/self/mem', '/proc/self/root', '/'];

/** The project's own documents to mutate: examples/, test/fixtures/ (not hostile/), and the YAML and dotenv snippets. */
export function loadCorpus(root: string): Corpus {
  const corpus: Corpus = { yaml: [], env: [] };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name === 'hostile' || name === 'node_modules') continue;
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.size < 256 * 1024) {
        const text = readFileSync(path, 'utf8');
        if (/\.ya?ml$/.test(name)) corpus.yaml.push({ name: relative(root, path), text });
        else if (/(^|\.)env(\.|$)|\.sh$/.test(name)) corpus.env.push({ name: relative(root, path), text });
      }
    }
  };
  for (const dir of ['examples', 'test/fixtures']) walk(join(root, dir));
  for (const [file, list] of [['snippets/yaml.json', corpus.yaml], ['snippets/dotenv.json', corpus.env], ['snippets/shellscript.json', corpus.env]] as const) {
    const snippets = JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, { body: string[] }>;
    for (const [name, snippet] of Object.entries(snippets)) {
      // `${1:default}` → default, `${2|a,b|}` → a, `$0` → nothing.
      const text = snippet.body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\d+/g, '') + '\n';
      list.push({ name: `${file}#${name}`, text });
    }
  }
  return corpus;
}

/** Keys and values from schemas/*.json, for generated documents and for mutations that keep the shape. */
export interface Vocabulary {
  tlsKeys: string[];
  telemetryKeys: string[];
  envNames: string[];
  values: string[];
}

export function loadVocabulary(root: string): Vocabulary {
  const tls = JSON.parse(readFileSync(join(root, 'schemas/collector-tls.schema.json'), 'utf8')) as { $defs: Record<string, { properties?: Record<string, unknown>; enum?: string[]; items?: { enum?: string[] } }> };
  const env = JSON.parse(readFileSync(join(root, 'schemas/sdk-env.schema.json'), 'utf8')) as { properties: Record<string, { enum?: string[] }> };
  const enums = new Set<string>();
  for (const def of Object.values(tls.$defs)) for (const value of [...(def.enum ?? []), ...(def.items?.enum ?? [])]) enums.add(String(value));
  for (const property of Object.values(env.properties)) for (const value of property.enum ?? []) enums.add(String(value));
  return {
    tlsKeys: [...new Set([...Object.keys(tls.$defs.tlsEither.properties ?? {}), ...Object.keys(tls.$defs.tlsSquashedClient.properties ?? {})])],
    telemetryKeys: Object.keys(tls.$defs.telemetryOtlpExporter.properties ?? {}),
    envNames: Object.keys(env.properties),
    values: [...enums],
  };
}

const YAML_TOKENS = [
  '[', ']', '{', '}', ',', ':', ': ', '- ', '? ', '&a ', '*a', '&b ', '*b', '<<: *a', '<<: [*a, *b]', '!!binary ', '!x ', '!!str ', '|', '>-', '|+',
  '"', "'", '#', '%', '@', '`', '---\n', '...\n', '\t', '\r', '\r\n', '\0', '\ufeff', '\u2028', '\u0085', ' ', '  ', '\n', '\n  ', '\\',
  '${env:CERT_DIR}', '${env:X:-/tmp}', '${CERT_DIR}/ca.crt', '${file:/etc/passwd}', '$$', '${', '}', '{{ .Values.x }}', '{{', '}}',
  'tls:', 'tls: {}', 'tls:\n  insecure: true', 'services:\n  app:\n    environment:\n      - OTEL_EXPORTER_OTLP_ENDPOINT=https://c:4317\n', "file_format: '0.4'\n", '__proto__: x\n', 'constructor: x\n', 'insecure: true', 'ca_file: ca.crt', 'endpoint: https://collector:4317', 'endpoint: collector:4318',
  '0x1F', '1e309', '-.inf', '.nan', '~', 'null', 'yes', 'No', '0o17', '12:30:00', '2001-12-14t21:59:43.10-05:00', '"1.2"', '1.3', '1.0',
];
const ENV_TOKENS = [
  '=', '\n', '\r', '\r\n', '\0', '"', "'", '\\', '#', ' ', 'export ', '${A}', '$(cat ca.crt)', '`id`', '\ufeff', 'OTEL_EXPORTER_OTLP_', '_ENDPOINT=', 'https://', 'http://',
  ':4317', ':4318', 'grpc', 'http/protobuf', 'http/json', 'true', 'false', ',', '%20', 'a=b', '# otlp-tls: sdk=python\n', '# otlp-tls: sdk=',
];

export function generateCase(seed: number, index: number, corpus: Corpus, vocabulary: Vocabulary, certs: CertificatePool): FuzzCase {
  const random = new Random(seed, index);
  const family = random.weighted([[40, 'mutated'], [15, 'generated'], [45, 'hostile']] as const);
  const files: FileSpec[] = [];
  const env: Record<string, string> = { CERT_DIR: random.pick(['certs', '.', '/etc/otel/certs', '']), TLS_MIN: random.pick(['1.2', '1.0', 'x']) };
  if (random.chance(0.2)) env[random.pick(['X', 'A', 'B', 'CERT_DIR'])] = random.pick(['${env:X}', '${env:A}', 'a'.repeat(random.size(100_000)), '\x01\x7f', '$$$', ' ', '${env:CERT_DIR}/x']);
  let description: string;
  let main: string;

  const certFiles = certificateFiles(random, certs);
  files.push(...certFiles.files);

  if (family === 'hostile') {
    const document = hostileDocument(random, random.pick(HOSTILE_FAMILIES));
    description = `hostile ${document.family}: ${document.detail}`;
    if (document.kind === 'pem') {
      // A hostile certificate, named by a config that reads it.
      const name = random.pick(['ca.crt', 'server.crt', 'server.key', 'client.crt', 'client.key']);
      setFile(files, name, document.contents);
      main = 'collector.yaml';
      setFile(files, main, generatedCollector(random, vocabulary));
      if (random.chance(0.5)) setFile(files, 'app.env', generatedEnv(random, vocabulary));
    } else {
      main = document.kind === 'env' ? random.pick(['.env', 'app.env', 'run.sh', '.env.production']) : random.pick(['collector.yaml', 'otel.yml', 'values.yaml', 'compose.yaml', 'otel-config.yaml']);
      // Some YAML goes to the other YAML sources too: a compose file, the SDK's declarative config, the project config.
      const header = document.kind === 'yaml' && typeof document.contents === 'string' ? random.weighted([[6, ''], [1, 'services:\n  app:\n    image: x\n'], [1, "file_format: '0.4'\n"]] as const) : '';
      if (document.kind === 'yaml' && random.chance(0.05)) main = '.otlp-tls.yaml';
      setFile(files, main, header ? header + (document.contents as string) : document.contents);
      if (random.chance(0.4)) setFile(files, document.kind === 'env' ? 'collector.yaml' : 'app.env', document.kind === 'env' ? generatedCollector(random, vocabulary) : generatedEnv(random, vocabulary));
    }
  } else {
    const yaml = random.chance(0.65);
    let text: string;
    if (family === 'generated') {
      text = yaml ? generatedCollector(random, vocabulary) : generatedEnv(random, vocabulary);
      description = `generated ${yaml ? 'collector config' : 'env file'}`;
    } else {
      const seedDocument = random.pick(yaml ? corpus.yaml : corpus.env);
      text = seedDocument.text;
      description = `mutated ${seedDocument.name}`;
    }
    const applied: string[] = [];
    const mutations = family === 'mutated' ? random.range(1, 8) : random.range(0, 3);
    for (let i = 0; i < mutations; i++) {
      const [name, next] = mutate(random, text, yaml ? YAML_TOKENS : ENV_TOKENS, vocabulary);
      applied.push(name);
      text = next;
    }
    if (applied.length) description += ` + ${applied.join(', ')}`;
    main = yaml ? random.pick(['collector.yaml', 'gateway/collector.yaml', 'agent.yml']) : random.pick(['.env', 'app/.env', 'app.env', 'start.sh']);
    setFile(files, main, text);
    if (random.chance(0.5)) {
      const other = yaml ? random.pick(corpus.env).text : random.pick(corpus.yaml).text;
      setFile(files, yaml ? 'app/.env' : 'collector.yaml', random.chance(0.5) ? mutate(random, other, yaml ? ENV_TOKENS : YAML_TOKENS, vocabulary)[1] : other);
    }
  }

  // Special files named as configs, beside the real ones.
  if (random.chance(0.25)) {
    const name = random.pick(['fifo.yaml', 'zero.yaml', 'loop.yaml', 'dir.yaml', 'dangling.yml', '.env.fifo', 'null.env']);
    if (name.includes('fifo')) files.push({ path: name, kind: 'fifo' });
    else if (name.startsWith('zero')) files.push({ path: name, kind: 'symlink', target: '/dev/zero' });
    else if (name.startsWith('null')) files.push({ path: name, kind: 'symlink', target: '/dev/null' });
    else if (name.startsWith('loop')) files.push({ path: name, kind: 'symlink', target: name });
    else if (name.startsWith('dangling')) files.push({ path: name, kind: 'symlink', target: 'does/not/exist.yaml' });
    else files.push({ path: name, kind: 'dir' });
  }

  const cliArgs: string[] = [];
  if (random.chance(0.6)) cliArgs.push('.');
  else for (const file of files) if (random.chance(0.6) || file.path === main) cliArgs.push(file.path);
  if (random.chance(0.3)) cliArgs.push('--format', random.pick(['json', 'sarif', 'text']));
  else cliArgs.push('--format', 'json');
  if (random.chance(0.3)) cliArgs.push('--path-map', `/etc/otel/certs=${random.pick(['certs', '.', 'missing', 'zero.yaml'])}`);
  if (random.chance(0.2)) cliArgs.push('--sdk', random.pick(['java', 'java-agent', 'python', 'go', 'js', 'dotnet', 'dotnet-auto', 'any']));
  return { seed, index, family, description, files, main, cliArgs, env };
}

function setFile(files: FileSpec[], path: string, contents: string | Uint8Array): void {
  const at = files.findIndex((f) => f.path === path || f.path.startsWith(path + '/') || path.startsWith(f.path + '/'));
  if (at >= 0) files.splice(at, 1);
  files.push({ path, kind: 'file', contents });
}

/** The certificate files of a case: mostly real, some mutated, some special. */
function certificateFiles(random: Random, certs: CertificatePool): { files: FileSpec[] } {
  const files: FileSpec[] = [];
  const real: Record<string, string> = {
    'ca.crt': certs.ca,
    'server.crt': certs.server,
    'server.key': certs.serverKey,
    'client.crt': certs.client,
    'client.key': certs.clientKey,
    'bundle.pem': random.chance(0.5) ? rootCertificates.slice(0, random.size(rootCertificates.length)).join('\n') : certs.server + certs.ca,
  };
  for (const name of CERT_NAMES) {
    if (!random.chance(0.75)) continue;
    const base = real[name.replace(/^certs\//, '')] ?? certs.ca;
    const roll = random.float();
    if (roll < 0.7) files.push({ path: name, kind: 'file', contents: base, mode: name.endsWith('.key') ? random.pick([0o600, 0o644]) : 0o644 });
    else if (roll < 0.85) files.push({ path: name, kind: 'file', contents: mutatePem(random, base) });
    else if (roll < 0.9) files.push({ path: name, kind: 'fifo' });
    else if (roll < 0.95) files.push({ path: name, kind: 'symlink', target: random.pick([...SPECIAL_TARGETS, name.split('/').pop()!, 'missing.crt']) });
    else files.push({ path: name, kind: 'dir' });
  }
  return { files };
}

function mutatePem(random: Random, pem: string): string | Uint8Array {
  const shape = random.pick(['truncate', 'flip', 'crlf', 'bom', 'der', 'double', 'indent', 'headers', 'type', 'empty']);
  switch (shape) {
    case 'truncate':
      return pem.slice(0, random.int(pem.length));
    case 'flip': {
      const at = random.int(pem.length);
      return pem.slice(0, at) + random.pick(['A', '=', '-', '\n', '!', '\0']) + pem.slice(at + 1);
    }
    case 'crlf':
      return pem.replace(/\n/g, '\r\n');
    case 'bom':
      return '\ufeff' + pem;
    case 'der': {
      const body = pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
      return new Uint8Array(Buffer.from(body, 'base64'));
    }
    case 'double':
      return pem + pem;
    case 'indent':
      return pem.replace(/^/gm, '  ');
    case 'headers':
      return pem.replace(/-----\n/, '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n');
    case 'type':
      return pem.replace(/CERTIFICATE|PRIVATE KEY/g, random.pick(['X509 CRL', 'TRUSTED CERTIFICATE', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'PUBLIC KEY']));
    default:
      return '';
  }
}

/** One mutation of `text`: its name and the result. */
function mutate(random: Random, text: string, tokens: readonly string[], vocabulary: Vocabulary): [string, string] {
  const at = () => random.int(text.length + 1);
  const span = (): [number, number] => {
    const start = at();
    return [start, Math.min(text.length, start + random.size(200))];
  };
  const lines = text.split('\n');
  const kind = random.weighted([
    [6, 'insert-token'], [3, 'delete'], [2, 'copy-span'], [2, 'repeat-line'], [2, 'replace-value'], [2, 'replace-key'], [1, 'indent'],
    [1, 'swap-lines'], [1, 'truncate'], [1, 'bytes'], [1, 'line-ends'], [1, 'anchors'], [1, 'nest'],
  ] as const);
  switch (kind) {
    case 'insert-token': {
      const p = at();
      const token = random.pick(tokens);
      return [`insert ${JSON.stringify(token)}`, text.slice(0, p) + token + text.slice(p)];
    }
    case 'delete': {
      const [s, e] = span();
      return ['delete', text.slice(0, s) + text.slice(e)];
    }
    case 'copy-span': {
      const [s, e] = span();
      const p = at();
      return ['copy-span', text.slice(0, p) + text.slice(s, e).repeat(random.size(50)) + text.slice(p)];
    }
    case 'repeat-line': {
      const i = random.int(lines.length);
      const times = random.size(5000);
      lines.splice(i, 0, ...Array(times).fill(lines[i]));
      return [`repeat-line x${times}`, lines.join('\n')];
    }
    case 'replace-value': {
      const i = random.int(lines.length);
      const value = random.pick([...vocabulary.values, ...CERT_NAMES, 'fifo.yaml', 'zero.yaml', 'loop.yaml', '/dev/zero', '/etc/otel/certs/ca.crt', '${env:CERT_DIR}/ca.crt', 'https://collector:4317', 'http://[::1]:4318', '"', '[', '{', '', '*a', '&a x']);
      lines[i] = lines[i].replace(/([:=]\s*).*$/, `$1${value}`);
      return [`value ${JSON.stringify(value)}`, lines.join('\n')];
    }
    case 'replace-key': {
      const i = random.int(lines.length);
      const key = random.pick([...vocabulary.tlsKeys, ...vocabulary.telemetryKeys, ...vocabulary.envNames, 'tls', 'endpoint', 'protocols', 'grpc', 'http', 'exporters', 'receivers', 'service', '<<']);
      lines[i] = lines[i].replace(/^(\s*(?:export\s+)?)[^:=\s]+/, `$1${key}`);
      return [`key ${key}`, lines.join('\n')];
    }
    case 'indent': {
      const i = random.int(lines.length);
      lines[i] = random.chance(0.5) ? ' '.repeat(random.range(1, 9)) + lines[i] : lines[i].replace(/^\s{1,4}/, '');
      return ['indent', lines.join('\n')];
    }
    case 'swap-lines': {
      const i = random.int(lines.length);
      const j = random.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return ['swap-lines', lines.join('\n')];
    }
    case 'truncate':
      return ['truncate', text.slice(0, at())];
    case 'bytes': {
      const p = at();
      const junk = String.fromCharCode(...random.bytes(random.size(64)));
      return ['bytes', text.slice(0, p) + junk + text.slice(p)];
    }
    case 'line-ends':
      return ['line-ends', text.replace(/\n/g, () => random.pick(['\n', '\n', '\r', '\r\n']))];
    case 'anchors': {
      // An anchor on one line's value and aliases to it elsewhere.
      const i = random.int(lines.length);
      lines[i] = lines[i].replace(/:(\s*)(\S)/, ':$1&a $2');
      for (let k = 0; k < random.range(1, 20); k++) {
        const j = random.int(lines.length);
        lines[j] = random.chance(0.5) ? lines[j].replace(/:\s.*$/, ': *a') : lines[j].replace(/^(\s*)\S.*$/, '$1<<: *a');
      }
      return ['anchors', lines.join('\n')];
    }
    default: {
      const p = at();
      const depth = random.size(3000);
      const open = random.pick(['[', '{', '- ', '{a: ']);
      return [`nest ${open.trim()} x${depth}`, text.slice(0, p) + open.repeat(depth) + text.slice(p)];
    }
  }
}

/** A collector config from the schema's keys: receivers, exporters and telemetry with TLS blocks and random values. */
export function generatedCollector(random: Random, vocabulary: Vocabulary): string {
  const value = () =>
    random.weighted([
      [3, () => random.pick(CERT_NAMES)],
      [2, () => random.pick(vocabulary.values)],
      [2, () => random.pick(['true', 'false', '"1.2"', '1.3', '10s', '[]', '{}', '', 'null'])],
      [1, () => random.pick(['${env:CERT_DIR}/ca.crt', '/etc/otel/certs/server.crt', 'fifo.yaml', 'zero.yaml', '/dev/zero', 'loop.yaml'])],
      [1, () => `[${Array.from({ length: random.range(1, 4) }, () => random.pick(vocabulary.values)).join(', ')}]`],
    ] as const)();
  const tls = (indent: string) => {
    let out = `${indent}tls:\n`;
    for (let i = random.range(0, 6); i > 0; i--) out += `${indent}  ${random.pick(vocabulary.tlsKeys)}: ${value()}\n`;
    return out;
  };
  const port = () => random.pick(['4317', '4318', '14317', '443', '0', '99999', '${env:PORT}']);
  const host = () => random.pick(['localhost', 'collector', 'otel-collector', '0.0.0.0', '127.0.0.1', '[::1]', 'gateway.example.com']);
  let text = 'receivers:\n';
  for (let i = random.range(0, 3); i > 0; i--) {
    const name = random.pick(['otlp', 'otlp/a', 'otlp/b', 'prometheus', 'kafka', 'postgresql', 'kubeletstats', 'zipkin', 'jaeger']);
    text += `  ${name}:\n    protocols:\n      ${random.pick(['grpc', 'http'])}:\n        endpoint: ${host()}:${port()}\n${random.chance(0.8) ? tls('        ') : ''}`;
    if (name === 'kubeletstats') text += `    ${random.pick(vocabulary.tlsKeys)}: ${value()}\n`;
  }
  text += 'exporters:\n';
  for (let i = random.range(0, 3); i > 0; i--) {
    const name = random.pick(['otlp', 'otlp_grpc/gw', 'otlphttp', 'otlp_http/x', 'otlphttp/y', 'prometheus', 'kafka', 'loadbalancing', 'debug']);
    text += `  ${name}:\n    endpoint: ${random.pick(['https://', 'http://', ''])}${host()}:${port()}${random.chance(0.2) ? '/v1/traces' : ''}\n${random.chance(0.8) ? tls('    ') : ''}`;
    if (random.chance(0.2)) text += `    traces_endpoint: https://${host()}:${port()}/v1/traces\n`;
  }
  if (random.chance(0.4)) {
    text += 'service:\n  telemetry:\n    traces:\n      processors:\n        - batch:\n            exporter:\n              otlp:\n';
    for (let i = random.range(1, 5); i > 0; i--) text += `                ${random.pick(vocabulary.telemetryKeys)}: ${value()}\n`;
  }
  return text;
}

export function generatedEnv(random: Random, vocabulary: Vocabulary): string {
  let text = random.chance(0.2) ? `# otlp-tls: sdk=${random.pick(['java', 'python', 'go', 'js', 'dotnet', 'nope'])}\n` : '';
  for (let i = random.range(1, 12); i > 0; i--) {
    const name = random.pick(vocabulary.envNames);
    const value = /ENDPOINT/.test(name)
      ? `${random.pick(['https://', 'http://', ''])}${random.pick(['localhost', 'collector', 'otel-collector', '127.0.0.1', '[::1]'])}:${random.pick(['4317', '4318', '443'])}`
      : /CERTIFICATE|KEY/.test(name)
        ? random.pick([...CERT_NAMES, 'fifo.yaml', '/dev/zero', 'loop.yaml', '${CERT_DIR}/ca.crt'])
        : random.pick([...vocabulary.values, 'true', 'false', '10000', 'a=b,c=d', '']);
    text += `${random.chance(0.2) ? 'export ' : ''}${name}=${random.chance(0.2) ? `"${value}"` : value}\n`;
  }
  return text;
}

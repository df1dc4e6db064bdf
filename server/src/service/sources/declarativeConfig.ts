/**
 * Source: the SDK's declarative configuration file (a YAML file whose top level has `file_format`) →
 * app units. Environment variable substitution comes first, as the spec says (data-model.md; facts in
 * docs/facts/declarative-config.md §5): `${VAR}`, `${env:VAR}`, `${VAR:-default}` in scalar values (not
 * keys), `$$` for `$`, node types interpreted after substitution (an unquoted `${X}` that becomes
 * `true` is a boolean), an invalid reference (`${1A}`, `${VAR:?err}`) an error on its node. A variable
 * the environment does not tell is unknown here (not empty): the check of that value is skipped.
 * Then the schema (schemas/opentelemetry-configuration.schema.json, draft 2020-12, ../schemas.ts):
 * `unknown-key` on a key the schema does not allow (did-you-mean), `invalid-value` on a value of the
 * wrong type or outside its enum, on the exact node.
 * Then the exporters: the `otlp_grpc` / `otlp_http` exporters of `tracer_provider.processors[]`,
 * `meter_provider.readers[].periodic` and `logger_provider.processors[]` become per-signal settings
 * (`endpoint` → OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT, used as written as the per-signal variable is;
 * `tls.ca_file` → _CERTIFICATE, `tls.cert_file` → _CLIENT_CERTIFICATE, `tls.key_file` → _CLIENT_KEY,
 * `tls.insecure` → _INSECURE; the exporter key gives _PROTOCOL: `grpc`, or `http/protobuf` / `http/json`
 * by `encoding`), named in messages by their key path (`tracer_provider.processors[0].batch.exporter.otlp_grpc.tls.ca_file`).
 * Unit k holds the k-th OTLP exporter of each signal (one unit for the usual one exporter per signal).
 * A file no app's OTEL_CONFIG_FILE points at is an app of its own, substituted with the environment of
 * the checker (otlpTls.environment); one that apps point at is judged as part of each such app
 * (./linkedFiles.ts), substituted with that app's environment.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { composeYaml, limitLength, limitMessage, type YamlLimit, type YamlScans } from '../yaml/yamlCompose';
import { distance } from 'fastest-levenshtein';
import type { Problem } from '../languageTypes';
import type { AppSetting, Signal } from '../model/appSettings';
import type { AppEdits, AppUnit } from '../model/units';
import { declarativeDefOf, declarativeErrors, declarativeKeysAt } from '../schemas';
import { sdkDirective } from '../sdk/sdks';
import { indentAt, lineStartOf, nextLineStart } from '../text';
import { getEntry, nodeSpan, type AnyNode } from '../yaml/yamlNodes';
import { isYamlPath } from './collectorYaml';
import type { Source, SourceContext, SourceUnits } from './detect';
import { wholeFileApp } from './embedded';
import { setOwn, table } from '../lookup';

const FILE_FORMAT_LINE = /^file_format[ \t]*:/m;

/** Whether a text is a declarative config (a top-level `file_format` line; the parse decides the rest). */
export function isDeclarativeText(text: string): boolean {
  return FILE_FORMAT_LINE.test(text);
}

export const declarativeConfigSource: Source = {
  name: 'declarativeConfig',
  yaml: true,
  accepts: isYamlPath,
  read({ text }, context: SourceContext): SourceUnits {
    if (!context.hasLine(FILE_FORMAT_LINE)) return { collectors: [], apps: [] };
    return { collectors: [], apps: declarativeUnits(text, context.getEnv, context.yamlScans).apps };
  },
};

// ---------------------------------------------------------------------------------------------
// Substitution (spec data-model.md "Environment variable substitution")

export type Substituted =
  | { kind: 'value'; value: string }
  /** A variable the environment does not tell, without a default. */
  | { kind: 'unknown'; names: string[] }
  /** An invalid reference: the SDK refuses the file. */
  | { kind: 'error'; reference: string };

/** `${[env:]NAME[:-default]}` as the whole content (tried first: `${A:-b}` also looks like prefix `A`). */
const ENV_REFERENCE = /^(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?$/;
const PREFIXED = /^[A-Za-z][A-Za-z0-9_]*:/;

/** Substitutes one scalar's text; `$$` is a `$` that is not scanned again. `names` collects the variables referenced. */
export function substitute(text: string, getEnv: (name: string) => string | undefined, names: string[] = []): Substituted {
  if (!text.includes('$')) return { kind: 'value', value: text };
  let out = '';
  const unknown: string[] = [];
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('$$', i)) {
      out += '$';
      i += 2;
      continue;
    }
    if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i + 2);
      if (close < 0) return { kind: 'error', reference: text.slice(i) };
      const content = text.slice(i + 2, close);
      const env = ENV_REFERENCE.exec(content);
      if (env) {
        names.push(env[1]);
        const value = getEnv(env[1]);
        if (value !== undefined && value !== '') out += value;
        else if (env[2] !== undefined) out += env[2];
        else if (value === '') out += '';
        else unknown.push(env[1]);
      } else if (PREFIXED.test(content)) {
        unknown.push(content); // a language-specific prefix (Java `${sys:…}`): not known here
      } else {
        return { kind: 'error', reference: text.slice(i, close + 1) };
      }
      i = close + 1;
      continue;
    }
    out += text[i];
    i++;
  }
  return unknown.length ? { kind: 'unknown', names: unknown } : { kind: 'value', value: out };
}

/** A plain scalar's text read again after substitution (YAML 1.2 core schema), as the spec wants types decided after. */
function retype(value: string): unknown {
  if (/^(?:null|Null|NULL|~)?$/.test(value)) return null;
  if (/^(?:true|True|TRUE)$/.test(value)) return true;
  if (/^(?:false|False|FALSE)$/.test(value)) return false;
  if (/^[-+]?[0-9]+$/.test(value)) return Number(value);
  if (/^0o[0-7]+$/.test(value)) return parseInt(value.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(value)) return parseInt(value.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(value)) return Number(value);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(value)) return value.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(value)) return NaN;
  return value;
}

// ---------------------------------------------------------------------------------------------
// The document after substitution

interface Resolved {
  /** The value as the SDK sees it (JSON), for the schema. */
  json: unknown;
  /** JSON pointers of values unknown here (their errors are not reported). */
  unknown: Set<string>;
  /** Scalars whose substitution failed. */
  errors: { node: Scalar; reference: string }[];
  /** Substituted values of scalars, by node. */
  values: Map<Node, { value: unknown; unknown: boolean }>;
  referenced: string[];
}

function resolveDocument(doc: Document, getEnv: (name: string) => string | undefined): Resolved {
  const out: Resolved = { json: undefined, unknown: new Set(), errors: [], values: new Map(), referenced: [] };
  const visit = (node: unknown, pointer: string, depth: number): unknown => {
    if (depth > 64) return null;
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) {
        // A mapping or sequence as a key is no key of the schema; it is not written out (the library's
        // toString of nested collection keys grows fourfold per level: 30 levels overflow a string).
        const key = isScalar(pair.key) ? String(pair.key.value) : isMap(pair.key) ? '[a mapping as key]' : isSeq(pair.key) ? '[a sequence as key]' : String(pair.key);
        setOwn(object, key, visit(pair.value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1));
      }
      return object;
    }
    if (isSeq(node)) return node.items.map((item, i) => visit(item, `${pointer}/${i}`, depth + 1));
    if (isScalar(node)) {
      const source = typeof node.source === 'string' ? node.source : typeof node.value === 'string' ? node.value : undefined;
      if (typeof node.value !== 'string' || source === undefined || !source.includes('$')) {
        out.values.set(node, { value: node.value, unknown: false });
        return node.value;
      }
      const result = substitute(node.value, getEnv, out.referenced);
      if (result.kind === 'error') {
        out.errors.push({ node, reference: result.reference });
        out.unknown.add(pointer);
        out.values.set(node, { value: undefined, unknown: true });
        return null;
      }
      if (result.kind === 'unknown') {
        out.unknown.add(pointer);
        out.values.set(node, { value: undefined, unknown: true });
        return null;
      }
      const value = node.type === 'PLAIN' ? retype(result.value) : result.value;
      out.values.set(node, { value, unknown: false });
      return value;
    }
    return node === null || node === undefined ? null : null;
  };
  out.json = visit(doc.contents, '', 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Units

export interface DeclarativeUnits {
  apps: AppUnit[];
  /** Every variable the file references for substitution. */
  referenced: string[];
}

const SIGNAL_PATHS: { signal: Signal; provider: string; list: string; kinds: string[] }[] = [
  { signal: 'traces', provider: 'tracer_provider', list: 'processors', kinds: ['batch', 'simple'] },
  { signal: 'metrics', provider: 'meter_provider', list: 'readers', kinds: ['periodic'] },
  { signal: 'logs', provider: 'logger_provider', list: 'processors', kinds: ['batch', 'simple'] },
];

interface Exporter {
  signal: Signal;
  /** `otlp_grpc` or `otlp_http`. */
  type: string;
  keyNode: Scalar;
  node: AnyNode;
  /** Written key path of the exporter: `tracer_provider.processors[0].batch.exporter.otlp_grpc`. */
  written: string;
  path: (string | number)[];
}

/** The app units of a declarative config text, its variables read from `getEnv`. */
export function declarativeUnits(text: string, getEnv: (name: string) => string | undefined, scans?: YamlScans): DeclarativeUnits {
  let doc: Document;
  let limits: YamlLimit[];
  try {
    // Nesting and size bounded before the library composes it (../yaml/yamlCompose.ts).
    ({ doc, limits } = composeYaml(text, { yaml: { prettyErrors: false }, duplicateKeys: false, scans }));
  } catch {
    return { apps: [], referenced: [] };
  }
  const root = doc.contents;
  if (!isMap(root) || !getEntry(root, doc, 'file_format')) return { apps: [], referenced: [] };
  const resolved = resolveDocument(doc, getEnv);
  const problems = [
    ...limits.map((limit) => ({ code: 'limit-exceeded' as const, offset: limit.offset, length: limitLength(text, limit), message: limitMessage(limit), severity: 'warning' as const })),
    ...syntaxProblems(doc),
    ...schemaProblems(doc, resolved),
  ];
  const exporters = findExporters(doc, root);
  const groups: Exporter[][] = [];
  const counts: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };
  for (const exporter of exporters) (groups[counts[exporter.signal]++] ??= []).push(exporter);
  if (groups.length === 0) groups.push([]);
  const directive = sdkDirective(text);
  const apps = groups.map((group, index): AppUnit => {
    const settings = group.flatMap((exporter) => exporterSettings(exporter, doc, resolved, index));
    settings.forEach((s, i) => (s.locator = { app: index, setting: i }));
    return {
      ...wholeFileApp(text, index, settings, directive),
      edits: declarativeEdits(text, doc),
      yaml: { doc, root },
      ...(index === 0 && problems.length ? { problems } : {}),
    };
  });
  return { apps, referenced: [...new Set(resolved.referenced)] };
}

function findExporters(doc: Document, root: YAMLMap): Exporter[] {
  const found: Exporter[] = [];
  for (const { signal, provider, list, kinds } of SIGNAL_PATHS) {
    const items = getEntry(root, doc, provider)?.value;
    const sequence = isMap(items) ? getEntry(items, doc, list)?.value : undefined;
    if (!isSeq(sequence)) continue;
    sequence.items.forEach((item, i) => {
      if (!isMap(item)) return;
      for (const kind of kinds) {
        const processor = getEntry(item, doc, kind)?.value;
        const exporter = isMap(processor) ? getEntry(processor, doc, 'exporter')?.value : undefined;
        if (!isMap(exporter)) continue;
        for (const type of ['otlp_grpc', 'otlp_http']) {
          const entry = getEntry(exporter, doc, type);
          if (!entry) continue;
          found.push({ signal, type, keyNode: entry.keyNode, node: entry.value, written: `${provider}.${list}[${i}].${kind}.exporter.${type}`, path: [provider, list, i, kind, 'exporter', type] });
        }
      }
    });
  }
  return found;
}

const TLS_SETTINGS: { key: string; option: string; grpcOnly?: boolean }[] = [
  { key: 'ca_file', option: 'CERTIFICATE' },
  { key: 'cert_file', option: 'CLIENT_CERTIFICATE' },
  { key: 'key_file', option: 'CLIENT_KEY' },
  { key: 'insecure', option: 'INSECURE', grpcOnly: true },
];

function exporterSettings(exporter: Exporter, doc: Document, resolved: Resolved, index: number): AppSetting[] {
  const S = exporter.signal.toUpperCase();
  const settings: AppSetting[] = [];
  const keySpan = nodeSpan(exporter.keyNode)!;
  const node = isMap(exporter.node) ? exporter.node : undefined;
  const encoding = node ? scalarValue(getEntry(node, doc, 'encoding')?.value, resolved) : undefined;
  settings.push({
    name: `OTEL_EXPORTER_OTLP_${S}_PROTOCOL`,
    written: exporter.written,
    value: exporter.type === 'otlp_grpc' ? 'grpc' : encoding?.value === 'json' ? 'http/json' : 'http/protobuf',
    nameOffset: keySpan[0],
    nameLength: keySpan[1] - keySpan[0],
    valueOffset: keySpan[0],
    valueLength: keySpan[1] - keySpan[0],
    locator: { app: index, setting: 0 },
    layer: 'config-file',
  });
  if (!node) return settings;
  const add = (entryMap: YAMLMap, key: string, name: string, written: string) => {
    const entry = getEntry(entryMap, doc, key);
    if (!entry || !isScalar(entry.value)) return;
    const value = scalarValue(entry.value, resolved);
    if (!value.unknown && (value.value === null || value.value === undefined || value.value === '')) return;
    const keySpan = nodeSpan(entry.keyNode)!;
    const valueSpan = nodeSpan(entry.value)!;
    settings.push({
      name,
      written,
      value: value.unknown ? undefined : String(value.value),
      nameOffset: keySpan[0],
      nameLength: keySpan[1] - keySpan[0],
      valueOffset: valueSpan[0],
      valueLength: valueSpan[1] - valueSpan[0],
      locator: { app: index, setting: 0 },
      layer: 'config-file',
    });
  };
  add(node, 'endpoint', `OTEL_EXPORTER_OTLP_${S}_ENDPOINT`, `${exporter.written}.endpoint`);
  const tls = getEntry(node, doc, 'tls')?.value;
  if (isMap(tls)) {
    for (const { key, option, grpcOnly } of TLS_SETTINGS) {
      if (grpcOnly && exporter.type !== 'otlp_grpc') continue;
      add(tls, key, `OTEL_EXPORTER_OTLP_${S}_${option}`, `${exporter.written}.tls.${key}`);
    }
  }
  return settings;
}

function scalarValue(node: AnyNode, resolved: Resolved): { value: unknown; unknown: boolean } {
  if (!node || !isScalar(node)) return { value: undefined, unknown: false };
  return resolved.values.get(node) ?? { value: node.value, unknown: false };
}

// ---------------------------------------------------------------------------------------------
// Problems

function syntaxProblems(doc: Document): Problem[] {
  return doc.errors.slice(0, 50).map((error) => ({ code: 'yaml-syntax' as const, offset: error.pos[0], length: Math.max(0, error.pos[1] - error.pos[0]), message: error.message.split('\n')[0] }));
}

/**
 * Keys the v1.1.0 release adds where the committed schema (an earlier stored version, see
 * schemas/opentelemetry-configuration.schema.source.md) does not have them: not reported, so a current
 * file gets no false unknown-key. Remove with the schema's update to the release.
 */
const RELEASE_KEYS: Record<string, readonly string[]> = table({
  TracerProvider: ['id_generator'],
  LogRecordProcessor: ['event_to_span_event_bridge/development'],
  PeriodicMetricReader: ['max_export_batch_size/development'],
  ExperimentalGeneralInstrumentation: ['code', 'db', 'gen_ai', 'messaging', 'rpc', 'sanitization', 'stability_opt_in_list'],
  ExperimentalHttpInstrumentation: ['semconv'],
  ExperimentalHttpClientInstrumentation: ['known_methods'],
  ExperimentalHttpServerInstrumentation: ['known_methods'],
  ExperimentalPrometheusMetricExporter: ['resource_constant_labels', 'scope_info_enabled', 'target_info_enabled/development'],
});

function releaseKey(def: string | undefined, key: string): boolean {
  return def !== undefined && (RELEASE_KEYS[def]?.includes(key) ?? false);
}

function schemaProblems(doc: Document, resolved: Resolved): Problem[] {
  const problems: Problem[] = [];
  for (const { node, reference } of resolved.errors) {
    const span = nodeSpan(node)!;
    problems.push({ code: 'invalid-value', offset: span[0], length: span[1] - span[0], message: `${reference} is not a valid substitution: the spec allows \${NAME}, \${env:NAME} and \${NAME:-default} (NAME is letters, digits and _, not starting with a digit), so the SDK refuses the whole file.` });
  }
  const seen = new Set<string>();
  for (const error of declarativeErrors(resolved.json)) {
    const pointer = error.instancePath;
    if ([...resolved.unknown].some((u) => pointer === u || pointer.startsWith(`${u}/`))) continue;
    const path = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const keyPath = path.map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      if (releaseKey(declarativeDefOf(error), key)) continue;
      const pair = pairAt(doc, [...keyPath, key]);
      if (!pair || seen.has(`key:${pointer}/${key}`)) continue;
      seen.add(`key:${pointer}/${key}`);
      const span = nodeSpan(pair.key as AnyNode)!;
      const known = declarativeKeysAt(error);
      const suggestions = known.filter((k) => distance(k, key) <= Math.max(2, Math.floor(key.length / 4))).sort((a, b) => distance(a, key) - distance(b, key)).slice(0, 3);
      const where = path.length ? writtenPath(keyPath) : 'the top level';
      problems.push({
        code: 'unknown-key',
        offset: span[0],
        length: span[1] - span[0],
        message: `Unknown key "${key}", which the SDK refuses: remove or rename it. It is in ${where}: the declarative configuration schema does not allow it here, so the SDK refuses the file.` + (suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : ` Allowed: ${known.join(', ')}.`),
        ...(suggestions.length ? { data: { kind: 'rename' as const, suggestions, at: { app: 0, path: [...keyPath, key] } } } : {}),
      });
      continue;
    }
    if (['oneOf', 'anyOf', 'if', 'not'].includes(error.keyword)) continue;
    if (seen.has(`value:${pointer}`)) continue;
    seen.add(`value:${pointer}`);
    const target = error.keyword === 'required' ? pairAt(doc, keyPath)?.key : nodeAtPath(doc, keyPath);
    const span = nodeSpan((target ?? doc.contents) as AnyNode);
    if (!span) continue;
    const allowed = error.keyword === 'enum' ? ` Allowed: ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}.` : '';
    problems.push({ code: 'invalid-value', offset: span[0], length: span[1] - span[0], message: `${path.length ? writtenPath(keyPath) : 'The file'} ${error.message ?? 'is not valid'}.${allowed}` });
  }
  return problems;
}

/** `tracer_provider.processors[0].batch`. */
export function writtenPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('');
}

function pairAt(doc: Document, path: (string | number)[]): Pair | undefined {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!isSeq(node)) return undefined;
      node = node.items[step];
      pair = undefined;
    } else {
      if (!isMap(node)) return undefined;
      pair = node.items.find((p): p is Pair => isPair(p) && isScalar(p.key) && String(p.key.value) === step);
      if (!pair) return undefined;
      node = pair.value;
    }
  }
  return pair;
}

function nodeAtPath(doc: Document, path: (string | number)[]): AnyNode {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (typeof step === 'number') node = isSeq(node) ? node.items[step] : undefined;
    else node = isMap(node) ? node.items.find((p): p is Pair => isPair(p) && isScalar(p.key) && String(p.key.value) === step)?.value : undefined;
    if (node === undefined) return undefined;
  }
  return node as AnyNode;
}

// ---------------------------------------------------------------------------------------------
// Edits

/** A value as YAML writes it, in the quotes the replaced scalar had. */
function yamlText(value: string, replacing: AnyNode): string {
  if (isScalar(replacing) && replacing.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (isScalar(replacing) && replacing.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return /^[A-Za-z0-9_./:@-]+$/.test(value) && !/^(?:true|false|null|~|[-+]?[0-9.]+)$/i.test(value) ? value : JSON.stringify(value);
}

/** Edits in the declarative config's YAML: a value replaced in its quotes, a key line removed, an `endpoint` line added. */
function declarativeEdits(text: string, doc: Document): AppEdits {
  const scalarAt = (offset: number): AnyNode => {
    let found: AnyNode;
    const walk = (node: unknown, depth: number) => {
      if (found || depth > 64) return;
      if (isScalar(node) && node.range?.[0] === offset) found = node;
      else if (isMap(node)) for (const p of node.items) {
        walk(p.key, depth + 1);
        walk(p.value, depth + 1);
      }
      else if (isSeq(node)) for (const item of node.items) walk(item, depth + 1);
    };
    walk(doc.contents, 0);
    return found;
  };
  return {
    rename: (setting, name) => ({ offset: setting.nameOffset, length: setting.nameLength, text: name }),
    setValue(setting, value) {
      if (setting.name.endsWith('_PROTOCOL')) return { offset: setting.nameOffset, length: setting.nameLength, text: value === 'grpc' ? 'otlp_grpc' : 'otlp_http' };
      return { offset: setting.valueOffset, length: setting.valueLength, text: yamlText(value, scalarAt(setting.valueOffset)) };
    },
    remove(setting) {
      const from = lineStartOf(text, setting.nameOffset);
      return { offset: from, length: nextLineStart(text, setting.valueOffset + setting.valueLength) - from, text: '' };
    },
    add(setting, _where, name, value) {
      // Only the endpoint is added (the fix of a TLS file with no endpoint): as the first key of the exporter.
      const key = /_ENDPOINT$/.test(name) ? 'endpoint' : name.toLowerCase();
      const at = setting.name.endsWith('_PROTOCOL') ? setting.nameOffset : lineStartOf(text, setting.nameOffset);
      if (setting.name.endsWith('_PROTOCOL')) {
        const line = nextLineStart(text, at);
        return { offset: line, length: 0, text: `${indentAt(text, at)}  ${key}: ${yamlText(value, undefined)}\n` };
      }
      return { offset: at, length: 0, text: `${indentAt(text, setting.nameOffset)}${key}: ${yamlText(value, undefined)}\n` };
    },
  };
}

/**
 * `unknown-key` and `invalid-value`: every TLS block validated by ajv against
 * schemas/collector-tls.schema.json, each error mapped back to the exact YAML node.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { isMap, isScalar, isSeq } from 'yaml';
import schema from '../../../../schemas/collector-tls.schema.json';
import type { Check, CollectorCheckContext } from './check';
import type { DiagnosticData, Problem } from '../languageTypes';
import type { TlsBlock, TlsSchemaDef } from '../model/collector';
import { holdsSubstitution } from '../yaml/substitution';
import { resolve, toPlain, type AnyNode, type MapEntry } from '../yaml/yamlNodes';
import { defined, problemAt } from '../problems';
import type { Document } from 'yaml';

type SchemaNode = { properties?: Record<string, { description?: string; enum?: unknown[]; $ref?: string }>; description?: string };
const defs = (schema as unknown as { $defs: Record<string, SchemaNode> }).$defs;

let ajv: Ajv | undefined;
const validators = new Map<TlsSchemaDef, ValidateFunction>();

function validatorFor(def: TlsSchemaDef): ValidateFunction {
  let validate = validators.get(def);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, strict: false });
    if (!ajv.getSchema(schema.$id)) ajv.addSchema(schema);
    validate = ajv.getSchema(`${schema.$id}#/$defs/${def}`)!;
    validators.set(def, validate);
  }
  return validate;
}

/** The keys a block of this schema accepts, for did-you-mean. */
export function schemaKeys(def: TlsSchemaDef): string[] {
  return Object.keys(defs[def]?.properties ?? {});
}

/** The schema description of a key (hover uses it too). */
export function schemaDescription(def: TlsSchemaDef, key: string): string | undefined {
  return defs[def]?.properties?.[key]?.description;
}

const sideLabel: Record<TlsBlock['role'], string> = {
  server: 'server (listening) tls block',
  client: 'client (connecting) tls block',
  either: 'tls block',
  telemetry: 'service.telemetry OTLP exporter',
};

export const tlsSchema: Check<CollectorCheckContext> = {
  name: 'tlsSchema',
  kind: 'collector',
  run({ model }) {
    const problems: Problem[] = [];
    for (const block of model.tlsBlocks) problems.push(...validateBlock(model.doc, block));
    return problems;
  },
};

function validateBlock(doc: Document, block: TlsBlock): Problem[] {
  if (block.node !== null && !isMap(block.node)) {
    if (isScalar(block.node) && (block.node.value === null || holdsSubstitution(String(block.node.value)))) return [];
    return defined([problemAt(block.node, 'invalid-value', `"${block.path.join('.')}" must be a mapping of TLS settings.`)]);
  }
  const instance: Record<string, unknown> = {};
  const substituted = new Set<string>();
  const byKey = new Map<string, MapEntry>();
  for (const entry of block.entries) {
    byKey.set(entry.key, entry);
    const value = toPlain(entry.value, doc);
    // A key with no value decodes to the zero value in the Collector: only its name is judged.
    if (value === null) {
      if (!defs[block.schema]?.properties?.[entry.key]) instance[entry.key] = null;
      continue;
    }
    if (containsSubstitution(value)) substituted.add(entry.key);
    instance[entry.key] = value;
  }

  const validate = validatorFor(block.schema);
  if (validate(instance)) return [];
  const problems: Problem[] = [];
  const reported = new Set<string>();
  // One problem per node: a type error says more than the enum error beside it.
  const errors = relevantErrors(validate.errors ?? []).sort((a, b) => Number(b.keyword === 'type') - Number(a.keyword === 'type'));
  for (const error of errors) {
    const where = error.keyword === 'additionalProperties' ? `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}` : error.instancePath;
    if (reported.has(where)) continue;
    reported.add(where);
    const problem = toProblem(doc, block, error, byKey, substituted);
    if (problem) problems.push(problem);
  }
  return problems;
}

function containsSubstitution(value: unknown): boolean {
  if (typeof value === 'string') return holdsSubstitution(value);
  if (Array.isArray(value)) return value.some(containsSubstitution);
  if (value && typeof value === 'object') return Object.values(value).some(containsSubstitution);
  return false;
}

/**
 * ajv reports every branch of an anyOf/oneOf. Keep the branch errors that sit deeper than the anyOf
 * (the value had the right shape, an item was wrong), else keep only the anyOf itself.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const isUnion = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  const unionPaths = new Set(errors.filter(isUnion).map((e) => e.instancePath));
  return errors.filter((error) => {
    if (unionPaths.has(error.instancePath)) return isUnion(error) && !errors.some((e) => e.instancePath.startsWith(error.instancePath + '/'));
    return true;
  });
}

function toProblem(doc: Document, block: TlsBlock, error: ErrorObject, byKey: Map<string, MapEntry>, substituted: Set<string>): Problem | undefined {
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const entry = byKey.get(key);
    return entry ? unknownKey(block, entry) : undefined;
  }
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = segments[0];
  if (key === undefined || substituted.has(key)) return undefined;
  const entry = byKey.get(key);
  if (!entry) return undefined;
  const node = nodeAtSegments(doc, entry.value, segments.slice(1));
  return problemAt(node ?? entry.value, 'invalid-value', valueMessage(key, node ?? entry.value, error), valueData(error, node ?? entry.value));
}

function nodeAtSegments(doc: Document, node: AnyNode, segments: string[]): AnyNode {
  let current = node;
  for (const segment of segments) {
    if (isSeq(current)) current = resolve(current.items[Number(segment)], doc);
    else if (isMap(current)) current = resolve(current.items.find((p) => isScalar(p.key) && String(p.key.value) === segment)?.value, doc);
    else return undefined;
  }
  return current;
}

function unknownKey(block: TlsBlock, entry: MapEntry): Problem | undefined {
  const otherSide = block.role === 'server' ? 'tlsClient' : block.role === 'client' ? 'tlsServer' : undefined;
  const where = sideLabel[block.role];
  let message: string;
  let suggestions: string[] = [];
  if (otherSide && schemaKeys(otherSide).includes(entry.key)) {
    const side = block.role === 'server' ? 'client' : 'server';
    message =
      `"${entry.key}" is a ${side}-side setting, but ${block.component.id} is a TLS ${block.role} here ` +
      `(the Collector fails with "has invalid keys: ${entry.key}").`;
    if (entry.key === 'ca_file' || entry.key === 'client_ca_file') suggestions = [entry.key === 'ca_file' ? 'client_ca_file' : 'ca_file'];
  } else {
    const candidates = schemaKeys(block.schema);
    const best = candidates.length ? closest(entry.key, candidates) : undefined;
    if (best && distance(entry.key, best) <= Math.max(2, Math.floor(best.length / 3))) suggestions = [best];
    message = `Unknown key "${entry.key}" in a ${where}` + (suggestions.length ? `. Did you mean "${suggestions[0]}"?` : '.');
  }
  return problemAt(entry.keyNode, 'unknown-key', message, suggestions.length ? { data: { kind: 'rename', suggestions } } : {});
}

function valueMessage(key: string, node: AnyNode, error: ErrorObject): string {
  const source = isScalar(node) ? (node.source ?? String(node.value)) : undefined;
  const isVersion = key === 'min_version' || key === 'max_version';
  if (isVersion && error.keyword === 'type' && isScalar(node) && typeof node.value === 'number') {
    return `${key} must be a quoted string: write "${source}". Unquoted, YAML reads a number and the Collector fails with "expected type 'string', got unconvertible type 'float64'".`;
  }
  if (isVersion && error.keyword === 'enum') {
    return `invalid TLS ${key}: unsupported TLS version: "${source}" (use "1.2" or "1.3").`;
  }
  if (key === 'cipher_suites' && error.keyword === 'enum') {
    return `invalid TLS cipher suite: "${source}". Cipher suites use Go's exact names, such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.`;
  }
  if (key === 'curve_preferences' && error.keyword === 'enum') {
    return `invalid curve type "${source}": use P256, P384, P521, X25519 or X25519MLKEM768.`;
  }
  if (error.keyword === 'type') {
    const expected = (error.params as { type: string }).type;
    const quotedBool = expected === 'boolean' && isScalar(node) && typeof node.value === 'string';
    return (
      `${key} must be a ${expected}` +
      (source !== undefined ? `, not ${JSON.stringify(source)}` : '') +
      (quotedBool ? ` (write true or false without quotes; the Collector fails with "expected type 'bool'")` : '') +
      '.'
    );
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${key} has an unsupported value${source !== undefined ? ` "${source}"` : ''}; allowed: ${allowed.join(', ')}.`;
  }
  if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'pattern') {
    return `${key} has an invalid value${source !== undefined ? ` "${source}"` : ''}: ${schemaHint(key)}`;
  }
  return `${key} ${error.message ?? 'is invalid'}.`;
}

function schemaHint(key: string): string {
  if (key === 'reload_interval') return 'use a Go duration such as "10s" or "1h".';
  if (key === 'cipher_suites' || key === 'curve_preferences') return 'use a list of names.';
  return 'see the hover for the accepted form.';
}

function valueData(error: ErrorObject, node: AnyNode): { data?: DiagnosticData } {
  // A quoted "true"/"false" where the Collector wants a boolean: the same word without quotes.
  if (error.keyword === 'type' && (error.params as { type: string }).type === 'boolean' && isScalar(node) && typeof node.value === 'string' && /^(true|false)$/i.test(node.value.trim())) {
    return { data: { kind: 'yaml-source', source: node.value.trim().toLowerCase() } };
  }
  if (error.keyword !== 'enum') return {};
  const values = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
  return { data: { kind: 'values', values } };
}

/**
 * `unknown-key` and `invalid-value`: every TLS block validated by ajv against
 * schemas/collector-tls.schema.json (through ../schemas.ts), each error mapped back to the exact YAML node.
 */
import type { ErrorObject } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { isScalar, isMap, type Document } from 'yaml';
import type { Check, CollectorCheckContext } from './check';
import type { DiagnosticData, KeyPath, Problem } from '../languageTypes';
import { entryPath, type TlsBlock } from '../model/collector';
import { holdsSubstitution } from '../yaml/substitution';
import { expandsTooFar, nodeAt, toPlain, type AnyNode, type MapEntry } from '../yaml/yamlNodes';
import { defined, problemAt } from '../problems';
import { schemaHasKey, schemaKeys, tlsBlockValidator } from '../schemas';
import { setOwn } from '../lookup';

const sideLabel: Record<TlsBlock['role'], string> = {
  server: 'server (listening) tls block',
  client: 'client (connecting) tls block',
  either: 'tls block',
  telemetry: 'service.telemetry OTLP exporter',
};

export const tlsSchema: Check<CollectorCheckContext> = {
  name: 'tlsSchema',
  kind: 'collector',
  perComponent: true,
  run({ model, at }) {
    const problems: Problem[] = [];
    // One by one: a hostile block can hold more problems than a spread call takes arguments.
    for (const block of model.tlsBlocks) for (const problem of validateBlock(model.doc, block, at)) problems.push(problem);
    return problems;
  },
};

type At = CollectorCheckContext['at'];

function validateBlock(doc: Document, block: TlsBlock, at: At): Problem[] {
  if (block.node !== null && !isMap(block.node)) {
    if (isScalar(block.node) && (block.node.value === null || holdsSubstitution(String(block.node.value)))) return [];
    return defined([problemAt(block.node, 'invalid-value', `"${block.path.join('.')}" must be a mapping of TLS settings.`)]);
  }
  const instance: Record<string, unknown> = {};
  const substituted = new Set<string>();
  const byKey = new Map<string, MapEntry>();
  for (const entry of block.entries) {
    byKey.set(entry.key, entry);
    // A value that expands past the bounds (an alias bomb) is not validated; workLimits.ts says so.
    if (expandsTooFar(entry.value, doc, `The value of ${entry.key}`, entry.pair.value as AnyNode)) {
      if (!schemaHasKey(block.schema, entry.key)) setOwn(instance, entry.key, null);
      continue;
    }
    const value = toPlain(entry.value, doc);
    // A key with no value decodes to the zero value in the Collector: only its name is judged.
    if (value === null) {
      if (!schemaHasKey(block.schema, entry.key)) setOwn(instance, entry.key, null);
      continue;
    }
    if (containsSubstitution(value)) substituted.add(entry.key);
    setOwn(instance, entry.key, value);
  }

  const validate = tlsBlockValidator(block.schema);
  if (validate(instance)) return [];
  const problems: Problem[] = [];
  const reported = new Set<string>();
  // One problem per node: a type error says more than the enum error beside it.
  const errors = relevantErrors(validate.errors ?? []).sort((a, b) => Number(b.keyword === 'type') - Number(a.keyword === 'type'));
  for (const error of errors) {
    const where = error.keyword === 'additionalProperties' ? `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}` : error.instancePath;
    if (reported.has(where)) continue;
    reported.add(where);
    const problem = toProblem(doc, block, error, byKey, substituted, at);
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

function toProblem(doc: Document, block: TlsBlock, error: ErrorObject, byKey: Map<string, MapEntry>, substituted: Set<string>, at: At): Problem | undefined {
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const entry = byKey.get(key);
    return entry ? unknownKey(block, entry, at) : undefined;
  }
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = segments[0];
  if (key === undefined || substituted.has(key)) return undefined;
  const entry = byKey.get(key);
  if (!entry) return undefined;
  // Below the key, ajv's segments are keys of mappings and indexes of sequences.
  const below: KeyPath = [];
  let parent: AnyNode = entry.value;
  for (const segment of segments.slice(1)) {
    const step = isMap(parent) ? segment : Number(segment);
    below.push(step);
    parent = nodeAt(doc, parent, [step]);
  }
  const node = below.length ? parent : entry.value;
  const target = node ?? entry.value;
  const path = node ? [...entryPath(block, key), ...below] : entryPath(block, key);
  return problemAt(target, 'invalid-value', valueMessage(key, target, error), valueData(key, error, target, at(path)));
}

function unknownKey(block: TlsBlock, entry: MapEntry, at: At): Problem | undefined {
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
    message = suggestions.length ? `Unknown key "${entry.key}": did you mean "${suggestions[0]}"? It is not a key of a ${where}.` : `Unknown key "${entry.key}": remove it, or check its spelling. It is not a key of a ${where}.`;
  }
  return problemAt(entry.keyNode, 'unknown-key', message, suggestions.length ? { data: { kind: 'rename', suggestions, at: at(entryPath(block, entry.key)) } } : {});
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

function valueData(key: string, error: ErrorObject, node: AnyNode, at: DiagnosticData['at']): { data?: DiagnosticData } {
  // A quoted "true"/"false" where the Collector wants a boolean: the same word without quotes.
  if (error.keyword === 'type' && (error.params as { type: string }).type === 'boolean' && isScalar(node) && typeof node.value === 'string' && /^(true|false)$/i.test(node.value.trim())) {
    return { data: { kind: 'yaml-source', source: node.value.trim().toLowerCase(), at } };
  }
  // `min_version: 1.2`: YAML reads a number where the Collector wants the string "1.2".
  if (error.keyword === 'type' && (key === 'min_version' || key === 'max_version') && isScalar(node) && typeof node.value === 'number') {
    return { data: { kind: 'quote-version', at } };
  }
  if (error.keyword !== 'enum') return {};
  const values = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
  return { data: { kind: 'values', values, at } };
}

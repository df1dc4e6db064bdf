/**
 * The one module that loads the JSON schemas of schemas/ and answers questions about them:
 * - schemas/collector-tls.schema.json: the keys of each kind of Collector `tls:` block (`$defs`), their
 *   types, allowed values and descriptions;
 * - schemas/sdk-env.schema.json: every OTEL_* variable, its form (`x-format`), values and description;
 * - schemas/opentelemetry-configuration.schema.json: the SDK's declarative configuration file (upstream's
 *   schema, draft 2020-12, compiled with ajv/dist/2020; provenance in its .source.md);
 * - schemas/otlp-tls-config.schema.json: the project configuration file `.otlp-tls.yaml`
 *   (project/configFile.ts validates it; hover and completion describe its keys).
 * The checks (tlsSchema, legacyTlsKeys, envVariables), hover and completion all ask here. The ajv
 * validators are compiled once, on first use: a memo of files shipped with the product, never
 * invalidated (with the parsed system roots, the only module-level state of the core).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { distance } from 'fastest-levenshtein';
import collectorTlsSchema from '../../../schemas/collector-tls.schema.json';
import sdkEnvSchema from '../../../schemas/sdk-env.schema.json';
import declarativeSchema from '../../../schemas/opentelemetry-configuration.schema.json';
import projectConfigSchema from '../../../schemas/otlp-tls-config.schema.json';
import type { TlsSchemaDef } from './model/collector';
import { OTLP_PREFIX } from './model/appSettings';
import type { Severity } from './diagnosticCodes';

// ---------------------------------------------------------------------------------------------
// Collector tls: blocks

type PropertySchema = { type?: string; enum?: unknown[]; $ref?: string; oneOf?: PropertySchema[]; items?: PropertySchema; description?: string; default?: unknown };
const defs = (collectorTlsSchema as unknown as { $defs: Record<string, PropertySchema & { properties?: Record<string, PropertySchema> }> }).$defs;

/**
 * The schemas are files shipped with the product, checked against their meta-schemas by the tests
 * (test/unit/schemaFiles.test.ts), so they are not checked again at each start (`validateSchema`): compiling a
 * meta-schema took longer than compiling the schema it checks.
 */
const AJV_OPTIONS = { allErrors: true, strict: false, validateSchema: false } as const;

const compiled: { ajv?: Ajv; tls: Map<TlsSchemaDef, ValidateFunction>; env?: ValidateFunction; declarative?: ValidateFunction; projectConfig?: ValidateFunction } = { tls: new Map() };

/** The validator of one kind of tls: block (a `$defs` entry), compiled on first use. */
export function tlsBlockValidator(def: TlsSchemaDef): ValidateFunction {
  let validate = compiled.tls.get(def);
  if (!validate) {
    compiled.ajv ??= new Ajv(AJV_OPTIONS);
    if (!compiled.ajv.getSchema(collectorTlsSchema.$id)) compiled.ajv.addSchema(collectorTlsSchema);
    validate = compiled.ajv.getSchema(`${collectorTlsSchema.$id}#/$defs/${def}`)!;
    compiled.tls.set(def, validate);
  }
  return validate;
}

/** The keys a block of this kind accepts (did-you-mean, completion). */
export function schemaKeys(def: TlsSchemaDef): string[] {
  return Object.keys(defs[def]?.properties ?? {});
}

/** Whether a block of this kind has the key. */
export function schemaHasKey(def: TlsSchemaDef, key: string): boolean {
  return defs[def]?.properties?.[key] !== undefined;
}

/** The schema description of a key (hover, completion). */
export function schemaDescription(def: TlsSchemaDef, key: string): string | undefined {
  return defs[def]?.properties?.[key]?.description;
}

/**
 * The values a key takes, for completion: its enum (or true/false for a boolean), or with `listItem`
 * the enum of the items of a list key. A list key itself gets none (its items go on the next lines);
 * undefined for a key the block does not have.
 */
export function schemaValues(def: TlsSchemaDef, key: string, listItem: boolean): string[] | undefined {
  const property = defs[def]?.properties?.[key];
  if (!property) return undefined;
  const resolved = resolveRef(property);
  if (listItem || resolved.oneOf) {
    const array = resolved.oneOf?.find((s) => s.type === 'array') ?? resolved;
    const values = (array.items ? (resolveRef(array.items).enum ?? []) : []).map(String);
    return listItem ? values : [];
  }
  if (resolved.enum) return resolved.enum.map(String);
  if (resolved.type === 'boolean') return ['true', 'false'];
  return [];
}

function resolveRef(property: PropertySchema): PropertySchema {
  let current = property;
  for (let i = 0; current.$ref && i < 5; i++) current = defs[current.$ref.replace('#/$defs/', '')] ?? {};
  return current;
}

// ---------------------------------------------------------------------------------------------
// SDK env variables

/** A property of sdk-env.schema.json, with our custom keywords. */
export interface EnvVariableSchema {
  type: 'string';
  description: string;
  enum?: string[];
  pattern?: string;
  deprecated?: boolean;
  'x-replacedBy'?: string;
  'x-caseInsensitive'?: boolean;
  'x-format'?: 'boolean' | 'milliseconds' | 'integer' | 'positiveInteger' | 'port' | 'list' | 'url' | 'path' | 'headers' | 'resourceAttributes';
  'x-values'?: string[];
  'x-severity'?: Severity;
}

const properties = (sdkEnvSchema as unknown as { properties: Record<string, EnvVariableSchema> }).properties;

/** The schema entry of a variable. */
export function envVariableSchema(name: string): EnvVariableSchema | undefined {
  return Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : undefined;
}

/** Every name the schema knows that is not deprecated. */
export const knownEnvVariables: readonly string[] = Object.keys(properties).filter((name) => !properties[name].deprecated);

/** The schema's errors for `{name: value}` (ajv, all errors). */
export function envValueErrors(instance: Record<string, string>): ErrorObject[] {
  compiled.env ??= new Ajv(AJV_OPTIONS).compile(sdkEnvSchema);
  return compiled.env(instance) ? [] : (compiled.env.errors ?? []);
}

/**
 * Token rewrites for did-you-mean, applied to `_<rest>_` after the OTLP prefix. They catch the typos
 * edit distance gets wrong (CLIENT_CERT is closer to CLIENT_KEY than to CLIENT_CERTIFICATE) and the
 * Collector's own names (ca_file, cert_file, key_file).
 */
const REWRITES: [string, string][] = [
  ['_TLS_', '_'],
  ['_CA_FILE_', '_CERTIFICATE_'],
  ['_CERT_FILE_', '_CLIENT_CERTIFICATE_'],
  ['_KEY_FILE_', '_CLIENT_KEY_'],
  ['_KEY_CHAIN_', '_CERTIFICATE_'],
  ['_CA_CERTIFICATE_', '_CERTIFICATE_'],
  ['_CA_CERT_', '_CERTIFICATE_'],
  ['_CA_', '_CERTIFICATE_'],
  ['_TRACE_', '_TRACES_'],
  ['_SPAN_', '_TRACES_'],
  ['_SPANS_', '_TRACES_'],
  ['_METRIC_', '_METRICS_'],
  ['_LOG_', '_LOGS_'],
  ['_CERT_', '_CERTIFICATE_'],
  ['_CERTS_', '_CERTIFICATE_'],
  ['_CRT_', '_CERTIFICATE_'],
  ['_CERTIFICATES_', '_CERTIFICATE_'],
  ['_HEADER_', '_HEADERS_'],
  ['_URL_', '_ENDPOINT_'],
  ['_PROTO_', '_PROTOCOL_'],
  ['_CLIENT_CLIENT_', '_CLIENT_'],
];

/** The known variables an unknown name likely means, best first (at most 3). */
export function suggestVariables(name: string): string[] {
  if (name.startsWith(OTLP_PREFIX)) {
    let rest = `_${name.slice(OTLP_PREFIX.length)}_`;
    for (const [from, to] of REWRITES) if (rest.includes(from)) rest = rest.split(from).join(to);
    const rewritten = `${OTLP_PREFIX}${rest.slice(1, -1)}`;
    if (rewritten !== name && knownEnvVariables.includes(rewritten)) return [rewritten];
  }
  const limit = name.startsWith(OTLP_PREFIX) ? 3 : 2;
  let best = Infinity;
  let found: { known: string; order: number }[] = [];
  // The edit distance is at least the difference in length, so only names within `limit` of its length are
  // measured (a 2 MB env file of 44,000 unknown names spent 1.1 s measuring all of them, issue 15's fuzzer).
  // And at least half the difference of their letter counts (a substitution changes two counts by one, an
  // insertion or deletion one): a cheap bound that spares most distances (40,000 unknown names measured 1.2
  // million distances per validation, 3 s, issue 15's fuzzer).
  const counts = letterCounts(name);
  for (let length = name.length - limit; length <= name.length + limit; length++) {
    for (const { known, order, counts: knownCounts } of KNOWN_BY_LENGTH.get(length) ?? []) {
      if (countDifference(counts, knownCounts, 2 * Math.min(limit, best)) > 2 * Math.min(limit, best)) continue;
      const d = distance(name, known);
      if (d > limit || d > best) continue;
      if (d < best) [best, found] = [d, []];
      found.push({ known, order });
    }
  }
  // In the schema's order, as before.
  return found.sort((a, b) => a.order - b.order).slice(0, 3).map((f) => f.known);
}

/** How often each character occurs in `name`: A-Z, a-z, 0-9 and `_` each, all others in one count. */
function letterCounts(name: string): Uint16Array {
  const counts = new Uint16Array(64);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const slot = c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 97 + 26 : c >= 48 && c <= 57 ? c - 48 + 52 : c === 95 ? 62 : 63;
    counts[slot] = Math.min(65535, counts[slot] + 1);
  }
  return counts;
}

/** The sum of the differences of the counts, or a number past `max` as soon as it is past it. */
function countDifference(a: Uint16Array, b: Uint16Array, max: number): number {
  let sum = 0;
  for (let i = 0; i < 64 && sum <= max; i++) sum += Math.abs(a[i] - b[i]);
  return sum;
}

/** The known names by length, in the schema's order, with their letter counts (a constant, as knownEnvVariables). */
const KNOWN_BY_LENGTH: ReadonlyMap<number, readonly { known: string; order: number; counts: Uint16Array }[]> = (() => {
  const byLength = new Map<number, { known: string; order: number; counts: Uint16Array }[]>();
  knownEnvVariables.forEach((known, order) => byLength.set(known.length, [...(byLength.get(known.length) ?? []), { known, order, counts: letterCounts(known) }]));
  return byLength;
})();

// ---------------------------------------------------------------------------------------------
// The declarative configuration file

/** The schema's errors for a declarative config (after substitution), all of them. */
export function declarativeErrors(instance: unknown): ErrorObject[] {
  compiled.declarative ??= new Ajv2020({ ...AJV_OPTIONS, verbose: true }).compile(declarativeSchema);
  return compiled.declarative(instance) ? [] : (compiled.declarative.errors ?? []);
}

/** The `$defs` name of the schema an error was found in (its parent schema, ajv `verbose`). */
export function declarativeDefOf(error: ErrorObject): string | undefined {
  const defs = (declarativeSchema as { $defs: Record<string, unknown> }).$defs;
  return Object.keys(defs).find((name) => defs[name] === error.parentSchema);
}

/** The keys the schema allows where an `additionalProperties` error was found (the error's parent schema, ajv `verbose`). */
export function declarativeKeysAt(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}

// ---------------------------------------------------------------------------------------------
// .otlp-tls.yaml (the project configuration file)

/** A node of otlp-tls-config.schema.json, as far as the walk below needs it. */
interface ConfigSchemaNode {
  type?: string | string[];
  description?: string;
  enum?: string[];
  $ref?: string;
  oneOf?: ConfigSchemaNode[];
  properties?: Record<string, ConfigSchemaNode>;
  additionalProperties?: boolean | ConfigSchemaNode;
  items?: ConfigSchemaNode;
}

const configRoot = projectConfigSchema as unknown as ConfigSchemaNode & { $defs: Record<string, ConfigSchemaNode> };

/** The schema's errors for a parsed `.otlp-tls.yaml` (ajv, all errors). */
export function projectConfigErrors(instance: unknown): ErrorObject[] {
  compiled.projectConfig ??= new Ajv(AJV_OPTIONS).compile(projectConfigSchema);
  return compiled.projectConfig(instance) ? [] : (compiled.projectConfig.errors ?? []);
}

function resolveConfigRef(node: ConfigSchemaNode | undefined): ConfigSchemaNode | undefined {
  let current = node;
  for (let i = 0; current?.$ref && i < 5; i++) current = configRoot.$defs[current.$ref.replace('#/$defs/', '')];
  return current;
}

/**
 * The schema of the value at `path` (keys from the top of the file): a named property, else the
 * mapping's `additionalProperties`, following `$ref` and the mapping branch of a `oneOf`.
 */
function configSchemaAt(path: readonly string[]): ConfigSchemaNode | undefined {
  let node: ConfigSchemaNode | undefined = configRoot;
  for (const key of path) {
    const current = resolveConfigRef(node);
    const mapping: ConfigSchemaNode | undefined = current?.oneOf?.map(resolveConfigRef).find((s) => s?.type === 'object') ?? current;
    const next: ConfigSchemaNode | undefined = mapping?.properties?.[key] ?? (typeof mapping?.additionalProperties === 'object' ? mapping.additionalProperties : undefined);
    if (!next) return undefined;
    node = next;
  }
  return node;
}

/** The keys the mapping at `path` names in the schema (top-level keys, the codes under `severity`). */
export function projectConfigKeys(path: readonly string[]): string[] {
  const node = resolveConfigRef(configSchemaAt(path));
  const mapping = node?.oneOf?.map(resolveConfigRef).find((s) => s?.type === 'object') ?? node;
  return Object.keys(mapping?.properties ?? {});
}

/** The description of the key at `path` (hover, completion); for a value of a `$ref`, the referenced definition's. */
export function projectConfigDescription(path: readonly string[]): string | undefined {
  const node = configSchemaAt(path);
  return node?.description ?? resolveConfigRef(node)?.description;
}

/** The values a scalar at `path` takes (an enum, or the enum of a `oneOf` branch): SDK ids, severity levels. */
export function projectConfigValues(path: readonly string[]): string[] {
  const node = resolveConfigRef(configSchemaAt(path));
  const scalar = node?.enum ? node : node?.oneOf?.map(resolveConfigRef).find((s) => s?.enum);
  return scalar?.enum ?? [];
}

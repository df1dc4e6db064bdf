/**
 * `.otlp-tls.yaml`, the project configuration file: its text → a ProjectConfig and the problems of the
 * file itself (yaml-syntax, unknown-key with did-you-mean, invalid-value), from
 * schemas/otlp-tls-config.schema.json (ajv, through ../schemas.ts). What is wrong is reported and left
 * out; the rest of the file still applies. Pure: the caller reads the file (projectConfigs.ts).
 *
 * ```yaml
 * pathMappings: { /etc/otel/certs: certs }     # relative folders: from this file's folder
 * environment: { OTEL_COLLECTOR_HOST: otel-collector.observability.svc }
 * sdk: { services/checkout: java, "**\/*.py.env": python }   # or one id: sdk: python
 * severity: { mtls-not-enforced: off, weak-tls-version: error }
 * ignore: [test/fixtures/**]
 * expiryWarningDays: 14
 * ```
 */
import { distance } from 'fastest-levenshtein';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import { composeYaml, limitLength, limitMessage } from '../yaml/yamlCompose';
import { isDiagnosticCode, type DiagnosticCode, type Severity } from '../diagnosticCodes';
import type { Problem } from '../languageTypes';
import { SDK_IDS, type SdkId } from '../sdk/sdks';
import { mappedPrefix, type PathMapping } from '../settings';
import { projectConfigErrors, projectConfigKeys, projectConfigValues } from '../schemas';
import { pathPattern, type PathPattern } from './pathPatterns';

export const PROJECT_CONFIG_FILE = '.otlp-tls.yaml';

/** Whether `path` names a project configuration file. */
export function isProjectConfigPath(path: string): boolean {
  return /(^|[\\/])\.otlp-tls\.yaml$/.test(path);
}

/** A severity override: a severity, or `off` to drop the diagnostic. */
export type SeverityLevel = Exclude<Severity, 'hint'> | 'off';

/** The SDK of the files a pattern matches (`pattern` undefined: every file under the folder). */
export interface SdkRule {
  pattern?: PathPattern;
  sdk: SdkId | 'any';
}

export interface ProjectConfig {
  /** Absolute path of the file. */
  path: string;
  /** Its folder: patterns and relative folders are taken from here. */
  folder: string;
  /** Absolute `to`, normalised `from` (as settings.pathMapping makes them). */
  pathMappings: PathMapping[];
  environment: Record<string, string>;
  /** In file order; the last rule that matches a file wins. */
  sdk: SdkRule[];
  severity: Partial<Record<DiagnosticCode, SeverityLevel>>;
  ignore: PathPattern[];
  expiryWarningDays?: number;
}

export interface ParsedProjectConfig {
  config: ProjectConfig;
  /** Problems of the file itself, in file offsets. */
  problems: Problem[];
}

export function parseProjectConfig(path: string, text: string): ParsedProjectConfig {
  const folder = dirname(path);
  const config: ProjectConfig = { path, folder, pathMappings: [], environment: {}, sdk: [], severity: {}, ignore: [] };
  // Duplicate keys are found below in linear time (the yaml library's uniqueKeys check is quadratic).
  // Nesting and size bounded before the library composes it (../yaml/yamlCompose.ts).
  const { doc, limits } = composeYaml(text, { yaml: { keepSourceTokens: false, prettyErrors: false }, duplicateKeys: false });
  const problems: Problem[] = limits.map((limit) => ({ code: 'limit-exceeded' as const, offset: limit.offset, length: limitLength(text, limit), message: limitMessage(limit), severity: 'warning' as const }));
  for (const error of [...doc.errors, ...doc.warnings]) {
    const [start, end] = error.pos;
    problems.push({ code: 'yaml-syntax', offset: start, length: Math.max(1, end - start), message: error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, ''), severity: error.name === 'YAMLWarning' ? 'warning' : 'error' });
  }
  problems.push(...duplicateKeys(doc.contents));
  if (problems.some((p) => p.severity !== 'warning')) return { config, problems };
  const root = doc.contents;
  let instance: unknown;
  try {
    instance = root === null ? {} : doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias bomb: the yaml library stops expanding it.
    problems.push({ code: 'yaml-syntax', offset: 0, length: 0, message: `This file cannot be read as a configuration: ${(error as Error).message}.` });
    return { config, problems };
  }
  problems.push(...schemaProblems(doc, instance));
  if (!isMap(root)) return { config, problems };

  for (const pair of root.items) {
    const key = keyOf(pair);
    const value = pair.value as Node | null;
    if (key === 'pathMappings' && isMap(value)) {
      for (const entry of value.items) {
        const from = keyOf(entry);
        const to = isScalar(entry.value) && typeof entry.value.value === 'string' ? entry.value.value : undefined;
        if (from && to) config.pathMappings.push({ from: mappedPrefix(from), to: isAbsolute(to) ? to : resolve(folder, to) });
      }
    } else if (key === 'environment' && isMap(value)) {
      for (const entry of value.items) {
        const name = keyOf(entry);
        const scalar = isScalar(entry.value) ? entry.value : undefined;
        const written = scalar && ['string', 'number', 'boolean'].includes(typeof scalar.value) ? scalarSource(scalar, text) : undefined;
        if (name && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && written !== undefined) config.environment[name] = written;
      }
    } else if (key === 'sdk') {
      if (isScalar(value) && isSdkValue(value.value)) config.sdk.push({ sdk: value.value });
      else if (isMap(value)) {
        for (const entry of value.items) {
          const pattern = keyOf(entry);
          const sdk = isScalar(entry.value) ? entry.value.value : undefined;
          if (pattern && isSdkValue(sdk)) config.sdk.push({ pattern: pathPattern(pattern), sdk });
        }
      }
    } else if (key === 'severity' && isMap(value)) {
      for (const entry of value.items) {
        const code = keyOf(entry);
        const level = isScalar(entry.value) ? entry.value.value : undefined;
        if (isDiagnosticCode(code) && isLevel(level)) config.severity[code] = level;
      }
    } else if (key === 'ignore' && isSeq(value)) {
      for (const item of value.items) if (isScalar(item) && typeof item.value === 'string' && item.value.trim()) config.ignore.push(pathPattern(item.value));
    } else if (key === 'expiryWarningDays' && isScalar(value) && Number.isInteger(value.value) && (value.value as number) >= 0) {
      config.expiryWarningDays = value.value as number;
    }
  }
  return { config, problems };
}

/** `yaml-syntax` on the second and later occurrences of a key in each mapping (aliases are not followed). */
function duplicateKeys(root: unknown): Problem[] {
  const problems: Problem[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > 64) continue;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = keyOf(pair);
        if (key !== undefined && seen.has(key)) {
          const range = (pair.key as Node).range!;
          problems.push({ code: 'yaml-syntax', offset: range[0], length: Math.max(1, range[1] - range[0]), message: 'Map keys must be unique' });
        }
        if (key !== undefined) seen.add(key);
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else if (isSeq(node)) for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
  }
  return problems.sort((a, b) => a.offset - b.offset);
}

const LEVELS: readonly string[] = ['off', 'information', 'warning', 'error'];
const isLevel = (value: unknown): value is SeverityLevel => typeof value === 'string' && LEVELS.includes(value);
const isSdkValue = (value: unknown): value is SdkId | 'any' => value === 'any' || (SDK_IDS as readonly unknown[]).includes(value);

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) && pair.key.value !== null && typeof pair.key.value !== 'object' ? String(pair.key.value) : undefined;
}

/** A number or boolean as written (`4317`, `1.10`), a string as it reads. */
function scalarSource(scalar: Node, text: string): string {
  const value = (scalar as { value: unknown }).value;
  if (typeof value === 'string' || !scalar.range) return String(value);
  return text.slice(scalar.range[0], scalar.range[1]).trim();
}

// ---------------------------------------------------------------------------------------------
// Schema errors → problems on the key or value they are about

/** The key and value nodes at an ajv instance path (`/severity/san-mismatch`). */
function nodesAt(doc: Document, instancePath: string): { key?: Node; value?: Node | null } {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let key: Node | undefined;
  let value = doc.contents as Node | null;
  for (const part of parts) {
    if (isMap(value)) {
      const pair = value.items.find((item) => keyOf(item) === part);
      if (!pair) return {};
      key = pair.key as Node;
      value = pair.value as Node | null;
    } else if (isSeq(value)) {
      key = undefined;
      value = value.items[Number(part)] as Node | null;
    } else return {};
  }
  return { key, value };
}

function span(node: Node | null | undefined, fallback: Node | null | undefined): { offset: number; length: number } {
  const range = node?.range ?? fallback?.range;
  return range ? { offset: range[0], length: Math.max(1, range[1] - range[0]) } : { offset: 0, length: 0 };
}


function schemaProblems(doc: Document, instance: unknown): Problem[] {
  const problems = new Map<string, Problem>();
  const add = (path: string, problem: Problem) => {
    if (!problems.has(path)) problems.set(path, problem);
  };
  const all = projectConfigErrors(instance);
  // Where a value fails a oneOf (sdk: an id or a mapping), the errors of the branch it was not meant
  // for say nothing useful: keep the errors inside the value, or else the oneOf's own message.
  const oneOfPaths = new Set(all.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const errors = all.filter((e) => !oneOfPaths.has(e.instancePath) || (e.keyword === 'oneOf' && !all.some((d) => d.instancePath.startsWith(e.instancePath + '/'))));
  for (const error of errors) {
    const path = error.instancePath;
    const segments = path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const { key, value } = nodesAt(doc, path);
    const written = isScalar(value) ? String(value.value) : undefined;
    switch (error.keyword) {
      case 'additionalProperties': {
        const name = String((error.params as { additionalProperty: string }).additionalProperty);
        const pair = nodesAt(doc, `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        const known = projectConfigKeys(segments);
        const suggestions = closest(name, known);
        const where = path === '' ? '.otlp-tls.yaml' : path === '/severity' ? 'severity (not a diagnostic code)' : segments.join('.');
        const hint = suggestions.length ? ` Did you mean "${suggestions[0]}"?` : path === '/severity' ? ' The codes are listed in docs/diagnostics.md.' : ` Known keys: ${known.join(', ')}.`;
        add(`${path}/${name}`, { code: 'unknown-key', ...span(pair.key, pair.value), message: `Unknown key "${name}" in ${where}.${hint}` });
        break;
      }
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const suggestions = written === undefined ? [] : closest(written, allowed);
        add(path, { code: 'invalid-value', ...span(value, key), message: `${label(segments)} must be one of ${allowed.join(', ')}${written === undefined ? '' : `, not "${written}"`}.${suggestions.length ? ` Did you mean "${suggestions[0]}"?` : ''}` });
        break;
      }
      case 'type': {
        const type = [(error.params as { type: string | string[] }).type].flat();
        add(path, { code: 'invalid-value', ...span(value, key), message: `${label(segments)} must be ${type.map(typeName).join(' or ')}.` });
        break;
      }
      case 'pattern':
        if (error.propertyName !== undefined) {
          const pair = nodesAt(doc, `${path}/${error.propertyName.replace(/~/g, '~0').replace(/\//g, '~1')}`);
          add(`${path}/${error.propertyName}`, { code: 'invalid-value', ...span(pair.key, pair.value), message: `"${error.propertyName}" is not an environment variable name (letters, digits and _, not starting with a digit).` });
        }
        break;
      case 'propertyNames':
        // Reported by its `pattern` error, on the name.
        break;
      case 'oneOf': {
        const ids = projectConfigValues(segments);
        const suggestions = written === undefined ? [] : closest(written, ids);
        add(path, { code: 'invalid-value', ...span(value, key), message: `${label(segments)} must be an SDK id (${ids.join(', ')}) or a mapping from folders or globs to SDK ids${written === undefined ? '' : `, not "${written}"`}.${suggestions.length ? ` Did you mean "${suggestions[0]}"?` : ''}` });
        break;
      }
      default:
        add(path, { code: 'invalid-value', ...span(value, key), message: `${label(segments)} ${error.message ?? 'is not valid'}.` });
    }
  }
  return [...problems.values()].sort((a, b) => a.offset - b.offset);
}

function label(segments: string[]): string {
  return segments.length ? segments.join('.') : 'The file';
}

function typeName(type: string): string {
  return { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'empty' }[type] ?? type;
}

/** The known names closest to `name` (edit distance up to a third of its length, at least 2), best first. */
function closest(name: string, known: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return known
    .map((candidate) => ({ candidate, d: distance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

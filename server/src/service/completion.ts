/**
 * Completion, from the text around the cursor (the line being typed is often not valid YAML yet)
 * and the parsed model for the block's role:
 * - collector: the keys of a `tls:` block by role (server, client, either, telemetry exporter),
 *   enum values (TLS versions quoted, cipher suites, curves, booleans, telemetry protocol/compression);
 * - env files: `OTEL_*` names, and the allowed values of enum variables (protocol, compression...).
 */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from 'vscode-languageserver-types';
import schema from '../../../schemas/collector-tls.schema.json';
import { envVariableSchema, knownEnvVariables } from './checks/envVariables';
import { schemaDescription, schemaKeys } from './checks/tlsSchema';
import type { TlsBlock, TlsSchemaDef } from './documents/collectorConfig';
import type { FeatureContext } from './features';

type PropertySchema = { type?: string; enum?: unknown[]; $ref?: string; oneOf?: PropertySchema[]; items?: PropertySchema; description?: string; default?: unknown };
const defs = (schema as unknown as { $defs: Record<string, PropertySchema & { properties?: Record<string, PropertySchema> }> }).$defs;

export function completion(context: FeatureContext, position: Position): CompletionItem[] {
  const { document, parsed } = context;
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  const prefix = document.getText().slice(lineStart, document.offsetAt(position));
  if (parsed.kind === 'env') return envCompletion(prefix, position);
  if (parsed.kind === 'collector') return collectorCompletion(context, prefix, position);
  return [];
}

// ---------------------------------------------------------------------------------------------
// Env files

function envCompletion(prefix: string, position: Position): CompletionItem[] {
  const name = /^\s*(?:export\s+)?([A-Za-z0-9_]*)$/.exec(prefix);
  if (name) {
    const range = typedRange(position, name[1].length);
    return knownEnvVariables.map((variable) => {
      const schema = envVariableSchema(variable)!;
      return {
        label: variable,
        kind: CompletionItemKind.Variable,
        documentation: { kind: 'markdown', value: schema.description },
        textEdit: { range, newText: `${variable}=` },
        sortText: (variable.startsWith('OTEL_EXPORTER_OTLP_') ? '0' : '1') + variable,
      };
    });
  }
  const value = /^\s*(?:export\s+)?(OTEL_[A-Za-z0-9_]*)\s*=\s*["']?([^"'\s]*)$/.exec(prefix);
  if (!value) return [];
  const schema = envVariableSchema(value[1]);
  if (!schema) return [];
  let typed = value[2];
  let values = schema.enum ?? [];
  if (schema['x-format'] === 'list') {
    typed = typed.slice(typed.lastIndexOf(',') + 1);
    values = schema['x-values'] ?? [];
  }
  const range = typedRange(position, typed.length);
  return values.map((v, i) => ({ label: v, kind: CompletionItemKind.EnumMember, textEdit: { range, newText: v }, sortText: String(i).padStart(3, '0') }));
}

// ---------------------------------------------------------------------------------------------
// Collector configs

function collectorCompletion(context: FeatureContext, prefix: string, position: Position): CompletionItem[] {
  const lines = context.document.getText().split('\n');
  const keyTyped = /^(\s*)([A-Za-z_]*)$/.exec(prefix);
  if (keyTyped) {
    const block = blockForLine(context, lines, position.line, keyTyped[1].length);
    if (!block) return [];
    const present = new Set(block.entries.filter((e) => e.keyNode.range && lineOf(context, e.keyNode.range[0]) !== position.line).map((e) => e.key));
    const range = typedRange(position, keyTyped[2].length);
    return schemaKeys(block.schema)
      .filter((key) => !present.has(key))
      .map((key) => ({
        label: key,
        kind: CompletionItemKind.Property,
        detail: block.role === 'telemetry' ? 'telemetry exporter' : `TLS ${block.role}`,
        documentation: { kind: 'markdown', value: schemaDescription(block.schema, key) ?? '' },
        textEdit: { range, newText: `${key}: ` },
        sortText: (key.endsWith('_file') || key === 'min_version' ? '0' : '1') + key,
      }));
  }
  const keyValue = /^(\s*)([A-Za-z_]+):\s*(["']?)([^"'\s]*)$/.exec(prefix);
  if (keyValue) {
    const block = blockForLine(context, lines, position.line, keyValue[1].length);
    return block ? valueItems(block.schema, keyValue[2], !!keyValue[3], position, keyValue[4].length) : [];
  }
  const item = /^(\s*)-\s*(["']?)([^"'\s]*)$/.exec(prefix);
  if (item) {
    // A list item: its key is the nearest line above, at the dash's indentation or less, that ends in `key:`.
    const dash = item[1].length;
    for (let line = position.line - 1; line >= 0; line--) {
      const text = lines[line];
      if (!text.trim() || text.trim().startsWith('#') || text.trim().startsWith('-')) continue;
      const owner = /^(\s*)([A-Za-z_]+):\s*(#.*)?$/.exec(text);
      if (!owner || owner[1].length > dash) return [];
      const block = blockForLine(context, lines, line, owner[1].length);
      return block ? valueItems(block.schema, owner[2], !!item[2], position, item[3].length, true) : [];
    }
  }
  return [];
}

function valueItems(def: TlsSchemaDef, key: string, quoted: boolean, position: Position, typed: number, listItem = false): CompletionItem[] {
  const property = defs[def]?.properties?.[key];
  if (!property) return [];
  const resolved = resolveRef(property);
  let values: string[] = [];
  if (listItem || resolved.oneOf) {
    const array = resolved.oneOf?.find((s) => s.type === 'array') ?? resolved;
    values = (array.items ? resolveRef(array.items).enum ?? [] : []).map(String);
    if (!listItem) return []; // a list key: items go on the next lines
  } else if (resolved.enum) {
    values = resolved.enum.map(String);
  } else if (resolved.type === 'boolean') {
    values = ['true', 'false'];
  }
  const isVersion = key === 'min_version' || key === 'max_version';
  const range = typedRange(position, typed);
  return values.map((value, i) => {
    const weak = isVersion && (value === '1.0' || value === '1.1');
    return {
      label: isVersion ? `"${value}"` : value,
      kind: CompletionItemKind.EnumMember,
      textEdit: { range, newText: isVersion && !quoted ? `"${value}"` : value },
      filterText: value,
      insertTextFormat: InsertTextFormat.PlainText,
      sortText: `${weak ? '1' : '0'}${String(i).padStart(3, '0')}`,
      ...(weak ? { detail: 'deprecated (RFC 8996)', tags: [1] } : {}),
    } satisfies CompletionItem;
  });
}

function resolveRef(property: PropertySchema): PropertySchema {
  let current = property;
  for (let i = 0; current.$ref && i < 5; i++) current = defs[current.$ref.replace('#/$defs/', '')] ?? {};
  return current;
}

/**
 * The TLS block whose keys sit at `indent` below the nearest line above `line` with less indentation:
 * the block whose `tls:` key is on that line, or one of whose written keys are its siblings.
 */
function blockForLine(context: FeatureContext, lines: string[], line: number, indent: number): TlsBlock | undefined {
  if (context.parsed.kind !== 'collector') return undefined;
  const parent = parentLine(lines, line, indent);
  if (parent < 0) return undefined;
  for (const block of context.parsed.model.tlsBlocks) {
    if (block.keyNode?.range && lineOf(context, block.keyNode.range[0]) === parent) return block;
  }
  for (const block of context.parsed.model.tlsBlocks) {
    for (const entry of block.entries) {
      if (entry.merged || !entry.keyNode.range) continue;
      const at = context.document.positionAt(entry.keyNode.range[0]);
      if (at.character === indent && parentLine(lines, at.line, indent) === parent) return block;
    }
  }
  return undefined;
}

function parentLine(lines: string[], line: number, indent: number): number {
  for (let l = line - 1; l >= 0; l--) {
    const text = lines[l];
    const trimmed = text.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    if (text.length - text.trimStart().length < indent) return l;
  }
  return -1;
}

function lineOf(context: FeatureContext, offset: number): number {
  return context.document.positionAt(offset).line;
}

function typedRange(position: Position, typed: number) {
  return { start: { line: position.line, character: position.character - typed }, end: position };
}

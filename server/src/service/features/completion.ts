/**
 * Completion, from the text around the cursor (the line being typed is often not valid YAML yet)
 * and the parsed model for the block's role:
 * - collector: the keys of a `tls:` block by role (server, client, either, telemetry exporter),
 *   enum values (TLS versions quoted, cipher suites, curves, booleans, telemetry protocol/compression);
 * - env files: `OTEL_*` names, and the allowed values of enum variables (protocol, compression...),
 *   and the SDK ids after `# otlp-tls: sdk=`;
 * - file paths for every certificate or key setting (`*_file`, the telemetry exporters' `certificate`,
 *   `client_certificate`, `client_key`, the env CERTIFICATE / CLIENT_CERTIFICATE / CLIENT_KEY): files
 *   under the document's folder and the workspace roots (bounded), relative to the document,
 *   PEM-looking files first (`.key` first for keys), nearer files before farther ones.
 */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from 'vscode-languageserver-types';
import { SDK_IDS, SDKS } from '../sdk/sdks';
import { envVariableSchema, knownEnvVariables, schemaDescription, schemaKeys, schemaValues } from '../schemas';
import type { TlsBlock, TlsSchemaDef } from '../model/collector';
import type { CollectorUnit } from '../model/units';
import type { FeatureContext } from './featureContext';
import { collectorPathKind, envFileVariable, type PathKind } from '../certificates/certificatePaths';
import { findFiles, pathFrom, searchFolders, type SearchLimits } from '../workspaceSearch';

export function completion(context: FeatureContext, position: Position): CompletionItem[] {
  const { document, parsed } = context;
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  const prefix = document.getText().slice(lineStart, document.offsetAt(position));
  if (parsed.apps.length > 0 && (parsed.source === 'envFile' || parsed.source === undefined)) return envCompletion(context, prefix, position);
  if (parsed.collectors.length > 0) return collectorCompletion(context, parsed.collectors, prefix, position);
  return [];
}

// ---------------------------------------------------------------------------------------------
// Env files

function envCompletion(context: FeatureContext, prefix: string, position: Position): CompletionItem[] {
  const sdk = /^\s*#\s*otlp-tls:\s*sdk\s*=\s*([A-Za-z-]*)$/.exec(prefix);
  if (sdk) {
    const range = typedRange(position, sdk[1].length);
    return SDK_IDS.map((id, i) => ({
      label: id,
      kind: CompletionItemKind.EnumMember,
      detail: SDKS[id].label,
      documentation: `Defaults to ${SDKS[id].defaultProtocol} and ${SDKS[id].defaultScheme}://localhost.`,
      textEdit: { range, newText: id },
      sortText: String(i).padStart(3, '0'),
    }));
  }
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
  const file = envFileVariable(value[1]);
  if (file) return pathItems(context, file.kind, value[2], position);
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

function collectorCompletion(context: FeatureContext, units: CollectorUnit[], prefix: string, position: Position): CompletionItem[] {
  // Lines as TextDocument counts them (LF, CRLF or a lone CR): positions index this array.
  const lines = context.document.getText().split(/\r\n|\r|\n/);
  const blockAt = (line: number, indent: number) => blockForLine(context, units, lines, line, indent);
  const keyTyped = /^(\s*)([A-Za-z_]*)$/.exec(prefix);
  if (keyTyped) {
    const found = blockAt(position.line, keyTyped[1].length);
    if (!found) return [];
    const { block, unit } = found;
    const present = new Set(block.entries.filter((e) => e.keyNode.range && lineOf(context, unit, e.keyNode.range[0]) !== position.line).map((e) => e.key));
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
    const block = blockAt(position.line, keyValue[1].length)?.block;
    if (!block) return [];
    const pathKind = collectorPathKind(block.role, keyValue[2]);
    if (pathKind) return pathItems(context, pathKind, keyValue[4], position);
    return valueItems(block.schema, keyValue[2], !!keyValue[3], position, keyValue[4].length);
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
      const block = blockAt(line, owner[1].length)?.block;
      return block ? valueItems(block.schema, owner[2], !!item[2], position, item[3].length, true) : [];
    }
  }
  return [];
}

function valueItems(def: TlsSchemaDef, key: string, quoted: boolean, position: Position, typed: number, listItem = false): CompletionItem[] {
  const values = schemaValues(def, key, listItem) ?? [];
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

// ---------------------------------------------------------------------------------------------
// File paths

/** Completion walks fewer entries than a quick fix: it runs as the user types. */
const PATH_SEARCH_LIMITS: SearchLimits = { maxEntries: 3000, maxFiles: 1000, maxDepth: 6 };
const MAX_PATH_ITEMS = 300;

/**
 * How likely a file is what a setting of `kind` wants (0 first): certificates and CAs want
 * `.crt`/`.pem`/`.cer`, then `.key`; keys want `.key` (and `*key*.pem`), then other PEM files.
 */
function pathRank(kind: PathKind, name: string): number {
  const ext = /\.([^.]+)$/.exec(name)?.[1].toLowerCase() ?? '';
  const keyName = ext === 'key' || (ext === 'pem' && /key/i.test(name));
  if (kind === 'key') return keyName ? 0 : ext === 'pem' ? 1 : ext === 'crt' || ext === 'cer' ? 2 : 3;
  if (ext === 'crt' || ext === 'cer' || (ext === 'pem' && !keyName)) return 0;
  return keyName ? 1 : 3;
}

function pathItems(context: FeatureContext, kind: PathKind, typed: string, position: Position): CompletionItem[] {
  const files = findFiles(context.runtime, searchFolders(context.path, context.settings.workspaceRoots), (_, path) => path !== context.path, PATH_SEARCH_LIMITS);
  const range = typedRange(position, typed.length);
  const absolute = typed.startsWith('/');
  const dotSlash = typed.startsWith('./') ? './' : '';
  const items = files.map((path, index) => {
    const label = absolute ? path.replace(/\\/g, '/') : dotSlash + pathFrom(context.path, path);
    const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    const rank = pathRank(kind, name);
    return {
      label,
      kind: CompletionItemKind.File,
      textEdit: { range, newText: label },
      sortText: `${rank}${String(index).padStart(5, '0')}`,
    } satisfies CompletionItem;
  });
  return items.sort((a, b) => a.sortText.localeCompare(b.sortText)).slice(0, MAX_PATH_ITEMS);
}

/**
 * The TLS block whose keys sit at `indent` below the nearest line above `line` with less indentation:
 * the block whose `tls:` key is on that line, or one of whose written keys are its siblings.
 */
function blockForLine(context: FeatureContext, units: CollectorUnit[], lines: string[], line: number, indent: number): { block: TlsBlock; unit: CollectorUnit } | undefined {
  const parent = parentLine(lines, line, indent);
  if (parent < 0) return undefined;
  for (const unit of units) {
    for (const block of unit.model.tlsBlocks) {
      if (block.keyNode?.range && lineOf(context, unit, block.keyNode.range[0]) === parent) return { block, unit };
    }
  }
  for (const unit of units) {
    for (const block of unit.model.tlsBlocks) {
      for (const entry of block.entries) {
        if (entry.merged || !entry.keyNode.range) continue;
        const at = context.document.positionAt(unit.offsets.toFile(entry.keyNode.range[0]));
        if (at.character === indent && parentLine(lines, at.line, indent) === parent) return { block, unit };
      }
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

/** The line (in the document) of a unit offset. */
function lineOf(context: FeatureContext, unit: CollectorUnit, offset: number): number {
  return context.document.positionAt(unit.offsets.toFile(offset)).line;
}

function typedRange(position: Position, typed: number) {
  return { start: { line: position.line, character: position.character - typed }, end: position };
}

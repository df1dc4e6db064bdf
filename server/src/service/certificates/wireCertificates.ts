/**
 * After `Generate Development Certificates`: the edits that point an open collector config or env
 * file at the new files. Receivers get the server certificate and key (and client_ca_file when
 * client certificates were made); OTLP exporters whose endpoint host the new server certificate
 * covers get the CA (and the client pair); env files get OTEL_EXPORTER_OTLP_CERTIFICATE and the
 * client pair. Minimal text edits: comments and layout stay as written.
 */
import { isMap, isScalar } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { addToMappingEdit, unitEditor, yamlValue, type UnitEditor } from '../codeActions/edits';
import type { TlsBlock } from '../model/collector';
import { hostOf } from '../model/endpoint';
import { readEntry } from '../model/tlsValues';
import type { AppUnit, CollectorUnit, ParsedFile } from '../model/units';
import { envValueText } from '../sources/envFile';
import { getEntry, nodeSpan, type AnyNode } from '../yaml/yamlNodes';
import { envFileVariable, envFileVariableName, type EnvFileOption } from './certificatePaths';

/** The generated files, as the paths to write into configs (already relative where wanted). */
export interface GeneratedPaths {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert?: string;
  clientKey?: string;
  /** The hosts the server certificate was issued for. */
  hosts: string[];
}

export function wireCertificateEdits(document: TextDocument, parsed: ParsedFile, paths: GeneratedPaths, getEnv: (name: string) => string | undefined, shell = false): TextEdit[] {
  return [...parsed.collectors.flatMap((unit) => collectorEdits(unitEditor(document, unit), unit, paths, getEnv)), ...(parsed.source === 'envFile' ? parsed.apps : []).flatMap((unit) => appEdits(unitEditor(document, unit), unit, paths, shell))];
}

function collectorEdits(editor: UnitEditor, unit: CollectorUnit, paths: GeneratedPaths, getEnv: (name: string) => string | undefined): TextEdit[] {
  const { model } = unit;
  const edits: TextEdit[] = [];
  const server: [string, string][] = [['cert_file', paths.serverCert], ['key_file', paths.serverKey]];
  if (paths.clientCert) server.push(['client_ca_file', paths.ca]);
  const client: [string, string][] = [['ca_file', paths.ca]];
  if (paths.clientCert && paths.clientKey) client.push(['cert_file', paths.clientCert], ['key_file', paths.clientKey]);

  for (const listener of model.listeners) {
    if (listener.component.section !== 'receivers' || listener.protocol === 'other') {
      if (listener.tls) edits.push(...setKeys(editor, listener.tls, server));
      continue;
    }
    const protocolPath = ['protocols', listener.protocol];
    const block = model.tlsBlocks.find((b) => b.component === listener.component && b.path.join('.') === [...protocolPath, 'tls'].join('.'));
    if (block) {
      edits.push(...setKeys(editor, block, server));
    } else {
      const protocol = getEntry(getEntry(listener.component.node, model.doc, 'protocols')?.value, model.doc, listener.protocol);
      if (protocol) edits.push(...addTlsBlock(editor, protocol.value, protocol.keyNode.range?.[0], server));
    }
  }
  for (const exporter of model.exporters) {
    const endpoint = exporter.endpoint && readEntry(exporter.endpoint, getEnv);
    const host = typeof endpoint?.known === 'string' ? hostOf(endpoint.known) : undefined;
    if (!host || !paths.hosts.some((h) => h.toLowerCase() === host.toLowerCase())) continue;
    if (exporter.tls) edits.push(...setKeys(editor, exporter.tls, client));
    else edits.push(...addTlsBlock(editor, exporter.component.node, exporter.component.keyNode.range?.[0], client));
  }
  return edits;
}

/** Replaces the values of keys the block has, and adds the others at the block's indentation. */
function setKeys(editor: UnitEditor, block: TlsBlock, values: [string, string][]): TextEdit[] {
  const edits: TextEdit[] = [];
  const missing: string[] = [];
  for (const [key, value] of values) {
    const entry = block.entries.find((e) => e.key === key && !e.merged);
    const span = entry && nodeSpan(entry.value);
    if (entry && span && isScalar(entry.value)) edits.push(editor.replace(span[0], span[1], yamlValue(value, entry.value)));
    else if (!entry) missing.push(`${key}: ${yamlValue(value)}`);
  }
  if (missing.length === 0) return edits;
  if (isMap(block.node) && block.node.flow) {
    if (block.node.items.length > 0) return edits; // a non-empty flow mapping is left as written
    const span = nodeSpan(block.node);
    const indent = ' '.repeat(indentOf(editor.text, block.keyNode?.range?.[0] ?? span![0]) + 2);
    if (span) edits.push(editor.replace(span[0], span[1], missing.map((l) => `\n${indent}${l}`).join('')));
    return edits;
  }
  const add = addToMappingEdit(editor, block.node, block.keyNode?.range?.[0], missing);
  if (add) edits.push(add);
  return edits;
}

/** Adds a `tls:` block to a mapping that has none (an OTLP protocol, an exporter). */
function addTlsBlock(editor: UnitEditor, mapping: AnyNode, keyOffset: number | undefined, values: [string, string][]): TextEdit[] {
  const empty = mapping === null || (isScalar(mapping) && mapping.value === null);
  if (!(isMap(mapping) && !mapping.flow) && !empty) return [];
  const lines = ['tls:', ...values.map(([key, value]) => `  ${key}: ${yamlValue(value)}`)];
  const edit = addToMappingEdit(editor, isMap(mapping) ? mapping : undefined, keyOffset, lines);
  return edit ? [edit] : [];
}

/** App settings: the values of the certificate settings replaced, the generic ones that are missing added at the end. */
function appEdits(editor: UnitEditor, unit: AppUnit, paths: GeneratedPaths, shell: boolean): TextEdit[] {
  const wanted: Record<EnvFileOption, string | undefined> = { CERTIFICATE: paths.ca, CLIENT_CERTIFICATE: paths.clientCert, CLIENT_KEY: paths.clientKey };
  const edits: TextEdit[] = [];
  const seen = new Set<EnvFileOption>();
  for (const setting of unit.settings) {
    if (setting.origin || setting.layer) continue; // only the env file's own variables
    const variable = envFileVariable(setting.name);
    const value = variable ? wanted[variable.option] : undefined;
    if (!variable || value === undefined) continue;
    edits.push(editor.replace(setting.valueOffset, setting.valueOffset + setting.valueLength, envValueText(value)));
    if (!variable.signal) seen.add(variable.option);
  }
  const missing = (Object.entries(wanted) as [EnvFileOption, string | undefined][]).filter(([option, value]) => value !== undefined && !seen.has(option));
  if (missing.length) {
    const text = editor.text;
    const prefix = text === '' || text.endsWith('\n') ? '' : '\n';
    const lines = missing.map(([option, value]) => `${shell ? 'export ' : ''}${envFileVariableName(option)}=${envValueText(value!)}`);
    edits.push(editor.insert(text.length, prefix + lines.join('\n') + '\n'));
  }
  return edits;
}


function indentOf(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0].length;
}

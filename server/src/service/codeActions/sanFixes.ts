/**
 * `san-mismatch` (data kind `san`): the endpoint host is not a name of the server certificate.
 * - change the endpoint's host to each name the certificate covers (env files and collector
 *   exporters; a wildcard `*.svc.local` becomes `<first label of the host>.svc.local`);
 * - on collector exporters, set `tls.server_name_override` to a covered name instead (when it is
 *   already set, the override is what was checked, so only its value changes);
 * - `reissue`: a command action re-issuing the development certificate with the host added;
 *   otherwise the generic certificate generation command.
 */
import { isScalar } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { GENERATE_CERTIFICATES_COMMAND } from '../commands';
import { parseIp } from '../certificates/hostname';
import type { ExporterTarget } from '../model/collector';
import { parseEndpoint } from '../model/endpoint';
import { nodeSpan } from '../yaml/yamlNodes';
import { generateCertificatesFix } from './certificateFixes';
import { addToMappingEdit, QUICKFIX, quickFix, yamlValue, type UnitEditor } from './edits';
import { appSettingAt, collectorEntryAt, dataOf, type FixContext, type Fixer } from './fixContext';
import type { Locator } from '../languageTypes';

export const sanFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'san');
  if (!data) return generateCertificatesFix(diagnostic, context);
  const names = coveredNames(data.names, data.host);
  const actions = 'collector' in data.at ? exporterFixes(diagnostic, context, data.at, names) : endpointFixes(diagnostic, context, data.at, names);
  if (actions.length === 1 && actions[0].edit) actions[0].isPreferred = true;
  if (data.reissueFolder) {
    const hosts = [...data.names, data.host].filter((h, i, all) => all.findIndex((o) => o.toLowerCase() === h.toLowerCase()) === i);
    const title = `Re-issue the development certificate with ${data.host} added…`;
    actions.push({ title, kind: QUICKFIX, diagnostics: [diagnostic], command: { title, command: GENERATE_CERTIFICATES_COMMAND, arguments: [{ hosts, folder: data.reissueFolder }] } });
  } else {
    actions.push(...generateCertificatesFix(diagnostic, context));
  }
  return actions;
};

/** The names a client can connect with: DNS names and IPs as they are, wildcards filled in from the host. */
function coveredNames(names: readonly string[], host: string): string[] {
  const firstLabel = parseIp(host) ? undefined : /^([A-Za-z0-9_-]+)(?:\.|$)/.exec(host)?.[1];
  const out: string[] = [];
  for (const name of names) {
    const usable = name.startsWith('*.') ? (firstLabel ? `${firstLabel}${name.slice(1)}` : undefined) : name;
    if (usable && usable.toLowerCase() !== host.toLowerCase() && !out.some((o) => o.toLowerCase() === usable.toLowerCase())) out.push(usable);
  }
  return out;
}

/** An app setting: the endpoint at the locator. */
function endpointFixes(diagnostic: Diagnostic, context: FixContext, at: Locator, names: string[]): CodeAction[] {
  const found = appSettingAt(context, at);
  if (!found) return [];
  const { valueOffset, valueLength } = found.setting;
  return hostEdits(diagnostic, context, found.editor, valueOffset, valueOffset + valueLength, names);
}

/** Edits replacing the host of the endpoint written at [start, end) of the unit with each name. */
function hostEdits(diagnostic: Diagnostic, context: FixContext, editor: UnitEditor, start: number, end: number, names: string[]): CodeAction[] {
  const raw = editor.text.slice(start, end);
  if (raw.includes('${')) return [];
  const span = hostSpan(raw);
  if (!span) return [];
  return names.map((name) => quickFix(`Connect to ${name} (a name in the certificate)`, diagnostic, context.document.uri, [editor.replace(start + span[0], start + span[1], hostText(name))]));
}

/** A collector exporter: the endpoint (or a per-signal endpoint) at the locator. */
function exporterFixes(diagnostic: Diagnostic, context: FixContext, at: Locator, names: string[]): CodeAction[] {
  const found = collectorEntryAt(context, at);
  const span = found && nodeSpan(found.entry.value);
  if (!found || !span) return [];
  const { unit, editor } = found;
  const exporter = unit.model.exporters.find((e) => [e.endpoint, ...e.signalEndpoints].some((entry) => entry && entry.value === found.entry.value));
  if (!exporter) return [];
  const override = exporter.tls?.entries.find((e) => e.key === 'server_name_override' && !e.merged);
  const overrideSpan = override && isScalar(override.value) ? nodeSpan(override.value) : undefined;
  if (override && overrideSpan && isScalar(override.value)) {
    const scalar = override.value;
    return names.map((name) => quickFix(`Set server_name_override to ${name}`, diagnostic, context.document.uri, [editor.replace(overrideSpan[0], overrideSpan[1], yamlValue(name, scalar))]));
  }
  if (override) return [];
  const actions = hostEdits(diagnostic, context, editor, span[0], span[1], names);
  for (const name of names) {
    const edit = overrideEdit(editor, exporter, name);
    if (edit) actions.push(quickFix(`Keep the host, set tls.server_name_override: ${name}`, diagnostic, context.document.uri, [edit]));
  }
  return actions;
}

function overrideEdit(editor: UnitEditor, exporter: ExporterTarget, name: string) {
  const line = `server_name_override: ${yamlValue(name)}`;
  if (exporter.tls) return addToMappingEdit(editor, exporter.tls.node, exporter.tls.keyNode?.range?.[0], [line]);
  return addToMappingEdit(editor, exporter.component.node, exporter.component.keyNode.range?.[0], ['tls:', `  ${line}`]);
}

/**
 * Where the host is in an endpoint as written (quotes included): `https://h:4317/x`, `h:4317`,
 * `dns:///h:4317`, `[::1]:4317` (the brackets are part of the span).
 */
export function hostSpan(raw: string): [number, number] | undefined {
  const quote = raw[0] === '"' || raw[0] === "'" ? 1 : 0;
  const inner = quote && raw.length > 1 && raw.endsWith(raw[0]) ? raw.slice(1, -1) : raw.slice(quote);
  const span = parseEndpoint(inner).hostSpan;
  return span ? [span[0] + quote, span[1] + quote] : undefined;
}

function hostText(name: string): string {
  return name.includes(':') ? `[${name}]` : name;
}

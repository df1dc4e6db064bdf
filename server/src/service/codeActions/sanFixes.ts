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
import { GENERATE_CERTIFICATES_COMMAND } from '../../protocol';
import { parseIp } from '../certificates/hostname';
import type { ExporterTarget } from '../model/collector';
import { nodeSpan } from '../yaml/yamlNodes';
import { generateCertificatesFix } from './certificateFixes';
import { addToMappingEdit, offsetsOf, QUICKFIX, quickFix, replaceEdit, yamlValue } from './edits';
import { dataOf, type FixContext, type Fixer } from './fixContext';

export const sanFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'san');
  if (!data) return generateCertificatesFix(diagnostic, context);
  const names = coveredNames(data.names, data.host);
  const actions = context.parsed.kind === 'collector' ? exporterFixes(diagnostic, context, names) : endpointFixes(diagnostic, context, names);
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

/** An env file: the diagnostic sits on the endpoint value. */
function endpointFixes(diagnostic: Diagnostic, { document, text }: FixContext, names: string[]): CodeAction[] {
  const [start, end] = offsetsOf(document, diagnostic);
  return hostEdits(diagnostic, document, text, start, end, names);
}

function hostEdits(diagnostic: Diagnostic, document: FixContext['document'], text: string, start: number, end: number, names: string[]): CodeAction[] {
  const raw = text.slice(start, end);
  if (raw.includes('${')) return [];
  const span = hostSpan(raw);
  if (!span) return [];
  return names.map((name) => quickFix(`Connect to ${name} (a name in the certificate)`, diagnostic, document.uri, [replaceEdit(document, start + span[0], start + span[1], hostText(name))]));
}

/** A collector exporter: the diagnostic sits on its endpoint (or a per-signal endpoint). */
function exporterFixes(diagnostic: Diagnostic, context: FixContext, names: string[]): CodeAction[] {
  const { document, parsed, text } = context;
  if (parsed.kind !== 'collector') return [];
  const [start, end] = offsetsOf(document, diagnostic);
  const exporter = parsed.model.exporters.find((e) => [e.endpoint, ...e.signalEndpoints].some((entry) => entry && nodeSpan(entry.value)?.[0] === start));
  if (!exporter) return [];
  const override = exporter.tls?.entries.find((e) => e.key === 'server_name_override' && !e.merged);
  const overrideSpan = override && isScalar(override.value) ? nodeSpan(override.value) : undefined;
  if (override && overrideSpan && isScalar(override.value)) {
    const scalar = override.value;
    return names.map((name) => quickFix(`Set server_name_override to ${name}`, diagnostic, document.uri, [replaceEdit(document, overrideSpan[0], overrideSpan[1], yamlValue(name, scalar))]));
  }
  if (override) return [];
  const actions = hostEdits(diagnostic, document, text, start, end, names);
  for (const name of names) {
    const edit = overrideEdit(context, exporter, name);
    if (edit) actions.push(quickFix(`Keep the host, set tls.server_name_override: ${name}`, diagnostic, document.uri, [edit]));
  }
  return actions;
}

function overrideEdit({ document, text }: FixContext, exporter: ExporterTarget, name: string) {
  const line = `server_name_override: ${yamlValue(name)}`;
  if (exporter.tls) return addToMappingEdit(document, text, exporter.tls.node, exporter.tls.keyNode?.range?.[0], [line]);
  return addToMappingEdit(document, text, exporter.component.node, exporter.component.keyNode.range?.[0], ['tls:', `  ${line}`]);
}

/**
 * Where the host is in an endpoint as written (quotes included): `https://h:4317/x`, `h:4317`,
 * `dns:///h:4317`, `[::1]:4317` (the brackets are part of the span).
 */
export function hostSpan(raw: string): [number, number] | undefined {
  let at = raw[0] === '"' || raw[0] === "'" ? 1 : 0;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw.slice(at));
  if (scheme) {
    at += scheme[0].length;
    if (!/^https?$/i.test(scheme[1])) {
      // dns://[authority]/host:port
      const slash = raw.indexOf('/', at);
      if (slash < 0) return undefined;
      at = slash + 1;
    }
  }
  const userinfo = /^[^/@?#\s]*@/.exec(raw.slice(at));
  if (userinfo) at += userinfo[0].length;
  const host = /^(\[[^\]]*\]|[^:/?#"'\s]+)/.exec(raw.slice(at));
  return host ? [at, at + host[0].length] : undefined;
}

function hostText(name: string): string {
  return name.includes(':') ? `[${name}]` : name;
}

/**
 * `plaintext-endpoint`, `tls-ignored`, `insecure-skip-verify`:
 * - data `scheme`: replace the `http://` of the endpoint value with `https://` (of the endpoint setting
 *   the data names when the diagnostic sits on a certificate);
 * - data `remove-key`: remove the contradicting `insecure: true` / `insecure_skip_verify: true` line,
 *   or the contradicting INSECURE setting;
 * - data `add-variable` (app settings): add the missing endpoint above the certificate setting;
 * - `insecure-skip-verify` also offers `ca_file` in its place, with a CA found in the workspace.
 */
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { Pair, Scalar } from 'yaml';
import type { Locator } from '../languageTypes';
import { nodeSpan } from '../yaml/yamlNodes';
import { appSettingAt, collectorEntryAt, dataOf, tlsBlockAt, type FixContext, type Fixer } from './fixContext';
import { addVariableFix } from './envFixes';
import { pairEnd, quickFix, removePairEdit } from './edits';
import { findCaCertificate } from './workspaceCertificates';

export const schemeOrRemoveFix: Fixer = (diagnostic, context) => {
  const scheme = dataOf(diagnostic, 'scheme');
  if (scheme) {
    const value = valueAt(context, scheme.endpoint ?? scheme.at);
    if (!value) return [];
    const at = value.raw.toLowerCase().indexOf(`${scheme.from.toLowerCase()}://`);
    if (at < 0) return [];
    const from = value.start + at;
    const title = scheme.endpoint !== undefined ? `Use ${scheme.to}:// in ${value.name}` : `Use ${scheme.to}://`;
    return [quickFix(title, diagnostic, context.document.uri, [value.replace(from, from + scheme.from.length, scheme.to)], true)];
  }
  const add = dataOf(diagnostic, 'add-variable');
  if (add) return addVariableFix(diagnostic, context, add, true);
  const remove = dataOf(diagnostic, 'remove-key');
  if (remove) return removeKeyFixes(diagnostic, context, remove.at, true);
  return [];
};

export const insecureSkipVerifyFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'remove-key');
  if (!data) return [];
  const actions = removeKeyFixes(diagnostic, context, data.at, false);
  const found = collectorEntryAt(context, data.at);
  if (!found || !('pair' in found.entry) || !('collector' in data.at)) return actions;
  const pair = found.entry.pair as Pair<Scalar, unknown>;
  const block = tlsBlockAt(context, { collector: data.at.collector, path: data.at.path.slice(0, -1) })?.block;
  if (block && !block.entries.some((e) => e.key === 'ca_file' || e.key === 'ca_pem')) {
    const ca = findCaCertificate(context, block) ?? 'ca.crt';
    actions.push(quickFix(`Trust the server's CA instead: ca_file: ${ca}`, diagnostic, context.document.uri, [found.editor.replace(pair.key.range![0], pairEnd(pair), `ca_file: ${ca}`)]));
  }
  return actions;
};

/** The value at a locator as written (quotes included): its unit-offset start, text, name, and how to edit inside it. */
function valueAt(context: FixContext, at: Locator): { start: number; raw: string; name: string; replace(start: number, end: number, text: string): TextEdit } | undefined {
  const setting = appSettingAt(context, at);
  if (setting) {
    const { valueOffset, valueLength, written } = setting.setting;
    return { start: valueOffset, raw: setting.unit.text.slice(valueOffset, valueOffset + valueLength), name: written, replace: setting.editor.replace };
  }
  const found = collectorEntryAt(context, at);
  const span = found && nodeSpan(found.entry.value);
  if (!found || !span) return undefined;
  return { start: span[0], raw: found.unit.text.slice(span[0], span[1]), name: found.entry.keyNode ? String(found.entry.keyNode.value) : '', replace: found.editor.replace };
}

function removeKeyFixes(diagnostic: Diagnostic, context: FixContext, at: Locator, preferred: boolean): CodeAction[] {
  const uri = context.document.uri;
  const setting = appSettingAt(context, at);
  if (setting) {
    return [quickFix(`Remove ${setting.setting.written}`, diagnostic, uri, [setting.editor.apply(setting.unit.edits.remove(setting.setting))], preferred)];
  }
  const found = collectorEntryAt(context, at);
  if (!found || !('pair' in found.entry)) return [];
  const pair = found.entry.pair as Pair<Scalar, unknown>;
  return [quickFix(`Remove ${String(pair.key.value)}`, diagnostic, uri, [removePairEdit(found.editor, pair, found.entry.map)], preferred)];
}

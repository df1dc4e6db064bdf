/**
 * `plaintext-endpoint`, `tls-ignored`, `insecure-skip-verify`:
 * - data `scheme`: replace the `http://` of the endpoint value with `https://` (in env files, of the
 *   variable the data names when the diagnostic sits on a certificate);
 * - data `remove-key`: remove the contradicting `insecure: true` / `insecure_skip_verify: true` line,
 *   or in env files the contradicting INSECURE variable;
 * - data `add-variable` (env files): add the missing endpoint above the certificate variable;
 * - `insecure-skip-verify` also offers `ca_file` in its place, with a CA found in the workspace.
 */
import type { CodeAction } from 'vscode-languageserver-types';
import { dataOf, type FixContext, type Fixer } from './fixContext';
import { lookup } from '../sources/envFile';
import { addVariableFix } from './envFixes';
import { lineStartOf, nextLineStart, offsetsOf, pairEnd, pairWithKeyAt, quickFix, removePairEdit, replaceEdit } from './edits';
import { findCaCertificate } from './workspaceCertificates';

export const schemeOrRemoveFix: Fixer = (diagnostic, context) => {
  const scheme = dataOf(diagnostic, 'scheme');
  if (scheme) {
    const { document, text, parsed } = context;
    let [start, end] = offsetsOf(document, diagnostic);
    if (scheme.variable !== undefined) {
      // The diagnostic sits on another variable (a certificate the http:// endpoint makes unused).
      const endpoint = parsed.kind === 'env' ? lookup(parsed.model, scheme.variable) : undefined;
      if (!endpoint) return [];
      [start, end] = [endpoint.entry.valueOffset, endpoint.entry.valueOffset + endpoint.entry.valueLength];
    }
    const at = text.slice(start, end).toLowerCase().indexOf(`${scheme.from.toLowerCase()}://`);
    if (at < 0) return [];
    const from = start + at;
    const title = scheme.variable !== undefined ? `Use ${scheme.to}:// in ${scheme.variable}` : `Use ${scheme.to}://`;
    return [quickFix(title, diagnostic, document.uri, [replaceEdit(document, from, from + scheme.from.length, scheme.to)], true)];
  }
  const add = dataOf(diagnostic, 'add-variable');
  if (add) return addVariableFix(diagnostic, context, add, true);
  if (dataOf(diagnostic, 'remove-key')) return removeKeyFixes(diagnostic, context, true);
  return [];
};

export const insecureSkipVerifyFix: Fixer = (diagnostic, context) => {
  const actions = removeKeyFixes(diagnostic, context, false);
  const { document, parsed } = context;
  if (parsed.kind !== 'collector') return actions;
  const [start] = offsetsOf(document, diagnostic);
  const found = pairWithKeyAt(parsed.model.doc, start);
  if (!found) return actions;
  const block = parsed.model.tlsBlocks.find((b) => b.entries.some((e) => e.pair === found.pair));
  if (block && !block.entries.some((e) => e.key === 'ca_file' || e.key === 'ca_pem')) {
    const ca = findCaCertificate(context, block) ?? 'ca.crt';
    actions.push(
      quickFix(`Trust the server's CA instead: ca_file: ${ca}`, diagnostic, document.uri, [replaceEdit(document, start, pairEnd(found.pair), `ca_file: ${ca}`)]),
    );
  }
  return actions;
};

function removeKeyFixes(diagnostic: Parameters<Fixer>[0], { document, parsed, text }: FixContext, preferred: boolean): CodeAction[] {
  const [start] = offsetsOf(document, diagnostic);
  if (parsed.kind === 'env') {
    // The whole line of the variable (a multi-line quoted value included).
    const entry = parsed.model.entries.find((e) => e.valueOffset === start);
    if (!entry) return [];
    const from = lineStartOf(text, entry.nameOffset);
    const to = nextLineStart(text, entry.valueOffset + entry.valueLength);
    return [quickFix(`Remove ${entry.name}`, diagnostic, document.uri, [replaceEdit(document, from, to, '')], preferred)];
  }
  if (parsed.kind !== 'collector') return [];
  const found = pairWithKeyAt(parsed.model.doc, start);
  if (!found) return [];
  return [quickFix(`Remove ${String(found.pair.key.value)}`, diagnostic, document.uri, [removePairEdit(document, text, found.pair, found.parent)], preferred)];
}

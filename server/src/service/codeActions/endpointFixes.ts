/**
 * `plaintext-endpoint`, `tls-ignored`, `insecure-skip-verify`:
 * - data `scheme`: replace the `http://` of the endpoint value with `https://`;
 * - data `remove-key`: remove the contradicting `insecure: true` / `insecure_skip_verify: true` line;
 * - `insecure-skip-verify` also offers `ca_file` in its place, with a CA found in the workspace.
 */
import type { CodeAction } from 'vscode-languageserver-types';
import { dataOf, type FixContext, type Fixer } from './fixContext';
import { offsetsOf, pairEnd, pairWithKeyAt, quickFix, removePairEdit, replaceEdit } from './edits';
import { findCaCertificate } from './workspaceCertificates';

export const schemeOrRemoveFix: Fixer = (diagnostic, context) => {
  const scheme = dataOf(diagnostic, 'scheme');
  if (scheme) {
    const { document, text } = context;
    const [start, end] = offsetsOf(document, diagnostic);
    const at = text.slice(start, end).toLowerCase().indexOf(`${scheme.from.toLowerCase()}://`);
    if (at < 0) return [];
    const from = start + at;
    return [quickFix(`Use ${scheme.to}://`, diagnostic, document.uri, [replaceEdit(document, from, from + scheme.from.length, scheme.to)], true)];
  }
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
  if (parsed.kind !== 'collector') return [];
  const [start] = offsetsOf(document, diagnostic);
  const found = pairWithKeyAt(parsed.model.doc, start);
  if (!found) return [];
  return [quickFix(`Remove ${String(found.pair.key.value)}`, diagnostic, document.uri, [removePairEdit(document, text, found.pair, found.parent)], preferred)];
}

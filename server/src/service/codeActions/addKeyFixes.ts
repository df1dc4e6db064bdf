/**
 * Fixes that add a line to a tls: block, at the indentation of its keys:
 * - `mtls-not-enforced`: `client_ca_file:` with a CA certificate found in the workspace (else a placeholder);
 * - `tls-conflict` with `data.missing`: the missing `key_file` / `cert_file`, named after its partner
 *   (`server.crt` → `server.key`), preferring a file that exists.
 * `tls-conflict` with `data` kind `values` (min_version above max_version) changes max_version.
 */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { TlsBlock } from '../model/collector';
import { scalarText } from '../yaml/yamlNodes';
import { addToMappingEdit, offsetsOf, quickFix } from './edits';
import { dataOf, type FixContext, type Fixer } from './fixContext';
import { valuesFix } from './valueFixes';
import { findCaCertificate, firstExisting, folderOf, partnerNames } from './workspaceCertificates';

export const mtlsFix: Fixer = (diagnostic, context) => {
  const block = blockAt(diagnostic, context);
  if (!block) return [];
  const ca = findCaCertificate(context, block);
  const path = ca ?? `${folderOf(scalarText(block.entries.find((e) => e.key === 'cert_file')?.value) ?? '')}ca.crt`;
  const title = ca ? `Require client certificates: client_ca_file: ${ca}` : `Require client certificates: add client_ca_file (placeholder ${path})`;
  return addLines(diagnostic, context, block, [`client_ca_file: ${path}`], title, true);
};

export const tlsConflictFix: Fixer = (diagnostic, context) => {
  if (dataOf(diagnostic, 'values')) return valuesFix(diagnostic, context);
  const data = dataOf(diagnostic, 'generic');
  const missing = data?.missing;
  if (missing !== 'key_file' && missing !== 'cert_file') return [];
  const block = blockAt(diagnostic, context);
  if (!block) return [];
  const partnerKey = missing === 'key_file' ? 'cert_file' : 'key_file';
  const partner = scalarText(block.entries.find((e) => e.key === partnerKey)?.value);
  if (partner === undefined || partner.includes('${')) {
    // Neither is set (a server block): add both.
    if (block.entries.some((e) => e.key === 'cert_pem' || e.key === 'key_pem')) return [];
    const cert = firstExisting(context, ['server.crt', 'server.pem', 'cert.pem']);
    const key = firstExisting(context, partnerNames(cert, 'key_file'));
    return addLines(diagnostic, context, block, [`cert_file: ${cert}`, `key_file: ${key}`], `Add cert_file: ${cert} and key_file: ${key}`, true);
  }
  const file = firstExisting(context, partnerNames(partner, missing));
  return addLines(diagnostic, context, block, [`${missing}: ${file}`], `Add ${missing}: ${file}`, true);
};

function addLines(diagnostic: Diagnostic, context: FixContext, block: TlsBlock, lines: string[], title: string, preferred: boolean): CodeAction[] {
  const edit = addToMappingEdit(context.document, context.text, block.node, block.keyNode?.range?.[0], lines);
  return edit ? [quickFix(title, diagnostic, context.document.uri, [edit], preferred)] : [];
}

/** The TLS block a diagnostic is anchored on: its `tls` key, or one of its (written, not merged) keys. */
function blockAt(diagnostic: Diagnostic, { document, parsed }: FixContext): TlsBlock | undefined {
  if (parsed.kind !== 'collector') return undefined;
  const [start] = offsetsOf(document, diagnostic);
  return (
    parsed.model.tlsBlocks.find((b) => b.keyNode?.range?.[0] === start) ??
    parsed.model.tlsBlocks.find((b) => b.entries.some((e) => !e.merged && e.keyNode.range?.[0] === start))
  );
}

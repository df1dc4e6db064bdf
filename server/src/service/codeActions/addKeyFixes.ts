/**
 * Fixes that add a line to the tls: block at the data's locator, at the indentation of its keys:
 * - `mtls-not-enforced` (data `require-client-cert`): `client_ca_file:` with a CA certificate found in
 *   the workspace (else a placeholder);
 * - `tls-conflict` with data `missing-key`: the missing `key_file` / `cert_file`, named after its partner
 *   (`server.crt` → `server.key`), preferring a file that exists.
 * - `reload-not-configured`, `ca-rotation` (data `add-tls-key`): `reload_interval: 1h` (or the interval the
 *   renewal window allows), `client_ca_file_reload: true`.
 * `tls-conflict` with data `values` (min_version above max_version) changes max_version.
 */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { TlsBlock } from '../model/collector';
import { scalarText } from '../yaml/yamlNodes';
import { addToMappingEdit, quickFix, type UnitEditor } from './edits';
import { dataOf, tlsBlockAt, type FixContext, type Fixer } from './fixContext';
import { valuesFix } from './valueFixes';
import { findCaCertificate, firstExisting, folderOf, partnerNames } from './workspaceCertificates';

export const mtlsFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'require-client-cert');
  const found = data && tlsBlockAt(context, data.at);
  if (!found) return [];
  const { block } = found;
  const ca = findCaCertificate(context, block);
  const path = ca ?? `${folderOf(scalarText(block.entries.find((e) => e.key === 'cert_file')?.value) ?? '')}ca.crt`;
  const title = ca ? `Require client certificates: client_ca_file: ${ca}` : `Require client certificates: add client_ca_file (placeholder ${path})`;
  return addLines(diagnostic, context, found.editor, block, [`client_ca_file: ${path}`], title, true);
};

export const tlsConflictFix: Fixer = (diagnostic, context) => {
  if (dataOf(diagnostic, 'values')) return valuesFix(diagnostic, context);
  const data = dataOf(diagnostic, 'missing-key');
  const found = data && tlsBlockAt(context, data.at);
  if (!data || !found) return [];
  const { missing } = data;
  const { block, editor } = found;
  const partnerKey = missing === 'key_file' ? 'cert_file' : 'key_file';
  const partner = scalarText(block.entries.find((e) => e.key === partnerKey)?.value);
  if (partner === undefined || partner.includes('${')) {
    // Neither is set (a server block): add both.
    if (block.entries.some((e) => e.key === 'cert_pem' || e.key === 'key_pem')) return [];
    const cert = firstExisting(context, ['server.crt', 'server.pem', 'cert.pem']);
    const key = firstExisting(context, partnerNames(cert, 'key_file'));
    return addLines(diagnostic, context, editor, block, [`cert_file: ${cert}`, `key_file: ${key}`], `Add cert_file: ${cert} and key_file: ${key}`, true);
  }
  const file = firstExisting(context, partnerNames(partner, missing));
  return addLines(diagnostic, context, editor, block, [`${missing}: ${file}`], `Add ${missing}: ${file}`, true);
};

export const addTlsKeyFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'add-tls-key');
  const found = data && tlsBlockAt(context, data.at);
  if (!data || !found || found.block.entries.some((e) => e.key === data.key)) return [];
  return addLines(diagnostic, context, found.editor, found.block, [`${data.key}: ${data.value}`], `Add ${data.key}: ${data.value}`, true);
};

function addLines(diagnostic: Diagnostic, context: FixContext, editor: UnitEditor, block: TlsBlock, lines: string[], title: string, preferred: boolean): CodeAction[] {
  const edit = addToMappingEdit(editor, block.node, block.keyNode?.range?.[0], lines);
  return edit ? [quickFix(title, diagnostic, context.document.uri, [edit], preferred)] : [];
}

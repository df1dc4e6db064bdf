/**
 * `incomplete-pair` in env files: a client certificate without its key, or a key without its
 * certificate. Adds the missing variable on the line below (same signal, same indentation, `export `
 * kept), pointing to the file that pairs by name (`client.crt` → `client.key`, `client-cert.pem` →
 * `client-key.pem`) and preferring one that exists, as the collector's tls-conflict fix does.
 * The missing variable follows from the one the diagnostic sits on. The certificate generation
 * command stays offered after it.
 */
import type { CodeAction } from 'vscode-languageserver-types';
import { envFileVariable, envFileVariableName } from '../certificates/certificatePaths';
import { holdsReference } from '../sources/envFile';
import { generateCertificatesFix } from './certificateFixes';
import { envValueText, indentAt, insertEdit, nextLineStart, offsetsOf, quickFix } from './edits';
import type { Fixer } from './fixContext';
import { firstExisting, partnerNames } from './workspaceCertificates';

export const incompletePairFix: Fixer = (diagnostic, context) => {
  const actions: CodeAction[] = [];
  const { document, parsed, text } = context;
  if (parsed.kind === 'env') {
    const [start, end] = offsetsOf(document, diagnostic);
    const entry = parsed.model.entries.find((e) => e.valueOffset === start && e.valueOffset + e.valueLength === end);
    const present = entry && envFileVariable(entry.name);
    if (entry && present && present.option !== 'CERTIFICATE') {
      const missingOption = present.option === 'CLIENT_CERTIFICATE' ? 'CLIENT_KEY' : 'CLIENT_CERTIFICATE';
      const missing = envFileVariableName(missingOption, present.signal);
      const partnerKey = missingOption === 'CLIENT_KEY' ? 'key_file' : 'cert_file';
      const written = entry.value.trim();
      const names = written && !holdsReference(written) ? partnerNames(written, partnerKey) : [missingOption === 'CLIENT_KEY' ? 'client.key' : 'client.crt'];
      const file = firstExisting(context, names);
      const at = nextLineStart(text, end);
      const newline = at === text.length && !text.endsWith('\n') && text.length > 0 ? '\n' : '';
      const line = `${newline}${indentAt(text, entry.nameOffset)}${entry.exported ? 'export ' : ''}${missing}=${envValueText(file)}\n`;
      actions.push(quickFix(`Add ${missing}=${file}`, diagnostic, document.uri, [insertEdit(document, at, line)], true));
    }
  }
  actions.push(...generateCertificatesFix(diagnostic, context));
  return actions;
};

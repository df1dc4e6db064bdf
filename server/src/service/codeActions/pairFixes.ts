/**
 * `incomplete-pair` (data `add-partner`): a client certificate without its key, or a key without its
 * certificate. Adds the missing setting on the line below (same signal; laid out as its source writes
 * settings: in env files the same indentation and `export `), pointing to the file that pairs by name
 * (`client.crt` → `client.key`, `client-cert.pem` → `client-key.pem`) and preferring one that exists,
 * as the collector's tls-conflict fix does. The missing setting follows from the one the diagnostic
 * sits on. The certificate generation command stays offered after it.
 */
import type { CodeAction } from 'vscode-languageserver-types';
import { envFileVariable, envFileVariableName } from '../certificates/certificatePaths';
import { generateCertificatesFix } from './certificateFixes';
import { quickFix } from './edits';
import { appSettingAt, dataOf, type Fixer } from './fixContext';
import { firstExisting, partnerNames } from './workspaceCertificates';

export const incompletePairFix: Fixer = (diagnostic, context) => {
  const actions: CodeAction[] = [];
  const data = dataOf(diagnostic, 'add-partner');
  const found = data && appSettingAt(context, data.at);
  const present = found && envFileVariable(found.setting.name);
  if (found && present && present.option !== 'CERTIFICATE') {
    const missingOption = present.option === 'CLIENT_CERTIFICATE' ? 'CLIENT_KEY' : 'CLIENT_CERTIFICATE';
    const missing = envFileVariableName(missingOption, present.signal);
    const partnerKey = missingOption === 'CLIENT_KEY' ? 'key_file' : 'cert_file';
    const written = found.setting.value?.trim();
    const names = written ? partnerNames(written, partnerKey) : [missingOption === 'CLIENT_KEY' ? 'client.key' : 'client.crt'];
    const file = firstExisting(context, names);
    const edit = found.editor.apply(found.unit.edits.add(found.setting, 'after', missing, file));
    actions.push(quickFix(`Add ${missing}=${file}`, diagnostic, context.document.uri, [edit], true));
  }
  actions.push(...generateCertificatesFix(diagnostic, context));
  return actions;
};

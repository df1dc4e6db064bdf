/**
 * Quick fixes, chosen by diagnostic `code` (one fixer per code, every code listed so a new code
 * is a compile error until someone decides on its fix) and narrowed by the diagnostic's `data`.
 * Never by message text. Each fixer family lives in its own file next to this one.
 */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { SOURCE, isDiagnosticCode, type DiagnosticCode } from '../diagnosticCodes';
import { addTlsKeyFix, mtlsFix, tlsConflictFix } from './addKeyFixes';
import { generateCertificatesFix } from './certificateFixes';
import { insecureSkipVerifyFix, schemeOrRemoveFix } from './endpointFixes';
import { noFix, type FixContext, type Fixer } from './fixContext';
import { containerPathFix, missingFileFix } from './missingFileFixes';
import { manifestValueFix } from './manifestFixes';
import { incompletePairFix } from './pairFixes';
import { portFix } from './portFixes';
import { renameFix } from './renameFixes';
import { sanFix } from './sanFixes';
import { unknownKeyFix } from './moveUnderTlsFix';
import { valuesFix, weakVersionFix } from './valueFixes';

export type { FixContext, Fixer } from './fixContext';

export const fixers: Record<DiagnosticCode, Fixer> = {
  'yaml-syntax': noFix,
  'unknown-key': unknownKeyFix,
  'invalid-value': valuesFix,
  'tls-conflict': tlsConflictFix,
  'insecure-skip-verify': insecureSkipVerifyFix,
  'weak-tls-version': weakVersionFix,
  'mtls-not-enforced': mtlsFix,
  'plaintext-endpoint': schemeOrRemoveFix,
  'tls-ignored': schemeOrRemoveFix,
  'unresolved-substitution': noFix,
  'file-too-large': noFix,
  'invalid-encoding': noFix,
  'limit-exceeded': noFix,
  'too-many-problems': noFix,

  'unknown-variable': renameFix,
  'deprecated-variable': renameFix,
  'port-protocol-mismatch': portFix,
  'env-ignored': noFix,

  'file-not-found': missingFileFix,
  'file-unreadable': noFix,
  'not-a-certificate': generateCertificatesFix,
  'not-a-private-key': generateCertificatesFix,
  'encrypted-key': generateCertificatesFix,
  'key-mismatch': generateCertificatesFix,
  'incomplete-pair': incompletePairFix,
  'cert-expired': generateCertificatesFix,
  'cert-not-yet-valid': generateCertificatesFix,
  'cert-expiring-soon': generateCertificatesFix,
  'not-a-ca': generateCertificatesFix,
  'unknown-authority': generateCertificatesFix,
  'missing-eku': generateCertificatesFix,
  'weak-key': generateCertificatesFix,
  'weak-signature': generateCertificatesFix,
  'cn-only': generateCertificatesFix,
  'key-permissions': noFix,
  'san-mismatch': sanFix,
  'missing-client-cert': generateCertificatesFix,
  'key-format': noFix,

  'malformed-certificate': generateCertificatesFix,
  'unhandled-critical-extension': generateCertificatesFix,
  'name-constraints': generateCertificatesFix,
  'unsupported-key': generateCertificatesFix,
  'no-shared-cipher': noFix,
  'no-shared-curve': noFix,
  'key-usage': generateCertificatesFix,
  'invalid-sni': noFix,
  'runtime-tls-override': noFix,
  'no-listener': noFix,
  'handshake-not-predicted': noFix,

  'unused-suppression': noFix,
  'suppression-without-reason': noFix,
  'container-path': containerPathFix,
  'injection-not-judged': noFix,
  'injection-rejected': noFix,
  'certificate-spec-rejected': manifestValueFix,
  'issuer-not-in-workspace': noFix,
  'reload-not-configured': addTlsKeyFix,
  'secret-subpath-mount': noFix,
  'ca-rotation': addTlsKeyFix,
};

/** The quick fixes for `diagnostics` (ours only: other sources' diagnostics get none). */
export function codeActionsFor(diagnostics: readonly Diagnostic[], context: FixContext): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (!isDiagnosticCode(diagnostic.code) || (diagnostic.source !== undefined && diagnostic.source !== SOURCE)) continue;
    try {
      actions.push(...fixers[diagnostic.code](diagnostic, context));
    } catch {
      // A fix that cannot be computed is not offered; the diagnostic stays.
    }
  }
  return actions;
}

/**
 * Missing or broken certificate files: a command action that opens the development certificate
 * generation flow (the client registers the command).
 */
import type { CodeAction } from 'vscode-languageserver-types';
import { GENERATE_CERTIFICATES_COMMAND } from '../commands';
import { QUICKFIX } from './edits';
import type { Fixer } from './fixContext';

export const GENERATE_TITLE = 'Generate development certificates…';

export const generateCertificatesFix: Fixer = (diagnostic): CodeAction[] => [
  { title: GENERATE_TITLE, kind: QUICKFIX, diagnostics: [diagnostic], command: { title: GENERATE_TITLE, command: GENERATE_CERTIFICATES_COMMAND } },
];

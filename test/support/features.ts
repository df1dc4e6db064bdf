/** Running the editor features of the core on an inline document, as the server does. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { toDiagnostic } from '../../server/src/service/diagnostics';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import { defaultSettings } from '../../server/src/service/settings';
import type { CheckOptions } from './check';
import { memoryRuntime } from './memoryRuntime';

export interface Opened {
  service: LanguageService;
  document: TextDocument;
}

export function open(text: string, options: CheckOptions = {}): Opened {
  const runtime = options.runtime ?? memoryRuntime({ env: options.env });
  const service = getLanguageService({ runtime, settings: { ...defaultSettings, ...options.settings }, workspace: options.workspace });
  const path = options.path ?? '/work/collector.yaml';
  const languageId = path.endsWith('.yaml') || path.endsWith('.yml') ? 'yaml' : 'dotenv';
  return { service, document: TextDocument.create(URI.file(path).toString(), languageId, 1, text) };
}

/** Validates, then asks for the quick fixes of every diagnostic with `code`. */
export function fixesFor(text: string, code: string, options: CheckOptions = {}): { actions: CodeAction[]; document: TextDocument } {
  const { service, document } = open(text, options);
  const diagnostics = service.validate({ path: URI.parse(document.uri).fsPath, text }).map((p) => toDiagnostic(document, p)).filter((d) => d.code === code);
  if (diagnostics.length === 0) throw new Error(`no ${code} diagnostic in:\n${text}\ngot: ${JSON.stringify(service.validate({ path: URI.parse(document.uri).fsPath, text }).map((p) => p.code))}`);
  return { actions: service.getCodeActions(document, diagnostics), document };
}

/** The document's whole text after applying one action's edit. */
export function applied(document: TextDocument, action: CodeAction): string {
  const edits: TextEdit[] = action.edit?.changes?.[document.uri] ?? [];
  if (edits.length === 0) throw new Error(`action "${action.title}" has no edit for ${document.uri}`);
  return TextDocument.applyEdits(document, edits);
}

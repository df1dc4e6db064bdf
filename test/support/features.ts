/** Running the editor features of the core on an inline document, as the server does. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { toDiagnostic } from '../../server/src/service/diagnostics';
import type { LanguageService } from '../../server/src/service/languageService';
import type { ParsedFile } from '../../server/src/service/model/units';
import { workspaceOf, type CheckOptions } from './check';

export interface Opened {
  service: LanguageService;
  document: TextDocument;
  parsed: ParsedFile;
}

/** `text` open in an editor (a collector config at /work/collector.yaml unless `path` says otherwise), with `others` in the workspace. */
export function open(text: string, options: CheckOptions = {}): Opened {
  const path = options.path ?? '/work/collector.yaml';
  const others = options.others ?? [];
  const { service, parsed } = workspaceOf([...others, { path, text }], options);
  const languageId = path.endsWith('.yaml') || path.endsWith('.yml') ? 'yaml' : 'dotenv';
  return { service, document: TextDocument.create(URI.file(path).toString(), languageId, 1, text), parsed: parsed[others.length] };
}

/** Validates, then asks for the quick fixes of every diagnostic with `code`. */
export function fixesFor(text: string, code: string, options: CheckOptions = {}): { actions: CodeAction[]; document: TextDocument } {
  const { service, document, parsed } = open(text, options);
  const path = URI.parse(document.uri).fsPath;
  const all = service.validate({ path, text }, parsed);
  // The diagnostics as the editor sends them back: JSON, as they travelled to it.
  const diagnostics = JSON.parse(JSON.stringify(all.map((p) => toDiagnostic(document, p)))).filter((d: { code: string }) => d.code === code);
  if (diagnostics.length === 0) throw new Error(`no ${code} diagnostic in:\n${text}\ngot: ${JSON.stringify(all.map((p) => p.code))}`);
  return { actions: service.getCodeActions(document, diagnostics, { path, parsed }), document };
}

/** The document's whole text after applying one action's edit. */
export function applied(document: TextDocument, action: CodeAction): string {
  const edits: TextEdit[] = action.edit?.changes?.[document.uri] ?? [];
  if (edits.length === 0) throw new Error(`action "${action.title}" has no edit for ${document.uri}`);
  return TextDocument.applyEdits(document, edits);
}

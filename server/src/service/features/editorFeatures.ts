/**
 * The editor features of the facade (quick fixes, hover, completion, document links): each takes a
 * TextDocument, parses it unless the caller passes the model it already has, and calls the feature.
 */
import type { CodeAction, CompletionItem, Diagnostic, DocumentLink, Hover, Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SourceDocument } from '../checks/check';
import { codeActionsFor } from '../codeActions/codeActions';
import { completion } from './completion';
import { documentLinks } from './documentLinks';
import { pathOfUri, type FeatureContext, type FeatureOptions } from './featureContext';
import { hover } from './hover';
import type { ParsedDocument } from '../languageService';
import type { Runtime } from '../runtime';
import type { Settings } from '../settings';
import type { WorkspaceIndex } from '../model/workspace';

export type { FeatureOptions } from './featureContext';

export interface EditorFeatures {
  /** Quick fixes for `diagnostics` (as published for this document), chosen by code and data. */
  getCodeActions(document: TextDocument, diagnostics: readonly Diagnostic[], options?: FeatureOptions): CodeAction[];
  getHover(document: TextDocument, position: Position, options?: FeatureOptions): Hover | null;
  getCompletions(document: TextDocument, position: Position, options?: FeatureOptions): CompletionItem[];
  getDocumentLinks(document: TextDocument, options?: FeatureOptions): DocumentLink[];
}

export function editorFeatures(
  options: { runtime: Runtime; settings: Settings; workspace: WorkspaceIndex },
  parse: (document: SourceDocument) => ParsedDocument,
): EditorFeatures {
  function context(document: TextDocument, featureOptions: FeatureOptions = {}): FeatureContext {
    const text = document.getText();
    const path = featureOptions.path ?? pathOfUri(document.uri);
    const parsed = featureOptions.parsed ?? parse({ path, text });
    return { document, text, path, parsed, runtime: options.runtime, settings: options.settings, workspace: options.workspace };
  }
  return {
    getCodeActions: (document, diagnostics, o) => codeActionsFor(diagnostics, context(document, o)),
    getHover: (document, position, o) => hover(context(document, o), position),
    getCompletions: (document, position, o) => completion(context(document, o), position),
    getDocumentLinks: (document, o) => documentLinks(context(document, o)),
  };
}

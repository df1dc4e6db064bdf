/**
 * The editor features of the facade (quick fixes, hover, completion, document links): each takes a
 * TextDocument, parses it unless the caller passes the file it already parsed, and calls the feature.
 */
import type { CodeAction, CompletionItem, Diagnostic, DocumentLink, Hover, Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAccess } from '../caches';
import type { Problem } from '../languageTypes';
import type { SourceDocument } from '../checks/check';
import { codeActionsFor } from '../codeActions/codeActions';
import type { ParsedFile } from '../model/units';
import type { WorkspaceIndex } from '../model/workspace';
import { completion } from './completion';
import { documentLinks } from './documentLinks';
import { pathOfUri, type FeatureContext, type FeatureOptions } from './featureContext';
import { hover } from './hover';
import { isProjectConfigPath } from '../project/configFile';
import { projectConfigCompletion, projectConfigHover } from './projectConfigFeatures';

export type { FeatureOptions } from './featureContext';

export interface EditorFeatures {
  /** Quick fixes for `diagnostics` (as published for this document), chosen by code and data. */
  getCodeActions(document: TextDocument, diagnostics: readonly Diagnostic[], options?: FeatureOptions): CodeAction[];
  getHover(document: TextDocument, position: Position, options?: FeatureOptions): Hover | null;
  getCompletions(document: TextDocument, position: Position, options?: FeatureOptions): CompletionItem[];
  getDocumentLinks(document: TextDocument, options?: FeatureOptions): DocumentLink[];
}

/**
 * `accessFor(path)`: the runtime and settings the file at `path` is checked with (its `.otlp-tls.yaml` merged in);
 * `problemsOf(index)`: the problems of the index's files as validation shows them (the endpoint hover's verdicts).
 */
export function editorFeatures(
  accessFor: (path: string) => FileAccess,
  workspace: () => WorkspaceIndex,
  parse: (document: SourceDocument) => ParsedFile,
  problemsOf: (index: WorkspaceIndex) => (path: string) => readonly Problem[],
): EditorFeatures {
  function context(document: TextDocument, featureOptions: FeatureOptions = {}): FeatureContext {
    const text = document.getText();
    const path = featureOptions.path ?? pathOfUri(document.uri);
    const parsed = featureOptions.parsed ?? parse({ path, text });
    const index = workspace();
    return { ...accessFor(path), accessFor, cluster: index.cluster(), document, text, path, parsed, workspace: index, problemsOf: problemsOf(index) };
  }
  return {
    getCodeActions: (document, diagnostics, o) => codeActionsFor(diagnostics, context(document, o)),
    getHover: (document, position, o) => (isProjectConfigPath(o?.path ?? pathOfUri(document.uri)) ? projectConfigHover(document, position) : hover(context(document, o), position)),
    getCompletions: (document, position, o) => (isProjectConfigPath(o?.path ?? pathOfUri(document.uri)) ? projectConfigCompletion(document, position) : completion(context(document, o), position)),
    getDocumentLinks: (document, o) => documentLinks(context(document, o)),
  };
}

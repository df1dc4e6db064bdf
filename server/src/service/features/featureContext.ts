/** Shared by the editor features (code actions, hover, completion, links): the facade's view of a document. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Runtime } from '../runtime';
import type { Settings } from '../settings';
import type { WorkspaceIndex } from '../model/workspace';
import type { ParsedDocument } from '../languageService';

export interface FeatureContext {
  document: TextDocument;
  text: string;
  /** Absolute path (file: URIs), else the URI itself. */
  path: string;
  parsed: ParsedDocument;
  runtime: Runtime;
  settings: Settings;
  workspace: WorkspaceIndex;
}

/** Optional inputs of every feature: the model the caller already parsed, and the path when not the URI's. */
export interface FeatureOptions {
  parsed?: ParsedDocument;
  path?: string;
}

export function pathOfUri(uri: string): string {
  return uri.startsWith('file:') ? URI.parse(uri).fsPath : uri;
}

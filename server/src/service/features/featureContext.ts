/** Shared by the editor features (code actions, hover, completion, links): the facade's view of a document. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { FileAccess } from '../caches';
import type { ParsedFile } from '../model/units';
import type { WorkspaceIndex } from '../model/workspace';

export interface FeatureContext extends FileAccess {
  document: TextDocument;
  text: string;
  /** Absolute path (file: URIs), else the URI itself. */
  path: string;
  parsed: ParsedFile;
  workspace: WorkspaceIndex;
}

/** Optional inputs of every feature: the file the caller already parsed, and the path when not the URI's. */
export interface FeatureOptions {
  parsed?: ParsedFile;
  path?: string;
}

export function pathOfUri(uri: string): string {
  return uri.startsWith('file:') ? URI.parse(uri).fsPath : uri;
}

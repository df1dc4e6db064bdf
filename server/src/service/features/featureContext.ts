/** Shared by the editor features (code actions, hover, completion, links): the facade's view of a document. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { FileAccess } from '../caches';
import type { Problem } from '../languageTypes';
import type { ParsedFile } from '../model/units';
import type { WorkspaceIndex } from '../model/workspace';

export interface FeatureContext extends FileAccess {
  document: TextDocument;
  text: string;
  /** Absolute path (file: URIs), else the URI itself. */
  path: string;
  parsed: ParsedFile;
  workspace: WorkspaceIndex;
  /** The runtime and settings each file of the workspace is checked with (the TLS map's links of other files). */
  accessFor(path: string): FileAccess;
  /** The problems of a file of the workspace as validation finds them (the endpoint hover's edge verdicts). */
  problemsOf(path: string): readonly Problem[];
}

/** Optional inputs of every feature: the file the caller already parsed, and the path when not the URI's. */
export interface FeatureOptions {
  parsed?: ParsedFile;
  path?: string;
}

export function pathOfUri(uri: string): string {
  return uri.startsWith('file:') ? URI.parse(uri).fsPath : uri;
}

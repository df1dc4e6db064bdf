/**
 * The caches of one language service instance, created with it and handed to whatever needs one
 * (there is no module-level mutable state in the core): parsed certificate files, the YAML chunks of
 * the last parse of each collector file, and the line tables of other files for related locations.
 * A new instance (new settings, a new workspace state) starts empty; tests never clear anything.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CertificateCache } from './certificates/certificateFiles';
import type { Runtime } from './runtime';
import type { Settings } from './settings';
import type { YamlChunkCache } from './yaml/yamlChunks';

export interface Caches {
  /** Parsed certificate and key files, by path, size and mtime (certificates/certificateFiles.ts). */
  certificates: CertificateCache;
  /** Chunks of the last parse of each collector file, reused after an edit (yaml/yamlChunks.ts). */
  yamlChunks: YamlChunkCache;
  /** Line tables of other files' texts, for related locations (diagnostics.ts relatedAt). */
  lineTables: Map<string, TextDocument>;
}

export function createCaches(): Caches {
  return { certificates: new Map(), yamlChunks: new Map(), lineTables: new Map() };
}

/** What reading the files a config names needs: the outside world, the settings and the service's caches. */
export interface FileAccess {
  runtime: Runtime;
  settings: Settings;
  caches: Caches;
}

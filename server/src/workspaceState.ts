/**
 * What the server knows of the workspace: open documents (their live text) over files scanned
 * on disk, each parsed once per version. Builds the core's WorkspaceIndex for cross-file checks.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { decodeUtf8 } from './nodeRuntime';
import { getLanguageService, type LanguageService, type ParsedDocument } from './service/languageService';
import type { FeatureOptions } from './service/features/featureContext';
import type { Problem } from './service/languageTypes';
import type { Runtime } from './service/runtime';
import type { Settings } from './service/settings';
import { createWorkspaceIndex, type WorkspaceIndex } from './service/model/workspace';
import { suggestedHosts } from './service/certificates/suggestedHosts';
import { isCandidatePath, walkCandidates } from './workspaceFiles';

interface Entry {
  text: string;
  /** Document version when open, file mtime when read from disk. */
  stamp: string;
  parsed?: ParsedDocument;
  open: boolean;
}

/** Files on disk larger than this are not read by the workspace scan. */
const MAX_SCANNED_FILE = 1024 * 1024;

export class WorkspaceState {
  private readonly entries = new Map<string, Entry>();
  private index: WorkspaceIndex | undefined;

  constructor(
    private readonly runtime: Runtime,
    private readonly settings: () => Settings,
  ) {}

  private service(workspace?: WorkspaceIndex) {
    return getLanguageService({ runtime: this.runtime, settings: this.settings(), workspace });
  }

  /** Reads the collector configs and env files of the workspace folders. */
  scan(roots: string[]): void {
    for (const root of roots) {
      for (const path of walkCandidates(root)) {
        if (this.entries.get(path)?.open) continue;
        this.loadFromDisk(path);
      }
    }
    this.index = undefined;
  }

  private loadFromDisk(path: string): void {
    try {
      const stat = this.runtime.fileSystem.stat(path);
      if (!stat || stat.kind !== 'file' || stat.size > MAX_SCANNED_FILE) {
        this.entries.delete(path);
        return;
      }
      const stamp = `disk:${stat.mtimeMs}:${stat.size}`;
      if (this.entries.get(path)?.stamp === stamp) return;
      this.entries.set(path, { text: decodeUtf8(this.runtime.fileSystem.readFile(path)).text, stamp, open: false });
    } catch {
      this.entries.delete(path);
    }
  }

  private parsed(path: string, entry: Entry): ParsedDocument {
    entry.parsed ??= this.service().parse({ path, text: entry.text });
    return entry.parsed;
  }

  private workspace(): WorkspaceIndex {
    if (!this.index) {
      const documents = [];
      for (const [path, entry] of this.entries) {
        const parsed = this.parsed(path, entry);
        if (parsed.kind !== 'other') documents.push({ path, text: entry.text, kind: parsed.kind, model: parsed.model });
      }
      this.index = createWorkspaceIndex(documents);
    }
    return this.index;
  }

  /** Records new text; returns true when the change may affect other files (a collector or env file). */
  documentChanged(document: TextDocument): boolean {
    const path = pathOf(document.uri);
    if (!path) return false;
    const stamp = `open:${document.version}`;
    const entry = this.entries.get(path);
    if (entry?.stamp === stamp) return false;
    const next: Entry = { text: document.getText(), stamp, open: true };
    this.entries.set(path, next);
    const kind = this.parsed(path, next).kind;
    const crossFile = kind !== 'other' || (entry?.parsed !== undefined && entry.parsed.kind !== 'other');
    if (crossFile) this.index = undefined;
    return crossFile;
  }

  documentClosed(document: TextDocument): void {
    const path = pathOf(document.uri);
    if (!path) return;
    this.entries.delete(path);
    this.loadFromDisk(path);
    this.index = undefined;
  }

  /** A watched file changed: configs are re-read; certificates need nothing (their cache is keyed by mtime). */
  fileChangedOnDisk(path: string): void {
    if (!isCandidatePath(path)) return;
    const entry = this.entries.get(path);
    if (entry?.open) return;
    this.loadFromDisk(path);
    this.index = undefined;
  }

  suggestedHosts(): string[] {
    return suggestedHosts(this.workspace(), this.runtime.getEnv);
  }

  invalidateAll(): void {
    for (const entry of this.entries.values()) entry.parsed = undefined;
    this.index = undefined;
  }

  validate(document: TextDocument): Problem[] {
    const path = pathOf(document.uri) ?? document.uri;
    this.documentChanged(document);
    const entry = this.entries.get(path);
    const parsed = entry ? this.parsed(path, entry) : undefined;
    return this.service(this.workspace()).validate({ path, text: document.getText() }, parsed);
  }

  /** Runs an editor feature of the core (quick fixes, hover...) on `document`, with its parsed model and the workspace. */
  withFeatures<T>(document: TextDocument, run: (service: LanguageService, options: FeatureOptions) => T): T {
    const path = pathOf(document.uri) ?? document.uri;
    this.documentChanged(document);
    const entry = this.entries.get(path);
    return run(this.service(this.workspace()), { path, parsed: entry ? this.parsed(path, entry) : undefined });
  }
}

function pathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? URI.parse(uri).fsPath : undefined;
}

/**
 * What the server knows of the workspace: open documents (their live text) over files scanned on
 * disk, each parsed once per version into its units, and the one language service of the current
 * settings (it owns the caches, so they live as long as the settings do). Builds the core's
 * WorkspaceIndex for cross-file checks.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { getLanguageService, type LanguageService } from './service/languageService';
import type { FeatureOptions } from './service/features/featureContext';
import type { Problem } from './service/languageTypes';
import { hasUnits, type ParsedFile } from './service/model/units';
import type { Runtime } from './service/runtime';
import type { Settings } from './service/settings';
import { readSourceFile } from './service/sourceFile';
import { createWorkspaceIndex, type WorkspaceIndex } from './service/model/workspace';
import { suggestedHosts } from './service/certificates/suggestedHosts';
import { isCandidatePath, walkCandidates } from './workspaceFiles';

interface Entry {
  text: string;
  /** Document version when open, file mtime and size when read from disk. */
  stamp: string;
  parsed?: ParsedFile;
  open: boolean;
}

export class WorkspaceState {
  private readonly entries = new Map<string, Entry>();
  private index: WorkspaceIndex | undefined;
  /** The language service of `currentSettings` (their JSON, compared by value). */
  private current: LanguageService | undefined;
  private currentSettings = '';

  constructor(
    private readonly runtime: Runtime,
    private readonly settings: () => Settings,
  ) {}

  /** The language service of the current settings: a new one (with empty caches) when they change, or after invalidateAll. */
  private service(): LanguageService {
    const settings = this.settings();
    const key = JSON.stringify(settings);
    if (!this.current || key !== this.currentSettings) {
      this.current = getLanguageService({ runtime: this.runtime, settings, workspace: () => this.workspace() });
      this.currentSettings = key;
    }
    return this.current;
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
    let stamp: string;
    try {
      const stat = this.runtime.fileSystem.stat(path);
      if (!stat) {
        this.entries.delete(path);
        return;
      }
      stamp = `disk:${stat.mtimeMs}:${stat.size}`;
    } catch {
      this.entries.delete(path);
      return;
    }
    if (this.entries.get(path)?.stamp === stamp) return;
    // What cannot be read (not a regular file, too large, unreadable) takes no part in cross-file checks.
    const file = readSourceFile(this.runtime.fileSystem, path);
    if (file.status === 'read') this.entries.set(path, { text: file.text, stamp, open: false });
    else this.entries.delete(path);
  }

  private parsed(path: string, entry: Entry): ParsedFile {
    entry.parsed ??= this.service().parse({ path, text: entry.text });
    return entry.parsed;
  }

  private workspace(): WorkspaceIndex {
    if (!this.index) {
      const files: ParsedFile[] = [];
      for (const [path, entry] of this.entries) {
        const parsed = this.parsed(path, entry);
        if (hasUnits(parsed)) files.push(parsed);
      }
      this.index = createWorkspaceIndex(files, this.runtime.getEnv);
    }
    return this.index;
  }

  /** Records new text; returns true when the change may affect other files (a file with units). */
  documentChanged(document: TextDocument): boolean {
    const path = pathOf(document.uri);
    if (!path) return false;
    const stamp = `open:${document.version}`;
    const entry = this.entries.get(path);
    if (entry?.stamp === stamp) return false;
    const next: Entry = { text: document.getText(), stamp, open: true };
    this.entries.set(path, next);
    const crossFile = hasUnits(this.parsed(path, next)) || (entry?.parsed !== undefined && hasUnits(entry.parsed));
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

  /** Settings, trust or workspace folders changed: a new language service, every file parsed again. */
  invalidateAll(): void {
    for (const entry of this.entries.values()) entry.parsed = undefined;
    this.index = undefined;
    this.current = undefined;
  }

  validate(document: TextDocument): Problem[] {
    const path = pathOf(document.uri) ?? document.uri;
    this.documentChanged(document);
    const entry = this.entries.get(path);
    const parsed = entry ? this.parsed(path, entry) : undefined;
    return this.service().validate({ path, text: document.getText() }, parsed);
  }

  /** Runs an editor feature of the core (quick fixes, hover...) on `document`, with its parsed file and the workspace. */
  withFeatures<T>(document: TextDocument, run: (service: LanguageService, options: FeatureOptions) => T): T {
    const path = pathOf(document.uri) ?? document.uri;
    this.documentChanged(document);
    const entry = this.entries.get(path);
    return run(this.service(), { path, parsed: entry ? this.parsed(path, entry) : undefined });
  }
}

function pathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? URI.parse(uri).fsPath : undefined;
}

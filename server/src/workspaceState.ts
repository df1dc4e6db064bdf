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
import type { WorkspaceIndex } from './service/model/workspace';
import { isProjectConfigPath } from './service/project/configFile';
import { suggestedHosts } from './service/certificates/suggestedHosts';
import { createVirtualCache } from './service/certificates/virtualCertificates';
import type { TlsMap } from './service/features/tlsMap';
import { isCandidatePath, walkCandidates } from './workspaceFiles';
import { processCpuMs } from './idleCollector';

interface Entry {
  text: string;
  /** Document version when open, file mtime and size when read from disk. */
  stamp: string;
  parsed?: ParsedFile;
  open: boolean;
  /** Read as this source whatever its name (a compose env_file another file references). */
  source?: string;
}

/** What the last parse of an open document's version cost (languageHandlers.ts answers from it while a newer one is not parsed). */
export interface ParsedVersion {
  version: number;
  text: string;
  parseMs: number;
}

export class WorkspaceState {
  private readonly entries = new Map<string, Entry>();
  /** path → the files whose units were read with it (ParsedFile.dependencies), kept as files are parsed. */
  private readonly dependents = new Map<string, Set<string>>();
  private index: WorkspaceIndex | undefined;
  /** The last index built, and the service that built it: the next one takes from it what an edit left standing. */
  private lastIndex: { index: WorkspaceIndex; service: LanguageService } | undefined;
  /** The language service of `currentSettings` (their JSON, compared by value). */
  private current: LanguageService | undefined;
  private currentSettings = '';
  /** What cert-manager will issue, kept across the services of successive settings (its keys are costly to make). */
  private readonly virtualCache = createVirtualCache();
  /** The CPU time the last parse of each path took, in ms. */
  private readonly parseCost = new Map<string, number>();
  /** Called whenever what the workspace holds may have changed (the TLS map's live updates). */
  onChange: () => void = () => undefined;

  constructor(
    private readonly runtime: Runtime,
    private readonly settings: () => Settings,
  ) {}

  /** The language service of the current settings: a new one (with empty caches, but the virtual certificates kept) when they change, or after invalidateAll. */
  private service(): LanguageService {
    const settings = this.settings();
    const key = JSON.stringify(settings);
    if (!this.current || key !== this.currentSettings) {
      // .otlp-tls.yaml files are looked for up to the workspace folders (project/projectConfigs.ts).
      this.current = getLanguageService({
        runtime: this.runtime,
        settings,
        workspace: () => this.workspace(),
        readDocument: (path) => this.entries.get(path)?.text,
        projectConfig: { boundaries: settings.workspaceRoots },
        virtualCache: this.virtualCache,
        // The TLS map's diagnostics: each file as parsed here, the same object validation checks.
        parsedFile: (path) => {
          const entry = this.entries.get(path);
          return entry ? this.parsed(path, entry) : undefined;
        },
      });
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
    this.invalidate();
  }

  private loadFromDisk(path: string, source?: string): void {
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
    const known = this.entries.get(path);
    if (known?.stamp === stamp && known.source === source) return;
    // What cannot be read (not a regular file, too large, unreadable) takes no part in cross-file checks.
    const file = readSourceFile(this.runtime.fileSystem, path);
    if (file.status === 'read') this.entries.set(path, { text: file.text, stamp, open: false, ...(source ? { source } : {}) });
    else this.entries.delete(path);
  }

  private parsed(path: string, entry: Entry): ParsedFile {
    if (!entry.parsed) {
      const started = processCpuMs();
      entry.parsed = this.service().parse({ path, text: entry.text }, entry.source ? { source: entry.source } : {});
      this.parseCost.set(path, processCpuMs() - started);
      for (const dependency of entry.parsed.dependencies ?? []) {
        const set = this.dependents.get(dependency);
        if (set) set.add(path);
        else this.dependents.set(dependency, new Set([path]));
      }
    }
    return entry.parsed;
  }

  /**
   * Parses the file at `path` now if it is known and not parsed yet (the workspace scan parses each
   * file as it reads it, in its slices, so the first validation finds the index's files parsed).
   */
  parseFile(path: string): void {
    const entry = this.entries.get(path);
    if (entry) this.parsed(path, entry);
  }

  /** Whether some file's units were read with `path`. */
  private isDependency(path: string): boolean {
    const set = this.dependents.get(path);
    if (!set) return false;
    for (const other of set) if (this.entries.get(other)?.parsed?.dependencies?.includes(path)) return true;
    return false;
  }

  /** The sources files reference by path (a compose env_file): path → source. */
  private referenced(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [path, entry] of this.entries) {
      for (const [other, source] of Object.entries(this.parsed(path, entry).references ?? {})) out.set(other, source);
    }
    return out;
  }

  private workspace(): WorkspaceIndex {
    if (!this.index) {
      // Files another file names as a source (a compose env_file) are read too, whatever their names.
      for (const [path, source] of this.referenced()) {
        const entry = this.entries.get(path);
        if (!entry) this.loadFromDisk(path, source);
        else if (!isCandidatePath(path) && entry.source !== source) {
          entry.source = source;
          entry.parsed = undefined;
        }
      }
      const files: ParsedFile[] = [];
      for (const [path, entry] of this.entries) {
        const parsed = this.parsed(path, entry);
        if (hasUnits(parsed)) files.push(parsed);
      }
      // Each listener's port is read with its own file's environment (.otlp-tls.yaml); an edit that changed
      // nothing the index answers (a collector config's tls block) keeps its answers.
      const service = this.service();
      const previous = this.lastIndex?.service === service ? this.lastIndex.index : undefined;
      this.index = service.workspaceIndex(files, previous);
      this.lastIndex = { index: this.index, service };
    }
    return this.index;
  }

  /** Files whose units were read with `path` (a compose file and its `.env` or env_file) are read again. */
  private dependentsChanged(path: string): void {
    const set = this.dependents.get(path);
    if (!set) return;
    for (const other of set) {
      const entry = this.entries.get(other);
      if (other !== path && entry?.parsed?.dependencies?.includes(path)) entry.parsed = undefined;
    }
    this.dependents.delete(path);
  }

  /** Records new text; returns true when the change may affect other files (a file with units). */
  documentChanged(document: TextDocument): boolean {
    const path = pathOf(document.uri);
    if (!path) return false;
    const stamp = `open:${document.version}`;
    const entry = this.entries.get(path);
    if (entry?.stamp === stamp) return false;
    const next: Entry = { text: document.getText(), stamp, open: true, ...(entry?.source ? { source: entry.source } : {}) };
    this.entries.set(path, next);
    const dependents = this.isDependency(path);
    this.dependentsChanged(path);
    const crossFile = dependents || hasUnits(this.parsed(path, next)) || (entry?.parsed !== undefined && hasUnits(entry.parsed));
    if (crossFile) this.invalidate();
    return crossFile;
  }

  /** The version of the open document `uri` that is parsed now (it may be older than the document's), with what that parse cost. */
  parsedVersion(uri: string): ParsedVersion | undefined {
    const path = pathOf(uri);
    const entry = path === undefined ? undefined : this.entries.get(path);
    if (!entry?.open || !entry.parsed || !entry.stamp.startsWith('open:')) return undefined;
    return { version: Number(entry.stamp.slice('open:'.length)), text: entry.text, parseMs: this.parseCost.get(path!) ?? 0 };
  }

  documentClosed(document: TextDocument): void {
    const path = pathOf(document.uri);
    if (!path) return;
    this.parseCost.delete(path);
    const source = this.entries.get(path)?.source;
    this.entries.delete(path);
    this.current?.documentClosed(path);
    this.loadFromDisk(path, source);
    this.dependentsChanged(path);
    this.invalidate();
  }

  /**
   * A watched file changed: configs are re-read; what the core knows of the path (its stat, a
   * certificate's contents) is asked again; a `.otlp-tls.yaml` (created, saved or deleted) may change
   * how every file is checked: all is read again.
   */
  fileChangedOnDisk(path: string): void {
    if (isProjectConfigPath(path)) this.invalidateAll();
    this.current?.fileChanged(path);
    const entry = this.entries.get(path);
    const dependency = this.isDependency(path);
    // A certificate changing changes verdicts (the map's too), though the index stays.
    if (!isCandidatePath(path) && !entry?.source && !dependency) return this.onChange();
    this.dependentsChanged(path);
    if (!entry?.open) this.loadFromDisk(path, entry?.source);
    this.invalidate();
  }

  private invalidate(): void {
    this.index = undefined;
    this.onChange();
  }

  /** The TLS map of the workspace: the open documents over the scanned files, with their diagnostics as validation finds them. */
  tlsMap(): TlsMap {
    return this.service().tlsMap();
  }

  suggestedHosts(): string[] {
    return suggestedHosts(this.workspace(), this.runtime.getEnv);
  }

  /**
   * The paths the core knows a fact of, for the sweep of those no watcher reports (handlers/fileSweep.ts),
   * and asking one again: true when it changed (then what depends on it is checked again).
   */
  knownFiles(): string[] {
    return this.current?.knownFiles() ?? [];
  }

  recheckFile(path: string): boolean {
    if (!this.current?.recheckFile(path)) return false;
    // A file a source read (a compose project's .env) changed: the files that read it are parsed again.
    if (this.isDependency(path) || this.entries.has(path)) this.fileChangedOnDisk(path);
    else this.onChange(); // a certificate: verdicts change (the map's too), the index stays
    return true;
  }

  /** Settings, trust or workspace folders changed: a new language service, every file parsed again. */
  invalidateAll(): void {
    for (const entry of this.entries.values()) entry.parsed = undefined;
    this.dependents.clear();
    this.current = undefined;
    this.invalidate();
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

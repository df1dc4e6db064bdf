/**
 * Validation, coalesced (issue 15 item 3): only the latest version of a document is parsed and
 * checked. An edit after a quiet spell is checked on the next turn (so a single edit costs no
 * wait); an edit that follows another within VALIDATION_DELAY_MS (re)starts a per-document timer,
 * so a burst of edits costs one validation after it (and at most one at its start). An opened
 * document, a settings change or a file changed on disk is checked on the next turn. Work for a
 * version that an edit supersedes is dropped before it starts. The queue runs one
 * document per turn of the event loop and steps aside while requests wait, so hover, completion
 * and code actions are answered between validations, never after a backlog of them.
 *
 * Validation waits for the first workspace scan (`release`), so the first diagnostics of a document
 * already pair it with the rest of the workspace.
 */
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { toDiagnostic } from '../service/diagnostics';
import type { WorkspaceState } from '../workspaceState';
import { isCandidatePath } from '../workspaceFiles';
import type { FeatureRunner } from './runSafe';

/** How long a document must stay unedited before it is checked (yaml-language-server waits 200 ms too). */
export const VALIDATION_DELAY_MS = 200;

export class ValidationQueue {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly queued = new Set<string>();
  /** Documents whose text changed since they were last checked: their change may affect the others. */
  private readonly changed = new Set<string>();
  private readonly known = new Set<string>();
  /** When each document last changed (performance.now()). */
  private readonly lastChange = new Map<string, number>();
  private scheduled = false;
  private held = true;
  /** Validations run (one version of one document each). */
  validations = 0;
  /** didOpen and didChange notifications seen. */
  changes = 0;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly state: WorkspaceState,
    private readonly runner: FeatureRunner,
    private readonly delayMs = VALIDATION_DELAY_MS,
  ) {}

  /** didOpen / didChange (TextDocuments' onDidChangeContent fires for both). */
  contentChanged(document: TextDocument): void {
    this.changes++;
    this.changed.add(document.uri);
    const now = performance.now();
    const previous = this.lastChange.get(document.uri);
    this.lastChange.set(document.uri, now);
    if (!this.known.has(document.uri)) {
      this.known.add(document.uri);
      this.enqueue(document.uri);
      return;
    }
    // A newer version: whatever was planned for the older one is dropped.
    this.queued.delete(document.uri);
    const typing = this.timers.has(document.uri) || (previous !== undefined && now - previous < this.delayMs);
    this.clearTimer(document.uri);
    if (!typing) {
      this.enqueue(document.uri);
      return;
    }
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        this.enqueue(document.uri);
      }, this.delayMs),
    );
  }

  closed(document: TextDocument): void {
    this.known.delete(document.uri);
    this.changed.delete(document.uri);
    this.lastChange.delete(document.uri);
    this.queued.delete(document.uri);
    this.clearTimer(document.uri);
    this.state.documentClosed(document);
    void this.connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  }

  /** Every open document, on the next turns (settings, trust, files on disk changed). Edits still pending keep their timer. */
  all(): void {
    for (const document of this.documents.all()) if (!this.timers.has(document.uri)) this.enqueue(document.uri);
  }

  /** The workspace scan is done: validation may start. */
  release(): void {
    this.held = false;
    this.kick();
  }

  private enqueue(uri: string): void {
    this.queued.add(uri);
    this.kick();
  }

  private clearTimer(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(uri);
  }

  private kick(): void {
    if (this.scheduled || this.held || this.queued.size === 0) return;
    this.scheduled = true;
    setImmediate(() => this.step());
  }

  private step(): void {
    this.scheduled = false;
    if (this.runner.busy) {
      // Requests are waiting: they go first; come back on a later turn.
      this.scheduled = true;
      setTimeout(() => this.step(), 1);
      return;
    }
    const [uri] = this.queued;
    if (uri !== undefined) {
      this.queued.delete(uri);
      const document = this.documents.get(uri);
      if (document) this.validate(document);
    }
    this.kick();
  }

  private validate(document: TextDocument): void {
    const changed = this.changed.delete(document.uri);
    let diagnostics: Diagnostic[];
    try {
      this.validations++;
      diagnostics = this.state.validate(document).map((problem) => toDiagnostic(document, problem));
    } catch (error) {
      this.runner.failed(`checking ${document.uri}`, error);
      diagnostics = [];
    }
    void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
    // A collector config or env file can change what the other open files pair with.
    if (changed && affectsOthers(document.uri)) {
      for (const other of this.documents.all()) if (other.uri !== document.uri && !this.timers.has(other.uri)) this.enqueue(other.uri);
    }
  }
}

function affectsOthers(uri: string): boolean {
  return uri.startsWith('file:') && isCandidatePath(URI.parse(uri).fsPath);
}

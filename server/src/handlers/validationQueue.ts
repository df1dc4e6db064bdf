/**
 * Validation, coalesced (issue 15 item 3): only the latest version of a document is parsed and
 * checked. An edit is checked as soon as the messages already received are handled, when nothing
 * is pending for its document: a single edit, or typing into a document that checks fast, waits for
 * nothing. An edit that comes while a check of its document is still pending (the messages of a
 * burst arrive together; keystrokes queue up behind a slow check) drops that check and (re)starts a
 * per-document timer (VALIDATION_DELAY_MS), so a burst of edits costs one validation after it (and
 * at most one at its start), and typing into a document slower to check than the keystrokes come
 * costs one validation per pause. A document slow to check (its last validation took SLOW_VALIDATION_MS or
 * more, scaled by how much longer its text is now: a megabyte pasted into a small file) waits for a pause
 * even after a quiet spell, and a longer one, as long as its last validation took (at most
 * MAX_VALIDATION_DELAY_MS): the requests sent meanwhile are answered from its parsed version
 * (parsedView.ts) instead of waiting behind the check, and a burst costs one check. An opened document, a settings change or a file changed on disk
 * is checked on the next turns. The queue runs one
 * document per turn of the event loop and steps aside while requests wait, so hover, completion
 * and code actions are answered between validations, never after a backlog of them.
 *
 * Validation waits for the first workspace scan (`release`), so the first diagnostics of a document
 * already pair it with the rest of the workspace.
 */
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { DiagnosticMemo } from '../service/diagnostics';
import { processCpuMs } from '../idleCollector';
import type { WorkspaceState } from '../workspaceState';
import { isCandidatePath } from '../workspaceFiles';
import type { FeatureRunner } from './runSafe';

/** How long a document in a burst of edits must stay unedited before it is checked (yaml-language-server always waits 200 ms). */
export const VALIDATION_DELAY_MS = 100;
/** A validation this slow (ms of CPU) makes the document's next edits wait for a pause, as long as it took. */
export const SLOW_VALIDATION_MS = 50;
/** The longest pause a slow document waits for before it is checked. */
export const MAX_VALIDATION_DELAY_MS = 1_000;

export class ValidationQueue {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly queued = new Set<string>();
  /** Documents whose text changed since they were last checked: their change may affect the others. */
  private readonly changed = new Set<string>();
  private readonly known = new Set<string>();
  private scheduled = false;
  private held = true;
  /** Validations run (one version of one document each). */
  validations = 0;
  /** didOpen and didChange notifications seen. */
  changes = 0;
  /** Validations whose diagnostics were those already published for the same version (not sent again). */
  unchanged = 0;
  /** The last diagnostics published for each open document, with its version. */
  private readonly published = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  /** Per open document: a kept problem whose range stands gets its Diagnostic object of the last publish back (its JSON is kept too: messageEncoding.ts). */
  private readonly memos = new Map<string, DiagnosticMemo>();
  /** What the last validation of each open document cost (ms of CPU), and its text's length then. */
  private readonly costs = new Map<string, { ms: number; length: number }>();

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
    if (!this.known.has(document.uri)) {
      this.known.add(document.uri);
      this.enqueue(document.uri);
      return;
    }
    // A newer version: whatever was planned for the older one is dropped.
    const pending = this.timers.has(document.uri) || this.queued.delete(document.uri);
    this.clearTimer(document.uri);
    const expected = this.expectedMs(document);
    if (!pending && expected < SLOW_VALIDATION_MS) {
      this.enqueue(document.uri);
      return;
    }
    this.timers.set(
      document.uri,
      setTimeout(
        () => {
          this.timers.delete(document.uri);
          this.enqueue(document.uri);
        },
        Math.max(this.delayMs, Math.min(MAX_VALIDATION_DELAY_MS, expected)),
      ),
    );
  }

  /** Whether the check of `uri` waits for a pause in its edits (a timer), for the tests. */
  waitsForPause(uri: string): boolean {
    return this.timers.has(uri);
  }

  /** What validating `document` is expected to cost (ms): its last validation's, scaled by how much its text grew since. */
  expectedMs(document: TextDocument): number {
    const last = this.costs.get(document.uri);
    if (!last) return 0;
    return last.ms * Math.max(1, document.getText().length / Math.max(1, last.length));
  }

  closed(document: TextDocument): void {
    this.known.delete(document.uri);
    this.published.delete(document.uri);
    this.memos.delete(document.uri);
    this.costs.delete(document.uri);
    this.changed.delete(document.uri);
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
    // Two turns: the message loop handles one message per turn, so an edit already received (the
    // next of a burst) is seen, and drops this check, before it starts.
    setImmediate(() => setImmediate(() => this.step()));
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
    const started = processCpuMs();
    try {
      this.validations++;
      const problems = this.state.validate(document);
      let memo = this.memos.get(document.uri);
      if (!memo) this.memos.set(document.uri, (memo = new DiagnosticMemo()));
      diagnostics = memo.toDiagnostics(document, problems);
    } catch (error) {
      this.runner.failed(`checking ${document.uri}`, error);
      diagnostics = [];
    }
    this.costs.set(document.uri, { ms: processCpuMs() - started, length: document.getText().length });
    // The same version with the same list (another file's edit re-checked this one, and nothing it pairs
    // with changed): the client has it already, and the whole list is not sent again.
    const last = this.published.get(document.uri);
    if (!last || last.version !== document.version || !sameDiagnostics(last.diagnostics, diagnostics)) {
      this.published.set(document.uri, { version: document.version, diagnostics });
      void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
    } else {
      this.unchanged++;
    }
    // A collector config or env file can change what the other open files pair with.
    if (changed && affectsOthers(document.uri)) {
      for (const other of this.documents.all()) if (other.uri !== document.uri && !this.timers.has(other.uri)) this.enqueue(other.uri);
    }
  }
}

function affectsOthers(uri: string): boolean {
  return uri.startsWith('file:') && isCandidatePath(URI.parse(uri).fsPath);
}

/** Whether two diagnostics lists say the same, field by field (data by reference: a kept problem keeps its data). */
function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x.code !== y.code || x.message !== y.message || x.severity !== y.severity || x.source !== y.source || x.data !== y.data || !sameRange(x.range, y.range)) return false;
    if (x.codeDescription?.href !== y.codeDescription?.href || (x.tags?.join() ?? '') !== (y.tags?.join() ?? '')) return false;
    const rx = x.relatedInformation ?? [];
    const ry = y.relatedInformation ?? [];
    if (rx.length !== ry.length) return false;
    for (let k = 0; k < rx.length; k++) {
      if (rx[k].message !== ry[k].message || rx[k].location.uri !== ry[k].location.uri || !sameRange(rx[k].location.range, ry[k].location.range)) return false;
    }
  }
  return true;
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

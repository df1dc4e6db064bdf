/**
 * The editor features: code actions, hover, completion, document links. Each handler finds the
 * document, asks the workspace state for its parsed model and calls the core, through
 * `FeatureRunner.run` (cancellable, never a failed request). Requests are safe whatever they carry
 * (issue 15 item 4):
 * - a position past a line's end or the document's end is clamped onto the text, as the editor
 *   would show it; a position that is not one (negative, fractional, missing) gets the empty answer;
 * - line ends are whatever the document uses (LF, CRLF, lone CR): positions go through TextDocument;
 * - a document closed before the request's turn answers empty; code actions and completion for a
 *   document that an edit changed in the meantime answer empty too, as their edits' ranges belong to
 *   the old text (hover and links answer on the current text: they edit nothing).
 *
 * A document whose parse is slow (a megabyte pasted) is not parsed again for a request: while the version
 * parsed is older than the document's (the validation queue parses the new one after the burst), a request is
 * answered from the parsed version (parsedView.ts), its position moved back through the edits since, its
 * answer's ranges forward; a position on a line an edit changed since then was not parsed: its answer is the
 * empty one, unless the edits since are a few characters typed (then it waits for the parse, as before).
 */
import type { CancellationToken, CodeAction, CodeActionParams, CompletionItem, Connection, DocumentLink, DocumentLinkParams, Hover, Position, TextDocumentPositionParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceState } from '../workspaceState';
import { mapCodeActions, mapCompletions, mapHover, mapLinks, parsedView, type ParsedView } from './parsedView';
import type { FeatureRunner } from './runSafe';
import type { VersionDeltas } from './versionDeltas';

export function registerLanguageHandlers(connection: Connection, documents: TextDocuments<TextDocument>, state: WorkspaceState, runner: FeatureRunner, deltas: VersionDeltas): void {
  const viewOf = (document: TextDocument): ParsedView | undefined => parsedView(state, deltas, document);
  /** An answer from the parsed version (undefined: none, the request is answered on the current one). */
  const counted = <T>(answer: T | undefined): T | undefined => {
    if (answer !== undefined) deltas.answered++;
    return answer;
  };

  /** Runs `work` on the document of `uri` when the request's turn comes; `fallback` when it is gone (or, for `edits`, was changed since the request). */
  function onDocument<T>(feature: string, uri: unknown, token: CancellationToken, fallback: T, work: (document: TextDocument) => T, edits = false) {
    const asked = typeof uri === 'string' ? documents.get(uri)?.version : undefined;
    return runner.run(feature, token, fallback, () => {
      const document = typeof uri === 'string' ? documents.get(uri) : undefined;
      if (!document || (edits && document.version !== asked)) return fallback;
      return work(document);
    });
  }

  connection.onCodeAction((params: CodeActionParams, token) =>
    onDocument<CodeAction[]>(
      'code actions',
      params?.textDocument?.uri,
      token,
      [],
      (document) => {
        // A client's diagnostics may be anything; the fixers get the ones that are objects.
        const diagnostics = (Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : []).filter((d) => typeof d === 'object' && d !== null);
        const view = viewOf(document);
        if (view) {
          const mapped = counted(mapCodeActions(view, diagnostics, (old, oldDiagnostics) => state.withFeatures(old, (core, options) => core.getCodeActions(old, oldDiagnostics, options))));
          if (mapped !== undefined) return mapped;
        }
        return state.withFeatures(document, (core, options) => core.getCodeActions(document, diagnostics, options));
      },
      true,
    ),
  );

  connection.onHover((params: TextDocumentPositionParams, token) =>
    onDocument<Hover | null>('hover', params?.textDocument?.uri, token, null, (document) => {
      const position = onText(document, params.position);
      if (!position) return null;
      const view = viewOf(document);
      if (view) {
        const mapped = counted(mapHover(view, position, (old, at) => state.withFeatures(old, (core, options) => core.getHover(old, at, options))));
        if (mapped !== undefined) return mapped;
      }
      return state.withFeatures(document, (core, options) => core.getHover(document, position, options));
    }),
  );

  connection.onCompletion((params: TextDocumentPositionParams, token) =>
    onDocument<CompletionItem[]>(
      'completion',
      params?.textDocument?.uri,
      token,
      [],
      (document) => {
        const position = onText(document, params.position);
        if (!position) return [];
        const view = viewOf(document);
        if (view) {
          const mapped = counted(mapCompletions(view, position, (old, at) => state.withFeatures(old, (core, options) => core.getCompletions(old, at, options))));
          if (mapped !== undefined) return mapped;
        }
        return state.withFeatures(document, (core, options) => core.getCompletions(document, position, options));
      },
      true,
    ),
  );

  connection.onDocumentLinks((params: DocumentLinkParams, token) =>
    onDocument<DocumentLink[]>('document links', params?.textDocument?.uri, token, [], (document) => {
      const view = viewOf(document);
      if (view) return counted(mapLinks(view, state.withFeatures(view.parsed, (core, options) => core.getDocumentLinks(view.parsed, options))))!;
      return state.withFeatures(document, (core, options) => core.getDocumentLinks(document, options));
    }),
  );
}

/**
 * The position on the document's text: a line past the end goes to the end of the text, a
 * character past the line's end to the line's end (before its line break). undefined when it is
 * not a position at all.
 */
export function onText(document: TextDocument, position: Position | undefined): Position | undefined {
  if (!position || !isCount(position.line) || !isCount(position.character)) return undefined;
  return document.positionAt(document.offsetAt(position));
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * What each edit of an open document changed, kept from the last parsed version on, so a request on a
 * document whose parse is slow is answered from the version already parsed (issue 15 item 4: requests do
 * not wait behind a whole parse of a huge new version; the validation queue parses it after the burst).
 *
 * Every didChange is recorded as the one span it changed (service/text/textDelta.ts, from the texts: tens
 * of microseconds for a keystroke in a megabyte), from its version to the next. A request's position and
 * range go back through those spans to the parsed version's text, and the answer's ranges forward to the
 * current text; what lies in a span an edit changed since the parse was not parsed, so it is not answered
 * from there (the caller decides what then: languageHandlers.ts).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { textDelta, type TextDelta } from '../service/text/textDelta';

/** Edits kept per document: a parse older than this many versions is not answered from. */
const MAX_STEPS = 512;

interface Step {
  from: number;
  to: number;
  /** undefined: the edit left the text as it was. */
  delta: TextDelta | undefined;
}

export class VersionDeltas {
  private readonly last = new Map<string, { version: number; text: string }>();
  private readonly steps = new Map<string, Step[]>();
  /** Requests answered from an older parsed version through these edits (otlpTls/statistics). */
  answered = 0;

  /** didOpen / didChange (the document after the change). */
  changed(document: TextDocument): void {
    const text = document.getText();
    const last = this.last.get(document.uri);
    this.last.set(document.uri, { version: document.version, text });
    if (!last || document.version <= last.version) {
      // Opened (again): no edit leads here from an older version.
      this.steps.set(document.uri, []);
      return;
    }
    let steps = this.steps.get(document.uri);
    if (!steps) this.steps.set(document.uri, (steps = []));
    steps.push({ from: last.version, to: document.version, delta: textDelta(last.text, text) });
    if (steps.length > MAX_STEPS) steps.splice(0, steps.length - MAX_STEPS);
  }

  closed(uri: string): void {
    this.last.delete(uri);
    this.steps.delete(uri);
  }

  /** The edits from version `from` to version `to`, in order; undefined when they are not all known. */
  between(uri: string, from: number, to: number): TextDelta[] | undefined {
    if (from === to) return [];
    const steps = this.steps.get(uri);
    if (!steps) return undefined;
    let first = steps.length - 1;
    while (first >= 0 && steps[first].from !== from) first--;
    if (first < 0 || steps[steps.length - 1].to !== to) return undefined;
    const deltas: TextDelta[] = [];
    for (let i = first; i < steps.length; i++) {
      if (i > first && steps[i].from !== steps[i - 1].to) return undefined;
      const delta = steps[i].delta;
      if (delta) deltas.push(delta);
    }
    return deltas;
  }
}

/**
 * The span [start, end) of the current text as it was in the text before `deltas`, or undefined when an
 * edit touched it (an insertion at its start or end does not touch it; an empty span at an edit's start is
 * before the edit).
 */
export function spanBefore(deltas: readonly TextDelta[], start: number, end: number): { start: number; end: number } | undefined {
  for (let i = deltas.length - 1; i >= 0; i--) {
    const d = deltas[i];
    if (end <= d.start) continue;
    if (start >= d.newEnd) {
      const shift = d.newEnd - d.oldEnd;
      start -= shift;
      end -= shift;
      continue;
    }
    return undefined;
  }
  return { start, end };
}

/** The span [start, end) of the text before `deltas` as it is in the current text, or undefined when an edit touched it. */
export function spanAfter(deltas: readonly TextDelta[], start: number, end: number): { start: number; end: number } | undefined {
  for (const d of deltas) {
    if (end <= d.start) continue;
    if (start >= d.oldEnd) {
      const shift = d.newEnd - d.oldEnd;
      start += shift;
      end += shift;
      continue;
    }
    return undefined;
  }
  return { start, end };
}

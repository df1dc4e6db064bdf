/**
 * Line starts of a text, as LSP counts lines (`\n`, `\r\n` and a lone `\r` each end one), with
 * `positionAt` exactly as vscode-languageserver-textdocument's. `updated` builds the index of the next
 * version of the text from this one and the span that changed (./textDelta.ts): the lines before the
 * change are kept, the changed lines are scanned again, and the ones after it are moved, so a
 * keystroke costs a copy of an integer array, not a scan of the text.
 */
import { lineEndAfter, type TextDelta } from './textDelta';

export class LineIndex {
  private constructor(
    readonly text: string,
    /** starts[i]: the offset of line i; starts[0] is 0. */
    private readonly starts: Int32Array,
  ) {}

  static of(text: string): LineIndex {
    const found: number[] = [0];
    scanBreaks(text, 0, text.length, found);
    return new LineIndex(text, Int32Array.from(found));
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The index of `next`, built from this one; `delta` is the change from this text to `next` (undefined: none). */
  updated(next: string, delta: TextDelta | undefined): LineIndex {
    if (!delta) return next === this.text ? this : new LineIndex(next, this.starts);
    const old = this.text;
    const from = Math.max(0, delta.start - 1);
    const oldTo = lineEndAfter(old, delta.oldEnd);
    const newTo = lineEndAfter(next, delta.newEnd);
    const shift = delta.newEnd - delta.oldEnd;
    const keep = this.lastStartAtOrBefore(from) + 1;
    const after = this.lastStartAtOrBefore(oldTo) + 1;
    const middle: number[] = [];
    scanBreaks(next, from, newTo, middle);
    const tail = this.starts.length - after;
    const starts = new Int32Array(keep + middle.length + tail);
    starts.set(this.starts.subarray(0, keep), 0);
    for (let i = 0; i < middle.length; i++) starts[keep + i] = middle[i];
    const base = keep + middle.length;
    for (let i = 0; i < tail; i++) starts[base + i] = this.starts[after + i] + shift;
    return new LineIndex(next, starts);
  }

  /** The 0-based line of `offset` (clamped onto the text). */
  lineAt(offset: number): number {
    return this.lastStartAtOrBefore(Math.max(0, Math.min(offset, this.text.length)));
  }

  /** The offset where line `line` starts (the text's length past the last line). */
  lineStart(line: number): number {
    return line < this.starts.length ? this.starts[Math.max(0, line)] : this.text.length;
  }

  /** As TextDocument.positionAt: clamped onto the text, and never inside a line break. */
  positionAt(offset: number): { line: number; character: number } {
    let at = Math.max(Math.min(offset, this.text.length), 0);
    const line = this.lastStartAtOrBefore(at);
    const start = this.starts[line];
    while (at > start && isBreak(this.text.charCodeAt(at - 1))) at--;
    return { line, character: at - start };
  }

  /** The greatest i with starts[i] <= offset (0 when none is greater than 0). */
  private lastStartAtOrBefore(offset: number): number {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.starts[mid] > offset) high = mid;
      else low = mid + 1;
    }
    return Math.max(0, low - 1);
  }
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** Pushes the start of every line that a break beginning in [from, to) of `text` opens. */
function scanBreaks(text: string, from: number, to: number, out: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) out.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      out.push(i + 1);
    }
  }
}

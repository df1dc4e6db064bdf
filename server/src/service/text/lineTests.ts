/**
 * "Does some line of this file match": the cheap look a source takes at a file before parsing it
 * (`^file_format:`, `^services:`, `^apiVersion:`...), kept per file as a count of matching lines and
 * brought to the next version of the text from the lines an edit changed, so deciding which source
 * reads a file does not scan it on every keystroke. A pattern must be anchored at a line start (`^`
 * with the `m` flag) and match within one line.
 */
import { lineEndAfter, lineStartAt, type TextDeltas } from './textDelta';

const MAX_FILES = 256;

export class LineTests {
  private readonly files = new Map<string, { text: string; counts: Map<RegExp, number> }>();
  private readonly global = new Map<RegExp, RegExp>();

  constructor(private readonly deltas: TextDeltas) {}

  /** Forgets what is kept of `path` (and the text it holds). */
  forget(path: string): void {
    this.files.delete(path);
  }

  /** Whether a line of `text` (the current text of `path`) matches `pattern`. */
  test(path: string, text: string, pattern: RegExp): boolean {
    let file = this.files.get(path);
    if (!file || file.text !== text) {
      file = file ? this.moved(file, text) : { text, counts: new Map() };
      this.files.delete(path);
      if (this.files.size >= MAX_FILES) this.files.delete(this.files.keys().next().value as string);
      this.files.set(path, file);
    }
    let count = file.counts.get(pattern);
    if (count === undefined) {
      count = this.count(pattern, text, 0, text.length);
      file.counts.set(pattern, count);
    }
    return count > 0;
  }

  /** The counts of `file` for `text`: each minus the matches in the changed lines of the old text, plus those in the new. */
  private moved(file: { text: string; counts: Map<RegExp, number> }, text: string): { text: string; counts: Map<RegExp, number> } {
    const delta = this.deltas.between(file.text, text);
    if (!delta) return { text, counts: file.counts };
    const from = lineStartAt(file.text, delta.start);
    const oldTo = lineEndAfter(file.text, delta.oldEnd);
    const newTo = oldTo + (delta.newEnd - delta.oldEnd);
    const counts = new Map<RegExp, number>();
    for (const [pattern, count] of file.counts) counts.set(pattern, count - this.count(pattern, file.text, from, oldTo) + this.count(pattern, text, from, newTo));
    return { text, counts };
  }

  private count(pattern: RegExp, text: string, from: number, to: number): number {
    let all = this.global.get(pattern);
    if (!all) {
      all = new RegExp(pattern.source, 'gm');
      this.global.set(pattern, all);
    }
    const slice = from === 0 && to === text.length ? text : text.slice(from, to);
    let n = 0;
    all.lastIndex = 0;
    // Anchored at a line start: at most one match per line, and the next search starts after it.
    for (let m = all.exec(slice); m; m = all.exec(slice)) {
      n++;
      if (m[0].length === 0) all.lastIndex++;
    }
    return n;
  }
}

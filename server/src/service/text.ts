/** Line arithmetic on a text, for sources that edit their own syntax and for quick fixes. */

/** The offset of the start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Index just past the `\n` ending the line holding `offset` (the text's end on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** Indentation (blanks) of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const from = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(from))![0];
}

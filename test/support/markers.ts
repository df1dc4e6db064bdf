/**
 * Position markers for inline test documents: wrap the expected range in ⟦ ⟧.
 *   const { text, ranges } = marked('tls:\n  ⟦insecure⟧: true');
 * Ranges are [start, end) offsets into the text without markers.
 */
export function marked(source: string): { text: string; ranges: [number, number][] } {
  let text = '';
  const ranges: [number, number][] = [];
  const open: number[] = [];
  for (const ch of source) {
    if (ch === '⟦') open.push(text.length);
    else if (ch === '⟧') ranges.push([open.pop()!, text.length]);
    else text += ch;
  }
  if (open.length) throw new Error('unbalanced ⟦ in test document');
  return { text, ranges };
}

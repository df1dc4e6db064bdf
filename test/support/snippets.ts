/** Snippet bodies as VS Code inserts them when every placeholder keeps its default. */

/** The body as inserted with every placeholder at its default (the first choice; empty for tab stops). */
export function expand(body: string | string[]): string {
  let text = Array.isArray(body) ? body.join('\n') : body;
  for (let i = 0; i < 5; i++) {
    text = text
      .replace(/\$\{\d+:([^${}]*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
      .replace(/\$\{\d+\}|\$\d+/g, '');
  }
  return text;
}

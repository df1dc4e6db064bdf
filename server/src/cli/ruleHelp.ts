/**
 * The help of each SARIF rule: its section of docs/diagnostics.md, in Markdown. The page is bundled into
 * dist/cli-main.js at build time (esbuild's text loader), so the CLI needs no file beside it, wherever it is
 * installed (a clone, an `npm pack` tarball, the GitHub Action's checkout).
 */
import diagnosticsDoc from '../../../docs/diagnostics.md';
import type { DiagnosticCode } from '../service/diagnosticCodes';

let sections: Map<string, string> | undefined;

/** The "## `code`" sections of a Markdown page (headings inside fenced blocks do not count), by code. */
export function codeSections(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  let fenced = false;
  let code: string | undefined;
  let lines: string[] = [];
  const close = () => {
    if (code !== undefined) found.set(code, lines.join('\n').trim());
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? undefined : /^##\s+(.*)$/.exec(line);
    if (heading) {
      close();
      code = /^`([^`]+)`\s*$/.exec(heading[1])?.[1];
      lines = [];
    } else if (code !== undefined) lines.push(line);
  }
  close();
  return found;
}

/** The Markdown help of `code` (its section of docs/diagnostics.md), or undefined when the page has none. */
export function ruleHelp(code: DiagnosticCode): string | undefined {
  sections ??= codeSections(diagnosticsDoc);
  return sections.get(code);
}

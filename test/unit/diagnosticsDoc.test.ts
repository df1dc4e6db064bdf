/**
 * docs/diagnostics.md is the page every diagnostic's codeDescription links to (DOCS_URL#<code>):
 * one "## `code`" section per code of the registry, in registry order, and none for other codes.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_URL, diagnosticCodes } from '../../server/src/service/diagnosticCodes';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'diagnostics.md');
const codes = Object.keys(diagnosticCodes);

/** The codes of the "## `code`" headings, in file order, outside fenced code blocks. */
function headingCodes(markdown: string): string[] {
  const found: string[] = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const match = /^##\s+`([^`]+)`\s*$/.exec(line);
    if (match) found.push(match[1]);
  }
  return found;
}

it('DOCS_URL points at docs/diagnostics.md, and every code is its own GitHub anchor', () => {
  assert.ok(DOCS_URL.endsWith('/docs/diagnostics.md'), DOCS_URL);
  // GitHub's anchor for "## `code`" is the code itself when it holds only lowercase letters, digits and hyphens.
  assert.deepEqual(codes.filter((code) => !/^[a-z0-9-]+$/.test(code)), []);
});

it('docs/diagnostics.md has one "## `code`" section per registry code, in registry order, and no other', () => {
  const headings = headingCodes(readFileSync(DOC, 'utf8'));
  const missing = codes.filter((code) => !headings.includes(code));
  const unknown = headings.filter((code) => !codes.includes(code));
  const repeated = headings.filter((code, i) => headings.indexOf(code) !== i);
  assert.deepEqual(missing, [], `codes without a section in ${DOC}`);
  assert.deepEqual(unknown, [], `sections for codes that are not in the registry`);
  assert.deepEqual(repeated, [], `codes with more than one section`);
  assert.deepEqual(headings, codes, 'sections in registry order');
});

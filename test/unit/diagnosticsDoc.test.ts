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

/** CVSS 3.1 base score of a vector without scope change (the formula of the CVSS 3.1 specification, §7.1). */
function cvssBaseScore(vector: string): number {
  const weights: Record<string, Record<string, number>> = {
    AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
    AC: { L: 0.77, H: 0.44 },
    PR: { N: 0.85, L: 0.62, H: 0.27 },
    UI: { N: 0.85, R: 0.62 },
    C: { H: 0.56, L: 0.22, N: 0 },
    I: { H: 0.56, L: 0.22, N: 0 },
    A: { H: 0.56, L: 0.22, N: 0 },
  };
  const m = Object.fromEntries(vector.split('/').map((part) => part.split(':')));
  assert.equal(m.S, 'U', 'only unchanged scope is computed here');
  const iss = 1 - (1 - weights.C[m.C]) * (1 - weights.I[m.I]) * (1 - weights.A[m.A]);
  const impact = 6.42 * iss;
  const exploitability = 8.22 * weights.AV[m.AV] * weights.AC[m.AC] * weights.PR[m.PR] * weights.UI[m.UI];
  if (impact <= 0) return 0;
  // Roundup as the specification defines it (Appendix A), avoiding floating-point surprises.
  const i = Math.round(Math.min(impact + exploitability, 10) * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

it('each security rule states its security-severity, CVSS vector and CWE in its section, as the registry has them', () => {
  const markdown = readFileSync(DOC, 'utf8');
  const stated: Record<string, { score: number; cwe: number }> = {};
  for (const section of markdown.split(/^## /m).slice(1)) {
    const code = /^`([^`]+)`/.exec(section)?.[1];
    const line = /Security severity \(SARIF `security-severity`, code scanning\): (\d+\.\d) \((low|medium|high|critical)\), the CVSS 3\.1 base score of\s+`([^`]+)`[\s\S]*?external\/cwe\/cwe-(\d+)` \(CWE-(\d+),/.exec(section);
    if (!code || !line) continue;
    const score = Number(line[1]);
    assert.equal(cvssBaseScore(line[3]), score, `${code}: ${line[3]}`);
    const level = score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
    assert.equal(line[2], level, `${code}: GitHub's level for ${score}`);
    assert.equal(line[4], line[5], code);
    stated[code] = { score, cwe: Number(line[4]) };
  }
  const registry = Object.fromEntries(Object.entries(diagnosticCodes).flatMap(([code, info]) => ('security' in info ? [[code, info.security]] : [])));
  assert.deepEqual(stated, registry);
});

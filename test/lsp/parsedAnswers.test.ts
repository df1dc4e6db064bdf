/**
 * Requests on a large document after edits, on the built server (issue 15 item 4: requests do not wait
 * behind a whole parse of a huge new version): a collector config past LARGE_TEXT is edited above the places
 * asked about and, without waiting for its diagnostics, a hover and a completion are asked there. They are
 * answered from the version already parsed (the server's own count, otlpTls/statistics `answeredFromParsed`),
 * at the places of the edited text: the hover's range is on the line the key is on now. A request on the text
 * a paste added answers empty, and once the pause is over the diagnostics are those of the last version.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionItem, Hover } from 'vscode-languageserver-types';
import { serverStatisticsRequest } from '../../server/src/protocol';
import { LARGE_TEXT } from '../../server/src/handlers/parsedView';
import { LspClient } from '../support/lspClient';

/** Exporter i's lines start at 1 + 5 * i; its ca_file is the last of them. */
function bigConfig(): string {
  let text = 'exporters:\n';
  for (let i = 0; text.length < LARGE_TEXT + 10_000; i++) text += `  otlp/e${i}:\n    endpoint: https://collector-${i}:4317\n    tls:\n      insecure_skip_verify: true\n      ca_file: ca-${i}.crt\n`;
  return text;
}

let dir: string;
let client: LspClient;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-parsed-'));
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('a hover and a completion after edits of a large config are answered from its parsed version, in the edited text', { timeout: 120_000 }, async () => {
  const uri = client.open(join(dir, 'collector.yaml'), bigConfig());
  await client.diagnostics(uri, (p) => p.version === 1, 60_000);
  const before = await client.connection.sendRequest(serverStatisticsRequest);

  // Two comment lines at the top, then a hover on exporter 300's ca_file (2 lines lower now) and a completion in its tls block.
  client.edit(uri, 2, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# one\n# two\n');
  const line = 2 + 1 + 5 * 300 + 4;
  const hover = client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 10 } }) as Promise<Hover | null>;
  const completion = client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: line - 1, character: 6 } }) as Promise<CompletionItem[]>;
  const [answer, items] = await Promise.all([hover, completion]);
  const middle = await client.connection.sendRequest(serverStatisticsRequest);
  assert.equal(middle.answeredFromParsed - before.answeredFromParsed, 2, 'both answered from version 1');
  assert.ok(answer?.range, `a hover with a range: ${JSON.stringify(answer)}`);
  assert.equal(answer.range.start.line, line, 'on the line of the edited text');
  assert.ok(items.some((item) => item.label === 'cert_file'), `the tls keys: ${items.map((i) => i.label).join(', ')}`);
  for (const item of items) if (item.textEdit && 'range' in item.textEdit) assert.equal(item.textEdit.range.start.line, line - 1);

  // A paste of 2,000 characters at line 10: a hover inside it answers empty (not parsed yet).
  client.edit(uri, 3, { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, `# ${'x'.repeat(2000)}\n`);
  const inside = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 10, character: 100 } });
  assert.equal(inside, null);

  // Diagnostics of the last version, as ever: exporter 0's missing ca_file on line 2 + 1 + 4, exporter 1's below the pasted line.
  const last = await client.diagnostics(uri, (p) => p.version === 3, 60_000);
  const missing = last.diagnostics.filter((d) => d.code === 'file-not-found');
  assert.deepEqual(missing.slice(0, 2).map((d) => d.range.start.line), [7, 2 + 1 + 5 + 4 + 1]);
});

/**
 * Edits coalesced (issue 15 item 3) on the built server: a burst of 500 keystrokes on a 5,000-line
 * collector config ends in diagnostics for the last version, after far fewer validations than
 * edits (the server's own count, from otlpTls/statistics: one at the burst's start, as any edit
 * after a quiet spell is checked at once, and one after it), and a hover sent in the middle of the
 * burst is answered before that last validation.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { serverStatisticsRequest } from '../../server/src/protocol';
import { LspClient } from '../support/lspClient';

const EXPORTERS = 1000;
/** 5 lines per exporter, after a comment line and `exporters:`. */
function config(): string {
  let text = '# notes\nexporters:\n';
  for (let i = 0; i < EXPORTERS; i++) text += `  otlp/e${i}:\n    endpoint: c${i}:14317\n    tls:\n      insecure_skip_verify: true\n      min_version: "1.2"\n`;
  return text;
}
const lineOf = (exporter: number, offset: number) => 2 + exporter * 5 + offset;

let dir: string;
let client: LspClient;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-burst-'));
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('500 edits: diagnostics for the last version only, a handful of validations, a hover answered mid-burst', { timeout: 120_000 }, async () => {
  const text = config();
  assert.equal(text.split('\n').length - 1, 2 + EXPORTERS * 5);
  const uri = client.open(join(dir, 'collector.yaml'), text);
  const first = await client.diagnostics(uri, (p) => p.version === 1, 60_000);
  assert.equal(first.diagnostics.filter((d) => d.code === 'insecure-skip-verify').length, EXPORTERS);
  const before = await client.connection.sendRequest(serverStatisticsRequest);

  // 478 keystrokes lengthen the comment on line 0; then 22 type a misspelt key into exporter 0's tls block.
  const typed = 'server_name_overide: a';
  const insertLine = lineOf(0, 3);
  let version = 1;
  let hover: Promise<Hover | null> | undefined;
  let hoverAnsweredBeforeLast = false;
  client.edit(uri, ++version, { start: { line: insertLine, character: 0 }, end: { line: insertLine, character: 0 } }, '      \n');
  for (let i = 0; i < 477; i++) {
    client.edit(uri, ++version, { start: { line: 0, character: 7 + i }, end: { line: 0, character: 7 + i } }, 'x');
    if (i === 250) {
      hover = client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: lineOf(500, 3) + 1, character: 9 } }) as Promise<Hover | null>;
      void hover.then(() => {
        hoverAnsweredBeforeLast = !client.publishedFor(uri).some((p) => p.version === 501);
      });
    }
  }
  for (let i = 0; i < typed.length; i++) {
    client.edit(uri, ++version, { start: { line: insertLine, character: 6 + i }, end: { line: insertLine, character: 6 + i } }, typed[i]);
  }
  assert.equal(version, 501);

  const last = await client.diagnostics(uri, (p) => p.version === 501, 60_000);
  const unknown = last.diagnostics.filter((d) => d.code === 'unknown-key');
  assert.equal(unknown.length, 1, JSON.stringify(unknown));
  assert.match(String(unknown[0].message), /server_name_overide/);
  assert.equal(unknown[0].range.start.line, insertLine);

  const answer = await hover!;
  assert.ok(answer && (answer.contents as MarkupContent).value.length > 0, 'the hover has content');
  assert.ok(hoverAnsweredBeforeLast, 'the hover was answered before the last version was validated');

  const after = await client.connection.sendRequest(serverStatisticsRequest);
  assert.equal(after.changes - before.changes, 500);
  const validations = after.validations - before.validations;
  assert.ok(validations >= 1 && validations <= 10, `${validations} validations for 500 edits`);
  // Only versions that were validated were published, and the last one is the last version.
  const versions = client.publishedFor(uri).map((p) => p.version);
  assert.equal(versions.at(-1), 501);
  assert.ok(versions.length <= 1 + validations, `published versions: ${versions.join(', ')}`);
  console.log(`# 500 edits on a ${text.split('\n').length - 1}-line config: ${validations} validation(s); published versions ${versions.join(', ')}`);
});

it('requests are answered while a large workspace is still being scanned', { timeout: 120_000 }, async () => {
  // 4,000 collector configs: the scan reads them in slices and steps aside for requests.
  const big = mkdtempSync(join(tmpdir(), 'otlp-tls-scan-'));
  try {
    for (let d = 0; d < 40; d++) {
      mkdirSync(join(big, `team${d}`));
      for (let f = 0; f < 100; f++) {
        writeFileSync(join(big, `team${d}`, `collector${f}.yaml`), `exporters:\n  otlp/t${d}f${f}:\n    endpoint: c${d}-${f}:4317\n    tls:\n      ca_file: ca.crt\n${'      # padding\n'.repeat(200)}`);
      }
    }
    const scanning = await LspClient.start(big);
    try {
      const uri = scanning.open(join(big, 'open.env'), 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\n', 'dotenv');
      const hover = await scanning.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 5 } });
      const during = await scanning.connection.sendRequest(serverStatisticsRequest);
      assert.ok(hover, 'the hover is answered');
      assert.equal(during.scanned, false, `the scan was still under way (${during.scannedFiles} of 4000 files read)`);
      // Diagnostics wait for the scan, so they pair the file with the whole workspace; then the scan is done.
      await scanning.diagnostics(uri, () => true, 60_000);
      const done = await scanning.connection.sendRequest(serverStatisticsRequest);
      assert.equal(done.scanned, true);
      assert.equal(done.scannedFiles, 4000);
    } finally {
      await scanning.stop();
    }
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
});

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
import { ca, server } from '../support/certificates';
import { LspClient } from '../support/lspClient';
import { MAX_PROBLEMS_PER_FILE } from '../../server/src/service/problemCap';

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
  // One warning per exporter, at most MAX_PROBLEMS_PER_FILE of them listed, then the too-many-problems notice.
  assert.equal(first.diagnostics.filter((d) => d.code === 'insecure-skip-verify').length, Math.min(EXPORTERS, MAX_PROBLEMS_PER_FILE));
  assert.equal(first.diagnostics.filter((d) => d.code === 'too-many-problems').length, EXPORTERS > MAX_PROBLEMS_PER_FILE ? 1 : 0);
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

it('an env file opened during the scan: its first publish has every finding, the cross-file ones from files scanned after it was opened', { timeout: 120_000 }, async () => {
  // 2,000 collector configs in 40 folders; the receiver the env file pairs with is in the last folder the
  // walk reaches (entries are walked in name order), and its certificate does not hold the env file's host.
  const ws = mkdtempSync(join(tmpdir(), 'otlp-tls-scan-first-'));
  try {
    const root = await ca('Scan CA');
    const leaf = await server(root, ['collector.internal']);
    mkdirSync(join(ws, 'certs'));
    writeFileSync(join(ws, 'certs', 'ca.crt'), root.pem);
    writeFileSync(join(ws, 'certs', 'server.crt'), leaf.pem);
    writeFileSync(join(ws, 'certs', 'server.key'), leaf.keyPem, { mode: 0o600 });
    for (let d = 0; d < 40; d++) {
      const folder = join(ws, `team${String(d).padStart(2, '0')}`);
      mkdirSync(folder);
      for (let f = 0; f < 50; f++) {
        const last = d === 39 && f === 49;
        const receiver = last ? `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4999\n        tls:\n          cert_file: ../certs/server.crt\n          key_file: ../certs/server.key\n` : '';
        writeFileSync(join(folder, `collector${f}.yaml`), `${receiver}exporters:\n  otlp/t${d}f${f}:\n    endpoint: c${d}-${f}:4317\n    tls:\n      ca_file: ../certs/ca.crt\n`);
      }
    }
    const text = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://wrong-host:4999\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n';
    writeFileSync(join(ws, 'app.env'), text);
    const scanning = await LspClient.start(ws);
    try {
      const uri = scanning.open(join(ws, 'app.env'), text, 'dotenv');
      const during = await scanning.connection.sendRequest(serverStatisticsRequest);
      const first = await scanning.diagnostics(uri, () => true, 60_000);
      assert.equal(during.scanned, false, `the scan was under way when the file was opened (${during.scannedFiles} of 2001 files read)`);
      assert.deepEqual(
        first.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
        [['san-mismatch', 0, 28]],
        JSON.stringify(first.diagnostics),
      );
      assert.match(String(first.diagnostics[0].message), /wrong-host/);
      // Nothing came later that the first publish lacked: every publish of the file says the same.
      const again = await scanning.connection.sendRequest(serverStatisticsRequest);
      assert.equal(again.scanned, true);
      for (const later of scanning.publishedFor(uri)) assert.deepEqual(later.diagnostics, first.diagnostics);
    } finally {
      await scanning.stop();
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

it("another file's edit re-checks an open env file, which is published again only when its diagnostics change", { timeout: 120_000 }, async () => {
  const ws = mkdtempSync(join(tmpdir(), 'otlp-tls-republish-'));
  try {
    const gateway = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: missing.crt\n          key_file: missing.key\n';
    const env = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\n';
    const c = await LspClient.start(ws);
    try {
      const gatewayUri = c.open(join(ws, 'gateway.yaml'), gateway);
      const envUri = c.open(join(ws, 'app.env'), env, 'dotenv');
      const first = await c.diagnostics(envUri);
      assert.ok(first.diagnostics.length > 0, 'the env file pairs with the gateway, whose receiver does not start');
      await c.diagnostics(gatewayUri);
      const validatedTwice = async (before: number) => {
        // Both documents checked again (the edited one, then the other): bounded by the loop's count, not by time.
        for (let i = 0; i < 2000; i++) {
          const stats = await c.connection.sendRequest(serverStatisticsRequest);
          if (stats.validations >= before + 2) return stats;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error('the documents were not checked again');
      };
      const before = await c.connection.sendRequest(serverStatisticsRequest);
      // A comment: the gateway's listener is the same, so the env file's diagnostics are too.
      c.change(gatewayUri, 2, `${gateway}# a comment\n`);
      await c.diagnostics(gatewayUri, (p) => p.version === 2);
      const after = await validatedTwice(before.validations);
      assert.equal(after.unchangedPublishes, before.unchangedPublishes + 1);
      assert.equal(c.publishedFor(envUri).length, 1);
      // The receiver moves to another port: the env file pairs with nothing, and is published again.
      c.change(gatewayUri, 3, gateway.replace('4317', '4999'));
      const again = await c.diagnostics(envUri, (p) => JSON.stringify(p.diagnostics) !== JSON.stringify(first.diagnostics));
      assert.notDeepEqual(again.diagnostics, first.diagnostics);
      assert.equal(c.publishedFor(envUri).length, 2);
    } finally {
      await c.stop();
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

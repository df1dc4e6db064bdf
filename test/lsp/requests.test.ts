/**
 * Every request safe (issue 15 item 4), on the built server: hostile positions, any line ends,
 * documents closed mid-request, stale versions, cancellation, and a feature that throws. None of
 * them is a failed request (a cancelled one answers RequestCancelled, as LSP says).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import type { CodeAction, CompletionItem, Diagnostic } from 'vscode-languageserver-types';
import { serverStatisticsRequest, wireCertificatesRequest } from '../../server/src/protocol';
import { LspClient } from '../support/lspClient';

const COLLECTOR = 'exporters:\n  otlp:\n    endpoint: c:14317\n    tls:\n      ca_flie: certs/ca.crt\n      insecure_skip_verify: true\n      min_version: "1.2"\n';
const ENV = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://c:14317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n';

describe('requests at any position, on any text', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-requests-'));
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const hostile: unknown[] = [
    { line: 0, character: 10_000 },
    { line: 10_000, character: 0 },
    { line: 3, character: 2 ** 31 },
    { line: Number.MAX_SAFE_INTEGER, character: Number.MAX_SAFE_INTEGER },
    { line: -1, character: 0 },
    { line: 0, character: -5 },
    { line: 1.5, character: 2 },
    { line: '2', character: '3' },
    { line: null, character: null },
    {},
    null,
  ];

  for (const [name, text, languageId] of [
    ['collector, LF', COLLECTOR, 'yaml'],
    ['collector, CRLF', COLLECTOR.replaceAll('\n', '\r\n'), 'yaml'],
    ['collector, lone CR', COLLECTOR.replaceAll('\n', '\r'), 'yaml'],
    ['env file, lone CR', ENV.replaceAll('\n', '\r'), 'dotenv'],
    ['empty', '', 'yaml'],
  ] as const) {
    it(`${name}: hover, completion, code actions and links answer everywhere, past every end`, async () => {
      const uri = client.open(join(dir, `${name.replace(/\W+/g, '-')}.${languageId === 'yaml' ? 'yaml' : 'env'}`), text, languageId);
      const { diagnostics } = await client.diagnostics(uri);
      const lines = text.split(/\r\n|\r|\n/).length;
      const positions: unknown[] = [...hostile];
      for (let line = 0; line <= lines; line++) for (const character of [0, 1, 6, 13, 40, 200]) positions.push({ line, character });
      for (const position of positions) {
        const at = JSON.stringify(position);
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }).catch((e: Error) => assert.fail(`hover at ${at}: ${e.message}`));
        const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position }).catch((e: Error) => assert.fail(`completion at ${at}: ${e.message}`))) as CompletionItem[];
        assert.ok(Array.isArray(items), `completion at ${at}`);
        const range = { start: position, end: position };
        const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }).catch((e: Error) => assert.fail(`codeAction at ${at}: ${e.message}`));
        assert.ok(Array.isArray(actions), `codeAction at ${at}`);
      }
      const links = await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
      assert.ok(Array.isArray(links));
      const stats = await client.connection.sendRequest(serverStatisticsRequest);
      assert.equal(stats.failedFeatures, 0, `no feature threw: ${client.logs.join('\n')}`);
    });
  }

  it('completion on a lone-CR env file offers the names on the line being typed', async () => {
    const uri = client.open(join(dir, 'typing.env'), 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\rOTEL_EXPORTER_OTLP_COMP', 'dotenv');
    const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 23 } })) as CompletionItem[];
    assert.ok(items.some((i) => i.label === 'OTEL_EXPORTER_OTLP_COMPRESSION'), JSON.stringify(items.map((i) => i.label)));
  });

  it('a position past the line end is the line end: completion edits stay on the text', async () => {
    const uri = client.open(join(dir, 'past.env'), 'OTEL_EXPORTER_OTLP_PROT\nX=1\n', 'dotenv');
    const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 500 } })) as CompletionItem[];
    const item = items.find((i) => i.label === 'OTEL_EXPORTER_OTLP_PROTOCOL');
    assert.ok(item?.textEdit && 'range' in item.textEdit);
    assert.deepEqual(item.textEdit.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 23 } });
  });

  it('unknown documents and malformed params answer empty', async () => {
    const nowhere = 'file:///nowhere/x.yaml';
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: nowhere }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: nowhere }, position: { line: 0, character: 0 } }), []);
    assert.deepEqual(await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: 5 }, range: null, context: null }), []);
    assert.deepEqual(await client.connection.sendRequest('textDocument/documentLink', {}), []);
  });
});

describe('requests racing edits, closes and cancellation', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-races-'));
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Each request goes with the notification that races it in one write (writeRaw), so both are there before the request's turn.
  it('a document closed right after a request, or before it: the request answers empty, not an error', async () => {
    const uri = client.open(join(dir, 'closing.yaml'), COLLECTOR);
    await client.diagnostics(uri);
    const close = { method: 'textDocument/didClose', params: { textDocument: { uri } } };
    client.writeRaw([{ id: 'hover-then-close', method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 5, character: 8 } } }, close]);
    assert.deepEqual(await client.rawResponse('hover-then-close'), { jsonrpc: '2.0', id: 'hover-then-close', result: null });
    const reopen = { method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text: COLLECTOR } } };
    client.writeRaw([reopen, { id: 'completion-then-close', method: 'textDocument/completion', params: { textDocument: { uri }, position: { line: 6, character: 7 } } }, close]);
    assert.deepEqual((await client.rawResponse('completion-then-close')).result, []);
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 8 } }), null, 'closed before the request');
  });

  it('code actions for a document that an edit changed since answer empty; on the current version, the fix', async () => {
    const uri = client.open(join(dir, 'stale.yaml'), COLLECTOR);
    const { diagnostics } = await client.diagnostics(uri);
    const unknown = diagnostics.filter((d) => d.code === 'unknown-key');
    assert.equal(unknown.length, 1);
    const edit = { method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: [{ text: `# moved down\n${COLLECTOR}` }] } };
    client.writeRaw([{ id: 'stale-fix', method: 'textDocument/codeAction', params: { textDocument: { uri }, range: unknown[0].range, context: { diagnostics: unknown } } }, edit]);
    assert.deepEqual((await client.rawResponse('stale-fix')).result, []);
    const fresh = await client.diagnostics(uri, (p) => p.version === 2);
    const moved = fresh.diagnostics.filter((d) => d.code === 'unknown-key');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: moved[0].range, context: { diagnostics: moved } })) as CodeAction[];
    assert.ok(actions.some((a) => a.title.includes('ca_file')), JSON.stringify(actions.map((a) => a.title)));
  });

  it('a request cancelled with $/cancelRequest before its turn answers RequestCancelled', async () => {
    const uri = client.open(join(dir, 'cancel.yaml'), COLLECTOR);
    await client.diagnostics(uri);
    // The request and its cancellation in one write, so the cancellation is there before the request's turn.
    const position = { line: 5, character: 8 };
    client.writeRaw([
      { id: 'cancelled-hover', method: 'textDocument/hover', params: { textDocument: { uri }, position } },
      { method: '$/cancelRequest', params: { id: 'cancelled-hover' } },
    ]);
    const response = await client.rawResponse('cancelled-hover');
    assert.equal(response.error?.code, LSPErrorCodes.RequestCancelled, JSON.stringify(response));
    // The server goes on answering.
    assert.ok(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }));
  });

  it('a feature that throws is logged once, answers empty, and the server goes on', async () => {
    const uri = client.open(join(dir, 'throwing.yaml'), COLLECTOR);
    await client.diagnostics(uri);
    const before = await client.connection.sendRequest(serverStatisticsRequest);
    // `hosts` must be a list: the core throws on a string. A client bug, answered with no edits.
    const bad = { uri, paths: { ca: 'ca.crt', serverCert: 's.crt', serverKey: 's.key', hosts: 'localhost' as unknown as string[] } };
    assert.deepEqual(await client.connection.sendRequest(wireCertificatesRequest, bad), []);
    assert.deepEqual(await client.connection.sendRequest(wireCertificatesRequest, bad), []);
    const after = await client.connection.sendRequest(serverStatisticsRequest);
    assert.equal(after.failedFeatures - before.failedFeatures, 2);
    assert.equal(client.logs.filter((l) => l.includes('wire certificates failed')).length, 1, client.logs.join('\n'));
    // A code action request with a null among its diagnostics still fixes the real one.
    const { diagnostics } = await client.diagnostics(uri);
    const unknown = diagnostics.filter((d) => d.code === 'unknown-key');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: unknown[0].range,
      context: { diagnostics: [null, ...unknown] as unknown as Diagnostic[] },
    })) as CodeAction[];
    assert.ok(actions.length > 0);
  });
});

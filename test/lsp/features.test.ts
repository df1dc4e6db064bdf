/** The built server answers codeAction, hover, completion and documentLink over stdio. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, CompletionList, DocumentLink, Hover, MarkupContent, Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lspClient';
import { devPki } from '../support/devPki';
import { GENERATE_CERTIFICATES_COMMAND } from '../../server/src/protocol';

describe('language server editor features (dist/server.js --stdio)', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-features-'));
    const pki = await devPki();
    mkdirSync(join(dir, 'certs'));
    for (const name of ['ca.crt', 'server.crt', 'server.key']) writeFileSync(join(dir, 'certs', name), pki[name]);
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('textDocument/codeAction: a quick fix whose edit gives the expected text', async () => {
    const text = 'exporters:\n  otlphttp:\n    endpoint: https://c:4318\n    tls:\n      # our CA\n      ca_flie: certs/ca.crt\n';
    const uri = client.open(join(dir, 'fix.yaml'), text);
    const { diagnostics } = await client.diagnostics(uri);
    const unknown = diagnostics.filter((d) => d.code === 'unknown-key');
    assert.equal(unknown.length, 1);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: unknown[0].range, context: { diagnostics: unknown } })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'quickfix');
    const document = TextDocument.create(uri, 'yaml', 1, text);
    assert.equal(TextDocument.applyEdits(document, actions[0].edit!.changes![uri]), text.replace('ca_flie', 'ca_file'));
  });

  it('textDocument/codeAction: the generate-certificates command for a missing file', async () => {
    const uri = client.open(join(dir, 'missing.yaml'), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: certs/nope.crt\n');
    const { diagnostics } = await client.diagnostics(uri);
    const missing = diagnostics.filter((d) => d.code === 'file-not-found');
    assert.equal(missing.length, 1);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: missing[0].range, context: { diagnostics: missing } })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.command?.command), [GENERATE_CERTIFICATES_COMMAND]);
  });

  it('textDocument/hover: key docs and a certificate summary', async () => {
    const uri = client.open(join(dir, 'hover.yaml'), 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: certs/server.crt\n          key_file: certs/server.key\n');
    const onKey = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 12 } })) as Hover;
    assert.match((onKey.contents as MarkupContent).value, /^\*\*cert_file\*\* — TLS server/);
    const onPath = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 25 } })) as Hover;
    assert.match((onPath.contents as MarkupContent).value, /\| Validity \|[\s\S]*\| SHA-256 \| `/);
  });

  it('textDocument/hover: the SDK named in an env file', async () => {
    const uri = client.open(join(dir, 'named.env'), '# otlp-tls: sdk=python\n', 'dotenv');
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 18 } })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /the Python SDK\*\* reads this file.*Default protocol `grpc`/s);
  });

  it('textDocument/completion: tls keys by role', async () => {
    const uri = client.open(join(dir, 'complete.yaml'), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ins\n');
    const result = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 9 } })) as CompletionItem[] | CompletionList;
    const items = Array.isArray(result) ? result : result.items;
    assert.ok(items.some((i) => i.label === 'insecure_skip_verify'));
    assert.ok(!items.some((i) => i.label === 'client_ca_file'));
  });

  it('textDocument/completion: certificate file paths, relative to the document, keys first for key settings', async () => {
    const uri = client.open(join(dir, 'paths.env'), 'OTEL_EXPORTER_OTLP_CLIENT_KEY=certs/\n', 'dotenv');
    const result = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 36 } })) as CompletionItem[] | CompletionList;
    const items = (Array.isArray(result) ? result : result.items).sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.equal(items[0].label, 'certs/server.key');
    assert.ok(items.some((i) => i.label === 'certs/ca.crt'));
    const document = TextDocument.create(uri, 'dotenv', 1, 'OTEL_EXPORTER_OTLP_CLIENT_KEY=certs/\n');
    assert.equal(TextDocument.applyEdits(document, [items[0].textEdit as { range: Range; newText: string }]), 'OTEL_EXPORTER_OTLP_CLIENT_KEY=certs/server.key\n');
  });

  it('textDocument/completion: the SDK ids in an env file\'s "# otlp-tls: sdk=" line', async () => {
    const uri = client.open(join(dir, 'sdk.env'), '# otlp-tls: sdk=\n', 'dotenv');
    const result = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 16 } })) as CompletionItem[] | CompletionList;
    const items = Array.isArray(result) ? result : result.items;
    assert.deepEqual(items.map((i) => i.label), ['java', 'java-agent', 'python', 'go', 'js', 'dotnet', 'dotnet-auto']);
    assert.equal(items.find((i) => i.label === 'go')?.detail, 'Go (autoexport)');
  });

  it('textDocument/documentLink: existing certificate paths', async () => {
    const uri = client.open(join(dir, 'links.env'), 'OTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=certs/none.key\n', 'dotenv');
    const links = (await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } })) as DocumentLink[];
    assert.deepEqual(links.map((l) => l.target), [pathToFileURL(join(dir, 'certs', 'ca.crt')).href]);
  });
});

/** The otlpTls/wireCertificates request on the built server: edits for the open document. */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { wireCertificatesRequest } from '../../server/src/protocol';
import { LspClient } from '../support/lspClient';

let dir: string;
let client: LspClient;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-wire-lsp-'));
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('answers with edits that add a tls block to an open collector config', async () => {
  const text = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n';
  const uri = client.open(join(dir, 'collector.yaml'), text);
  const paths = { ca: 'certs/ca.crt', serverCert: 'certs/server.crt', serverKey: 'certs/server.key', hosts: ['localhost'] };
  const edits = await client.connection.sendRequest(wireCertificatesRequest, { uri, paths });
  const result = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
  assert.equal(result, text + '        tls:\n          cert_file: certs/server.crt\n          key_file: certs/server.key\n');
});

/** A workspace folder added after start is scanned: its receiver pairs with an open env file. */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

let dir: string;
let client: LspClient;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-folders-'));
  mkdirSync(join(dir, 'app'));
  mkdirSync(join(dir, 'gateway'));
  writeFileSync(join(dir, 'gateway', 'collector.yaml'), 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n');
  client = await LspClient.start(join(dir, 'app'), {}, {}, { workspaceFolders: true });
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('pairs with a receiver of a folder added later', async () => {
  const text = 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\n';
  const uri = client.open(join(dir, 'app', 'app.env'), text, 'dotenv');
  const before = await client.diagnostics(uri);
  assert.ok(!before.diagnostics.some((d) => d.code === 'plaintext-endpoint'), 'no receiver known yet');
  await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
    event: { added: [{ uri: pathToFileURL(join(dir, 'gateway')).href, name: 'gateway' }], removed: [] },
  });
  // The gateway's receiver serves plaintext, so https:// against it is a plaintext-endpoint mismatch.
  await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'plaintext-endpoint'));
});

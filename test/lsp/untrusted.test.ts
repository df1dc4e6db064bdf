/** Restricted mode: an untrusted workspace reads no file outside its folders, until it is trusted. */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceTrustedNotification } from '../../server/src/protocol';
import { LspClient } from '../support/lspClient';

let outside: string;
let workspace: string;
let client: LspClient;
before(async () => {
  outside = mkdtempSync(join(tmpdir(), 'otlp-tls-outside-'));
  workspace = join(outside, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(outside, 'ca.crt'), 'not a certificate\n');
  client = await LspClient.start(workspace, {}, { trusted: false });
});
after(async () => {
  await client.stop();
  rmSync(outside, { recursive: true, force: true });
});

it('reports the outside file as not read, then reads it once the workspace is trusted', async () => {
  const text = `OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=${join(outside, 'ca.crt')}\n`;
  const uri = client.open(join(workspace, 'app.env'), text, 'dotenv');
  const restricted = await client.diagnostics(uri);
  const refused = restricted.diagnostics.find((d) => d.code === 'file-unreadable');
  assert.ok(refused, JSON.stringify(restricted.diagnostics));
  assert.match(String(refused.message), /not read until the workspace is trusted/);

  await client.connection.sendNotification(workspaceTrustedNotification);
  const trusted = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'not-a-certificate'));
  assert.ok(!trusted.diagnostics.some((d) => d.code === 'file-unreadable'));
});

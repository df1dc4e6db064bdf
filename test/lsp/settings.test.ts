/**
 * Settings reach the core: otlpTls.sdk from initializationOptions, then changed by
 * workspace/didChangeConfiguration, changes the verdict on an open env file.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../support/lspClient';

let dir: string;
let client: LspClient;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-settings-'));
  client = await LspClient.start(dir, { sdk: 'js' });
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('otlpTls.sdk decides whether a port without a protocol is a warning, nothing, or information', async () => {
  const uri = client.open(join(dir, 'app.env'), 'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317\n', 'dotenv');
  const verdict = (p: { diagnostics: { code?: string | number; severity?: number }[] }) => p.diagnostics.map((d) => `${d.code}:${d.severity}`).join(',');
  const js = await client.diagnostics(uri);
  assert.equal(verdict(js), 'port-protocol-mismatch:2', 'JS defaults to http/protobuf: a warning');

  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { otlpTls: { sdk: 'python' } } });
  await client.diagnostics(uri, (p) => verdict(p) === '');

  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { otlpTls: { sdk: 'any' } } });
  await client.diagnostics(uri, (p) => verdict(p) === 'port-protocol-mismatch:3');
});

it('otlpTls.maxProblemsPerFile: past it one too-many-problems notice; 0 lists every problem', async () => {
  // Eight misspelt variables: eight unknown-variable warnings.
  const text = Array.from({ length: 8 }, (_, i) => `OTEL_EXPORTER_OTLP_ENDPONT_${i}=x\n`).join('');
  const uri = client.open(join(dir, 'many.env'), text, 'dotenv');
  const codes = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.map((d) => String(d.code));
  await client.diagnostics(uri, (p) => codes(p).filter((c) => c === 'unknown-variable').length === 8);

  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { otlpTls: { sdk: 'js', maxProblemsPerFile: 3 } } });
  const capped = await client.diagnostics(uri, (p) => codes(p).includes('too-many-problems'));
  assert.deepEqual(codes(capped).sort(), ['too-many-problems', 'unknown-variable', 'unknown-variable', 'unknown-variable']);

  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { otlpTls: { sdk: 'js', maxProblemsPerFile: 0 } } });
  await client.diagnostics(uri, (p) => !codes(p).includes('too-many-problems') && codes(p).filter((c) => c === 'unknown-variable').length === 8);
});

/**
 * The server and `.otlp-tls.yaml`: the open file gets its own diagnostics; an env file is checked with
 * the configuration of its folder (found up to the workspace folder); saving a changed configuration
 * (workspace/didChangeWatchedFiles) re-checks the open documents with it; suppression comments work in
 * the editor as in the CLI.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

let dir: string;
let client: LspClient;
const codes = (p: { diagnostics: { code?: string | number; severity?: number }[] }) => p.diagnostics.map((d) => `${d.code}:${d.severity}`);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-projectconfig-'));
  mkdirSync(join(dir, 'apps'));
  writeFileSync(join(dir, '.otlp-tls.yaml'), 'sdk: js\n');
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('checks the configuration file itself, and the other files with it; a saved change re-checks them', async () => {
  const env = 'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317\nOTEL_EXPORTER_OTLP_TRACE_ENDPOINT=http://c:4318/v1/traces # otlp-tls-ignore: unknown-variable old SDK\n';
  writeFileSync(join(dir, 'apps', 'app.env'), env);
  const uri = client.open(join(dir, 'apps', 'app.env'), env, 'dotenv');
  // sdk: js → the port fits neither protocol default: a warning (2); the suppressed unknown-variable is not shown.
  assert.deepEqual(codes(await client.diagnostics(uri, (p) => p.diagnostics.length > 0)), ['port-protocol-mismatch:2']);

  const config = 'sdk: js\nseverity:\n  port-protocol-mismatch: errror\n';
  writeFileSync(join(dir, '.otlp-tls.yaml'), config);
  const configUri = client.open(join(dir, '.otlp-tls.yaml'), config, 'yaml');
  const own = await client.diagnostics(configUri, (p) => p.diagnostics.length > 0);
  assert.deepEqual(own.diagnostics.map((d) => [d.code, d.range.start.line, d.message]), [
    ['invalid-value', 2, 'severity.port-protocol-mismatch must be one of off, information, warning, error, not "errror". Did you mean "error"?'],
  ]);

  // Saved with the typo fixed: the env file is checked again with the new severity.
  writeFileSync(join(dir, '.otlp-tls.yaml'), 'sdk: js\nseverity:\n  port-protocol-mismatch: error\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, '.otlp-tls.yaml')).href, type: 2 }] });
  assert.deepEqual(codes(await client.diagnostics(uri, (p) => codes(p).includes('port-protocol-mismatch:1'))), ['port-protocol-mismatch:1']);

  // Deleted: back to the settings (no SDK named: information, 3).
  rmSync(join(dir, '.otlp-tls.yaml'));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, '.otlp-tls.yaml')).href, type: 3 }] });
  assert.deepEqual(codes(await client.diagnostics(uri, (p) => codes(p).includes('port-protocol-mismatch:3'))), ['port-protocol-mismatch:3']);
});

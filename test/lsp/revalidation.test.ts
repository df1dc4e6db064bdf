/**
 * Re-validation when files change on disk (issue 3, item 5): a certificate re-issued without the
 * endpoint's host, and the paired collector config edited outside the editor, both change the
 * diagnostics of the open env file after workspace/didChangeWatchedFiles.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { filesWrittenNotification } from '../../server/src/protocol';
import { LspClient, ROOT } from '../support/lspClient';

let dir: string;
let client: LspClient;

function certs(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'certs', '--out', join(dir, 'certs'), ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const collector = (tls: boolean) =>
  'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n' +
  (tls ? '        tls:\n          cert_file: certs/server.crt\n          key_file: certs/server.key\n          client_ca_file: certs/ca.crt\n' : '');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-reval-'));
  certs('--host', 'localhost');
  writeFileSync(join(dir, 'collector.yaml'), collector(true));
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('re-validates the open env file when the certificate or the paired config changes on disk', async () => {
  const env =
    'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n' +
    'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=certs/client.key\n';
  writeFileSync(join(dir, 'app.env'), env);
  const uri = client.open(join(dir, 'app.env'), env, 'dotenv');
  const codes = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.map((d) => String(d.code));
  const first = await client.diagnostics(uri);
  assert.deepEqual(codes(first), [], JSON.stringify(first.diagnostics));

  // Re-issue the server certificate for another host (same CA): the endpoint host is no longer covered.
  certs('--host', 'collector.internal', '--force');
  const changed = (name: string) => ({ changes: [{ uri: pathToFileURL(join(dir, name)).href, type: 2 }] });
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', changed('certs/server.crt'));
  const afterCert = await client.diagnostics(uri, (p) => codes(p).includes('san-mismatch'));
  const san = afterCert.diagnostics.find((d) => d.code === 'san-mismatch')!;
  assert.equal(san.range.start.line, 1, 'on the endpoint line');
  assert.ok(san.relatedInformation?.some((r) => r.location.uri.endsWith('/collector.yaml')), 'points at the receiver');

  // The collector config, not open in the editor, loses its tls block: https:// now meets a plaintext receiver.
  writeFileSync(join(dir, 'collector.yaml'), collector(false));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', changed('collector.yaml'));
  const afterConfig = await client.diagnostics(uri, (p) => codes(p).includes('plaintext-endpoint'));
  assert.ok(!codes(afterConfig).includes('san-mismatch'));
});

it('re-validates open files when the client says it wrote files, without a watcher event', async () => {
  // A config whose certificates are not there yet: the generate command is about to write them.
  const config = collector(true).replaceAll('certs/', 'later/');
  writeFileSync(join(dir, 'later.yaml'), config);
  const uri = client.open(join(dir, 'later.yaml'), config, 'yaml');
  const codes = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.map((d) => String(d.code));
  const before = await client.diagnostics(uri, (p) => codes(p).includes('file-not-found'));
  assert.equal(codes(before).filter((c) => c === 'file-not-found').length, 3, JSON.stringify(before.diagnostics));

  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'certs', '--out', join(dir, 'later'), '--host', 'localhost'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const written = ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'client.crt', 'client.key'].map((n) => join(dir, 'later', n));
  await client.connection.sendNotification(filesWrittenNotification, { paths: written });
  const afterWrite = await client.diagnostics(uri, (p) => !codes(p).includes('file-not-found'));
  assert.deepEqual(codes(afterWrite), [], JSON.stringify(afterWrite.diagnostics));
});

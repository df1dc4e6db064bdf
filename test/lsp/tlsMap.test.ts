/**
 * The TLS map request of the built server (protocol.ts tlsMapRequest): the server computes the map of
 * the scanned workspace and the open documents, with the diagnostics it publishes; it tells a client
 * that asked for the map when the map may have changed (an edit, a file changed on disk), and never
 * tells one that did not ask; in restricted mode the map is answered read-only, with what the
 * diagnostics say about files outside the workspace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tlsMapChangedNotification, tlsMapRequest, type TlsMap } from '../../server/src/protocol';
import { LspClient } from '../support/lspClient';

const GATEWAY = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\nexporters:\n  debug: {}\n';
const APP = 'OTEL_SERVICE_NAME=shop\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317\n';

/** `from → to: verdict` for every edge. */
function edges(map: TlsMap): string[] {
  const label = (id: string) => map.nodes.find((n) => n.id === id)?.label;
  return map.edges.map((e) => `${label(e.from)} → ${label(e.to)}: ${e.verdict} (${e.diagnostics.map((d) => d.code).join(', ')})`);
}

/** Resolves on the next tlsMapChanged notification (rejects after `ms`). */
function nextChange(client: LspClient, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${tlsMapChangedNotification.method} within ${ms} ms`)), ms);
    const disposable = client.connection.onNotification(tlsMapChangedNotification, () => {
      clearTimeout(timer);
      disposable.dispose();
      resolve();
    });
  });
}

/** Asks for the map until `accept` holds (the scan and the first validations take a moment). */
async function mapWhen(client: LspClient, accept: (map: TlsMap) => boolean, ms = 20_000): Promise<TlsMap> {
  const deadline = Date.now() + ms;
  for (;;) {
    const map = await client.connection.sendRequest(tlsMapRequest);
    if (accept(map)) return map;
    if (Date.now() > deadline) throw new Error(`the map never matched: ${JSON.stringify(edges(map))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the TLS map request', () => {
  let dir: string;
  let client: LspClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-map-'));
    mkdirSync(join(dir, 'gateway'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'gateway', 'collector.yaml'), GATEWAY);
    writeFileSync(join(dir, 'app', '.env'), APP);
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps the scanned files, none of them open', async () => {
    const map = await mapWhen(client, (m) => m.edges.length > 0);
    assert.deepEqual(edges(map), ['shop → gateway/collector.yaml: ok ()']);
    assert.deepEqual(map.summary, { ok: 1, warning: 0, fails: 0, unknown: 0 });
  });

  it('an edit of an open document sends tlsMapChanged, and the map asked again follows it', async () => {
    const uri = client.open(join(dir, 'app', '.env'), APP, 'dotenv');
    await client.diagnostics(uri);
    const changed = nextChange(client);
    client.change(uri, 2, APP.replace('http://collector:4317', 'https://collector:4317'));
    await changed;
    const map = await mapWhen(client, (m) => m.edges[0]?.verdict === 'fails');
    assert.deepEqual(edges(map), ['shop → gateway/collector.yaml: fails (plaintext-endpoint)']);
  });

  it('a config changed on disk (not open) sends tlsMapChanged too', async () => {
    const changed = nextChange(client);
    const path = join(dir, 'gateway', 'collector.yaml');
    writeFileSync(path, GATEWAY.replace('4317', '14317'));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path).href, type: 2 }] });
    await changed;
    const map = await mapWhen(client, (m) => m.edges[0]?.verdict === 'unknown');
    assert.deepEqual(edges(map), ['shop → collector:4317: unknown (no-listener)']);
  });

  it('a client that never asks for the map gets no notification', async () => {
    const quiet = await LspClient.start(dir);
    try {
      let told = 0;
      quiet.connection.onNotification(tlsMapChangedNotification, () => void told++);
      const uri = quiet.open(join(dir, 'app', '.env'), APP, 'dotenv');
      await quiet.diagnostics(uri);
      quiet.change(uri, 2, APP.replace('shop', 'shop2'));
      await quiet.diagnostics(uri, (p) => p.version === 2);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(told, 0);
    } finally {
      await quiet.stop();
    }
  });
});

describe('the TLS map in restricted mode', () => {
  let dir: string;
  let client: LspClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-map-untrusted-'));
    const workspace = join(dir, 'workspace');
    mkdirSync(join(workspace, 'gateway'), { recursive: true });
    mkdirSync(join(workspace, 'app'));
    writeFileSync(join(dir, 'outside.crt'), 'not a certificate\n');
    writeFileSync(join(workspace, 'gateway', 'collector.yaml'), GATEWAY.replace('0.0.0.0:4317\n', `0.0.0.0:4317\n        tls:\n          cert_file: ${join(dir, 'outside.crt')}\n          key_file: ${join(dir, 'outside.key')}\n`));
    writeFileSync(join(workspace, 'app', '.env'), APP.replace('http://', 'https://'));
    client = await LspClient.start(workspace, {}, { trusted: false });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is answered, and its edge shows that the outside certificate was not read', async () => {
    const map = await mapWhen(client, (m) => m.edges.length > 0);
    const [edge] = map.edges;
    assert.equal(edge.verdict, 'fails');
    const notRead = edge.diagnostics.filter((d) => /not read until the workspace is trusted/.test(d.message));
    assert.ok(notRead.length > 0, JSON.stringify(edge.diagnostics, null, 1));
    assert.ok(notRead.every((d) => d.path.endsWith(join('gateway', 'collector.yaml')) || d.path.endsWith(join('app', '.env'))));
  });
});

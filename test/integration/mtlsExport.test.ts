/**
 * A real mTLS round trip with the generated certificates (issue 5): a gRPC server that requires
 * client certificates and implements the OTLP trace Export method, and the real OpenTelemetry JS
 * gRPC exporter, configured only through OTEL_EXPORTER_OTLP_* env variables, in a child process.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { runCertsCommand } from '../../server/src/cli/certsCommand';
import { bind, exportInChild, shutdown, SPAN_NAME, traceServer, type Received } from '../support/otelExport';

describe('mTLS round trip: generated certificates, grpc-js server, OTel JS exporter configured by env', () => {
  let dir: string;
  let server: grpc.Server;
  let port: number;
  const received: Received[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-mtls-'));
    let stderr = '';
    const code = await runCertsCommand(['--out', dir, '--host', 'localhost', '--host', '127.0.0.1', '--host', '::1'], {
      cwd: dir,
      stdout: () => {},
      stderr: (s) => (stderr += s),
      now: () => new Date(),
    });
    assert.equal(code, 0, stderr);

    server = traceServer(received);
    const credentials = grpc.ServerCredentials.createSsl(
      readFileSync(join(dir, 'ca.crt')),
      [{ cert_chain: readFileSync(join(dir, 'server.crt')), private_key: readFileSync(join(dir, 'server.key')) }],
      true, // require and verify client certificates, like a collector with client_ca_file
    );
    port = await bind(server, '127.0.0.1:0', credentials);
  });

  after(async () => {
    await shutdown(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports a span when the client certificate is configured', { timeout: 30_000 }, async () => {
    received.length = 0;
    const child = await exportInChild({
      OTEL_EXPORTER_OTLP_ENDPOINT: `https://localhost:${port}`,
      OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, 'ca.crt'),
      OTEL_EXPORTER_OTLP_CLIENT_KEY: join(dir, 'client.key'),
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, 'client.crt'),
    });
    assert.deepEqual(child.result, { code: 0 }, `child stdout: ${child.stdout}\nchild stderr: ${child.stderr}`);
    assert.equal(received.length, 1);
    assert.ok(received[0].bytes.includes(Buffer.from(SPAN_NAME)), 'the server received the span');
    assert.equal(received[0].peerSubject, 'client', 'the server saw the client certificate');
  });

  it('fails without the client certificate env variables, and the server receives nothing', { timeout: 30_000 }, async () => {
    received.length = 0;
    const child = await exportInChild({
      OTEL_EXPORTER_OTLP_ENDPOINT: `https://localhost:${port}`,
      OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, 'ca.crt'),
    });
    assert.ok(child.result, `the child reported a result (stdout: ${child.stdout}, stderr: ${child.stderr})`);
    assert.equal(child.result.code, 1, `expected ExportResultCode.FAILED, got ${JSON.stringify(child.result)}`);
    // Node 20 / OpenSSL 3 with TLS 1.3: the server's "certificate required" alert (116).
    assert.match(child.result.error ?? '', /certificate required|alert number 116|bad certificate|handshake failure/i);
    assert.equal(received.length, 0);
  });

  it('fails when the server is not trusted (no CA configured), even with the client certificate', { timeout: 30_000 }, async () => {
    received.length = 0;
    const child = await exportInChild({
      OTEL_EXPORTER_OTLP_ENDPOINT: `https://localhost:${port}`,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: join(dir, 'client.key'),
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, 'client.crt'),
    });
    assert.ok(child.result, `the child reported a result (stdout: ${child.stdout}, stderr: ${child.stderr})`);
    assert.equal(child.result.code, 1);
    assert.match(child.result.error ?? '', /self[- ]signed certificate|unable to get local issuer|unable to verify/i);
    assert.equal(received.length, 0);
  });
});

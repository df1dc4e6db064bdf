/**
 * A real mTLS round trip with the generated certificates (issue 5): a gRPC server that requires
 * client certificates and implements the OTLP trace Export method, and the real OpenTelemetry JS
 * gRPC exporter, configured only through OTEL_EXPORTER_OTLP_* env variables, in a child process.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { runCertsCommand } from '../../server/src/cli/certsCommand';

const SPAN_NAME = 'otlp-tls-lens-mtls-round-trip';
const CHILD_KILL_MS = 20_000;

// The OTLP trace service with raw bytes in and out: the test only needs to see the request arrive.
const identity = (b: Buffer) => b;
const traceService: grpc.ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** Runs in a fresh node process so the exporter reads the env variables we give it, and nothing else. */
const CHILD = `
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc');
const report = (result) => { process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n'); };
let ended;
const provider = new BasicTracerProvider({
  spanProcessors: [{ onStart() {}, onEnd(span) { ended = span; }, forceFlush: async () => {}, shutdown: async () => {} }],
});
provider.getTracer('otlp-tls-lens-test').startSpan(${JSON.stringify(SPAN_NAME)}).end();
const exporter = new OTLPTraceExporter();
exporter.export([ended], (result) => {
  report({ code: result.code, error: result.error ? String(result.error.message || result.error) : undefined });
  exporter.shutdown().finally(() => process.exit(0));
});
`;

interface ChildResult {
  result?: { code: number; error?: string };
  stdout: string;
  stderr: string;
}

function exportInChild(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    const child = spawn(process.execPath, ['-e', CHILD], {
      cwd: process.cwd(), // the repository root (test/run.mjs), where node_modules is
      env: { ...base, OTEL_EXPORTER_OTLP_TIMEOUT: '5000', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_KILL_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', () => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ result: line ? JSON.parse(line.slice('RESULT '.length)) : undefined, stdout, stderr });
    });
  });
}

describe('mTLS round trip: generated certificates, grpc-js server, OTel JS exporter configured by env', () => {
  let dir: string;
  let server: grpc.Server;
  let port: number;
  const received: Array<{ bytes: Buffer; peerSubject?: string }> = [];

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

    server = new grpc.Server();
    server.addService(traceService, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        const peer = call.getAuthContext()?.sslPeerCertificate;
        received.push({ bytes: call.request, peerSubject: [peer?.subject?.CN].flat()[0] });
        callback(null, Buffer.alloc(0)); // an empty ExportTraceServiceResponse
      },
    });
    const credentials = grpc.ServerCredentials.createSsl(
      readFileSync(join(dir, 'ca.crt')),
      [{ cert_chain: readFileSync(join(dir, 'server.crt')), private_key: readFileSync(join(dir, 'server.key')) }],
      true, // require and verify client certificates, like a collector with client_ca_file
    );
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', credentials, (error, p) => (error ? reject(error) : resolve(p))),
    );
  });

  after(async () => {
    await new Promise<void>((resolve) => server?.tryShutdown(() => resolve()));
    server?.forceShutdown();
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

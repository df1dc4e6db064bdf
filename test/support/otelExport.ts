/**
 * The real OpenTelemetry JS gRPC trace exporter, configured only by OTEL_EXPORTER_OTLP_* env
 * variables in a fresh node process, against a grpc-js server that implements the OTLP trace
 * Export method and records what arrives.
 */
import { spawn } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';

export const SPAN_NAME = 'otlp-tls-lens-mtls-round-trip';
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

export interface ChildResult {
  result?: { code: number; error?: string };
  stdout: string;
  stderr: string;
}

export function exportInChild(env: Record<string, string>): Promise<ChildResult> {
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

/** What the server received: the request bytes and the client certificate's CN, if any. */
export interface Received {
  bytes: Buffer;
  peerSubject?: string;
}

/** A grpc-js server with the OTLP trace service, recording each request into `received`. */
export function traceServer(received: Received[]): grpc.Server {
  const server = new grpc.Server();
  server.addService(traceService, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const peer = call.getAuthContext()?.sslPeerCertificate;
      received.push({ bytes: call.request, peerSubject: [peer?.subject?.CN].flat()[0] });
      callback(null, Buffer.alloc(0)); // an empty ExportTraceServiceResponse
    },
  });
  return server;
}

/** Binds `server` to `address` (port 0 for any) and returns the port. */
export function bind(server: grpc.Server, address: string, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise<number>((resolve, reject) => server.bindAsync(address, credentials, (error, p) => (error ? reject(error) : resolve(p))));
}

export async function shutdown(server: grpc.Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  server.forceShutdown();
}

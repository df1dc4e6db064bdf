/**
 * A compose project judged and run: an app service whose environment names certificates by their
 * container paths, bind-mounted from ./certs, and a collector service whose config is bind-mounted from
 * the project and names its certificates by its own container paths. No path mapping: the checker
 * resolves both through the services' mounts. The real OpenTelemetry JS exporter, configured by exactly
 * the service's environment (container paths replaced by the files the mounts give), exports to a
 * grpc-js server that serves the collector config's certificates and requires client certificates, as
 * the receiver's client_ca_file does. The checker's verdict and the export agree, for a passing and a
 * failing case.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { runCertsCommand } from '../../server/src/cli/certsCommand';
import { checkFiles } from '../../server/src/cli/checkCommand';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { defaultSettings } from '../../server/src/service/settings';
import { walkCandidates } from '../../server/src/workspaceFiles';
import { bind, exportInChild, shutdown, SPAN_NAME, traceServer, type Received } from '../support/otelExport';

describe('compose: bind-mounted certificates, the checker and a real export agree', () => {
  let dir: string;
  let server: grpc.Server;
  let port: number;
  const received: Received[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-compose-'));
    let stderr = '';
    const code = await runCertsCommand(['--out', join(dir, 'certs'), '--host', 'localhost', '--host', '127.0.0.1', '--client', 'app'], { cwd: dir, stdout: () => {}, stderr: (s) => (stderr += s), now: () => new Date() });
    assert.equal(code, 0, stderr);
    server = traceServer(received);
    const credentials = grpc.ServerCredentials.createSsl(readFileSync(join(dir, 'certs/ca.crt')), [{ cert_chain: readFileSync(join(dir, 'certs/server.crt')), private_key: readFileSync(join(dir, 'certs/server.key')) }], true);
    port = await bind(server, '127.0.0.1:0', credentials);
    mkdirSync(join(dir, 'otel'));
    writeFileSync(
      join(dir, 'otel/collector.yaml'),
      `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:${port}\n        tls:\n          cert_file: /etc/otelcol/certs/server.crt\n          key_file: /etc/otelcol/certs/server.key\n          client_ca_file: /etc/otelcol/certs/ca.crt\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n`,
    );
  });

  after(async () => {
    await shutdown(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function project(environment: string[]): void {
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:\n  otel-collector:\n    image: otel/opentelemetry-collector-contrib\n    command: ["--config=/etc/otelcol/config.yaml"]\n    volumes:\n      - ./otel/collector.yaml:/etc/otelcol/config.yaml:ro\n      - type: bind\n        source: ./certs\n        target: /etc/otelcol/certs\n` +
        `  app:\n    image: example/app\n    environment:\n${environment.map((e) => `      - ${e}\n`).join('')}    volumes:\n      - ./certs:/etc/otel/certs:ro\n`,
    );
  }

  /** The checker's diagnostics on compose.yaml, as `code: message`, over the folder as the CLI walks it. */
  function verdict(file = 'compose.yaml'): string[] {
    const results = checkFiles(walkCandidates(dir), nodeRuntime(), { ...defaultSettings, workspaceRoots: [dir] });
    return results.filter((r) => r.file === join(dir, file)).map((r) => `${r.diagnostic.code}: ${r.diagnostic.message}`);
  }

  /** The service's environment with the container paths the app mount gives mapped to the project's files. */
  function exported(environment: string[]): Record<string, string> {
    return Object.fromEntries(environment.map((e) => e.split('=')).map(([k, v]) => [k, v.replace('/etc/otel/certs', join(dir, 'certs'))]));
  }

  it('mTLS configured by container paths: no diagnostic, and the span arrives', { timeout: 30_000 }, async () => {
    const environment = [
      `OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:${port}`,
      'OTEL_EXPORTER_OTLP_PROTOCOL=grpc',
      'OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/ca.crt',
      'OTEL_EXPORTER_OTLP_CLIENT_KEY=/etc/otel/certs/app.key',
      'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/etc/otel/certs/app.crt',
    ];
    project(environment);
    assert.deepEqual(verdict(), []);
    // The collector config's container paths resolve through its service's bind mounts (no file-not-found there).
    assert.deepEqual(verdict('otel/collector.yaml'), []);
    received.length = 0;
    const child = await exportInChild(exported(environment));
    assert.deepEqual(child.result, { code: 0 }, child.stderr);
    assert.ok(received.some((r) => r.bytes.includes(Buffer.from(SPAN_NAME))));
  });

  it('no client certificate against the receiver that requires one: missing-client-cert, and the export fails', { timeout: 30_000 }, async () => {
    const environment = [`OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:${port}`, 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc', 'OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/ca.crt'];
    project(environment);
    const found = verdict();
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0], /^missing-client-cert: /);
    received.length = 0;
    const child = await exportInChild(exported(environment));
    assert.equal(child.result?.code, 1, JSON.stringify(child.result));
    assert.equal(received.length, 0);
  });

  it('a wrong CA path (not under the mount): file-not-found on the compose value, and the export fails', { timeout: 30_000 }, async () => {
    const environment = [`OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:${port}`, 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc', 'OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/root.crt', 'OTEL_EXPORTER_OTLP_CLIENT_KEY=/etc/otel/certs/app.key', 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/etc/otel/certs/app.crt'];
    project(environment);
    const found = verdict();
    assert.ok(found.some((f) => f.startsWith('file-not-found: OTEL_EXPORTER_OTLP_CERTIFICATE')), JSON.stringify(found));
    const child = await exportInChild(exported(environment));
    assert.equal(child.result?.code ?? 1, 1, JSON.stringify(child.result));
  });
});

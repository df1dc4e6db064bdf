/**
 * What envTlsIgnored says about an env file, checked against the real OpenTelemetry JS gRPC exporter
 * configured by the same variables: for each case the checker's tls-ignored diagnostic and an
 * export to a plaintext or a TLS grpc-js server, whose outcome shows whether TLS was used and
 * whether the certificate file was read (a file that is not a certificate breaks any TLS use of it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { runCertsCommand } from '../../server/src/cli/certsCommand';
import { check } from '../support/check';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { bind, exportInChild, shutdown, SPAN_NAME, traceServer, type Received } from '../support/otelExport';

const P = 'OTEL_EXPORTER_OTLP_';

describe('envTlsIgnored agrees with the OTel JS gRPC exporter', () => {
  let dir: string;
  let garbage: string;
  let ca: string;
  const plain: { server?: grpc.Server; port: number; received: Received[] } = { port: 0, received: [] };
  const secure: { server?: grpc.Server; port: number; received: Received[] } = { port: 0, received: [] };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-scheme-'));
    let stderr = '';
    const code = await runCertsCommand(['--out', dir, '--host', 'localhost', '--host', '127.0.0.1', '--client', 'client'], { cwd: dir, stdout: () => {}, stderr: (s) => (stderr += s), now: () => new Date() });
    assert.equal(code, 0, stderr);
    ca = join(dir, 'ca.crt');
    garbage = join(dir, 'garbage.crt');
    writeFileSync(garbage, 'this is not a certificate\n');
    plain.server = traceServer(plain.received);
    plain.port = await bind(plain.server, '127.0.0.1:0', grpc.ServerCredentials.createInsecure());
    secure.server = traceServer(secure.received);
    const credentials = grpc.ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(join(dir, 'server.crt')), private_key: readFileSync(join(dir, 'server.key')) }], false);
    secure.port = await bind(secure.server, '127.0.0.1:0', credentials);
  });

  after(async () => {
    await shutdown(plain.server);
    await shutdown(secure.server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Every diagnostic of the checker for these variables, as `NAME code: message` (the whole list), but
   * the note a TLS endpoint gets because no collector config is in this workspace (no-listener), which
   * is asserted to be there exactly when the endpoint is https://.
   */
  function diagnostics(env: Record<string, string>, sdk?: string): string[] {
    const text = (sdk ? `# otlp-tls: sdk=${sdk}\n` : '') + Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join('');
    const all = check(text, { path: join(dir, 'app.env'), runtime: nodeRuntime() }).map((p) => `${text.slice(0, p.offset).split('\n').pop()!.replace(/=$/, '')} ${p.code}: ${p.message}`);
    const note = all.filter((d) => d.startsWith(`${P}ENDPOINT no-listener: `));
    assert.equal(note.length, (env[`${P}ENDPOINT`] ?? '').startsWith('https://') ? 1 : 0, JSON.stringify(all));
    return all.filter((d) => !note.includes(d));
  }

  async function exportWith(env: Record<string, string>, to: typeof plain): Promise<{ code?: number; detail: string; arrived: boolean }> {
    to.received.length = 0;
    const child = await exportInChild(env);
    const arrived = to.received.some((r) => r.bytes.includes(Buffer.from(SPAN_NAME)));
    return { code: child.result?.code, detail: `result: ${JSON.stringify(child.result)}\nstderr: ${child.stderr}`, arrived };
  }

  it('http:// with a CERTIFICATE: reported as unused, and the exporter sends plaintext without reading the file', { timeout: 30_000 }, async () => {
    const env = { [`${P}ENDPOINT`]: `http://127.0.0.1:${plain.port}`, [`${P}CERTIFICATE`]: garbage };
    const found = diagnostics(env);
    // The file is no certificate all the same (an SDK that reads it eagerly, Java's, refuses it).
    assert.equal(found.length, 2, JSON.stringify(found));
    assert.match(found[0], /^OTEL_EXPORTER_OTLP_CERTIFICATE not-a-certificate: /);
    assert.match(found[1], /^OTEL_EXPORTER_OTLP_CERTIFICATE tls-ignored: .*Over http:\/\/ the exporter never reads this file/);
    const ran = await exportWith(env, plain);
    assert.equal(ran.code, 0, ran.detail);
    assert.ok(ran.arrived, 'the plaintext server received the span');
  });

  it('https:// with the same variable: not reported, and what it names decides the export', { timeout: 60_000 }, async () => {
    const good = { [`${P}ENDPOINT`]: `https://localhost:${secure.port}`, [`${P}CERTIFICATE`]: ca };
    assert.deepEqual(diagnostics(good), []);
    const ok = await exportWith(good, secure);
    assert.equal(ok.code, 0, ok.detail);
    const bad = { ...good, [`${P}CERTIFICATE`]: garbage };
    assert.deepEqual(diagnostics(bad).map((d) => d.replace(/:.*$/, '')), ['OTEL_EXPORTER_OTLP_CERTIFICATE not-a-certificate']);
    const failed = await exportWith(bad, secure);
    assert.equal(failed.code, 1, failed.detail);
    assert.ok(!failed.arrived);
  });

  it('INSECURE=true with https://: reported, and JS still connects with TLS (the scheme wins)', { timeout: 30_000 }, async () => {
    const env = { [`${P}ENDPOINT`]: `https://localhost:${secure.port}`, [`${P}INSECURE`]: 'true', [`${P}CERTIFICATE`]: ca };
    const found = diagnostics(env);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0], /^OTEL_EXPORTER_OTLP_INSECURE tls-ignored: .*JS and Python connect with TLS/);
    // Named, the message says exactly what JS does.
    assert.match(diagnostics(env, 'js')[0], /JS follows the https:\/\/ scheme and connects with TLS, so it has no effect/);
    const ran = await exportWith(env, secure);
    assert.equal(ran.code, 0, ran.detail);
    assert.ok(ran.arrived, 'the TLS server received the span, so the exporter used TLS');
  });

  it('INSECURE=false with http://: reported, and JS connects in plaintext (the scheme wins)', { timeout: 30_000 }, async () => {
    const env = { [`${P}ENDPOINT`]: `http://127.0.0.1:${plain.port}`, [`${P}INSECURE`]: 'false' };
    const found = diagnostics(env);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0], /^OTEL_EXPORTER_OTLP_INSECURE tls-ignored: .*JS follows the scheme and connects in plaintext/);
    assert.match(diagnostics(env, 'js')[0], /JS follows the http:\/\/ scheme and connects in plaintext, so it has no effect/);
    const ran = await exportWith(env, plain);
    assert.equal(ran.code, 0, ran.detail);
    assert.ok(ran.arrived, 'the plaintext server received the span');
  });

  it('no endpoint with a CERTIFICATE: reported, and JS sends plaintext to localhost:4317 without reading the file', { timeout: 30_000 }, async (t) => {
    const env = { [`${P}CERTIFICATE`]: garbage };
    const found = diagnostics(env);
    // Go, whose default endpoint is https://localhost, would read the file: it is no certificate.
    assert.equal(found.length, 2, JSON.stringify(found));
    assert.match(found[0], /^OTEL_EXPORTER_OTLP_CERTIFICATE not-a-certificate: /);
    assert.match(found[1], /^OTEL_EXPORTER_OTLP_CERTIFICATE tls-ignored: No endpoint here, so this may go unused: .*plaintext http:\/\/localhost:4317/);
    // Named JS (sdk-node) defaults to http/protobuf on 4318; this exporter package is the gRPC one, whose default is 4317.
    assert.match(diagnostics(env, 'js')[1], /JS \(sdk-node\) sends to its default, plaintext http:\/\/localhost:4318/);
    const received: Received[] = [];
    const server = traceServer(received);
    try {
      await bind(server, 'localhost:4317', grpc.ServerCredentials.createInsecure());
    } catch (error) {
      await shutdown(server);
      t.skip(`the SDK's default port 4317 is taken on this machine (${(error as Error).message})`);
      return;
    }
    try {
      const ran = await exportWith(env, { server, port: 4317, received });
      assert.equal(ran.code, 0, ran.detail);
      assert.ok(ran.arrived, 'a plaintext server on the default endpoint received the span');
    } finally {
      await shutdown(server);
    }
  });
});

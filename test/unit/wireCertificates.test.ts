/** Writing generated certificate paths into a collector config and an env file (certificate command). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { wireCertificateEdits, type GeneratedPaths } from '../../server/src/service/certificates/wireCertificates';
import { getLanguageService } from '../../server/src/service/languageService';
import { defaultSettings } from '../../server/src/service/settings';
import { runCertsCommand } from '../../server/src/cli/certsCommand';
import { checkFiles } from '../../server/src/cli/checkCommand';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { memoryRuntime } from '../support/memoryRuntime';

const paths: GeneratedPaths = {
  ca: 'certs/ca.crt',
  serverCert: 'certs/server.crt',
  serverKey: 'certs/server.key',
  clientCert: 'certs/client.crt',
  clientKey: 'certs/client.key',
  hosts: ['otel-collector.observability.svc', 'localhost'],
};

function wire(path: string, text: string, generated = paths): string {
  const runtime = memoryRuntime();
  const parsed = getLanguageService({ runtime, settings: defaultSettings }).parse({ path, text });
  const document = TextDocument.create('file://' + path, 'yaml', 1, text);
  return TextDocument.applyEdits(document, wireCertificateEdits(document, parsed, generated, runtime.getEnv, path.endsWith('.sh')));
}

describe('wireCertificateEdits', () => {
  it('sets receiver tls paths, adds missing tls blocks, and wires only exporters to a covered host', () => {
    const before = `receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
        tls:
          cert_file: old/server.crt # keep this comment
          key_file: old/server.key
      http:
exporters:
  otlp_grpc/gateway:
    endpoint: otel-collector.observability.svc:4317
  otlp_http/backend:
    endpoint: https://backend.example.com:4318
`;
    const after = `receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
        tls:
          cert_file: certs/server.crt # keep this comment
          key_file: certs/server.key
          client_ca_file: certs/ca.crt
      http:
        tls:
          cert_file: certs/server.crt
          key_file: certs/server.key
          client_ca_file: certs/ca.crt
exporters:
  otlp_grpc/gateway:
    endpoint: otel-collector.observability.svc:4317
    tls:
      ca_file: certs/ca.crt
      cert_file: certs/client.crt
      key_file: certs/client.key
  otlp_http/backend:
    endpoint: https://backend.example.com:4318
`;
    assert.equal(wire('/w/collector.yaml', before), after);
  });

  it('replaces certificate variables (per-signal too) and appends the missing ones', () => {
    const before = '# app\nOTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE="/old/ca.crt"\nOTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY=/old/k.key';
    const after =
      '# app\nOTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\nOTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY=certs/client.key\n' +
      'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=certs/client.key\n';
    assert.equal(wire('/w/.env', before), after);
    assert.equal(wire('/w/otel.sh', '#!/bin/sh\n', { ...paths, clientCert: undefined, clientKey: undefined }), '#!/bin/sh\nexport OTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n');
  });

  it('a workspace wired with freshly generated certificates checks with no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-tls-wire-'));
    try {
      const code = await runCertsCommand(['--out', join(dir, 'certs'), '--host', 'localhost', '--host', '127.0.0.1'], { cwd: dir, stdout: () => undefined, stderr: () => undefined, now: () => new Date() });
      assert.equal(code, 0);
      const generated: GeneratedPaths = { ...paths, hosts: ['localhost', '127.0.0.1'] };
      writeFileSync(join(dir, 'collector.yaml'), wire(join(dir, 'collector.yaml'), 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n      http:\n        endpoint: 0.0.0.0:4318\n', generated));
      writeFileSync(join(dir, 'app.env'), wire(join(dir, 'app.env'), 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\n', generated));
      const results = checkFiles([join(dir, 'collector.yaml'), join(dir, 'app.env')], nodeRuntime(), { ...defaultSettings, workspaceRoots: [dir] });
      assert.deepEqual(results.filter((r) => r.diagnostic.severity === 1).map((r) => `${r.diagnostic.code}: ${r.diagnostic.message}`), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Document links on certificate paths that resolve to existing files. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { open } from '../support/features';
import { marked } from '../support/markers';
import { memoryRuntime } from '../support/memoryRuntime';

describe('document links', () => {
  const runtime = memoryRuntime({ files: { '/work/certs/ca.crt': 'x', '/work/certs/server.crt': 'x', '/etc/otel/client.key': 'x' } });

  it('links every existing collector certificate path (not its quotes), and skips missing ones', () => {
    const { text, ranges } = marked('receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: "⟦certs/server.crt⟧"\n          key_file: certs/missing.key\n          client_ca_file: ⟦certs/ca.crt⟧\n');
    const { service, document } = open(text, { runtime });
    const links = service.getDocumentLinks(document);
    assert.deepEqual(
      links.map((l) => [document.offsetAt(l.range.start), document.offsetAt(l.range.end), l.target]),
      [
        [ranges[0][0], ranges[0][1], 'file:///work/certs/server.crt'],
        [ranges[1][0], ranges[1][1], 'file:///work/certs/ca.crt'],
      ],
    );
  });

  it('links env certificate variables, with path mappings applied', () => {
    const { text, ranges } = marked('OTEL_EXPORTER_OTLP_CERTIFICATE=⟦/certs/ca.crt⟧\nOTEL_EXPORTER_OTLP_CLIENT_KEY=⟦/etc/otel/client.key⟧\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4317\n');
    const { service, document } = open(text, { runtime, path: '/work/app.env', settings: { pathMappings: [{ from: '/certs', to: '/work/certs' }] } });
    const links = service.getDocumentLinks(document);
    assert.deepEqual(
      links.map((l) => [document.offsetAt(l.range.start), document.offsetAt(l.range.end), l.target]),
      [
        [ranges[0][0], ranges[0][1], 'file:///work/certs/ca.crt'],
        [ranges[1][0], ranges[1][1], 'file:///etc/otel/client.key'],
      ],
    );
  });
});

/** Completion: tls keys by role, enum values, OTEL_* names and values, certificate file paths. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { open } from '../support/features';
import { marked } from '../support/markers';
import type { CheckOptions } from '../support/check';
import { memoryRuntime } from '../support/memoryRuntime';

function complete(source: string, options: CheckOptions = {}): { items: CompletionItem[]; document: TextDocument } {
  const { text, ranges } = marked(source);
  const { service, document } = open(text, options);
  return { items: service.getCompletions(document, document.positionAt(ranges[0][0])), document };
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

/** The document after accepting `label`. */
function accept(result: { items: CompletionItem[]; document: TextDocument }, label: string): string {
  const item = result.items.find((i) => i.label === label);
  assert.ok(item?.textEdit && 'range' in item.textEdit, `no ${label}`);
  return TextDocument.applyEdits(result.document, [item.textEdit]);
}

describe('completion', () => {
  it('offers server keys in a receiver tls block, without the ones already there', () => {
    const r = complete('receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: s.crt\n          cl⟦⟧\n');
    assert.ok(labels(r.items).includes('client_ca_file'));
    assert.ok(!labels(r.items).includes('insecure'));
    assert.ok(!labels(r.items).includes('cert_file'));
    assert.equal(accept(r, 'client_ca_file'), 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: s.crt\n          client_ca_file: \n');
  });

  it('offers client keys in an exporter tls block, also right below an empty tls:', () => {
    const r = complete('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ⟦⟧\n');
    assert.ok(labels(r.items).includes('insecure_skip_verify'));
    assert.ok(labels(r.items).includes('server_name_override'));
    assert.ok(!labels(r.items).includes('client_ca_file'));
  });

  it('offers the telemetry exporter keys', () => {
    const r = complete('service:\n  telemetry:\n    traces:\n      processors:\n        - batch:\n            exporter:\n              otlp:\n                endpoint: https://c:4318\n                ⟦⟧\n');
    assert.ok(labels(r.items).includes('client_certificate'));
    assert.ok(!labels(r.items).includes('cert_file'));
  });

  it('offers TLS versions, quoted, 1.2 and 1.3 first', () => {
    const r = complete('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: ⟦⟧\n');
    const sorted = [...r.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.deepEqual(labels(sorted), ['"1.2"', '"1.3"', '"1.0"', '"1.1"']);
    assert.equal(accept(r, '"1.3"'), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: "1.3"\n');
  });

  it('offers cipher suites and curves as list items, and booleans', () => {
    assert.ok(labels(complete('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      cipher_suites:\n        - TLS_⟦⟧\n').items).includes('TLS_AES_128_GCM_SHA256'));
    assert.deepEqual(labels(complete('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      curve_preferences:\n      - ⟦⟧\n').items), ['P256', 'P384', 'P521', 'X25519', 'X25519MLKEM768']);
    assert.deepEqual(labels(complete('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure: ⟦⟧\n').items), ['true', 'false']);
  });

  it('offers OTEL_* names in env files, replacing what is typed', () => {
    const r = complete('OTEL_EXPORTER_OTLP_CERT⟦⟧\n', { path: '/w/.env' });
    assert.ok(labels(r.items).includes('OTEL_EXPORTER_OTLP_CERTIFICATE'));
    assert.equal(accept(r, 'OTEL_EXPORTER_OTLP_CERTIFICATE'), 'OTEL_EXPORTER_OTLP_CERTIFICATE=\n');
  });

  it('offers env protocol and compression values', () => {
    assert.deepEqual(labels(complete('export OTEL_EXPORTER_OTLP_PROTOCOL=⟦⟧\n', { path: '/w/run.sh' }).items), ['grpc', 'http/protobuf', 'http/json']);
    assert.deepEqual(labels(complete('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION="⟦⟧"\n', { path: '/w/.env' }).items), ['gzip', 'none']);
  });

  it('offers the SDK ids after "# otlp-tls: sdk=", replacing what is typed', () => {
    const r = complete('# otlp-tls: sdk=py⟦⟧\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4317\n', { path: '/w/.env' });
    assert.deepEqual(labels(r.items), ['java', 'java-agent', 'python', 'go', 'js', 'dotnet', 'dotnet-auto']);
    assert.equal(accept(r, 'python'), '# otlp-tls: sdk=python\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4317\n');
    assert.deepEqual(labels(complete('# some other comment ⟦⟧\n', { path: '/w/.env' }).items), []);
  });
});

describe('completion with any line ends', () => {
  // Issue 15: on lone-CR files completion threw "Cannot read properties of undefined (reading 'trim')":
  // it split the text on LF while positions count lines as TextDocument does (LF, CRLF or CR).
  const lf = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: s.crt\n          cl⟦⟧\n          min_version: ""\nexporters:\n  otlp:\n    tls:\n      cipher_suites:\n        - x\n';

  it('CRLF: the same keys as with LF, with the same edits', () => {
    const expected = complete(lf);
    const r = complete(lf.replaceAll('\n', '\r\n'));
    assert.ok(labels(expected.items).includes('client_ca_file'));
    assert.deepEqual(labels(r.items), labels(expected.items));
    assert.deepEqual(r.items.map((i) => i.textEdit), expected.items.map((i) => i.textEdit));
  });

  for (const [name, text] of [
    ['lone CR', lf.replace('⟦⟧', '').replaceAll('\n', '\r')],
    ['mixed LF, CRLF and CR', lf.replace('⟦⟧', '').replace(/\n/g, (_, i: number) => ['\n', '\r\n', '\r'][i % 3])],
  ] as const) {
    it(`${name}: answers at every position of every line, without throwing`, () => {
      const { service, document } = open(text);
      for (let line = 0; line <= document.lineCount; line++) {
        for (let character = 0; character <= 40; character += 3) {
          assert.ok(Array.isArray(service.getCompletions(document, { line, character })), `${line}:${character}`);
        }
      }
    });
  }
});

describe('file path completion', () => {
  const files = {
    '/work/otel/collector.yaml': 'x',
    '/work/otel/certs/ca.crt': 'x',
    '/work/otel/certs/server.crt': 'x',
    '/work/otel/certs/server.key': 'x',
    '/work/otel/certs/client-key.pem': 'x',
    '/work/otel/README.md': 'x',
    '/work/pki/root.pem': 'x',
    '/work/node_modules/x/ca.crt': 'x',
  };
  const options = (path: string) => ({ path, runtime: memoryRuntime({ files }), settings: { workspaceRoots: ['/work'] } });
  const sorted = (items: CompletionItem[]) => labels([...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)));

  it('cert_file: files relative to the config, certificates first, nearer first, no node_modules', () => {
    const r = complete('receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: ⟦⟧\n', options('/work/otel/collector.yaml'));
    assert.deepEqual(sorted(r.items), ['certs/ca.crt', 'certs/server.crt', '../pki/root.pem', 'certs/client-key.pem', 'certs/server.key', 'README.md']);
    assert.equal(accept(r, 'certs/server.crt'), 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: certs/server.crt\n');
  });

  it('key_file: .key (and *key*.pem) files first; what is typed is replaced, comments stay', () => {
    const r = complete('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      # client key\n      key_file: "certs/se⟦⟧"\n', options('/work/otel/collector.yaml'));
    assert.deepEqual(sorted(r.items).slice(0, 2), ['certs/client-key.pem', 'certs/server.key']);
    assert.equal(accept(r, 'certs/server.key'), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      # client key\n      key_file: "certs/server.key"\n');
  });

  it('the telemetry exporter certificate keys too', () => {
    const r = complete('service:\n  telemetry:\n    traces:\n      processors:\n        - batch:\n            exporter:\n              otlp:\n                endpoint: https://c:4318\n                client_key: ⟦⟧\n', options('/work/otel/collector.yaml'));
    assert.equal(sorted(r.items)[0], 'certs/client-key.pem');
  });

  it('env certificate variables: relative to the env file; CLIENT_KEY prefers keys', () => {
    const ca = complete('OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE=⟦⟧\n', options('/work/app.env'));
    assert.deepEqual(sorted(ca.items).slice(0, 4), ['pki/root.pem', 'otel/certs/ca.crt', 'otel/certs/server.crt', 'otel/certs/client-key.pem']);
    const key = complete('export OTEL_EXPORTER_OTLP_CLIENT_KEY=otel/⟦⟧\n', options('/work/run.sh'));
    assert.deepEqual(sorted(key.items).slice(0, 2), ['otel/certs/client-key.pem', 'otel/certs/server.key']);
    assert.equal(accept(key, 'otel/certs/server.key'), 'export OTEL_EXPORTER_OTLP_CLIENT_KEY=otel/certs/server.key\n');
  });

  it('other keys and variables get no paths', () => {
    assert.deepEqual(labels(complete('OTEL_EXPORTER_OTLP_ENDPOINT=⟦⟧\n', options('/work/app.env')).items), []);
    assert.ok(!labels(complete('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      server_name_override: ⟦⟧\n', options('/work/otel/collector.yaml')).items).some((l) => l.includes('/')));
  });
});

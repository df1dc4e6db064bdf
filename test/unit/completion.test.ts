/** Completion: tls keys by role, enum values, OTEL_* names and values. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { open } from '../support/features';
import { marked } from '../support/markers';
import type { CheckOptions } from '../support/check';

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
});

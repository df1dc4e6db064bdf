/** Hover: schema descriptions by role and variable, and certificate file summaries. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { open } from '../support/features';
import { marked } from '../support/markers';
import { memoryRuntime } from '../support/memoryRuntime';
import { devPki, PKI_NOW } from '../support/devPki';
import type { CheckOptions } from '../support/check';

/** Hover at the ⟦|⟧ caret (an empty marked range). */
function hoverAt(source: string, options: CheckOptions = {}): Hover | null {
  const { text, ranges } = marked(source);
  const { service, document } = open(text, options);
  return service.getHover(document, document.positionAt(ranges[0][0]));
}

function value(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as MarkupContent).value;
}

describe('hover', () => {
  it('describes a tls: key by the block role (server client_ca_file)', () => {
    const text = value(hoverAt('receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          client_⟦⟧ca_file: ca.crt\n'));
    assert.match(text, /^\*\*client_ca_file\*\* — TLS server/);
    assert.match(text, /client/i);
  });

  it('describes a client key of an exporter block', () => {
    const text = value(hoverAt('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure_skip⟦⟧_verify: true\n'));
    assert.match(text, /^\*\*insecure_skip_verify\*\* — TLS client/);
  });

  it('describes the tls key itself by role', () => {
    assert.match(value(hoverAt('exporters:\n  otlp:\n    endpoint: c:4317\n    t⟦⟧ls:\n      insecure: true\n')), /TLS client settings/);
  });

  it('describes an OTEL_* variable with its values', () => {
    const text = value(hoverAt('OTEL_EXPORTER_OTLP_PRO⟦⟧TOCOL=grpc\n', { path: '/w/app.env' }));
    assert.match(text, /^\*\*OTEL_EXPORTER_OTLP_PROTOCOL\*\*/);
    assert.match(text, /`http\/protobuf`/);
  });

  it('describes the SDK named in a "# otlp-tls: sdk=" line', () => {
    const text = value(hoverAt('# otlp-tls: sdk=g⟦⟧o\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n', { path: '/w/app.env' }));
    assert.match(text, /^\*\*Go \(autoexport\)\*\* reads this file/);
    assert.match(text, /Default protocol `http\/protobuf`; default endpoint `https:\/\/localhost:4318`/);
    assert.equal(hoverAt('# otlp-tls: sdk=cob⟦⟧ol\n', { path: '/w/app.env' }), null, 'no hover for an unknown id');
  });

  it('summarises a certificate file: subject, issuer, SANs, days left, key, usages, fingerprint, chain', async () => {
    const pki = await devPki();
    const runtime = memoryRuntime({ files: { '/work/certs/server.crt': pki['server.crt'], '/work/certs/ca.crt': pki['ca.crt'] }, now: new Date(PKI_NOW.getTime() + 65 * 86_400_000) });
    const text = value(hoverAt('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: certs/ca.crt\n      cert_file: certs/ser⟦⟧ver.crt\n', { runtime }));
    assert.match(text, /`\/work\/certs\/server\.crt`/);
    assert.match(text, /\| Subject \| .*CN=/);
    assert.match(text, /\| SANs \| DNS:localhost, DNS:collector/);
    assert.match(text, /\(300 days left\)/);
    assert.match(text, /\| Key \| ECDSA P-256/);
    assert.match(text, /\| Key usage \| digitalSignature/);
    assert.match(text, /\| Extended key usage \| serverAuth/);
    assert.match(text, /\| SHA-256 \| `([0-9A-F]{2}:){31}[0-9A-F]{2}`/);
    assert.match(text, /Chains to `ca_file`/);
  });

  it('summarises an env CERTIFICATE file and says when it is missing', async () => {
    const pki = await devPki();
    const runtime = memoryRuntime({ files: { '/w/ca.crt': pki['ca.crt'] } });
    assert.match(value(hoverAt('OTEL_EXPORTER_OTLP_CERTIFICATE=⟦⟧ca.crt\n', { path: '/w/.env', runtime })), /\| CA \| yes/);
    assert.match(value(hoverAt('OTEL_EXPORTER_OTLP_CLIENT_KEY=/nope/⟦⟧client.key\n', { path: '/w/.env', runtime })), /File not found/);
  });

  it('reports an expired certificate', async () => {
    const pki = await devPki();
    const runtime = memoryRuntime({ files: { '/work/server.crt': pki['server.crt'] }, now: new Date(PKI_NOW.getTime() + 400 * 86_400_000) });
    assert.match(value(hoverAt('receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: ⟦⟧server.crt\n          key_file: server.key\n', { runtime })), /\*\*expired\*\* \d+ days ago/);
  });

  it('is null elsewhere', () => {
    assert.equal(hoverAt('exporters:\n  otlp:\n    endpo⟦⟧int: c:4317\n'), null);
  });
});

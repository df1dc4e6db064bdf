/**
 * The cross-file checks on an in-memory workspace: which receiver an endpoint pairs with, where
 * each diagnostic sits (endpoint, CERTIFICATE or CLIENT_CERTIFICATE value, exporter ca_file) and
 * where `related` points in the receiver's file. The verdicts themselves are proven against real
 * handshakes in test/integration/handshakeAgreement.test.ts.
 */
import { before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from '../support/markers';
import { memoryRuntime } from '../support/memoryRuntime';
import { ca, client, server, type Issued } from '../support/certificates';
import { getLanguageService } from '../../server/src/service/languageService';
import { defaultSettings } from '../../server/src/service/settings';
import { createWorkspaceIndex } from '../../server/src/service/workspace';
import { clearCertificateCache } from '../../server/src/service/certificates/certificateFiles';
import type { Problem } from '../../server/src/service/languageTypes';

let root: Issued;
let otherCa: Issued;
let srv: Issued;
let cli: Issued;
before(async () => {
  root = await ca('Unit Root CA');
  otherCa = await ca('Unit Other CA');
  srv = await server(root, ['otel-collector.observability.svc']);
  cli = await client(root);
});
beforeEach(() => clearCertificateCache());

const GATEWAY = `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: /certs/server.crt\n          key_file: /certs/server.key\n          client_ca_file: /certs/ca.crt\n      http:\n        endpoint: 0.0.0.0:4318\n`;

/** Checks `source` (an env file or a collector config) in a workspace with the gateway config. */
function checkIn(source: string, path: string, gateway = GATEWAY, extraDocs: { path: string; text: string }[] = []): { problems: Problem[]; ranges: [number, number][] } {
  const { text, ranges } = marked(source);
  const runtime = memoryRuntime({
    now: new Date(),
    files: {
      '/certs/server.crt': srv.pem,
      '/certs/server.key': { contents: srv.keyPem, mode: 0o600 },
      '/certs/ca.crt': root.pem,
      '/certs/other.crt': otherCa.pem,
      '/certs/client.crt': cli.pem,
      '/certs/client.key': { contents: cli.keyPem, mode: 0o600 },
    },
  });
  const settings = { ...defaultSettings };
  const parser = getLanguageService({ runtime, settings });
  const docs = [{ path: '/w/gateway.yaml', text: gateway }, { path, text }, ...extraDocs];
  const workspace = createWorkspaceIndex(
    docs.flatMap((d) => {
      const parsed = parser.parse(d);
      return parsed.kind === 'other' ? [] : [{ path: d.path, text: d.text, kind: parsed.kind, model: parsed.model }];
    }),
  );
  return { problems: getLanguageService({ runtime, settings, workspace }).validate({ path, text }), ranges };
}

function only(problems: Problem[], code: string) {
  return problems.filter((p) => p.code === code);
}

describe('env file → receiver', () => {
  it('san-mismatch on the endpoint value, related on the receiver cert_file', () => {
    const { problems, ranges } = checkIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=/certs/client.key\n', '/w/app.env');
    const [p] = only(problems, 'san-mismatch');
    assert.deepEqual([p.offset, p.offset + p.length], ranges[0]);
    assert.match(p.message, /certificate is valid for otel-collector\.observability\.svc, not otel-collector/);
    assert.equal(p.related?.[0].path, '/w/gateway.yaml');
    assert.deepEqual(p.related?.[0].range.start, { line: 6, character: 21 });
    assert.equal(problems.filter((x) => x.code === 'san-mismatch').length, 1, 'one diagnostic for the three signals');
  });
  it('unknown-authority sits on the CERTIFICATE value', () => {
    const { problems, ranges } = checkIn('OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=⟦/certs/other.crt⟧\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=/certs/client.key\n', '/w/app.env');
    const [p] = only(problems, 'unknown-authority');
    assert.deepEqual([p.offset, p.offset + p.length], ranges[0]);
  });
  it('missing-client-cert on the endpoint, related on client_ca_file; per-signal endpoints are named', () => {
    const { problems } = checkIn('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\n', '/w/app.env');
    const [p] = only(problems, 'missing-client-cert');
    assert.match(p.message, /^Traces: /);
    assert.equal(p.related?.[0].range.start.line, 8);
  });
  it('plaintext-endpoint: http:// to the TLS listener, https:// to the plaintext one', () => {
    assert.equal(only(checkIn('OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.observability.svc:4317\n', '/w/app.env').problems, 'plaintext-endpoint').length, 1);
    assert.equal(only(checkIn('OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4318\n', '/w/app.env').problems, 'plaintext-endpoint').length, 1);
    assert.equal(only(checkIn('OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.observability.svc:4318\n', '/w/app.env').problems, 'plaintext-endpoint').length, 0);
    // Signals the SDK does not export over OTLP are not judged; one that still is keeps its diagnostic.
    const off = 'OTEL_TRACES_EXPORTER=none\nOTEL_METRICS_EXPORTER=prometheus\nOTEL_LOGS_EXPORTER=none\n';
    assert.equal(only(checkIn(`${off}OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.observability.svc:4317\n`, '/w/app.env').problems, 'plaintext-endpoint').length, 0);
    assert.equal(only(checkIn(`OTEL_SDK_DISABLED=true\nOTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.observability.svc:4317\n`, '/w/app.env').problems, 'plaintext-endpoint').length, 0);
    const traces = only(checkIn(`OTEL_METRICS_EXPORTER=none\nOTEL_LOGS_EXPORTER=none\nOTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.observability.svc:4317\n`, '/w/app.env').problems, 'plaintext-endpoint');
    assert.equal(traces.length, 1);
    assert.match(traces[0].message, /^Traces: /);
  });
  it('a gRPC endpoint without a scheme: TLS unless INSECURE=true', () => {
    const tlsUsed = checkIn('OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=otel-collector:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\n', '/w/app.env').problems;
    assert.equal(only(tlsUsed, 'san-mismatch').length, 1);
    const plain = checkIn('OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=otel-collector:4317\nOTEL_EXPORTER_OTLP_INSECURE=true\n', '/w/app.env').problems;
    assert.equal(only(plain, 'plaintext-endpoint').length, 1);
  });
  it('two listeners on the port: judged against each, naming the one that fails; none: said so', () => {
    const second = { path: '/w/other.yaml', text: 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n' };
    const env = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector:4317\n';
    const both = checkIn(env, '/w/app.env', GATEWAY, [second]).problems;
    // The gateway's certificate does not cover otel-collector; other.yaml serves plaintext on the same port.
    const mismatch = only(both, 'san-mismatch');
    assert.equal(mismatch.length, 1);
    assert.match(mismatch[0].message, /^Against receiver otlp \(grpc\) on 0\.0\.0\.0:4317 in gateway\.yaml \(one of 2 listeners on port 4317\)/);
    const plaintext = only(both, 'plaintext-endpoint');
    assert.equal(plaintext.length, 1);
    assert.match(plaintext[0].message, /in other\.yaml \(one of 2 listeners/);
    const none = checkIn('OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector:9999\n', '/w/app.env').problems;
    assert.equal(only(none, 'san-mismatch').length, 0);
    const info = only(none, 'no-listener');
    assert.equal(info.length, 1);
    assert.match(info[0].message, /pairs with no receiver listener of the workspace \(none listens on port 9999\)/);
  });
  it('a scheme-less endpoint is judged with the named SDK\'s default protocol', () => {
    const env = 'OTEL_EXPORTER_OTLP_ENDPOINT=otel-collector:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\n';
    // Unnamed: the gRPC listener it pairs with says gRPC, which dials host:port with TLS, so the host is checked.
    assert.equal(only(checkIn(env, '/w/app.env').problems, 'san-mismatch').length, 1);
    // JS defaults to http/protobuf, which needs a URL: the endpoint is invalid (envEndpoint), no handshake to judge.
    const js = checkIn(`# otlp-tls: sdk=js\n${env}`, '/w/app.env').problems;
    assert.equal(only(js, 'san-mismatch').length, 0);
    assert.ok(js.some((p) => p.code === 'invalid-value' && /has no scheme: OTLP\/HTTP needs an absolute URL/.test(p.message)), JSON.stringify(js));
    // Python defaults to grpc: judged as before.
    assert.equal(only(checkIn(`# otlp-tls: sdk=python\n${env}`, '/w/app.env').problems, 'san-mismatch').length, 1);
  });
  it('with the SDK named, INSECURE overrides the scheme where that SDK lets it', () => {
    const https = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\nOTEL_EXPORTER_OTLP_INSECURE=true\n';
    // The spec, JS and Python: https:// wins, so TLS.
    assert.equal(only(checkIn(https, '/w/app.env').problems, 'plaintext-endpoint').length, 0);
    assert.equal(only(checkIn(`# otlp-tls: sdk=js\n${https}`, '/w/app.env').problems, 'plaintext-endpoint').length, 0);
    // Go applies INSECURE after the scheme: plaintext to a TLS receiver.
    const [go] = only(checkIn(`# otlp-tls: sdk=go\n${https}`, '/w/app.env').problems, 'plaintext-endpoint');
    assert.match(go?.message ?? '', /OTEL_EXPORTER_OTLP_INSECURE=true and Go's exporter applies INSECURE after the scheme, so it connects in plaintext/);
    // Python's gRPC exporter with http:// and INSECURE=false: TLS, so the receiver is reached and its certificate judged.
    const http = 'OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\nOTEL_EXPORTER_OTLP_INSECURE=false\n';
    assert.equal(only(checkIn(http, '/w/app.env').problems, 'plaintext-endpoint').length, 1);
    const python = checkIn(`# otlp-tls: sdk=python\n${http}`, '/w/app.env').problems;
    assert.equal(only(python, 'plaintext-endpoint').length, 0);
    assert.equal(only(python, 'san-mismatch').length, 1, 'TLS to the receiver, whose certificate does not name otel-collector');
  });
  it('with the SDK named, the handshake uses the TLS variables that SDK reads', () => {
    const pair = 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=/certs/client.key\n';
    const endpoint = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\n';
    // Python's gRPC exporter without a CERTIFICATE sends no client certificate: the receiver requires one.
    assert.equal(only(checkIn(`${endpoint}${pair}`, '/w/app.env').problems, 'missing-client-cert').length, 0);
    const [python] = only(checkIn(`# otlp-tls: sdk=python\n${endpoint}${pair}`, '/w/app.env').problems, 'missing-client-cert');
    assert.match(python?.message ?? '', /presents none \(the Python SDK's gRPC exporter ignores the client certificate and key when no CERTIFICATE is set\)/);
    // .NET reads only the generic CERTIFICATE: a per-signal one leaves it on the system roots.
    const perSignal = `${endpoint}OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE=/certs/ca.crt\nOTEL_METRICS_EXPORTER=none\nOTEL_LOGS_EXPORTER=none\n${pair}`;
    assert.equal(only(checkIn(perSignal, '/w/app.env').problems, 'unknown-authority').length, 0);
    const dotnet = only(checkIn(`# otlp-tls: sdk=dotnet\n${perSignal}`, '/w/app.env').problems, 'unknown-authority');
    assert.equal(dotnet.length, 1);
    assert.match(dotnet[0].message, /system roots/);
  });
  it('weak-tls-version: the receiver caps TLS below 1.2', () => {
    const gateway = GATEWAY.replace('          client_ca_file: /certs/ca.crt\n', '          max_version: "1.1"\n');
    const [p] = only(checkIn('OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\n', '/w/app.env', gateway).problems, 'weak-tls-version');
    assert.ok(p && p.severity === 'error');
  });
});

describe('exporter → receiver of another config', () => {
  it('san-mismatch on the exporter endpoint; server_name_override fixes it', () => {
    const agent = 'exporters:\n  otlp:\n    endpoint: ⟦gateway:4317⟧\n    tls:\n      ca_file: /certs/ca.crt\n      cert_file: /certs/client.crt\n      key_file: /certs/client.key\n';
    const { problems, ranges } = checkIn(agent, '/w/agent.yaml');
    const [p] = only(problems, 'san-mismatch');
    assert.deepEqual([p.offset, p.offset + p.length], ranges[0]);
    const fixed = checkIn(agent.replace(/[⟦⟧]/g, '') + '      server_name_override: otel-collector.observability.svc\n', '/w/agent.yaml').problems;
    assert.deepEqual(fixed.filter((x) => x.severity === 'error' || ['san-mismatch', 'unknown-authority', 'missing-client-cert'].includes(x.code)), []);
  });
  it('unknown-authority sits on ca_file', () => {
    const { problems, ranges } = checkIn('exporters:\n  otlp:\n    endpoint: otel-collector.observability.svc:4317\n    tls:\n      ca_file: ⟦/certs/other.crt⟧\n      cert_file: /certs/client.crt\n      key_file: /certs/client.key\n', '/w/agent.yaml');
    const [p] = only(problems, 'unknown-authority');
    assert.deepEqual([p.offset, p.offset + p.length], ranges[0]);
  });
  it('insecure_skip_verify skips server verification, not the client certificate requirement', () => {
    const { problems } = checkIn('exporters:\n  otlp:\n    endpoint: gateway:4317\n    tls:\n      insecure_skip_verify: true\n', '/w/agent.yaml');
    assert.equal(only(problems, 'san-mismatch').length, 0);
    assert.equal(only(problems, 'missing-client-cert').length, 1);
  });
  it('does not pair an exporter with a receiver of its own config', () => {
    const self = GATEWAY + 'exporters:\n  otlp:\n    endpoint: gateway:4317\n';
    const { problems } = checkIn(self, '/w/self.yaml', 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:9999\n');
    assert.deepEqual(problems.filter((p) => ['missing-client-cert', 'san-mismatch', 'unknown-authority'].includes(p.code)), []);
    const other = checkIn('exporters:\n  otlp:\n    endpoint: gateway:4317\n', '/w/agent.yaml').problems;
    assert.equal(only(other, 'missing-client-cert').length, 1);
  });
});

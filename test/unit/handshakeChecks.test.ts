/**
 * The cross-file checks on an in-memory workspace: which receiver an endpoint pairs with, where
 * each diagnostic sits (endpoint, CERTIFICATE or CLIENT_CERTIFICATE value, exporter ca_file) and
 * where `related` points in the receiver's file. The verdicts themselves are proven against real
 * handshakes in test/integration/handshakeAgreement.test.ts.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from '../support/markers';
import { memoryRuntime } from '../support/memoryRuntime';
import { ca, client, server, type Issued } from '../support/certificates';
import type { Problem } from '../../server/src/service/languageTypes';
import { assertProblems, workspaceOf } from '../support/check';

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
  const { service, parsed } = workspaceOf([{ path: '/w/gateway.yaml', text: gateway }, { path, text }, ...extraDocs], { runtime });
  return { problems: service.validate({ path, text }, parsed[1]), ranges };
}

/**
 * Checks marked `source` in the workspace with the gateway config and asserts its whole list of problems:
 * `codes` on the marked ranges, in text order (a list for several on one range). Returns the problems.
 */
function expectIn(source: string, path: string, codes: (string | string[])[], gateway = GATEWAY, extraDocs: { path: string; text: string }[] = []): Problem[] {
  const { problems, ranges } = checkIn(source, path, gateway, extraDocs);
  return assertProblems(problems, codes, ranges, source);
}

/** The one problem with `code`. */
function one(problems: Problem[], code: string): Problem {
  const found = problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `${code} in ${JSON.stringify(problems.map((p) => p.code))}`);
  return found[0];
}

// Port 4317 (or 4318) with no OTEL_EXPORTER_OTLP_PROTOCOL: information on the endpoint, which SDKs default to which.
const PORT = 'port-protocol-mismatch';
const ENV = '/w/app.env';

describe('env file → receiver', () => {
  it('san-mismatch on the endpoint value, related on the receiver cert_file', () => {
    const problems = expectIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=/certs/client.key\n', ENV, [['san-mismatch', PORT]]);
    const p = one(problems, 'san-mismatch');
    assert.match(p.message, /certificate is valid for otel-collector\.observability\.svc, not otel-collector/);
    assert.equal(p.related?.[0].path, '/w/gateway.yaml');
    assert.deepEqual(p.related?.[0].range.start, { line: 6, character: 21 });
  });
  it('unknown-authority sits on the CERTIFICATE value', () => {
    expectIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector.observability.svc:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=⟦/certs/other.crt⟧\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=/certs/client.key\n', ENV, [PORT, 'unknown-authority']);
  });
  it('missing-client-cert on the endpoint, related on client_ca_file; per-signal endpoints are named', () => {
    // The CERTIFICATE serves the metrics and logs exporters too, which have no endpoint here (information).
    const problems = expectIn('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=⟦https://otel-collector.observability.svc:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=⟦/certs/ca.crt⟧\n', ENV, [['missing-client-cert', PORT], 'tls-ignored']);
    const p = one(problems, 'missing-client-cert');
    assert.match(p.message, /^Traces: /);
    assert.equal(p.related?.[0].range.start.line, 8);
  });
  it('plaintext-endpoint: http:// to the TLS listener, https:// to the plaintext one', () => {
    expectIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦http://otel-collector.observability.svc:4317⟧\n', ENV, [['plaintext-endpoint', PORT]]);
    expectIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector.observability.svc:4318⟧\n', ENV, [['plaintext-endpoint', PORT]]);
    expectIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦http://otel-collector.observability.svc:4318⟧\n', ENV, [PORT]);
    // Signals the SDK does not export over OTLP are not judged; one that still is keeps its diagnostic.
    const off = 'OTEL_TRACES_EXPORTER=none\nOTEL_METRICS_EXPORTER=prometheus\nOTEL_LOGS_EXPORTER=none\n';
    expectIn(`${off}OTEL_EXPORTER_OTLP_ENDPOINT=⟦http://otel-collector.observability.svc:4317⟧\n`, ENV, [PORT]);
    expectIn(`OTEL_SDK_DISABLED=true\nOTEL_EXPORTER_OTLP_ENDPOINT=⟦http://otel-collector.observability.svc:4317⟧\n`, ENV, [PORT]);
    const traces = expectIn(`OTEL_METRICS_EXPORTER=none\nOTEL_LOGS_EXPORTER=none\nOTEL_EXPORTER_OTLP_ENDPOINT=⟦http://otel-collector.observability.svc:4317⟧\n`, ENV, [['plaintext-endpoint', PORT]]);
    assert.match(one(traces, 'plaintext-endpoint').message, /^Traces: /);
  });
  it('a gRPC endpoint without a scheme: TLS unless INSECURE=true', () => {
    // Scheme-less is a warning in itself (Java fails at startup); no client certificate is set for the mTLS receiver.
    expectIn('OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=⟦otel-collector:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\n', ENV, [['san-mismatch', 'missing-client-cert', 'invalid-value']]);
    expectIn('OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=⟦otel-collector:4317⟧\nOTEL_EXPORTER_OTLP_INSECURE=true\n', ENV, [['plaintext-endpoint', 'invalid-value']]);
  });
  it('two listeners on the port: judged against each, naming the one that fails; none: said so', () => {
    const second = { path: '/w/other.yaml', text: 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n' };
    // The gateway's certificate does not cover otel-collector, the system roots do not hold its CA (no
    // CERTIFICATE), and it wants a client certificate; other.yaml serves plaintext on the same port.
    const both = expectIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector:4317⟧\n', ENV, [['san-mismatch', 'unknown-authority', 'missing-client-cert', 'plaintext-endpoint', PORT]], GATEWAY, [second]);
    // Which listener comes after the message (its first sentence stays short); no workspace folder here, so the path is absolute.
    assert.match(one(both, 'san-mismatch').message, / Found against receiver otlp \(grpc\) on 0\.0\.0\.0:4317 in \/w\/gateway\.yaml \(one of 2 listeners on port 4317\)\.$/);
    assert.match(one(both, 'plaintext-endpoint').message, /in \/w\/other\.yaml \(one of 2 listeners/);
    const none = expectIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector:9999⟧\n', ENV, ['no-listener']);
    assert.match(one(none, 'no-listener').message, /pairs with no receiver listener of the workspace \(none listens on port 9999\)/);
  });
  it('a scheme-less endpoint is judged with the named SDK\'s default protocol', () => {
    const env = 'OTEL_EXPORTER_OTLP_ENDPOINT=⟦otel-collector:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\n';
    // Unnamed: the gRPC listener it pairs with says gRPC, which dials host:port with TLS, so the host is checked.
    expectIn(env, ENV, [['san-mismatch', 'missing-client-cert', 'invalid-value', PORT]]);
    // JS defaults to http/protobuf, which needs a URL: the endpoint is invalid (envEndpoint), no handshake to judge.
    const js = expectIn(`# otlp-tls: sdk=js\n${env}`, ENV, ['invalid-value']);
    assert.match(js[0].message, /^The endpoint has no scheme: .*OTLP\/HTTP needs an absolute URL/);
    // Python defaults to grpc: judged as before.
    expectIn(`# otlp-tls: sdk=python\n${env}`, ENV, [['san-mismatch', 'missing-client-cert', 'invalid-value']]);
  });
  it('with the SDK named, INSECURE overrides the scheme where that SDK lets it', () => {
    const https = 'OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector.observability.svc:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\nOTEL_EXPORTER_OTLP_INSECURE=⟦true⟧\n';
    // The spec, JS and Python: https:// wins, so TLS (to a receiver that requires a client certificate); INSECURE contradicts the scheme.
    expectIn(https, ENV, [['missing-client-cert', PORT], 'tls-ignored']);
    expectIn(`# otlp-tls: sdk=js\n${https}`, ENV, [['missing-client-cert', PORT], 'tls-ignored']);
    // Go applies INSECURE after the scheme: plaintext to a TLS receiver.
    const go = expectIn(`# otlp-tls: sdk=go\n${https}`, ENV, [['plaintext-endpoint', PORT], 'tls-ignored']);
    assert.match(one(go, 'plaintext-endpoint').message, /OTEL_EXPORTER_OTLP_INSECURE=true and Go's exporter applies INSECURE after the scheme, so it connects in plaintext/);
    // Python's gRPC exporter with http:// and INSECURE=false: TLS, so the receiver is reached and its certificate judged.
    const http = 'OTEL_EXPORTER_OTLP_ENDPOINT=⟦http://otel-collector:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\nOTEL_EXPORTER_OTLP_INSECURE=⟦false⟧\n';
    // The unread CERTIFICATE is a consequence of the plaintext endpoint: one of its related locations, not a diagnostic of its own.
    const plain = expectIn(http, ENV, [['plaintext-endpoint', PORT], 'tls-ignored']);
    assert.deepEqual(one(plain, 'plaintext-endpoint').related!.map((r) => r.message).slice(1), ['OTEL_EXPORTER_OTLP_CERTIFICATE is not used while OTEL_EXPORTER_OTLP_ENDPOINT is http://']);
    // TLS to the receiver, whose certificate does not name otel-collector; the CA is used, and INSECURE=false is what turns TLS on.
    expectIn(`# otlp-tls: sdk=python\n${http.replace('⟦/certs/ca.crt⟧', '/certs/ca.crt')}`, ENV, [['san-mismatch', 'missing-client-cert'], 'tls-ignored']);
  });
  it('with the SDK named, the handshake uses the TLS variables that SDK reads', () => {
    const pair = 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/certs/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=/certs/client.key\n';
    const endpoint = 'OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector.observability.svc:4317⟧\n';
    // Python's gRPC exporter without a CERTIFICATE sends no client certificate: the receiver requires one.
    // (Without a CERTIFICATE, every SDK verifies with the system roots, which do not hold the test CA.)
    expectIn(`${endpoint}${pair}`, ENV, [['unknown-authority', PORT]]);
    const python = expectIn(`# otlp-tls: sdk=python\n${endpoint}${pair.replace(/=(\/certs\/client\.(crt|key))/g, '=⟦$1⟧')}`, ENV, [['unknown-authority', 'missing-client-cert'], 'tls-ignored', 'tls-ignored']);
    assert.match(one(python, 'missing-client-cert').message, /presents none \(the Python SDK's gRPC exporter ignores the client certificate and key when no CERTIFICATE is set\)/);
    // .NET reads only the generic CERTIFICATE: a per-signal one leaves it on the system roots.
    const perSignal = `${endpoint}OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE=/certs/ca.crt\nOTEL_METRICS_EXPORTER=none\nOTEL_LOGS_EXPORTER=none\n${pair}`;
    expectIn(perSignal, ENV, [PORT]);
    const dotnet = expectIn(`# otlp-tls: sdk=dotnet\n${perSignal.replace('=/certs/ca.crt', '=⟦/certs/ca.crt⟧')}`, ENV, ['unknown-authority', 'tls-ignored']);
    assert.match(one(dotnet, 'unknown-authority').message, /system roots/);
  });
  it('weak-tls-version: the receiver caps TLS below 1.2', () => {
    const gateway = GATEWAY.replace('          client_ca_file: /certs/ca.crt\n', '          max_version: "1.1"\n');
    const p = one(expectIn('OTEL_EXPORTER_OTLP_ENDPOINT=⟦https://otel-collector.observability.svc:4317⟧\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\n', ENV, [['weak-tls-version', PORT]], gateway), 'weak-tls-version');
    assert.equal(p.severity, 'error');
  });
});

describe('exporter → receiver of another config', () => {
  it('san-mismatch on the exporter endpoint; server_name_override fixes it', () => {
    const agent = 'exporters:\n  otlp:\n    endpoint: ⟦gateway:4317⟧\n    tls:\n      ca_file: /certs/ca.crt\n      cert_file: /certs/client.crt\n      key_file: /certs/client.key\n';
    expectIn(agent, '/w/agent.yaml', ['san-mismatch']);
    expectIn(agent.replace(/[⟦⟧]/g, '') + '      server_name_override: otel-collector.observability.svc\n', '/w/agent.yaml', []);
  });
  it('unknown-authority sits on ca_file', () => {
    expectIn('exporters:\n  otlp:\n    endpoint: otel-collector.observability.svc:4317\n    tls:\n      ca_file: ⟦/certs/other.crt⟧\n      cert_file: /certs/client.crt\n      key_file: /certs/client.key\n', '/w/agent.yaml', ['unknown-authority']);
  });
  it('insecure_skip_verify skips server verification, not the client certificate requirement', () => {
    expectIn('exporters:\n  otlp:\n    endpoint: ⟦gateway:4317⟧\n    tls:\n      ⟦insecure_skip_verify⟧: true\n', '/w/agent.yaml', ['missing-client-cert', 'insecure-skip-verify']);
  });
  it('does not pair an exporter with a receiver of its own config', () => {
    // Another config listens (on another port), so the endpoint's pairing with nothing is said.
    const self = GATEWAY + 'exporters:\n  otlp:\n    endpoint: ⟦gateway:4317⟧\n';
    expectIn(self, '/w/self.yaml', ['no-listener'], 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:9999\n');
    // No tls: block: the system roots, the host as written, no client certificate.
    expectIn('exporters:\n  otlp:\n    endpoint: ⟦gateway:4317⟧\n', '/w/agent.yaml', [['san-mismatch', 'unknown-authority', 'missing-client-cert']]);
  });
});

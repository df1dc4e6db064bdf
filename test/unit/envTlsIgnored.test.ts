/**
 * envTlsIgnored: TLS settings in an env file that the endpoint's scheme makes unused or contradictory,
 * and their quick fixes. Expected ranges are marked ⟦like this⟧; offsets are never counted by hand.
 * test/integration/envSchemeExport.test.ts runs the real OpenTelemetry JS exporter on the same cases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { envTlsIgnored } from '../../server/src/service/checks/envTlsIgnored';
import type { Problem } from '../../server/src/service/languageTypes';
import { check, appContext } from '../support/check';
import { applied, fixesFor } from '../support/features';
import { marked } from '../support/markers';

const P = 'OTEL_EXPORTER_OTLP_';

function run(text: string): Problem[] {
  return envTlsIgnored.run(appContext(text));
}

/** Asserts that tls-ignored is reported exactly on the marked ranges; returns the problems. */
function expectOn(source: string): Problem[] {
  const { text, ranges } = marked(source);
  const found = run(text).sort((a, b) => a.offset - b.offset);
  assert.ok(found.every((p) => p.code === 'tls-ignored'));
  assert.deepEqual(
    found.map((p) => `${p.offset}-${p.offset + p.length}`),
    ranges.map(([s, e]) => `${s}-${e}`),
    `${JSON.stringify(text)}: ${JSON.stringify(found, null, 1)}`,
  );
  return found;
}

describe('envTlsIgnored', () => {
  it('flags every certificate variable when the endpoint is http://, and points at the endpoint', () => {
    const found = expectOn(
      `${P}ENDPOINT=http://collector:4317\n${P}CERTIFICATE=⟦certs/ca.crt⟧\n${P}CLIENT_CERTIFICATE=⟦certs/client.crt⟧\n${P}CLIENT_KEY=⟦certs/client.key⟧\n`,
    );
    assert.match(found[0].message, /OTEL_EXPORTER_OTLP_CERTIFICATE is not used: OTEL_EXPORTER_OTLP_ENDPOINT is http:\/\//);
    assert.equal(found[0].related?.[0].range.start.line, 0, 'related: the endpoint line');
    assert.deepEqual(found[0].data, { kind: 'scheme', from: 'http', to: 'https', endpoint: { app: 0, setting: 0 }, at: { app: 0, setting: 1 } });
  });

  it('is silent for https://, for a scheme-less gRPC target and for an endpoint held in a reference', () => {
    expectOn(`${P}ENDPOINT=https://collector:4317\n${P}CERTIFICATE=certs/ca.crt\n`);
    expectOn(`${P}PROTOCOL=grpc\n${P}ENDPOINT=collector:4317\n${P}CERTIFICATE=certs/ca.crt\n`);
    expectOn(`${P}ENDPOINT=\${COLLECTOR_URL}\n${P}CERTIFICATE=certs/ca.crt\n`);
  });

  it('judges each signal with its own endpoint, and names the signals when not all are concerned', () => {
    const found = expectOn(`${P}ENDPOINT=https://collector:4317\n${P}LOGS_ENDPOINT=http://collector:4318/v1/logs\n${P}CERTIFICATE=⟦certs/ca.crt⟧\n`);
    assert.match(found[0].message, /^Logs: OTEL_EXPORTER_OTLP_CERTIFICATE is not used: OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is http:\/\//);
  });

  it('with no endpoint in the file, says (as information) the SDK default is plaintext in most SDKs, and offers the endpoint', () => {
    const found = expectOn(`${P}PROTOCOL=http/protobuf\n${P}CERTIFICATE=⟦/etc/otel/ca.crt⟧\n`);
    assert.match(found[0].message, /^No endpoint here, so this may go unused: set OTEL_EXPORTER_OTLP_ENDPOINT=https:\/\/<host>:431[78]\. .*plaintext http:\/\/localhost.*only Go defaults to https/);
    assert.deepEqual(found[0].data, { kind: 'add-variable', name: `${P}ENDPOINT`, value: 'https://localhost:4318', at: { app: 0, setting: 1 } });
    assert.equal(found[0].severity, 'information', 'the endpoint may be set outside this file');
  });

  it('skips signals that are not exported over OTLP, and a disabled SDK', () => {
    expectOn(`OTEL_TRACES_EXPORTER=none\nOTEL_METRICS_EXPORTER=console\nOTEL_LOGS_EXPORTER=none\n${P}ENDPOINT=http://c:4317\n${P}CERTIFICATE=ca.crt\n`);
    expectOn(`OTEL_SDK_DISABLED=true\n${P}ENDPOINT=http://c:4317\n${P}CERTIFICATE=ca.crt\n`);
    const found = expectOn(`OTEL_TRACES_EXPORTER=otlp,console\nOTEL_METRICS_EXPORTER=none\nOTEL_LOGS_EXPORTER=none\n${P}ENDPOINT=http://c:4317\n${P}CERTIFICATE=⟦ca.crt⟧\n`);
    assert.match(found[0].message, /^Traces: /);
  });

  it('INSECURE=true with https:// contradicts the scheme, and says what each SDK does', () => {
    const found = expectOn(`${P}ENDPOINT=https://collector:4317\n${P}INSECURE=⟦TRUE⟧\n`);
    assert.match(found[0].message, /JS and Python connect with TLS.*Go's exporter applies INSECURE after the scheme and connects in plaintext/);
    assert.deepEqual(found[0].data, { kind: 'remove-key', at: { app: 0, setting: 1 } });
  });

  it('INSECURE=false with http:// contradicts the scheme; agreeing values are silent', () => {
    const found = expectOn(`${P}TRACES_ENDPOINT=http://collector:4317\n${P}TRACES_INSECURE=⟦false⟧\nOTEL_METRICS_EXPORTER=none\nOTEL_LOGS_EXPORTER=none\n`);
    assert.match(found[0].message, /JS follows the scheme.*Go's exporter \(and Python's gRPC one\) let INSECURE=false turn TLS on/);
    expectOn(`${P}ENDPOINT=http://collector:4317\n${P}INSECURE=true\n`);
    expectOn(`${P}ENDPOINT=https://collector:4317\n${P}INSECURE=false\n`);
  });

  it('adds that INSECURE is a gRPC setting when the protocol is OTLP/HTTP', () => {
    const found = expectOn(`${P}PROTOCOL=http/protobuf\n${P}ENDPOINT=https://collector:4318\n${P}INSECURE=⟦true⟧\n`);
    assert.match(found[0].message, /INSECURE is a gRPC setting in the spec/);
  });
});

describe('envTlsIgnored quick fixes', () => {
  const options = { path: '/w/app.env' };
  const pick = (text: string, title: RegExp) => {
    const { actions, document } = fixesFor(text, 'tls-ignored', options);
    const action = actions.find((a) => title.test(a.title));
    assert.ok(action, `no action matching ${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
    return applied(document, action);
  };

  it('http:// endpoint: switches that endpoint to https://', () => {
    const text = `${P}ENDPOINT="http://collector:4317"\n${P}CERTIFICATE=ca.crt\n`;
    assert.equal(pick(text, /Use https:\/\/ in OTEL_EXPORTER_OTLP_ENDPOINT/), `${P}ENDPOINT="https://collector:4317"\n${P}CERTIFICATE=ca.crt\n`);
  });

  it('no endpoint: adds one above the certificate, with its export', () => {
    const text = `# TLS\n  export ${P}CERTIFICATE=ca.crt\n`;
    assert.equal(pick(text, /Add OTEL_EXPORTER_OTLP_ENDPOINT=https:\/\/localhost:4317/), `# TLS\n  export ${P}ENDPOINT=https://localhost:4317\n  export ${P}CERTIFICATE=ca.crt\n`);
  });

  it('contradicting INSECURE: removes its line', () => {
    const text = `${P}ENDPOINT=https://collector:4317\n${P}INSECURE=true\n${P}CERTIFICATE=ca.crt\n`;
    assert.equal(pick(text, /Remove OTEL_EXPORTER_OTLP_INSECURE/), `${P}ENDPOINT=https://collector:4317\n${P}CERTIFICATE=ca.crt\n`);
  });
});

describe('envTlsIgnored with the SDK named', () => {
  const withSdk = (sdk: string, source: string) => expectOn(`# otlp-tls: sdk=${sdk}\n${source}`);

  it('no endpoint: nothing for Go (its default is https://localhost), that SDK\'s default for the others', () => {
    withSdk('go', `${P}CERTIFICATE=ca.crt\n`);
    const [js] = withSdk('js', `${P}CERTIFICATE=⟦ca.crt⟧\n`);
    assert.match(js.message, /JS \(sdk-node\) sends to its default, plaintext http:\/\/localhost:4318\./);
    assert.deepEqual(js.data, { kind: 'add-variable', name: `${P}ENDPOINT`, value: 'https://localhost:4318', at: { app: 0, setting: 0 } });
    const [python] = withSdk('python', `${P}CERTIFICATE=⟦ca.crt⟧\n`);
    assert.match(python.message, /the Python SDK sends to its default, plaintext http:\/\/localhost:4317\./);
  });

  it('INSECURE against the scheme: what that SDK does', () => {
    assert.match(withSdk('js', `${P}ENDPOINT=https://c:4317\n${P}INSECURE=⟦true⟧\n`)[0].message, /JS follows the https:\/\/ scheme and connects with TLS, so it has no effect\./);
    assert.match(withSdk('java', `${P}ENDPOINT=https://c:4317\n${P}INSECURE=⟦true⟧\n`)[0].message, /the Java SDK \(autoconfigure\) does not read INSECURE/);
    assert.match(withSdk('go', `${P}ENDPOINT=http://c:4317\n${P}INSECURE=⟦false⟧\n`)[0].message, /connects with TLS despite http:\/\//);
    assert.match(withSdk('go', `${P}ENDPOINT=https://c:4317\n${P}INSECURE=⟦true⟧\n`)[0].message, /Go's exporter applies INSECURE after the scheme, so it connects in plaintext despite https:\/\//);
    assert.match(withSdk('python', `${P}PROTOCOL=http/protobuf\n${P}ENDPOINT=https://c:4318\n${P}INSECURE=⟦true⟧\n`)[0].message, /the Python OTLP\/HTTP exporter does not read INSECURE/);
  });

  it('http:// with INSECURE=false: Python uses TLS anyway, so its certificate is not called unused', () => {
    const [insecure] = withSdk('python', `${P}ENDPOINT=http://c:4317\n${P}INSECURE=⟦false⟧\n${P}CERTIFICATE=ca.crt\n`);
    assert.match(insecure.message, /the Python gRPC exporter lets INSECURE=false turn TLS on/);
    withSdk('js', `${P}ENDPOINT=http://c:4317\n${P}INSECURE=⟦false⟧\n${P}CERTIFICATE=⟦ca.crt⟧\n`);
  });

  it('the setting names the SDK when the file does not, and the file wins', () => {
    const text = `${P}CERTIFICATE=ca.crt\n`;
    assert.equal(envTlsIgnored.run(appContext(text, undefined, { settings: { sdk: 'go' } })).length, 0);
    const overridden = `# otlp-tls: sdk=dotnet\n${text}`;
    assert.equal(envTlsIgnored.run(appContext(overridden, undefined, { settings: { sdk: 'go' } })).length, 1);
  });
});

describe('sdkDirective', () => {
  it('an unknown SDK in the comment: invalid-value with did-you-mean, and a fix', () => {
    const text = `# otlp-tls: sdk=pyton\n${P}ENDPOINT=https://c:4317\n`;
    const { actions, document } = fixesFor(text, 'invalid-value', { path: '/w/app.env' });
    assert.deepEqual(actions.map((a) => a.title), ['Change pyton to python']);
    assert.equal(applied(document, actions[0]), text.replace('pyton', 'python'));
    // Unnamed (the comment names no known SDK), port 4317 without a protocol is only information, and so
    // is the endpoint pairing with no listener (no collector config is open).
    const problems = check(text, { path: '/w/app.env' });
    assert.deepEqual(problems.map((p) => `${p.code}:${p.severity ?? 'information'}`), ['invalid-value:warning', 'no-listener:information', 'port-protocol-mismatch:information']);
    assert.match(problems[0].message, /^Unknown SDK "pyton": did you mean python\?/);
    assert.equal(text.slice(problems[0].offset, problems[0].offset + problems[0].length), 'pyton');
  });
  it('a known SDK, or no comment: nothing (but that no listener pairs with the endpoint)', () => {
    assert.deepEqual(check(`# otlp-tls: sdk=dotnet-auto\n${P}ENDPOINT=https://c:4318\n`, { path: '/w/app.env' }).map((p) => p.code), ['no-listener']);
    // An ordinary comment names no SDK: no invalid-value, and the unnamed-SDK note on the port stays.
    const plain = check(`# otlp-tls sdk pyton (not the directive's form)\n${P}ENDPOINT=https://c:4318\n`, { path: '/w/app.env' });
    assert.deepEqual(plain.map((p) => `${p.code}:${p.severity ?? 'information'}`), ['no-listener:information', 'port-protocol-mismatch:information']);
  });
});

/** Quick fixes: validate inline text, take the fix, apply it, compare the whole resulting text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applied, fixesFor, open } from '../support/features';
import { memoryRuntime } from '../support/memoryRuntime';
import { fixers } from '../../server/src/service/codeActions/codeActions';
import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';
import { GENERATE_CERTIFICATES_COMMAND } from '../../server/src/protocol';
import { devPki } from '../support/devPki';
import { check } from '../support/check';

function fix(text: string, code: string, title: RegExp, options: Parameters<typeof fixesFor>[2] = {}): string {
  const { actions, document } = fixesFor(text, code, options);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no action matching ${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(action.kind, 'quickfix');
  assert.equal(action.diagnostics?.[0].code, code);
  return applied(document, action);
}

describe('quick fixes', () => {
  it('has a fixer for every diagnostic code', () => {
    assert.deepEqual(Object.keys(fixers).sort(), Object.keys(diagnosticCodes).sort());
  });

  it('unknown-key: renames to the suggestion, keeping comments and indentation', () => {
    const text = 'exporters:\n  otlphttp:\n    endpoint: https://c:4318\n    tls:\n      # trust our CA\n      ca_flie: ca.crt   # from ops\n';
    const { actions } = fixesFor(text, 'unknown-key');
    assert.equal(actions.length, 1);
    assert.equal(actions[0].isPreferred, true);
    assert.equal(fix(text, 'unknown-key', /Rename ca_flie to ca_file/), 'exporters:\n  otlphttp:\n    endpoint: https://c:4318\n    tls:\n      # trust our CA\n      ca_file: ca.crt   # from ops\n');
  });

  it('unknown-key: client_ca_file on a client block becomes ca_file', () => {
    const text = 'exporters:\n  otlp_grpc:\n    endpoint: c:4317\n    tls:\n      client_ca_file: ca.crt\n';
    assert.equal(fix(text, 'unknown-key', /to ca_file/), 'exporters:\n  otlp_grpc:\n    endpoint: c:4317\n    tls:\n      ca_file: ca.crt\n');
  });

  it('unknown-variable: renames the env variable to each suggestion', () => {
    const text = '# app\nOTEL_EXPORTER_OTLP_CA_CERTIFICATE=/certs/ca.crt\n';
    assert.equal(fix(text, 'unknown-variable', /OTEL_EXPORTER_OTLP_CERTIFICATE$/, { path: '/w/app.env' }), '# app\nOTEL_EXPORTER_OTLP_CERTIFICATE=/certs/ca.crt\n');
  });

  it('deprecated-variable: renames to the replacement', () => {
    const text = 'export OTEL_EXPORTER_OTLP_SPAN_INSECURE=true\n';
    assert.equal(fix(text, 'deprecated-variable', /TRACES_INSECURE/, { path: '/w/run.sh' }), 'export OTEL_EXPORTER_OTLP_TRACES_INSECURE=true\n');
  });

  it('invalid-value: offers each TLS version, quoted', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: "1.4" # newest\n';
    const { actions } = fixesFor(text, 'invalid-value');
    assert.deepEqual(actions.map((a) => a.title), ['Change min_version to "1.0"', 'Change min_version to "1.1"', 'Change min_version to "1.2"', 'Change min_version to "1.3"']);
    assert.equal(fix(text, 'invalid-value', /"1.3"/), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: "1.3" # newest\n');
  });

  it('invalid-value: an unquoted version number gets quoted', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: 1.3\n';
    assert.equal(fix(text, 'invalid-value', /Quote/), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: "1.3"\n');
  });

  it('invalid-value: a single-quoted cipher suite keeps its quotes', () => {
    const text = "exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      cipher_suites:\n        - 'TLS_AES_128_GCM_SHA257'\n";
    assert.equal(
      fix(text, 'invalid-value', /to 'TLS_AES_128_GCM_SHA256'/),
      "exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      cipher_suites:\n        - 'TLS_AES_128_GCM_SHA256'\n",
    );
  });

  it('invalid-value in an env file: each protocol, keeping the quotes', () => {
    const text = 'OTEL_EXPORTER_OTLP_PROTOCOL="http"\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n';
    const { actions } = fixesFor(text, 'invalid-value', { path: '/w/.env' });
    assert.deepEqual(actions.map((a) => a.title), ['Set OTEL_EXPORTER_OTLP_PROTOCOL=grpc', 'Set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf', 'Set OTEL_EXPORTER_OTLP_PROTOCOL=http/json']);
    assert.equal(applied(fixesFor(text, 'invalid-value', { path: '/w/.env' }).document, actions[1]), 'OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf"\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n');
  });

  it('weak-tls-version: sets "1.2" (preferred) or "1.3"', () => {
    const text = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: s.crt\n          key_file: s.key\n          client_ca_file: ca.crt\n          min_version: "1.0"\n';
    const { actions } = fixesFor(text, 'weak-tls-version');
    assert.deepEqual(actions.map((a) => [a.title, !!a.isPreferred]), [['Change min_version to "1.2"', true], ['Change min_version to "1.3"', false]]);
    assert.equal(fix(text, 'weak-tls-version', /"1.2"/), text.replace('"1.0"', '"1.2"'));
  });

  it('weak-tls-version from a paired handshake (on the client endpoint, no data): offers no edit of the endpoint', () => {
    // The handshake check anchors this finding on the client's endpoint; the versions to change are in the receiver's file.
    for (const [text, path] of [
      ['OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\n', '/w/app.env'],
      ['exporters:\n  otlp:\n    endpoint: collector:4317\n', '/w/agent.yaml'],
    ]) {
      const { service, document } = open(text, { path });
      const start = text.indexOf(path.endsWith('.env') ? 'https' : 'collector:');
      const end = text.indexOf('\n', start);
      const diagnostic = { range: { start: document.positionAt(start), end: document.positionAt(end) }, code: 'weak-tls-version', source: 'otlp-tls', message: 'm' };
      assert.deepEqual(service.getCodeActions(document, [diagnostic]), [], path);
    }
  });

  it('insecure-skip-verify: removes the line, or puts ca_file in its place', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure_skip_verify: true  # TODO\n      min_version: "1.3"\n';
    assert.equal(fix(text, 'insecure-skip-verify', /Remove/), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: "1.3"\n');
    assert.equal(fix(text, 'insecure-skip-verify', /ca_file/), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: ca.crt  # TODO\n      min_version: "1.3"\n');
  });

  it('plaintext-endpoint: http:// becomes https:// in the value', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: "http://collector:4317"\n    tls:\n      ca_file: ca.crt\n';
    assert.equal(fix(text, 'plaintext-endpoint', /https/), 'exporters:\n  otlp:\n    endpoint: "https://collector:4317"\n    tls:\n      ca_file: ca.crt\n');
  });

  it('tls-ignored (scheme): an HTTP exporter with TLS settings switches to https://', () => {
    const text = 'exporters:\n  otlphttp:\n    endpoint: http://collector:4318\n    tls:\n      ca_file: ca.crt\n';
    assert.equal(fix(text, 'tls-ignored', /https/), 'exporters:\n  otlphttp:\n    endpoint: https://collector:4318\n    tls:\n      ca_file: ca.crt\n');
  });

  it('tls-ignored (remove-key): removes the contradicting insecure: true', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n      insecure: true\n      ca_file: ca.crt # internal CA\n';
    assert.equal(fix(text, 'tls-ignored', /Remove insecure/), 'exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n      ca_file: ca.crt # internal CA\n');
  });

  it('tls-ignored (remove-key) in a flow mapping removes the pair and its comma', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: collector:4317\n    tls: { insecure: true, ca_file: ca.crt }\n';
    assert.equal(fix(text, 'tls-ignored', /Remove insecure/), 'exporters:\n  otlp:\n    endpoint: collector:4317\n    tls: { ca_file: ca.crt }\n');
  });

  it('mtls-not-enforced: adds client_ca_file with a CA certificate found next to the server certificate', async () => {
    const pki = await devPki();
    const runtime = memoryRuntime({ files: { '/work/certs/ca.pem': pki['ca.crt'] } });
    const text = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: certs/server.crt\n          key_file: certs/server.key\n# end\n';
    const expectedPath = 'certs/ca.pem';
    assert.equal(
      fix(text, 'mtls-not-enforced', /client_ca_file/, { runtime }),
      `receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: certs/server.crt\n          key_file: certs/server.key\n          client_ca_file: ${expectedPath}\n# end\n`,
    );
  });

  it('mtls-not-enforced: a placeholder when no CA is found', () => {
    const text = 'receivers:\n  otlp:\n    protocols:\n      http:\n        tls:\n          cert_file: /etc/otel/server.crt\n          key_file: /etc/otel/server.key';
    assert.equal(fix(text, 'mtls-not-enforced', /placeholder/), text + '\n          client_ca_file: /etc/otel/ca.crt\n');
  });

  it('tls-conflict: adds the missing key_file named after the certificate', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: ca.crt\n      cert_file: certs/client.crt\n    compression: gzip\n';
    assert.equal(fix(text, 'tls-conflict', /key_file/), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: ca.crt\n      cert_file: certs/client.crt\n      key_file: certs/client.key\n    compression: gzip\n');
  });

  it('tls-conflict: adds the missing cert_file, preferring a file that exists', () => {
    const runtime = memoryRuntime({ files: { '/work/tls/server-cert.pem': 'x' } });
    const text = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          key_file: tls/server-key.pem\n';
    assert.equal(fix(text, 'tls-conflict', /cert_file/, { runtime }), 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          key_file: tls/server-key.pem\n          cert_file: tls/server-cert.pem\n');
  });

  it('tls-conflict: min_version above max_version changes max_version', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: "1.3"\n      max_version: "1.2"\n';
    assert.equal(fix(text, 'tls-conflict', /"1.3"/), text.replace('max_version: "1.2"', 'max_version: "1.3"'));
  });

  it('port-protocol-mismatch with the SDK named: changes the port, or adds the protocol above the endpoint', () => {
    const text = '# otlp-tls: sdk=js\nexport OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\n';
    const options = { path: '/w/run.sh' };
    assert.equal(fix(text, 'port-protocol-mismatch', /port to 4318/, options), text.replace('4317', '4318'));
    assert.equal(fix(text, 'port-protocol-mismatch', /Add OTEL_EXPORTER_OTLP_PROTOCOL=grpc/, options), '# otlp-tls: sdk=js\nexport OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nexport OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\n');
  });

  it('port-protocol-mismatch: changes the port, or the protocol', () => {
    const text = 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318\n';
    const options = { path: '/w/app.env' };
    assert.equal(fix(text, 'port-protocol-mismatch', /port to 4317/, options), 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\n');
    assert.equal(fix(text, 'port-protocol-mismatch', /PROTOCOL=http\/protobuf/, options), 'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318\n');
  });

  it('invalid-value: a cipher_suites string with spaces becomes a YAML list, keeping the comment', () => {
    const text = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cipher_suites: "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384" # modern\n          min_version: "1.3"\n';
    assert.equal(
      fix(text, 'invalid-value', /as a YAML list/),
      'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cipher_suites:\n            - TLS_AES_128_GCM_SHA256\n            - TLS_AES_256_GCM_SHA384 # modern\n          min_version: "1.3"\n',
    );
    assert.equal(fix(text, 'invalid-value', /Remove the spaces/), text.replace('"TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384"', '"TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384"'));
    // The result's cipher suites check clean (the server block still lacks its certificate and key).
    assert.deepEqual(check(fix(text, 'invalid-value', /as a YAML list/)).map((p) => p.code), ['tls-conflict']);
  });

  it('invalid-value: cipher_suites with spaces in a flow mapping becomes a flow list', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls: { cipher_suites: "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384" }\n';
    assert.equal(fix(text, 'invalid-value', /as a YAML list/), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls: { cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384] }\n');
  });

  it('invalid-value: a quoted boolean loses its quotes', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure: "true"  # local only\n';
    const { actions } = fixesFor(text, 'invalid-value');
    assert.deepEqual(actions.map((a) => [a.title, !!a.isPreferred]), [['Write insecure: true without quotes', true]]);
    assert.equal(fix(text, 'invalid-value', /without quotes/), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure: true  # local only\n');
    assert.equal(fix(text.replace('"true"', "'False'"), 'invalid-value', /without quotes/), text.replace('"true"', 'false'));
  });

  it('file-not-found: a command action opens the certificate generation flow', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: /nowhere/ca.crt\n';
    const { actions } = fixesFor(text, 'file-not-found');
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.command?.command]), [['Generate development certificates…', 'quickfix', GENERATE_CERTIFICATES_COMMAND]]);
  });
});

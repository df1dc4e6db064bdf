/** The collector checks of the core issue, each on inline YAML with ⟦marked⟧ ranges. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, expectProblems, summary } from '../support/check';
import { ARTICLE_COLLECTOR_CONFIG } from '../support/articleCertificates';

// Every assertion is on the whole list of problems: the certificate files these configs name do not
// exist, so their file-not-found is listed too (the certificate checks have their own tests).

describe('yaml-syntax', () => {
  it('reports a syntax error at its position and does not throw', () => {
    const problems = check('receivers:\n  otlp:\n    protocols: [grpc\n');
    assert.ok(problems.length > 0);
    assert.ok(problems.every((p) => p.code === 'yaml-syntax'), JSON.stringify(problems));
    assert.ok(problems.some((p) => p.severity !== 'warning'));
  });
  it('reports duplicate keys', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: a:1\n  ⟦otlp⟧:\n    endpoint: b:1\n', 'yaml-syntax');
  });
  it('ignores YAML that is not a collector config', () => {
    assert.deepEqual(check('apiVersion: v1\nkind: [broken\n', { path: '/w/k8s.yaml' }), []);
  });
});

describe('unknown-key', () => {
  it('flags a client key in a receiver (server) block, on the key', () => {
    const problems = expectProblems(
      'receivers:\n  otlp:\n    protocols:\n      grpc:\n        ⟦tls⟧:\n          cert_file: ⟦s.crt⟧\n          key_file: ⟦s.key⟧\n          ⟦insecure⟧: true\n',
      ['mtls-not-enforced', 'file-not-found', 'file-not-found', 'unknown-key'],
    );
    assert.match(problems[3].message, /client-side setting.*has invalid keys: insecure/);
  });
  it('flags a server key in an exporter (client) block', () => {
    expectProblems('exporters:\n  otlp_grpc:\n    endpoint: c:4317\n    tls:\n      ⟦client_ca_file⟧: ca.crt\n', 'unknown-key');
  });
  it('offers a did-you-mean', () => {
    const [p] = expectProblems('exporters:\n  otlphttp:\n    endpoint: https://c:4318\n    tls:\n      ⟦ca_flie⟧: ca.crt\n', 'unknown-key');
    assert.deepEqual(p.data, { kind: 'rename', suggestions: ['ca_file'], at: { collector: 0, path: ['exporters', 'otlphttp', 'tls', 'ca_flie'] } });
    assert.match(p.message, /^Unknown key "ca_flie": did you mean "ca_file"\? It is not a key of a client \(connecting\) tls block\.$/);
  });
  it('takes the side from the component type: postgresql receiver is a client, prometheus exporter a server', () => {
    assert.deepEqual(summary(check('receivers:\n  postgresql:\n    tls:\n      insecure: false\n      insecure_skip_verify: false\n')), []);
    expectProblems('exporters:\n  prometheus:\n    endpoint: 0.0.0.0:8889\n    ⟦tls⟧:\n      cert_file: ⟦s.crt⟧\n      key_file: ⟦s.key⟧\n      ⟦insecure⟧: false\n', [
      'mtls-not-enforced', 'file-not-found', 'file-not-found', 'unknown-key',
    ]);
  });
  it('accepts both sides for unknown component types, flags keys of no side', () => {
    // A block of either side with insecure: true and no CA loads no file (the client rule decides).
    expectProblems('receivers:\n  acme_custom:\n    tls:\n      insecure: true\n      client_ca_file: ca.crt\n      ⟦bogus⟧: 1\n', 'unknown-key');
  });
  it('finds tls blocks at any depth (opensearch.http.tls, loadbalancing.protocol.otlp.tls, list items)', () => {
    expectProblems(
      'exporters:\n  loadbalancing:\n    protocol:\n      otlp:\n        tls:\n          ⟦client_ca_file⟧: x\n  opensearch:\n    http:\n      tls:\n        insecure: true\nreceivers:\n  gnmi:\n    targets:\n      - tls:\n          ⟦client_ca_file⟧: x\n',
      'unknown-key',
    );
  });
  it('validates squashed kubeletstats keys without flagging its other keys', () => {
    expectProblems('receivers:\n  kubeletstats:\n    auth_type: tls\n    endpoint: https://node:10250\n    ca_file: ⟦ca.crt⟧\n    cert_file: ⟦c.crt⟧\n    key_file: ⟦c.key⟧\n    insecure_skip_verify: false\n', 'file-not-found');
  });
  it('does not take instance names for tls blocks (kubeletstats/tls, splunk_hec/tls)', () => {
    assert.deepEqual(summary(check('receivers:\n  splunk_hec/tls:\n    endpoint: 0.0.0.0:8088\n')), []);
  });
  it('validates the service.telemetry OTLP exporters with their own keys', () => {
    expectProblems(
      'service:\n  telemetry:\n    traces:\n      processors:\n        - batch:\n            exporter:\n              otlp:\n                protocol: grpc\n                endpoint: https://backend:4317\n                certificate: ⟦ca.crt⟧\n                ⟦ca_file⟧: ca.crt\n',
      ['file-not-found', 'unknown-key'],
    );
  });
});

describe('invalid-value', () => {
  it('flags an unquoted version on the value, with the fix in the message', () => {
    const [p] = expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: ⟦1.2⟧\n', 'invalid-value');
    assert.match(p.message, /quoted string: write "1.2"/);
  });
  it('flags an unknown version with the Collector message and the allowed values', () => {
    const [p] = expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: ⟦"1.4"⟧\n', 'invalid-value');
    assert.match(p.message, /invalid TLS min_version: unsupported TLS version: "1.4"/);
    assert.deepEqual(p.data, { kind: 'values', values: ['1.0', '1.1', '1.2', '1.3'], at: { collector: 0, path: ['exporters', 'otlp', 'tls', 'min_version'] } });
  });
  it('flags a quoted boolean', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure: ⟦"true"⟧\n', 'invalid-value');
  });
  it('flags an OpenSSL cipher name inside a list, on the item', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      cipher_suites:\n        - TLS_AES_128_GCM_SHA256\n        - ⟦ECDHE-RSA-AES128-GCM-SHA256⟧\n', 'invalid-value');
  });
  it('flags an unknown curve and a bad duration', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      curve_preferences: [⟦P25223236⟧]\n      reload_interval: ⟦ten⟧\n', 'invalid-value');
  });
  it('flags insecure cipher suites unless include_insecure_cipher_suites is true', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      cipher_suites: [⟦TLS_RSA_WITH_RC4_128_SHA⟧]\n', 'invalid-value');
    assert.deepEqual(summary(check('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      include_insecure_cipher_suites: true\n      cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n')), []);
  });
  it('flags a comma-separated cipher string with spaces', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      cipher_suites: ⟦"TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384"⟧\n', 'invalid-value');
  });
  it('never flags a substituted value as a type error', () => {
    assert.deepEqual(summary(check('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure: ${env:INSECURE}\n      min_version: ${env:MIN_TLS}\n      reload_interval: ${RELOAD:-10s}\n')), []);
  });
});

describe('tls-conflict', () => {
  it('server block with neither certificate nor key, including tls: {}', () => {
    const [p] = expectProblems('receivers:\n  otlp:\n    protocols:\n      grpc:\n        ⟦tls⟧: {}\n', 'tls-conflict');
    assert.match(p.message, /must include both certificate and key for server connections/);
  });
  it('tls: with no value means no TLS on a server (configoptional)', () => {
    assert.deepEqual(summary(check('receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n')), []);
  });
  it('certificate without key, key without certificate', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ⟦cert_file⟧: ⟦c.crt⟧\n  otlp/2:\n    endpoint: c:4317\n    tls:\n      ⟦key_pem⟧: ⟦x⟧\n', ['tls-conflict', 'file-not-found', 'tls-conflict', 'not-a-private-key']);
  });
  it('file and PEM both set', () => {
    // The Collector refuses the config before it loads any file, but the file is missing all the same.
    const problems = expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: ⟦ca.crt⟧\n      ⟦ca_pem⟧: x\n', ['file-not-found', 'tls-conflict']);
    assert.match(problems[1].message, /provide either a CA file or the PEM-encoded string, but not both/);
  });
  it('max_version below the default min_version', () => {
    // TLS 1.1 is also a weak version in its own right.
    const [p] = expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      max_version: ⟦⟦"1.1"⟧⟧\n', ['tls-conflict', 'weak-tls-version']);
    assert.match(p.message, /min_version cannot be greater than max_version/);
  });
  it('a cert from a merge key counts (anchors, aliases, <<), and a file two blocks share is reported once', () => {
    expectProblems('x-tls: &tls\n  cert_file: ⟦s.crt⟧\n  key_file: ⟦s.key⟧\n  client_ca_file: ⟦ca.crt⟧\nreceivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          <<: *tls\n      http:\n        tls: *tls\n', 'file-not-found');
  });
});

describe('warnings and information', () => {
  it('insecure-skip-verify on the key', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ⟦insecure_skip_verify⟧: true\n', 'insecure-skip-verify');
  });
  it('weak-tls-version below 1.2', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: ⟦"1.0"⟧\n      max_version: ⟦"1.1"⟧\n', 'weak-tls-version');
  });
  it('mtls-not-enforced on a server without client_ca_file', () => {
    expectProblems('receivers:\n  otlp:\n    protocols:\n      http:\n        ⟦tls⟧:\n          cert_file: ⟦s.crt⟧\n          key_file: ⟦s.key⟧\n', ['mtls-not-enforced', 'file-not-found', 'file-not-found']);
  });
  it('tls-ignored: insecure next to a CA', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ⟦insecure⟧: true\n      ca_file: ⟦ca.crt⟧\n', ['tls-ignored', 'file-not-found']);
  });
  it('tls-ignored: TLS settings on an http:// HTTP exporter', () => {
    // The Collector loads the TLS files of an HTTP client whatever its scheme, so the missing CA is an error too.
    const [p] = expectProblems('exporters:\n  otlp_http:\n    endpoint: ⟦http://c:4318⟧\n    tls:\n      ca_file: ⟦ca.crt⟧\n', ['tls-ignored', 'file-not-found']);
    assert.deepEqual(p.data, { kind: 'scheme', from: 'http', to: 'https', at: { collector: 0, path: ['exporters', 'otlp_http', 'endpoint'] } });
  });
  it('plaintext-endpoint: an http:// gRPC endpoint still uses TLS', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: ⟦http://c:4317⟧\n', 'plaintext-endpoint');
    assert.deepEqual(summary(check('exporters:\n  otlp:\n    endpoint: http://c:4317\n    tls:\n      insecure: true\n')), []);
  });
  it('unresolved-substitution on a path that cannot be known; a default resolves it', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: ⟦${env:CA_PATH}⟧\n', 'unresolved-substitution');
    // Resolved, the path is checked like any other: here it names no file.
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: ⟦${env:CA_PATH:-/certs/ca.crt}⟧\n', 'file-not-found');
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: ⟦${env:CA_PATH}⟧\n', 'file-not-found', { env: { CA_PATH: '/c/ca.crt' } });
  });
});

describe('configs the Collector accepts get no error', () => {
  it('the article collector config: only its certificate files, which do not exist here', () => {
    const problems = check(ARTICLE_COLLECTOR_CONFIG);
    const shown = problems.map((p) => `${p.code} ${ARTICLE_COLLECTOR_CONFIG.slice(p.offset, p.offset + p.length)}`);
    assert.deepEqual(shown, ['server.crt', 'server.key', 'ca.crt', 'server.crt', 'server.key', 'ca.crt'].map((f) => `file-not-found /etc/otel/certs/${f}`));
  });
  it('Helm templates, null components and enabled: false', () => {
    const text = 'receivers:\n  jaeger: null\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          enabled: false\n      http:\n        endpoint: "{{ .Values.endpoint }}"\n';
    assert.deepEqual(summary(check(text)), []);
  });
});

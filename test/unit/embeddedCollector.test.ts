/**
 * Collector configs inside other files (ConfigMap values, OpenTelemetryCollector resources): every
 * collector check runs on them, problems sit on the outer file's exact characters (through a block
 * scalar's indentation, through a quoted string's escapes), and quick fixes edit the outer file
 * (compared as whole texts). Where offsets cannot be mapped exactly, problems go on the value's start
 * and no fix is offered.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applied, fixesFor } from '../support/features';
import { check, expectProblems, summary } from '../support/check';
import { marked } from '../support/markers';

const path = '/work/k8s/otel.yaml';

function fix(text: string, code: string, title: RegExp): string {
  const { actions, document } = fixesFor(text, code, { path });
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no action matching ${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
  return applied(document, action);
}

const configMap = (relay: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\n  namespace: otel\ndata:\n  relay: |\n${relay}`;

describe('a collector config in a ConfigMap block scalar', () => {
  it('gets every collector check, on the outer lines and columns', () => {
    const problems = expectProblems(
      configMap('    exporters:\n      otlp:\n        endpoint: gw:4317\n        tls:\n          ⟦server_name_overide⟧: gw\n          min_version: ⟦1.2⟧\n          ⟦insecure_skip_verify⟧: true\n'),
      ['unknown-key', 'invalid-value', 'insecure-skip-verify'],
      { path },
    );
    assert.match(problems[0].message, /^ConfigMap otel\/agent data\.relay: Unknown key "server_name_overide"/);
  });

  it('renames a misspelt key in place', () => {
    const text = configMap('    exporters:\n      otlp:\n        endpoint: gw:4317\n        tls:\n          server_name_overide: gw\n');
    assert.equal(fix(text, 'unknown-key', /Rename server_name_overide to server_name_override/), text.replace('server_name_overide', 'server_name_override'));
  });

  it('quotes an unquoted version in place', () => {
    const text = configMap('    exporters:\n      otlp:\n        endpoint: gw:4317\n        tls:\n          min_version: 1.2\n');
    assert.equal(fix(text, 'invalid-value', /Quote/), text.replace('min_version: 1.2', 'min_version: "1.2"'));
  });

  it('an added line gets the block scalar\'s indentation', () => {
    const text = configMap('    receivers:\n      otlp:\n        protocols:\n          grpc:\n            endpoint: 0.0.0.0:4317\n            tls:\n              cert_file: /certs/tls.crt\n              key_file: /certs/tls.key\n    exporters:\n      debug: {}\n');
    const fixed = fix(text, 'mtls-not-enforced', /client_ca_file/);
    assert.match(fixed, /\n {14}key_file: \/certs\/tls\.key\n {14}client_ca_file: [^\n]+\n {4}exporters:\n {6}debug: \{\}\n$/);
    // The result is still a ConfigMap whose relay is a config with the new key.
    assert.deepEqual(summary(check(fixed, { path })).filter((s) => s.startsWith('mtls')), []);
  });

  it('an added key at the end of a |- block keeps the chomping right', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\ndata:\n  relay: |-\n    receivers:\n      otlp:\n        protocols:\n          grpc:\n            tls:\n              cert_file: /c/tls.crt\n              key_file: /c/tls.key\n  other: x\n';
    assert.equal(
      fix(text, 'mtls-not-enforced', /client_ca_file/).replace(/client_ca_file: [^\n]+/, 'client_ca_file: CA'),
      text.replace('key_file: /c/tls.key\n', 'key_file: /c/tls.key\n              client_ca_file: CA\n'),
    );
  });

  it('removes a line of the block', () => {
    const text = configMap('    exporters:\n      otlp:\n        endpoint: gw:4317\n        tls:\n          ca_file: /c/ca.crt\n          insecure_skip_verify: true\n');
    assert.equal(fix(text, 'insecure-skip-verify', /^Remove insecure_skip_verify/), text.replace('          insecure_skip_verify: true\n', ''));
  });

  it('a syntax error in the embedded config is yaml-syntax on the outer line', () => {
    // The parser points at the line after the unclosed `[`: so must the outer file.
    const { text, ranges } = marked(configMap('    receivers:\n      otlp:\n        protocols:\n          grpc: [\n    ⟦e⟧xporters:\n      debug: {}\n'));
    const problems = check(text, { path });
    assert.ok(problems.length > 0 && problems.every((p) => p.code === 'yaml-syntax'), JSON.stringify(problems));
    assert.equal(problems[0].offset, ranges[0][0]);
  });

  it('any key whose value is a collector config; other values (a CA, a script) are not read', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mixed\ndata:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n  run.sh: |\n    service: start\n    exporters: none\n  collector.yaml: |\n    exporters:\n      otlp:\n        tls:\n          ⟦bogus⟧: 1\n';
    expectProblems(text, ['unknown-key'], { path });
  });
});

describe('a collector config in a quoted ConfigMap value', () => {
  it('maps through the escapes of a double-quoted string (kubectl writes these)', () => {
    expectProblems('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\ndata:\n  relay: "exporters:\\n  otlp:\\n    endpoint: gw:4317\\n    tls:\\n      min_version: ⟦1.2⟧\\n      ⟦bogus⟧: 1\\n"\n', ['invalid-value', 'unknown-key'], { path });
  });

  it('a fix inside it is escaped', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\ndata:\n  relay: "exporters:\\n  otlp:\\n    endpoint: gw:4317\\n    tls:\\n      min_version: 1.2\\n"\n';
    assert.equal(fix(text, 'invalid-value', /Quote/), text.replace('min_version: 1.2', 'min_version: \\"1.2\\"'));
  });

  it('a folded string cannot be mapped: problems on the value\'s first line, no fix', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\ndata:\n  relay: "exporters:\n\n    \\ otlp:\n\n    \\   tls:\n\n    \\     min_version: 1.2"\n';
    const problems = check(text, { path });
    assert.deepEqual(summary(problems), [`invalid-value@${text.indexOf('"exporters')}-${text.indexOf('"exporters') + '"exporters:'.length}`]);
    const { actions } = fixesFor(text, 'invalid-value', { path });
    assert.deepEqual(actions, []);
  });
});

describe('OpenTelemetryCollector resources', () => {
  it('v1alpha1: spec.config is a string', () => {
    expectProblems(
      'apiVersion: opentelemetry.io/v1alpha1\nkind: OpenTelemetryCollector\nmetadata:\n  name: gw\nspec:\n  config: |\n    exporters:\n      otlp:\n        endpoint: x:4317\n        tls:\n          ⟦insecure_skip_verify⟧: true\n          ca_file: ⟦/etc/ssl/ca.crt⟧\n',
      ['insecure-skip-verify', 'container-path'],
      { path },
    );
  });

  it('v1beta1: spec.config is a mapping, read in place; fixes edit it', () => {
    const text = 'apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata:\n  name: gw\nspec:\n  config:\n    exporters:\n      otlp:\n        endpoint: x:4317\n        tls:\n          server_name_overide: gw\n';
    expectProblems(text.replace('server_name_overide', '⟦server_name_overide⟧'), ['unknown-key'], { path });
    assert.equal(fix(text, 'unknown-key', /server_name_override/), text.replace('server_name_overide', 'server_name_override'));
  });

  it('the wrong type for the version is an invalid-value on config (the API server rejects it)', () => {
    expectProblems('apiVersion: opentelemetry.io/v1alpha1\nkind: OpenTelemetryCollector\nmetadata:\n  name: gw\nspec:\n  ⟦config⟧:\n    exporters:\n      debug: {}\n', ['invalid-value'], { path });
    expectProblems('apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata:\n  name: gw\nspec:\n  ⟦config⟧: |\n    exporters:\n      debug: {}\n', ['invalid-value'], { path });
  });

  it('its certificate files come from its volumes: container-path, or checked through a path mapping', () => {
    const text = 'apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata:\n  name: gw\nspec:\n  volumeMounts:\n    - name: certs\n      mountPath: /certs\n  volumes:\n    - name: certs\n      secret:\n        secretName: gw-tls\n  config:\n    receivers:\n      otlp:\n        protocols:\n          grpc:\n            tls:\n              cert_file: ⟦/certs/tls.crt⟧\n              key_file: ⟦/certs/tls.key⟧\n              client_ca_file: ⟦/certs⟧\n';
    const problems = expectProblems(text, ['container-path', 'container-path', 'file-unreadable'], { path });
    assert.match(problems[0].message, /from Secret gw-tls mounted at \/certs; it is not on this machine/);
    assert.match(problems[2].message, /is where Secret gw-tls is mounted .* without subPath: a directory/);
    const mapped = check(marked(text).text, { path, settings: { pathMappings: [{ from: '/certs', to: '/local/certs' }] } });
    assert.deepEqual([...new Set(mapped.map((p) => p.code))], ['file-not-found']);
  });
});

describe('editor features on container paths', () => {
  it('a path in a container links and hovers only through a path mapping', async () => {
    const { open } = await import('../support/features');
    const { memoryRuntime } = await import('../support/memoryRuntime');
    const text = 'apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata:\n  name: gw\nspec:\n  config:\n    exporters:\n      otlp:\n        endpoint: x:4317\n        tls:\n          ca_file: /certs/ca.crt\n';
    const files = { '/certs/ca.crt': 'not the container\'s file', '/local/ca.crt': 'mapped' };
    const at = { line: 10, character: 22 };
    const plain = open(text, { path, runtime: memoryRuntime({ files }) });
    assert.deepEqual(plain.service.getDocumentLinks(plain.document), []);
    assert.match(JSON.stringify(plain.service.getHover(plain.document, at)?.contents), /A path in the collector's container, not on this machine/);
    const mapped = open(text, { path, runtime: memoryRuntime({ files }), settings: { pathMappings: [{ from: '/certs', to: '/local' }] } });
    assert.deepEqual(mapped.service.getDocumentLinks(mapped.document).map((l) => l.target), ['file:///local/ca.crt']);
  });
});

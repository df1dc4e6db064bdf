/**
 * The operator's Instrumentation resource: app units with the settings the operator injects
 * (docs/facts/operator.md §2.1), each on the field it comes from, with the operator's precedence
 * (language env over common env over the exporter fields).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applied, fixesFor } from '../support/features';
import { expectProblems, workspaceOf } from '../support/check';

const path = '/work/k8s/instrumentation.yaml';

const instrumentation = (spec: string, apiVersion = 'opentelemetry.io/v1alpha1') => `apiVersion: ${apiVersion}\nkind: Instrumentation\nmetadata:\n  name: java\n  namespace: shop\nspec:\n${spec}`;

function settingsOf(text: string) {
  const { parsed } = workspaceOf([{ path, text }]);
  return parsed[0].apps.map((unit) => ({ label: unit.label, sdk: unit.sdk, settings: unit.settings.map((s) => `${s.written} → ${s.name}=${s.value}`) }));
}

describe('Instrumentation', () => {
  it('injects the exporter fields as OTEL_EXPORTER_OTLP_* with the operator\'s mount paths', () => {
    const text = instrumentation(
      '  exporter:\n    endpoint: https://collector.otel.svc:4318\n    tls:\n      secretName: client-certs\n      configMapName: ca\n      ca_file: ca.crt\n      cert_file: tls.crt\n      key_file: /abs/tls.key\n  env:\n    - name: OTEL_EXPORTER_OTLP_PROTOCOL\n      value: http/protobuf\n',
    );
    assert.deepEqual(settingsOf(text), [
      {
        label: 'Instrumentation shop/java',
        sdk: undefined,
        settings: [
          'spec.env[0] OTEL_EXPORTER_OTLP_PROTOCOL → OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
          'spec.exporter.endpoint → OTEL_EXPORTER_OTLP_ENDPOINT=https://collector.otel.svc:4318',
          'spec.exporter.tls.ca_file → OTEL_EXPORTER_OTLP_CERTIFICATE=/otel-auto-instrumentation-configmap-ca/ca.crt',
          'spec.exporter.tls.cert_file → OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/otel-auto-instrumentation-secret-client-certs/tls.crt',
          'spec.exporter.tls.key_file → OTEL_EXPORTER_OTLP_CLIENT_KEY=/abs/tls.key',
        ],
      },
    ]);
  });

  it('without configMapName the CA is a key of the Secret', () => {
    const text = instrumentation('  exporter:\n    endpoint: https://c:4318\n    tls:\n      secretName: certs\n      ca_file: ca.crt\n');
    assert.deepEqual(settingsOf(text)[0].settings.slice(1), ['spec.exporter.tls.ca_file → OTEL_EXPORTER_OTLP_CERTIFICATE=/otel-auto-instrumentation-secret-certs/ca.crt']);
  });

  it('precedence: a language block with exporter settings is its own unit, its env over the common env over the exporter fields', () => {
    const text = instrumentation(
      '  exporter:\n    endpoint: http://collector:4317\n  env:\n    - name: OTEL_EXPORTER_OTLP_ENDPOINT\n      value: http://common:4317\n  java:\n    env:\n      - name: OTEL_EXPORTER_OTLP_ENDPOINT\n        value: http://java:4318\n  nodejs:\n    env:\n      - name: OTEL_NODE_RESOURCE_DETECTORS\n        value: all\n  python: {}\n',
    );
    assert.deepEqual(settingsOf(text), [
      { label: 'Instrumentation shop/java', sdk: undefined, settings: ['spec.env[0] OTEL_EXPORTER_OTLP_ENDPOINT → OTEL_EXPORTER_OTLP_ENDPOINT=http://common:4317'] },
      { label: 'Instrumentation shop/java (java)', sdk: 'java-agent', settings: ['spec.java.env[0] OTEL_EXPORTER_OTLP_ENDPOINT → OTEL_EXPORTER_OTLP_ENDPOINT=http://java:4318'] },
      {
        label: 'Instrumentation shop/java (python)',
        sdk: 'python',
        settings: ['spec.env[0] OTEL_EXPORTER_OTLP_ENDPOINT → OTEL_EXPORTER_OTLP_ENDPOINT=http://common:4317', 'spec.python (the operator sets OTEL_EXPORTER_OTLP_PROTOCOL) → OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf'],
      },
    ]);
  });

  it('the env checks run on what is injected, on the field it comes from', () => {
    // The operator injects CERTIFICATE for an http:// endpoint: the file is never read (its webhook warns too).
    const text = instrumentation(
      '  exporter:\n    endpoint: ⟦http://collector:4318⟧\n    tls:\n      secretName: certs\n      ca_file: ⟦ca.crt⟧\n  env:\n    - name: OTEL_EXPORTER_OTLP_PROTOCOL\n      value: http/protobuf\n  python:\n    env:\n      - name: OTEL_EXPORTER_OTLP_PROTOCOL\n        value: grpc\n',
    );
    const problems = expectProblems(text, ['port-protocol-mismatch', ['container-path', 'tls-ignored']], { path });
    assert.match(problems[0].message, /^Instrumentation shop\/java \(python\): gRPC sent to the OTLP\/HTTP port 4318: .* spec\.python\.env\[0\] OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
    assert.match(problems[1].message, /"\/otel-auto-instrumentation-secret-certs\/ca\.crt" is a path in the pods the operator instruments, from Secret certs/);
    assert.match(problems[2].message, /^Instrumentation shop\/java: spec\.exporter\.tls\.ca_file is not used: spec\.exporter\.endpoint is http:\/\//);
  });

  it('a relative file with no secretName is a path no volume provides', () => {
    // (4318 with no protocol and no SDK named: the information of every env file; no collector in the workspace: no-listener.)
    expectProblems(instrumentation('  exporter:\n    endpoint: ⟦https://c:4318⟧\n    tls:\n      cert_file: ⟦tls.crt⟧\n      key_file: ⟦tls.key⟧\n'), [['no-listener', 'port-protocol-mismatch'], 'tls-conflict', 'tls-conflict'], { path });
  });

  it('v1beta1 is not served: a warning on apiVersion, nothing read', () => {
    const problems = expectProblems(instrumentation('  envConfig:\n    exporter:\n      endpoint: http://c:4317\n', '⟦opentelemetry.io/v1beta1⟧'), ['invalid-value'], { path });
    assert.equal(problems[0].severity, 'warning');
  });

  it('fixes edit the field or the env list', () => {
    const text = instrumentation('  exporter:\n    endpoint: http://collector:4318\n  env:\n    - name: OTEL_EXPORTER_OTLP_PROTOCOL\n      value: grpc\n');
    const { actions, document } = fixesFor(text, 'port-protocol-mismatch', { path });
    const port = actions.find((a) => /Change the port to 4317/.test(a.title));
    assert.ok(port);
    assert.equal(applied(document, port), text.replace('collector:4318', 'collector:4317'));
    const protocol = actions.find((a) => /^Set spec\.env\[0\] OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf/.test(a.title));
    assert.ok(protocol, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(applied(document, protocol), text.replace('value: grpc', 'value: http/protobuf'));
  });
});

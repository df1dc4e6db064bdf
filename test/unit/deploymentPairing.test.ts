/**
 * Pairing across the deployment surfaces: an app unit of a workload pairs with a collector unit of a
 * ConfigMap, an OpenTelemetryCollector resource or Helm values exactly as an env file pairs with a
 * collector file (the workspace index holds units); an exporter of one ConfigMap pairs with the
 * receiver of another in the same manifest. Certificates come from disk through path mappings.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from '../support/markers';
import { memoryRuntime } from '../support/memoryRuntime';
import { ca, server, type Issued } from '../support/certificates';
import { assertProblems, workspaceOf } from '../support/check';
import type { Problem } from '../../server/src/service/languageTypes';

let root: Issued;
let srv: Issued;
before(async () => {
  root = await ca('Pairing Root CA');
  srv = await server(root, ['otel-collector.observability.svc']);
});

const pathMappings = [
  { from: '/etc/otel/tls', to: '/local/tls' },
  { from: '/etc/app/ca', to: '/local/tls' },
];

const tlsReceiver = (indent: string) =>
  ['receivers:', '  otlp:', '    protocols:', '      grpc:', '        endpoint: 0.0.0.0:4317', '        tls:', '          cert_file: /etc/otel/tls/tls.crt', '          key_file: /etc/otel/tls/tls.key', 'exporters:', '  debug: {}', 'service:', '  pipelines:', '    traces:', '      receivers: [otlp]', '      exporters: [debug]']
    .map((l) => indent + l)
    .join('\n') + '\n';

const COLLECTORS: Record<string, string> = {
  configMap: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gateway\n  namespace: observability\ndata:\n  relay: |\n${tlsReceiver('    ')}`,
  'OpenTelemetryCollector v1beta1': `apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata:\n  name: otel\nspec:\n  config:\n${tlsReceiver('    ')}`,
  'OpenTelemetryCollector v1alpha1': `apiVersion: opentelemetry.io/v1alpha1\nkind: OpenTelemetryCollector\nmetadata:\n  name: otel\nspec:\n  config: |\n${tlsReceiver('    ')}`,
  'Helm values': `mode: deployment\nconfig:\n${tlsReceiver('  ')}`,
};

function app(host: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: ⟦https://${host}:4317⟧\n            - name: OTEL_EXPORTER_OTLP_PROTOCOL\n              value: grpc\n            - name: OTEL_EXPORTER_OTLP_CERTIFICATE\n              value: /etc/app/ca/ca.crt\n`;
}

function checkApp(source: string, collector: string): Problem[] {
  const { text, ranges } = marked(source);
  const runtime = memoryRuntime({
    now: new Date(),
    files: { '/local/tls/tls.crt': srv.pem, '/local/tls/tls.key': { contents: srv.keyPem, mode: 0o600 }, '/local/tls/ca.crt': root.pem },
  });
  const { service, parsed } = workspaceOf([{ path: '/w/collector.yaml', text: collector }, { path: '/w/app.yaml', text }], { runtime, settings: { pathMappings } });
  const problems = service.validate({ path: '/w/app.yaml', text }, parsed[1]);
  return assertProblems(problems, ranges.map(() => 'san-mismatch'), ranges, source);
}

describe('a workload app pairs with a collector of every surface', () => {
  for (const [surface, collector] of Object.entries(COLLECTORS)) {
    it(`${surface}: a host the certificate does not cover is san-mismatch, related to the receiver in the outer file`, () => {
      const [problem] = checkApp(app('otel-collector'), collector);
      assert.match(problem.message, /^container app of Deployment checkout: /);
      const related = problem.related?.[0];
      assert.ok(related, 'related location');
      assert.equal(related.path, '/w/collector.yaml');
      // The receiver's cert_file (or its endpoint) line in the outer file, whatever the embedding.
      const lines = collector.split('\n');
      assert.match(lines[related.range.start.line], /cert_file: \/etc\/otel\/tls\/tls\.crt|endpoint: 0\.0\.0\.0:4317/);
      assert.equal(lines[related.range.start.line].slice(related.range.start.character).replace(/^(cert_file: |endpoint: )/, '').length > 0, true);
    });
    it(`${surface}: the covered host pairs with no problem`, () => {
      const source = app('otel-collector.observability.svc').replace(/[⟦⟧]/g, '');
      checkApp(source, collector);
    });
  }
});

describe('the SDK runtime\'s TLS variables of a container count as an env file\'s do', () => {
  it('NODE_TLS_REJECT_UNAUTHORIZED=0 beside the endpoint: runtime-tls-override on its value', () => {
    const source = app('otel-collector.observability.svc').replace(/[⟦⟧]/g, '').replace('          env:\n', '          env:\n            - name: NODE_TLS_REJECT_UNAUTHORIZED\n              value: "0"\n');
    const runtime = memoryRuntime({ now: new Date(), files: { '/local/tls/tls.crt': srv.pem, '/local/tls/tls.key': { contents: srv.keyPem, mode: 0o600 }, '/local/tls/ca.crt': root.pem } });
    const { service, parsed } = workspaceOf([{ path: '/w/collector.yaml', text: COLLECTORS.configMap }, { path: '/w/app.yaml', text: source }], { runtime, settings: { pathMappings, sdk: 'js' } });
    const problems = service.validate({ path: '/w/app.yaml', text: source }, parsed[1]);
    const override = problems.filter((p) => p.code === 'runtime-tls-override');
    assert.equal(override.length, 1, JSON.stringify(problems.map((p) => [p.code, p.message])));
    assert.equal(source.slice(override[0].offset, override[0].offset + override[0].length), '"0"');
  });
});

describe('collectors of one manifest pair with each other', () => {
  it('an agent ConfigMap\'s exporter pairs with the gateway ConfigMap\'s receiver in the same file', () => {
    const gateway = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gateway\ndata:\n  relay: |\n${tlsReceiver('    ')}`;
    const agent = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\ndata:\n  relay: |\n    exporters:\n      otlp:\n        endpoint: ⟦gateway:4317⟧\n        tls:\n          ca_file: /etc/otel/tls/ca.crt\n';
    const { text, ranges } = marked(`${gateway}---\n${agent}`);
    const runtime = memoryRuntime({ now: new Date(), files: { '/local/tls/tls.crt': srv.pem, '/local/tls/tls.key': { contents: srv.keyPem, mode: 0o600 }, '/local/tls/ca.crt': root.pem } });
    const { service, parsed } = workspaceOf([{ path: '/w/all.yaml', text }], { runtime, settings: { pathMappings } });
    const problems = service.validate({ path: '/w/all.yaml', text }, parsed[0]);
    // mtls-not-enforced on the gateway's receiver, san-mismatch on the agent's endpoint (gateway is not a SAN).
    const codes = problems.map((p) => p.code);
    assert.deepEqual(codes, ['mtls-not-enforced', 'san-mismatch'], JSON.stringify(problems, null, 1));
    assert.deepEqual([problems[1].offset, problems[1].offset + problems[1].length], ranges[0]);
    assert.match(problems[1].message, /^ConfigMap agent data\.relay: otlp: /);
    assert.match(problems[1].related?.[0].message ?? '', /in ConfigMap gateway data\.relay \(\/w\/all\.yaml\)/);
  });
});

describe('the workspace index keeps every Kubernetes object', () => {
  it('Services and Secrets of a manifest without units are there for cross-file checks', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: otel-collector\n  namespace: observability\n  labels: {app: otel}\nspec:\n  selector: {app: otel}\n  ports:\n    - {name: otlp, port: 4317, targetPort: 4317}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: otel-tls\ntype: kubernetes.io/tls\n';
    const { parsed, index } = workspaceOf([{ path: '/w/svc.yaml', text }]);
    assert.equal(parsed[0].source, 'kubernetesManifest');
    assert.deepEqual(index().kubernetesObjects().map((o) => [o.path, o.unit.label, o.unit.labels]), [
      ['/w/svc.yaml', 'Service observability/otel-collector', { app: 'otel' }],
      ['/w/svc.yaml', 'Secret otel-tls', {}],
    ]);
  });
});

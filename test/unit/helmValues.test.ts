/**
 * Values files of the opentelemetry-collector Helm chart: `config:` merged over the chart's default
 * config (a part left out is not missing), `alternateConfig` as written, `null` deleting a default, the
 * default listeners taking part in pairing and saying where they come from, and Helm templates skipped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applied, fixesFor } from '../support/features';
import { check, expectProblems, workspaceOf } from '../support/check';

const path = '/work/chart/values.yaml';

function listeners(text: string): string[] {
  const { parsed } = workspaceOf([{ path, text }]);
  return parsed[0].collectors.flatMap((u) => u.model.listeners.map((l) => `${l.component.id}/${l.protocol}@${l.endpoint}${l.tls ? ' tls' : ''}`)).sort();
}

describe('Helm values of the collector chart', () => {
  it("the issue's example: the same mistakes as in a standalone config, on the values file's lines", () => {
    expectProblems(
      'mode: deployment\nconfig:\n  exporters:\n    otlp:\n      endpoint: gateway:4317\n      tls:\n        min_version: ⟦1.2⟧\n        ⟦server_name_overide⟧: gateway\n        ⟦insecure_skip_verify⟧: true\n  service:\n    pipelines:\n      traces:\n        exporters: [otlp]\n',
      ['invalid-value', 'unknown-key', 'insecure-skip-verify'],
      { path },
    );
  });

  it('a top-level service: key does not make values a collector config (it is the chart\'s Service)', () => {
    expectProblems('mode: daemonset\nimage:\n  repository: otel/opentelemetry-collector-k8s\nservice:\n  enabled: true\n  type: ClusterIP\n', [], { path });
  });

  it('config is merged over the defaults: their listeners are there; null deletes one', () => {
    assert.deepEqual(listeners('mode: deployment\nimage:\n  repository: x\n'), ['otlp/grpc@${env:MY_POD_IP}:4317', 'otlp/http@${env:MY_POD_IP}:4318']);
    assert.deepEqual(listeners('mode: deployment\nconfig:\n  receivers:\n    otlp:\n      protocols:\n        grpc: null\n'), ['otlp/http@${env:MY_POD_IP}:4318']);
    assert.deepEqual(
      listeners('mode: deployment\nconfig:\n  receivers:\n    otlp:\n      protocols:\n        grpc:\n          tls:\n            cert_file: /tls/tls.crt\n            key_file: /tls/tls.key\n'),
      ['otlp/grpc@${env:MY_POD_IP}:4317 tls', 'otlp/http@${env:MY_POD_IP}:4318'],
    );
  });

  it('internalTelemetryViaOTLP: the exporters the chart adds to service.telemetry are in the config (the config\'s own win); enabled with no endpoint fails the install', () => {
    const telemetry = (text: string) => {
      const { parsed } = workspaceOf([{ path, text }]);
      const unit = parsed[0].collectors[0];
      return unit.model.tlsBlocks
        .filter((b) => b.role === 'telemetry')
        .map((b) => `${b.keyPath.join('.')} ${b.entries.map((e) => `${e.key}=${String((e.value as { value?: unknown }).value)}`).join(' ')} @${unit.text.slice(unit.offsets.span!((b.node as { range: number[] }).range[0], 1).offset).split('\n')[0]}`);
    };
    const text =
      'mode: deployment\ninternalTelemetryViaOTLP:\n  endpoint: "https://gateway:4318"\n  traces:\n    enabled: true\n  metrics:\n    enabled: true\n    endpoint: "http://metrics:4318"\n  logs:\n    enabled: true\nconfig:\n  service:\n    telemetry:\n      logs:\n        processors:\n          - batch:\n              exporter:\n                otlp:\n                  endpoint: https://mine:4318\n';
    // Each generated block sits on the endpoint it takes (the signal's own, else the common one); logs keeps the config's.
    assert.deepEqual(telemetry(text), [
      'service.telemetry.metrics.readers.0.periodic.exporter.otlp protocol=http/protobuf endpoint=http://metrics:4318 @"http://metrics:4318"',
      'service.telemetry.logs.processors.0.batch.exporter.otlp endpoint=https://mine:4318 @endpoint: https://mine:4318',
      'service.telemetry.traces.processors.0.batch.exporter.otlp protocol=http/protobuf endpoint=https://gateway:4318 @"https://gateway:4318"',
    ]);
    expectProblems(text, [], { path });
    expectProblems('mode: deployment\ninternalTelemetryViaOTLP:\n  traces:\n    enabled: ⟦true⟧\n', ['invalid-value'], { path });
  });

  it('alternateConfig replaces the defaults; an empty one does not', () => {
    assert.deepEqual(listeners('mode: deployment\nalternateConfig:\n  receivers:\n    otlp:\n      protocols:\n        http:\n          endpoint: 0.0.0.0:4318\n'), ['otlp/http@0.0.0.0:4318']);
    assert.deepEqual(listeners('mode: deployment\nalternateConfig: {}\nconfig:\n  receivers:\n    otlp:\n      protocols:\n        grpc: null\n'), ['otlp/http@${env:MY_POD_IP}:4318']);
  });

  it('values nested under opentelemetry-collector: in a parent chart (the demo) are read; enabled: false is not', () => {
    expectProblems('opentelemetry-collector:\n  mode: daemonset\n  config:\n    exporters:\n      otlp:\n        tls:\n          ⟦insecure_skp_verify⟧: true\n', ['unknown-key'], { path });
    expectProblems('opentelemetry-collector:\n  enabled: false\n  config:\n    exporters:\n      otlp:\n        tls:\n          insecure_skp_verify: true\n', [], { path });
  });

  it('a problem about a default part lands on the nearest key the values write, and gets no fix', () => {
    // An app with https:// against the chart's default (plaintext) gRPC listener.
    const values = 'mode: deployment\nconfig:\n  receivers:\n    jaeger: null\n';
    const env = { path: '/work/app/.env', text: 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\n' };
    const problems = check(env.text, { path: env.path, others: [{ path, text: values }] });
    assert.deepEqual(problems.map((p) => p.code), ['plaintext-endpoint']);
    assert.match(problems[0].message, /receiver otlp \(grpc\) on \$\{env:MY_POD_IP\}:4317 in \/work\/chart\/values\.yaml, from the opentelemetry-collector chart's default config/);
    // Related: the nearest key the values write above the default listener: `receivers` (its otlp entry is the chart's).
    assert.deepEqual(problems[0].related?.[0].range, { start: { line: 2, character: 2 }, end: { line: 2, character: 11 } });
  });

  it('a fix inside what the values write edits the values file', () => {
    const text = 'mode: deployment\nconfig:\n  receivers:\n    otlp:\n      protocols:\n        grpc:\n          tls:\n            cert_file: /tls/tls.crt\n            key_file: /tls/tls.key\n  exporters:\n    otlp:\n      endpoint: gw:4317\n      tls:\n        min_version: 1.2\n';
    const { actions, document } = fixesFor(text, 'invalid-value', { path });
    const quote = actions.find((a) => /Quote/.test(a.title));
    assert.ok(quote);
    assert.equal(applied(document, quote), text.replace('min_version: 1.2', 'min_version: "1.2"'));
  });

  it('configMap.create: false: the config is elsewhere, said once, no unit', () => {
    const problems = expectProblems('mode: deployment\nconfigMap:\n  ⟦create⟧: false\nconfig:\n  exporters:\n    otlp:\n      tls:\n        bogus: 1\n', ['container-path'], { path });
    assert.match(problems[0].message, /With configMap\.create: false the chart renders no config from this file/);
  });

  it('the values file of another chart, and a file of a chart\'s templates/, get nothing', () => {
    expectProblems('replicaCount: 2\nmode: fast\nservice:\n  port: 80\n', [], { path: '/work/other/values.yaml' });
    const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "x.fullname" . }}\ndata:\n  relay: |\n    {{- toYaml .Values.config | nindent 4 }}\n---\n{{- if .Values.tls }}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n{{- end }}\n';
    expectProblems(template, [], { path: '/work/chart/templates/configmap.yaml' });
    const { parsed } = workspaceOf([{ path: '/work/chart/templates/configmap.yaml', text: template }]);
    assert.equal(parsed[0].source, 'kubernetesManifest');
  });
});

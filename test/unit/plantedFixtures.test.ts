/**
 * Copies of real published files with one mistake planted each (test/fixtures/planted/, the header of
 * each says what was changed): the mistake is found with its code on its exact range in the outer
 * file, and the rest of the list is what the unplanted file gets (test/unit/deploymentFixtures.test.ts)
 * plus the planted mistake's consequences, each named below. Ranges are 1-based line:col-line:col.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { severityName, toDiagnostic } from '../../server/src/service/diagnostics';
import { workspaceOf } from '../support/check';
import { memoryRuntime } from '../support/memoryRuntime';

const PLANTED = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'planted');

function checkPlanted(name: string): string[] {
  const path = join(PLANTED, name);
  const text = readFileSync(path, 'utf8');
  assert.match(text, /^# Planted fixture: a copy of test\/fixtures\/upstream\/.*\n# .*one mistake planted: /);
  const { service, parsed } = workspaceOf([{ path, text }], { runtime: memoryRuntime() });
  const document = TextDocument.create('file://' + path, 'yaml', 0, text);
  return service.validate({ path, text }, parsed[0]).map((p) => {
    const { range, severity, code } = toDiagnostic(document, p);
    return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1} ${severityName(severity)} ${code}`;
  });
}

describe('planted mistakes in real files are found on the outer file', () => {
  it('Helm values: an unquoted min_version under config:', () => {
    assert.deepEqual(checkPlanted('helm/daemonset-values.min-version.yaml'), ['23:22-23:25 error invalid-value']);
  });

  it('a ConfigMap rendered by the chart: a misspelt key inside data.relay: |', () => {
    assert.deepEqual(checkPlanted('k8s/configmap-agent.server-name-typo.yaml'), ['32:11-32:30 error unknown-key']);
  });

  it('a ConfigMap with a |- block: a tls block with cert_file and no key_file', () => {
    assert.deepEqual(checkPlanted('k8s/java-collector-configmap.cert-without-key.yaml'), [
      // Consequence: the receiver now serves TLS without asking for client certificates.
      '20:13-20:16 information mtls-not-enforced',
      '21:15-21:24 error tls-conflict',
      // Consequence: the new certificate path is in the container.
      '21:26-21:47 information container-path',
    ]);
  });

  it('the demo\'s Deployments: a $(VAR) defined below its use', () => {
    const ports = [490, 564, 724, 794, 860, 956, 1037, 1129, 1363, 1449, 1515, 1585, 1649, 1725, 1789].map((line) => `${line}:22-${line}:${line === 860 ? 66 : 56} information port-protocol-mismatch`);
    // The planted warning replaces cartservice's port information (its endpoint is no longer known).
    ports.splice(2, 0, '634:22-634:56 warning unresolved-substitution');
    assert.deepEqual(checkPlanted('k8s/demo-component.defined-later.yaml'), ports);
  });

  it('OpenTelemetryCollector v1alpha1 (spec.config string): insecure_skip_verify added', () => {
    assert.deepEqual(checkPlanted('operator/collector-v1alpha1.skip-verify.yaml'), ['48:20-48:72 information container-path', '50:11-50:31 warning insecure-skip-verify']);
  });

  it('OpenTelemetryCollector v1beta1 (spec.config mapping): client_ca_file misspelt', () => {
    assert.deepEqual(checkPlanted('operator/collector-v1beta1.client-ca-typo.yaml'), [
      // Consequence: without client_ca_file the gRPC receiver no longer requires client certificates.
      '32:13-32:16 information mtls-not-enforced',
      '33:26-33:40 information container-path',
      '34:25-34:39 information container-path',
      '35:15-35:28 error unknown-key',
      '39:26-39:40 information container-path',
      '40:25-40:39 information container-path',
      '41:31-41:47 information container-path',
    ]);
  });

  it("an injected Deployment whose container sets its own protocol (grpc): it wins over the Instrumentation's http/protobuf, against :4318, said on the annotation", () => {
    const upstream = join(PLANTED, '..', 'upstream/open-telemetry/opentelemetry-operator/tests/e2e-instrumentation/instrumentation-java-tls');
    const path = join(PLANTED, 'operator/deployment-injected.protocol-override.yaml');
    const files = [path, join(upstream, '00-install-instrumentation.yaml'), join(upstream, '00-install-collector.yaml')].map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
    const { service, parsed } = workspaceOf(files, { runtime: memoryRuntime() });
    const document = TextDocument.create('file://' + path, 'yaml', 0, files[0].text);
    const problems = service.validate(files[0], parsed[0]);
    assert.deepEqual(
      problems.map((p) => {
        const { range, severity, code } = toDiagnostic(document, p);
        return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1} ${severityName(severity)} ${code}`;
      }),
      ['23:55-23:61 warning port-protocol-mismatch'],
    );
    assert.match(problems[0].message, /^container myapp of Deployment my-java \(inject-java: Instrumentation java\): gRPC sent to the OTLP\/HTTP port 4318: .* env\[0\] OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
  });

  it('Instrumentation: http:// with exporter.tls — the injected TLS files are never read', () => {
    assert.deepEqual(checkPlanted('operator/instrumentation.http-scheme.yaml'), [
      '26:16-26:22 information container-path',
      // One cause (the http:// endpoint), one tls-ignored: the other two files are its related locations.
      '26:16-26:22 warning tls-ignored',
      '27:18-27:25 information container-path',
      '28:17-28:24 information container-path',
    ]);
  });
});

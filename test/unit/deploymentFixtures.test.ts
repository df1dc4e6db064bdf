/**
 * The real published files of test/fixtures/upstream/ (Helm chart examples and rendered manifests,
 * operator samples and its TLS e2e test, the demo's rendered manifests), each folder checked as the
 * workspace a user would open, with the whole list of diagnostics asserted per file: no false error.
 * Where a real file gets a diagnostic, the comment beside it says why a demanding user would agree.
 * No certificate file exists in this in-memory workspace: container paths are `container-path`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic, severityName } from '../../server/src/service/diagnostics';
import { workspaceOf } from '../support/check';
import { memoryRuntime } from '../support/memoryRuntime';
import { createVirtualCache } from '../../server/src/service/certificates/virtualCertificates';

/** What cert-manager will issue, shared by this file's workspaces: its RSA keys are made once. */
const VIRTUAL = createVirtualCache();

const ROOT = join(__dirname, '..', '..', '..');
const UPSTREAM = join(ROOT, 'test', 'fixtures', 'upstream', 'open-telemetry');
const CERT_MANAGER = join(ROOT, 'test', 'fixtures', 'upstream', 'cert-manager', 'website', 'content', 'docs');
const CHART = join(UPSTREAM, 'opentelemetry-helm-charts', 'charts', 'opentelemetry-collector', 'examples');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every YAML file below `dir` as one workspace: file (relative to `dir`) → `line:col severity code` (1-based). */
function checkFolder(dir: string): Record<string, string[]> {
  const docs = yamlFiles(dir).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const { service, parsed } = workspaceOf(docs, { runtime: memoryRuntime({ now: new Date('2026-06-01T00:00:00Z') }), virtualCache: VIRTUAL });
  const out: Record<string, string[]> = {};
  docs.forEach((doc, i) => {
    const document = TextDocument.create('file://' + doc.path, 'yaml', 0, doc.text);
    out[relative(dir, doc.path)] = service.validate(doc, parsed[i]).map((p) => {
      const d = toDiagnostic(document, p);
      return `${d.range.start.line + 1}:${d.range.start.character + 1} ${severityName(d.severity)} ${d.code}`;
    });
  });
  return out;
}

describe('real published deployment files check with no false error', () => {
  it('collector chart, daemonset-and-deployment: values, the rendered agent ConfigMap, DaemonSet and Service', () => {
    assert.deepEqual(checkFolder(join(CHART, 'daemonset-and-deployment')), {
      'daemonset-values.yaml': [],
      'deployment-values.yaml': [],
      'rendered/configmap-agent.yaml': [],
      'rendered/daemonset.yaml': [],
      'rendered/service.yaml': [],
    });
  });

  it('collector chart, alternate-config, deployment-otlp-traces (null deletes defaults) and internalTelemetryViaOTLP', () => {
    assert.deepEqual(checkFolder(join(CHART, 'alternate-config')), { 'rendered/configmap.yaml': [], 'values.yaml': [] });
    assert.deepEqual(checkFolder(join(CHART, 'deployment-otlp-traces')), { 'values.yaml': [] });
    assert.deepEqual(checkFolder(join(CHART, 'internalTelemetryViaOTLP')), { 'values.yaml': [] });
  });

  it('collector chart, deployment-use-existing-configMap: the config is elsewhere, and --config names a directory (a real upstream slip)', () => {
    assert.deepEqual(checkFolder(join(CHART, 'deployment-use-existing-configMap')), {
      'deployment-values.yaml': [
        // configMap.create: false — the chart renders no config from this file: said, not silently passed.
        '15:3 information container-path',
        // --config=/conf/config.yaml, while extraVolumeMounts mounts the ConfigMap at /conf/config.yaml without
        // subPath: in the pod that path is a directory holding config.yaml; the collector cannot read it.
        '22:15 error file-unreadable',
      ],
    });
  });

  it('the demo chart, bring-your-own-observability: 18 Deployments, their $(OTEL_COLLECTOR_NAME) endpoints, the agent ConfigMap', () => {
    const dir = join(UPSTREAM, 'opentelemetry-helm-charts', 'charts', 'opentelemetry-demo', 'examples', 'bring-your-own-observability');
    // Every endpoint names port 4317 or 4318 and no protocol; the services are in many languages and their
    // SDKs default differently, so each gets the information every such env file gets: which SDKs match.
    const ports = [488, 562, 634, 722, 792, 858, 954, 1035, 1127, 1361, 1447, 1513, 1583, 1647, 1723, 1787].map((line) => `${line}:22 information port-protocol-mismatch`);
    assert.deepEqual(checkFolder(dir), { 'rendered/component.yaml': ports, 'rendered/opentelemetry-collector/configmap-agent.yaml': [], 'values.yaml': [] });
    // $(OTEL_COLLECTOR_NAME) is defined earlier in each env list: expanded as the kubelet does.
    const text = readFileSync(join(dir, 'rendered', 'component.yaml'), 'utf8');
    const { parsed } = workspaceOf([{ path: '/w/component.yaml', text }]);
    const endpoints = new Set(parsed[0].apps.flatMap((u) => u.settings.filter((s) => s.name === 'OTEL_EXPORTER_OTLP_ENDPOINT').map((s) => s.value)));
    assert.deepEqual([...endpoints].sort(), ['http://my-otel-collector.opentelemetry-ns:4317', 'http://my-otel-collector.opentelemetry-ns:4318']);
  });

  it('operator samples: collectors (v1alpha1 string, v1beta1 map, sidecar), Instrumentation, the kustomize certificate', () => {
    assert.deepEqual(checkFolder(join(UPSTREAM, 'opentelemetry-operator', 'config')), {
      'certmanager/certificate.yaml': [],
      'samples/core_v1beta1_opentelemetrycollector.yaml': [],
      // The exporter's Jaeger endpoint (port 14250) is served by no collector of this folder, while others listen.
      // ca_file is in ConfigMap cabundle (filled by OpenShift), mounted at /etc/pki/ca-trust/source/service-ca: not here.
      'samples/exporter-with-tls.yaml': ['44:19 information no-listener', '46:20 information container-path'],
      // http://…:4317 with no protocol: gRPC SDKs match, the Java agent, Node.js, .NET and Go auto-instrumentation
      // (http/protobuf by default) would send HTTP to the gRPC port — which one the operator injects is not in this file.
      'samples/instrumentation_v1alpha1_instrumentation.yaml': ['13:15 information port-protocol-mismatch'],
      'samples/sidecar.yaml': [],
    });
  });

  it("operator TLS e2e test: the mTLS collector, the Instrumentation, the app, the chainsaw assertion, the CA and Secrets", () => {
    const container = (lines: string[]) => lines.map((l) => `${l} information container-path`);
    assert.deepEqual(checkFolder(join(UPSTREAM, 'opentelemetry-operator', 'tests', 'e2e-instrumentation', 'instrumentation-java-tls')), {
      // The server certificate, key and client CA are keys of Secret server-certs and ConfigMap ca, whose manifests
      // (server-secret.yaml, ca.yaml: base64 and PEM data) are in this folder: each path resolves through the
      // collector's spec.volumes to that key and is checked as the file (a server certificate for
      // simplest-collector signed by the CA of ca.crt, valid until 2051; the key matches): nothing to say.
      '00-install-collector.yaml': [],
      // The operator mounts ConfigMap ca and Secret client-certs at its /otel-auto-instrumentation-… paths: the
      // Instrumentation's ca_file, cert_file and key_file are keys of ca.yaml and client-secret.yaml, and the
      // exporter's https://simplest-collector:4318 completes its mTLS handshake with the collector's HTTP receiver
      // (server name covered, both chains to ca.crt, the client certificate in client_ca_file's CA).
      '00-install-instrumentation.yaml': [],
      // The chainsaw assertion lists the mounts without the volumes (the operator adds those), so what the paths
      // hold is not known there: still container-path.
      '01-assert.yaml': ['30:14 information port-protocol-mismatch', ...container(['32:14', '34:14', '36:14'])],
      '01-install-app.yaml': [],
      'ca.yaml': [],
      'client-secret.yaml': [],
      'server-secret.yaml': [],
    });
  });

  it("cert-manager's documentation examples: the Certificate of the usage page, the SelfSigned and CA issuers, the CA Secret, trust-manager's Bundle", () => {
    // Every Certificate is admitted by the webhook (certificate-spec-rejected says nothing); Issuers, the Secret and the
    // Bundle hold no unit. Checked as one workspace, as a user who opens the docs' examples together would.
    assert.deepEqual(checkFolder(CERT_MANAGER), {
      'configuration/ca.md.block1.yaml': [],
      'configuration/ca.md.block2.yaml': [],
      'configuration/selfsigned.md.block1.yaml': [],
      'configuration/selfsigned.md.block2.yaml': [],
      'configuration/selfsigned.md.block4.yaml': [],
      'trust/trust-manager/README.md.block1.yaml': [],
      'usage/certificate.md.block1.yaml': [],
    });
  });

  it('the Java example\'s collector ConfigMap (key otel-collector-config.yaml, a |- block)', () => {
    const dir = join(UPSTREAM, 'opentelemetry-java-examples', 'logging-k8s-stdout-otlp-json', 'k8s');
    assert.deepEqual(checkFolder(dir), { 'collector-configmap.yaml': [] });
    const { parsed } = workspaceOf([{ path: '/w/c.yaml', text: readFileSync(join(dir, 'collector-configmap.yaml'), 'utf8') }]);
    assert.deepEqual(parsed[0].collectors.map((u) => u.label), ['ConfigMap otel-collector-config data.otel-collector-config.yaml']);
  });
});

/**
 * Service names as hosts (model/services.ts), the rotation rules (certificates/rotation.ts) and what the
 * virtual trust rules say they cannot judge (certificates/virtualTrust.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments, parseDocument } from 'yaml';
import { containerPortsOf, selects, serviceHosts, serviceSpec, servicesForHost, targetPortOf, type ServiceSpec } from '../../server/src/service/model/services';
import { certManagerObject, type CertificateSpec } from '../../server/src/service/model/certManager';
import { caRotationFinding, reloadFindings, renewalText, suggestedReloadInterval } from '../../server/src/service/certificates/rotation';
import { getEntry, type AnyNode } from '../../server/src/service/yaml/yamlNodes';
import { isSeq } from 'yaml';

const LAYOUT = `apiVersion: v1
kind: Service
metadata:
  name: otel-agent
  namespace: observability
spec:
  selector:
    app: otel-agent
  ports:
    - name: otlp-grpc
      port: 4317
      targetPort: otlp-grpc
---
apiVersion: v1
kind: Service
metadata:
  name: otel-gateway
  namespace: observability
spec:
  selector:
    app: otel-gateway
  ports:
    - name: otlp-grpc
      port: 4317
      targetPort: otlp-grpc
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: otel-agent
  namespace: observability
spec:
  template:
    metadata:
      labels:
        app: otel-agent
    spec:
      containers:
        - name: otelcol
          ports:
            - name: otlp-grpc
              containerPort: 4317
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: otel-gateway
  namespace: observability
spec:
  template:
    metadata:
      labels:
        app: otel-gateway
    spec:
      containers:
        - name: otelcol
          ports:
            - name: otlp-grpc
              containerPort: 4317
`;

function layout() {
  const docs = parseAllDocuments(LAYOUT);
  const services = docs.map((d) => serviceSpec(d, d.contents)).filter((s): s is ServiceSpec => !!s);
  const workloads = docs.filter((d) => (d.toJS() as { kind: string }).kind !== 'Service').map((doc) => {
    const js = doc.toJS() as { metadata: { name: string }; spec: { template: { metadata: { labels: Record<string, string> } } } };
    const containers = getEntry(getEntry(getEntry(getEntry(doc.contents, doc, 'spec')?.value, doc, 'template')?.value, doc, 'spec')?.value, doc, 'containers')?.value;
    return { name: js.metadata.name, labels: js.spec.template.metadata.labels, ports: containerPortsOf(doc, isSeq(containers) ? (containers.items as AnyNode[]) : []) };
  });
  return { services, workloads };
}

describe('Service names as endpoint hosts', () => {
  it('the four DNS forms, the short one only from the same namespace', () => {
    assert.deepEqual(serviceHosts({ name: 'otel-collector', namespace: 'observability' }), [
      { host: 'otel-collector', sameNamespaceOnly: true },
      { host: 'otel-collector.observability', sameNamespaceOnly: false },
      { host: 'otel-collector.observability.svc', sameNamespaceOnly: false },
      { host: 'otel-collector.observability.svc.cluster.local', sameNamespaceOnly: false },
    ]);
    const { services } = layout();
    assert.deepEqual(servicesForHost(services, 'otel-gateway', 'shop').map((m) => m.service.name), []);
    assert.deepEqual(servicesForHost(services, 'otel-gateway', 'observability').map((m) => `${m.service.name} ${m.form}`), ['otel-gateway short']);
    assert.deepEqual(servicesForHost(services, 'otel-gateway.observability.svc.cluster.local.', 'shop').map((m) => `${m.service.name} ${m.form}`), ['otel-gateway fqdn']);
    // A pod whose manifest states no namespace: the short name is taken as reaching it.
    assert.deepEqual(servicesForHost(services, 'otel-gateway', undefined).map((m) => m.service.name), ['otel-gateway']);
  });

  it('an agent and a gateway both on 4317: the host and the port lead to one pod port of one workload', () => {
    const { services, workloads } = layout();
    const reach = (host: string) =>
      servicesForHost(services, host, 'shop').flatMap(({ service }) =>
        workloads.filter((w) => selects(service, w.labels)).map((w) => `${w.name}:${targetPortOf(service, 4317, w.ports)}`),
      );
    assert.deepEqual(reach('otel-gateway.observability'), ['otel-gateway:4317']);
    assert.deepEqual(reach('otel-agent.observability.svc'), ['otel-agent:4317']);
    assert.deepEqual(reach('collector.example.com'), []);
  });

  it('targetPort: a number, a named container port, unset (= port); a headless Service forwards the dialled port', () => {
    const doc = parseDocument('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 443\n      targetPort: 4317\n    - port: 4318\n    - port: 80\n      targetPort: http-otlp\n');
    const s = serviceSpec(doc, doc.contents)!;
    assert.equal(targetPortOf(s, 443, []), 4317);
    assert.equal(targetPortOf(s, 4318, []), 4318);
    assert.equal(targetPortOf(s, 80, [{ name: 'http-otlp', containerPort: 14318 }]), 14318);
    assert.equal(targetPortOf(s, 80, []), undefined);
    assert.equal(targetPortOf(s, 9999, []), undefined);
    assert.equal(targetPortOf({ ...s, headless: true }, 9999, []), 9999);
  });
});

function cert(fields: string): CertificateSpec {
  const doc = parseDocument(`apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: otel-collector-cert\n  namespace: observability\nspec:\n  secretName: otel-collector-tls\n  issuerRef:\n    name: internal-ca\n    kind: ClusterIssuer\n${fields}`);
  return certManagerObject(doc, doc.contents) as CertificateSpec;
}

describe('rotation readiness', () => {
  it('the renewal schedule in words, from the spec', () => {
    assert.equal(renewalText(cert('  duration: 2160h\n  renewBefore: 360h\n')), 'renewed every 75 days, 15 days before it expires (duration 2160h0m0s; renewBefore 360h0m0s), with a new key each time (rotationPolicy Always)');
    assert.equal(renewalText(cert('')), 'renewed every 60 days, 30 days before it expires (duration 2160h0m0s, the default; renewBefore unset: a third of the lifetime), with a new key each time (rotationPolicy Always)');
  });

  it('no reload_interval on a receiver whose files cert-manager renews; the suggested interval fits the renewal window', () => {
    const spec = cert('  duration: 2160h\n  renewBefore: 360h\n');
    const findings = reloadFindings({ setting: 'cert_file', side: 'server', spec, secret: 'Secret observability/otel-collector-tls', subPath: false });
    assert.deepEqual(findings.map((f) => [f.code, f.suggestedInterval]), [['reload-not-configured', '1h']]);
    assert.match(findings[0].message, /reads cert_file and key_file once, at start/);
    assert.match(findings[0].message, /it does not reload ca_file, and client_ca_file needs client_ca_file_reload: true/);
    assert.deepEqual(reloadFindings({ setting: 'cert_file', side: 'server', spec, secret: 'x', subPath: false, reloadMs: 3_600_000 }), []);
    // A short window: a quarter of it.
    assert.equal(suggestedReloadInterval(cert('  duration: 1h\n  renewBefore: 20m\n')), '5m');
    const late = reloadFindings({ setting: 'cert_file', side: 'server', spec: cert('  duration: 24h\n  renewBefore: 1h\n'), secret: 'x', subPath: false, reloadMs: 2 * 3_600_000 });
    assert.deepEqual(late.map((f) => f.code), ['reload-not-configured']);
    assert.match(late[0].message, /reload_interval 2h0m0s is not shorter than the 1 hour between/);
  });

  it('a subPath mount never sees the renewal; ${file:…} is never reloaded; renewal disabled says nothing', () => {
    const spec = cert('');
    assert.deepEqual(reloadFindings({ setting: 'cert_file', side: 'server', spec, secret: 'x', subPath: true, reloadMs: 3_600_000 }).map((f) => f.code), ['secret-subpath-mount']);
    assert.deepEqual(reloadFindings({ setting: 'cert_pem', side: 'server', spec, secret: 'x', subPath: false, inline: true }).map((f) => f.code), ['reload-not-configured']);
    assert.deepEqual(reloadFindings({ setting: 'cert_file', side: 'server', spec: cert('  renewal:\n    policy: Disabled\n'), secret: 'x', subPath: false }), []);
  });

  it('a CA that rotates, pinned by a reader that never reloads it', () => {
    const ca = cert('  isCA: true\n  commonName: root\n');
    const sdk = caRotationFinding({ setting: 'OTEL_EXPORTER_OTLP_CERTIFICATE', reader: 'sdk', secret: 'Secret observability/otel-collector-tls', rotating: ca, selfSignedLeaf: false });
    assert.equal(sdk?.code, 'ca-rotation');
    assert.match(sdk!.message, /the SDK reads it once, at start; each renewal .* makes a new CA key/);
    assert.match(caRotationFinding({ setting: 'ca_file', reader: 'collector-ca-file', secret: 's', rotating: ca, selfSignedLeaf: false })!.message, /reload_interval reloads only cert_file and key_file, never ca_file/);
    assert.equal(caRotationFinding({ setting: 'client_ca_file', reader: 'collector-client-ca-file', clientCaReload: true, secret: 's', rotating: ca, selfSignedLeaf: false }), undefined);
    assert.match(caRotationFinding({ setting: 'client_ca_file', reader: 'collector-client-ca-file', secret: 's', rotating: ca, selfSignedLeaf: false })!.message, /Set client_ca_file_reload: true/);
    assert.match(caRotationFinding({ setting: 'x', reader: 'sdk', secret: 's', rotating: cert('  isCA: true\n  commonName: root\n  privateKey:\n    rotationPolicy: Never\n'), selfSignedLeaf: false })!.message, /keeps its key, so the copy read at start keeps verifying, until that copy expires/);
  });
});

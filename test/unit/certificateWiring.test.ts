/**
 * Issue 11 wired through the real sources: manifests of a cert-manager deployment (no PEM file in the
 * workspace), each path in a container resolved through the pod's volumes to the Secret key a Certificate
 * writes, the checks run on what it will issue; Services pair a dialled host and port with the collector
 * behind them; the rotation and spec codes on the manifests; hover and links on a Secret-backed path.
 * The handshakes these verdicts predict are run in test/integration/certManagerSources.test.ts.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from '../../server/src/service/diagnostics';
import { workspaceOf } from '../support/check';
import { applied } from '../support/features';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';
import { NS, app, articleCertificate, caBootstrap, collector } from '../support/clusterManifests';
import { ca, server, type Issued } from '../support/certificates';
import { createVirtualCache } from '../../server/src/service/certificates/virtualCertificates';

/** What cert-manager will issue, shared by this file's workspaces: its RSA keys are made once. */
const VIRTUAL = createVirtualCache();

let root: Issued;
let local: Issued;
before(async () => {
  root = await ca('Local Dev CA');
  local = await server(root, ['otel-collector']);
});

type Files = Record<string, string>;

function workspace(files: Files, options: { runtimeFiles?: Record<string, string | MemoryFile>; pathMappings?: { from: string; to: string }[] } = {}) {
  const docs = Object.entries(files).map(([name, text]) => ({ path: `/w/${name}`, text }));
  const runtime = memoryRuntime({ now: new Date(), files: options.runtimeFiles ?? {} });
  const { service, parsed } = workspaceOf(docs, { runtime, virtualCache: VIRTUAL, ...(options.pathMappings ? { settings: { pathMappings: options.pathMappings } } : {}) });
  const problems = (name: string) => {
    const i = docs.findIndex((d) => d.path === `/w/${name}`);
    return service.validate(docs[i], parsed[i]);
  };
  /** `code@the text it sits on` for every problem of the file. */
  const found = (name: string) => {
    const text = files[name];
    return problems(name).map((p) => `${p.code}@${text.slice(p.offset, p.offset + p.length)}`);
  };
  const document = (name: string) => TextDocument.create(`file:///w/${name}`, 'yaml', 1, files[name]);
  const parsedOf = (name: string) => parsed[docs.findIndex((d) => d.path === `/w/${name}`)];
  return { service, problems, found, document, parsedOf };
}

const article = (host: string, collectorOptions: Parameters<typeof collector>[0] = {}): Files => ({
  'issuers.yaml': caBootstrap(),
  'collector.yaml': `${articleCertificate()}---\n${collector(collectorOptions)}`,
  'app.yaml': app({ host }),
});

describe("the article's Kubernetes example through the real sources (no PEM file anywhere)", () => {
  it('the app dials otel-collector:4317, a name the Certificate does not hold: san-mismatch, judged through the Service against what cert-manager will issue', () => {
    const w = workspace(article('otel-collector'));
    assert.deepEqual(w.found('app.yaml'), ['san-mismatch@https://otel-collector:4317', 'ca-rotation@/etc/app/tls/ca.crt']);
    const [san, rotation] = w.problems('app.yaml');
    assert.match(san.message, /through Service observability\/otel-collector, port 4317 → 4317/);
    assert.match(san.message, /"otel-collector" is not covered by CN=otel-collector\.observability\.svc/);
    assert.match(san.message, /add "otel-collector" to its spec\.dnsNames \(cert-manager then re-issues it\), or dial "otel-collector\.observability\.svc" or "otel-collector\.observability\.svc\.cluster\.local"/);
    // The trust file is ca.crt of the collector's Secret: the CA Certificate of the bootstrap, renewed with a new key.
    assert.match(rotation.message, /is ca\.crt of Secret otel-collector-tls, which holds the CA of Certificate cert-manager\/internal-ca; the SDK reads it once, at start/);
    assert.equal(rotation.related?.[0].path, '/w/issuers.yaml');
  });

  it('dialled as otel-collector.observability.svc:4317 the handshake is clean; only the CA rotation is said', () => {
    const w = workspace(article(`otel-collector.${NS}.svc`));
    assert.deepEqual(w.found('app.yaml'), ['ca-rotation@/etc/app/tls/ca.crt']);
  });

  it('"configure it to reload certificates when they change": reload-not-configured without reload_interval, its fix adds it, and with it nothing is said', () => {
    const w = workspace(article(`otel-collector.${NS}.svc`));
    assert.deepEqual(w.found('collector.yaml'), ['mtls-not-enforced@tls', 'reload-not-configured@/etc/otel/certs/tls.crt']);
    const reload = w.problems('collector.yaml')[1];
    assert.match(reload.message, /cert_file is from Secret otel-collector-tls, which cert-manager renews \(Certificate observability\/otel-collector-cert: renewed every 75 days, 15 days before it expires/);
    assert.match(reload.message, /it does not reload ca_file, and client_ca_file needs client_ca_file_reload: true/);
    const document = w.document('collector.yaml');
    const actions = w.service.getCodeActions(document, [JSON.parse(JSON.stringify(toDiagnostic(document, reload)))], { path: '/w/collector.yaml', parsed: w.parsedOf('collector.yaml') });
    assert.deepEqual(actions.map((a) => a.title), ['Add reload_interval: 1h']);
    const fixed = applied(document, actions[0]);
    assert.match(fixed, /              key_file: \/etc\/otel\/certs\/tls\.key\n              reload_interval: 1h\n/);
    const again = workspace({ ...article(`otel-collector.${NS}.svc`), 'collector.yaml': fixed });
    assert.deepEqual(again.found('collector.yaml'), ['mtls-not-enforced@tls']);
  });

  it('a reload_interval not shorter than the renewal window is said too; a short window gets a shorter interval', () => {
    const w = workspace(article(`otel-collector.${NS}.svc`, { tls: ['reload_interval: 400h'] }));
    assert.deepEqual(w.found('collector.yaml'), ['mtls-not-enforced@tls', 'reload-not-configured@400h']);
    assert.match(w.problems('collector.yaml')[1].message, /reload_interval 400h0m0s is not shorter than the 15 days/);
  });
});

describe('Secret keys as files', () => {
  it('a key the Secret does not hold (server.crt where cert-manager writes tls.crt) is file-not-found, naming the keys it has', () => {
    const files = article(`otel-collector.${NS}.svc`);
    files['collector.yaml'] = files['collector.yaml'].replace('cert_file: /etc/otel/certs/tls.crt', 'cert_file: /etc/otel/certs/server.crt');
    const w = workspace(files);
    assert.deepEqual(w.found('collector.yaml'), ['mtls-not-enforced@tls', 'file-not-found@/etc/otel/certs/server.crt']);
    assert.match(w.problems('collector.yaml')[1].message, /"\/etc\/otel\/certs\/server\.crt" will not exist in container otelcol of Deployment observability\/otel-collector \(Secret otel-collector-tls mounted at \/etc\/otel\/certs\): Secret observability\/otel-collector-tls is written by Certificate observability\/otel-collector-cert, which writes the keys tls\.crt, tls\.key and ca\.crt \(not "server\.crt"\)/);
  });

  it('a subPath mount of a renewed Secret: secret-subpath-mount, whatever reload_interval says', () => {
    const mounts = '            - name: certs\n              mountPath: /etc/otel/certs/tls.crt\n              subPath: tls.crt\n            - name: certs\n              mountPath: /etc/otel/certs/tls.key\n              subPath: tls.key\n';
    const w = workspace(article(`otel-collector.${NS}.svc`, { certMounts: mounts, tls: ['reload_interval: 1h'] }));
    assert.deepEqual(w.found('collector.yaml'), ['mtls-not-enforced@tls', 'secret-subpath-mount@/etc/otel/certs/tls.crt']);
  });

  it('the files win: a path mapping to PEM files of the workspace checks them, not the Certificate', () => {
    const runtimeFiles = { '/w/certs/tls.crt': local.pem, '/w/certs/tls.key': { contents: local.keyPem, mode: 0o600 }, '/w/certs/ca.crt': root.pem, '/w/ca/ca.crt': root.pem };
    const w = workspace(article('otel-collector'), { runtimeFiles, pathMappings: [{ from: '/etc/otel/certs', to: '/w/certs' }, { from: '/etc/app/tls', to: '/w/ca' }] });
    // The mapped server certificate holds otel-collector: no san-mismatch; no Secret-backed file, so nothing about rotation.
    assert.deepEqual(w.found('app.yaml'), []);
    assert.deepEqual(w.found('collector.yaml'), ['mtls-not-enforced@tls']);
  });

  it('a Secret that no manifest or Certificate of the workspace makes stays container-path (information)', () => {
    const w = workspace({ 'collector.yaml': collector({ secret: 'elsewhere-tls' }) });
    assert.deepEqual(w.found('collector.yaml'), ['mtls-not-enforced@tls', 'container-path@/etc/otel/certs/tls.crt', 'container-path@/etc/otel/certs/tls.key']);
    assert.match(w.problems('collector.yaml')[1].message, /from Secret elsewhere-tls mounted at \/etc\/otel\/certs; it is not on this machine \(Secret observability\/elsewhere-tls is not in the workspace, and no cert-manager Certificate of the workspace writes it\)/);
  });

  it('a ConfigMap whose Deployment is in another file gets that container: its paths resolve there', () => {
    const whole = collector();
    const [configMap, ...rest] = whole.split('---\n');
    const w = workspace({ 'issuers.yaml': caBootstrap(), 'cert.yaml': articleCertificate(), 'config.yaml': configMap, 'deploy.yaml': rest.join('---\n') });
    assert.deepEqual(w.found('config.yaml'), ['mtls-not-enforced@tls', 'reload-not-configured@/etc/otel/certs/tls.crt']);
  });
});

describe('a Certificate that issues from a CA not in the workspace', () => {
  it('against a trust file of the image (mapped here): issuer-not-in-workspace, and the rest of the handshake is judged', () => {
    const files: Files = {
      'collector.yaml': `${articleCertificate().replace('name: internal-ca\n    kind: ClusterIssuer', 'name: corp-ca\n    kind: ClusterIssuer')}---\n${collector({ tls: ['reload_interval: 1h'] })}`,
      'app.yaml': app({ host: 'otel-collector' }).replace(/          volumeMounts:[\s\S]*$/, '').replace('/etc/app/tls/ca.crt', '/etc/ssl/corp/ca.crt'),
    };
    const w = workspace(files, { runtimeFiles: { '/local/corp/ca.crt': root.pem }, pathMappings: [{ from: '/etc/ssl/corp', to: '/local/corp' }] });
    assert.deepEqual(w.found('app.yaml'), ['san-mismatch@https://otel-collector:4317', 'issuer-not-in-workspace@/etc/ssl/corp/ca.crt']);
    assert.match(w.problems('app.yaml')[1].message, /Whether env\[2\] OTEL_EXPORTER_OTLP_CERTIFICATE holds the CA that signs the server certificate cannot be judged here: Certificate observability\/otel-collector-cert is issued by ClusterIssuer corp-ca, which is not in the workspace/);
  });
});

describe('certificate-spec-rejected on the Certificate, with the obvious fixes', () => {
  const cert = (spec: string) => `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\n  namespace: ${NS}\nspec:\n  secretName: c-tls\n  issuerRef:\n    name: internal-ca\n    kind: ClusterIssuer\n  dnsNames: [c.${NS}.svc]\n${spec}`;
  const fixes = (text: string) => {
    const w = workspace({ 'c.yaml': text, 'issuers.yaml': caBootstrap() });
    const document = w.document('c.yaml');
    const problems = w.problems('c.yaml');
    const diagnostics = JSON.parse(JSON.stringify(problems.map((p) => toDiagnostic(document, p))));
    return { found: w.found('c.yaml'), problems, actions: w.service.getCodeActions(document, diagnostics, { path: '/w/c.yaml', parsed: w.parsedOf('c.yaml') }), document };
  };

  it('renewBefore not shorter than duration: the webhook\'s message on renewBefore; the fix removes it', () => {
    const r = fixes(cert('  duration: 720h\n  renewBefore: 720h\n'));
    assert.deepEqual(r.found, ['certificate-spec-rejected@720h']);
    assert.equal(r.problems[0].offset, cert('  duration: 720h\n  renewBefore: 720h\n').lastIndexOf('720h'));
    assert.match(r.problems[0].message, /^cert-manager rejects this Certificate's spec\.renewBefore: fix it, or no Secret is written\. Certificate observability\/c: spec\.renewBefore: certificate duration 720h0m0s must be greater than renewBefore 720h0m0s\. cert-manager's admission webhook rejects the Certificate, so Secret c-tls is never written/);
    assert.deepEqual(r.actions.map((a) => a.title), ['Remove renewBefore (cert-manager renews at two thirds of the lifetime)']);
    assert.equal(applied(r.document, r.actions[0]), cert('  duration: 720h\n'));
  });

  it('a duration in days (Go has no "d"): the fix writes hours', () => {
    const r = fixes(cert('  duration: 90d\n'));
    assert.deepEqual(r.found, ['certificate-spec-rejected@90d']);
    assert.deepEqual(r.actions.map((a) => a.title), ['Change duration to 2160h']);
    assert.equal(applied(r.document, r.actions[0]), cert('  duration: 2160h\n'));
  });

  it('an unknown usage (serverAuth): the fix writes cert-manager\'s name; an RSA size out of range offers the allowed ones as numbers', () => {
    const r = fixes(cert('  usages:\n    - digital signature\n    - serverAuth\n  privateKey:\n    size: 1024\n'));
    assert.deepEqual(r.found, ['certificate-spec-rejected@serverAuth', 'certificate-spec-rejected@1024']);
    const usage = r.actions.find((a) => a.title === 'Change the value to server auth');
    assert.ok(usage, JSON.stringify(r.actions.map((a) => a.title)));
    assert.match(applied(r.document, usage), /    - server auth\n/);
    const size = r.actions.find((a) => a.title === 'Change size to 2048');
    assert.ok(size);
    assert.match(applied(r.document, size), /    size: 2048\n/);
  });

  it('the published examples are admitted: the kustomize Certificate with $(SERVICE_NAME) names gets nothing', () => {
    const r = fixes(cert('').replace('dnsNames: [c.observability.svc]', 'dnsNames: [$(SERVICE_NAME).$(SERVICE_NAMESPACE).svc]'));
    assert.deepEqual(r.found, []);
  });
});

describe('pairing by host and port: an agent and a gateway that both listen on 4317', () => {
  const certificate = (name: string) => `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: ${name}-cert\n  namespace: ${NS}\nspec:\n  secretName: ${name}-tls\n  issuerRef:\n    name: internal-ca\n    kind: ClusterIssuer\n  dnsNames: [${name}.${NS}.svc]\n---\n`;
  const layout = (appHost: string, agentExportsTo: string): Files => ({
    'issuers.yaml': caBootstrap(),
    'agent.yaml': certificate('otel-agent') + collector({ name: 'otel-agent', tls: ['reload_interval: 1h'], exporters: `      otlp/gateway:\n        endpoint: ${agentExportsTo}:4317\n        tls:\n          ca_file: /etc/otel/certs/ca.crt\n` }),
    'gateway.yaml': certificate('otel-gateway') + collector({ name: 'otel-gateway', tls: ['reload_interval: 1h'] }),
    'app.yaml': app({ host: appHost, secret: 'otel-agent-tls' }),
  });

  it('the app dials the agent\'s Service and the agent the gateway\'s: each is judged against its own collector only', () => {
    const w = workspace(layout(`otel-agent.${NS}.svc`, `otel-gateway.${NS}.svc`));
    // Judged against the agent only: its Certificate holds the name, so nothing but the CA's rotation.
    assert.deepEqual(w.found('app.yaml'), ['ca-rotation@/etc/app/tls/ca.crt']);
    assert.deepEqual(w.found('agent.yaml'), ['mtls-not-enforced@tls', 'ca-rotation@/etc/otel/certs/ca.crt']);
    assert.deepEqual(w.found('gateway.yaml'), ['mtls-not-enforced@tls']);
  });

  it('a name one Certificate lacks is said about that collector alone, never "one of 2"', () => {
    const w = workspace(layout('otel-agent', 'otel-gateway'));
    assert.deepEqual(w.found('app.yaml'), ['san-mismatch@https://otel-agent:4317', 'ca-rotation@/etc/app/tls/ca.crt']);
    const san = w.problems('app.yaml')[0];
    assert.doesNotMatch(san.message, /one of 2/);
    assert.match(san.message, /in ConfigMap observability\/otel-agent-config data\.config\.yaml \(\/w\/agent\.yaml\) \(through Service observability\/otel-agent, port 4317 → 4317\)/);
    assert.deepEqual(w.found('agent.yaml'), ['mtls-not-enforced@tls', 'san-mismatch@otel-gateway:4317', 'ca-rotation@/etc/otel/certs/ca.crt']);
    assert.match(w.problems('agent.yaml')[1].message, /through Service observability\/otel-gateway, port 4317 → 4317/);
  });

  it('a host that names no Service of the workspace falls back to the port: both listeners, each named', () => {
    const w = workspace(layout('collector.example.com', `otel-gateway.${NS}.svc`));
    // One problem for the one cause (causes.ts): the first listener's message, the other listener among its related locations.
    const sans = w.problems('app.yaml').filter((p) => p.code === 'san-mismatch');
    assert.equal(sans.length, 1);
    assert.match(sans[0].message, /one of 2 listeners on port 4317/);
    assert.deepEqual(sans[0].related?.map((r) => r.path).sort(), ['/w/agent.yaml', '/w/gateway.yaml']);
  });

  it('a Service port that leads nowhere: no-listener says which Service and why', () => {
    const files = { ...layout(`otel-agent.${NS}.svc`, `otel-gateway.${NS}.svc`), 'app.yaml': app({ host: `otel-agent.${NS}.svc`, port: 4320, secret: 'otel-agent-tls' }) };
    const v = workspace(files);
    assert.deepEqual(v.found('app.yaml'), ['no-listener@https://otel-agent.observability.svc:4320', 'ca-rotation@/etc/app/tls/ca.crt']);
    assert.match(v.problems('app.yaml')[0].message, /otel-agent\.observability\.svc names Service observability\/otel-agent, where it has no port 4320 \(its ports: 4317\)/);
  });
});

describe("the operator's and the chart's Services", () => {
  const otelcol = `apiVersion: opentelemetry.io/v1beta1
kind: OpenTelemetryCollector
metadata:
  name: simplest
  namespace: ${NS}
spec:
  volumeMounts:
    - name: certs
      mountPath: /certs
  volumes:
    - name: certs
      secret:
        secretName: simplest-tls
  config:
    receivers:
      otlp:
        protocols:
          http:
            endpoint: 0.0.0.0:4318
            tls:
              cert_file: /certs/tls.crt
              key_file: /certs/tls.key
              reload_interval: 1h
    exporters:
      debug: {}
    service:
      pipelines:
        traces:
          receivers: [otlp]
          exporters: [debug]
`;
  const cert = (names: string) => `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: simplest\n  namespace: ${NS}\nspec:\n  secretName: simplest-tls\n  issuerRef:\n    name: internal-ca\n    kind: ClusterIssuer\n  dnsNames: [${names}]\n`;
  const instrumentation = (endpoint: string) => `apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata:\n  name: java\n  namespace: ${NS}\nspec:\n  exporter:\n    endpoint: ${endpoint}\n    tls:\n      secretName: simplest-tls\n      ca_file: ca.crt\n  env:\n    - name: OTEL_EXPORTER_OTLP_PROTOCOL\n      value: http/protobuf\n`;

  it('an Instrumentation dials the operator\'s <name>-collector Service; its ca_file is ca.crt of the Secret the operator mounts', () => {
    const good = workspace({ 'issuers.yaml': caBootstrap(), 'cert.yaml': cert('simplest-collector'), 'collector.yaml': otelcol, 'instr.yaml': instrumentation('https://simplest-collector:4318') });
    assert.deepEqual(good.found('collector.yaml'), ['mtls-not-enforced@tls']);
    assert.deepEqual(good.found('instr.yaml'), ['ca-rotation@ca.crt']);
    const bad = workspace({ 'issuers.yaml': caBootstrap(), 'cert.yaml': cert(`simplest-collector.${NS}.svc`), 'collector.yaml': otelcol, 'instr.yaml': instrumentation('https://simplest-collector:4318') });
    assert.deepEqual(bad.found('instr.yaml'), ['san-mismatch@https://simplest-collector:4318', 'ca-rotation@ca.crt']);
    assert.match(bad.problems('instr.yaml')[0].message, /through Service observability\/simplest-collector \(made by the operator for OpenTelemetryCollector observability\/simplest\)/);
  });

  it('Helm values with extraVolumes of a Certificate\'s Secret: reload-not-configured on the chart\'s receiver, and the release Service pairs', () => {
    const values = `mode: deployment
extraVolumes:
  - name: certs
    secret:
      secretName: simplest-tls
extraVolumeMounts:
  - name: certs
    mountPath: /etc/otel/certs
config:
  receivers:
    otlp:
      protocols:
        grpc:
          endpoint: \${env:MY_POD_IP}:4317
          tls:
            cert_file: /etc/otel/certs/tls.crt
            key_file: /etc/otel/certs/tls.key
`;
    const w = workspace({ 'issuers.yaml': caBootstrap(), 'cert.yaml': cert(`otel-opentelemetry-collector.${NS}.svc`), 'values.yaml': values, 'app.yaml': app({ host: `otel-opentelemetry-collector.${NS}.svc`, secret: 'simplest-tls' }) });
    assert.deepEqual(w.found('values.yaml'), ['mtls-not-enforced@tls', 'reload-not-configured@/etc/otel/certs/tls.crt']);
    assert.deepEqual(w.found('app.yaml'), ['ca-rotation@/etc/app/tls/ca.crt']);
  });
});

describe('hover and document links on a Secret-backed path', () => {
  it('the collector\'s cert_file: which Certificate, its names, usages, issuer and renewal; the link opens the Certificate\'s line', () => {
    const files = article(`otel-collector.${NS}.svc`);
    const w = workspace(files);
    const document = w.document('collector.yaml');
    const offset = files['collector.yaml'].indexOf('/etc/otel/certs/tls.crt') + 3;
    const hover = w.service.getHover(document, document.positionAt(offset), { path: '/w/collector.yaml', parsed: w.parsedOf('collector.yaml') });
    const text = (hover?.contents as { value: string }).value;
    assert.match(text, /Key `tls\.crt` of Secret `otel-collector-tls`, written by cert-manager for \*\*Certificate observability\/otel-collector-cert\*\* \(Secret otel-collector-tls mounted at \/etc\/otel\/certs\)/);
    assert.match(text, /\| Names \(SANs\) \| DNS:otel-collector\.observability\.svc, DNS:otel-collector\.observability\.svc\.cluster\.local \(CN otel-collector\.observability\.svc, not a SAN\) \|/);
    assert.match(text, /\| Usages \| digital signature, key encipherment \(the default\); extended key usage: none \(any\) \|/);
    assert.match(text, /\| Issuer \| ClusterIssuer internal-ca \(CA issuer, CA Secret \(the cluster resource namespace\)\/internal-ca of Certificate cert-manager\/internal-ca\) \|/);
    assert.match(text, /renewed every 75 days, 15 days before it expires/);
    assert.match(text, /The certificate as cert-manager will issue it \(what the checks judge\):/);
    const links = w.service.getDocumentLinks(document, { path: '/w/collector.yaml', parsed: w.parsedOf('collector.yaml') });
    const line = files['collector.yaml'].split('\n').findIndex((l) => l.startsWith('apiVersion: cert-manager.io/v1')) + 1;
    assert.deepEqual([...new Set(links.map((l) => l.target))], [`file:///w/collector.yaml#L${line}`]);
  });

  it('a key of a Secret manifest links to its key; an Instrumentation\'s operator mount resolves the same way', () => {
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: client-certs\n  namespace: ${NS}\nstringData:\n  ca.crt: |\n${root.pem.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}\n`;
    const instr = `apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata:\n  name: java\n  namespace: ${NS}\nspec:\n  exporter:\n    endpoint: https://collector.example.com:4318\n    tls:\n      secretName: client-certs\n      ca_file: ca.crt\n`;
    const w = workspace({ 'secret.yaml': secret, 'instr.yaml': instr });
    const document = w.document('instr.yaml');
    const links = w.service.getDocumentLinks(document, { path: '/w/instr.yaml', parsed: w.parsedOf('instr.yaml') });
    assert.deepEqual(links.map((l) => l.target), ['file:///w/secret.yaml#L7']);
    const hover = w.service.getHover(document, document.positionAt(instr.indexOf('ca.crt') + 2), { path: '/w/instr.yaml', parsed: w.parsedOf('instr.yaml') });
    assert.match((hover?.contents as { value: string }).value, /Key `ca\.crt` of Secret `observability\/client-certs` \(Secret client-certs mounted at \/otel-auto-instrumentation-secret-client-certs\), as its manifest holds it/);
  });
});

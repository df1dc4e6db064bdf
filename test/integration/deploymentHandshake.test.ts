/**
 * Issue 10, end to end: app settings from a Deployment, the collector config from a ConfigMap, the
 * certificates on disk through path mappings (made at test time). The checker runs on the manifests
 * as the CLI does (`checkFiles`, nodeRuntime, one workspace); then a real TLS server is started as the
 * ConfigMap's receiver says (its cert_file, key_file, client_ca_file, read out of the manifest and
 * mapped) and a real client connects as the Deployment's env says (endpoint host as the server name,
 * CERTIFICATE, CLIENT_CERTIFICATE/KEY): Node's `tls`, and Go's crypto/tls through the Go peer of
 * test/integration/fixtures/tlspeer.go (`pair`) when Go is installed. The checker's verdict (an error or none)
 * must be the handshake's outcome, for the passing case and each failing one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { checkFiles } from '../../server/src/cli/checkCommand';
import type { FileDiagnostic } from '../../server/src/cli/formatters';
import { applyPathMappings } from '../../server/src/service/certificates/certificateFiles';
import { defaultSettings, pathMapping, type Settings } from '../../server/src/service/settings';
import { client, server, type Issued } from '../support/certificates';
import { clusterScene, freePort, goHandshake, nodeHandshake, type ClientFiles, type ReceiverFiles } from '../support/fileHandshake';

const scene = clusterScene('otlp-k8s-handshake-');

interface Case {
  /** SANs of the collector's server certificate. */
  serverNames: string[];
  /** The host the Deployment's endpoint names. */
  host: string;
  /** The CA the app trusts (OTEL_EXPORTER_OTLP_CERTIFICATE). */
  appTrusts: Issued;
  /** The app presents a client certificate (the receiver requires one: client_ca_file). */
  clientCert: boolean;
}

let counter = 0;

/** Writes the certificates, the ConfigMap and the Deployment; returns their folder, port and mappings. */
async function writeScenario(c: Case): Promise<{ dir: string; port: number; settings: Settings }> {
  const dir = join(scene.tmp, `case${++counter}`);
  const certs = join(dir, 'certs');
  mkdirSync(certs, { recursive: true });
  const srv = await server(scene.root, c.serverNames);
  const cli = await client(scene.root, 'checkout');
  writeFileSync(join(certs, 'tls.crt'), srv.pem);
  writeFileSync(join(certs, 'tls.key'), srv.keyPem, { mode: 0o600 });
  writeFileSync(join(certs, 'ca.crt'), scene.root.pem);
  writeFileSync(join(certs, 'app-ca.crt'), c.appTrusts.pem);
  writeFileSync(join(certs, 'client.crt'), cli.pem);
  writeFileSync(join(certs, 'client.key'), cli.keyPem, { mode: 0o600 });
  const port = await freePort();
  mkdirSync(join(dir, 'k8s'));
  writeFileSync(
    join(dir, 'k8s', 'collector.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: otel-gateway\n  namespace: observability\ndata:\n  relay: |\n    receivers:\n      otlp:\n        protocols:\n          grpc:\n            endpoint: 0.0.0.0:${port}\n            tls:\n              cert_file: /etc/otel/tls/tls.crt\n              key_file: /etc/otel/tls/tls.key\n              client_ca_file: /etc/otel/tls/ca.crt\n    exporters:\n      debug: {}\n    service:\n      pipelines:\n        traces:\n          receivers: [otlp]\n          exporters: [debug]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: otel-gateway\n  namespace: observability\nspec:\n  template:\n    spec:\n      containers:\n        - name: otelcol\n          image: otel/opentelemetry-collector-k8s\n          args: ["--config=/conf/relay.yaml"]\n          volumeMounts:\n            - {name: config, mountPath: /conf}\n            - {name: tls, mountPath: /etc/otel/tls, readOnly: true}\n      volumes:\n        - name: config\n          configMap:\n            name: otel-gateway\n            items: [{key: relay, path: relay.yaml}]\n        - name: tls\n          secret:\n            secretName: otel-gateway-tls\n`,
  );
  const clientEnv = c.clientCert
    ? `            - name: OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE\n              value: /etc/app/tls/client.crt\n            - name: OTEL_EXPORTER_OTLP_CLIENT_KEY\n              value: /etc/app/tls/client.key\n`
    : '';
  writeFileSync(
    join(dir, 'k8s', 'checkout.yaml'),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: shop/checkout:1.0.0\n          env:\n            - name: COLLECTOR_HOST\n              value: ${c.host}\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: https://$(COLLECTOR_HOST):${port}\n            - name: OTEL_EXPORTER_OTLP_PROTOCOL\n              value: grpc\n            - name: OTEL_EXPORTER_OTLP_CERTIFICATE\n              value: /etc/app/tls/app-ca.crt\n${clientEnv}          volumeMounts:\n            - {name: otel-tls, mountPath: /etc/app/tls, readOnly: true}\n      volumes:\n        - name: otel-tls\n          secret:\n            secretName: checkout-otel-tls\n`,
  );
  const settings: Settings = {
    ...defaultSettings,
    workspaceRoots: [dir],
    pathMappings: [pathMapping('/etc/otel/tls', certs, dir), pathMapping('/etc/app/tls', certs, dir)],
  };
  return { dir, port, settings };
}

/** The receiver's TLS as the ConfigMap says, its paths mapped to the local folder. */
function receiverTls(dir: string, settings: Settings): ReceiverFiles {
  const docs = parseAllDocuments(readFileSync(join(dir, 'k8s', 'collector.yaml'), 'utf8')).map((d) => d.toJS());
  const configMap = docs.find((d) => d.kind === 'ConfigMap');
  const relay = parseYaml(configMap.data.relay);
  const t = relay.receivers.otlp.protocols.grpc.tls;
  const local = (p: string) => applyPathMappings(p, settings);
  return { cert: local(t.cert_file), key: local(t.key_file), ...(t.client_ca_file ? { clientCa: local(t.client_ca_file) } : {}) };
}

/** The client as the Deployment's env says: $(VAR) expanded from the earlier entry, paths mapped. */
function appClient(dir: string, settings: Settings): ClientFiles {
  const deployment = parseYaml(readFileSync(join(dir, 'k8s', 'checkout.yaml'), 'utf8'));
  const env: { name: string; value: string }[] = deployment.spec.template.spec.containers[0].env;
  const values = new Map<string, string>();
  for (const e of env) values.set(e.name, e.value.replace(/\$\(([^)]+)\)/g, (whole, name: string) => values.get(name) ?? whole));
  const endpoint = new URL(values.get('OTEL_EXPORTER_OTLP_ENDPOINT')!);
  const local = (name: string) => (values.has(name) ? applyPathMappings(values.get(name)!, settings) : undefined);
  return { host: endpoint.hostname, ca: local('OTEL_EXPORTER_OTLP_CERTIFICATE'), cert: local('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'), key: local('OTEL_EXPORTER_OTLP_CLIENT_KEY') };
}

/** Checks the manifests, runs the handshakes, asserts agreement; returns the checker's diagnostics. */
async function agree(c: Case, expected: string | undefined, t: { diagnostic(message: string): void }): Promise<FileDiagnostic[]> {
  const { dir, settings } = await writeScenario(c);
  const files = [join(dir, 'k8s', 'checkout.yaml'), join(dir, 'k8s', 'collector.yaml')];
  const diagnostics = checkFiles(files, nodeRuntime(), settings);
  const errors = diagnostics.filter((d) => d.diagnostic.severity === 1);
  const receiver = receiverTls(dir, settings);
  const app = appClient(dir, settings);
  const node = await nodeHandshake(receiver, app);
  const go = goHandshake(scene.goPeer, dir, receiver, app);
  const info = `checker: ${JSON.stringify(diagnostics.map((d) => `${d.file.split('/').pop()} ${d.diagnostic.code}: ${d.diagnostic.message}`), null, 1)}\nnode: ${node.detail}\ngo: ${go?.detail ?? 'not run (no Go)'}`;
  if (!go) t.diagnostic('Go is not installed: the checker is compared with Node only');
  if (expected) assert.deepEqual(errors.map((d) => d.diagnostic.code), [expected], info);
  else assert.deepEqual(errors, [], info);
  assert.equal(node.ok, errors.length === 0, `checker and Node disagree\n${info}`);
  if (go) assert.equal(go.ok, errors.length === 0, `checker and Go disagree\n${info}`);
  return diagnostics;
}

describe('Deployment → ConfigMap collector, certificates through path mappings: the verdict is the handshake\'s', () => {
  it('mTLS with the host the certificate covers: no error, and both handshakes succeed', async (t) => {
    const diagnostics = await agree({ serverNames: ['otel-collector.observability.svc'], host: 'otel-collector.observability.svc', appTrusts: scene.root, clientCert: true }, undefined, t);
    // Nothing else either: the files are found through the mappings, the receiver requires client certificates.
    assert.deepEqual(diagnostics.map((d) => d.diagnostic.code), []);
  });

  it('a host the certificate does not cover (the short Service name): san-mismatch on the Deployment\'s endpoint, both handshakes fail', async (t) => {
    const diagnostics = await agree({ serverNames: ['otel-collector.observability.svc'], host: 'otel-collector', appTrusts: scene.root, clientCert: true }, 'san-mismatch', t);
    const [san] = diagnostics;
    assert.match(san.file, /checkout\.yaml$/);
    assert.match(String(san.diagnostic.message), /^container app of Deployment shop\/checkout: /);
    // On the endpoint's value line (env[1]), its related location the receiver in the ConfigMap.
    assert.equal(san.diagnostic.range.start.line, 15);
    assert.match(san.diagnostic.relatedInformation?.[0].location.uri ?? '', /collector\.yaml$/);
  });

  it('the app trusts another CA: unknown-authority, both handshakes fail', async (t) => {
    await agree({ serverNames: ['otel-collector.observability.svc'], host: 'otel-collector.observability.svc', appTrusts: scene.other, clientCert: true }, 'unknown-authority', t);
  });

  it('no client certificate against client_ca_file: missing-client-cert, both handshakes fail', async (t) => {
    await agree({ serverNames: ['otel-collector.observability.svc'], host: 'otel-collector.observability.svc', appTrusts: scene.root, clientCert: false }, 'missing-client-cert', t);
  });
});

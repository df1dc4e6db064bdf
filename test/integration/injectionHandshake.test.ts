/**
 * The operator's injection, end to end: a Deployment annotated instrumentation.opentelemetry.io/inject-nodejs
 * (its container sets nothing, or overrides one variable), the Instrumentation it names in another file
 * (spec.exporter.endpoint and tls: a Secret of client certificates and a ConfigMap of the CA, which the operator
 * mounts at /otel-auto-instrumentation-secret-<name> and -configmap-<name>), the collector config in a ConfigMap;
 * certificates made at test time and found through path mappings. The checker runs as the CLI does; then real
 * handshakes run with the client configured as the operator configures the pod (docs/facts/operator.md §2.1,
 * §2.4: the container's env, then spec.env, then the exporter fields, each only if not set yet): Node's `tls` (the
 * JS SDK that inject-nodejs names) and Go's crypto/tls through test/integration/fixtures/tlspeer.go. The checker's
 * verdict (an error or none) must be each handshake's outcome.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { checkFiles } from '../../server/src/cli/checkCommand';
import type { FileDiagnostic } from '../../server/src/cli/formatters';
import { applyPathMappings } from '../../server/src/service/certificates/certificateFiles';
import { defaultSettings, pathMapping, type Settings } from '../../server/src/service/settings';
import { client, server, type Issued } from '../support/certificates';
import { clusterScene, freePort, goHandshake, nodeHandshake, type ClientFiles, type ReceiverFiles } from '../support/fileHandshake';

const scene = clusterScene('otlp-injection-handshake-');

interface Case {
  /** SANs of the collector's server certificate. */
  serverNames: string[];
  /** The host the Instrumentation's endpoint names. */
  host: string;
  /** The Instrumentation gives a client certificate (tls.cert_file and key_file of its Secret). */
  clientCert: boolean;
  /** The container's own OTEL_EXPORTER_OTLP_CERTIFICATE (the operator then does not inject the Instrumentation's). */
  containerCa?: Issued;
}

let counter = 0;

async function writeScenario(c: Case): Promise<{ dir: string; settings: Settings }> {
  const dir = join(scene.tmp, `case${++counter}`);
  const collectorCerts = join(dir, 'collector-certs');
  const caDir = join(dir, 'ca-configmap');
  const clientDir = join(dir, 'client-secret');
  const appDir = join(dir, 'app-certs');
  for (const d of [collectorCerts, caDir, clientDir, appDir]) mkdirSync(d, { recursive: true });
  const srv = await server(scene.root, c.serverNames);
  const cli = await client(scene.root, 'checkout');
  writeFileSync(join(collectorCerts, 'tls.crt'), srv.pem);
  writeFileSync(join(collectorCerts, 'tls.key'), srv.keyPem, { mode: 0o600 });
  writeFileSync(join(collectorCerts, 'ca.crt'), scene.root.pem);
  writeFileSync(join(caDir, 'ca.crt'), scene.root.pem);
  writeFileSync(join(clientDir, 'tls.crt'), cli.pem);
  writeFileSync(join(clientDir, 'tls.key'), cli.keyPem, { mode: 0o600 });
  if (c.containerCa) writeFileSync(join(appDir, 'ca.crt'), c.containerCa.pem);
  const port = await freePort();
  mkdirSync(join(dir, 'k8s'));
  writeFileSync(
    join(dir, 'k8s', 'collector.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: otel-gateway\n  namespace: shop\ndata:\n  relay: |\n    receivers:\n      otlp:\n        protocols:\n          grpc:\n            endpoint: 0.0.0.0:${port}\n            tls:\n              cert_file: /etc/otel/tls/tls.crt\n              key_file: /etc/otel/tls/tls.key\n              client_ca_file: /etc/otel/tls/ca.crt\n    exporters:\n      debug: {}\n    service:\n      pipelines:\n        traces:\n          receivers: [otlp]\n          exporters: [debug]\n`,
  );
  const clientTls = c.clientCert ? '      cert_file: tls.crt\n      key_file: tls.key\n' : '';
  writeFileSync(
    join(dir, 'k8s', 'instrumentation.yaml'),
    `apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata:\n  name: nodejs\n  namespace: shop\nspec:\n  exporter:\n    endpoint: https://${c.host}:${port}\n    tls:\n      secretName: client-certs\n      configMapName: ca\n      ca_file: ca.crt\n${clientTls}  env:\n    - name: OTEL_EXPORTER_OTLP_PROTOCOL\n      value: grpc\n`,
  );
  const env = c.containerCa ? `          env:\n            - name: OTEL_EXPORTER_OTLP_CERTIFICATE\n              value: /etc/app/tls/ca.crt\n          volumeMounts:\n            - {name: app-tls, mountPath: /etc/app/tls, readOnly: true}\n      volumes:\n        - name: app-tls\n          secret:\n            secretName: app-tls\n` : '';
  writeFileSync(
    join(dir, 'k8s', 'checkout.yaml'),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  namespace: shop\nspec:\n  template:\n    metadata:\n      annotations:\n        instrumentation.opentelemetry.io/inject-nodejs: "nodejs"\n    spec:\n      containers:\n        - name: app\n          image: shop/checkout:1.0.0\n${env}`,
  );
  const settings: Settings = {
    ...defaultSettings,
    workspaceRoots: [dir],
    pathMappings: [
      pathMapping('/etc/otel/tls', collectorCerts, dir),
      pathMapping('/otel-auto-instrumentation-configmap-ca', caDir, dir),
      pathMapping('/otel-auto-instrumentation-secret-client-certs', clientDir, dir),
      pathMapping('/etc/app/tls', appDir, dir),
    ],
  };
  return { dir, settings };
}

/** The receiver's TLS as the ConfigMap says, its paths mapped to the local folders. */
function receiverTls(dir: string, settings: Settings): ReceiverFiles {
  const configMap = parseAllDocuments(readFileSync(join(dir, 'k8s', 'collector.yaml'), 'utf8')).map((d) => d.toJS())[0];
  const t = parseYaml(configMap.data.relay).receivers.otlp.protocols.grpc.tls;
  const local = (p: string) => applyPathMappings(p, settings);
  return { cert: local(t.cert_file), key: local(t.key_file), ...(t.client_ca_file ? { clientCa: local(t.client_ca_file) } : {}) };
}

/**
 * The client as the operator configures the pod: the container's env, then the Instrumentation's spec.env, then
 * what configureExporter derives from spec.exporter (exporter.go), each only if the name is not set yet.
 */
function appClient(dir: string, settings: Settings): ClientFiles {
  const container = parseYaml(readFileSync(join(dir, 'k8s', 'checkout.yaml'), 'utf8')).spec.template.spec.containers[0];
  const spec = parseYaml(readFileSync(join(dir, 'k8s', 'instrumentation.yaml'), 'utf8')).spec;
  const env = new Map<string, string>();
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && !env.has(name)) env.set(name, value);
  };
  for (const e of container.env ?? []) add(e.name, e.value);
  for (const e of spec.env ?? []) add(e.name, e.value);
  const t = spec.exporter.tls;
  const inSecret = (f?: string) => (f === undefined ? undefined : isAbsolute(f) ? f : `/otel-auto-instrumentation-secret-${t.secretName}/${f}`);
  add('OTEL_EXPORTER_OTLP_ENDPOINT', spec.exporter.endpoint);
  add('OTEL_EXPORTER_OTLP_CERTIFICATE', t.ca_file === undefined ? undefined : isAbsolute(t.ca_file) ? t.ca_file : t.configMapName ? `/otel-auto-instrumentation-configmap-${t.configMapName}/${t.ca_file}` : inSecret(t.ca_file));
  add('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', inSecret(t.cert_file));
  add('OTEL_EXPORTER_OTLP_CLIENT_KEY', inSecret(t.key_file));
  const local = (name: string) => (env.has(name) ? applyPathMappings(env.get(name)!, settings) : undefined);
  return { host: new URL(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')!).hostname, ca: local('OTEL_EXPORTER_OTLP_CERTIFICATE'), cert: local('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'), key: local('OTEL_EXPORTER_OTLP_CLIENT_KEY') };
}

/** Checks the manifests, runs the handshakes, asserts agreement; returns the checker's diagnostics. */
async function agree(c: Case, expected: string | undefined, t: { diagnostic(message: string): void }): Promise<FileDiagnostic[]> {
  const { dir, settings } = await writeScenario(c);
  const files = ['checkout.yaml', 'instrumentation.yaml', 'collector.yaml'].map((f) => join(dir, 'k8s', f));
  const diagnostics = checkFiles(files, nodeRuntime(), settings);
  const errors = diagnostics.filter((d) => d.diagnostic.severity === 1);
  const receiver = receiverTls(dir, settings);
  const app = appClient(dir, settings);
  const node = await nodeHandshake(receiver, app);
  const go = goHandshake(scene.goPeer, dir, receiver, app);
  const info = `checker: ${JSON.stringify(diagnostics.map((d) => `${d.file.split('/').pop()} ${d.diagnostic.code}: ${d.diagnostic.message}`), null, 1)}\nnode: ${node.detail}\ngo: ${go?.detail ?? 'not run (no Go)'}`;
  if (!go) t.diagnostic('Go is not installed: the checker is compared with Node only');
  if (expected) assert.deepEqual(errors.map((d) => `${d.file.split('/').pop()} ${d.diagnostic.code}`), [expected], info);
  else assert.deepEqual(errors, [], info);
  assert.equal(node.ok, errors.length === 0, `checker and Node disagree\n${info}`);
  if (go) assert.equal(go.ok, errors.length === 0, `checker and Go disagree\n${info}`);
  return diagnostics;
}

const NAMES = ['otel-gateway.shop.svc'];

describe('a pod the operator instruments (inject-nodejs), its Instrumentation in another file: the verdict is the handshake\'s', () => {
  it('mTLS with the host the certificate covers: no diagnostic at all, both handshakes succeed', async (t) => {
    const diagnostics = await agree({ serverNames: NAMES, host: 'otel-gateway.shop.svc', clientCert: true }, undefined, t);
    assert.deepEqual(diagnostics.map((d) => d.diagnostic.code), []);
  });

  it('a host the certificate does not cover: san-mismatch, said once on the Instrumentation\'s endpoint, both handshakes fail', async (t) => {
    const diagnostics = await agree({ serverNames: NAMES, host: 'otel-gateway', clientCert: true }, 'instrumentation.yaml san-mismatch', t);
    assert.deepEqual(diagnostics.map((d) => `${d.file.split('/').pop()}:${d.diagnostic.range.start.line + 1} ${d.diagnostic.code}`), ['instrumentation.yaml:8 san-mismatch']);
  });

  it("the container's own CA wins over the Instrumentation's (another CA): unknown-authority on the container's env, both handshakes fail", async (t) => {
    const diagnostics = await agree({ serverNames: NAMES, host: 'otel-gateway.shop.svc', clientCert: true, containerCa: scene.other }, 'checkout.yaml unknown-authority', t);
    assert.match(String(diagnostics[0].diagnostic.message), /^container app of Deployment shop\/checkout \(inject-nodejs: Instrumentation shop\/nodejs\): /);
  });

  it('no client certificate in the Instrumentation against client_ca_file: missing-client-cert, both handshakes fail', async (t) => {
    await agree({ serverNames: NAMES, host: 'otel-gateway.shop.svc', clientCert: false }, 'instrumentation.yaml missing-client-cert', t);
  });
});

/**
 * Issue 11 through the real sources: manifests on disk (cert-manager Issuers and Certificates, the
 * collector's ConfigMap, Deployment and Service, the app's Deployment), no PEM file, the checker run on
 * them as the CLI runs it (nodeRuntime, a workspace index). Every path in a container resolves through the
 * pod's volumes to the Secret key a Certificate writes; the app's endpoint pairs through the Service.
 * The checker's verdict is compared with real handshakes between peers configured as the manifests say,
 * their certificates and keys built independently with openssl from the same manifests
 * (test/support/certManagerPki.ts): a Go server configured as configtls configures crypto/tls, a Go client
 * and a Node client (test/support/handshakeHarness.ts); for the Java client, the JDK loading tls.key the
 * way the Java SDK does (fixtures/KeyLoad.java).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCertManagerPki } from '../support/certManagerPki';
import { checkWorkspace, cleanupHarness, errorsOf, GO_MISSING, GO_VERSION, runCase } from '../support/handshakeHarness';
import { NS, app, articleCertificate, caBootstrap, certificate, collector } from '../support/clusterManifests';
import { ARTICLE_MISMATCH_HOST } from '../support/articleCertificates';
import { AS_FILES, NODE_ENV, app as articleApp, deployment, projected } from '../support/articleManifests';
import { ROOT } from '../support/lspClient';
import type { Problem } from '../../server/src/service/languageTypes';

const dir = mkdtempSync(join(tmpdir(), 'otlp-certmanager-sources-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupHarness();
});

let count = 0;

interface Scenario {
  /** The manifests, by file name. */
  files: Record<string, string>;
  /** The host the app dials (for the real handshake: what the client verifies). */
  host: string;
  /** The Secrets (namespace/name) as the pods mount them. */
  server: string;
  trust: string;
  client?: string;
  /** The receiver requires client certificates with this Secret's ca.crt. */
  clientCa?: string;
}

/** The checker on the manifests on disk: each file's problems, prefixed with the file name. */
function checkManifests(files: Record<string, string>): { root: string; problems: Problem[] } {
  const root = join(dir, `w${++count}`);
  mkdirSync(root);
  const paths = Object.entries(files).map(([name, text]) => {
    const path = join(root, name);
    writeFileSync(path, text);
    return path;
  });
  return { root, problems: checkWorkspace(paths, { workspaceRoots: [root] }) };
}

/** The error codes the checker says about the app's handshake (its file's errors), sorted. */
function appErrors(problems: Problem[]): string[] {
  return [...new Set(errorsOf(problems).filter((p) => p.message.startsWith('app.yaml:')).map((p) => p.code))].sort();
}

async function agree(s: Scenario) {
  const { root, problems } = checkManifests(s.files);
  const secrets = buildCertManagerPki(Object.values(s.files).join('---\n'), join(root, 'pki'));
  const get = (name: string) => {
    const secret = secrets.get(name);
    assert.ok(secret, `openssl built ${name}: ${[...secrets.keys()].join(', ')}`);
    return secret;
  };
  const server = get(s.server);
  const client = s.client ? get(s.client) : undefined;
  const run = await runCase({
    certFile: readFileSync(server.tlsCrt, 'utf8'),
    keyFile: readFileSync(server.tlsKey, 'utf8'),
    host: s.host,
    trustFile: readFileSync(get(s.trust).caCrt!, 'utf8'),
    ...(s.clientCa ? { clientCaFile: readFileSync(get(s.clientCa).caCrt!, 'utf8') } : {}),
    ...(client ? { clientCertFile: readFileSync(client.tlsCrt, 'utf8'), clientKeyFile: readFileSync(client.tlsKey, 'utf8') } : {}),
  });
  // The checker on the openssl files themselves (collector.yaml and app.env of the harness).
  const files = [...new Set(errorsOf(run.unnamed).filter((p) => p.message.startsWith('app.env:')).map((p) => p.code))].sort();
  return { sources: appErrors(problems), problems, files, go: run.go?.ok, node: run.node?.ok };
}

const FORMS = ['otel-collector', `otel-collector.${NS}`, `otel-collector.${NS}.svc`, `otel-collector.${NS}.svc.cluster.local`];

/** The article's set-up: the CA bootstrap, the collector's Certificate, its ConfigMap, Deployment and Service, an app in the same namespace. */
function layout(host: string, options: { collectorCertificate?: string; appSecret?: string; mtls?: boolean; extra?: string; collectorTls?: string[] } = {}): Record<string, string> {
  return {
    'issuers.yaml': caBootstrap() + (options.extra ?? ''),
    'collector.yaml': `${options.collectorCertificate ?? articleCertificate()}---\n${collector({ secret: 'otel-collector-tls', tls: ['reload_interval: 1h', ...(options.collectorTls ?? [])] })}`,
    'app.yaml': app({ host, ...(options.appSecret ? { secret: options.appSecret } : {}), ...(options.mtls ? { mtls: true } : {}) }),
  };
}

describe('cert-manager manifests through the real sources: the checker\'s verdict matches real handshakes', { skip: GO_VERSION ? false : GO_MISSING }, () => {
  for (const host of FORMS) {
    const covered = host.endsWith('.svc') || host.endsWith('.cluster.local');
    it(`the article's Certificate (svc, svc.cluster.local), the app dialling ${host}:4317 through the Service: ${covered ? 'covered' : 'san-mismatch'}`, { timeout: 120_000 }, async () => {
      const r = await agree({ files: layout(host), host, server: `${NS}/otel-collector-tls`, trust: `${NS}/otel-collector-tls` });
      assert.deepEqual(r.sources, covered ? [] : ['san-mismatch'], JSON.stringify(r.problems.map((p) => p.message), null, 1));
      assert.deepEqual(r.files, r.sources, 'the same verdict as on the openssl-made files');
      assert.equal(r.go, covered, 'Go client');
      assert.equal(r.node, covered, 'Node client');
      // The pairing went through the Service.
      if (!covered) assert.match(r.problems.find((p) => p.code === 'san-mismatch')!.message, /through Service observability\/otel-collector, port 4317 → 4317/);
    });
  }

  for (const host of FORMS.slice(0, 2)) {
    it(`a Certificate whose dnsNames hold the short forms, dialled as ${host}: covered`, { timeout: 120_000 }, async () => {
      const cert = certificate('otel-collector-cert', { dnsNames: [FORMS[0], FORMS[1]] }).replace('secretName: otel-collector-cert-tls', 'secretName: otel-collector-tls');
      const r = await agree({ files: layout(host, { collectorCertificate: cert }), host, server: `${NS}/otel-collector-tls`, trust: `${NS}/otel-collector-tls` });
      assert.deepEqual(r.sources, []);
      assert.deepEqual(r.files, []);
      assert.equal(r.go, true);
      assert.equal(r.node, true);
    });
  }

  it('server usage missing: the collector\'s Certificate has usages [digital signature, key encipherment, client auth]', { timeout: 120_000 }, async () => {
    const host = FORMS[2];
    const r = await agree({ files: layout(host, { collectorCertificate: articleCertificate('  usages: [digital signature, key encipherment, client auth]\n') }), host, server: `${NS}/otel-collector-tls`, trust: `${NS}/otel-collector-tls` });
    assert.deepEqual(r.sources, ['missing-eku']);
    assert.deepEqual(r.files, r.sources);
    assert.equal(r.go, false);
    assert.equal(r.node, false);
    // The collector's own cert_file check says it too, on its manifest.
    assert.ok(r.problems.some((p) => p.code === 'missing-eku' && p.message.startsWith('collector.yaml:')));
  });

  it('mTLS with cert-manager\'s default usages on both sides: the handshake succeeds and nothing is said', { timeout: 120_000 }, async () => {
    const host = FORMS[2];
    const files = layout(host, { appSecret: 'app-tls', mtls: true, extra: `---\n${certificate('app', { commonName: 'app' })}`, collectorTls: ['client_ca_file: /etc/otel/certs/ca.crt'] });
    const r = await agree({ files, host, server: `${NS}/otel-collector-tls`, trust: `${NS}/app-tls`, client: `${NS}/app-tls`, clientCa: `${NS}/otel-collector-tls` });
    assert.deepEqual(r.sources, []);
    assert.deepEqual(r.files, []);
    assert.equal(r.go, true);
    assert.equal(r.node, true);
  });

  it('client usage missing under mTLS: the app\'s Certificate has usages [digital signature, server auth]', { timeout: 120_000 }, async () => {
    const host = FORMS[2];
    const files = layout(host, { appSecret: 'app-tls', mtls: true, extra: `---\n${certificate('app', { commonName: 'app', extra: '  usages: [digital signature, server auth]\n' })}`, collectorTls: ['client_ca_file: /etc/otel/certs/ca.crt'] });
    const r = await agree({ files, host, server: `${NS}/otel-collector-tls`, trust: `${NS}/app-tls`, client: `${NS}/app-tls`, clientCa: `${NS}/otel-collector-tls` });
    assert.deepEqual(r.sources, ['missing-eku']);
    assert.deepEqual(r.files, r.sources);
    assert.equal(r.go, false);
    assert.equal(r.node, false);
  });

  // The article's Kubernetes section (test/unit/articleKubernetes.test.ts asserts its whole diagnostic lists): its
  // Certificate, collector config and Node.js settings as it gives them, the Secrets mounted with items that give
  // the article's file names, internal-ca made by cert-manager's CA bootstrap, mTLS with the article's client.
  for (const [name, host, covered] of [['the Node.js example', `otel-collector.${NS}.svc`, true], ['the troubleshooting section\'s otel-collector:4317', 'otel-collector', false]] as const) {
    it(`the article's Kubernetes section, ${name}: ${covered ? 'the handshake succeeds' : 'san-mismatch'}, as the checker says`, { timeout: 120_000 }, async () => {
      const article = deployment(projected('otel-collector-tls', AS_FILES.server), projected('my-application-tls', AS_FILES.client));
      const env = covered ? NODE_ENV : ([['OTEL_EXPORTER_OTLP_ENDPOINT', `https://${ARTICLE_MISMATCH_HOST}`], ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'], ...NODE_ENV.slice(1)] as const);
      const files = {
        'issuers.yaml': caBootstrap('internal-ca'),
        'certificate.yaml': article['certificate.yaml'],
        'collector.yaml': article['collector.yaml'],
        'client-certificate.yaml': article['client-certificate.yaml'],
        'app.yaml': articleApp('app', env, projected('my-application-tls', AS_FILES.client)),
      };
      const r = await agree({ files, host, server: `${NS}/otel-collector-tls`, trust: `${NS}/my-application-tls`, client: `${NS}/my-application-tls`, clientCa: `${NS}/otel-collector-tls` });
      assert.deepEqual(r.sources, covered ? [] : ['san-mismatch'], JSON.stringify(r.problems.map((p) => p.message), null, 1));
      assert.deepEqual(r.files, r.sources, 'the same verdict as on the openssl-made files');
      assert.equal(r.go, covered, 'Go client');
      assert.equal(r.node, covered, 'Node client');
    });
  }

  it('wrong issuer: the collector\'s certificate is from internal-ca, the app trusts ca.crt of a Secret issued by other-ca', { timeout: 120_000 }, async () => {
    const host = FORMS[2];
    const files = layout(host, { appSecret: 'app-tls', extra: `---\n${caBootstrap('other-ca', false)}---\n${certificate('app', { commonName: 'app', issuer: 'other-ca' })}` });
    const r = await agree({ files, host, server: `${NS}/otel-collector-tls`, trust: `${NS}/app-tls` });
    assert.deepEqual(r.sources, ['unknown-authority']);
    assert.deepEqual(r.files, r.sources);
    assert.equal(r.go, false);
    assert.equal(r.node, false);
  });
});

const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;

describe('a Java client\'s key from a cert-manager Secret, through the real sources', { skip: java ? false : 'no java on the PATH' }, () => {
  it('PKCS#1 (cert-manager\'s default): key-format error for the Java agent, and the JDK fails to load the openssl-made key; PKCS8: neither', { timeout: 120_000 }, () => {
    const verdict: Record<string, { checker: string[]; jdk: string }> = {};
    for (const encoding of ['', 'PKCS8']) {
      const host = FORMS[2];
      const extra = `---\n${certificate('app', { commonName: 'app', extra: encoding ? `  privateKey:\n    encoding: ${encoding}\n` : '' })}`;
      const files = layout(host, { appSecret: 'app-tls', mtls: true, extra, collectorTls: ['client_ca_file: /etc/otel/certs/ca.crt'] });
      // The Java agent in the app's JAVA_TOOL_OPTIONS names the SDK.
      files['app.yaml'] = files['app.yaml'].replace('          env:\n', '          env:\n            - name: JAVA_TOOL_OPTIONS\n              value: -javaagent:/otel/opentelemetry-javaagent.jar\n');
      const { root, problems } = checkManifests(files);
      const built = buildCertManagerPki(Object.values(files).join('---\n'), join(root, 'pki')).get(`${NS}/app-tls`)!;
      const run = spawnSync('java', [join(ROOT, 'test', 'integration', 'fixtures', 'KeyLoad.java'), built.tlsKey], { encoding: 'utf8', timeout: 100_000 });
      assert.equal(run.status, 0, run.stderr);
      verdict[encoding || 'default'] = {
        checker: errorsOf(problems).filter((p) => p.message.startsWith('app.yaml:')).map((p) => p.code),
        jdk: run.stdout.includes(' ok') ? 'loads' : 'fails',
      };
    }
    assert.deepEqual(verdict, { default: { checker: ['key-format'], jdk: 'fails' }, PKCS8: { checker: [], jdk: 'loads' } });
  });
});

/**
 * The checker's verdict on cert-manager manifests (no PEM file in the workspace: the virtual
 * certificates of server/src/service/certificates/virtualCertificates.ts) against real handshakes
 * between a server and a client configured as the manifests say, their certificates and keys built
 * independently with openssl from the same manifests (test/support/certManagerPki.ts):
 * - Go server (configtls' crypto/tls settings) with a Go client and a Node client (test/support/handshakeHarness.ts);
 * - the JDK loading the client key the way the Java SDK does (fixtures/KeyLoad.java).
 * For every scenario: the virtual verdict's errors are empty exactly when the Go handshake succeeds,
 * and they are the same codes as the checker gives on the openssl-made files themselves.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildCertManagerPki } from '../support/certManagerPki';
import { cleanupHarness, errorsOf, GO_MISSING, GO_VERSION, runCase } from '../support/handshakeHarness';
import { ROOT } from '../support/lspClient';
import { createClusterIndex, type ManifestObject } from '../../server/src/service/model/cluster';
import { createVirtualCache, acmeRoots } from '../../server/src/service/certificates/virtualCertificates';
import { keyContents } from '../../server/src/service/certificates/secretKeys';
import { virtualEnds, withPublicRoots, withoutUnknownNames } from '../../server/src/service/certificates/virtualTrust';
import { judgeHandshake, type ClientEnd, type HandshakeFinding, type ServerEnd } from '../../server/src/service/certificates/verifyHandshake';
import { systemRootsFor } from '../../server/src/service/certificates/systemRoots';
import type { CertificateInfo } from '../../server/src/service/certificates/certificateInfo';

const NS = 'observability';

/** A SelfSigned ClusterIssuer, a CA Certificate on it and a CA Issuer on the CA's Secret, as cert-manager's documentation bootstraps a CA. */
function caIssuer(name: string): string {
  return `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}-root
  namespace: ${NS}
spec:
  isCA: true
  commonName: ${name} root
  secretName: ${name}-root
  privateKey:
    algorithm: ECDSA
  issuerRef:
    name: selfsigned
    kind: ClusterIssuer
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  ca:
    secretName: ${name}-root
---
`;
}

const SELFSIGNED = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: selfsigned\nspec:\n  selfSigned: {}\n---\n';

function certificate(name: string, issuer: string, fields: string): string {
  return `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: ${name}\n  namespace: ${NS}\nspec:\n  secretName: ${name}-tls\n  issuerRef:\n    name: ${issuer}\n${fields}---\n`;
}

interface Scenario {
  name: string;
  manifests: string;
  /** The host the app dials. */
  host: string;
  server: string;
  /** The Secret whose ca.crt the app trusts. */
  trust: string;
  /** The client certificate's Secret (mTLS: the receiver's client_ca_file is `clientCa`'s ca.crt). */
  client?: string;
  clientCa?: string;
}

function objectsOf(text: string): ManifestObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    const value = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } } | null;
    if (!value?.apiVersion || !value.kind) return [];
    return [{ apiVersion: value.apiVersion, kind: value.kind, name: value.metadata?.name, namespace: value.metadata?.namespace, doc, node: doc.contents as ManifestObject['node'], path: '/ws/manifests.yaml', text }];
  });
}

/** The checker's handshake verdict from the manifests alone: every file is a key of a Secret a Certificate writes. */
function virtualVerdict(s: Scenario): HandshakeFinding[] {
  const cluster = createClusterIndex(objectsOf(s.manifests));
  const cache = createVirtualCache();
  const now = new Date();
  const file = (secret: string, key: string): CertificateInfo[] => {
    const contents = keyContents(cluster, cache, now, NS, { kind: 'secret', name: secret, key });
    assert.ok(contents.kind === 'issued', `${secret}/${key}: ${JSON.stringify(contents.kind === 'absent' || contents.kind === 'unknown' ? contents.reason : contents.kind)}`);
    return contents.parsed.certificates;
  };
  const server: ServerEnd = {
    name: 'receiver otlp (grpc)',
    tls: true,
    certificates: file(`${s.server}-tls`, 'tls.crt'),
    requiresClientCert: !!s.clientCa,
    ...(s.clientCa ? { clientCas: file(s.clientCa, 'ca.crt') } : {}),
  };
  const client: ClientEnd = {
    usesTls: true,
    tlsReason: 'https://',
    host: s.host,
    roots: file(s.trust, 'ca.crt'),
    rootsSetting: 'OTEL_EXPORTER_OTLP_CERTIFICATE',
    certificates: s.client ? file(`${s.client}-tls`, 'tls.crt') : 'none',
    clientCertSetting: 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE',
    sdk: true,
    protocol: 'grpc',
    now,
  };
  const ends = virtualEnds(client, server);
  assert.deepEqual(ends.notes, [], 'every CA of these scenarios is in the manifests');
  return withoutUnknownNames(judgeHandshake(ends.client, ends.server, withPublicRoots(systemRootsFor, () => acmeRoots(cache))), ends.server);
}

const dir = mkdtempSync(join(tmpdir(), 'otlp-certmanager-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupHarness();
});

let count = 0;
async function agree(s: Scenario): Promise<{ virtual: string[]; files: string[]; go?: boolean; node?: boolean }> {
  const root = join(dir, `s${++count}`);
  const secrets = buildCertManagerPki(s.manifests, root);
  const get = (name: string) => {
    const secret = secrets.get(`${NS}/${name}`);
    assert.ok(secret, `openssl built ${name}`);
    return secret;
  };
  const server = get(`${s.server}-tls`);
  const clientSecret = s.client ? get(`${s.client}-tls`) : undefined;
  const run = await runCase({
    certFile: readFileSync(server.tlsCrt, 'utf8'),
    keyFile: readFileSync(server.tlsKey, 'utf8'),
    host: s.host,
    trustFile: readFileSync(get(s.trust).caCrt!, 'utf8'),
    ...(s.clientCa ? { clientCaFile: readFileSync(get(s.clientCa).caCrt!, 'utf8') } : {}),
    ...(clientSecret ? { clientCertFile: readFileSync(clientSecret.tlsCrt, 'utf8'), clientKeyFile: readFileSync(clientSecret.tlsKey, 'utf8') } : {}),
  });
  const virtual = [...new Set(virtualVerdict(s).filter((f) => (f.severity ?? 'error') === 'error').map((f) => f.code))].sort();
  // The checker on the openssl files: the handshake findings sit on the app's settings.
  const files = [...new Set(errorsOf(run.unnamed).filter((p) => p.message.startsWith('app.env:')).map((p) => p.code))].sort();
  return { virtual, files, ...(run.go ? { go: run.go.ok } : {}), ...(run.node ? { node: run.node.ok } : {}) };
}

const FORMS = ['otel-collector', `otel-collector.${NS}`, `otel-collector.${NS}.svc`, `otel-collector.${NS}.svc.cluster.local`];

describe('cert-manager manifests: the checker\'s verdict matches real handshakes', { skip: GO_VERSION ? false : GO_MISSING }, () => {
  const article = SELFSIGNED + caIssuer('internal-ca') + certificate('otel-collector', 'internal-ca', `  duration: 2160h\n  renewBefore: 360h\n  commonName: otel-collector.${NS}.svc\n  dnsNames:\n    - otel-collector.${NS}.svc\n    - otel-collector.${NS}.svc.cluster.local\n`);

  for (const host of FORMS) {
    const covered = host.endsWith('.svc') || host.endsWith('.cluster.local');
    it(`the article's Certificate (svc and svc.cluster.local), dialled as ${host}: ${covered ? 'covered' : 'san-mismatch'}`, { timeout: 120_000 }, async () => {
      const r = await agree({ name: host, manifests: article, host, server: 'otel-collector', trust: 'internal-ca-root' });
      assert.deepEqual(r.virtual, covered ? [] : ['san-mismatch']);
      assert.deepEqual(r.files, r.virtual, 'the same verdict as on the openssl-made files');
      assert.equal(r.go, covered, 'Go client');
      assert.equal(r.node, covered, 'Node client');
    });
  }

  for (const [i, form] of FORMS.entries()) {
    it(`a Certificate for the Service name form "${form}" only is covered exactly when that form is dialled`, { timeout: 240_000 }, async () => {
      const manifests = SELFSIGNED + caIssuer('internal-ca') + certificate('otel-collector', 'internal-ca', `  dnsNames:\n    - ${form}\n`);
      for (const [j, host] of FORMS.entries()) {
        if (Math.abs(i - j) > 1) continue; // the neighbouring forms: the ones a name differs from by one label
        const r = await agree({ name: `${form}@${host}`, manifests, host, server: 'otel-collector', trust: 'internal-ca-root' });
        assert.deepEqual(r.virtual, i === j ? [] : ['san-mismatch'], `${form} dialled as ${host}`);
        assert.deepEqual(r.files, r.virtual);
        assert.equal(r.go, i === j);
        assert.equal(r.node, i === j);
      }
    });
  }

  it('server usage missing: usages [client auth] on the collector\'s Certificate', { timeout: 120_000 }, async () => {
    const manifests = SELFSIGNED + caIssuer('internal-ca') + certificate('otel-collector', 'internal-ca', `  dnsNames: [otel-collector.${NS}.svc]\n  usages: [digital signature, key encipherment, client auth]\n`);
    const r = await agree({ name: 'server usage', manifests, host: `otel-collector.${NS}.svc`, server: 'otel-collector', trust: 'internal-ca-root' });
    assert.deepEqual(r.virtual, ['missing-eku']);
    assert.deepEqual(r.files, r.virtual);
    assert.equal(r.go, false);
    assert.equal(r.node, false);
  });

  it('mTLS with cert-manager\'s default usages on both sides (no EKU at all): the handshake succeeds', { timeout: 120_000 }, async () => {
    const manifests = SELFSIGNED + caIssuer('internal-ca') + certificate('otel-collector', 'internal-ca', `  dnsNames: [otel-collector.${NS}.svc]\n`) + certificate('app', 'internal-ca', '  commonName: app\n');
    const r = await agree({ name: 'mtls defaults', manifests, host: `otel-collector.${NS}.svc`, server: 'otel-collector', trust: 'internal-ca-root', client: 'app', clientCa: 'internal-ca-root' });
    assert.deepEqual(r.virtual, []);
    assert.deepEqual(r.files, []);
    assert.equal(r.go, true);
    assert.equal(r.node, true);
  });

  it('client usage missing under mTLS: the app\'s Certificate has usages [server auth]', { timeout: 120_000 }, async () => {
    const manifests = SELFSIGNED + caIssuer('internal-ca') + certificate('otel-collector', 'internal-ca', `  dnsNames: [otel-collector.${NS}.svc]\n`) + certificate('app', 'internal-ca', '  commonName: app\n  usages: [digital signature, server auth]\n');
    const r = await agree({ name: 'client usage', manifests, host: `otel-collector.${NS}.svc`, server: 'otel-collector', trust: 'internal-ca-root', client: 'app', clientCa: 'internal-ca-root' });
    assert.deepEqual(r.virtual, ['missing-eku']);
    assert.deepEqual(r.files, r.virtual);
    assert.equal(r.go, false);
    assert.equal(r.node, false);
  });

  it('wrong issuer: the collector\'s certificate is issued by one CA issuer, the app trusts the other\'s ca.crt', { timeout: 120_000 }, async () => {
    const manifests = SELFSIGNED + caIssuer('internal-ca') + caIssuer('other-ca') + certificate('otel-collector', 'internal-ca', `  dnsNames: [otel-collector.${NS}.svc]\n`);
    const r = await agree({ name: 'wrong issuer', manifests, host: `otel-collector.${NS}.svc`, server: 'otel-collector', trust: 'other-ca-root' });
    assert.deepEqual(r.virtual, ['unknown-authority']);
    assert.deepEqual(r.files, r.virtual);
    assert.equal(r.go, false);
    assert.equal(r.node, false);
  });

  it('wrong issuer for the client certificate under mTLS: the receiver\'s client_ca_file is another issuer\'s CA', { timeout: 120_000 }, async () => {
    const manifests = SELFSIGNED + caIssuer('internal-ca') + caIssuer('other-ca') + certificate('otel-collector', 'internal-ca', `  dnsNames: [otel-collector.${NS}.svc]\n`) + certificate('app', 'other-ca', '  commonName: app\n');
    const r = await agree({ name: 'client wrong issuer', manifests, host: `otel-collector.${NS}.svc`, server: 'otel-collector', trust: 'internal-ca-root', client: 'app', clientCa: 'internal-ca-root' });
    assert.deepEqual(r.virtual, ['unknown-authority']);
    assert.deepEqual(r.files, r.virtual);
    assert.equal(r.go, false);
    assert.equal(r.node, false);
  });
});

const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;

describe('cert-manager\'s default key encoding and a Java client', { skip: java ? false : 'no java on the PATH' }, () => {
  it('tls.key in PKCS#1 (the default) fails to load the Java SDK\'s way, PKCS8 loads: the virtual key and the openssl key alike', { timeout: 120_000 }, () => {
    const root = join(dir, 'java');
    const manifests = (encoding: string) => SELFSIGNED + certificate(`app-${encoding.toLowerCase() || 'default'}`, 'selfsigned', `  commonName: app\n${encoding ? `  privateKey:\n    encoding: ${encoding}\n` : ''}`).replace('    name: selfsigned\n', '    name: selfsigned\n    kind: ClusterIssuer\n');
    const keys: Record<string, string> = {};
    for (const encoding of ['', 'PKCS1', 'PKCS8']) {
      const text = manifests(encoding);
      const name = `app-${encoding.toLowerCase() || 'default'}`;
      const built = buildCertManagerPki(text, join(root, name)).get(`${NS}/${name}-tls`)!;
      keys[`${name} (openssl)`] = built.tlsKey;
      const cluster = createClusterIndex(objectsOf(text));
      const virtual = keyContents(cluster, createVirtualCache(), new Date(), NS, { kind: 'secret', name: `${name}-tls`, key: 'tls.key' });
      assert.equal(virtual.kind, 'issued');
      const path = join(root, `${name}.virtual.key`);
      writeFileSync(path, (virtual as { bytes: Uint8Array }).bytes, { mode: 0o600 });
      keys[`${name} (virtual)`] = path;
    }
    const run = spawnSync('java', [join(ROOT, 'test', 'integration', 'fixtures', 'KeyLoad.java'), ...Object.values(keys)], { encoding: 'utf8', timeout: 100_000 });
    assert.equal(run.status, 0, run.stderr);
    const loaded = Object.fromEntries(run.stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]));
    const verdict = Object.fromEntries(Object.entries(keys).map(([name, path]) => [name, loaded[path] === 'ok' ? 'ok' : 'fails']));
    assert.deepEqual(verdict, {
      'app-default (openssl)': 'fails',
      'app-default (virtual)': 'fails',
      'app-pkcs1 (openssl)': 'fails',
      'app-pkcs1 (virtual)': 'fails',
      'app-pkcs8 (openssl)': 'ok',
      'app-pkcs8 (virtual)': 'ok',
    });
  });
});


/**
 * Virtual certificates (server/src/service/certificates/virtualCertificates.ts): what a Certificate
 * will issue, made as real X.509, read back by the product's own certificate reader and verified by
 * its Go rules. Each field is asserted as cert-manager writes it (docs/facts/cert-manager.md §2, §5).
 * Real handshakes on the same specs: test/integration/certManagerHandshake.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createClusterIndex, type ClusterIndex, type ManifestObject } from '../../server/src/service/model/cluster';
import { createVirtualCache, issueCertificate, VIRTUAL_CACHE_LIMIT, type VirtualCache } from '../../server/src/service/certificates/virtualCertificates';
import { issuanceLookup, keyContents, resolveMountedPath } from '../../server/src/service/certificates/secretKeys';
import { parseFileContents } from '../../server/src/service/certificates/certificateFiles';
import { verifyPeer } from '../../server/src/service/certificates/verifyHandshake';
import { OID } from '../../server/src/service/certificates/oids';
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { secretKeyLines, secretKeyLinkTarget } from '../../server/src/service/features/secretKeyHover';

const ROOT = join(__dirname, '..', '..', '..');
const NOW = new Date();

function cluster(...texts: string[]): ClusterIndex {
  const objects: ManifestObject[] = [];
  for (const text of texts) {
    for (const doc of parseAllDocuments(text)) {
      const node = doc.contents as ManifestObject['node'];
      const value = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (!value?.apiVersion || !value.kind) continue;
      objects.push({ apiVersion: value.apiVersion, kind: value.kind, name: value.metadata?.name, namespace: value.metadata?.namespace, doc, node, path: '/ws/manifests.yaml', text });
    }
  }
  return createClusterIndex(objects);
}

const SELF_SIGNED_CA = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: root-ca
  namespace: observability
spec:
  isCA: true
  commonName: Observability Root CA
  secretName: root-ca
  privateKey:
    algorithm: ECDSA
  issuerRef:
    name: selfsigned
    kind: ClusterIssuer
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: internal-ca
  namespace: observability
spec:
  ca:
    secretName: root-ca
`;

function collectorCert(extra = ''): string {
  return `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: otel-collector-cert
  namespace: observability
spec:
  secretName: otel-collector-tls
  issuerRef:
    name: internal-ca
  dnsNames:
    - otel-collector.observability.svc
    - otel-collector.observability.svc.cluster.local
${extra}`;
}

function issue(c: ClusterIndex, cache: VirtualCache = createVirtualCache(), name = 'otel-collector-cert') {
  const spec = c.certificates().find((p) => p.value.name === name)!.value;
  return issueCertificate(spec, issuanceLookup(c), cache, NOW);
}

describe('virtual certificates: the fields cert-manager writes', () => {
  it('defaults: no EKU extension, digitalSignature+keyEncipherment, RSA 2048 in PKCS#1, 90 days, SANs from dnsNames only', () => {
    const issued = issue(cluster(SELF_SIGNED_CA, collectorCert('  commonName: not-a-san.example\n')));
    const leaf = issued.leaf;
    assert.equal(leaf.eku, undefined);
    assert.equal(leaf.keyUsages, KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment);
    assert.deepEqual([...leaf.dnsNames], ['otel-collector.observability.svc', 'otel-collector.observability.svc.cluster.local']);
    assert.equal(leaf.commonName, 'not-a-san.example');
    assert.equal(leaf.publicKey.type, 'rsa');
    assert.equal(leaf.publicKey.bits, 2048);
    assert.equal(leaf.isCa, false);
    assert.equal(leaf.hasBasicConstraints, true);
    assert.equal(leaf.notAfter.getTime() - leaf.notBefore.getTime(), 90 * 86_400_000);
    assert.equal(issued.files['tls.key']!.keys[0].pemType, 'RSA PRIVATE KEY');
    assert.equal(leaf.virtual?.source, 'Certificate observability/otel-collector-cert');
    assert.equal(leaf.virtual?.caUnknown, undefined);
    // Go parses it without complaint.
    assert.equal(leaf.go.parseError, undefined);
  });

  it('usages, key algorithm and encoding as written', () => {
    const issued = issue(cluster(SELF_SIGNED_CA, collectorCert('  usages: [server auth]\n  privateKey:\n    algorithm: ECDSA\n    size: 384\n    encoding: PKCS8\n')));
    assert.deepEqual(issued.leaf.eku, [OID.serverAuth]);
    assert.equal(issued.leaf.keyUsages, undefined); // no key usage named: no KeyUsage extension (Go writes it only when non-zero)
    assert.equal(issued.leaf.publicKey.curve, 'secp384r1');
    assert.equal(issued.files['tls.key']!.keys[0].pemType, 'PRIVATE KEY');
  });

  it('a CA Certificate issued by a SelfSigned issuer, then a CA issuer on its Secret: tls.crt is the leaf alone, ca.crt the root, and Go verifies the chain', () => {
    const c = cluster(SELF_SIGNED_CA, collectorCert());
    const issued = issue(c);
    const tls = issued.files['tls.crt']!.certificates;
    const ca = issued.files['ca.crt']!.certificates;
    assert.equal(tls.length, 1);
    assert.equal(ca.length, 1);
    assert.equal(ca[0].commonName, 'Observability Root CA');
    assert.equal(ca[0].isCa, true);
    assert.equal(ca[0].selfIssued, true);
    assert.equal(tls[0].rawIssuer, ca[0].rawSubject);
    assert.equal(tls[0].authorityKeyId, ca[0].subjectKeyId);
    const ok = verifyPeer({ presented: tls, roots: ca, now: NOW, usage: 'serverAuth', host: 'otel-collector.observability.svc' });
    assert.deepEqual(ok.failures, []);
    const short = verifyPeer({ presented: tls, roots: ca, now: NOW, usage: 'serverAuth', host: 'otel-collector' });
    assert.deepEqual(short.failures.map((f) => f.code), ['san-mismatch']);
    // The root's Secret holds the same CA (SelfSigned: ca.crt is tls.crt).
    const root = keyContents(c, createVirtualCache(), NOW, 'observability', { kind: 'secret', name: 'root-ca', key: 'ca.crt' });
    assert.equal(root.kind, 'issued');
  });

  it('the same Certificate, cached, is the same certificate; a changed spec is a new one', () => {
    const cache = createVirtualCache();
    const a = issue(cluster(SELF_SIGNED_CA, collectorCert()), cache);
    const b = issue(cluster(SELF_SIGNED_CA, collectorCert()), cache);
    assert.equal(a.leaf.fingerprint, b.leaf.fingerprint);
    const c = issue(cluster(SELF_SIGNED_CA, collectorCert('    - otel-collector\n')), cache);
    assert.notEqual(c.leaf.fingerprint, a.leaf.fingerprint);
    // The key is kept (rotationPolicy aside, the checks need a stable pair), the CA too.
    assert.equal(c.files['tls.key']!.keys[0].publicKey!.spki, a.files['tls.key']!.keys[0].publicKey!.spki);
  });

  it('the cache is bounded (VIRTUAL_CACHE_LIMIT by default): past its limit the least recently used go, the recent ones stay, and what is made again still verifies', () => {
    assert.equal(createVirtualCache().limit, VIRTUAL_CACHE_LIMIT);
    const limit = 8;
    const count = limit + 5;
    const name = (i: number) => `cert-${i}`;
    const certs = Array.from({ length: count }, (_, i) =>
      `---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: ${name(i)}\n  namespace: observability\nspec:\n  secretName: tls-${i}\n  issuerRef:\n    name: internal-ca\n  dnsNames: [host-${i}.observability.svc]\n  privateKey:\n    algorithm: ECDSA\n`,
    );
    const c = cluster(SELF_SIGNED_CA, certs.join(''));
    const lookup = issuanceLookup(c);
    const specs = new Map(c.certificates().map((p) => [p.value.name, p.value]));
    const cache = createVirtualCache(limit);
    const named = (n: string) => issueCertificate(specs.get(n)!, lookup, cache, NOW);
    const first = named(name(0));
    let last = first;
    for (let i = 1; i < count; i++) last = named(name(i));
    assert.equal(cache.issued.size, limit);
    assert.ok(cache.keys.size <= limit && cache.cas.size <= limit);
    // The most recent is kept as it was; the first was dropped and is made anew, under the same CA.
    assert.equal(named(name(count - 1)), last);
    const again = named(name(0));
    assert.notEqual(again, first);
    const ok = verifyPeer({ presented: again.files['tls.crt']!.certificates, roots: first.files['ca.crt']!.certificates, now: NOW, usage: 'serverAuth', host: 'host-0.observability.svc' });
    assert.deepEqual(ok.failures, []);
  });

  it('a CA Secret that is not in the workspace: a stand-in CA, marked, shared by the issuer\'s certificates', () => {
    const issuer = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: internal-ca\nspec:\n  ca:\n    secretName: internal-ca\n';
    const cert = collectorCert().replace('    name: internal-ca\n', '    name: internal-ca\n    kind: ClusterIssuer\n');
    const clientCert = cert.replaceAll('otel-collector-cert', 'app-cert').replace('otel-collector-tls', 'app-tls');
    const c = cluster(issuer, cert, clientCert);
    const cache = createVirtualCache();
    const server = issue(c, cache);
    const app = issue(c, cache, 'app-cert');
    assert.match(server.leaf.virtual!.caUnknown!, /the CA Secret \(the cluster resource namespace\)\/internal-ca of ClusterIssuer internal-ca is not in the workspace/);
    assert.equal(server.leaf.virtual!.caIdentity, app.leaf.virtual!.caIdentity);
    assert.equal(server.files['ca.crt']!.certificates[0].fingerprint, app.files['ca.crt']!.certificates[0].fingerprint);
    assert.deepEqual(verifyPeer({ presented: server.files['tls.crt']!.certificates, roots: app.files['ca.crt']!.certificates, now: NOW, usage: 'serverAuth', host: 'otel-collector.observability.svc' }).failures, []);
  });

  it('a CA issuer whose Secret manifest holds the CA: signed with that real key, chaining to the real CA', () => {
    const secret = readFileSync(join(ROOT, 'test/fixtures/upstream/cert-manager/website/content/docs/configuration/ca.md.block1.yaml'), 'utf8');
    const issuer = readFileSync(join(ROOT, 'test/fixtures/upstream/cert-manager/website/content/docs/configuration/ca.md.block2.yaml'), 'utf8');
    const cert = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n  namespace: sandbox\nspec:\n  secretName: web-tls\n  dnsNames: [web.sandbox.svc]\n  issuerRef:\n    name: ca-issuer\n';
    const c = cluster(secret, issuer, cert);
    const issued = issue(c, createVirtualCache(), 'web');
    const realCa = c.secret('sandbox', 'ca-key-pair')!;
    const roots = parseFileContents(realCa.data.get('tls.crt')!).certificates;
    assert.equal(roots[0].commonName, 'joshvanl');
    assert.equal(issued.leaf.virtual!.caUnknown, undefined);
    assert.equal(issued.files['ca.crt']!.certificates[0].fingerprint, roots[0].fingerprint);
    // The documentation's CA expired in 2029-08 or later: verify at a time it is valid.
    const at = new Date(Math.min(roots[0].notAfter.getTime() - 86_400_000, NOW.getTime()));
    const result = verifyPeer({ presented: issued.files['tls.crt']!.certificates, roots, now: at < issued.leaf.notBefore ? issued.leaf.notBefore : at, usage: 'serverAuth', host: 'web.sandbox.svc' });
    assert.deepEqual(result.failures.map((f) => f.code), []);
  });

  it('ACME: a public chain, no ca.crt in the Secret', () => {
    const issuer = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\nspec:\n  acme:\n    server: https://acme-v02.api.letsencrypt.org/directory\n    privateKeySecretRef:\n      name: le-account\n';
    const cert = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: pub\n  namespace: web\nspec:\n  secretName: pub-tls\n  dnsNames: [otel.example.com]\n  issuerRef:\n    name: letsencrypt\n    kind: ClusterIssuer\n';
    const c = cluster(issuer, cert);
    const contents = keyContents(c, createVirtualCache(), NOW, 'web', { kind: 'secret', name: 'pub-tls', key: 'ca.crt' });
    assert.equal(contents.kind, 'absent');
    assert.match((contents as { reason: string }).reason, /returns no CA: the Secret has no ca\.crt/);
    const tls = keyContents(c, createVirtualCache(), NOW, 'web', { kind: 'secret', name: 'pub-tls', key: 'tls.crt' });
    assert.equal(tls.kind, 'issued');
    const certs = (tls as { parsed: { certificates: { virtual?: { publicAcme?: string } }[] } }).parsed.certificates;
    assert.equal(certs.length, 2, 'leaf and intermediate');
    assert.match(certs[0].virtual!.publicAcme!, /ClusterIssuer letsencrypt/);
  });
});

describe('from a container path to a Secret key', () => {
  const secretVolume = { kind: 'secret' as const, name: 'otel-collector-tls' };
  it('a whole Secret volume: each key a file; the mount point is a folder', () => {
    const mounts = [{ name: 'certs', mountPath: '/etc/otel/certs', source: secretVolume }];
    assert.deepEqual(resolveMountedPath(mounts, '/etc/otel/certs/tls.crt'), { kind: 'key', mount: mounts[0], candidates: [{ kind: 'secret', name: 'otel-collector-tls', key: 'tls.crt' }], subPath: false });
    assert.equal(resolveMountedPath(mounts, '/etc/otel/certs')?.kind, 'directory');
    assert.equal(resolveMountedPath(mounts, '/etc/other/tls.crt'), undefined);
  });
  it('items project only the listed keys, at their paths', () => {
    const mounts = [{ name: 'certs', mountPath: '/certs', source: { ...secretVolume, items: [{ key: 'tls.crt', path: 'server.crt' }] } }];
    assert.deepEqual(resolveMountedPath(mounts, '/certs/server.crt'), { kind: 'key', mount: mounts[0], candidates: [{ kind: 'secret', name: 'otel-collector-tls', key: 'tls.crt' }], subPath: false });
    assert.deepEqual(resolveMountedPath(mounts, '/certs/tls.crt'), { kind: 'not-projected', mount: mounts[0], source: 'Secret otel-collector-tls', listed: ['server.crt'] });
  });
  it('subPath mounts one key as the mount path (and never sees updates)', () => {
    const mounts = [{ name: 'certs', mountPath: '/etc/otel/server.crt', subPath: 'tls.crt', source: secretVolume }];
    assert.deepEqual(resolveMountedPath(mounts, '/etc/otel/server.crt'), { kind: 'key', mount: mounts[0], candidates: [{ kind: 'secret', name: 'otel-collector-tls', key: 'tls.crt' }], subPath: true });
  });
  it('a projected volume merges Secret and ConfigMap keys', () => {
    const mounts = [{ name: 'tls', mountPath: '/tls', source: { kind: 'projected' as const, sources: [{ kind: 'secret' as const, name: 'client-tls', items: [{ key: 'tls.crt', path: 'client.crt' }, { key: 'tls.key', path: 'client.key' }] }, { kind: 'configMap' as const, name: 'ca-bundle' }] } }];
    // The ConfigMap projects all its keys, so it may hold a "client.key" too: both, in source order.
    assert.deepEqual(resolveMountedPath(mounts, '/tls/client.key'), { kind: 'key', mount: mounts[0], candidates: [{ kind: 'secret', name: 'client-tls', key: 'tls.key' }, { kind: 'configMap', name: 'ca-bundle', key: 'client.key' }], subPath: false });
    assert.deepEqual(resolveMountedPath(mounts, '/tls/ca.crt'), { kind: 'key', mount: mounts[0], candidates: [{ kind: 'configMap', name: 'ca-bundle', key: 'ca.crt' }], subPath: false });
  });
});

describe('hover and link of a Secret-backed path', () => {
  it('names the Certificate, its names, usages, key, issuer and renewal; links to its manifest line', () => {
    const text = `${SELF_SIGNED_CA}---\n${collectorCert('  duration: 2160h\n  renewBefore: 360h\n')}`;
    const c = cluster(text);
    const contents = keyContents(c, createVirtualCache(), NOW, 'observability', { kind: 'secret', name: 'otel-collector-tls', key: 'tls.crt' });
    const lines = secretKeyLines(contents, 'volume certs at /etc/otel/certs');
    assert.equal(lines[0], 'Key `tls.crt` of Secret `otel-collector-tls`, written by cert-manager for **Certificate observability/otel-collector-cert** (volume certs at /etc/otel/certs). Not a file in the workspace: what the Certificate will issue is checked.');
    assert.deepEqual(lines.slice(4), [
      '| Names (SANs) | DNS:otel-collector.observability.svc, DNS:otel-collector.observability.svc.cluster.local |',
      '| Usages | digital signature, key encipherment (the default); extended key usage: none (any) |',
      '| Key | RSA 2048, `RSA PRIVATE KEY` (PKCS1) |',
      '| CA | no |',
      '| Issuer | Issuer observability/internal-ca (CA issuer, CA Secret observability/root-ca of Certificate observability/root-ca) |',
      '| Lifetime | 2160h0m0s; renewed every 75 days, 15 days before it expires (duration 2160h0m0s; renewBefore 360h0m0s), with a new key each time (rotationPolicy Always) |',
    ]);
    const line = text.slice(0, text.indexOf('apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: otel-collector-cert')).split('\n').length;
    assert.deepEqual(secretKeyLinkTarget(contents), { target: `file:///ws/manifests.yaml#L${line}`, tooltip: `Open Certificate observability/otel-collector-cert (manifests.yaml:${line})` });
  });
});

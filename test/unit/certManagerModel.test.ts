/**
 * cert-manager resources as the model reads them (server/src/service/model/certManager.ts): every
 * default as cert-manager v1.21.1 applies it (docs/facts/cert-manager.md §2), and the webhook's
 * rejections with its messages (§3), on the whole list.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { certManagerObject, issuedUsages, keyPemType, renewBeforeOf, webhookRejections, type CertificateSpec, type IssuerSpec } from '../../server/src/service/model/certManager';
import { formatGoDuration, parseGoDuration } from '../../server/src/service/model/goDuration';

const ROOT = join(__dirname, '..', '..', '..');

function spec(text: string): CertificateSpec {
  const doc = parseDocument(text);
  const object = certManagerObject(doc, doc.contents);
  assert.ok(object && object.kind === 'Certificate');
  return object as CertificateSpec;
}

const BASE = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\n  namespace: ns\nspec:\n  secretName: c-tls\n  issuerRef:\n    name: ca\n';

describe('cert-manager Certificate: defaults', () => {
  it('applies every default: usages without EKU, RSA 2048 PKCS#1, 90 days, renew at 2/3, Issuer in cert-manager.io', () => {
    const s = spec(`${BASE}  dnsNames: [a.example]\n`);
    assert.deepEqual(s.usages, ['digital signature', 'key encipherment']);
    assert.equal(s.usagesDefaulted, true);
    assert.deepEqual(issuedUsages(s), { keyUsages: ['digitalSignature', 'keyEncipherment'], extKeyUsages: [], unknown: [] });
    assert.deepEqual({ algorithm: s.privateKey.algorithm, size: s.privateKey.size, encoding: s.privateKey.encoding, rotation: s.privateKey.rotationPolicy }, { algorithm: 'RSA', size: 2048, encoding: 'PKCS1', rotation: 'Always' });
    assert.equal(keyPemType(s.privateKey), 'RSA PRIVATE KEY');
    assert.equal(s.durationMs, 90 * 86_400_000);
    assert.equal(renewBeforeOf(s, s.durationMs!), 30 * 86_400_000);
    assert.deepEqual(s.issuerRef, { name: 'ca', kind: 'Issuer', group: 'cert-manager.io', node: s.issuerRef.node, nameNode: s.issuerRef.nameNode });
    assert.deepEqual(webhookRejections(s), []);
  });

  it('ECDSA defaults to P-256 and SEC 1; Ed25519 is always PKCS#8; isCA adds cert sign', () => {
    const ec = spec(`${BASE}  commonName: x\n  isCA: true\n  privateKey:\n    algorithm: ECDSA\n`);
    assert.equal(ec.privateKey.size, 256);
    assert.equal(keyPemType(ec.privateKey), 'EC PRIVATE KEY');
    assert.deepEqual(issuedUsages(ec).keyUsages, ['keyCertSign', 'digitalSignature', 'keyEncipherment']);
    const ed = spec(`${BASE}  commonName: x\n  privateKey:\n    algorithm: Ed25519\n    encoding: PKCS1\n`);
    assert.equal(keyPemType(ed.privateKey), 'PRIVATE KEY');
    const pk8 = spec(`${BASE}  commonName: x\n  privateKey:\n    encoding: PKCS8\n`);
    assert.equal(keyPemType(pk8.privateKey), 'PRIVATE KEY');
  });

  it('written usages replace the defaults and name the EKUs', () => {
    const s = spec(`${BASE}  dnsNames: [a]\n  usages:\n    - server auth\n    - digital signature\n`);
    assert.deepEqual(issuedUsages(s), { keyUsages: ['digitalSignature'], extKeyUsages: ['1.3.6.1.5.5.7.3.1'], unknown: [] });
  });

  it('renewal time: renewBefore, renewBeforePercentage of the lifetime, else a third', () => {
    assert.equal(renewBeforeOf(spec(`${BASE}  commonName: x\n  duration: 2160h\n  renewBefore: 360h\n`), 2160 * 3_600_000), 360 * 3_600_000);
    assert.equal(renewBeforeOf(spec(`${BASE}  commonName: x\n  duration: 1h\n  renewBeforePercentage: 25\n`), 3_600_000), 15 * 60_000);
    // A renewBefore not shorter than the lifetime is ignored (renewaltime.go L129).
    assert.equal(renewBeforeOf(spec(`${BASE}  commonName: x\n  duration: 1h\n  renewBefore: 2h\n`), 3_600_000), 20 * 60_000);
  });

  it('templated names (Helm, kustomize vars) are unknown, not names', () => {
    const s = spec(`${BASE}  dnsNames:\n    - $(SERVICE_NAME).$(SERVICE_NAMESPACE).svc\n    - fixed.example\n`);
    assert.deepEqual(s.dnsNames.map((n) => n.value), ['fixed.example']);
    assert.deepEqual(s.unknown.map((u) => u.field), ['dnsNames']);
  });

  it('Go durations: no day unit, Go\'s String() in messages', () => {
    assert.equal(parseGoDuration('2160h'), 2160 * 3_600_000);
    assert.equal(parseGoDuration('1h30m'), 90 * 60_000);
    assert.equal(parseGoDuration('90d'), undefined);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(formatGoDuration(2160 * 3_600_000), '2160h0m0s');
    assert.equal(formatGoDuration(5 * 60_000), '5m0s');
  });
});

describe('cert-manager Certificate: what the webhook rejects, with its messages', () => {
  const messages = (text: string) => webhookRejections(spec(text)).map((r) => `${r.field}: ${r.message}`);

  it('renewBefore not shorter than duration, and under 5m; duration under 1h', () => {
    assert.deepEqual(messages(`${BASE}  commonName: x\n  duration: 720h\n  renewBefore: 720h\n`), ['spec.renewBefore: certificate duration 720h0m0s must be greater than renewBefore 720h0m0s']);
    assert.deepEqual(messages(`${BASE}  commonName: x\n  renewBefore: 3000h\n`), ['spec.renewBefore: certificate duration 2160h0m0s must be greater than renewBefore 3000h0m0s']);
    assert.deepEqual(messages(`${BASE}  commonName: x\n  renewBefore: 1m\n`), ['spec.renewBefore: certificate renewBefore must be greater than 5m0s']);
    assert.deepEqual(messages(`${BASE}  commonName: x\n  duration: 30m\n`), ['spec.duration: certificate duration must be greater than 1h0m0s']);
  });

  it('both renewBefore and renewBeforePercentage; a percentage leaving under 5m', () => {
    assert.deepEqual(messages(`${BASE}  commonName: x\n  renewBefore: 1h\n  renewBeforePercentage: 10\n`), ['spec.renewBefore: renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set']);
    assert.deepEqual(messages(`${BASE}  commonName: x\n  duration: 1h\n  renewBeforePercentage: 99\n`), ['spec.renewBeforePercentage: certificate renewBeforePercentage must result in a renewBefore greater than 5m0s']);
  });

  it('a duration with a day unit is not a Go duration', () => {
    assert.deepEqual(messages(`${BASE}  commonName: x\n  duration: 90d\n`), ['spec.duration: "90d" is not a Go duration (time.ParseDuration: units ns, us, ms, s, m, h; no "d"), so the API server refuses the Certificate']);
  });

  it('no name, no secretName, no issuer name, bad key size, unknown usage, bad IP', () => {
    assert.deepEqual(messages('apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspec:\n  issuerRef:\n    kind: Issuer\n'), [
      'spec.secretName: must be specified',
      'spec: at least one of commonName (from the commonName field or from a literalSubject), dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must be set',
      'spec.issuerRef.name: must be specified',
    ]);
    assert.deepEqual(messages(`${BASE}  commonName: x\n  privateKey:\n    size: 1024\n`), ['spec.privateKey.size: must be between 2048 and 8192 for rsa keyAlgorithm']);
    assert.deepEqual(messages(`${BASE}  commonName: x\n  privateKey:\n    algorithm: ECDSA\n    size: 2048\n`), ['spec.privateKey.size: Unsupported value: 2048: supported values: "256", "384", "521"']);
    assert.deepEqual(messages(`${BASE}  commonName: x\n  usages: [server auth, serverAuth]\n`), ['spec.usages: unknown keyusage']);
    assert.deepEqual(messages(`${BASE}  ipAddresses: [10.0.0.300]\n`), ['spec.ipAddresses: invalid IP address']);
    assert.deepEqual(messages('apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspec:\n  secretName: s\n  commonName: x\n  issuerRef:\n    name: ca\n    kind: ClusterIsuer\n'), ['spec.issuerRef.kind: must be one of Issuer or ClusterIssuer (did you forget to set spec.issuerRef.group?)']);
  });
});

describe('cert-manager Issuers', () => {
  it('reads the issuer kind and a CA issuer\'s Secret; a ClusterIssuer has no namespace', () => {
    const docs = parseAllDocuments(readFileSync(join(ROOT, 'test/fixtures/upstream/cert-manager/website/content/docs/configuration/selfsigned.md.block4.yaml'), 'utf8'));
    const objects = docs.map((doc) => certManagerObject(doc, doc.contents)).filter((o) => o !== undefined);
    assert.deepEqual(
      objects.map((o) => (o.kind === 'Certificate' ? `${o.label} isCA=${o.isCA} ${o.privateKey.algorithm}-${o.privateKey.size} → ${o.secretName?.value} by ${o.issuerRef.kind} ${o.issuerRef.name}` : `${o.label} ${(o as IssuerSpec).type}${(o as IssuerSpec).caSecretName ? ` ${(o as IssuerSpec).caSecretName!.value}` : ''}`)),
      ['ClusterIssuer selfsigned-issuer selfSigned', 'Certificate sandbox/my-selfsigned-ca isCA=true ECDSA-256 → root-secret by ClusterIssuer selfsigned-issuer', 'Issuer sandbox/my-ca-issuer ca root-secret'],
    );
  });

  it('the documentation\'s exhaustive Certificate is admitted', () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/upstream/cert-manager/website/content/docs/usage/certificate.md.block1.yaml'), 'utf8');
    const s = spec(text);
    assert.deepEqual(webhookRejections(s), []);
    assert.deepEqual(issuedUsages(s), { keyUsages: [], extKeyUsages: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], unknown: [] });
    assert.deepEqual(s.dnsNames.map((n) => n.value), ['example.com', 'www.example.com']);
  });
});

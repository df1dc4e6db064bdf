/**
 * The PKI that cert-manager manifests describe, built at test time with openssl, independently of the
 * product's virtual certificates: each Certificate's Secret as files (`<dir>/<namespace>/<secretName>/`
 * `tls.crt`, `tls.key`, `ca.crt`), with cert-manager's defaults and rules applied here from
 * docs/facts/cert-manager.md, not from the product's model:
 * - usages default to digital signature + key encipherment, with no extendedKeyUsage; isCA adds keyCertSign;
 * - the key: RSA 2048 (or `size`), ECDSA P-256 (or 384/521), Ed25519; PKCS1 by default (`RSA PRIVATE KEY`,
 *   `EC PRIVATE KEY`), `PRIVATE KEY` for PKCS8 and Ed25519;
 * - SANs from dnsNames and ipAddresses only; commonName in the subject only;
 * - SelfSigned: the certificate signs itself and ca.crt is tls.crt; CA issuer: signed by the key of the
 *   CA Secret (a Certificate's, built first), tls.crt = the leaf (the CA chain without its self-signed root),
 *   ca.crt = the CA's root.
 * Only the issuers these tests use (SelfSigned, CA on a Certificate's Secret).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

interface Raw {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

export interface BuiltSecret {
  dir: string;
  tlsCrt: string;
  tlsKey: string;
  caCrt?: string;
}

const KU: Record<string, string> = {
  'digital signature': 'digitalSignature',
  signing: 'digitalSignature',
  'key encipherment': 'keyEncipherment',
  'content commitment': 'nonRepudiation',
  'key agreement': 'keyAgreement',
  'data encipherment': 'dataEncipherment',
  'cert sign': 'keyCertSign',
  'crl sign': 'cRLSign',
};
const EKU: Record<string, string> = { 'server auth': 'serverAuth', 'client auth': 'clientAuth', 'code signing': 'codeSigning', 'email protection': 'emailProtection', any: 'anyExtendedKeyUsage' };

function run(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Builds every Certificate of `manifests` into `root`; returns the Secrets by `namespace/name`. */
export function buildCertManagerPki(manifests: string, root: string): Map<string, BuiltSecret> {
  const objects = parseAllDocuments(manifests)
    .map((d) => d.toJS() as Raw | null)
    .filter((o): o is Raw => !!o && typeof o.kind === 'string');
  const certificates = objects.filter((o) => o.kind === 'Certificate');
  const issuers = objects.filter((o) => o.kind === 'Issuer' || o.kind === 'ClusterIssuer');
  const built = new Map<string, BuiltSecret>();
  const keyOf = (ns: string | undefined, name: string) => `${ns ?? 'default'}/${name}`;

  const build = (cert: Raw, depth = 0): BuiltSecret => {
    const spec = cert.spec as { secretName: string; commonName?: string; dnsNames?: string[]; ipAddresses?: string[]; usages?: string[]; isCA?: boolean; duration?: string; privateKey?: { algorithm?: string; size?: number; encoding?: string }; issuerRef: { name: string; kind?: string } };
    const id = keyOf(cert.metadata.namespace, spec.secretName);
    const known = built.get(id);
    if (known) return known;
    if (depth > 5) throw new Error('issuer loop');
    const dir = join(root, cert.metadata.namespace ?? 'default', spec.secretName);
    mkdirSync(dir, { recursive: true });
    // The key, then its encoding.
    const algorithm = (spec.privateKey?.algorithm ?? 'RSA').toLowerCase();
    const raw = join(dir, 'key.pk8');
    if (algorithm === 'ecdsa') run(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:P-${spec.privateKey?.size ?? 256}`, '-out', raw], dir);
    else if (algorithm === 'ed25519') run(['genpkey', '-algorithm', 'ED25519', '-out', raw], dir);
    else run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.privateKey?.size ?? 2048}`, '-out', raw], dir);
    const tlsKey = join(dir, 'tls.key');
    const pkcs1 = (spec.privateKey?.encoding ?? 'PKCS1') === 'PKCS1' && algorithm !== 'ed25519';
    if (pkcs1 && algorithm === 'rsa') run(['rsa', '-in', raw, '-traditional', '-out', tlsKey], dir);
    else if (pkcs1 && algorithm === 'ecdsa') run(['ec', '-in', raw, '-out', tlsKey], dir);
    else writeFileSync(tlsKey, readFileSync(raw));
    chmodSync(tlsKey, 0o600);
    // The extensions cert-manager's template gives.
    const usages = spec.usages?.length ? spec.usages : ['digital signature', 'key encipherment'];
    const ku = [...(spec.isCA ? ['keyCertSign'] : []), ...usages.filter((u) => KU[u]).map((u) => KU[u])];
    const eku = usages.filter((u) => EKU[u]).map((u) => EKU[u]);
    const sans = [...(spec.dnsNames ?? []).map((d) => `DNS:${d}`), ...(spec.ipAddresses ?? []).map((ip) => `IP:${ip}`)];
    const ext = [`basicConstraints=critical,CA:${spec.isCA ? 'TRUE' : 'FALSE'}`];
    if (ku.length) ext.push(`keyUsage=critical,${[...new Set(ku)].join(',')}`);
    if (eku.length) ext.push(`extendedKeyUsage=${eku.join(',')}`);
    if (sans.length) ext.push(`subjectAltName=${spec.commonName ? '' : 'critical,'}${sans.join(',')}`);
    writeFileSync(join(dir, 'ext.cnf'), `${ext.join('\n')}\n`);
    const subject = spec.commonName ? `/CN=${spec.commonName}` : '/';
    run(['req', '-new', '-key', raw, '-subj', subject, '-out', 'req.csr'], dir);
    const days = String(Math.max(1, Math.round(hours(spec.duration ?? '2160h') / 24)));
    const issuer = issuers.find((i) => i.metadata.name === spec.issuerRef.name && (i.kind === (spec.issuerRef.kind ?? 'Issuer')));
    if (!issuer) throw new Error(`no issuer ${spec.issuerRef.name} for ${cert.metadata.name}`);
    const tlsCrt = join(dir, 'tls.crt');
    const caCrt = join(dir, 'ca.crt');
    if ('selfSigned' in (issuer.spec ?? {})) {
      run(['x509', '-req', '-in', 'req.csr', '-key', raw, '-days', days, '-extfile', 'ext.cnf', '-out', tlsCrt], dir);
      writeFileSync(caCrt, readFileSync(tlsCrt));
    } else if ('ca' in (issuer.spec ?? {})) {
      const secretName = (issuer.spec.ca as { secretName: string }).secretName;
      const caCert = certificates.find((c) => (c.spec as { secretName: string }).secretName === secretName && (issuer.kind === 'ClusterIssuer' || c.metadata.namespace === issuer.metadata.namespace));
      if (!caCert) throw new Error(`the CA Secret ${secretName} is not made by a Certificate here`);
      const ca = build(caCert, depth + 1);
      ext.push('authorityKeyIdentifier=keyid');
      writeFileSync(join(dir, 'ext.cnf'), `${ext.join('\n')}\n`);
      run(['x509', '-req', '-in', 'req.csr', '-CA', ca.tlsCrt, '-CAkey', join(ca.dir, 'key.pk8'), '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`, '-days', days, '-extfile', 'ext.cnf', '-out', 'leaf.crt'], dir);
      // tls.crt: the leaf and the CA's chain without a self-signed root; ca.crt: the root.
      const caChain = readFileSync(ca.tlsCrt, 'utf8');
      const caSelfSigned = readFileSync(ca.caCrt!, 'utf8') === caChain;
      writeFileSync(tlsCrt, readFileSync(join(dir, 'leaf.crt'), 'utf8') + (caSelfSigned ? '' : caChain));
      writeFileSync(caCrt, readFileSync(ca.caCrt!));
    } else throw new Error(`issuer ${issuer.metadata.name}: only selfSigned and ca here`);
    const secret: BuiltSecret = { dir, tlsCrt, tlsKey, ...(existsSync(caCrt) ? { caCrt } : {}) };
    built.set(id, secret);
    return secret;
  };
  for (const cert of certificates) build(cert);
  return built;
}

function hours(duration: string): number {
  const m = /^(\d+)h$/.exec(duration);
  if (!m) throw new Error(`the harness reads durations in hours only: ${duration}`);
  return Number(m[1]);
}

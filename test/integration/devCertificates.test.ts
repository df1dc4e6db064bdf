/**
 * The development PKI of issue 5, judged by the verifiers that will use it: OpenSSL
 * (`openssl verify`, `-checkhost`, `-purpose`), Node's `crypto.X509Certificate`, and Go's
 * `crypto/x509` (the Collector's verifier) when a Go toolchain is installed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCertsCommand } from '../../server/src/cli/certsCommand';
import { generateDevCertificates, parseHost, parseHosts } from '../../server/src/service/certificates/devCertificates';

const DAY = 24 * 60 * 60 * 1000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const HOSTS = ['localhost', '127.0.0.1', '::1', 'otel-collector.observability.svc', '*.collectors.example.test'];
const posix = process.platform !== 'win32';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'otlp-certs-'));
});
after(() => {
  rmSync(root, { recursive: true, force: true });
});

let counter = 0;
function freshDir(): string {
  return join(root, `run${++counter}`);
}

async function certs(argv: string[], now = new Date()) {
  let stdout = '';
  let stderr = '';
  const code = await runCertsCommand(argv, {
    cwd: root,
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    now: () => now,
  });
  return { code, stdout, stderr };
}

function openssl(args: string[], cwd: string) {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  assert.ok(!r.error, `openssl could not run: ${r.error?.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function cert(dir: string, name: string): X509Certificate {
  return new X509Certificate(readFileSync(join(dir, name)));
}

function mode(dir: string, name: string): number {
  return statSync(join(dir, name)).mode & 0o777;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

const hasGo = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
const GO_VERIFY = `package main

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

func load(path string) *x509.Certificate {
	data, err := os.ReadFile(path)
	if err != nil { panic(err) }
	block, _ := pem.Decode(data)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil { panic(err) }
	return cert
}

// verify CA LEAF server|client NAME: the checks crypto/tls makes for a server or a client certificate.
func main() {
	roots := x509.NewCertPool()
	roots.AddCert(load(os.Args[1]))
	usage := x509.ExtKeyUsageServerAuth
	if os.Args[3] == "client" { usage = x509.ExtKeyUsageClientAuth }
	_, err := load(os.Args[2]).Verify(x509.VerifyOptions{Roots: roots, DNSName: os.Args[4], KeyUsages: []x509.ExtKeyUsage{usage}})
	if err != nil { fmt.Println(err); os.Exit(1) }
	fmt.Println("ok")
}
`;
function goVerify(dir: string, ca: string, leaf: string, side: 'server' | 'client', name: string) {
  const src = join(root, 'goverify.go');
  if (!existsSync(src)) writeFileSync(src, GO_VERIFY);
  const r = spawnSync('go', ['run', src, join(dir, ca), join(dir, leaf), side, name], {
    encoding: 'utf8',
    env: { ...process.env, GO111MODULE: 'off', GOFLAGS: '' },
    timeout: 120_000,
  });
  return `${r.stdout}${r.stderr}`.trim();
}

describe('certs command: ECDSA P-256 default set', () => {
  let dir: string;
  let now: Date;
  let result: Awaited<ReturnType<typeof certs>>;
  before(async () => {
    dir = freshDir();
    now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const hostArgs = HOSTS.flatMap((h, i) => (i % 2 ? [`--host=${h}`] : ['--host', h]));
    result = await certs(['--out', dir, ...hostArgs, '--days', '30'], now);
  });

  it('exits 0, writes the six files and prints their paths but no key material', () => {
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['ca.crt', 'ca.key', 'client.crt', 'client.key', 'server.crt', 'server.key']);
    for (const f of ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'client.crt', 'client.key']) assert.match(result.stdout, new RegExp(f.replace('.', '\\.')));
    assert.doesNotMatch(result.stdout + result.stderr, /PRIVATE KEY|BEGIN/);
    for (const f of ['ca.key', 'server.key', 'client.key']) {
      const key = readFileSync(join(dir, f), 'utf8');
      assert.doesNotMatch(result.stdout, new RegExp(key.split('\n')[1].slice(0, 20).replace(/[+/]/g, '\\$&')));
    }
  });

  it('openssl verify -CAfile ca.crt server.crt client.crt passes, with the right purposes', () => {
    const all = openssl(['verify', '-CAfile', 'ca.crt', 'server.crt', 'client.crt'], dir);
    assert.equal(all.status, 0, all.out);
    assert.match(all.out, /server\.crt: OK/);
    assert.match(all.out, /client\.crt: OK/);
    assert.equal(openssl(['verify', '-purpose', 'sslserver', '-CAfile', 'ca.crt', 'server.crt'], dir).status, 0);
    assert.equal(openssl(['verify', '-purpose', 'sslclient', '-CAfile', 'ca.crt', 'client.crt'], dir).status, 0);
    // serverAuth only / clientAuth only: each leaf is refused for the other side.
    assert.notEqual(openssl(['verify', '-purpose', 'sslclient', '-CAfile', 'ca.crt', 'server.crt'], dir).status, 0);
    assert.notEqual(openssl(['verify', '-purpose', 'sslserver', '-CAfile', 'ca.crt', 'client.crt'], dir).status, 0);
    // Strict mode (what Python 3.13 enables) accepts the chain too.
    assert.equal(openssl(['verify', '-x509_strict', '-CAfile', 'ca.crt', 'server.crt', 'client.crt'], dir).status, 0);
  });

  it('openssl x509 -checkhost / -checkip matches every host, and not others', () => {
    for (const host of ['localhost', 'otel-collector.observability.svc', 'a.collectors.example.test']) {
      const r = openssl(['x509', '-in', 'server.crt', '-noout', '-checkhost', host], dir);
      assert.match(r.out, new RegExp(`Hostname ${host.replace(/\./g, '\\.')} does match certificate`), r.out);
    }
    for (const ip of ['127.0.0.1', '::1']) {
      const r = openssl(['x509', '-in', 'server.crt', '-noout', '-checkip', ip], dir);
      assert.match(r.out, /does match certificate/, r.out);
    }
    assert.match(openssl(['x509', '-in', 'server.crt', '-noout', '-checkhost', 'otel-collector'], dir).out, /does NOT match/);
    assert.match(openssl(['x509', '-in', 'server.crt', '-noout', '-checkip', '10.0.0.5'], dir).out, /does NOT match/);
  });

  it('the CA is CA:TRUE pathlen:0 and keyCertSign+cRLSign, both critical, no EKU, CN "OTLP TLS Dev CA", 10 years', () => {
    const r = openssl(['x509', '-in', 'ca.crt', '-noout', '-ext', 'basicConstraints,keyUsage,extendedKeyUsage'], dir);
    assert.match(r.out, /X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    assert.match(r.out, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\s*$/);
    assert.doesNotMatch(r.out, /Extended Key Usage/);
    const ca = cert(dir, 'ca.crt');
    assert.equal(ca.ca, true);
    assert.equal(ca.subject, 'CN=OTLP TLS Dev CA');
    assert.equal(ca.issuer, 'CN=OTLP TLS Dev CA');
    assert.ok(ca.verify(ca.publicKey), 'self-signed');
    assert.equal(new Date(ca.validTo).getTime(), now.getTime() + 3650 * DAY);
    assert.ok(new Date(ca.validFrom).getTime() <= now.getTime());
  });

  it('the server certificate has DNS and IP SANs, serverAuth only, digitalSignature only (ECDSA)', () => {
    const server = cert(dir, 'server.crt');
    const ca = cert(dir, 'ca.crt');
    assert.equal(server.ca, false);
    assert.deepEqual(server.keyUsage, [SERVER_AUTH]);
    assert.equal(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:otel-collector.observability.svc, DNS:*.collectors.example.test');
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkHost('otel-collector.observability.svc'), 'otel-collector.observability.svc');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkIP('::1'), '::1');
    assert.equal(server.checkIP('10.0.0.5'), undefined);
    assert.ok(server.verify(ca.publicKey));
    assert.ok(server.checkIssued(ca));
    const r = openssl(['x509', '-in', 'server.crt', '-noout', '-ext', 'basicConstraints,keyUsage,extendedKeyUsage'], dir);
    assert.match(r.out, /Basic Constraints: critical\s+CA:FALSE/);
    assert.match(r.out, /Key Usage: critical\s+Digital Signature\s*\n/);
    assert.match(r.out, /Extended Key Usage:\s+TLS Web Server Authentication\s*$/);
    assert.equal(new Date(server.validTo).getTime(), now.getTime() + 30 * DAY);
  });

  it('the client certificate has CN = client name and clientAuth only', () => {
    const client = cert(dir, 'client.crt');
    assert.equal(client.subject, 'CN=client');
    assert.equal(client.ca, false);
    assert.deepEqual(client.keyUsage, [CLIENT_AUTH]);
    assert.ok(client.verify(cert(dir, 'ca.crt').publicKey));
    const r = openssl(['x509', '-in', 'client.crt', '-noout', '-ext', 'keyUsage,extendedKeyUsage'], dir);
    assert.match(r.out, /Extended Key Usage:\s+TLS Web Client Authentication\s*$/);
  });

  it('has random 128-bit positive serials, key identifiers that link leaf to CA, and SHA-256 signatures', () => {
    const serials = ['ca.crt', 'server.crt', 'client.crt'].map((f) => cert(dir, f).serialNumber.replace(/^(00)+/, ''));
    for (const s of serials) assert.equal(s.length, 32, s);
    assert.equal(new Set(serials).size, 3);
    const ids = (f: string) => openssl(['x509', '-in', f, '-noout', '-ext', 'subjectKeyIdentifier,authorityKeyIdentifier'], dir).out;
    const caSki = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(ids('ca.crt'))![1];
    for (const f of ['server.crt', 'client.crt']) {
      const out = ids(f);
      assert.match(out, /Subject Key Identifier:\s*\n\s*[0-9A-F:]{20,}/);
      assert.equal(/Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(out)![1], caSki);
      assert.match(openssl(['x509', '-in', f, '-noout', '-text'], dir).out, /Signature Algorithm: ecdsa-with-SHA256/);
    }
  });

  it('writes unencrypted PKCS#8 keys that match their certificates, keys 0600 and certificates 0644', { skip: !posix && 'POSIX modes' }, () => {
    for (const [c, k] of [['ca.crt', 'ca.key'], ['server.crt', 'server.key'], ['client.crt', 'client.key']]) {
      assert.equal(mode(dir, k), 0o600, k);
      assert.equal(mode(dir, c), 0o644, c);
      const pem = readFileSync(join(dir, k), 'utf8');
      assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
      const key = createPrivateKey(pem);
      assert.equal(key.asymmetricKeyType, 'ec');
      assert.deepEqual(createPublicKey(key).export({ format: 'jwk' }), cert(dir, c).publicKey.export({ format: 'jwk' }));
    }
  });

  it("passes Go's crypto/x509 verification (the Collector's) for each side", { skip: !hasGo && 'go is not installed', timeout: 240_000 }, () => {
    assert.equal(goVerify(dir, 'ca.crt', 'server.crt', 'server', 'otel-collector.observability.svc'), 'ok');
    assert.equal(goVerify(dir, 'ca.crt', 'server.crt', 'server', '127.0.0.1'), 'ok');
    assert.equal(goVerify(dir, 'ca.crt', 'client.crt', 'client', ''), 'ok');
    assert.match(goVerify(dir, 'ca.crt', 'client.crt', 'server', ''), /incompatible key usage/);
    assert.match(goVerify(dir, 'ca.crt', 'server.crt', 'server', 'otel-collector'), /certificate is valid for .*, not otel-collector/);
  });
});

describe('certs command: RSA variants', () => {
  for (const [algorithm, bits] of [['rsa-2048', 2048], ['rsa-3072', 3072], ['rsa-4096', 4096]] as const) {
    it(`${algorithm}: chains, right key size, keyEncipherment on the server only, sha256WithRSA`, { timeout: 120_000 }, async () => {
      const dir = freshDir();
      const r = await certs(['--out', dir, '--host', 'localhost', '--host', '10.1.2.3', '--algorithm', algorithm]);
      assert.equal(r.code, 0, r.stderr);
      const v = openssl(['verify', '-CAfile', 'ca.crt', 'server.crt', 'client.crt'], dir);
      assert.equal(v.status, 0, v.out);
      for (const f of ['ca.crt', 'server.crt', 'client.crt']) {
        const c = cert(dir, f);
        assert.equal(c.publicKey.asymmetricKeyType, 'rsa');
        assert.equal(c.publicKey.asymmetricKeyDetails?.modulusLength, bits);
        assert.match(openssl(['x509', '-in', f, '-noout', '-text'], dir).out, /Signature Algorithm: sha256WithRSAEncryption/);
      }
      assert.match(openssl(['x509', '-in', 'server.crt', '-noout', '-ext', 'keyUsage'], dir).out, /critical\s+Digital Signature, Key Encipherment/);
      assert.match(openssl(['x509', '-in', 'client.crt', '-noout', '-ext', 'keyUsage'], dir).out, /critical\s+Digital Signature\s*$/);
      assert.equal(cert(dir, 'server.crt').checkIP('10.1.2.3'), '10.1.2.3');
      if (posix) for (const k of ['ca.key', 'server.key', 'client.key']) assert.equal(mode(dir, k), 0o600);
      for (const k of ['ca.key', 'server.key', 'client.key']) assert.equal(createPrivateKey(readFileSync(join(dir, k))).asymmetricKeyType, 'rsa');
    });
  }
});

describe('certs command: existing files and CA reuse', () => {
  it('refuses to overwrite existing files without --force, naming them, and changes nothing', async () => {
    const dir = freshDir();
    assert.equal((await certs(['--out', dir, '--host', 'localhost'])).code, 0);
    const before = snapshot(dir);
    const r = await certs(['--out', dir, '--host', 'localhost']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /server\.crt/);
    assert.match(r.stderr, /client\.key/);
    assert.match(r.stderr, /--force/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses a single existing client file too', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.key'), 'keep me');
    const r = await certs(['--out', dir, '--host', 'localhost', '--client', 'app']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /app\.key/);
    assert.deepEqual(readdirSync(dir), ['app.key']);
    assert.equal(readFileSync(join(dir, 'app.key'), 'utf8'), 'keep me');
  });

  it('reuses ca.crt + ca.key: a second run with a new client chains to the first CA, which is left untouched', async () => {
    const dir = freshDir();
    assert.equal((await certs(['--out', dir, '--host', 'localhost'])).code, 0);
    const first = snapshot(dir);
    const r = await certs(['--out', dir, '--host', 'localhost', '--host', 'collector', '--client', 'checkout-service', '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /reused CA/);
    const second = snapshot(dir);
    assert.equal(second['ca.crt'], first['ca.crt']);
    assert.equal(second['ca.key'], first['ca.key']);
    assert.notEqual(second['server.crt'], first['server.crt']);
    assert.equal(second['client.crt'], first['client.crt'], 'a client not named in the second run is left alone');
    const v = openssl(['verify', '-CAfile', 'ca.crt', 'server.crt', 'client.crt', 'checkout-service.crt'], dir);
    assert.equal(v.status, 0, v.out);
    assert.equal(cert(dir, 'checkout-service.crt').subject, 'CN=checkout-service');
    if (posix) assert.equal(mode(dir, 'checkout-service.key'), 0o600);
    assert.equal(cert(dir, 'server.crt').checkHost('collector'), 'collector');
  });

  it("reuses a CA made with the article's openssl commands, including a legacy PKCS#1 key", async () => {
    const dir = freshDir();
    mkdirSync(dir);
    assert.equal(openssl(['genrsa', '-traditional', '-out', 'ca.key', '2048'], dir).status, 0);
    const req = openssl(['req', '-new', '-x509', '-days', '365', '-key', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=OTel CA/O=MyCompany'], dir);
    assert.equal(req.status, 0, req.out);
    assert.match(readFileSync(join(dir, 'ca.key'), 'utf8'), /BEGIN RSA PRIVATE KEY/);
    const r = await certs(['--out', dir, '--host', 'otel-collector.observability.svc', '--client', 'my-application']);
    assert.equal(r.code, 0, r.stderr);
    const v = openssl(['verify', '-CAfile', 'ca.crt', 'server.crt', 'my-application.crt'], dir);
    assert.equal(v.status, 0, v.out);
    assert.equal(cert(dir, 'server.crt').issuer, 'CN=OTel CA\nO=MyCompany');
  });

  it('reuses a P-384 CA with a SEC1 "EC PRIVATE KEY" and signs with ECDSA-SHA384', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    assert.equal(openssl(['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'ca.key'], dir).status, 0);
    assert.equal(openssl(['req', '-new', '-x509', '-days', '30', '-key', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=EC CA'], dir).status, 0);
    const r = await certs(['--out', dir, '--host', 'localhost', '--days', '365']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(openssl(['verify', '-CAfile', 'ca.crt', 'server.crt', 'client.crt'], dir).status, 0);
    assert.match(openssl(['x509', '-in', 'server.crt', '-noout', '-text'], dir).out, /Signature Algorithm: ecdsa-with-SHA384/);
    // A leaf never outlives its CA.
    assert.ok(new Date(cert(dir, 'server.crt').validTo).getTime() <= new Date(cert(dir, 'ca.crt').validTo).getTime());
  });

  it('exits 2 on an unusable existing CA: unreadable, garbage, mismatched, encrypted, not a CA, half present', async () => {
    const make = async () => {
      const dir = freshDir();
      assert.equal((await certs(['--out', dir, '--host', 'localhost'])).code, 0);
      for (const f of ['server.crt', 'server.key', 'client.crt', 'client.key']) rmSync(join(dir, f));
      return dir;
    };
    const expectFail = async (dir: string, pattern: RegExp) => {
      const r = await certs(['--out', dir, '--host', 'localhost']);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /[A-Za-z0-9+/]{40,}/, 'no key material in messages');
      assert.ok(!existsSync(join(dir, 'server.crt')));
    };

    let dir = await make();
    rmSync(join(dir, 'ca.key'));
    mkdirSync(join(dir, 'ca.key'));
    await expectFail(dir, /cannot read the existing CA.*EISDIR/);

    dir = await make();
    writeFileSync(join(dir, 'ca.key'), 'this is not a key\n');
    await expectFail(dir, /ca\.key is not PEM/);

    dir = await make();
    const other = await make();
    writeFileSync(join(dir, 'ca.key'), readFileSync(join(other, 'ca.key')));
    await expectFail(dir, /ca\.key does not belong to ca\.crt/);

    dir = await make();
    const enc = openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', 'ca.key', '-out', 'ca.enc', '-passout', 'pass:secret'], dir);
    assert.equal(enc.status, 0, enc.out);
    writeFileSync(join(dir, 'ca.key'), readFileSync(join(dir, 'ca.enc')));
    rmSync(join(dir, 'ca.enc'));
    await expectFail(dir, /ca\.key is encrypted/);

    dir = await make();
    writeFileSync(join(dir, 'ca.crt'), readFileSync(join(other, 'ca.crt')));
    await expectFail(dir, /does not belong/);

    dir = freshDir();
    mkdirSync(dir);
    assert.equal(openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=leaf', '-addext', 'basicConstraints=critical,CA:FALSE'], dir).status, 0);
    await expectFail(dir, /not a CA certificate/);

    dir = await make();
    rmSync(join(dir, 'ca.key'));
    await expectFail(dir, /ca\.crt exists but .*ca\.key does not/);
  });

  it('an expired existing CA is refused with its expiry date', async () => {
    const dir = freshDir();
    const past = new Date('2020-01-01T00:00:00Z');
    const files = await generateDevCertificates({ hosts: ['localhost'], clients: [], algorithm: 'ecdsa-p256', days: 1, caDays: 2, now: past });
    mkdirSync(dir);
    for (const f of files.filter((f) => f.role.startsWith('ca-'))) writeFileSync(join(dir, f.name), f.contents);
    const r = await certs(['--out', dir, '--host', 'localhost']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expired on 2020-01-03T00:00:00\.000Z/);
  });
});

describe('certs command: bad arguments exit 2 and write nothing', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no --out', ['--host', 'localhost'], /--out DIR is required/],
    ['no --host', ['--out', 'x'], /--host/],
    ['--host without value', ['--out', 'x', '--host'], /argument missing/],
    ['--days 0', ['--out', 'x', '--host', 'a', '--days', '0'], /--days must be a whole number greater than 0/],
    ['--days -3', ['--out', 'x', '--host', 'a', '--days=-3'], /--days/],
    ['--days abc', ['--out', 'x', '--host', 'a', '--days', 'abc'], /--days/],
    ['--days 1.5', ['--out', 'x', '--host', 'a', '--days', '1.5'], /--days/],
    ['unknown algorithm', ['--out', 'x', '--host', 'a', '--algorithm', 'rsa-1024'], /--algorithm must be one of ecdsa-p256, rsa-2048, rsa-3072, rsa-4096/],
    ['unknown option', ['--out', 'x', '--host', 'a', '--bogus'], /Unknown option '--bogus'/],
    ['positional', ['--out', 'x', '--host', 'a', 'extra'], /positional/i],
    ['URL as host', ['--out', 'x', '--host', 'https://collector:4317'], /is a URL/],
    ['host:port', ['--out', 'x', '--host', 'collector:4317'], /has a port/],
    ['bad IPv4', ['--out', 'x', '--host', '300.1.1.1'], /not a valid IPv4/],
    ['empty label', ['--out', 'x', '--host', 'a..b'], /empty label/],
    ['bad characters', ['--out', 'x', '--host', 'bad host'], /not a valid DNS name/],
    ['partial wildcard', ['--out', 'x', '--host', 'f*.example.com'], /leftmost label/],
    ['client named ca', ['--out', 'x', '--host', 'a', '--client', 'ca'], /collide/],
    ['client with a path', ['--out', 'x', '--host', 'a', '--client', '../evil'], /client name/],
    ['duplicate client', ['--out', 'x', '--host', 'a', '--client', 'app', '--client', 'app'], /given twice/],
  ];
  for (const [name, argv, pattern] of cases) {
    it(name, async () => {
      const r = await certs(argv.map((a) => (a === 'x' ? join(root, 'never-created') : a)));
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, pattern);
      assert.match(r.stderr, /usage: otlp-tls certs/);
      assert.equal(r.stdout, '');
      assert.ok(!existsSync(join(root, 'never-created')));
    });
  }

  it('--out naming a file is an I/O error (exit 2)', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const r = await certs(['--out', file, '--host', 'localhost']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /a-file/);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await certs(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--algorithm ALG/);
  });

  it('creates a missing nested --out folder, relative to cwd', async () => {
    const r = await certs(['--out', 'nested/deeper/certs', '--host', 'localhost']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(root, 'nested/deeper/certs/server.crt')));
    assert.match(r.stdout, /nested\/deeper\/certs\/server\.crt/);
  });
});

describe('generateDevCertificates (the pure engine)', () => {
  const now = new Date('2030-06-01T12:00:00Z');

  it('returns CA, server and client files in order with roles and modes', async () => {
    const files = await generateDevCertificates({ hosts: ['localhost'], clients: ['client'], algorithm: 'ecdsa-p256', days: 10, now });
    assert.deepEqual(
      files.map((f) => [f.name, f.role, f.mode]),
      [
        ['ca.crt', 'ca-cert', 0o644],
        ['ca.key', 'ca-key', 0o600],
        ['server.crt', 'server-cert', 0o644],
        ['server.key', 'server-key', 0o600],
        ['client.crt', 'client-cert', 0o644],
        ['client.key', 'client-key', 0o600],
      ],
    );
    const server = new X509Certificate(files[2].contents);
    assert.equal(new Date(server.validTo).getTime(), now.getTime() + 10 * DAY);
    // Backdated a little for clocks that lag.
    assert.equal(new Date(server.validFrom).getTime(), now.getTime() - 5 * 60 * 1000);
  });

  it('names client files after the clients and emits no CA when one is given', async () => {
    const first = await generateDevCertificates({ hosts: ['localhost'], clients: [], algorithm: 'ecdsa-p256', days: 10, now });
    assert.deepEqual(first.map((f) => f.name), ['ca.crt', 'ca.key', 'server.crt', 'server.key']);
    const existingCa = { certPem: first[0].contents, keyPem: first[1].contents };
    const second = await generateDevCertificates({ hosts: ['localhost'], clients: ['svc-a', 'svc.b'], algorithm: 'rsa-2048', days: 10, now, existingCa });
    assert.deepEqual(second.map((f) => f.name), ['server.crt', 'server.key', 'svc-a.crt', 'svc-a.key', 'svc.b.crt', 'svc.b.key']);
    const ca = new X509Certificate(first[0].contents);
    for (const f of second.filter((f) => f.role.endsWith('-cert'))) assert.ok(new X509Certificate(f.contents).verify(ca.publicKey), f.name);
  });

  it('throws clear errors on bad input', async () => {
    const base = { hosts: ['localhost'], clients: ['client'], algorithm: 'ecdsa-p256' as const, days: 10, now };
    await assert.rejects(generateDevCertificates({ ...base, hosts: [] }), /at least one host/);
    await assert.rejects(generateDevCertificates({ ...base, days: 0 }), /days must be a whole number of days greater than 0/);
    await assert.rejects(generateDevCertificates({ ...base, days: -1 }), /greater than 0/);
    await assert.rejects(generateDevCertificates({ ...base, hosts: ['exa mple'] }), /not a valid DNS name/);
    await assert.rejects(generateDevCertificates({ ...base, algorithm: 'dsa' as never }), /unknown key algorithm/);
    await assert.rejects(generateDevCertificates({ ...base, clients: ['server'] }), /collide/);
    await assert.rejects(generateDevCertificates({ ...base, existingCa: { certPem: 'nope', keyPem: 'nope' } }), /ca\.crt is not PEM/);
  });

  it('classifies and normalises hosts: IP SANs for IPv4/IPv6 literals, DNS otherwise', () => {
    assert.deepEqual(parseHost('127.0.0.1'), { type: 'ip', value: '127.0.0.1' });
    assert.deepEqual(parseHost('[0:0:0:0:0:0:0:1]'), { type: 'ip', value: '::1' });
    assert.deepEqual(parseHost('2001:DB8:0:0:1:0:0:1'), { type: 'ip', value: '2001:db8::1:0:0:1' });
    assert.deepEqual(parseHost('::ffff:10.0.0.5'), { type: 'ip', value: '::ffff:a00:5' });
    assert.deepEqual(parseHost('Otel-Collector.'), { type: 'dns', value: 'otel-collector' });
    assert.deepEqual(parseHost('otel_collector'), { type: 'dns', value: 'otel_collector' });
    assert.throws(() => parseHost('010.0.0.1'), /not a valid IPv4/);
    assert.throws(() => parseHost('1:2:3'), /not a valid IPv6/);
    assert.throws(() => parseHost('fe80::1%eth0'), /zone/);
    assert.throws(() => parseHost('*.com'), /wildcard/);
    assert.throws(() => parseHost('-bad.example'), /not a valid DNS name/);
    assert.throws(() => parseHost('[127.0.0.1]'), /brackets are only for IPv6/);
    assert.deepEqual(parseHosts(['localhost', 'LOCALHOST', '127.0.0.1', '::1', '[::1]']), [
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
      { type: 'ip', value: '::1' },
    ]);
  });
});

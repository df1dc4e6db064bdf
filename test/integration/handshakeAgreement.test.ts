/**
 * The checker's verdict against real TLS handshakes, case by case.
 *
 * Each scenario writes certificates made at run time, a collector YAML (the receiver) and an env
 * file (the SDK) into a temp folder, runs the checker on them (the core with nodeRuntime and a
 * workspace index, as the CLI does), and runs real handshakes configured the same way:
 * - Node's `tls` (OpenSSL 3): server as the YAML says (cert/key, requestCert+rejectUnauthorized
 *   with client_ca_file), client as the env file says (ca, cert/key, servername = endpoint host);
 * - Go's crypto/tls (the Collector, and the Go SDK), with test/integration/fixtures/tlspeer.go,
 *   when a `go` toolchain is installed (Debian golang-go; .ci/run installs it).
 * The verdict (an error-severity diagnostic or none) must equal Go's outcome, and Node's outcome
 * too, except in the cases marked `openssl differs`, where the test asserts that Node really
 * decides otherwise and that the checker follows Go.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { getLanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import { defaultSettings, type Settings } from '../../server/src/service/settings';
import { createWorkspaceIndex, emptyWorkspace } from '../../server/src/service/model/workspace';
import { hasUnits } from '../../server/src/service/model/units';
import { ca, client, days, intermediate, issue, server, type Issued } from '../support/certificates';
import { GO_MISSING, GO_VERSION, buildGoFixture } from '../support/handshakeHarness';

let tmp: string;
let goPeer: string | undefined;
const GO_AVAILABLE = GO_VERSION !== undefined;
const goMissing = GO_MISSING;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'otlp-agreement-'));
  if (GO_AVAILABLE) {
    const built = buildGoFixture('tlspeer', tmp);
    if (built.bin) goPeer = built.bin;
    else console.error(`building tlspeer failed: ${built.error}`);
  }
});
after(() => rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------

interface Scenario {
  /** The receiver: its certificate (leaf) and what else cert_file holds after it. */
  serverCert: Issued;
  serverChain?: Issued[];
  /** key_file; defaults to the server certificate's key. */
  serverKeyPem?: string;
  /** client_ca_file (mTLS). */
  clientCaFile?: Issued[];
  maxVersion?: string;
  /** OTEL_EXPORTER_OTLP_CERTIFICATE; undefined: not set (system roots). */
  trust?: Issued[];
  clientCert?: Issued;
  clientChain?: Issued[];
  /** The endpoint host; `127.0.0.1` and `::1` are IPs. */
  host: string;
  scheme?: 'https' | 'http' | 'none';
  /** The receiver serves plaintext (no tls:). */
  plaintextServer?: boolean;
}

interface Outcome {
  ok: boolean;
  detail: string;
}

interface Ran {
  problems: Problem[];
  errors: Problem[];
  node: Outcome;
  go?: Outcome;
}

let counter = 0;

function write(path: string, text: string, mode = 0o644): string {
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function pems(certs: Issued[]): string {
  return certs.map((c) => c.pem).join('');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function isIp(host: string): boolean {
  return net.isIP(host) !== 0;
}

function urlHost(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

async function runScenario(s: Scenario): Promise<Ran> {
  const dir = join(tmp, `s${++counter}`);
  mkdirSync(dir);
  const files = {
    serverCrt: write(join(dir, 'server.crt'), pems([s.serverCert, ...(s.serverChain ?? [])])),
    serverKey: write(join(dir, 'server.key'), s.serverKeyPem ?? s.serverCert.keyPem, 0o600),
    clientCa: s.clientCaFile ? write(join(dir, 'client-ca.crt'), pems(s.clientCaFile)) : undefined,
    trust: s.trust ? write(join(dir, 'ca.crt'), pems(s.trust)) : undefined,
    clientCrt: s.clientCert ? write(join(dir, 'client.crt'), pems([s.clientCert, ...(s.clientChain ?? [])])) : undefined,
    clientKey: s.clientCert ? write(join(dir, 'client.key'), s.clientCert.keyPem, 0o600) : undefined,
  };
  const port = await freePort();

  // The receiver, as a collector config.
  let tlsBlock = '';
  if (!s.plaintextServer) {
    tlsBlock = `        tls:\n          cert_file: ${files.serverCrt}\n          key_file: ${files.serverKey}\n`;
    if (files.clientCa) tlsBlock += `          client_ca_file: ${files.clientCa}\n`;
    if (s.maxVersion) tlsBlock += `          min_version: "1.0"\n          max_version: "${s.maxVersion}"\n`;
  }
  const collectorYaml = `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 127.0.0.1:${port}\n${tlsBlock}exporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n`;
  // The SDK, as an env file.
  const scheme = s.scheme ?? 'https';
  let env = `OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=${scheme === 'none' ? '' : scheme + '://'}${urlHost(s.host)}:${port}\n`;
  if (files.trust) env += `OTEL_EXPORTER_OTLP_CERTIFICATE=${files.trust}\n`;
  if (files.clientCrt) env += `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=${files.clientCrt}\nOTEL_EXPORTER_OTLP_CLIENT_KEY=${files.clientKey}\n`;
  const collectorPath = write(join(dir, 'collector.yaml'), collectorYaml);
  const envPath = write(join(dir, 'app.env'), env);

  const problems = checkWorkspace([collectorPath, envPath], { workspaceRoots: [dir] });
  const errors = problems.filter((p) => (p.severity ?? 'error') === 'error' && !['information', 'hint', 'warning'].includes(p.severity ?? severityOf(p)));
  const node = await nodeHandshake(s, files, scheme);
  const go = goPeer && !s.plaintextServer && scheme !== 'http' ? goHandshake(s, files, dir) : undefined;
  return { problems, errors, node, go };
}

import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';
import { ARTICLE_COLLECTOR_CONFIG, ARTICLE_OPENSSL_SCRIPT } from '../support/articleCertificates';
function severityOf(p: Problem): string {
  return p.severity ?? diagnosticCodes[p.code].severity;
}

/** Runs the checker on files on disk as one workspace (the CLI's way). */
function checkWorkspace(paths: string[], settings: Partial<Settings> = {}): Problem[] {
  const runtime = nodeRuntime();
  const all: Settings = { ...defaultSettings, ...settings };
  let workspace = emptyWorkspace;
  const service = getLanguageService({ runtime, settings: all, workspace: () => workspace });
  const docs = paths.map((path) => {
    const text = readFileSync(path, 'utf8');
    return { path, text, parsed: service.parse({ path, text }) };
  });
  workspace = createWorkspaceIndex(docs.map((d) => d.parsed).filter(hasUnits), runtime.getEnv);
  return docs.flatMap((d) => service.validate({ path: d.path, text: d.text }, d.parsed).map((p) => ({ ...p, message: `${d.path.split('/').pop()}: ${p.message}` })));
}

function errorsOf(ran: Ran): Problem[] {
  return ran.problems.filter((p) => severityOf(p) === 'error');
}

/** Node (OpenSSL): a TLS server as the collector YAML says and a client as the env file says. */
async function nodeHandshake(s: Scenario, files: Record<string, string | undefined>, scheme: string): Promise<Outcome> {
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  return new Promise<Outcome>((resolve) => {
    let done = false;
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        srv.close();
      } catch {
        /* already closed */
      }
      resolve(o);
    };
    const timer = setTimeout(() => finish({ ok: false, detail: 'timeout' }), 5000);
    let srv: net.Server;
    try {
      if (s.plaintextServer) {
        srv = net.createServer((sock) => {
          sock.on('error', () => undefined);
          sock.on('data', () => sock.end());
        });
      } else {
        srv = tls.createServer(
          {
            cert: read(files.serverCrt),
            key: read(files.serverKey),
            ca: read(files.clientCa),
            requestCert: !!files.clientCa,
            rejectUnauthorized: !!files.clientCa,
            ...(s.maxVersion ? { maxVersion: `TLSv${s.maxVersion}` as tls.SecureVersion, minVersion: 'TLSv1' as tls.SecureVersion } : {}),
          },
          (sock) => {
            sock.on('error', () => undefined);
            sock.write('k');
          },
        );
        srv.on('tlsClientError', () => undefined);
      }
    } catch (error) {
      finish({ ok: false, detail: `server cannot start: ${(error as Error).message}` });
      return;
    }
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      if (scheme === 'http') {
        // A plaintext gRPC client: the HTTP/2 preface, no TLS.
        const sock = net.connect(port, '127.0.0.1', () => sock.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
        sock.on('data', (d) => finish({ ok: !s.plaintextServer ? false : true, detail: `plaintext got ${d.length} bytes` }));
        sock.on('error', (e) => finish({ ok: false, detail: e.message }));
        sock.on('close', () => finish({ ok: !!s.plaintextServer, detail: 'closed' }));
        return;
      }
      const sock = tls.connect({
        host: '127.0.0.1',
        port,
        servername: isIp(s.host) ? undefined : s.host,
        checkServerIdentity: (_h, cert) => tls.checkServerIdentity(s.host, cert),
        ca: read(files.trust),
        cert: read(files.clientCrt),
        key: read(files.clientKey),
      });
      sock.on('data', () => {
        finish({ ok: true, detail: 'ok' });
        sock.destroy();
      });
      sock.on('error', (e) => finish({ ok: false, detail: `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}` }));
    });
  });
}

/** Go (the Collector's crypto/tls and the Go SDK's) through the tlspeer helper. */
function goHandshake(s: Scenario, files: Record<string, string | undefined>, dir: string): Outcome {
  const config = {
    serverCert: files.serverCrt,
    serverKey: files.serverKey,
    clientCA: files.clientCa ?? '',
    maxVersion: s.maxVersion ?? '',
    caFile: files.trust ?? '',
    clientCert: files.clientCrt ?? '',
    clientKey: files.clientKey ?? '',
    serverName: s.host,
  };
  const path = write(join(dir, 'tlspeer.json'), JSON.stringify(config));
  const run = spawnSync(goPeer!, ['pair', path], { encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0) throw new Error(`tlspeer failed: ${run.stderr}`);
  const r = JSON.parse(run.stdout) as { ok: boolean; client: string; server: string };
  return { ok: r.ok, detail: `client: ${r.client} | server: ${r.server}` };
}

function describeRan(ran: Ran): string {
  return `checker: ${JSON.stringify(ran.problems.map((p) => `${p.code}(${severityOf(p)}): ${p.message}`), null, 1)}\nnode: ${ran.node.detail}\ngo: ${ran.go?.detail ?? 'not run'}`;
}

/**
 * Runs a scenario and asserts agreement. `expect` is the code the checker must report (or
 * undefined for a clean handshake); `opensslDiffers` marks the cases where Node decides otherwise.
 */
async function agree(s: Scenario, expect: { code?: string; opensslDiffers?: boolean }, t?: { diagnostic: (m: string) => void; skip: (m: string) => void }): Promise<Ran> {
  const ran = await runScenario(s);
  const checkerFails = errorsOf(ran).length > 0;
  const info = describeRan(ran);
  if (expect.code) assert.ok(ran.problems.some((p) => p.code === expect.code && severityOf(p) === 'error'), `expected ${expect.code}\n${info}`);
  else assert.equal(checkerFails, false, `expected no error\n${info}`);
  if (ran.go) assert.equal(!checkerFails, ran.go.ok, `checker and Go disagree\n${info}`);
  else if (!goPeer) {
    // Without Go, the cases where OpenSSL differs have nothing to agree with: say so.
    if (expect.opensslDiffers) t?.skip(goMissing);
    else t?.diagnostic(goMissing);
  }
  if (expect.opensslDiffers) {
    assert.notEqual(ran.node.ok, !checkerFails, `Node was expected to decide otherwise than Go here\n${info}`);
  } else {
    assert.equal(ran.node.ok, !checkerFails, `checker and Node disagree\n${info}`);
  }
  return ran;
}

// ---------------------------------------------------------------------------------------------

let root: Issued;
let rsaRoot: Issued;
let mid: Issued;
let otherCa: Issued;

before(async () => {
  root = await ca('Agreement Root CA');
  rsaRoot = await ca('Agreement RSA Root CA', { key: 'rsa' });
  mid = await intermediate(root, 'Agreement Intermediate CA');
  otherCa = await ca('Other Root CA');
});

it('builds the Go TLS peer (fixtures/tlspeer.go) when Go is installed', { skip: GO_AVAILABLE ? false : goMissing }, () => {
  assert.ok(goPeer, 'go is on PATH but tlspeer.go did not build');
});

describe('clean handshakes agree', () => {
  it('TLS, ECDSA server certificate, DNS SAN', async (t) => {
    await agree({ serverCert: await server(root, ['otel-collector.observability.svc', 'localhost']), trust: [root], host: 'otel-collector.observability.svc' }, {}, t);
  });
  it('mTLS, RSA server and RSA CA, ECDSA client', async (t) => {
    const s = await server(rsaRoot, ['localhost'], { key: 'rsa' });
    await agree({ serverCert: s, trust: [rsaRoot], clientCaFile: [rsaRoot], clientCert: await client(rsaRoot), host: 'localhost' }, {}, t);
  });
  it('server chain through an intermediate sent in cert_file', async (t) => {
    await agree({ serverCert: await server(mid, ['localhost']), serverChain: [mid], trust: [root], host: 'localhost' }, {}, t);
  });
  it('client chain through an intermediate sent in the client certificate file', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], clientCaFile: [root], clientCert: await client(mid), clientChain: [mid], host: 'localhost' }, {}, t);
  });
  it('IP host with an IP SAN (v4 and v6)', async (t) => {
    await agree({ serverCert: await server(root, [], { subject: 'ip', ips: ['127.0.0.1'] }), trust: [root], host: '127.0.0.1' }, {}, t);
  });
  it('wildcard SAN, one label', async (t) => {
    await agree({ serverCert: await server(root, ['*.collectors.example.test']), trust: [root], host: 'gw.collectors.example.test' }, {}, t);
  });
  it('host in a different case than the SAN', async (t) => {
    await agree({ serverCert: await server(root, ['OTEL-Collector.example.test']), trust: [root], host: 'otel-collector.EXAMPLE.test' }, {}, t);
  });
  it('RSA 1024 server key: a weak-key warning, but Go 1.19 and OpenSSL 3.0 accept it', async (t) => {
    const ran = await agree({ serverCert: await server(root, ['localhost'], { key: 'rsa1024' }), trust: [root], host: 'localhost' }, {}, t);
    assert.ok(ran.problems.some((p) => p.code === 'weak-key'));
  });
});

describe('server certificate failures agree', () => {
  it('san-mismatch: the host is not in the SANs', async (t) => {
    await agree({ serverCert: await server(root, ['otel-collector.observability.svc']), trust: [root], host: 'otel-collector' }, { code: 'san-mismatch' }, t);
  });
  it('san-mismatch: an IP host against DNS SANs only', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], host: '127.0.0.1' }, { code: 'san-mismatch' }, t);
  });
  it('san-mismatch: a wildcard does not cover two labels', async (t) => {
    await agree({ serverCert: await server(root, ['*.example.test']), trust: [root], host: 'a.b.example.test' }, { code: 'san-mismatch' }, t);
  });
  it('unknown-authority: the env CA is another CA', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [otherCa], host: 'localhost' }, { code: 'unknown-authority' }, t);
  });
  it('unknown-authority: a regenerated CA with the same name', async (t) => {
    const twin = await ca('Agreement Root CA');
    await agree({ serverCert: await server(root, ['localhost']), trust: [twin], host: 'localhost' }, { code: 'unknown-authority' }, t);
  });
  it('unknown-authority: the intermediate is not sent (cert_file holds only the leaf)', async (t) => {
    await agree({ serverCert: await server(mid, ['localhost']), trust: [root], host: 'localhost' }, { code: 'unknown-authority' }, t);
  });
  it('unknown-authority: no CERTIFICATE set, private CA, system roots', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), host: 'localhost' }, { code: 'unknown-authority' }, t);
  });
  it('cert-expired: the server certificate', async (t) => {
    await agree({ serverCert: await server(root, ['localhost'], { notBefore: days(-60), notAfter: days(-1) }), trust: [root], host: 'localhost' }, { code: 'cert-expired' }, t);
  });
  it('cert-not-yet-valid: the server certificate', async (t) => {
    await agree({ serverCert: await server(root, ['localhost'], { notBefore: days(3), notAfter: days(90) }), trust: [root], host: 'localhost' }, { code: 'cert-not-yet-valid' }, t);
  });
  it('cert-expired: the CA in the trust file', async (t) => {
    const old = await ca('Expired Root CA', { notBefore: days(-400), notAfter: days(-1) });
    await agree({ serverCert: await server(old, ['localhost'], { notBefore: days(-10), notAfter: days(100) }), trust: [old], host: 'localhost' }, { code: 'cert-expired' }, t);
  });
  it('missing-eku: the server certificate is for clientAuth only', async (t) => {
    await agree({ serverCert: await server(root, ['localhost'], { eku: ['clientAuth'] }), trust: [root], host: 'localhost' }, { code: 'missing-eku' }, t);
  });
  it('weak-signature: a SHA-1 signed server certificate', async (t) => {
    await agree({ serverCert: await server(root, ['localhost'], { hash: 'SHA-1' }), trust: [root], host: 'localhost' }, { code: 'weak-signature' }, t);
  });
  it('not-a-ca: the issuer of the server certificate lacks CA:TRUE', async (t) => {
    const fake = await issue({ subject: 'Not A CA', issuer: root, ca: false });
    const s = await server(fake, ['localhost']);
    await agree({ serverCert: s, serverChain: [fake], trust: [root], host: 'localhost' }, { code: 'not-a-ca' }, t);
  });
  it('key-mismatch: key_file is not the key of cert_file (neither server starts)', async (t) => {
    const s = await server(root, ['localhost']);
    const other = await server(root, ['localhost']);
    await agree({ serverCert: s, serverKeyPem: other.keyPem, trust: [root], host: 'localhost' }, { code: 'key-mismatch' }, t);
  });
  it('weak-tls-version: the receiver allows at most TLS 1.1', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], maxVersion: '1.1', host: 'localhost' }, { code: 'weak-tls-version' }, t);
  });
});

describe('client certificate failures agree (mTLS, verified by the Collector)', () => {
  it('missing-client-cert: client_ca_file set, no client certificate', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], clientCaFile: [root], host: 'localhost' }, { code: 'missing-client-cert' }, t);
  });
  it('unknown-authority: the client certificate is from another CA', async (t) => {
    // An OpenSSL client sends it anyway; a Go client sends no certificate at all (its issuer is not
    // in the acceptable CAs), so the Collector says "client didn't provide a certificate". Both fail.
    const ran = await agree({ serverCert: await server(root, ['localhost']), trust: [root], clientCaFile: [root], clientCert: await client(otherCa), host: 'localhost' }, { code: 'unknown-authority' }, t);
    const message = ran.problems.find((p) => p.code === 'unknown-authority')!.message;
    assert.match(message, /Go SDK does not even send it.*client didn't provide a certificate/, 'the message says what a Go SDK does');
    if (ran.go) assert.match(ran.go.detail, /server: .*client didn't provide a certificate/, 'and Go does exactly that');
  });
  it('missing-eku: a client certificate whose issuer is in client_ca_file is still sent by Go, and rejected', async (t) => {
    // The issuer is an acceptable CA, so a Go client sends the certificate and the Collector verifies it.
    const ran = await agree({ serverCert: await server(root, ['localhost']), trust: [root], clientCaFile: [root], clientCert: await client(root, 'app', { eku: ['serverAuth'] }), host: 'localhost' }, { code: 'missing-eku' }, t);
    assert.ok(!ran.problems.some((p) => /does not even send/.test(p.message)), 'no "Go sends nothing" note when the issuer is acceptable');
    if (ran.go) assert.doesNotMatch(ran.go.detail, /didn't provide a certificate/);
  });
  it('missing-eku: the client certificate is for serverAuth only', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], clientCaFile: [root], clientCert: await client(root, 'app', { eku: ['serverAuth'] }), host: 'localhost' }, { code: 'missing-eku' }, t);
  });
  it('missing-eku: a CA limited to serverAuth issues the client certificate (nested EKU)', async (t) => {
    const serverOnlyCa = await ca('Server-only CA', { eku: ['serverAuth'] });
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], clientCaFile: [serverOnlyCa], clientCert: await client(serverOnlyCa, 'app', { eku: undefined }), host: 'localhost' }, { code: 'missing-eku' }, t);
  });
  it('cert-expired: the client certificate', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], clientCaFile: [root], clientCert: await client(root, 'app', { notBefore: days(-30), notAfter: days(-1) }), host: 'localhost' }, { code: 'cert-expired' }, t);
  });
});

describe('plaintext against TLS agrees', () => {
  it('plaintext-endpoint: http:// against a TLS receiver', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], host: 'localhost', scheme: 'http' }, { code: 'plaintext-endpoint' }, t);
  });
  it('plaintext-endpoint: https:// against a plaintext receiver', async (t) => {
    await agree({ serverCert: await server(root, ['localhost']), trust: [root], host: 'localhost', plaintextServer: true }, { code: 'plaintext-endpoint' }, t);
  });
  it('a gRPC endpoint without a scheme uses TLS (and verifies the SAN)', async (t) => {
    await agree({ serverCert: await server(root, ['otel-collector.observability.svc']), trust: [root], host: 'otel-collector', scheme: 'none' }, { code: 'san-mismatch' }, t);
  });
});

describe('where Go and OpenSSL differ, the checker follows Go', () => {
  it('cn-only: the host only in the CN (Go rejects; Node falls back to the CN)', async (t) => {
    const s = await issue({ subject: 'localhost', issuer: root, eku: ['serverAuth'] });
    await agree({ serverCert: s, trust: [root], host: 'localhost' }, { code: 'cn-only', opensslDiffers: true }, t);
  });
  it('partial wildcard f*.example.test (Go: literal, no match; Node: matches)', async (t) => {
    await agree({ serverCert: await server(root, ['f*.example.test']), trust: [root], host: 'foo.example.test' }, { code: 'san-mismatch', opensslDiffers: true }, t);
  });
  it('SAN "*" for a single-label host (Go ≥ 1.20 and Node both refuse it)', async (t) => {
    // validHostname refuses the pattern "*" since Go 1.20, so it only matches the host "*" literally.
    await agree({ serverCert: await server(root, ['*']), trust: [root], host: 'otel-collector' }, { code: 'san-mismatch' }, t);
  });
  it('trust file holds only the intermediate, not the root (Go: any anchor; OpenSSL: needs a self-signed root)', async (t) => {
    const ran = await agree({ serverCert: await server(mid, ['localhost']), serverChain: [mid], trust: [mid], host: 'localhost' }, { opensslDiffers: true }, t);
    const warning = ran.problems.find((p) => p.code === 'unknown-authority');
    assert.equal(warning && severityOf(warning), 'warning', 'OpenSSL-based SDKs are warned about');
  });
  it('trust file holds the server\'s own CA-issued leaf (Go pins it; OpenSSL fails)', async (t) => {
    const s = await server(root, ['localhost']);
    await agree({ serverCert: s, trust: [s], host: 'localhost' }, { opensslDiffers: true }, t);
  });
});

describe('collector to collector (exporter → receiver of another config)', () => {
  async function pair(serverCert: Issued, tlsLines: string, endpointHost: string, extra: Record<string, string> = {}) {
    const dir = join(tmp, `c${++counter}`);
    mkdirSync(dir);
    for (const [name, text] of Object.entries(extra)) write(join(dir, name), text);
    write(join(dir, 'server.crt'), serverCert.pem);
    write(join(dir, 'server.key'), serverCert.keyPem, 0o600);
    write(join(dir, 'ca.crt'), root.pem);
    const agentCert = await client(root, 'agent');
    write(join(dir, 'agent.crt'), agentCert.pem);
    write(join(dir, 'agent.key'), agentCert.keyPem, 0o600);
    const gateway = write(join(dir, 'gateway.yaml'), `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:14317\n        tls:\n          cert_file: server.crt\n          key_file: server.key\n          client_ca_file: ca.crt\n`);
    const agent = write(join(dir, 'agent.yaml'), `exporters:\n  otlp/gateway:\n    endpoint: ${endpointHost}:14317\n    tls:\n${tlsLines}`);
    return { problems: checkWorkspace([gateway, agent], { workspaceRoots: [dir] }).filter((p) => p.message.startsWith('agent.yaml')), dir, agentCert };
  }
  it('a matching exporter checks clean, and the same files complete a real handshake', async () => {
    const s = await server(root, ['gateway.internal']);
    const { problems, dir } = await pair(s, '      ca_file: ca.crt\n      cert_file: agent.crt\n      key_file: agent.key\n', 'gateway.internal');
    assert.deepEqual(problems.filter((p) => severityOf(p) === 'error'), []);
    const ran = await nodeHandshake({ serverCert: s, host: 'gateway.internal', clientCaFile: [root] }, { serverCrt: join(dir, 'server.crt'), serverKey: join(dir, 'server.key'), clientCa: join(dir, 'ca.crt'), trust: join(dir, 'ca.crt'), clientCrt: join(dir, 'agent.crt'), clientKey: join(dir, 'agent.key') }, 'https');
    assert.ok(ran.ok, ran.detail);
  });
  it('san-mismatch on the exporter endpoint, fixed by server_name_override', async () => {
    const s = await server(root, ['gateway.internal']);
    const bad = await pair(s, '      ca_file: ca.crt\n      cert_file: agent.crt\n      key_file: agent.key\n', '10.0.0.7');
    const p = bad.problems.find((x) => x.code === 'san-mismatch');
    assert.ok(p, JSON.stringify(bad.problems));
    assert.match(p!.message, /cannot validate certificate for 10\.0\.0\.7 because it doesn't contain any IP SANs/);
    assert.ok(p!.related?.[0].path.endsWith('gateway.yaml'));
    const good = await pair(s, '      ca_file: ca.crt\n      cert_file: agent.crt\n      key_file: agent.key\n      server_name_override: gateway.internal\n', '10.0.0.7');
    assert.deepEqual(good.problems.filter((x) => severityOf(x) === 'error'), []);
  });
  it('missing-client-cert and unknown-authority from the exporter side', async () => {
    const s = await server(root, ['gateway.internal']);
    const noCert = await pair(s, '      ca_file: ca.crt\n', 'gateway.internal');
    assert.ok(noCert.problems.some((x) => x.code === 'missing-client-cert'), JSON.stringify(noCert.problems));
    const wrong = await pair(s, '      ca_file: other.crt\n      cert_file: agent.crt\n      key_file: agent.key\n', 'gateway.internal', { 'other.crt': otherCa.pem });
    assert.ok(wrong.problems.some((x) => x.code === 'unknown-authority'), JSON.stringify(wrong.problems));
  });
});

// ---------------------------------------------------------------------------------------------
// The article's example (shared/reference/otlp-tls-article.md), with its own openssl commands.

describe("the article's example", () => {
  let certs: string;
  before(() => {
    certs = join(tmp, 'article-certs');
    mkdirSync(certs);
    const run = spawnSync('bash', ['-c', ARTICLE_OPENSSL_SCRIPT], { cwd: certs, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  const COLLECTOR = ARTICLE_COLLECTOR_CONFIG;
  const ENV = `# Configure the Python OTLP exporter with TLS certificates.
# These environment variables are read by the SDK automatically.
export OTEL_EXPORTER_OTLP_ENDPOINT="https://otel-collector.observability.svc:4318"
export OTEL_EXPORTER_OTLP_CERTIFICATE="/etc/otel/certs/ca.crt"
export OTEL_EXPORTER_OTLP_CLIENT_KEY="/etc/otel/certs/client.key"
export OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE="/etc/otel/certs/client.crt"
`;

  function article(env: string, mapped = true): Problem[] {
    const dir = mkdtempSync(join(tmp, 'article-'));
    const collector = write(join(dir, 'otel-collector-config.yaml'), COLLECTOR);
    const envFile = write(join(dir, 'otel.sh'), env);
    return checkWorkspace([collector, envFile], { workspaceRoots: [dir], pathMappings: mapped ? [{ from: '/etc/otel/certs', to: certs }] : [] });
  }

  it('checks clean with the path mapping /etc/otel/certs → the generated folder', () => {
    const problems = article(ENV);
    // The env check's port-protocol-mismatch warning is right about the article: with no
    // OTEL_EXPORTER_OTLP_PROTOCOL, Python defaults to grpc, and 4318 is the HTTP port.
    const own = problems.filter((p) => p.code !== 'port-protocol-mismatch');
    assert.deepEqual(own.map((p) => `${p.code}: ${p.message}`), []);
    assert.deepEqual(problems.filter((p) => severityOf(p) === 'error'), []);
  });
  it('without the mapping, every path is file-not-found', () => {
    const problems = article(ENV, false);
    assert.ok(problems.filter((p) => p.code === 'file-not-found').length >= 9, JSON.stringify(problems.map((p) => p.code)));
  });
  it('its troubleshooting case: otel-collector:4317 against the certificate for otel-collector.observability.svc is san-mismatch', () => {
    const problems = article(ENV.replace('https://otel-collector.observability.svc:4318', 'otel-collector:4317').replace('export OTEL_EXPORTER_OTLP_ENDPOINT', 'export OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nexport OTEL_EXPORTER_OTLP_ENDPOINT'));
    const mismatch = problems.filter((p) => p.code === 'san-mismatch');
    assert.equal(mismatch.length, 1, JSON.stringify(problems.map((p) => `${p.code}: ${p.message}`), null, 1));
    assert.match(mismatch[0].message, /x509: certificate is valid for otel-collector\.observability\.svc, localhost, not otel-collector/);
    assert.ok(mismatch[0].related?.[0].path.endsWith('otel-collector-config.yaml'));
    assert.equal(mismatch[0].related?.[0].range.start.line, 9, 'related points at the grpc receiver\'s cert_file');
  });
  it('the same files complete a real mTLS handshake (Node) for the clean case and fail for the short name', async () => {
    const files = { serverCrt: join(certs, 'server.crt'), serverKey: join(certs, 'server.key'), clientCa: join(certs, 'ca.crt'), trust: join(certs, 'ca.crt'), clientCrt: join(certs, 'client.crt'), clientKey: join(certs, 'client.key') };
    const fake = { serverCert: root, clientCaFile: [root] } as unknown as Scenario;
    const good = await nodeHandshake({ ...fake, host: 'otel-collector.observability.svc' }, files, 'https');
    assert.ok(good.ok, good.detail);
    const bad = await nodeHandshake({ ...fake, host: 'otel-collector' }, files, 'https');
    assert.equal(bad.ok, false);
    assert.match(bad.detail, /ERR_TLS_CERT_ALTNAME_INVALID/);
  });
});

/**
 * Host name matching by Go's rules (server/src/service/certificates/hostname.ts) on a table of
 * SANs and hosts, compared with Go's own x509.VerifyHostname (fixtures/verifyhost.go, when Go is
 * installed) and with Node's X509Certificate.checkHost in the Go-like mode
 * ({ subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false }),
 * which agrees with Go except on wildcards over a single label (`*`, `*.com`) and a trailing dot on the host.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue, type Issued } from '../support/certificates';
import { parseCertificate } from '../../server/src/service/certificates/certificateInfo';
import { parsePem } from '../../server/src/service/certificates/pem';
import { verifyHostname } from '../../server/src/service/certificates/hostname';
import { GO_MISSING, GO_VERSION, buildGoFixture } from '../support/handshakeHarness';

const GO_AVAILABLE = GO_VERSION !== undefined;
let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'otlp-hostnames-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Row {
  dns?: string[];
  ips?: string[];
  cn?: string;
  host: string;
  /** Go's verdict: true when the host matches. */
  go: boolean;
  /** Node's checkHost/checkIP differs from Go here. */
  nodeDiffers?: boolean;
}

const TABLE: Row[] = [
  { dns: ['otel-collector.observability.svc'], host: 'otel-collector.observability.svc', go: true },
  { dns: ['otel-collector.observability.svc'], host: 'otel-collector', go: false },
  { dns: ['Otel-Collector.Example.COM'], host: 'otel-collector.example.com', go: true },
  { dns: ['otel-collector.example.com'], host: 'OTEL-COLLECTOR.example.com', go: true },
  { dns: ['*.example.com'], host: 'foo.example.com', go: true },
  { dns: ['*.example.com'], host: 'example.com', go: false },
  { dns: ['*.example.com'], host: 'a.b.example.com', go: false },
  { dns: ['*.Example.COM'], host: 'foo.example.com.', go: true, nodeDiffers: true }, // checkHost keeps the trailing dot
  { dns: ['f*.example.com'], host: 'foo.example.com', go: false },
  { dns: ['*o.example.com'], host: 'foo.example.com', go: false },
  { dns: ['foo.*.com'], host: 'foo.example.com', go: false },
  { dns: ['*'], host: 'otel-collector', go: false }, // Go ≥ 1.20: a bare "*" is not a valid pattern
  { dns: ['*'], host: '*', go: true }, // …so it matches the host "*" exactly
  { dns: ['localhost.'], host: 'localhost', go: false }, // a trailing dot on the pattern is kept
  { dns: ['*.otel.test'], host: 'a_b.otel.test', go: true, nodeDiffers: true }, // OpenSSL's X509_check_host: what * matches must be [A-Za-z0-9-]
  { dns: ['xn--bcher-kva.test'], host: 'XN--BCHER-KVA.test', go: true },
  { dns: ['*.xn--bcher-kva.test'], host: 'a.xn--bcher-kva.test', go: true },
  { dns: ['a*.otel.test'], host: 'a*.otel.test', go: true }, // an invalid pattern still matches itself exactly
  { dns: ['*.com'], host: 'foo.com', go: true, nodeDiffers: true },
  { dns: ['otel_collector'], host: 'otel_collector', go: true },
  { dns: ['localhost'], host: '127.0.0.1', go: false },
  { ips: ['127.0.0.1'], host: '127.0.0.1', go: true },
  { ips: ['10.0.0.5'], host: '10.0.0.6', go: false },
  { ips: ['::1'], host: '::1', go: true },
  { ips: ['::1'], host: '[::1]', go: true, nodeDiffers: true },
  { ips: ['127.0.0.1'], dns: ['localhost'], host: 'localhost', go: true },
  { cn: 'otel-collector', host: 'otel-collector', go: false },
  { cn: 'otel-collector', dns: ['other'], host: 'otel-collector', go: false },
];

let certs: Issued[];
before(async () => {
  certs = await Promise.all(TABLE.map((row) => issue({ subject: row.cn ?? 'x', dns: row.dns, ips: row.ips })));
});

function ours(i: number) {
  return verifyHostname(parseCertificate(parsePem(certs[i].pem)[0]), TABLE[i].host);
}

it('follows Go on every row of the table', () => {
  TABLE.forEach((row, i) => assert.equal(ours(i).ok, row.go, `${JSON.stringify(row)}: ${JSON.stringify(ours(i))}`));
});

it("agrees with Go's own VerifyHostname, verdict and error text", { skip: GO_AVAILABLE ? false : GO_MISSING }, () => {
  const built = buildGoFixture('verifyhost', tmp);
  assert.ok(built.bin, built.error);
  const bin = built.bin!;
  const input = join(tmp, 'cases.json');
  writeFileSync(input, JSON.stringify(TABLE.map((row, i) => ({ pem: certs[i].pem, host: row.host }))));
  const run = spawnSync(bin, [input], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const go = JSON.parse(run.stdout) as string[];
  TABLE.forEach((row, i) => {
    const result = ours(i);
    assert.equal(go[i] === '', row.go, `the table is wrong about ${JSON.stringify(row)}: Go says ${go[i]}`);
    assert.equal(result.ok ? '' : result.goError, go[i], JSON.stringify(row));
  });
});

it("agrees with Node's checkHost in Go-like mode except on single-label wildcards and trailing dots", () => {
  TABLE.forEach((row, i) => {
    const x = new X509Certificate(certs[i].pem);
    const host = row.host.replace(/^\[|\]$/g, '');
    const isIp = /^[\d.]+$/.test(host) || host.includes(':');
    const node = isIp ? x.checkIP(host) !== undefined : x.checkHost(host, { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined;
    if (row.nodeDiffers && !row.host.startsWith('[')) assert.notEqual(node, row.go, JSON.stringify(row));
    else assert.equal(node, row.go, JSON.stringify(row));
  });
});

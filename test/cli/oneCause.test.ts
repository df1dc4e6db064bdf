/**
 * Issue 13 through the built CLI, on files on disk: one diagnostic per root cause (the other places in its
 * related locations), and the summary of what was checked, in text, JSON and SARIF. Whole outputs.
 * Certificates are made at test time (`otlp-tls certs`, and openssl for an expired one).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GATEWAY = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: ../certs/server.crt\n          key_file: ../certs/server.key\n          client_ca_file: ../certs/ca.crt\nexporters:\n  debug:\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n';
const AGENT = 'exporters:\n  otlp/gw:\n    endpoint: otel-collector:4317\n    tls:\n      ca_file: ../certs/ca.crt\n      cert_file: ../certs/app.crt\n      key_file: ../certs/app.key\n';
const env = (endpoint: string, crt = 'app') =>
  `OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE=../certs/ca.crt\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=../certs/${crt}.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=../certs/${crt}.key\n`;

type Json = { diagnostics: { file: string; code: string; relatedInformation?: { file: string; message: string; location: { range: { start: { line: number } } } }[] }[]; summary: Record<string, unknown> };

describe('one diagnostic per cause, and what was checked (issue 13)', () => {
  let dir: string;
  /** A workspace: gw/collector.yaml (mTLS receiver), app/.env, and the certificates. */
  const workspace = (name: string, app: string, extra: Record<string, string> = {}) => {
    const at = join(dir, name);
    mkdirSync(join(at, 'gw'), { recursive: true });
    mkdirSync(join(at, 'app'), { recursive: true });
    cpSync(join(dir, 'certs'), join(at, 'certs'), { recursive: true });
    writeFileSync(join(at, 'gw', 'collector.yaml'), GATEWAY);
    writeFileSync(join(at, 'app', '.env'), app);
    for (const [path, text] of Object.entries(extra)) {
      mkdirSync(join(at, path, '..'), { recursive: true });
      writeFileSync(join(at, path), text);
    }
    return at;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-cause-'));
    const made = cli(['certs', '--out', join(dir, 'certs'), '--host', 'otel-collector', '--client', 'app'], dir);
    assert.equal(made.code, 0, made.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an http:// endpoint against a TLS receiver: one plaintext-endpoint, the three unread TLS files its related places', () => {
    const at = workspace('plain', env('http://otel-collector:4317'));
    const r = cli(['check', '.'], at);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      [
        'app/.env:1:29: error plaintext-endpoint: The receiver serves TLS, but this client sends plaintext: use https://. receiver otlp (grpc) on 0.0.0.0:4317 in gw/collector.yaml serves TLS; this client connects in plaintext (OTEL_EXPORTER_OTLP_ENDPOINT is http://), so the handshake never starts: the gRPC client sees "error reading server preface: EOF".',
        '  related: gw/collector.yaml:6:9: receiver otlp (grpc) on 0.0.0.0:4317 in gw/collector.yaml serves TLS here',
        '  related: app/.env:3:32: OTEL_EXPORTER_OTLP_CERTIFICATE is not used while OTEL_EXPORTER_OTLP_ENDPOINT is http://',
        '  related: app/.env:4:39: OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE is not used while OTEL_EXPORTER_OTLP_ENDPOINT is http://',
        '  related: app/.env:5:31: OTEL_EXPORTER_OTLP_CLIENT_KEY is not used while OTEL_EXPORTER_OTLP_ENDPOINT is http://',
        'Checked 2 files: 1 collector config, 1 env file.',
        'Endpoints: 1, 1 paired with a listener.',
        'Handshakes: 1 predicted (1 fails).',
        '1 problem (1 error, 0 warnings, 0 information)',
        '',
      ].join('\n'),
    );
  });

  it('a server certificate used as a client certificate: one missing-eku on the setting, with the receiver that rejects it', () => {
    const at = workspace('eku', env('https://otel-collector:4317', 'server'));
    const r = cli(['check', '.'], at);
    assert.equal(
      r.stdout,
      [
        'app/.env:4:39: error missing-eku: OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: the certificate lacks the clientAuth extended key usage; reissue it with clientAuth. CN=otel-collector is used as a client certificate, but its extended key usage is serverAuth. The Collector rejects it with "x509: certificate specifies an incompatible key usage". Reissue it with extendedKeyUsage = clientAuth.',
        '  related: gw/collector.yaml:9:27: receiver otlp (grpc) on 0.0.0.0:4317 in gw/collector.yaml verifies client certificates with this CA',
        'Checked 2 files: 1 collector config, 1 env file.',
        'Endpoints: 1, 1 paired with a listener.',
        'Handshakes: 1 predicted (1 fails).',
        '1 problem (1 error, 0 warnings, 0 information)',
        '',
      ].join('\n'),
    );
  });

  it('an expired server certificate: one cert-expired where the receiver names it, each client whose handshake fails on it a related place', (t) => {
    const at = workspace('expired', env('https://otel-collector:4317'), { 'agent/collector.yaml': AGENT });
    const csr = join(at, 'server.csr');
    const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: at, encoding: 'utf8' });
    if (openssl(['version']).status !== 0) return t.skip('openssl is not installed');
    assert.equal(openssl(['req', '-new', '-key', 'certs/server.key', '-subj', '/CN=otel-collector', '-out', csr]).status, 0);
    mkdirSync(join(at, 'ca', 'newcerts'), { recursive: true });
    writeFileSync(join(at, 'ca', 'index.txt'), '');
    writeFileSync(join(at, 'ca', 'serial'), '01\n');
    writeFileSync(
      join(at, 'ca.cnf'),
      '[ca]\ndefault_ca=d\n[d]\ndir=./ca\ndatabase=$dir/index.txt\nnew_certs_dir=$dir/newcerts\nserial=$dir/serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=none\n[p]\ncommonName=supplied\n[ext]\nsubjectAltName=DNS:otel-collector\nextendedKeyUsage=serverAuth\n',
    );
    const signed = openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'certs/ca.crt', '-keyfile', 'certs/ca.key', '-in', csr, '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-extensions', 'ext', '-out', 'certs/server.crt', '-notext']);
    assert.equal(signed.status, 0, signed.stderr);
    rmSync(join(at, 'ca'), { recursive: true });
    rmSync(join(at, 'ca.cnf'));
    const r = cli(['check', 'agent', 'app', 'gw'], at);
    assert.equal(
      r.stdout,
      [
        'gw/collector.yaml:7:22: error cert-expired: cert_file: the certificate expired on 2021-01-01; renew it. CN=otel-collector: TLS fails with "x509: certificate has expired or is not yet valid: current time … is after 2021-01-01T00:00:00Z" (Node: CERT_HAS_EXPIRED).',
        '  related: agent/collector.yaml:3:15: the handshake of otlp/gw fails on this',
        '  related: app/.env:1:29: the handshake of OTEL_EXPORTER_OTLP_ENDPOINT fails on this',
        'Checked 3 files: 2 collector configs, 1 env file.',
        'Endpoints: 2, 2 paired with a listener.',
        'Handshakes: 2 predicted (2 fail).',
        '1 problem (1 error, 0 warnings, 0 information)',
        '',
      ].join('\n'),
    );
    // JSON and SARIF say the same, with the summary.
    const json = JSON.parse(cli(['check', 'agent', 'app', 'gw', '--format', 'json'], at).stdout) as Json;
    assert.deepEqual(json.diagnostics.map((d) => [d.code, d.relatedInformation?.map((x) => [x.file, x.location.range.start.line, x.message])]), [
      ['cert-expired', [[join(at, 'agent', 'collector.yaml'), 2, 'the handshake of otlp/gw fails on this'], [join(at, 'app', '.env'), 0, 'the handshake of OTEL_EXPORTER_OTLP_ENDPOINT fails on this']]],
    ]);
    const summary = {
      files: { checked: 3, byKind: { 'collector config': 2, 'env file': 1 } },
      endpoints: { total: 2, paired: 2, notPaired: 0, notPairedWhy: {} },
      handshakes: { predicted: 2, succeed: 0, withWarnings: 0, fail: 2, notPredicted: 0, notPredictedWhy: {} },
      problems: { total: 1, errors: 1, warnings: 0, information: 0, hints: 0, suppressed: 0, omitted: 0 },
    };
    assert.deepEqual(json.summary, summary);
    const sarif = JSON.parse(cli(['check', 'agent', 'app', 'gw', '--format', 'sarif'], at).stdout) as { runs: { properties: { summary: unknown }; results: unknown[] }[] };
    assert.deepEqual(sarif.runs[0].properties.summary, summary);
    assert.equal(sarif.runs[0].results.length, 1);
  });

  it('nothing this tool reads, or an endpoint with no listener: the summary says so instead of a bare "0 problems"', () => {
    const at = join(dir, 'nothing');
    mkdirSync(join(at, 'app'), { recursive: true });
    writeFileSync(join(at, 'values.yaml'), 'replicaCount: 2\nimage: nginx\n');
    writeFileSync(join(at, 'app', '.env'), 'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector.other-repo:4318\nOTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n');
    const r = cli(['check', '.'], at);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'Checked 2 files: 1 env file, 1 nothing to check.',
        'Endpoints: 1, 0 paired with a listener, 1 not paired (no listener on its port in the checked files: 1).',
        '0 problems (0 errors, 0 warnings, 0 information)',
        '',
      ].join('\n'),
    );
  });
});

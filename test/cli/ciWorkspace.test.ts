/**
 * The whole output of the CLI on test/fixtures/ci-workspace (the workspace the README's "Project
 * configuration", "Suppressions" and "CI integration" sections show): a .otlp-tls.yaml with every key,
 * suppressions used, unused and without a reason, an ignored folder, an information diagnostic and a
 * related location. Text and JSON are compared whole with test/cli/expected/; SARIF is validated against
 * the SARIF 2.1.0 schema, and its fingerprints survive unrelated edits.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';
import { ROOT } from '../support/lspClient';
import { sarifErrors } from '../support/sarifSchema';

export const WORKSPACE = join(ROOT, 'test', 'fixtures', 'ci-workspace');
const EXPECTED = join(ROOT, 'test', 'cli', 'expected');

function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface SarifResult {
  ruleId: string;
  level: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  relatedLocations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
  suppressions?: { kind: string; justification?: string }[];
}

describe('otlp-tls check on the CI workspace', () => {
  it('text: every diagnostic once, related locations under it, the summary counting information and suppressed findings', () => {
    const r = cli(['check'], WORKSPACE);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, readFileSync(join(EXPECTED, 'ci-workspace.txt'), 'utf8'));
    assert.equal(r.code, 1);
  });

  it('json: absolute paths in file and in every related item, the suppressed findings beside the diagnostics', () => {
    const r = cli(['check', '--format', 'json'], WORKSPACE);
    assert.equal(r.code, 1, r.stderr);
    const expected = readFileSync(join(EXPECTED, 'ci-workspace.json'), 'utf8').split('<workspace>').join(WORKSPACE);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(expected));
  });

  it('--fail-on: warning and information fail on this workspace, none never; errors alone fail by default', () => {
    assert.equal(cli(['check', '--fail-on', 'none'], WORKSPACE).code, 0);
    assert.equal(cli(['check', 'apps/web', '--fail-on', 'warning'], WORKSPACE).code, 1);
    assert.equal(cli(['check', 'apps/web'], WORKSPACE).code, 0);
    assert.equal(cli(['check', 'apps/legacy', '--fail-on', 'warning'], WORKSPACE).code, 0);
    assert.equal(cli(['check', 'apps/legacy', '--fail-on', 'information'], WORKSPACE).code, 1);
    assert.match(cli(['check', '--fail-on', 'notes'], WORKSPACE).stderr, /--fail-on must be error, warning, information, none, not "notes"/);
  });

  it('--no-config: no .otlp-tls.yaml is read, suppression comments still apply', () => {
    // Without the file: no SDK is named (information, not warnings), GATEWAY_PORT is unknown so the gateway
    // binds no known port, and the ignored fixtures/broken.yaml is checked and becomes the TLS receiver
    // on 4317 that the apps pair with (and with a TLS receiver in the workspace, the archive exporter on 4318,
    // which nothing listens on, gets no-listener).
    const r = cli(['check', '--no-config', '--format', 'json'], WORKSPACE);
    const out = JSON.parse(r.stdout) as { diagnostics: { file: string; code: string; severity: string }[]; suppressed: { code: string }[] };
    const relative = (d: { file: string; code: string; severity: string }) => `${d.file.slice(WORKSPACE.length + 1)} ${d.code}:${d.severity}`;
    // The checkout app pairs with that receiver, whose certificate files are not there: its handshake is not predicted, and said so.
    assert.deepEqual(out.diagnostics.map(relative), [
      'apps/checkout/.env handshake-not-predicted:information',
      'apps/checkout/.env port-protocol-mismatch:information',
      'apps/legacy/app.env plaintext-endpoint:error',
      'apps/legacy/app.env port-protocol-mismatch:information',
      'apps/web/app.env plaintext-endpoint:error',
      'apps/web/app.env port-protocol-mismatch:information',
      'apps/web/app.env suppression-without-reason:warning',
      'apps/web/app.env unused-suppression:warning',
      'fixtures/broken.yaml tls-conflict:error',
      'fixtures/broken.yaml unknown-key:error',
      'gateway/collector.yaml no-listener:information',
      'gateway/collector.yaml invalid-value:error',
    ]);
    assert.deepEqual(out.suppressed.map((d) => d.code), ['unknown-variable', 'insecure-skip-verify']);
  });

  it('command-line flags win over the file: --sdk any makes the web app SDK-neutral again', () => {
    const r = cli(['check', 'apps/web', '--sdk', 'any', '--format', 'json'], WORKSPACE);
    const codes = JSON.parse(r.stdout).diagnostics.map((d: { code: string; severity: string }) => `${d.code}:${d.severity}`);
    assert.deepEqual(codes, ['port-protocol-mismatch:information', 'suppression-without-reason:warning', 'unused-suppression:warning']);
  });

  it('an explicitly named file that .otlp-tls.yaml ignores is not checked (pre-commit passes file names)', () => {
    const r = cli(['check', 'fixtures/broken.yaml', 'apps/legacy/app.env'], WORKSPACE);
    assert.equal(r.stdout.split('\n').filter((l) => l.includes('broken.yaml')).length, 0, r.stdout);
    assert.match(r.stdout, /^1 problem \(0 errors, 0 warnings, 1 information\)$/m);
  });

  it('sarif: valid against the SARIF 2.1.0 schema, with security rules, help, fingerprints, related regions and suppressions', () => {
    const r = cli(['check', '--format', 'sarif'], WORKSPACE);
    assert.equal(r.code, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.deepEqual(sarifErrors(log), []);
    const run = log.runs[0];
    const rules = run.tool.driver.rules as { id: string; help?: { markdown: string }; properties: { tags: string[]; 'security-severity'?: string } }[];
    assert.deepEqual(rules.map((rule) => rule.id), Object.keys(diagnosticCodes));
    for (const rule of rules) assert.ok(rule.help?.markdown.startsWith('Default severity:'), `${rule.id} has its docs/diagnostics.md section as help`);
    const security = Object.fromEntries(rules.filter((rule) => rule.properties['security-severity']).map((rule) => [rule.id, [rule.properties['security-severity'], rule.properties.tags.join(' ')]]));
    assert.deepEqual(security, {
      'insecure-skip-verify': ['7.4', 'security tls external/cwe/cwe-295'],
      'weak-tls-version': ['5.9', 'security tls external/cwe/cwe-326'],
      'mtls-not-enforced': ['4.3', 'security tls external/cwe/cwe-306'],
      'plaintext-endpoint': ['5.9', 'security tls external/cwe/cwe-319'],
      'tls-ignored': ['4.8', 'security tls external/cwe/cwe-319'],
      'weak-key': ['5.9', 'security tls external/cwe/cwe-326'],
      'weak-signature': ['4.8', 'security tls external/cwe/cwe-327'],
      'key-permissions': ['5.5', 'security tls external/cwe/cwe-732'],
    });
    const results = run.results as SarifResult[];
    assert.deepEqual(
      results.map((x) => `${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine} ${x.ruleId} ${x.level}${x.suppressions ? ` suppressed(${x.suppressions.map((s) => `${s.kind}: ${s.justification ?? '-'}`).join()})` : ''}`),
      [
        'apps/checkout/.env:3 plaintext-endpoint error',
        'apps/legacy/app.env:1 port-protocol-mismatch note',
        'apps/web/app.env:2 port-protocol-mismatch warning',
        'apps/web/app.env:3 unknown-variable warning suppressed(inSource: -)',
        'apps/web/app.env:3 suppression-without-reason warning',
        'apps/web/app.env:4 unused-suppression warning',
        'gateway/collector.yaml:12 insecure-skip-verify warning suppressed(inSource: staging backend, self-signed; ticket OPS-42)',
        'gateway/collector.yaml:16 invalid-value error',
      ],
    );
    assert.deepEqual(results[0].relatedLocations?.[0].physicalLocation, {
      artifactLocation: { uri: 'gateway/collector.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5, startColumn: 19, endLine: 5, endColumn: 46 },
    });
    const fingerprints = results.map((x) => x.partialFingerprints['otlpTls/v1']);
    assert.equal(new Set(fingerprints).size, fingerprints.length, 'one fingerprint per result');
  });

  it('sarif: fingerprints stay when lines move and blanks change, and change when the flagged line does', () => {
    const copy = mkdtempSync(join(tmpdir(), 'otlp-tls-fingerprints-'));
    try {
      cpSync(WORKSPACE, copy, { recursive: true });
      const fingerprints = () => {
        const results = JSON.parse(cli(['check', '--format', 'sarif'], copy).stdout).runs[0].results as SarifResult[];
        return results.map((x) => `${x.ruleId} ${x.partialFingerprints['otlpTls/v1']}`);
      };
      const before = fingerprints();
      const collector = join(copy, 'gateway', 'collector.yaml');
      const text = readFileSync(collector, 'utf8');
      // Unrelated edits: a comment and blank lines at the top, the flagged line re-indented with its block.
      writeFileSync(collector, '# The gateway.\n\n' + text.replace('    tls:\n      min_version: 1.2', '    tls:\n        min_version:   1.2'));
      writeFileSync(join(copy, 'apps', 'checkout', '.env'), '# moved down\n\n' + readFileSync(join(copy, 'apps', 'checkout', '.env'), 'utf8'));
      assert.deepEqual(fingerprints(), before);
      // The flagged value itself changes: a new finding.
      writeFileSync(collector, text.replace('min_version: 1.2', 'min_version: 1.1'));
      const after = fingerprints();
      assert.notDeepEqual(after.find((f) => f.startsWith('invalid-value')), before.find((f) => f.startsWith('invalid-value')));
      assert.deepEqual(after.filter((f) => !f.startsWith('invalid-value')), before.filter((f) => !f.startsWith('invalid-value')));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('--sarif-output writes the same SARIF to a file while the text goes to stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-tls-sarif-'));
    try {
      const r = cli(['check', '--sarif-output', join(dir, 'out.sarif')], WORKSPACE);
      assert.equal(r.stdout, readFileSync(join(EXPECTED, 'ci-workspace.txt'), 'utf8'));
      assert.equal(readFileSync(join(dir, 'out.sarif'), 'utf8'), cli(['check', '--format', 'sarif'], WORKSPACE).stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

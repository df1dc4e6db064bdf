/** The built server over stdio: published diagnostics, their ranges and codes, and robustness. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../support/lspClient';
import { marked } from '../support/markers';
import { FILE_CODES } from '../support/check';
import type { Diagnostic } from 'vscode-languageserver-protocol';

/** The tests below reference certificate files that do not exist: leave the file codes out. */
const config = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => !FILE_CODES.has(String(d.code)));

describe('language server (dist/server.js --stdio)', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-lsp-'));
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics with exact ranges, codes and source', async () => {
    const { text, ranges } = marked('receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: s.crt\n          key_file: s.key\n          client_ca_file: ca.crt\n          ⟦insecure⟧: true\nexporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: ⟦1.2⟧\n');
    const uri = client.open(join(dir, 'collector.yaml'), text);
    const diagnostics = config((await client.diagnostics(uri)).diagnostics);
    const lines = text.split('\n');
    const position = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return { line: before.length - 1, character: before[before.length - 1].length };
    };
    assert.deepEqual(
      diagnostics.map((d) => ({ code: d.code, range: d.range, source: d.source })),
      [
        { code: 'unknown-key', range: { start: position(ranges[0][0]), end: position(ranges[0][1]) }, source: 'otlp-tls' },
        { code: 'invalid-value', range: { start: position(ranges[1][0]), end: position(ranges[1][1]) }, source: 'otlp-tls' },
      ],
    );
    assert.equal(lines[diagnostics[0].range.start.line].trim(), 'insecure: true');
    assert.equal(diagnostics[0].severity, 1);
  });

  // The exporters below send to port 14317, where no receiver of this test workspace listens, so the
  // cross-file checks do not pair them with the receiver of the first test, and say so (no-listener,
  // information: collector.yaml of the first test listens, so pairing was to be expected).
  it('re-validates after an edit and clears fixed problems', async () => {
    const path = join(dir, 'edit.yaml');
    const uri = client.open(path, 'exporters:\n  otlp:\n    endpoint: c:14317\n    tls:\n      insecure_skip_verify: true\n');
    const first = await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['no-listener', 'insecure-skip-verify']);
    client.change(uri, 2, 'exporters:\n  otlp:\n    endpoint: c:14317\n    tls:\n      ca_file: ca.crt\n');
    const second = await client.diagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(config(second.diagnostics).map((d) => d.code), ['no-listener']);
    assert.ok(second.diagnostics.some((d) => d.code === 'file-not-found'), 'the missing ca.crt is reported by the certificate checks');
  });

  it('answers malformed YAML with yaml-syntax and keeps serving other documents', async () => {
    const broken = client.open(join(dir, 'broken.yaml'), 'receivers:\n  otlp:\n    protocols: [grpc\n  bad: : :\n');
    const good = client.open(join(dir, 'good.yaml'), 'exporters:\n  otlp:\n    endpoint: c:14317\n    tls:\n      insecure_skip_verify: true\n');
    const b = await client.diagnostics(broken);
    assert.ok(b.diagnostics.length > 0 && b.diagnostics.every((d) => d.code === 'yaml-syntax' || d.source === 'otlp-tls'));
    assert.ok(b.diagnostics.some((d) => d.code === 'yaml-syntax'));
    const g = await client.diagnostics(good);
    assert.deepEqual(g.diagnostics.map((d) => d.code), ['no-listener', 'insecure-skip-verify']);
  });

  it('answers an empty file, a 10 MB file, and an alias bomb without blocking', async () => {
    const empty = client.open(join(dir, 'empty.yaml'), '');
    const huge = client.open(join(dir, 'huge.yaml'), 'receivers:\n' + '#'.repeat(80).concat('\n').repeat(130_000));
    const bomb = client.open(
      join(dir, 'bomb.yaml'),
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nexporters:\n  otlp:\n    endpoint: c:14317\n    x: *f\n    tls:\n      insecure_skip_verify: true\n',
    );
    assert.deepEqual((await client.diagnostics(empty)).diagnostics, []);
    assert.deepEqual((await client.diagnostics(huge)).diagnostics.map((d) => d.code), ['file-too-large']);
    assert.deepEqual((await client.diagnostics(bomb)).diagnostics.map((d) => d.code), ['no-listener', 'insecure-skip-verify']);
  });

  it('ignores YAML that is not a collector config (coexists with other YAML tooling)', async () => {
    const uri = client.open(join(dir, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  tls:\n    insecure: maybe\n');
    assert.deepEqual((await client.diagnostics(uri)).diagnostics, []);
  });
});

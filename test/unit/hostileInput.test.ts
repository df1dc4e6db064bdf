/**
 * The regression fixtures of test/fixtures/hostile/ in process (the core on an in-memory file system):
 * each gives the diagnostics it expects (`expect.unit` in its case.json), and the bounds of issue 15
 * item 1 hold by what the core does, not by how long it takes: alias targets are found in one walk (the
 * library's Alias.resolve, which walks the whole document, is never called), each mapping's merged
 * entries are made once, a value that expands too far is reported and not expanded, and every cut says
 * where it is. The same fixtures through the built CLI and server: test/fuzz/hostileFixtures.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Alias } from 'yaml';
import { decodeUtf8 } from '../../server/src/service/sourceFile';
import type { Problem } from '../../server/src/service/languageTypes';
import { MAX_NESTING } from '../../server/src/service/yaml/yamlCompose';
import { MAX_EXPANDED_NODES, MAX_MERGED_ENTRIES } from '../../server/src/service/yaml/yamlNodes';
import { MAX_REFERENCES } from '../../server/src/service/yaml/substitution';
import { MAX_PEM_BLOCKS } from '../../server/src/service/certificates/pem';
import { loadHostileFixtures } from '../fuzz/fixtures';
import { check } from '../support/check';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';

const ROOT = join(__dirname, '..', '..', '..');
const codes = (problems: Problem[]): string[] => [...new Set<string>(problems.map((p) => p.code))].sort();

/** Counts the calls of the library's Alias.resolve while `run` runs. */
function aliasResolutions(run: () => void): number {
  const original = Alias.prototype.resolve;
  let calls = 0;
  Alias.prototype.resolve = function (this: Alias, ...args: Parameters<typeof original>) {
    calls++;
    return original.apply(this, args);
  };
  try {
    run();
  } finally {
    Alias.prototype.resolve = original;
  }
  return calls;
}

describe('hostile fixtures in process', () => {
  for (const fixture of loadHostileFixtures(ROOT)) {
    const expect = fixture.expect.unit;
    if (!expect || fixture.command !== 'check') continue;
    it(`${fixture.name}: ${fixture.description}`, { skip: fixture.skip.unit ?? false }, () => {
      const files: Record<string, MemoryFile> = {};
      for (const file of fixture.fuzzCase.files) {
        const path = `/work/${file.path}`;
        if (file.kind === 'file') files[path] = { contents: file.contents, mode: file.mode };
        else if (file.kind === 'fifo' || (file.kind === 'symlink' && file.target.startsWith('/dev/'))) files[path] = { contents: '', kind: 'other' };
        else if (file.kind === 'dir') files[path] = { contents: '', kind: 'directory' };
      }
      const target = expect.path ?? fixture.fuzzCase.main;
      const spec = fixture.fuzzCase.files.find((f) => f.path === target);
      assert.ok(spec?.kind === 'file', `${target} is a file of the fixture`);
      const text = typeof spec.contents === 'string' ? spec.contents : decodeUtf8(spec.contents).text;
      let problems: Problem[] = [];
      const resolutions = aliasResolutions(() => {
        problems = check(text, { path: `/work/${target}`, runtime: memoryRuntime({ files, now: new Date('2026-06-01T00:00:00Z') }) });
      });
      assert.equal(resolutions, 0, 'no alias is resolved by walking the document');
      for (const code of expect.codes ?? []) assert.ok(codes(problems).includes(code), `${code} is reported (got ${codes(problems).join(', ')})`);
      for (const code of expect.absentCodes ?? []) assert.ok(!codes(problems).includes(code), `${code} is not reported (got ${codes(problems).join(', ')})`);
      // Each bound is reported once per place, in a sentence that says what was left out.
      const limits = problems.filter((p) => p.code === 'limit-exceeded');
      assert.equal(new Set(limits.map((p) => p.offset)).size, limits.length);
      for (const limit of limits) assert.match(limit.message, /not checked|not read|not followed|not made|not expanded|not reported|stopped/);
    });
  }
});

describe('the bounds of one document', () => {
  it('cuts nesting past the limit with one diagnostic where it starts, and checks the rest', () => {
    const text = `receivers: ${'['.repeat(3000)}${']'.repeat(3000)}\nexporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure_skip_verify: true\n`;
    const problems = check(text);
    assert.deepEqual(codes(problems), ['insecure-skip-verify', 'limit-exceeded']);
    const limit = problems.find((p) => p.code === 'limit-exceeded')!;
    assert.equal(limit.offset, 'receivers: '.length + MAX_NESTING);
    assert.match(limit.message, new RegExp(`more than ${MAX_NESTING} levels deep`));
  });

  it('resolves 20,000 aliases with one walk of the document, and an edit with another', () => {
    const text = `x-v: &v "1"\nexporters:\n  otlp:\n    endpoint: c:4317\n    headers:\n${Array.from({ length: 20_000 }, (_, i) => `      k${i}: *v\n`).join('')}    tls:\n      insecure_skip_verify: true\n`;
    assert.equal(aliasResolutions(() => assert.deepEqual(codes(check(text)), ['insecure-skip-verify'])), 0);
  });

  it('merges each mapping once: a merge-key bomb of 60 lines gives its 61 keys', () => {
    let text = 'x-m0: &m0 {k0: 1}\n';
    for (let i = 1; i <= 60; i++) text += `x-m${i}: &m${i}\n  <<: [*m${i - 1}, *m${i - 1}]\n  k${i}: ${i}\n`;
    text += 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      <<: *m60\n';
    const unknown = check(text).filter((p) => p.code === 'unknown-key');
    assert.equal(unknown.length, 61);
  });

  it('stops merging past MAX_MERGED_ENTRIES and says where', () => {
    // 100 mappings of 10 keys, each merging all the ones before: about 1.6 million merged entries if made.
    let text = '';
    for (let m = 0; m < 100; m++) {
      text += `x-m${m}: &m${m}\n`;
      if (m > 0) text += `  <<: [${Array.from({ length: m }, (_, j) => `*m${j}`).join(', ')}]\n`;
      for (let k = 0; k < 10; k++) text += `  k${m}_${k}: 1\n`;
    }
    text += 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      <<: *m99\n';
    const limits = check(text).filter((p) => p.code === 'limit-exceeded');
    assert.ok(limits.length >= 1);
    assert.match(limits[0].message, new RegExp(`more than ${MAX_MERGED_ENTRIES.toLocaleString('en-US')} entries`));
  });

  it('does not expand a tls value past MAX_EXPANDED_NODES: one diagnostic on the alias, the block still checked', () => {
    let text = 'x-a: &a {q: 1, r: 1, s: 1, t: 1, u: 1, v: 1, w: 1, x: 1, y: 1}\n';
    const names = 'abcdefghi';
    for (let i = 1; i < 9; i++) text += `x-${names[i]}: &${names[i]} {${[...'qrstuvwxy'].map((k) => `${k}: *${names[i - 1]}`).join(', ')}}\n`;
    text += 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure_skip_verify: true\n      ca_pem: *i\n      bogus: *i\n';
    const problems = check(text);
    const limits = problems.filter((p) => p.code === 'limit-exceeded');
    assert.equal(limits.length, 2);
    assert.equal(text.slice(limits[0].offset, limits[0].offset + limits[0].length), '*i');
    assert.match(limits[0].message, new RegExp(`The value of ca_pem expands past ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes`));
    // The key with the bomb is still judged by its name.
    assert.ok(problems.some((p) => p.code === 'unknown-key' && text.slice(p.offset, p.offset + p.length) === 'bogus'));
    assert.ok(problems.some((p) => p.code === 'insecure-skip-verify'));
  });

  it('a cyclic alias is walked once and expands to nothing', () => {
    const text = 'x-a: &a [*a, {tls: {insecure: true}}]\nexporters:\n  otlp:\n    endpoint: c:4317\n    x: *a\n    tls:\n      ca_pem: *a\n';
    const problems = check(text);
    assert.ok(problems.some((p) => p.code === 'limit-exceeded'));
  });

  it('leaves a value of more than MAX_REFERENCES substitutions unexpanded, and says so', () => {
    const value = '${env:D}/'.repeat(MAX_REFERENCES + 1) + 'ca.crt';
    const problems = check(`exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: "${value}"\n`, { env: { D: 'd' } });
    assert.deepEqual(codes(problems), ['limit-exceeded']);
    assert.match(problems[0].message, new RegExp(`ca_file: more than ${MAX_REFERENCES} \\$\\{\\.\\.\\.\\} references`));
  });

  it('reads the first MAX_PEM_BLOCKS blocks of a certificate file and says the rest is not read', () => {
    const block = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const runtime = memoryRuntime({ files: { '/work/ca.crt': block.repeat(MAX_PEM_BLOCKS + 5) } });
    const problems = check('exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      ca_file: ca.crt\n', { runtime });
    const limit = problems.find((p) => p.code === 'limit-exceeded');
    assert.ok(limit, codes(problems).join(', '));
    assert.match(limit.message, new RegExp(`ca_file: more than ${MAX_PEM_BLOCKS.toLocaleString('en-US')} PEM blocks`));
    assert.ok(problems.some((p) => p.code === 'not-a-certificate'), 'the blocks read are still judged');
  });
});

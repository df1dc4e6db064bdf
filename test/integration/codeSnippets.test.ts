/**
 * The code snippets are valid in their language, checked with each language's own tools:
 * Go's parser (gofmt -e), Python's compiler, the TypeScript compiler against the OpenTelemetry JS
 * packages installed here (so the JS/TS snippet also uses their current API), and javac's parser
 * (only errors about the OpenTelemetry classes it cannot see are allowed). A tool that is missing
 * skips its language with a message.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expand } from '../support/snippets';

const ROOT = join(__dirname, '..', '..', '..');
// Inside the repository, so the TypeScript check resolves the installed packages.
const dir = mkdtempSync(join(ROOT, 'out', 'snippets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function bodies(language: string): [string, string][] {
  const file = JSON.parse(readFileSync(join(ROOT, 'snippets', `${language}.json`), 'utf8')) as Record<string, { body: string | string[] }>;
  return Object.entries(file).map(([name, snippet]) => [name, expand(snippet.body)]);
}

/** True when `command` cannot be started at all. */
const missing = (command: string, args: string[]) => spawnSync(command, args).error !== undefined;

describe('code snippets', () => {
  it('Go snippets parse (gofmt -e)', (t) => {
    if (missing('gofmt', ['-l', '/dev/null'])) return t.skip('gofmt not found (Debian: golang-go)');
    for (const [name, body] of bodies('go')) {
      const file = join(dir, 'snippet.go');
      writeFileSync(file, `package main\n\n${body}\n`);
      const r = spawnSync('gofmt', ['-e', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    }
  });

  it('Python snippets compile', (t) => {
    if (missing('python3', ['--version'])) return t.skip('python3 not found');
    bodies('python').forEach(([name, body], i) => {
      const file = join(dir, `snippet${i}.py`);
      writeFileSync(file, body);
      const r = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    });
  });

  it('JavaScript/TypeScript snippets typecheck against the installed OpenTelemetry and grpc-js packages', () => {
    bodies('javascript').forEach(([name, body], i) => {
      const file = join(dir, `snippet${i}.ts`);
      writeFileSync(file, `${body}\nexport {};\n`);
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck', file], { encoding: 'utf8', cwd: ROOT });
      assert.equal(r.status, 0, `${name}:\n${r.stdout}${r.stderr}`);
    });
  });

  it('Java snippets parse (javac; only the unseen OpenTelemetry classes may be missing)', (t) => {
    if (missing('javac', ['-version'])) return t.skip('javac not found');
    bodies('java').forEach(([name, body]) => {
      const file = join(dir, 'Snippet.java');
      writeFileSync(file, `import java.nio.file.*;\nclass Snippet {\n${body}\n}\n`);
      const r = spawnSync('javac', ['-d', dir, '-proc:none', file], { encoding: 'utf8' });
      const errors = r.stderr.split('\n').filter((line) => / error: /.test(line));
      const syntax = errors.filter((line) => !/cannot find symbol|package .* does not exist/.test(line));
      assert.deepEqual(syntax, [], `${name}:\n${r.stderr}`);
    });
  });
});

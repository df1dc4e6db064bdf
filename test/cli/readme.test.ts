/**
 * The README's examples of the project configuration, suppressions and CI integration are the files the
 * tests use, and its output is what the CLI prints:
 * - `<!-- file: PATH -->` before a fenced block: the block is the file at PATH, byte for byte;
 * - `<!-- run: DIR -->`: the block is `$ otlp-tls ARGS` and its output, run in DIR with the built CLI;
 * - `<!-- workflow -->`: a GitHub workflow whose step using this action passes only inputs action.yml has;
 * - `<!-- pre-commit -->`: a .pre-commit-config.yaml whose hooks are in .pre-commit-hooks.yaml, with
 *   arguments the CLI accepts, and the hook's `files` pattern matches the formats it names.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/lspClient';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Every fenced block preceded by `<!-- kind[: arg] -->`, with its kind, argument and body. */
function examples(): { kind: string; arg: string; body: string }[] {
  const found: { kind: string; arg: string; body: string }[] = [];
  const re = /<!-- (file|run|workflow|pre-commit)(?:: ([^ ]+))? -->\n```[a-z]*\n([\s\S]*?)^```$/gm;
  for (const m of README.matchAll(re)) found.push({ kind: m[1], arg: m[2] ?? '', body: m[3] });
  return found;
}

describe('README examples', () => {
  const all = examples();

  it('has the examples this test checks', () => {
    assert.deepEqual(all.map((e) => e.kind), ['file', 'file', 'file', 'run', 'workflow', 'pre-commit']);
  });

  it('each file block is the file it names', () => {
    for (const example of all.filter((e) => e.kind === 'file')) assert.equal(example.body, readFileSync(join(ROOT, example.arg), 'utf8'), example.arg);
  });

  it('each run block is what the CLI prints there', () => {
    for (const example of all.filter((e) => e.kind === 'run')) {
      const [command, ...output] = example.body.split('\n');
      const args = command.replace(/^\$ otlp-tls\s*/, '').split(/\s+/).filter(Boolean);
      const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd: join(ROOT, example.arg), encoding: 'utf8' });
      assert.equal(r.stdout, output.join('\n'), command);
    }
  });

  it('the workflow uses only inputs that action.yml declares', () => {
    const workflow = parse(all.find((e) => e.kind === 'workflow')!.body) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> };
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps).filter((step) => step.uses?.startsWith('otlp-tls-lens/otlp-tls-lens@'));
    assert.equal(steps.length, 1);
    assert.deepEqual(Object.keys(steps[0].with ?? {}).filter((name) => !(name in action.inputs)), []);
  });

  it('the pre-commit config names the hook, its arguments are valid, and the hook matches the formats it names', () => {
    const config = parse(all.find((e) => e.kind === 'pre-commit')!.body) as { repos: { hooks: { id: string; args?: string[] }[] }[] };
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; files: string; language: string }[];
    const [hook] = config.repos[0].hooks;
    const defined = hooks.find((h) => h.id === hook.id);
    assert.ok(defined, hook.id);
    assert.equal(defined.entry, 'otlp-tls check');
    assert.equal(defined.language, 'node');
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', ...(hook.args ?? []), 'test/fixtures/ci-workspace/apps/legacy/app.env'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = new RegExp(defined.files);
    const matched = ['deploy/collector.yaml', 'k8s/app.yml', '.env', 'svc/.env.production', 'svc/app.env', 'run.sh', 'Dockerfile', 'svc/Dockerfile.dev', 'build/app.dockerfile', 'Containerfile', 'otel.properties', 'README.md', 'main.go', 'env.txt', 'docs/Dockerfile.md'].filter((f) => files.test(f));
    assert.deepEqual(matched, ['deploy/collector.yaml', 'k8s/app.yml', '.env', 'svc/.env.production', 'svc/app.env', 'run.sh', 'Dockerfile', 'svc/Dockerfile.dev', 'build/app.dockerfile', 'Containerfile', 'otel.properties']);
  });
});

/**
 * The composite GitHub Action (action.yml), run here step by step: the commands of `runs.steps` are read
 * from the file, `${{ inputs.* }}`, `${{ github.action_path }}` and `${{ steps.*.outputs.* }}` substituted,
 * `if:` conditions evaluated, and each `run:` executed with bash as a runner does (`bash --noprofile
 * --norc -eo pipefail`, the step's env and working-directory, a GITHUB_OUTPUT file). The action's own
 * checkout is a copy of this repository's files (tracked and new, not ignored), so its build step runs
 * the real `npm ci` and `npm run build`. Skipped, and only these: the `uses:` steps, actions/setup-node
 * (this machine's Node runs everything) and github/codeql-action/upload-sarif (it needs GitHub); the SARIF
 * file they would upload is validated against the SARIF 2.1.0 schema instead.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkout } from '../support/checkout';
import { ROOT } from '../support/lspClient';
import { sarifErrors } from '../support/sarifSchema';

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

interface Run {
  /** Per step name: 'skipped (uses)', 'skipped (if)', or the exit code. */
  steps: Record<string, string | number>;
  outputs: Record<string, Record<string, string>>;
  log: string;
}

/** Runs the action's steps in `workspace` with `inputs` (over the defaults); `only` limits them to these names. */
function runAction(actionPath: string, workspace: string, inputs: Record<string, string>, only?: string[]): Run {
  const values: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']));
  Object.assign(values, inputs);
  const outputs: Record<string, Record<string, string>> = {};
  const expression = (expr: string): string => {
    const path = expr.trim().split('.');
    if (path[0] === 'inputs' && path.length === 2) return values[path[1]] ?? '';
    if (path[0] === 'github' && path[1] === 'action_path') return actionPath;
    if (path[0] === 'steps' && path[2] === 'outputs') return outputs[path[1]]?.[path[3]] ?? '';
    throw new Error(`expression not handled by this test: ${expr}`);
  };
  const substitute = (text: string) => text.replace(/\$\{\{([^}]*)\}\}/g, (_, expr: string) => expression(expr));
  /** `${{ A == 'x' }}` / `!=`: the only conditions action.yml uses. */
  const condition = (text: string): boolean => {
    const m = /^\$\{\{\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*\}\}$/.exec(text.trim());
    if (!m) throw new Error(`condition not handled by this test: ${text}`);
    return (expression(m[1]) === m[3]) === (m[2] === '==');
  };
  const run: Run = { steps: {}, outputs, log: '' };
  for (const step of action.runs.steps) {
    if (only && !only.includes(step.name)) continue;
    if (step.if !== undefined && !condition(step.if)) {
      run.steps[step.name] = 'skipped (if)';
      continue;
    }
    if (step.uses) {
      run.steps[step.name] = `skipped (uses ${step.uses.split('@')[0]})`;
      continue;
    }
    assert.equal(step.shell, 'bash', `${step.name}: composite run steps need shell: bash`);
    const outputFile = join(workspace, '..', `github-output-${step.id ?? 'step'}`);
    writeFileSync(outputFile, '');
    const env = { ...process.env, npm_config_prefer_offline: 'true', GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: join(workspace, '..', 'github-step-summary'), GITHUB_WORKSPACE: workspace, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v))])) };
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', substitute(step.run!)], {
      cwd: step['working-directory'] ? substitute(step['working-directory']) : workspace,
      env,
      encoding: 'utf8',
      timeout: 480_000,
    });
    run.log += `--- ${step.name}\n${result.stdout}${result.stderr}`;
    run.steps[step.name] = result.status ?? -1;
    if (step.id) outputs[step.id] = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    if (result.status !== 0) break;
  }
  return run;
}

describe('the GitHub Action (action.yml), its steps run locally', () => {
  let dir: string;
  let actionPath: string;
  let workspace: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-action-'));
    actionPath = join(dir, 'action');
    workspace = join(dir, 'workspace');
    checkout(actionPath);
    cpSync(join(ROOT, 'test', 'fixtures', 'ci-workspace'), workspace, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is a composite action whose only uses: steps are setup-node and upload-sarif', () => {
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(action.runs.steps.filter((s) => s.uses).map((s) => s.uses!.split('@')[0]), ['actions/setup-node', 'github/codeql-action/upload-sarif']);
  });

  it('builds the CLI from its checkout, writes SARIF that validates, prints the log, and fails last on errors', () => {
    const run = runAction(actionPath, workspace, { 'path-map': '/etc/otel/certs=certs', upload: 'true' });
    assert.deepEqual(run.steps, {
      'Set up Node.js': 'skipped (uses actions/setup-node)',
      'Build the otlp-tls CLI': 0,
      Check: 0,
      'Upload SARIF to code scanning': 'skipped (uses github/codeql-action/upload-sarif)',
      'Fail on findings': 1,
    }, run.log);
    assert.deepEqual(run.outputs.check, { 'exit-code': '1', 'sarif-file': 'otlp-tls.sarif' });
    const log = JSON.parse(readFileSync(join(workspace, 'otlp-tls.sarif'), 'utf8'));
    assert.deepEqual(sarifErrors(log), []);
    assert.equal(log.runs[0].results.length, 8);
    assert.deepEqual(log.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions).map((r: { ruleId: string }) => r.ruleId), ['unknown-variable', 'insecure-skip-verify']);
    // The text format in the log: the same output as the CLI's own test expects for this workspace.
    assert.ok(run.log.includes(readFileSync(join(ROOT, 'test', 'cli', 'expected', 'ci-workspace.txt'), 'utf8')), run.log);
  });

  it('inputs reach the CLI: paths (several, on lines), sdk, format, fail-on none passes, a usage error stops before the upload', () => {
    const checkOnly = ['Check', 'Upload SARIF to code scanning', 'Fail on findings'];
    const none = runAction(actionPath, workspace, { paths: 'apps/web\napps/legacy', sdk: 'any', format: 'json', 'fail-on': 'none', upload: 'false', 'sarif-file': 'web.sarif' }, checkOnly);
    assert.deepEqual(none.steps, { Check: 0, 'Upload SARIF to code scanning': 'skipped (if)', 'Fail on findings': 'skipped (if)' }, none.log);
    const printed = JSON.parse(none.log.slice(none.log.indexOf('{'), none.log.lastIndexOf('}') + 1));
    assert.deepEqual(printed.diagnostics.map((d: { code: string; severity: string }) => `${d.code}:${d.severity}`), ['port-protocol-mismatch:information', 'suppression-without-reason:warning', 'unused-suppression:warning', 'port-protocol-mismatch:information']);
    assert.deepEqual(sarifErrors(JSON.parse(readFileSync(join(workspace, 'web.sarif'), 'utf8'))), []);
    const warning = runAction(actionPath, workspace, { paths: 'apps/web', 'fail-on': 'warning', upload: 'false' }, checkOnly);
    assert.equal(warning.steps['Fail on findings'], 1, warning.log);
    // tls-map: the same files as a Mermaid TLS map, in the file and in the job summary.
    writeFileSync(join(workspace, '..', 'github-step-summary'), '');
    const map = runAction(actionPath, workspace, { 'path-map': '/etc/otel/certs=certs', upload: 'false', 'fail-on': 'none', 'tls-map': 'true' }, checkOnly);
    assert.equal(map.steps.Check, 0, map.log);
    assert.equal(map.outputs.check['tls-map-file'], 'otlp-tls-map.md');
    const written = readFileSync(join(workspace, 'otlp-tls-map.md'), 'utf8');
    assert.match(written, /^## OTLP TLS map\n\n```mermaid\nflowchart LR\n  %% OTLP TLS map: \d+ nodes, \d+ edges/);
    assert.ok(written.endsWith('\n```\n'), written);
    assert.equal(readFileSync(join(workspace, '..', 'github-step-summary'), 'utf8'), written);
    const usage = runAction(actionPath, workspace, { sdk: 'cobol' }, checkOnly);
    assert.deepEqual(usage.steps, { Check: 2 }, usage.log);
    assert.match(usage.log, /--sdk must be any, java/);
  });
});

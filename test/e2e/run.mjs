// End-to-end tests in a real VS Code (code-server + Debian's chromium), on the packaged .vsix:
//   1. `npm run package` builds dist/ in production and the .vsix (into a temp folder);
//   2. code-server installs it into a fresh extensions dir, as a user would;
//   3. test/e2e/**/*.e2e.ts are bundled with esbuild and run one file at a time with node --test.
// Needs what scripts/setup-e2e.sh installs (npm run test:e2e runs it first).
// Pass file filters as arguments: node test/e2e/run.mjs hover
import { bundleTests } from '../bundleTests.mjs';
import { skipSummary } from '../skipSummary.mjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const cache = process.env.E2E_CACHE ?? join(root, '.cache', 'e2e');
const filters = process.argv.slice(2);
/** The whole run is bounded; one scenario has its own, smaller bound (node --test --test-timeout). */
const RUN_TIMEOUT_MS = 30 * 60_000;
const SCENARIO_TIMEOUT_MS = 5 * 60_000;

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 5 * 60_000, ...options });
  if (result.status !== 0) {
    fail(`${command} ${args.join(' ')} failed (${result.error ?? `exit ${result.status}`}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return result;
}

const envFile = join(cache, 'env.json');
if (!existsSync(envFile)) fail(`${envFile} is missing: run bash scripts/setup-e2e.sh first (npm run test:e2e does)`);
const env = JSON.parse(readFileSync(envFile, 'utf8'));

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.name.endsWith('.e2e.ts') ? [path] : [];
  });
}
const files = walk(join(root, 'test', 'e2e'))
  .map((file) => relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) fail(`no *.e2e.ts files match ${filters.join(' ')}`);

const work = mkdtempSync(join(tmpdir(), 'otlp-e2e-run-'));
// Each scenario records code-server's and chromium's process groups here while they live.
const pidsDir = join(work, 'pids');
mkdirSync(pidsDir);
let status = 1;
try {
  // 1. The package, exactly as `npm run package` makes it.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(work, `${pkg.name}-${pkg.version}.vsix`);
  const started = Date.now();
  run('npm', ['run', 'package', '--', '--out', vsix]);
  console.log(`e2e: packaged ${relative(work, vsix)} (${(readFileSync(vsix).length / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);

  // 2. Installed by code-server into a fresh extensions dir.
  const extensionsDir = join(work, 'extensions');
  const nodePath = { PATH: `${join(env.node, '..')}:${process.env.PATH}` };
  const installed = run(env.node, [env.codeServer, '--config', env.codeServerConfig, '--user-data-dir', join(work, 'install-user-data'), '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env: { ...process.env, ...nodePath },
    timeout: 2 * 60_000,
  });
  const id = `${pkg.publisher}.${pkg.name}`;
  const listed = run(env.node, [env.codeServer, '--config', env.codeServerConfig, '--user-data-dir', join(work, 'install-user-data'), '--extensions-dir', extensionsDir, '--list-extensions', '--show-versions'], {
    env: { ...process.env, ...nodePath },
    timeout: 60_000,
  });
  if (!listed.stdout.includes(`${id}@${pkg.version}`)) fail(`code-server did not install ${id}@${pkg.version}:\n${installed.stdout}${installed.stderr}\n${listed.stdout}`);
  console.log(`e2e: installed ${id}@${pkg.version} into code-server ${env.codeServerVersion}`);

  // 3. The scenarios, bundled like test/run.mjs does, one file at a time (each starts its own VS Code).
  // Per run (in the temp folder), so two runs at once do not delete each other's bundles.
  const outdir = join(work, 'out');
  const outputs = await bundleTests(root, files, outdir);
  const result = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--test', '--test-concurrency=1', `--test-timeout=${SCENARIO_TIMEOUT_MS}`, ...outputs],
    {
      stdio: 'inherit',
      cwd: root,
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      // NODE_PATH lets the bundles (dependencies external) find playwright-core from the temp folder.
      env: { ...process.env, E2E_ROOT: root, E2E_CACHE: cache, E2E_EXTENSIONS_DIR: extensionsDir, E2E_PIDS_DIR: pidsDir, E2E_TMP: work, NODE_PATH: join(root, 'node_modules') },
    },
  );
  if (result.error) console.error(`e2e: ${result.error.message}`);
  status = result.status ?? 1;
} finally {
  // Whatever a crashed or timed-out scenario left running: kill its process group.
  for (const pid of existsSync(pidsDir) ? readdirSync(pidsDir) : []) {
    try {
      process.kill(-Number(pid), 'SIGKILL');
      console.error(`e2e: killed process group ${pid} left by a scenario`);
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
}
// `npm test` ends here: repeat what the other tiers skipped, so it is in the final lines.
const summary = skipSummary(root);
if (summary) console.log(`\n(unit, LSP, CLI and integration tiers) ${summary}`);
process.exit(status);

// Bundles runTests.ts and suite.ts (vscode external) and runs them: desktop VS Code downloaded by
// @vscode/test-electron. Not part of npm test (VS Code cannot be downloaded on CI here).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
const outdir = join(root, '.cache', 'e2e', 'electron-out');
const here = join(root, 'test', 'e2e', 'electron');
await esbuild.build({
  entryPoints: [join(here, 'runTests.ts'), join(here, 'suite.ts')],
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', '@vscode/test-electron'],
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--enable-source-maps', join(outdir, 'runTests.js')], {
  stdio: 'inherit',
  cwd: root,
  timeout: 15 * 60_000,
  env: { ...process.env, E2E_ROOT: root, NODE_PATH: join(root, 'node_modules') },
});
process.exit(result.status ?? 1);

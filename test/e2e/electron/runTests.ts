/**
 * The same checks in desktop VS Code, through @vscode/test-electron, where VS Code can be
 * downloaded (not on CI here: no internet; CI runs the code-server scenarios instead).
 * `npm run test:electron` bundles this file and suite.ts and runs it. VSCODE_VERSION picks the
 * version (default: the lowest engines.vscode allows), VSCODE_EXECUTABLE a local VS Code.
 */
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function main(): Promise<number> {
  const root = process.env.E2E_ROOT ?? process.cwd();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  const work = mkdtempSync(join(tmpdir(), 'otlp-e2e-electron-'));
  try {
    const workspace = join(work, 'workspace');
    cpSync(join(root, 'test', 'fixtures', 'e2e-workspace'), workspace, { recursive: true });
    const certs = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'certs', '--out', join(workspace, 'certs'), '--host', 'otel-collector.observability.svc'], { encoding: 'utf8', timeout: 30_000 });
    if (certs.status !== 0) throw new Error(`node dist/cli.js certs failed: ${certs.stderr}`);
    return await runTests({
      version: process.env.VSCODE_VERSION ?? manifest.engines.vscode.replace(/^\^/, ''),
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'suite.js'),
      extensionTestsEnv: { OTLP_E2E_WORKSPACE: workspace },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(work, 'user-data'), '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test-electron: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);

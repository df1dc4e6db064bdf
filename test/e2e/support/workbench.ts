/**
 * One real VS Code per scenario: code-server (VS Code served to a browser, installed by
 * scripts/setup-e2e.sh) on a temp copy of test/fixtures/e2e-workspace, with the packaged .vsix
 * installed in its extensions dir (by test/e2e/run.mjs), driven by Debian's chromium through
 * playwright-core. Every wait is on visible state and bounded; `close()` kills code-server
 * (its whole process group) and chromium even when the scenario failed, and both pids are also
 * written to E2E_PIDS_DIR so run.mjs can kill what a crashed or timed-out test process left.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type BrowserServer, type Locator, type Page } from 'playwright-core';

/** The repository (test/e2e/run.mjs runs the bundles from there and says so in E2E_ROOT). */
export const ROOT = process.env.E2E_ROOT ?? process.cwd();
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'e2e-workspace');
/** Temp folders go under run.mjs's own temp folder, which it removes at the end. */
const TMP = process.env.E2E_TMP ?? tmpdir();

/** Bounds for every wait (ms). The first start of a workbench on a 2-core machine takes ~10 s. */
export const TIMEOUT = {
  server: 60_000,
  workbench: 90_000,
  diagnostics: 45_000,
  ui: 20_000,
};

interface E2eEnv {
  node: string;
  codeServer: string;
  /** code-server writes a default config file at start; this keeps it out of ~/.config. */
  codeServerConfig: string;
  chromium: string;
  extensionsDir: string;
}

/** Where setup-e2e.sh put Node 24 and code-server, and where run.mjs installed the .vsix. */
function e2eEnv(): E2eEnv {
  const cache = process.env.E2E_CACHE ?? join(ROOT, '.cache', 'e2e');
  const envFile = join(cache, 'env.json');
  if (!existsSync(envFile)) throw new Error(`${envFile} is missing: run bash scripts/setup-e2e.sh (npm run test:e2e does)`);
  const env = JSON.parse(readFileSync(envFile, 'utf8')) as Omit<E2eEnv, 'extensionsDir'>;
  const extensionsDir = process.env.E2E_EXTENSIONS_DIR;
  if (!extensionsDir || !existsSync(extensionsDir)) throw new Error('E2E_EXTENSIONS_DIR is not set: run the e2e tests with node test/e2e/run.mjs');
  return { ...env, extensionsDir };
}

/** A temp copy of the fixture workspace, with the development certificates its configs name made by the CLI. */
export function prepareWorkspace(name: string): string {
  const base = mkdtempSync(join(TMP, `ws-${name}-`));
  const folder = join(base, 'workspace');
  cpSync(FIXTURE, folder, { recursive: true });
  const made = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'certs', '--out', join(folder, 'certs'), '--host', 'otel-collector.observability.svc'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (made.status !== 0) throw new Error(`node dist/cli.js certs failed: ${made.stderr || made.error}`);
  return folder;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `probe` until it returns true or `timeout` passes (bounded; the interval is only the poll rate). */
export async function until(what: string, timeout: number, probe: () => Promise<boolean> | boolean, interval = 250): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** Workbench settings that keep the screen on what the scenario looks at. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'security.workspace.trust.enabled': false,
};

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage'];

const live = new Set<ChildProcess>();
// When the test process exits without running close(): no code-server or chromium is left behind.
process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

/** Records a process group for run.mjs's final sweep (a SIGKILLed test process runs no exit handler). */
function track(child: ChildProcess): void {
  live.add(child);
  const dir = process.env.E2E_PIDS_DIR;
  const file = dir && child.pid !== undefined ? join(dir, String(child.pid)) : undefined;
  if (file) writeFileSync(file, '');
  child.once('exit', () => {
    live.delete(child);
    if (file) rmSync(file, { force: true });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly folder: string,
    readonly name: string,
    private readonly browser: Browser,
    private readonly browserServer: BrowserServer,
    private readonly server: ChildProcess,
    private readonly base: string,
  ) {}

  /** Starts code-server on `folder` and opens it in chromium; resolves when the workbench shows the folder. */
  static async open(name: string, folder: string): Promise<Workbench> {
    const env = e2eEnv();
    const base = mkdtempSync(join(TMP, `cs-${name}-`));
    const userData = join(base, 'user-data');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    mkdirSync(ARTIFACTS, { recursive: true });
    const logFile = join(ARTIFACTS, `${name}.code-server.log`);
    const port = await freePort();
    const server = spawn(
      env.node,
      [env.codeServer, '--config', env.codeServerConfig, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', env.extensionsDir, '--bind-addr', `127.0.0.1:${port}`, folder],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: `${dirname(env.node)}:${process.env.PATH}` } },
    );
    track(server);
    const log = createWriteStream(logFile);
    server.stdout?.pipe(log);
    server.stderr?.pipe(log);

    let browserServer: BrowserServer | undefined;
    try {
      const url = `http://127.0.0.1:${port}`;
      await until(`code-server on ${url} (log: ${logFile})`, TIMEOUT.server, async () => {
        if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}; see ${logFile}`);
        return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok;
      });
      // launchServer rather than launch: its process() is chromium itself, which close() can kill.
      browserServer = await chromium.launchServer({ executablePath: env.chromium, args: CHROMIUM_ARGS, headless: true, timeout: TIMEOUT.server });
      track(browserServer.process());
      const browser = await chromium.connect(browserServer.wsEndpoint(), { timeout: TIMEOUT.server });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT.ui);
      await page.goto(`${url}/?folder=${folder}`, { timeout: TIMEOUT.workbench });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: TIMEOUT.workbench });
      // The Explorer lists the folder's files once the remote file system is up.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: TIMEOUT.workbench });
      return new Workbench(page, folder, name, browser, browserServer, server, base);
    } catch (error) {
      await browserServer?.kill().catch(() => undefined);
      await stop(server);
      throw error;
    }
  }

  /** Saves test-artifacts/<name>-<step>.png. */
  async screenshot(step: string): Promise<string> {
    const file = join(ARTIFACTS, `${this.name}-${step}.png`);
    await this.page.screenshot({ path: file, timeout: TIMEOUT.ui });
    return file;
  }

  /** Runs a command from the command palette (F1), by its full title. */
  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('F1');
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible' });
    await input.press('Enter');
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor. */
  async openFile(relativePath: string): Promise<Locator> {
    const input = await this.openQuickInput('Control+P');
    await input.fill(relativePath);
    const fileName = relativePath.split('/').pop() as string;
    const folderName = relativePath.includes('/') ? relativePath.split('/').slice(0, -1).join('/') : undefined;
    let row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: fileName });
    if (folderName) row = row.filter({ hasText: folderName });
    await row.first().waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    await row.first().click();
    const tab = this.page.locator('.tabs-container .tab.active', { hasText: fileName });
    await tab.waitFor({ state: 'visible' });
    const editor = this.page.locator('.editor-group-container.active .monaco-editor').first();
    await editor.locator('.view-lines').waitFor({ state: 'visible' });
    return editor;
  }

  /** The Problems panel, opened (Ctrl+Shift+M toggles, so the command is used instead). */
  async problems(): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await panel.waitFor({ state: 'visible' });
    return panel;
  }

  /** Waits for a Problems row holding every text in `texts`. */
  async waitForProblem(texts: string[], timeout = TIMEOUT.diagnostics): Promise<Locator> {
    const panel = await this.problems();
    let row = panel.locator('.monaco-list-row');
    for (const text of texts) row = row.filter({ hasText: text });
    await this.explainTimeout(panel, `a Problems row with ${JSON.stringify(texts)}`, row.first().waitFor({ state: 'visible', timeout }));
    return row.first();
  }

  /** Waits for the Problems panel to say the workspace has no problems. */
  async waitForNoProblems(timeout = TIMEOUT.diagnostics): Promise<void> {
    const panel = await this.problems();
    const empty = panel.locator('.message-box-container', { hasText: 'No problems have been detected in the workspace.' });
    await this.explainTimeout(panel, 'an empty Problems panel', empty.waitFor({ state: 'visible', timeout }));
  }

  /** A failed wait on the Problems panel says what the panel showed instead. */
  private async explainTimeout(panel: Locator, wanted: string, wait: Promise<void>): Promise<void> {
    try {
      await wait;
    } catch (error) {
      const shown = await panel.innerText({ timeout: 5_000 }).catch(() => '(unreadable)');
      throw new Error(`waiting for ${wanted}; the Problems panel showed:\n${shown}\n${(error as Error).message}`);
    }
  }

  /** The text of the active editor's rendered lines (Monaco uses non-breaking spaces). */
  async editorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .monaco-editor .view-lines');
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
  }

  /** The rendered token of the active editor that holds `text` (for hovering or clicking on it). */
  editorToken(text: string): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-line span span', { hasText: text }).first();
  }

  /**
   * Presses `key` (F1, Ctrl+P) until the quick input shows: a key pressed while the workbench is still
   * settling can be lost on a slow machine, and a user would press it again.
   */
  private async openQuickInput(key: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await until(`the quick input (${key})`, TIMEOUT.ui, async () => {
      await this.focusWorkbench();
      await this.page.keyboard.press(key);
      return input.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
    }, 0);
    return input;
  }

  private async focusWorkbench(): Promise<void> {
    // Escape closes any open quick input or widget, so the next key goes to the workbench.
    await this.page.keyboard.press('Escape');
  }

  /** Saves the last state as test-artifacts/<name>-final.png (what a failed scenario saw), then kills everything. */
  async close(): Promise<void> {
    await this.screenshot('final').catch(() => undefined);
    await Promise.race([this.browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
    await this.browserServer.kill().catch(() => undefined);
    await stop(this.server);
    rmSync(this.base, { recursive: true, force: true });
  }
}

/** SIGTERM to code-server's process group, SIGKILL after 10 s. */
async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  killGroup(server, 'SIGTERM');
  const timer = setTimeout(() => killGroup(server, 'SIGKILL'), 10_000);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  clearTimeout(timer);
  killGroup(server, 'SIGKILL'); // any child left in the group (extension host, language server)
  live.delete(server);
}

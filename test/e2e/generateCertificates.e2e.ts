/**
 * Scenario d: `OTLP TLS: Generate Development Certificates` from the command palette, its prompts
 * answered, writes the files, and the collector config wired to them goes from file-not-found
 * errors to a clean Problems panel. The workspace is the fixture's dev/ folder, which has no certs/ yet.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { prepareWorkspace, TIMEOUT, Workbench } from './support/workbench';

let workbench: Workbench;
let folder: string;
before(async () => {
  folder = join(prepareWorkspace('generate'), 'dev');
  workbench = await Workbench.open('d-generate-certificates', folder);
});
after(async () => workbench?.close());

test('Generate Development Certificates writes the files and the config wired to them is clean', async () => {
  const { page } = workbench;
  assert.ok(!existsSync(join(folder, 'certs')), 'the fixture starts without certs/');
  await workbench.openFile('collector.yaml');
  await workbench.waitForProblem(['file-not-found', '[Ln 9, Col 22]']);

  await workbench.runCommand('OTLP TLS: Generate Development Certificates');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  /** Waits for the prompt titled `title`, then types `value` (or keeps the default) and presses Enter. */
  const answer = async (title: string, value?: string) => {
    await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
    if (value !== undefined) await input.fill(value);
    await input.press('Enter');
  };
  await answer('Target folder', 'certs');
  await answer('Host names and IP addresses', 'localhost, 127.0.0.1');
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'ECDSA' }).first().waitFor({ state: 'visible' });
  await answer('Key algorithm');
  await answer('Validity', '90');
  await answer('Client certificate names', 'client');

  await page.locator('.notifications-toasts', { hasText: 'development certificates written to' }).waitFor({ state: 'visible', timeout: TIMEOUT.diagnostics });
  for (const name of ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'client.crt', 'client.key']) {
    assert.ok(existsSync(join(folder, 'certs', name)), `certs/${name} written`);
  }
  assert.equal(statSync(join(folder, 'certs', 'server.key')).mode & 0o777, 0o600);
  // The new folder shows in the Explorer, and the config's diagnostics are re-checked from disk.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'certs' }).first().waitFor({ state: 'visible' });
  await workbench.waitForNoProblems();
  await workbench.screenshot('generated');
});

/**
 * Scenario b: the light bulb (Ctrl+. on the misspelt key) offers the rename, and applying it
 * changes the text and clears the diagnostic.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareWorkspace, until, TIMEOUT, Workbench } from './support/workbench';

let workbench: Workbench;
before(async () => {
  workbench = await Workbench.open('b-quick-fix', prepareWorkspace('quick-fix'));
});
after(async () => workbench?.close());

test('the quick fix from the light bulb renames server_name_overide', async () => {
  const { page } = workbench;
  await workbench.openFile('agent/collector.yaml');
  await workbench.waitForProblem(['Unknown key "server_name_overide"', '[Ln 13, Col 7]']);

  // Put the cursor on the misspelt key, as a user clicking on the squiggle does, and ask for the fixes.
  // A keypress that lands while the editor is still settling opens nothing (seen once in CI), so a user
  // (and this test) presses Ctrl+. again.
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Rename server_name_overide to server_name_override' });
  await until('the light bulb menu to offer the rename', TIMEOUT.diagnostics, async () => {
    await workbench.editorToken('server_name_overide').click();
    await page.keyboard.press('Control+.');
    return fix.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
  }, 0);
  await workbench.screenshot('light-bulb');
  await fix.click();

  await until('the editor to show server_name_override', TIMEOUT.ui, async () => /server_name_override:/.test(await workbench.editorText()));
  assert.doesNotMatch(await workbench.editorText(), /server_name_overide/);
  const panel = await workbench.problems();
  await until('the unknown-key problem to go away', TIMEOUT.diagnostics, async () => !(await panel.innerText()).includes('server_name_overide'));
  await workbench.screenshot('fixed');
});

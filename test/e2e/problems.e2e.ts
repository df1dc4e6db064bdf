/**
 * Scenario a: a user opens a broken collector config and the Problems panel lists our diagnostics
 * on the right lines (the misspelt server_name_overide is on line 13, column 7).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareWorkspace, Workbench } from './support/workbench';

let workbench: Workbench;
before(async () => {
  workbench = await Workbench.open('a-problems', prepareWorkspace('problems'));
});
after(async () => workbench?.close());

test('a broken collector config shows its diagnostics in the Problems panel, on the right lines', async () => {
  await workbench.openFile('agent/collector.yaml');
  const unknownKey = await workbench.waitForProblem(['Unknown key "server_name_overide"', '[Ln 13, Col 7]']);
  assert.match(await unknownKey.innerText(), /server_name_override/, 'the message suggests the right key');
  await workbench.waitForProblem(['insecure_skip_verify: true', '[Ln 12, Col 7]']);
  await workbench.waitForProblem(['does not turn TLS off', '[Ln 9, Col 15]']);
  await workbench.screenshot('problems');
});

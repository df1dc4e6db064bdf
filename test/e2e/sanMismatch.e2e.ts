/**
 * Scenario e: the app's env file points at https://otel-collector:4317; the workspace's gateway
 * collector listens on 4317 with a certificate made for otel-collector.observability.svc only, so
 * the Problems panel shows san-mismatch on the endpoint.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareWorkspace, Workbench } from './support/workbench';

let workbench: Workbench;
before(async () => {
  workbench = await Workbench.open('e-san-mismatch', prepareWorkspace('san-mismatch'));
});
after(async () => workbench?.close());

test('an env file whose endpoint host is not in the server certificate shows san-mismatch', async () => {
  await workbench.openFile('app/.env');
  const row = await workbench.waitForProblem(['san-mismatch', '[Ln 4, Col 29]']);
  assert.match(await row.innerText(), /"otel-collector" is not covered/);
  await workbench.screenshot('san-mismatch');
});

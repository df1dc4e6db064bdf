/** Scenario c: hovering a certificate path shows the certificate's summary. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareWorkspace, TIMEOUT, until, Workbench } from './support/workbench';

let workbench: Workbench;
before(async () => {
  workbench = await Workbench.open('c-hover', prepareWorkspace('hover'));
});
after(async () => workbench?.close());

test('hovering cert_file shows the server certificate it names', async () => {
  const { page } = workbench;
  // The language server is up once the agent config's diagnostics are in.
  await workbench.openFile('agent/collector.yaml');
  await workbench.waitForProblem(['Unknown key "server_name_overide"']);

  await workbench.openFile('gateway/collector.yaml');
  const path = workbench.editorToken('/etc/otel/certs/server.crt');
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Subject' });
  // A hover that opened before its answer came can stay empty: move away and back until it shows.
  await until('the certificate hover', TIMEOUT.diagnostics, async () => {
    await page.mouse.move(0, 0);
    await path.hover();
    return hover
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
  });
  const text = await hover.innerText();
  assert.match(text, /cert_file/);
  assert.match(text, /DNS:otel-collector\.observability\.svc/);
  assert.match(text, /\d+ days left/);
  await workbench.screenshot('hover');
});

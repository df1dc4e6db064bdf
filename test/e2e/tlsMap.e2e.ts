/**
 * Scenario f: `OTLP TLS: Show TLS Map` opens the map of the e2e workspace in a webview. The app whose
 * endpoint host is not in the gateway's certificate (app/.env, san-mismatch) is drawn red; clicking
 * that edge opens app/.env at its endpoint (line 4); fixing the host there turns the edge green while
 * the map stays open (the server says the map changed, the panel asks again). The screenshot is the
 * README's images/screenshots/tls-map.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { prepareWorkspace, TIMEOUT, until, Workbench } from './support/workbench';

let workbench: Workbench;
before(async () => {
  workbench = await Workbench.open('f-tls-map', prepareWorkspace('tls-map'));
});
after(async () => workbench?.close());

/** The webview frame that holds the map (code-server nests it in two iframes). */
async function mapFrame(): Promise<Frame> {
  let found: Frame | undefined;
  await until('the TLS map webview', TIMEOUT.diagnostics, async () => {
    for (const frame of workbench.page.frames()) {
      if (await frame.locator('#map').count().catch(() => 0)) {
        found = frame;
        return true;
      }
    }
    return false;
  });
  return found!;
}

/** `verdict label` of every edge drawn. */
async function drawnEdges(frame: Frame): Promise<string[]> {
  return frame.locator('g.edge').evaluateAll((edges) => edges.map((e) => `${e.getAttribute('data-verdict')} ${e.getAttribute('aria-label')}`));
}

test('the TLS map draws the broken edge red, opens its file at the line, and follows the fix', async () => {
  const { page } = workbench;
  // The language server is up once the app's diagnostics are in.
  await workbench.openFile('app/.env');
  await workbench.waitForProblem(['san-mismatch', '[Ln 4, Col 29]']);
  await workbench.runCommand('View: Close All Editors');
  await workbench.runCommand('View: Hide Panel');
  await workbench.runCommand('OTLP TLS: Show TLS Map');

  const frame = await mapFrame();
  await until('four edges on the map', TIMEOUT.diagnostics, async () => (await frame.locator('g.edge').count()) === 4);
  const drawn = (await drawnEdges(frame)).sort();
  assert.deepEqual(drawn, [
    'fails agent/collector.yaml to gateway/collector.yaml: fails: missing-client-cert, unknown-key',
    'fails checkout to gateway/collector.yaml: fails: san-mismatch',
    'ok billing to gateway/collector.yaml: the handshake succeeds (Go\'s rules)',
    'unknown gateway/collector.yaml to otlp.vendor.example:443: no receiver of the workspace listens on port 443, so the server end is not known here',
  ]);
  const broken = frame.locator('g.edge[data-verdict="fails"]', { has: frame.locator('text', { hasText: 'san-mismatch' }) });
  const stroke = await broken.locator('path.edge-line').evaluate((path) => (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(path).stroke);
  assert.equal(stroke, 'rgb(229, 83, 75)', 'the broken edge is drawn red');
  const good = frame.locator('g.edge[data-verdict="ok"] path.edge-line');
  assert.equal(await good.evaluate((path) => (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(path).stroke), 'rgb(46, 160, 67)', 'the working edge is drawn green');
  await workbench.screenshot('tls-map');

  // A click on the broken edge opens app/.env at the endpoint, beside the map.
  await broken.locator('.edge-label').click();
  await page.locator('.tabs-container .tab.active', { hasText: '.env' }).waitFor({ state: 'visible' });
  assert.match(await workbench.editorText(), /OTEL_SERVICE_NAME=checkout/);
  const status = page.locator('.statusbar-item[id="status.editor.selection"]');
  await until('the cursor on line 4', TIMEOUT.ui, async () => /Ln 4, Col \d+/.test(await status.innerText()));
  assert.match(await status.innerText(), /Ln 4, Col (29|56)/);
  // The map shows the edge's details, with the deciding diagnostic.
  assert.match(await frame.locator('#details').innerText(), /error san-mismatch · app\/\.env:4/);

  // The endpoint value is selected: typing the host the certificate holds fixes it, and the map follows.
  await page.keyboard.type('https://otel-collector.observability.svc:4317');
  await until('the fixed edge drawn green', TIMEOUT.diagnostics, async () => (await frame.locator('g.edge[data-verdict="ok"]').count()) === 2);
  assert.deepEqual(
    (await drawnEdges(frame)).filter((e) => e.includes('checkout')),
    ['ok checkout to gateway/collector.yaml: the handshake succeeds (Go\'s rules)'],
  );
  await workbench.screenshot('tls-map-fixed');

  // Zoom in twice with the + button: the viewBox shows a 1/1.5625 part of the map.
  const fitted = await frame.locator('#map').getAttribute('viewBox');
  await frame.locator('#zoom-in').click();
  await frame.locator('#zoom-in').click();
  assert.equal(await frame.locator('#map').getAttribute('data-zoom'), '1.56');
  const zoomed = await frame.locator('#map').getAttribute('viewBox');
  assert.notEqual(zoomed, fitted);
  /** The middle of what the map shows, as fractions of the map's width and height. */
  const middle = (f: Frame) =>
    f.locator('#map').evaluate((svg) => {
      const [x, y, w, h] = (svg.getAttribute('viewBox') ?? '').split(' ').map(Number);
      return [(x + w / 2) / Number(svg.getAttribute('width')), (y + h / 2) / Number(svg.getAttribute('height'))];
    });
  const before = await middle(frame);

  // A window reload brings the map back as it was: zoomed, the edge selected, its details shown.
  // Saved first (the keyboard's focus is in the webview after the clicks, so Ctrl+S would not reach the editor).
  await workbench.runCommand('File: Save All Files');
  await page.locator('.tabs-container .tab.dirty').waitFor({ state: 'detached', timeout: TIMEOUT.ui });
  await workbench.runCommand('Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: TIMEOUT.workbench });
  const restored = await mapFrame();
  await until('the restored map with the fixed edge green', TIMEOUT.diagnostics, async () => (await restored.locator('g.edge').count()) === 4 && (await restored.locator('g.edge[data-verdict="ok"]').count()) === 2);
  assert.equal(await restored.locator('#map').getAttribute('data-zoom'), '1.56');
  // The same part of the map: its middle at the same fraction of the map (the layout is made again, and a label
  // measured before the fonts settle can change its size by a few pixels).
  const after = await middle(restored);
  assert.ok(Math.abs(before[0] - after[0]) < 0.02 && Math.abs(before[1] - after[1]) < 0.02, `middle ${after} against ${before}`);
  assert.match(await restored.locator('#details').innerText(), /checkout → gateway\/collector\.yaml/);
  assert.equal(await restored.locator('g.edge.selected').count(), 1);
});

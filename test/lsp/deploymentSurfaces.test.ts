/**
 * The built server on the deployment surfaces: a Kubernetes manifest opened in the editor gets its
 * embedded collector's diagnostics on the outer lines, re-checked after an edit inside the block scalar;
 * a quick fix edits the outer text; a ConfigMap found by the workspace scan (on disk, never opened)
 * pairs with an opened Deployment; an annotated Deployment is re-judged when the Instrumentation it names opens.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lspClient';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\ndata:\n  relay: |\n    exporters:\n      otlp:\n        endpoint: gw:14317\n        tls:\n          server_name_overide: gw\n';

describe('language server on Kubernetes manifests', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-lsp-k8s-'));
    mkdirSync(join(dir, 'observability'));
    // On disk only: the workspace scan reads it by content (its name says nothing).
    writeFileSync(
      join(dir, 'observability', 'otel.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gateway\ndata:\n  relay: |\n    receivers:\n      otlp:\n        protocols:\n          grpc:\n            endpoint: 0.0.0.0:24317\n    exporters:\n      debug: {}\n',
    );
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the embedded config\'s diagnostics on the manifest\'s lines, and re-checks an edit inside the block', async () => {
    const uri = client.open(join(dir, 'agent.yaml'), CONFIG_MAP);
    const first = await client.diagnostics(uri, (p) => p.version === 1);
    // The exporter's port (14317) is served by no collector of the workspace, while the scanned gateway listens: said.
    const noListener = ['no-listener', { start: { line: 8, character: 18 }, end: { line: 8, character: 26 } }];
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.range]), [noListener, ['unknown-key', { start: { line: 10, character: 10 }, end: { line: 10, character: 29 } }]]);
    client.change(uri, 2, CONFIG_MAP.replace('server_name_overide', 'server_name_override'));
    const second = await client.diagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(second.diagnostics.map((d) => [d.code, d.range]), [noListener]);
  });

  it('a quick fix edits the manifest', async () => {
    const path = join(dir, 'fix.yaml');
    const uri = client.open(path, CONFIG_MAP);
    const diagnostics = (await client.diagnostics(uri, (p) => p.version === 1)).diagnostics.filter((d) => d.code === 'unknown-key');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } })) as CodeAction[];
    const rename = actions.find((a) => /server_name_override/.test(a.title));
    assert.ok(rename?.edit?.changes?.[uri], JSON.stringify(actions));
    const document = TextDocument.create(uri, 'yaml', 1, CONFIG_MAP);
    assert.equal(TextDocument.applyEdits(document, rename.edit.changes[uri]), CONFIG_MAP.replace('server_name_overide', 'server_name_override'));
  });

  it('an opened Deployment pairs with the ConfigMap the workspace scan found', async () => {
    const uri = client.open(
      join(dir, 'checkout.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: https://gateway:24317\n            - name: OTEL_EXPORTER_OTLP_PROTOCOL\n              value: grpc\n',
    );
    const { diagnostics } = await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['plaintext-endpoint', 11]]);
    assert.match(String(diagnostics[0].message), /^container app of Deployment checkout: /);
    assert.match(diagnostics[0].relatedInformation?.[0].location.uri ?? '', /observability\/otel\.yaml$/);
    assert.equal(diagnostics[0].relatedInformation?.[0].location.range.start.line, 10);
  });

  it("an annotated Deployment is judged with the Instrumentation once it is opened (the operator's injection), and says it is not known before", async () => {
    const uri = client.open(
      join(dir, 'shop.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  template:\n    metadata:\n      annotations:\n        instrumentation.opentelemetry.io/inject-java: "java"\n    spec:\n      containers:\n        - name: app\n          image: shop\n',
    );
    const before = await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(before.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['injection-not-judged', 9, 54]]);
    // The Instrumentation (opened, not saved): the Java agent sends over HTTP to 4317, the OTLP/gRPC port.
    client.open(join(dir, 'instrumentation.yaml'), 'apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata:\n  name: java\n  namespace: shop\nspec:\n  exporter:\n    endpoint: http://collector.shop.svc:4317\n');
    const after = await client.diagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'injection-not-judged'));
    assert.deepEqual(after.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['port-protocol-mismatch', 9, 54]]);
    assert.match(String(after.diagnostics[0].message), /^container app of Deployment shop\/shop \(inject-java: Instrumentation shop\/java\): .*the Java agent defaults to http\/protobuf/);
    assert.match(after.diagnostics[0].relatedInformation?.[0].location.uri ?? '', /instrumentation\.yaml$/);
  });
});

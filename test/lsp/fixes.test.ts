/**
 * The built server's quick fixes that depend on the workspace (dist/server.js --stdio): the
 * diagnostics' data survives the round trip through the client, and the files on disk are found.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lspClient';
import { devPki } from '../support/devPki';
import { ADD_PATH_MAPPING_COMMAND, GENERATE_CERTIFICATES_COMMAND } from '../../server/src/protocol';

describe('language server quick fixes over the workspace (dist/server.js --stdio)', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-fixes-'));
    const pki = await devPki();
    mkdirSync(join(dir, 'certs'));
    for (const name of ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'client.crt', 'client.key']) writeFileSync(join(dir, 'certs', name), pki[name], { mode: name.endsWith('.key') ? 0o600 : 0o644 });
    mkdirSync(join(dir, 'deploy', 'pki'), { recursive: true });
    writeFileSync(join(dir, 'deploy', 'pki', 'root.crt'), pki['ca.crt']);
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function actionsFor(uri: string, code: string): Promise<{ actions: CodeAction[]; diagnostics: Diagnostic[] }> {
    const { diagnostics } = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === code));
    const wanted = diagnostics.filter((d) => d.code === code);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: wanted[0].range, context: { diagnostics: wanted } })) as CodeAction[];
    return { actions, diagnostics: wanted };
  }

  function apply(uri: string, text: string, action: CodeAction | undefined): string {
    assert.ok(action?.edit?.changes?.[uri], `no edit in ${JSON.stringify(action)}`);
    return TextDocument.applyEdits(TextDocument.create(uri, 'plaintext', 1, text), action.edit.changes[uri]);
  }

  it('san-mismatch: connect to a covered name, or re-issue the development certificate with the host', async () => {
    client.open(join(dir, 'gateway.yaml'), 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:14317\n        tls:\n          cert_file: certs/server.crt\n          key_file: certs/server.key\n');
    const text = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-gw:14317 # gateway\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n';
    const uri = client.open(join(dir, 'app.env'), text, 'dotenv');
    const { actions } = await actionsFor(uri, 'san-mismatch');
    assert.equal(apply(uri, text, actions.find((a) => a.title.startsWith('Connect to collector'))), text.replace('otel-gw', 'collector'));
    const reissue = actions.find((a) => a.title.startsWith('Re-issue'));
    assert.deepEqual(reissue?.command?.command, GENERATE_CERTIFICATES_COMMAND);
    assert.deepEqual(reissue?.command?.arguments, [{ hosts: ['localhost', 'collector', 'otel-gw'], folder: join(dir, 'certs') }]);
  });

  it('san-mismatch on a collector exporter: server_name_override', async () => {
    const text = 'exporters:\n  otlp:\n    endpoint: otel-gw:14317\n    tls:\n      ca_file: certs/ca.crt\n';
    const uri = client.open(join(dir, 'agent.yaml'), text);
    const { actions } = await actionsFor(uri, 'san-mismatch');
    assert.equal(apply(uri, text, actions.find((a) => a.title.endsWith('server_name_override: localhost'))), text + '      server_name_override: localhost\n');
  });

  it('incomplete-pair: adds the client key next to the certificate, pointing to the existing file', async () => {
    const text = 'export OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:34318\nexport OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=certs/client.crt\n';
    const uri = client.open(join(dir, 'run.sh'), text, 'shellscript');
    const { actions } = await actionsFor(uri, 'incomplete-pair');
    assert.equal(apply(uri, text, actions[0]), text + 'export OTEL_EXPORTER_OTLP_CLIENT_KEY=certs/client.key\n');
  });

  it('tls-ignored in an env file: https:// for the endpoint, the missing endpoint, or no contradicting INSECURE', async () => {
    const http = 'OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:54317\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n';
    const httpUri = client.open(join(dir, 'http.env'), http, 'dotenv');
    const scheme = await actionsFor(httpUri, 'tls-ignored');
    assert.equal(apply(httpUri, http, scheme.actions.find((a) => a.title === 'Use https:// in OTEL_EXPORTER_OTLP_ENDPOINT')), http.replace('http://', 'https://'));

    const none = 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n';
    const noneUri = client.open(join(dir, 'none.env'), none, 'dotenv');
    const add = await actionsFor(noneUri, 'tls-ignored');
    assert.equal(apply(noneUri, none, add.actions[0]), 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n');

    const insecure = 'export OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:54317\nexport OTEL_EXPORTER_OTLP_INSECURE=true\n';
    const insecureUri = client.open(join(dir, 'insecure.sh'), insecure, 'shellscript');
    const remove = await actionsFor(insecureUri, 'tls-ignored');
    assert.equal(apply(insecureUri, insecure, remove.actions.find((a) => a.title === 'Remove OTEL_EXPORTER_OTLP_INSECURE')), 'export OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:54317\n');
  });

  it('plaintext-endpoint against a paired receiver: switch the scheme (env file and OTLP/HTTP exporter)', async () => {
    client.open(join(dir, 'tls-gateway.yaml'), 'receivers:\n  otlp/tls:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:15318\n        tls:\n          cert_file: certs/server.crt\n          key_file: certs/server.key\n');
    const env = 'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\nOTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:15318\n';
    const envUri = client.open(join(dir, 'plain.env'), env, 'dotenv');
    const fromEnv = await actionsFor(envUri, 'plaintext-endpoint');
    assert.equal(apply(envUri, env, fromEnv.actions.find((a) => a.title === 'Use https://')), env.replace('http://', 'https://'));

    const agent = 'exporters:\n  otlp_http:\n    endpoint: http://localhost:15318\n';
    const agentUri = client.open(join(dir, 'plain-agent.yaml'), agent);
    const fromAgent = await actionsFor(agentUri, 'plaintext-endpoint');
    assert.equal(apply(agentUri, agent, fromAgent.actions.find((a) => a.title === 'Use https://')), agent.replace('http://', 'https://'));
  });

  it('invalid-value: a quoted boolean and a cipher_suites string with spaces', async () => {
    const text = 'exporters:\n  otlp/y:\n    endpoint: elsewhere:24318\n    tls:\n      insecure: "true"\n      cipher_suites: "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384"\n';
    const uri = client.open(join(dir, 'values.yaml'), text);
    const { actions } = await actionsFor(uri, 'invalid-value');
    assert.equal(apply(uri, text, actions.find((a) => a.title === 'Write insecure: true without quotes')), text.replace('"true"', 'true'));
    assert.equal(
      apply(uri, text, actions.find((a) => a.title === 'Write cipher_suites as a YAML list')),
      text.replace(' "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384"', '\n        - TLS_AES_128_GCM_SHA256\n        - TLS_AES_256_GCM_SHA384'),
    );
  });

  it('file-not-found: use the file of the same name found on disk, or add a path mapping', async () => {
    const text = 'exporters:\n  otlp/x:\n    endpoint: elsewhere:24317\n    tls:\n      ca_file: /etc/otel/pki/root.crt # mounted\n';
    const uri = client.open(join(dir, 'missing.yaml'), text);
    const { actions } = await actionsFor(uri, 'file-not-found');
    assert.equal(apply(uri, text, actions[0]), text.replace('/etc/otel/pki/root.crt', 'deploy/pki/root.crt'));
    const mapping = actions.find((a) => a.command?.command === ADD_PATH_MAPPING_COMMAND);
    assert.deepEqual(mapping?.command?.arguments, [{ from: '/etc/otel/pki', to: 'deploy/pki' }]);
    assert.equal(actions.at(-1)?.command?.command, GENERATE_CERTIFICATES_COMMAND);
  });
});

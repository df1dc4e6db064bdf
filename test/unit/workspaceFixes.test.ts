/**
 * Quick fixes that look at the workspace (the server certificate of the paired receiver, files
 * elsewhere in the workspace): validate inline text, take the fix, apply it, compare the whole text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { applied, fixesFor } from '../support/features';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';
import { devPki } from '../support/devPki';
import { defaultSettings } from '../../server/src/service/settings';
import { ADD_PATH_MAPPING_COMMAND, GENERATE_CERTIFICATES_COMMAND } from '../../server/src/protocol';
import { DEFAULT_SEARCH_LIMITS, findFiles } from '../../server/src/service/workspaceSearch';
import { check } from '../support/check';

const GATEWAY = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: certs/server.crt\n          key_file: certs/server.key\n';

/** The dev PKI (server certificate for localhost and collector) in /work/certs, with or without the CA key. */
async function pkiFiles(withCaKey = true): Promise<Record<string, string | MemoryFile>> {
  const pki = await devPki();
  const files: Record<string, string | MemoryFile> = {
    '/work/certs/ca.crt': pki['ca.crt'],
    '/work/certs/server.crt': pki['server.crt'],
    '/work/certs/server.key': { contents: pki['server.key'], mode: 0o600 },
  };
  if (withCaKey) files['/work/certs/ca.key'] = { contents: pki['ca.key'], mode: 0o600 };
  return files;
}

/** Fixes for `code` in `text` at `path`, in a workspace holding the gateway config. */
async function fixesInWorkspace(text: string, path: string, code: string, options: { withCaKey?: boolean; roots?: string[] } = {}) {
  const runtime = memoryRuntime({ files: await pkiFiles(options.withCaKey ?? true) });
  const settings = { ...defaultSettings, workspaceRoots: options.roots ?? ['/work'] };
  return fixesFor(text, code, { path, runtime, settings, others: [{ path: '/work/gateway.yaml', text: GATEWAY }] });
}

function titles(actions: CodeAction[]): string[] {
  return actions.map((a) => a.title);
}

function pick(actions: CodeAction[], title: RegExp): CodeAction {
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no action matching ${title} among ${JSON.stringify(titles(actions))}`);
  return action;
}

describe('san-mismatch fixes', () => {
  it('env file: one action per name of the certificate, changing only the host', async () => {
    const text = '# app\nOTEL_EXPORTER_OTLP_ENDPOINT="https://otel-gw:4317/"  # gateway\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n';
    const { actions, document } = await fixesInWorkspace(text, '/work/app.env', 'san-mismatch');
    assert.deepEqual(titles(actions).slice(0, 2), ['Connect to localhost (a name in the certificate)', 'Connect to collector (a name in the certificate)']);
    assert.equal(applied(document, pick(actions, /Connect to collector/)), '# app\nOTEL_EXPORTER_OTLP_ENDPOINT="https://collector:4317/"  # gateway\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n');
  });

  it('a development certificate whose CA key is in the workspace: re-issue it with the host added', async () => {
    const text = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-gw:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n';
    const { actions } = await fixesInWorkspace(text, '/work/app.env', 'san-mismatch');
    const reissue = pick(actions, /Re-issue/);
    assert.equal(reissue.kind, 'quickfix');
    assert.equal(reissue.edit, undefined);
    assert.deepEqual(reissue.command, { title: reissue.title, command: GENERATE_CERTIFICATES_COMMAND, arguments: [{ hosts: ['localhost', 'collector', 'otel-gw'], folder: '/work/certs' }] });
  });

  it('no re-issue without the CA key, or when the certificate is outside the workspace roots', async () => {
    const text = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-gw:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n';
    for (const options of [{ withCaKey: false }, { roots: ['/elsewhere'] }]) {
      const { actions } = await fixesInWorkspace(text, '/work/app.env', 'san-mismatch', options);
      assert.ok(!titles(actions).some((t) => /Re-issue/.test(t)), JSON.stringify(options));
      assert.deepEqual(actions.at(-1)?.command, { title: 'Generate development certificates…', command: GENERATE_CERTIFICATES_COMMAND });
    }
  });

  it('collector exporter: change the endpoint host, keeping quotes and comments', async () => {
    const text = 'exporters:\n  otlp/gw:\n    # to the gateway\n    endpoint: "otel-gw:4317" # grpc\n    tls:\n      ca_file: certs/ca.crt\n';
    const { actions, document } = await fixesInWorkspace(text, '/work/agent.yaml', 'san-mismatch');
    assert.equal(applied(document, pick(actions, /Connect to localhost/)), text.replace('"otel-gw:4317"', '"localhost:4317"'));
  });

  it('collector exporter: set tls.server_name_override to a covered name', async () => {
    const text = 'exporters:\n  otlp/gw:\n    endpoint: otel-gw:4317\n    tls:\n      ca_file: certs/ca.crt # our CA\n    compression: gzip\n';
    const { actions, document } = await fixesInWorkspace(text, '/work/agent.yaml', 'san-mismatch');
    assert.equal(
      applied(document, pick(actions, /server_name_override: collector/)),
      'exporters:\n  otlp/gw:\n    endpoint: otel-gw:4317\n    tls:\n      ca_file: certs/ca.crt # our CA\n      server_name_override: collector\n    compression: gzip\n',
    );
  });

  it('collector exporter without a tls block: server_name_override goes into a new tls block', async () => {
    const text = 'exporters:\n  otlp/gw:\n    endpoint: https://otel-gw:4317\n    compression: gzip\nservice: {}\n';
    const { actions, document } = await fixesInWorkspace(text, '/work/agent.yaml', 'san-mismatch');
    assert.equal(
      applied(document, pick(actions, /server_name_override: localhost/)),
      'exporters:\n  otlp/gw:\n    endpoint: https://otel-gw:4317\n    compression: gzip\n    tls:\n      server_name_override: localhost\nservice: {}\n',
    );
  });

  it('collector exporter whose server_name_override is wrong: change the override, not the endpoint', async () => {
    const text = 'exporters:\n  otlp/gw:\n    endpoint: collector:4317\n    tls:\n      ca_file: certs/ca.crt\n      server_name_override: "gw.example" # TODO\n';
    const { actions, document } = await fixesInWorkspace(text, '/work/agent.yaml', 'san-mismatch');
    assert.ok(!titles(actions).some((t) => /Connect to/.test(t)), JSON.stringify(titles(actions)));
    assert.equal(applied(document, pick(actions, /server_name_override to collector/)), text.replace('"gw.example"', '"collector"'));
  });
});

describe('file-not-found fixes', () => {
  const settings = { ...defaultSettings, workspaceRoots: ['/work'] };

  it('replaces the path with a file of the same name found in the workspace, relative to the config', () => {
    const runtime = memoryRuntime({ files: { '/work/deploy/certs/ca.crt': 'x', '/work/deploy/certs/other.crt': 'x' } });
    const text = 'exporters:\n  otlp:\n    endpoint: gateway:4317\n    tls:\n      # mounted by the chart\n      ca_file: /etc/otel/certs/ca.crt   # CA\n';
    const { actions, document } = fixesFor(text, 'file-not-found', { path: '/work/agent/collector.yaml', runtime, settings });
    assert.deepEqual(titles(actions), ['Use ../deploy/certs/ca.crt (found in the workspace)', 'Add a path mapping: /etc/otel/certs → deploy/certs', 'Generate development certificates…']);
    assert.equal(actions[0].isPreferred, true);
    assert.equal(applied(document, actions[0]), text.replace('/etc/otel/certs/ca.crt', '../deploy/certs/ca.crt'));
  });

  it('add a path mapping: a command with the written folder and the found one, and the mapping resolves the file', () => {
    const runtime = memoryRuntime({ files: { '/work/deploy/certs/ca.crt': 'x' } });
    const text = 'exporters:\n  otlp:\n    endpoint: gateway:4317\n    tls:\n      ca_file: /etc/otel/certs/ca.crt\n';
    const { actions } = fixesFor(text, 'file-not-found', { runtime, settings });
    const mapping = pick(actions, /path mapping/);
    assert.equal(mapping.edit, undefined);
    assert.deepEqual(mapping.command, { title: mapping.title, command: ADD_PATH_MAPPING_COMMAND, arguments: [{ from: '/etc/otel/certs', to: 'deploy/certs' }] });
    // The server resolves `to` against the first workspace folder; with the mapping the file is found.
    const mapped = { ...settings, pathMappings: [{ from: '/etc/otel/certs', to: '/work/deploy/certs' }] };
    // Found: what is left is that the test's stand-in file holds no certificate.
    assert.deepEqual(check(text, { runtime, settings: mapped }).map((p) => p.code), ['not-a-certificate']);
  });

  it('env file: keeps the quotes; nearest files first; no mapping for a bare file name', () => {
    const runtime = memoryRuntime({ files: { '/work/app/tls/client.crt': 'x', '/work/app/tls/client.key': 'x', '/work/pki/old/client.key': 'x' } });
    const text = '# client\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=tls/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY="client.key"\n';
    const { actions, document } = fixesFor(text, 'file-not-found', { path: '/work/app/.env', runtime, settings });
    assert.deepEqual(titles(actions), ['Use tls/client.key (found in the workspace)', 'Use ../pki/old/client.key (found in the workspace)', 'Generate development certificates…']);
    assert.equal(applied(document, actions[0]), '# client\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=tls/client.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY="tls/client.key"\n');
  });

  it('does not look into node_modules or .git, nor beyond the workspace roots', () => {
    const runtime = memoryRuntime({ files: { '/work/node_modules/pkg/ca.crt': 'x', '/work/.git/ca.crt': 'x', '/other/ca.crt': 'x' } });
    const text = 'exporters:\n  otlp:\n    endpoint: gateway:4317\n    tls:\n      ca_file: /etc/otel/ca.crt\n';
    assert.deepEqual(titles(fixesFor(text, 'file-not-found', { runtime, settings }).actions), ['Generate development certificates…']);
  });

  it('stops after a bounded number of directory entries', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6000; i++) files[`/work/a/f${String(i).padStart(4, '0')}.txt`] = 'x';
    files['/work/z/ca.crt'] = 'x';
    const runtime = memoryRuntime({ files });
    assert.deepEqual(findFiles(runtime, ['/work'], (n) => n === 'ca.crt'), []);
    assert.deepEqual(findFiles(runtime, ['/work'], (n) => n === 'ca.crt', { ...DEFAULT_SEARCH_LIMITS, maxEntries: 10_000 }), ['/work/z/ca.crt']);
  });
});

describe('incomplete-pair fixes', () => {
  it('adds CLIENT_KEY below the certificate line, named after it, preferring the file that exists', () => {
    const runtime = memoryRuntime({ files: { '/work/certs/client-cert.pem': 'x', '/work/certs/client-key.pem': 'x' } });
    const text = '# mTLS\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=certs/client-cert.pem # ours\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n';
    const { actions, document } = fixesFor(text, 'incomplete-pair', { path: '/work/.env', runtime });
    assert.deepEqual(titles(actions), ['Add OTEL_EXPORTER_OTLP_CLIENT_KEY=certs/client-key.pem', 'Generate development certificates…']);
    assert.equal(actions[0].isPreferred, true);
    assert.equal(applied(document, actions[0]), '# mTLS\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=certs/client-cert.pem # ours\nOTEL_EXPORTER_OTLP_CLIENT_KEY=certs/client-key.pem\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n');
  });

  it('client.crt → client.key even when it does not exist; the same signal; export and indentation kept in .sh', () => {
    const text = 'if true; then\n  export OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE=/etc/tls/client.crt\nfi';
    const { actions, document } = fixesFor(text, 'incomplete-pair', { path: '/work/run.sh' });
    assert.equal(applied(document, actions[0]), 'if true; then\n  export OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE=/etc/tls/client.crt\n  export OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY=/etc/tls/client.key\nfi');
  });

  it('a key without its certificate: adds CLIENT_CERTIFICATE, also at the end of a file without a final newline', () => {
    const runtime = memoryRuntime({ files: { '/work/tls/app.crt': 'x' } });
    const text = 'OTEL_EXPORTER_OTLP_CLIENT_KEY="tls/app.key"';
    const { actions, document } = fixesFor(text, 'incomplete-pair', { path: '/work/app.env', runtime });
    assert.equal(applied(document, actions[0]), 'OTEL_EXPORTER_OTLP_CLIENT_KEY="tls/app.key"\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=tls/app.crt\n');
  });
});

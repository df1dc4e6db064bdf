/**
 * Quick fixes that look at the workspace (the server certificate of the paired receiver, files
 * elsewhere in the workspace): validate inline text, take the fix, apply it, compare the whole text.
 */
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { applied, fixesFor } from '../support/features';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';
import { devPki } from '../support/devPki';
import { getLanguageService } from '../../server/src/service/languageService';
import { defaultSettings, type Settings } from '../../server/src/service/settings';
import { createWorkspaceIndex, type WorkspaceIndex } from '../../server/src/service/workspace';
import { clearCertificateCache } from '../../server/src/service/certificates/certificateFiles';
import { GENERATE_CERTIFICATES_COMMAND } from '../../server/src/protocol';
import type { Runtime } from '../../server/src/service/runtime';

beforeEach(() => clearCertificateCache());

/** A workspace index over `docs`, parsed as the adapters do. */
function workspaceOf(runtime: Runtime, settings: Settings, docs: { path: string; text: string }[]): WorkspaceIndex {
  const parser = getLanguageService({ runtime, settings });
  return createWorkspaceIndex(
    docs.flatMap((d) => {
      const parsed = parser.parse(d);
      return parsed.kind === 'other' ? [] : [{ path: d.path, text: d.text, kind: parsed.kind, model: parsed.model }];
    }),
  );
}

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
  const workspace = workspaceOf(runtime, settings, [{ path: '/work/gateway.yaml', text: GATEWAY }, { path, text }]);
  return fixesFor(text, code, { path, runtime, settings, workspace });
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
    assert.deepEqual(reissue.command, { title: reissue.title, command: GENERATE_CERTIFICATES_COMMAND, arguments: [{ hosts: ['localhost', 'collector', 'otel-gw'] }] });
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

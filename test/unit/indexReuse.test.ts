/**
 * The workspace index survives an edit that changes nothing it answers (model/workspace.ts createWorkspaceIndex's
 * `previous`): an edit of a collector config's component without an OTLP listener, or below its listeners, gives
 * an index that shares the last one's answers, so kept check results are not asked again; an edit of a listener's
 * port, of the lines above a listener, or of an app's endpoint does not, and the pairs are made again. After every
 * edit each file's problems equal those of a new service that reads everything afresh.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import { hasUnits, type ParsedFile } from '../../server/src/service/model/units';
import { emptyWorkspace, type WorkspaceIndex } from '../../server/src/service/model/workspace';
import { defaultSettings } from '../../server/src/service/settings';
import type { Problem } from '../../server/src/service/languageTypes';
import { devPki, PKI_NOW } from '../support/devPki';
import { memoryRuntime } from '../support/memoryRuntime';

const GATEWAY = '/w/gateway.yaml';
const APP = '/w/app.env';

const GATEWAY_TEXT = `receivers:
  otlp/mtls:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
        tls:
          cert_file: /w/certs/server.crt
          key_file: /w/certs/server.key
          client_ca_file: /w/certs/ca.crt
  otlp/plain:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
exporters:
  otlp/upstream:
    endpoint: upstream.example.com:4317
    tls:
      ca_file: /w/certs/ca.crt
      min_version: "1.2"
  debug: {}
service:
  pipelines:
    traces:
      receivers: [otlp/mtls, otlp/plain]
      exporters: [otlp/upstream, debug]
`;

const APP_TEXT = `OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317
OTEL_EXPORTER_OTLP_PROTOCOL=grpc
OTEL_EXPORTER_OTLP_CERTIFICATE=/w/certs/ca.crt
`;

const show = (p: Problem) => JSON.stringify({ code: p.code, offset: p.offset, length: p.length, message: p.message, severity: p.severity, related: p.related, data: p.data });

describe('the workspace index survives an edit that changes none of its answers', () => {
  it('shares its answers after an edit elsewhere, and pairs again after an edit of a listener, its lines or an app', async () => {
    const pki = await devPki();
    const files: Record<string, { contents: string; mode: number }> = {};
    for (const [name, pem] of Object.entries(pki)) files[`/w/certs/${name}`] = { contents: pem, mode: name.endsWith('.key') ? 0o600 : 0o644 };
    const runtime = memoryRuntime({ files, now: new Date(PKI_NOW.getTime() + 30 * 86_400_000) });
    const settings = { ...defaultSettings, workspaceRoots: ['/w'] };
    let index: WorkspaceIndex = emptyWorkspace;
    const service = getLanguageService({ runtime, settings, workspace: () => index });
    const texts = new Map([
      [GATEWAY, GATEWAY_TEXT],
      [APP, APP_TEXT],
    ]);
    const parsed = new Map<string, ParsedFile>();
    /** Every file validated by the long-lived service (the index built from the last one) and by a new one: the same problems. */
    const validate = (label: string): Map<string, string[]> => {
      for (const [path, text] of texts) if (parsed.get(path)?.text !== text) parsed.set(path, service.parse({ path, text }));
      index = service.workspaceIndex([...parsed.values()].filter(hasUnits), index);
      let freshIndex: WorkspaceIndex = emptyWorkspace;
      const fresh: LanguageService = getLanguageService({ runtime, settings, workspace: () => freshIndex });
      const freshParsed = [...texts].map(([path, text]) => fresh.parse({ path, text }));
      freshIndex = fresh.workspaceIndex(freshParsed.filter(hasUnits));
      const out = new Map<string, string[]>();
      for (const [path, text] of texts) {
        const problems = service.validate({ path, text }, parsed.get(path)).map(show);
        assert.deepEqual(problems, fresh.validate({ path, text }).map(show), `${path} after ${label}`);
        out.set(path, problems);
      }
      return out;
    };
    const edit = (path: string, from: string, to: string, label: string, expect: 'shared' | 'new'): Map<string, string[]> => {
      const before = index;
      const text = texts.get(path)!;
      assert.ok(text.includes(from), label);
      texts.set(path, text.replace(from, to));
      const problems = validate(label);
      if (expect === 'shared') assert.equal(index.answers, before.answers, `${label}: the index shares the last one's answers`);
      else assert.notEqual(index.answers, before.answers, `${label}: the index has new answers`);
      return problems;
    };
    const start = validate('start');
    const appStart = start.get(APP)!;
    // The app pairs with the mTLS listener on 4317 and sends no client certificate.
    assert.ok(appStart.some((p) => p.includes('"missing-client-cert"') && p.includes('/w/gateway.yaml')), `the app pairs with the listener: ${appStart.join('\n')}`);

    // Elsewhere: an exporter's tls block, a value of the same length and a longer one, and a line inserted below the listeners.
    edit(GATEWAY, 'min_version: "1.2"', 'min_version: "1.3"', 'an exporter value toggled', 'shared');
    edit(GATEWAY, 'min_version: "1.3"', 'min_version: "1.33"', 'an exporter value made longer', 'shared');
    edit(GATEWAY, '  debug: {}\n', '  debug: {}\n  # a comment\n', 'a line inserted below the listeners', 'shared');
    assert.deepEqual(validate('nothing changed').get(APP), appStart);

    // A listener's port: the app no longer pairs with it, and does again when it is back.
    const moved = edit(GATEWAY, 'endpoint: 0.0.0.0:4317', 'endpoint: 0.0.0.0:4319', "the listener's port", 'new');
    assert.notDeepEqual(moved.get(APP), appStart, 'the app pairs again after the port changed');
    assert.deepEqual(edit(GATEWAY, 'endpoint: 0.0.0.0:4319', 'endpoint: 0.0.0.0:4317', "the listener's port back", 'new').get(APP), appStart);

    // A line above the listeners: their lines moved (related locations point at them).
    edit(GATEWAY, 'receivers:\n', '# the receivers\nreceivers:\n', 'a line inserted above the listeners', 'new');
    // The listener's tls block: a new listener object.
    edit(GATEWAY, '          client_ca_file: /w/certs/ca.crt\n', '', "the listener's client CA removed", 'new');
    // The app's endpoint: another port, then back.
    const unpaired = edit(APP, 'localhost:4317', 'localhost:4318', "the app's endpoint", 'new');
    assert.notDeepEqual(unpaired.get(APP), appStart);
    edit(APP, 'localhost:4318', 'localhost:4317', "the app's endpoint back", 'new');
  });
});

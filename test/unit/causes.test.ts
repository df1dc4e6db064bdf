/**
 * One diagnostic per cause (issue 13, server/src/service/causes.ts), on the core's own problems: the issue's
 * cases through the language service (whole lists), and the fold's rules on plain problems.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneByCause, oneByCauseAcrossFiles, type WorkspaceFinding } from '../../server/src/service/causes';
import type { Problem, RelatedLocation } from '../../server/src/service/languageTypes';
import { workspaceOf } from '../support/check';
import { forgeCa, forgeServer } from '../support/forge';
import { memoryRuntime } from '../support/memoryRuntime';

const here = (offset: number, length: number, message: string): RelatedLocation => ({ path: '/f', range: { start: { line: 0, character: offset }, end: { line: 0, character: offset + length } }, message });
const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character: character + 1 } });

describe('oneByCause: one problem per cause within a file', () => {
  it('the same code on the same range is one problem: the more severe, with the related locations of both and the fix of either', () => {
    const a: Problem = { code: 'missing-eku', offset: 5, length: 3, message: 'file check', severity: 'warning' };
    const b: Problem = { code: 'missing-eku', offset: 5, length: 3, message: 'handshake', related: [here(40, 2, 'the receiver')], data: { kind: 'missing-file', at: { app: 0, setting: 1 } } };
    assert.deepEqual(oneByCause([a, b], here), [{ ...b }]);
    const c: Problem = { code: 'missing-eku', offset: 5, length: 3, message: 'file check with a fix', data: { kind: 'missing-file', at: { app: 0, setting: 1 } } };
    assert.deepEqual(oneByCause([c, { ...b, data: undefined }], here), [{ ...c, related: b.related }]);
  });

  it('a consequence goes into its root where the root is reported; without the root, consequences of one cause are one', () => {
    const root: Problem = { code: 'plaintext-endpoint', offset: 0, length: 10, message: 'root' };
    const consequence = (offset: number): Problem => ({ code: 'tls-ignored', offset, length: 4, message: `unused ${offset}`, cause: { code: 'plaintext-endpoint', offset: 0, length: 10, note: `unused at ${offset}` } });
    assert.deepEqual(oneByCause([root, consequence(20), consequence(30)], here), [{ ...root, related: [here(20, 4, 'unused at 20'), here(30, 4, 'unused at 30')] }]);
    assert.deepEqual(oneByCause([consequence(20), consequence(30)], here), [{ ...consequence(20), related: [here(30, 4, 'unused at 30')] }]);
    // Another code at the root's place is not the root.
    const other: Problem = { code: 'port-protocol-mismatch', offset: 0, length: 10, message: 'another cause' };
    assert.deepEqual(oneByCause([other, consequence(20)], here), [other, consequence(20)]);
  });
});

describe('one place with hundreds of problems (issue 15\'s fuzzer: a client paired with every listener on its port)', () => {
  it('the merge of 600 problems of one code on one range is the pairwise merge: most severe base, its related first, each once', () => {
    const severities = ['warning', 'error', 'information'] as const;
    const problems: Problem[] = Array.from({ length: 600 }, (_, i) => ({
      code: 'san-mismatch',
      offset: 7,
      length: 4,
      message: `receiver ${i}`,
      severity: severities[i % 3],
      // Each names its receiver and one shared place (a repeat to drop).
      related: [here(100 + i, 2, `receiver ${i}`), here(1, 1, 'shared')],
      ...(i === 450 ? { data: { kind: 'missing-file' as const, at: { app: 0, setting: 1 } } } : {}),
    }));
    const [merged, ...rest] = oneByCause(problems, here);
    assert.deepEqual(rest, []);
    // The first error is the base (an error outranks warnings; a later error without more is not better); the data comes from #450.
    assert.equal(merged.message, 'receiver 1');
    assert.equal(merged.severity, 'error');
    assert.deepEqual(merged.data, problems[450].data);
    // The base's related first, then the others in order; `shared` once.
    const expected = [here(101, 2, 'receiver 1'), here(1, 1, 'shared'), here(100, 2, 'receiver 0'), ...problems.slice(2).map((p) => p.related![0])];
    assert.deepEqual(merged.related, expected);
  });

  it('a client paired with 300 listeners on its port: each of its problems there once, with every receiver as a related location', () => {
    const receivers = Array.from({ length: 300 }, (_, i) => ({ path: `/w/c${i}/collector.yaml`, text: 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n' }));
    const app = { path: '/w/app.env', text: 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector.example:4317\n' };
    const { service, parsed } = workspaceOf([...receivers, app], { runtime: memoryRuntime({}) });
    const problems = service.validate(app, parsed[parsed.length - 1]);
    const keys = problems.map((p) => `${p.code}@${p.offset}:${p.length}`);
    assert.deepEqual(keys, [...new Set(keys)], 'one problem per code and place');
    const plaintext = problems.find((p) => p.code === 'plaintext-endpoint');
    assert.ok(plaintext, `a TLS client against plaintext receivers (got ${keys.join(', ')})`);
    assert.equal(new Set(plaintext.related?.map((r) => r.path)).size, 300, 'each receiver named once');
  });
});

describe('oneByCauseAcrossFiles: a client finding about a receiver\'s file goes to that file\'s own', () => {
  const finding = (file: string, code: WorkspaceFinding['diagnostic']['code'], line: number, cause?: Problem['cause'], suppression?: unknown): WorkspaceFinding => ({
    file,
    diagnostic: { code, range: at(line, 4), message: `${code} in ${file}` },
    ...(cause ? { cause } : {}),
    ...(suppression ? { suppression } : {}),
  });
  const cause: Problem['cause'] = { code: 'cert-expired', related: { path: '/gw.yaml', range: at(6, 4), message: 'the server certificate' }, note: 'the handshake of OTEL_EXPORTER_OTLP_ENDPOINT fails on this' };

  it('folded into the root when it is shown, its place a related location; kept when the root is not there or is suppressed', () => {
    const root = finding('/gw.yaml', 'cert-expired', 6);
    const client = finding('/app.env', 'cert-expired', 0, cause);
    const out = oneByCauseAcrossFiles([client, root], (path) => `file://${path}`);
    assert.deepEqual(out, [{ ...root, diagnostic: { ...root.diagnostic, relatedInformation: [{ location: { uri: 'file:///app.env', range: at(0, 4) }, message: cause.note }] } }]);
    assert.deepEqual(oneByCauseAcrossFiles([client], (p) => p), [client]);
    const suppressed = finding('/gw.yaml', 'cert-expired', 6, undefined, { range: at(5, 0) });
    assert.deepEqual(oneByCauseAcrossFiles([client, suppressed], (p) => p), [client, suppressed]);
  });
});

describe('the issue\'s cases through the language service', () => {
  const ca = forgeCa('CN=Test CA');
  const gateway = (dir: string, clientCa: boolean) =>
    `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: ${dir}/server.crt\n          key_file: ${dir}/server.key\n${clientCa ? `          client_ca_file: ${dir}/ca.crt\n` : ''}`;
  const files = (server = forgeServer(ca, ['otel-collector'])) => ({ '/c/ca.crt': ca.pem, '/c/server.crt': server.pem, '/c/server.key': { contents: server.keyPem, mode: 0o600 } });
  const validate = (docs: { path: string; text: string }[], runtime = memoryRuntime({ now: new Date(), files: files() })) => {
    const { service, parsed } = workspaceOf(docs, { runtime });
    return docs.map((doc, i) => service.validate(doc, parsed[i]).map((p) => `${p.code}@${p.offset}`));
  };

  it('a server certificate used as a client certificate: one missing-eku', () => {
    const env = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE=/c/ca.crt\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/c/server.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=/c/server.key\n';
    const [, app] = validate([{ path: '/w/gw.yaml', text: gateway('/c', true) }, { path: '/w/app.env', text: env }]);
    assert.deepEqual(app, [`missing-eku@${env.indexOf('/c/server.crt')}`]);
  });

  it('an expired server certificate: in the editor, once in each file (the receiver\'s and each client\'s, which may be the only one open)', () => {
    const expired = forgeServer(ca, ['otel-collector'], { notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const env = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE=/c/ca.crt\n';
    const [gw, app] = validate([{ path: '/w/gw.yaml', text: gateway('/c', false) }, { path: '/w/app.env', text: env }], memoryRuntime({ now: new Date(), files: files(expired) }));
    const text = gateway('/c', false);
    assert.deepEqual(gw, [`mtls-not-enforced@${text.indexOf('tls:')}`, `cert-expired@${text.indexOf('/c/server.crt')}`]);
    assert.deepEqual(app, [`cert-expired@${env.indexOf('https://')}`]);
  });
});

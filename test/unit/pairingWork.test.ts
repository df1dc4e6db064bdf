/**
 * The work of pairing a collector's exporters with the workspace's listeners: each listener's server end
 * (its tls block's settings read, its files loaded and judged) is found once per check of a config, not
 * once per exporter. A config of 2,000 exporters sending to the same 10 listeners judged those 10 server
 * ends 20,000 times per edit, 3.5 s of CPU (fuzz case 1000067 of seed 1, in the 200-case workspace).
 * The work is counted (the memo's computations, the listener's `${env:…}` reads), never timed.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoryRuntime } from '../support/memoryRuntime';
import { ca, server, type Issued } from '../support/certificates';
import { workspaceOf } from '../support/check';
import { AccessMemo } from '../../server/src/service/accessMemo';
import { createCaches, type FileAccess } from '../../server/src/service/caches';
import { defaultSettings } from '../../server/src/service/settings';

let root: Issued;
let srv: Issued;
before(async () => {
  root = await ca('Pairing Root CA');
  srv = await server(root, ['otel-collector.observability.svc']);
});

/** Listener configs on port 4317 whose server certificate and key paths are read from the environment (SERVER_CERT_DIR, twice). */
function gateway(n: number): string {
  return `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: \${env:SERVER_CERT_DIR}/server.crt\n          key_file: \${env:SERVER_CERT_DIR}/server.key\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\nexporters:\n  debug: {}\n# gateway ${n}\n`;
}

/** A config of `n` OTLP exporters, all dialling gateway:4317 with the same CA. */
function exporters(n: number): string {
  const names = Array.from({ length: n }, (_, i) => `otlp/e${i}`);
  const blocks = names.map((name) => `  ${name}:\n    endpoint: gateway:4317\n    tls:\n      ca_file: /certs/ca.crt\n`).join('');
  return `exporters:\n${blocks}receivers:\n  otlp:\n    protocols:\n      grpc: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [${names.join(', ')}]\n`;
}

/** Validates the config of `n` exporters among `listeners` gateway configs; returns its problems and the listeners' env reads during the validation. */
function validate(n: number, listeners: number) {
  const runtime = memoryRuntime({
    now: new Date(),
    env: { SERVER_CERT_DIR: '/certs' },
    files: { '/certs/server.crt': srv.pem, '/certs/server.key': { contents: srv.keyPem, mode: 0o600 }, '/certs/ca.crt': root.pem },
  });
  const getEnv = runtime.getEnv.bind(runtime);
  let reads = 0;
  runtime.getEnv = (name: string) => {
    if (name === 'SERVER_CERT_DIR') reads++;
    return getEnv(name);
  };
  const docs = [...Array.from({ length: listeners }, (_, i) => ({ path: `/w/gateway${i}.yaml`, text: gateway(i) })), { path: '/w/exporters.yaml', text: exporters(n) }];
  const { service, parsed } = workspaceOf(docs, { runtime });
  reads = 0;
  const problems = service.validate(docs[docs.length - 1], parsed[parsed.length - 1]);
  return { problems, reads };
}

describe('pairing exporters with listeners', () => {
  it('judges each listener once per check, however many exporters pair with it', () => {
    const few = validate(2, 3);
    const many = validate(60, 3);
    // Judging a listener reads SERVER_CERT_DIR twice (cert_file, key_file); using its kept end asks it once, to
    // see that it stands. So each further exporter costs one read per listener, not two.
    assert.ok(few.reads > 0, 'the listeners are judged (their paths read from the environment)');
    assert.equal(many.reads - few.reads, 58 * 3, `listener env reads: ${few.reads} with 2 exporters, ${many.reads} with 60`);
    // Every exporter is still judged against every listener: the server certificate does not name "gateway".
    const mismatches = (problems: typeof few.problems) => problems.filter((p) => p.code === 'san-mismatch');
    assert.equal(mismatches(few.problems).length, 2, JSON.stringify(few.problems.map((p) => p.code)));
    assert.equal(mismatches(many.problems).length, 60);
    for (const p of mismatches(many.problems)) assert.match(p.message, /one of 3 listeners on port 4317/);
  });
});

describe('AccessMemo', () => {
  function setup() {
    const runtime = memoryRuntime({ now: new Date('2026-12-02T10:00:10Z'), env: { DIR: '/certs' }, files: { '/certs/a.crt': 'A', '/other/a.crt': 'BB' } });
    let now = new Date('2026-12-02T10:00:10Z');
    runtime.now = () => now;
    const env: Record<string, string> = { DIR: '/certs' };
    runtime.getEnv = (name) => env[name];
    const access: FileAccess = { runtime, settings: defaultSettings, caches: createCaches() };
    const memo = new AccessMemo<string>();
    const listener = {};
    const collector = {};
    let runs = 0;
    const compute = (a: FileAccess) => {
      runs++;
      const dir = a.runtime.getEnv('DIR');
      const path = `${dir}/a.crt`;
      return `${a.runtime.fileSystem.stat(path)?.size}:${Buffer.from(a.runtime.fileSystem.readFile(path)).toString()}:${a.runtime.now().getUTCHours()}`;
    };
    const files = runtime.fileSystem as unknown as { stat: typeof runtime.fileSystem.stat };
    return { runtime, access, memo, listener, collector, compute, env, files, runs: () => runs, setNow: (d: Date) => (now = d) };
  }

  it('computes once while what it read stands', () => {
    const t = setup();
    for (let i = 0; i < 100; i++) assert.equal(t.memo.get(t.listener, t.collector, '', t.access, t.compute), '1:A:10');
    assert.equal(t.runs(), 1);
    assert.deepEqual([t.memo.computed, t.memo.reused], [1, 99]);
    // Another listener (or the same one parsed again: a new object) is judged on its own.
    t.memo.get({}, t.collector, '', t.access, t.compute);
    assert.equal(t.runs(), 2);
    // The same listener reached another way (through a Service) is named so: judged on its own too.
    t.memo.get(t.listener, t.collector, 'Service otel/gw', t.access, t.compute);
    assert.equal(t.runs(), 3);
  });

  it('computes again when a variable, a file, the minute or the settings it was given change', () => {
    const t = setup();
    t.memo.get(t.listener, t.collector, '', t.access, t.compute);
    t.env.DIR = '/other';
    assert.equal(t.memo.get(t.listener, t.collector, '', t.access, t.compute), '2:BB:10');
    assert.equal(t.runs(), 2, 'a changed variable');
    t.env.DIR = '/certs';
    t.memo.get(t.listener, t.collector, '', t.access, t.compute);
    assert.equal(t.runs(), 3, 'the variable back: judged again (one value is kept)');
    const stat = t.files.stat.bind(t.files);
    t.files.stat = (path) => (path === '/certs/a.crt' ? { ...stat(path)!, mtimeMs: 5 } : stat(path));
    t.memo.get(t.listener, t.collector, '', t.access, t.compute);
    assert.equal(t.runs(), 4, 'a changed stat');
    t.setNow(new Date('2026-12-02T10:00:50Z'));
    t.memo.get(t.listener, t.collector, '', t.access, t.compute);
    assert.equal(t.runs(), 4, 'the same minute');
    t.setNow(new Date('2026-12-02T10:01:00Z'));
    t.memo.get(t.listener, t.collector, '', t.access, t.compute);
    assert.equal(t.runs(), 5, 'the next minute');
    t.memo.get(t.listener, t.collector, '', { ...t.access, settings: { ...defaultSettings } }, t.compute);
    assert.equal(t.runs(), 6, 'other settings');
  });

  it('asks the inputs again through the access it is given, so a recording of that access sees them', () => {
    const t = setup();
    t.memo.get(t.listener, t.collector, '', t.access, t.compute);
    const asked: string[] = [];
    const recorded: FileAccess = {
      ...t.access,
      runtime: {
        ...t.access.runtime,
        getEnv: (name) => (asked.push(`env ${name}`), t.access.runtime.getEnv(name)),
        now: () => (asked.push('clock'), t.access.runtime.now()),
        fileSystem: { ...t.access.runtime.fileSystem, stat: (path) => (asked.push(`stat ${path}`), t.access.runtime.fileSystem.stat(path)) },
      },
    };
    assert.equal(t.memo.get(t.listener, t.collector, '', recorded, t.compute), '1:A:10');
    assert.equal(t.runs(), 1);
    assert.deepEqual(asked, ['env DIR', 'stat /certs/a.crt', 'clock']);
  });
});

describe('a listener reached two ways', () => {
  it('is named as each exporter reaches it: through the compose service, or on its port', () => {
    const runtime = memoryRuntime({
      now: new Date(),
      env: { SERVER_CERT_DIR: '/certs' },
      files: { '/certs/server.crt': srv.pem, '/certs/server.key': { contents: srv.keyPem, mode: 0o600 }, '/certs/ca.crt': root.pem },
    });
    const compose = `services:\n  otel-collector:\n    image: otel/opentelemetry-collector\n    volumes:\n      - ./gateway0.yaml:/etc/otelcol/config.yaml\n`;
    const sender = `exporters:\n  otlp/direct:\n    endpoint: localhost:4317\n    tls:\n      ca_file: /certs/ca.crt\n  otlp/service:\n    endpoint: otel-collector:4317\n    tls:\n      ca_file: /certs/ca.crt\nreceivers:\n  otlp:\n    protocols:\n      grpc: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [otlp/direct, otlp/service]\n`;
    const docs = [{ path: '/w/compose.yaml', text: compose }, { path: '/w/gateway0.yaml', text: gateway(0) }, { path: '/w/gateway1.yaml', text: gateway(1) }, { path: '/w/sender.yaml', text: sender }];
    const { service, parsed } = workspaceOf(docs, { runtime });
    const problems = service.validate(docs[3], parsed[3]);
    // Both are judged against gateway0's listener (its certificate does not name the host they dial); one end each.
    const named = (exporter: string) =>
      problems.filter((p) => p.code === 'san-mismatch' && p.message.startsWith(`${exporter}:`)).map((p) => /receiver otlp \(grpc\) on 0\.0\.0\.0:4317 in (\/w\/gateway\d\.yaml[^:]*):/.exec(p.message)?.[1]);
    // The direct one dials the port (one note for the two listeners there, on gateway0's). The other names the compose service: gateway0's, through it.
    assert.deepEqual(named('otlp/direct'), ['/w/gateway0.yaml'], JSON.stringify(problems.map((p) => p.message)));
    assert.deepEqual(named('otlp/service'), ['/w/gateway0.yaml (through compose service otel-collector)']);
  });
});

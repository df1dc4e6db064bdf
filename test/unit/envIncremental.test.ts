/**
 * The env checks keep each setting's verdict by what they read of it (server/src/service/checks/envVerdicts.ts), so
 * an edit of a large env file re-checks only the settings it changed. A long-lived service's problems must be
 * exactly a new service's: after each random edit of a large env file (and of a shell script with `java -D`
 * properties) every problem is compared whole (code, offset, length, severity, message, data, related) with those
 * of a service made for that text alone. Edits aim at what the verdicts are kept by: names, values, the SDK the file
 * names, the protocol every endpoint is judged with, and lines inserted or deleted above (settings move: their
 * offsets and locators change, their text does not).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import { defaultSettings } from '../../server/src/service/settings';
import { memoryRuntime } from '../support/memoryRuntime';

function service(): LanguageService {
  // No cap on the problems listed: every problem is compared, not the 500 the cap keeps.
  return getLanguageService({ runtime: memoryRuntime({ now: new Date('2026-01-01T00:00:00Z') }), settings: { ...defaultSettings, maxProblemsPerFile: 0 } });
}

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** Lines of an env file: known names with good and bad values, near-misses, obsolete names, endpoints and protocols. */
const POOL = [
  'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317',
  'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318/v1/traces',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://collector:4318/',
  'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=collector:4317',
  'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT="https://collector:4317/v1/logs?x=1"',
  'OTEL_EXPORTER_OTLP_ENDPOINT= https://collector:4318',
  'OTEL_EXPORTER_OTLP_ENDPOINT=ftp://collector:4317',
  'OTEL_EXPORTER_OTLP_ENDPOINT=dns:///collector:4317',
  'OTEL_EXPORTER_OTLP_PROTOCOL=grpc',
  'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
  'OTEL_EXPORTER_OTLP_PROTOCOL=http/json',
  'OTEL_EXPORTER_OTLP_PROTOCOL=lowmemory',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc',
  'OTEL_EXPORTER_OTLP_TIMEOUT=0',
  'OTEL_EXPORTER_OTLP_TIMEOUT=5000',
  'OTEL_EXPORTER_OTLP_TIMEOUT=5s',
  'OTEL_EXPORTER_OTLP_TIMEOUT=99999999999',
  'OTEL_EXPORTER_OTLP_INSECURE=yes',
  'OTEL_EXPORTER_OTLP_COMPRESSION=gzip',
  'OTEL_EXPORTER_OTLP_COMPRESSION="error"',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE=4096',
  'OTEL_BSP_MAX_QUEUE_SIZE=1024',
  'OTEL_TRACES_SAMPLER=traceidratio',
  'OTEL_TRACES_SAMPLER_ARG=1.5',
  'OTEL_TRACES_EXPORTER=otlp,bogus',
  'OTEL_EXPORTER_OTLP_SPAN_INSECURE=true',
  'OTEL_EXPORTER_OTLP_CERTIFCATE=/certs/ca.pem',
  'OTEL_EXPORTER_OTLP_CLIENT_CERT=/certs/client.pem',
  'OTEL_EXPORTER_OTLP_TLS_CA_FILE=/certs/ca.pem',
  'OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT=https://c:4317',
  'OTEL_EXPORTER_OTLP_X1=https://h1:4317',
  'OTEL_SERVCE_NAME=shop',
  'OTEL_JAVA_ANYTHING=1',
  'export OTEL_LOG_LEVEL=1.0',
  'OTEL_METRIC_EXPORT_INTERVAL=-5',
  'JAVA_TOOL_OPTIONS="-Dotel.exporter.otlp.compression=zip -Dotel.exporter.otlp.endpont=https://c:4317 -Dotel.exporter.otlp.timeout=10s"',
  '# a comment',
  '',
];

function envText(lines: number, next: () => number): string {
  const out: string[] = ['# otlp-tls: sdk=java'];
  for (let i = 1; i < lines; i++) out.push(POOL[Math.floor(next() * POOL.length)]);
  return out.join('\n') + '\n';
}

/** Every problem whole, ranges as offsets (the one offsets -> ranges function is the same for both). */
function shown(problems: readonly unknown[]): string[] {
  return problems.map((p) => JSON.stringify(p));
}

const SDK_LINES = ['# otlp-tls: sdk=java', '# otlp-tls: sdk=python', '# otlp-tls: sdk=js', '# otlp-tls: sdk=go', '# nothing named'];

function edit(text: string, next: () => number): { text: string; what: string } {
  const lines = text.split('\n');
  const at = 1 + Math.floor(next() * (lines.length - 2));
  const kind = Math.floor(next() * 8);
  if (kind === 0) lines[at] = POOL[Math.floor(next() * POOL.length)];
  else if (kind === 1) lines[at] = lines[at].replace(/=/, 'x=');
  else if (kind === 2) lines.splice(at, 1);
  else if (kind === 3) lines.splice(Math.floor(next() * 3), 0, POOL[Math.floor(next() * POOL.length)]);
  else if (kind === 4) lines[0] = SDK_LINES[Math.floor(next() * SDK_LINES.length)];
  else if (kind === 5) {
    // The protocol every endpoint is judged with: the last one of the file.
    const protocols = POOL.filter((l) => l.startsWith('OTEL_EXPORTER_OTLP_PROTOCOL=')).concat(['OTEL_EXPORTER_OTLP_PROTOCOL=']);
    lines.splice(lines.length - 1, 0, protocols[Math.floor(next() * protocols.length)]);
  } else if (kind === 6) lines[at] = lines[at].replace(/(=.*?)(\d)/, (_m, a: string, d: string) => `${a}${(Number(d) + 1) % 10}`);
  else lines.splice(at, 0, '');
  return { text: lines.join('\n'), what: `kind ${kind} at line ${at}` };
}

function differential(path: string, start: string, edits: number, seed: number): void {
  const next = random(seed);
  const kept = service();
  let text = start;
  assert.deepEqual(shown(kept.validate({ path, text })), shown(service().validate({ path, text })), 'start');
  const met = new Map<string, number>();
  for (let i = 0; i < edits; i++) {
    const made = edit(text, next);
    text = made.text;
    const mine = kept.validate({ path, text });
    for (const p of mine) {
      const what = `${p.code}${p.related?.some((r) => r.message === 'the protocol is set here') ? ' with the protocol' : ''}`;
      met.set(what, (met.get(what) ?? 0) + 1);
    }
    assert.deepEqual(shown(mine), shown(service().validate({ path, text })), `${path} edit ${i} (${made.what}, seed ${seed})`);
  }
  // What the verdicts are kept for was met: each kind of problem the env checks make, and a protocol's related location.
  for (const what of ['unknown-variable', 'deprecated-variable', 'invalid-value', 'port-protocol-mismatch with the protocol']) {
    assert.ok((met.get(what) ?? 0) > edits, `${what}: ${met.get(what) ?? 0} (${[...met].join(', ')})`);
  }
}

describe('env files: a long-lived service finds what a new service finds after each edit', () => {
  it('a large .env file, random edits of names, values, the SDK, the protocol and lines above', () => {
    differential('/work/app/.env', envText(1500, random(7)), 40, 15);
  });

  it('a shell script with java -D properties, random edits', () => {
    const next = random(3);
    const start = envText(400, next) + 'java -Dotel.exporter.otlp.endpoint=https://c:4318 -Dotel.exporter.otlp.protocl=grpc -Dotel.exporter.otlp.timeout=5s -jar app.jar\n';
    differential('/work/app/run.sh', start, 25, 21);
  });
});

/**
 * The env file checks (envVariables, envHeaders, envEndpoint) on inline env text.
 * Expected ranges are marked ⟦like this⟧ in the text; offsets are never counted by hand.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import schema from '../../schemas/sdk-env.schema.json';
import { envEndpoint } from '../../server/src/service/checks/envEndpoint';
import { envHeaders } from '../../server/src/service/checks/envHeaders';
import { envVariables } from '../../server/src/service/checks/envVariables';
import { suggestVariables } from '../../server/src/service/schemas';
import type { Problem } from '../../server/src/service/languageTypes';
import { marked } from '../support/markers';
import { appContext, assertProblems } from '../support/check';

const P = 'OTEL_EXPORTER_OTLP_';

function run(text: string, path?: string): Problem[] {
  const c = appContext(text, path);
  return [envVariables, envHeaders, envEndpoint].flatMap((check) => check.run(c));
}

/**
 * Runs the checks on marked text; asserts that the problems are exactly `codes` on the marked ranges
 * (in text order; one code for all of them, or one per range), and nothing else.
 */
function expectProblems(source: string, codes: string | string[], path?: string): Problem[] {
  const { text, ranges } = marked(source);
  const problems = run(text, path).sort((a, b) => a.offset - b.offset);
  return assertProblems(problems, typeof codes === 'string' ? ranges.map(() => codes) : codes, ranges, JSON.stringify(text));
}

function expectNothing(text: string, path?: string): void {
  assert.deepEqual(run(text, path), []);
}

describe('sdk-env.schema.json', () => {
  const properties = (schema as { properties: Record<string, Record<string, unknown>> }).properties;
  it('is draft-07 with its $id and compiles in ajv', () => {
    assert.equal((schema as { $id: string }).$id, 'sdk-env.schema.json');
    assert.match((schema as { $schema: string }).$schema, /draft-07/);
    new Ajv({ strict: false }).compile(schema);
  });
  it('lists every OTLP option generic and per signal, with a string type and a description', () => {
    for (const option of ['ENDPOINT', 'PROTOCOL', 'INSECURE', 'CERTIFICATE', 'CLIENT_KEY', 'CLIENT_CERTIFICATE', 'HEADERS', 'COMPRESSION', 'TIMEOUT']) {
      for (const scope of ['', 'TRACES_', 'METRICS_', 'LOGS_']) assert.ok(properties[`${P}${scope}${option}`], `${P}${scope}${option}`);
    }
    for (const name of [`${P}METRICS_TEMPORALITY_PREFERENCE`, `${P}METRICS_DEFAULT_HISTOGRAM_AGGREGATION`, 'OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_TRACES_EXPORTER', 'OTEL_SDK_DISABLED', 'OTEL_PROPAGATORS']) {
      assert.ok(properties[name], name);
    }
    for (const [name, property] of Object.entries(properties)) {
      assert.equal(property.type, 'string', name);
      assert.ok(typeof property.description === 'string' && property.description.length > 20, `${name} has a description`);
    }
  });
  it('marks deprecated names with their replacement', () => {
    assert.equal(properties[`${P}SPAN_INSECURE`].deprecated, true);
    assert.equal(properties[`${P}SPAN_INSECURE`]['x-replacedBy'], `${P}TRACES_INSECURE`);
    assert.equal(properties.OTEL_EXPERIMENTAL_CONFIG_FILE['x-replacedBy'], 'OTEL_CONFIG_FILE');
  });
});

describe('a valid file', () => {
  it('produces nothing', () => {
    expectNothing(
      [
        '# checkout service',
        `export ${P}ENDPOINT=https://collector.observability.svc:4318`,
        `${P}PROTOCOL=http/protobuf`,
        `${P}TRACES_ENDPOINT="https://collector.observability.svc:4318/v1/traces"`,
        `${P}CERTIFICATE=/etc/otel/certs/ca.crt`,
        `${P}CLIENT_KEY=/etc/otel/certs/client.key`,
        `${P}CLIENT_CERTIFICATE=/etc/otel/certs/client.crt`,
        `${P}HEADERS=Authorization=Bearer%20abc,x-tenant=acme`,
        `${P}COMPRESSION=gzip`,
        `${P}TIMEOUT=10000`,
        `${P}INSECURE=FALSE`,
        `${P}METRICS_TEMPORALITY_PREFERENCE=Delta`,
        'OTEL_SERVICE_NAME=checkout',
        'OTEL_RESOURCE_ATTRIBUTES=service.namespace=shop,deployment.environment=prod%2Ceu',
        'OTEL_PROPAGATORS=tracecontext, baggage',
        'OTEL_TRACES_EXPORTER=otlp,console',
        'OTEL_TRACES_SAMPLER=parentbased_traceidratio',
        'OTEL_TRACES_SAMPLER_ARG=0.25',
        'OTEL_BSP_MAX_QUEUE_SIZE=4096',
        'OTEL_BSP_MAX_EXPORT_BATCH_SIZE=1024',
        'OTEL_JAVAAGENT_DEBUG=true',
        'OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_REQUEST_HEADERS=x-id',
        'JAVA_OPTS=-Xmx1g',
        '',
      ].join('\n'),
    );
  });
  it('with a gRPC endpoint on 4317 produces nothing', () => {
    expectNothing(`${P}ENDPOINT=https://collector:4317\n${P}PROTOCOL=grpc\n${P}METRICS_ENDPOINT=http://metrics:4317\n`);
  });
  it('does not judge ${VAR} values', () => {
    expectNothing(
      `${P}ENDPOINT=\${OTLP_ENDPOINT}\n${P}TRACES_ENDPOINT=https://\${HOST}:4318\n${P}PROTOCOL=\${PROTO}\n${P}TIMEOUT=\${T}\n${P}INSECURE=\${INSECURE:-false}\n${P}HEADERS=api-key=\${KEY}\n`,
    );
  });
  it('does not judge empty values (empty means unset)', () => {
    expectNothing(`${P}ENDPOINT=\n${P}TIMEOUT=\n${P}HEADERS=\n`);
  });
});

describe('unknown-variable', () => {
  it('suggests TRACES for TRACE, on the name', () => {
    const [p] = expectProblems(`⟦${P}TRACE_ENDPOINT⟧=https://c:4318/v1/traces\n`, 'unknown-variable');
    assert.deepEqual(p.data, { kind: 'rename', suggestions: [`${P}TRACES_ENDPOINT`], at: { app: 0, setting: 0 } });
    assert.match(p.message, /Did you mean OTEL_EXPORTER_OTLP_TRACES_ENDPOINT\?/);
    assert.equal(p.severity, undefined);
  });
  it('suggests CLIENT_CERTIFICATE for CLIENT_CERT (edit distance alone would say CLIENT_KEY)', () => {
    const [p] = expectProblems(`⟦${P}CLIENT_CERT⟧=client.crt\n`, 'unknown-variable');
    assert.deepEqual(p.data, { kind: 'rename', suggestions: [`${P}CLIENT_CERTIFICATE`], at: { app: 0, setting: 0 } });
  });
  it('maps rejected and Collector-style names to the real ones', () => {
    assert.deepEqual(suggestVariables(`${P}CLIENT_KEY_CHAIN`), [`${P}CLIENT_CERTIFICATE`]);
    assert.deepEqual(suggestVariables(`${P}TLS_CA_FILE`), [`${P}CERTIFICATE`]);
    assert.deepEqual(suggestVariables(`${P}CA_CERTIFICATE`), [`${P}CERTIFICATE`]);
    assert.deepEqual(suggestVariables(`${P}METRIC_ENDPOINT`), [`${P}METRICS_ENDPOINT`]);
    assert.deepEqual(suggestVariables(`${P}LOGS_ENDPIONT`), [`${P}LOGS_ENDPOINT`]);
    const [p] = expectProblems(`⟦${P}CLIENT_KEY_CHAIN⟧=chain.pem\n`, 'unknown-variable');
    assert.match(p.message, /never added/);
  });
  it('reports an OTLP name without a suggestion, and without data', () => {
    const [p] = expectProblems(`⟦${P}RETRY_BACKOFF⟧=5\n`, 'unknown-variable');
    assert.equal(p.data, undefined);
  });
  it('gives PROFILES names information severity', () => {
    const [p] = expectProblems(`⟦${P}PROFILES_ENDPOINT⟧=https://c:4318/v1development/profiles\n`, 'unknown-variable');
    assert.equal(p.severity, 'information');
  });
  it('reports other OTEL_* names only as near-misses, as information', () => {
    const [p] = expectProblems('⟦OTEL_SERVICE_NAM⟧=api\nOTEL_VENDOR_SPECIFIC_FLAG=1\nOTEL_PYTHON_LOG_CORRELATION=true\n', 'unknown-variable');
    assert.equal(p.severity, 'information');
    assert.deepEqual(p.data, { kind: 'rename', suggestions: ['OTEL_SERVICE_NAME'], at: { app: 0, setting: 0 } });
  });
  it('finds names in shell scripts (export lines)', () => {
    expectProblems(`#!/bin/sh\nexport ⟦${P}TRACE_ENDPOINT⟧=https://c:4318/v1/traces\nexec java -jar app.jar\n`, 'unknown-variable', '/work/run.sh');
  });
});

describe('deprecated-variable', () => {
  it('flags SPAN_INSECURE on the name with a rename to TRACES_INSECURE', () => {
    const [p] = expectProblems(`⟦${P}SPAN_INSECURE⟧=true\n`, 'deprecated-variable');
    assert.deepEqual(p.data, { kind: 'rename', suggestions: [`${P}TRACES_INSECURE`], at: { app: 0, setting: 0 } });
  });
  it('flags METRIC_INSECURE and OTEL_EXPERIMENTAL_CONFIG_FILE', () => {
    const problems = expectProblems(`⟦${P}METRIC_INSECURE⟧=false\n⟦OTEL_EXPERIMENTAL_CONFIG_FILE⟧=otel.yaml\n`, 'deprecated-variable');
    assert.deepEqual(problems.map((p) => p.data), [
      { kind: 'rename', suggestions: [`${P}METRICS_INSECURE`], at: { app: 0, setting: 0 } },
      { kind: 'rename', suggestions: ['OTEL_CONFIG_FILE'], at: { app: 0, setting: 1 } },
    ]);
  });
});

describe('invalid-value (schema)', () => {
  it('flags a protocol outside the enum, on the value, with the allowed values', () => {
    const [p] = expectProblems(`${P}PROTOCOL=⟦"http/proto"⟧\n`, 'invalid-value');
    assert.deepEqual(p.data, { kind: 'values', values: ['grpc', 'http/protobuf', 'http/json'], at: { app: 0, setting: 0 } });
    assert.match(p.message, /unsupported value "http\/proto"/);
  });
  it('compares enums case-insensitively', () => {
    expectNothing(`${P}PROTOCOL=GRPC\n${P}COMPRESSION=GZip\n${P}TRACES_INSECURE=True\n`);
  });
  it('flags booleans other than true/false (1, yes), with the fix values', () => {
    const problems = expectProblems(`${P}INSECURE=⟦1⟧\nOTEL_SDK_DISABLED=⟦yes⟧\n`, 'invalid-value');
    assert.match(problems[0].message, /only "true" \(any case\) means true/);
    assert.deepEqual(problems[0].data, { kind: 'values', values: ['true', 'false'], at: { app: 0, setting: 0 } });
  });
  it('flags a boolean with blanks inside quotes', () => {
    const [p] = expectProblems(`${P}INSECURE=⟦" true"⟧\n`, 'invalid-value');
    assert.match(p.message, /do not trim/);
  });
  it('flags timeouts with unit suffixes (Java only), negative or not numbers', () => {
    const problems = expectProblems(`${P}TIMEOUT=⟦10s⟧\n${P}TRACES_TIMEOUT=⟦-5⟧\nOTEL_BSP_SCHEDULE_DELAY=⟦soon⟧\n`, 'invalid-value');
    assert.match(problems[0].message, /only Java accepts unit suffixes.*Write 10000\./);
    assert.match(problems[1].message, /negative/);
    assert.match(problems[2].message, /write a non-negative integer of milliseconds/);
  });
  it('notes a timeout of 0 (JS rejects it) and values above 2^31-1', () => {
    const problems = expectProblems(`${P}TIMEOUT=⟦0⟧\nOTEL_BSP_EXPORT_TIMEOUT=⟦9999999999⟧\n`, 'invalid-value');
    assert.equal(problems[0].severity, 'information');
    assert.match(problems[0].message, /JS SDK rejects 0/);
    assert.equal(problems[1].severity, 'warning');
  });
  it('with the SDK named: Python reads OTLP timeouts in seconds, http/json is an error outside JS, 0 matters only to JS', () => {
    const [python] = expectProblems(`# otlp-tls: sdk=python\n${P}TIMEOUT=⟦10000⟧\n${P}TRACES_TIMEOUT=10\n`, 'invalid-value');
    assert.equal(python.severity, 'warning');
    assert.match(python.message, /the Python SDK reads OTEL_EXPORTER_OTLP_TIMEOUT in seconds, not milliseconds: 10000 is 2\.8 hours\. Write 10 for 10000 ms\./);
    assert.deepEqual(python.data, { kind: 'values', values: ['10'], at: { app: 0, setting: 0 } });
    expectProblems(`# otlp-tls: sdk=go\n${P}TIMEOUT=10000\n`, 'invalid-value');
    const [json] = expectProblems(`# otlp-tls: sdk=java\n${P}PROTOCOL=⟦http/json⟧\n`, 'invalid-value');
    assert.equal(json.severity, 'error');
    assert.match(json.message, /the Java SDK \(autoconfigure\) does not support http\/json \(it fails at startup\)/);
    expectProblems(`# otlp-tls: sdk=js\n${P}PROTOCOL=http/json\n`, 'invalid-value');
    expectProblems(`# otlp-tls: sdk=dotnet\n${P}TIMEOUT=0\n`, 'invalid-value');
    assert.equal(expectProblems(`# otlp-tls: sdk=js\n${P}TIMEOUT=⟦0⟧\n`, 'invalid-value')[0].severity, 'warning');
  });
  it('flags unknown list items as warnings (extensions may add values)', () => {
    const [p] = expectProblems('OTEL_PROPAGATORS=⟦tracecontext,w3c⟧\n', 'invalid-value');
    assert.equal(p.severity, 'warning');
    assert.match(p.message, /"w3c"/);
  });
  it('explains low_memory (the declarative spelling)', () => {
    const [p] = expectProblems(`${P}METRICS_TEMPORALITY_PREFERENCE=⟦low_memory⟧\n`, 'invalid-value');
    assert.match(p.message, /lowmemory/);
  });
  it('notes http/json, which only JS supports', () => {
    const [p] = expectProblems(`${P}PROTOCOL=⟦http/json⟧\n`, 'invalid-value');
    assert.equal(p.severity, 'information');
  });
  it('judges every assignment of a name written twice', () => {
    expectProblems(`${P}COMPRESSION=⟦zip⟧\n${P}COMPRESSION=⟦brotli⟧\n`, 'invalid-value');
  });
  it('flags a sampler ratio outside [0, 1]', () => {
    expectProblems('OTEL_TRACES_SAMPLER=traceidratio\nOTEL_TRACES_SAMPLER_ARG=⟦1.5⟧\n', 'invalid-value');
  });
  it('flags a batch size above the queue size', () => {
    const [p] = expectProblems('OTEL_BLRP_MAX_QUEUE_SIZE=100\nOTEL_BLRP_MAX_EXPORT_BATCH_SIZE=⟦512⟧\n', 'invalid-value');
    assert.equal(p.severity, 'warning');
  });
});

describe('invalid-value (headers and resource attributes)', () => {
  it('flags a member without "=" (fatal in Java), on the member', () => {
    const [p] = expectProblems(`${P}HEADERS=api-key=1,⟦broken⟧\n`, 'invalid-value');
    assert.match(p.message, /Invalid map property/);
  });
  it('flags raw spaces as a warning on the header value, inside quotes', () => {
    const [p] = expectProblems(`${P}TRACES_HEADERS="Authorization=⟦Bearer abc⟧"\n`, 'invalid-value');
    assert.equal(p.severity, 'warning');
    assert.match(p.message, /%20/);
  });
  it('flags bad %XX escapes, + (Java reads a space), ; and invalid header names', () => {
    const problems = expectProblems(`${P}HEADERS=a=⟦50%⟧,b=⟦x+y⟧,c=⟦v;meta⟧,⟦bad key⟧=1\n`, 'invalid-value');
    assert.match(problems[0].message, /%XX/);
    assert.match(problems[1].message, /\+/);
    assert.match(problems[2].message, /metadata/);
    assert.match(problems[3].message, /not a valid header name/);
  });
  it('flags resource attributes with a raw "=", a bad %, or no "="', () => {
    const problems = expectProblems('OTEL_RESOURCE_ATTRIBUTES=a=⟦x=y⟧,⟦b=100%⟧,⟦c⟧\n', 'invalid-value');
    assert.match(problems[0].message, /%3D/);
    assert.match(problems[1].message, /discards the whole/);
    assert.match(problems[2].message, /encode the comma as %2C/);
  });
});

describe('invalid-value (endpoint URLs)', () => {
  it('flags a URL that does not parse, and a scheme other than http/https', () => {
    const problems = expectProblems(`${P}ENDPOINT=⟦http://collector:99999⟧\n${P}TRACES_ENDPOINT=⟦grpc://collector:4317⟧\n`, 'invalid-value');
    assert.match(problems[0].message, /not a valid absolute URL/);
    assert.match(problems[1].message, /scheme must be http or https, not "grpc"/);
  });
  it('flags a scheme-less endpoint: an error for OTLP/HTTP, a warning for gRPC', () => {
    const [http] = expectProblems(`${P}ENDPOINT=⟦collector:4318⟧\n${P}PROTOCOL=http/protobuf\n`, 'invalid-value');
    assert.equal(http.severity, undefined);
    const [grpc] = expectProblems(`${P}ENDPOINT=⟦collector:4317⟧\n${P}PROTOCOL=grpc\n`, 'invalid-value');
    assert.equal(grpc.severity, 'warning');
    assert.match(grpc.message, /Java fails at startup/);
  });
  it('flags blanks around the URL and a query', () => {
    expectProblems(`${P}ENDPOINT=⟦" https://c:4318"⟧\n${P}TRACES_ENDPOINT=⟦https://c:4318/v1/traces?x=1⟧\n${P}PROTOCOL=http/protobuf\n`, 'invalid-value');
  });
  it('flags a per-signal HTTP endpoint without /v1/<signal> (it is used as written)', () => {
    const [p] = expectProblems(`${P}PROTOCOL=http/protobuf\n${P}TRACES_ENDPOINT=⟦https://h:4318⟧\n`, 'invalid-value');
    assert.match(p.message, /traces go to https:\/\/h:4318\/, not to https:\/\/h:4318\/v1\/traces/);
  });
  it('flags a per-signal endpoint with another signal\'s path', () => {
    expectProblems(`${P}PROTOCOL=http/protobuf\n${P}METRICS_ENDPOINT=⟦https://h:4318/v1/traces⟧\n`, 'invalid-value');
  });
  it('flags a generic endpoint that already ends with /v1/traces (the path doubles)', () => {
    const [p] = expectProblems(`${P}PROTOCOL=http/protobuf\n${P}ENDPOINT=⟦https://h:4318/v1/traces⟧\n`, 'invalid-value');
    assert.match(p.message, /traces go to \/v1\/traces\/v1\/traces/);
  });
  it('flags a gRPC endpoint with a path', () => {
    const [p] = expectProblems(`${P}PROTOCOL=grpc\n${P}ENDPOINT=⟦https://h:4317/v1/traces⟧\n`, 'invalid-value');
    assert.match(p.message, /must not have a path/);
  });
});

describe('port-protocol-mismatch', () => {
  it('flags 4317 with http/protobuf, on the value, pointing at the protocol', () => {
    const source = `${P}ENDPOINT=⟦https://collector:4317⟧\n${P}PROTOCOL=http/protobuf\n`;
    const [p] = expectProblems(source, 'port-protocol-mismatch');
    assert.equal(p.severity, undefined);
    assert.match(p.message, /^OTLP\/HTTP sent to the gRPC port 4317: use port 4318, or set the protocol to grpc\. OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf/);
    assert.equal(p.related?.[0].path, '/work/app/.env');
    assert.deepEqual(p.related?.[0].range.start, { line: 1, character: 0 });
  });
  it('flags 4318 with grpc', () => {
    const [p] = expectProblems(`${P}PROTOCOL=grpc\n${P}ENDPOINT=⟦http://collector:4318⟧\n`, 'port-protocol-mismatch');
    assert.match(p.message, /^gRPC sent to the OTLP\/HTTP port 4318: use port 4317, or set the protocol to http\/protobuf\. OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
  });
  it('uses the per-signal protocol of the signals that send to the generic endpoint', () => {
    const [p] = expectProblems(`${P}ENDPOINT=⟦http://collector:4317⟧\n${P}PROTOCOL=grpc\n${P}METRICS_PROTOCOL=http/protobuf\n`, 'port-protocol-mismatch');
    assert.match(p.message, /OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http\/protobuf for metrics/);
  });
  it('with no protocol, says which SDKs default to which, as information', () => {
    const problems = expectProblems(`${P}ENDPOINT=⟦http://collector:4317⟧\n${P}LOGS_ENDPOINT=⟦http://collector:4318/v1/logs⟧\n`, 'port-protocol-mismatch');
    for (const p of problems) {
      assert.equal(p.severity, 'information');
      assert.match(p.message, /Java SDK autoconfigure, Python and the \.NET SDK default to grpc/);
      assert.match(p.message, /Java agent.*JS.*Go autoexport.*default to http\/protobuf/);
    }
  });
  it('with the SDK named, a default protocol that does not fit the port is a warning with the protocol to set', () => {
    const [js] = expectProblems(`# otlp-tls: sdk=js\n${P}ENDPOINT=⟦http://collector:4317⟧\n`, 'port-protocol-mismatch');
    assert.equal(js.severity, undefined, 'the registry default: warning');
    assert.match(js.message, /JS \(sdk-node\) defaults to http\/protobuf: it sends HTTP requests to the gRPC listener/);
    assert.deepEqual(js.data, { kind: 'port', at: { app: 0, setting: 0 }, add: { name: `${P}PROTOCOL`, value: 'grpc' } });
    const [python] = expectProblems(`# otlp-tls: sdk=python\n${P}ENDPOINT=⟦http://collector:4318⟧\n`, 'port-protocol-mismatch');
    assert.match(python.message, /the Python SDK defaults to grpc: a gRPC client cannot talk to an OTLP\/HTTP listener/);
    // The default fits: nothing to say.
    expectProblems(`# otlp-tls: sdk=python\n${P}ENDPOINT=http://collector:4317\n`, 'port-protocol-mismatch');
    expectProblems(`# otlp-tls: sdk=java-agent\n${P}ENDPOINT=http://collector:4318\n`, 'port-protocol-mismatch');
  });
  it('says nothing for other ports or unknown values', () => {
    expectProblems(`${P}ENDPOINT=https://collector\n${P}TRACES_ENDPOINT=\${URL}\n${P}PROTOCOL=grpc\n`, 'port-protocol-mismatch');
  });
});

describe('scale', () => {
  it('checks a 2 MB file of repeated names: every repeated endpoint is judged, once per assignment', () => {
    const line = `${P}ENDPOINT=http://collector:4317\n${P}PROTOCOL=http/protobuf\n${P}HEADERS=a=1,b=2\n`;
    const copies = Math.ceil((2 * 1024 * 1024) / line.length);
    const problems = run(line.repeat(copies));
    // Each ENDPOINT=…:4317 with the (last) PROTOCOL=http/protobuf is a port-protocol-mismatch; nothing else.
    assert.equal(problems.length, copies);
    assert.ok(problems.every((p) => p.code === 'port-protocol-mismatch'));
    assert.equal(problems[copies - 1].offset, (copies - 1) * line.length + `${P}ENDPOINT=`.length);
  });
});

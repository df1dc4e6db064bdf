/**
 * The deployment surfaces of issue 10 outside Kubernetes: compose files (with .env and env_file), Dockerfiles,
 * Java command lines and JVM option variables, `.properties` files, the declarative config file and
 * OTEL_CONFIG_FILE. Real published files (test/fixtures/upstream) check with the whole list of diagnostics
 * asserted; copies with one planted mistake (test/fixtures/planted) give that code on that range.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ARTICLE_COLLECTOR_CONFIG } from '../support/articleCertificates';
import { devPki, PKI_NOW } from '../support/devPki';
import { memoryRuntime } from '../support/memoryRuntime';
import { checkWorkspace, fixture } from '../support/workspaceCheck';
import { propertyNameOfEnv } from '../../server/src/service/model/javaOptions';

const U = 'upstream/open-telemetry/';

describe('real published files check with no false error', () => {
  const demo = () =>
    checkWorkspace({
      '/p/compose.yaml': fixture(U + 'opentelemetry-demo/compose.yaml'),
      '/p/.env': fixture(U + 'opentelemetry-demo/.env'),
      '/p/otel-config.yml': fixture(U + 'opentelemetry-demo/otel-config.yml'),
      '/p/src/otel-collector/otelcol-config.yml': fixture(U + 'opentelemetry-demo/src/otel-collector/otelcol-config.yml'),
      '/p/src/ad/Dockerfile': fixture(U + 'opentelemetry-demo/src/ad/Dockerfile'),
    });

  it("the demo's compose.yaml with its .env: one app per service, endpoints interpolated from .env, OTEL_CONFIG_FILE named", () => {
    const w = demo();
    const compose = w.parsed.get('/p/compose.yaml')!;
    assert.equal(compose.source, 'compose');
    assert.equal(compose.apps.length, 20);
    // Unnamed SDKs: the port with no protocol is information only (which SDK decides is unknown).
    assert.deepEqual(w.summary('/p/compose.yaml'), [
      '61:37 port-protocol-mismatch', '105:36 port-protocol-mismatch', '198:36 port-protocol-mismatch', '234:37 port-protocol-mismatch',
      '275:36 port-protocol-mismatch', '529:9 env-ignored', '567:37 port-protocol-mismatch', '607:36 port-protocol-mismatch', '714:37 port-protocol-mismatch',
    ]);
    assert.ok(w.problems.get('/p/compose.yaml')!.every((p) => p.severity === 'information' || p.code === 'env-ignored'));
    const ad = compose.apps.find((a) => a.service === 'ad')!;
    assert.equal(ad.settings.find((s) => s.name === 'OTEL_EXPORTER_OTLP_ENDPOINT')!.value, 'http://otel-collector:4318');
    // A bare `- OTEL_EXPORTER_OTLP_ENDPOINT` takes .env's value, itself interpolated from earlier .env lines.
    const cart = compose.apps.find((a) => a.service === 'cart')!;
    assert.equal(cart.settings.find((s) => s.name === 'OTEL_EXPORTER_OTLP_ENDPOINT')!.value, 'http://otel-collector:4317');
    // The collector service bind-mounts its config from ${OTEL_COLLECTOR_CONFIG} (.env): its mounts apply to that file.
    assert.deepEqual(w.index.mountsOf('/p/src/otel-collector/otelcol-config.yml')?.map((m) => `${m.from} ${m.to}`), [
      '/hostfs /', '/var/run/docker.sock /var/run/docker.sock', '/etc/otelcol-config.yml /p/src/otel-collector/otelcol-config.yml', '/etc/otelcol-config-extras.yml /p/src/otel-collector/otelcol-config-extras.yml',
    ]);
  });

  it('product-catalog (OTEL_CONFIG_FILE=/otel-config.yml, bind-mounted): one env-ignored naming the ignored variables, and the app judged by the file', () => {
    const w = demo();
    const problem = w.problems.get('/p/compose.yaml')!.find((p) => p.code === 'env-ignored')!;
    assert.equal(
      problem.message,
      'OTEL_CONFIG_FILE is set: the SDK reads its configuration from that file and ignores the other OTEL_* variables. The SDK ignores OTEL_SERVICE_NAME, OTEL_SEMCONV_STABILITY_OPT_IN. ' +
        'OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, OTEL_RESOURCE_ATTRIBUTES are used only where the file substitutes them. This app is judged by otel-config.yml (its diagnostics are in that file).',
    );
    const app = w.parsed.get('/p/compose.yaml')!.apps.find((a) => a.service === 'product-catalog')!;
    const endpoint = app.settings.find((s) => s.name === 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')!;
    assert.equal(endpoint.value, 'http://otel-collector:4317', "substituted with the service's own environment");
    assert.equal(endpoint.written, 'tracer_provider.processors[0].batch.exporter.otlp_grpc.endpoint');
  });

  it("the demo's otel-config.yml: its real mistake (temporality_preference under a span exporter) on the key, nothing else", () => {
    const w = demo();
    assert.deepEqual(w.summary('/p/otel-config.yml'), ['31:13 unknown-key']);
    assert.match(w.problems.get('/p/otel-config.yml')![0].message, /^Unknown key "temporality_preference" in tracer_provider\.processors\[0\]\.batch\.exporter\.otlp_grpc: .* Allowed: endpoint, tls, headers, headers_list, compression, timeout\.$/);
  });

  it("the demo's .env, collector config and the ad service's Dockerfile: nothing (the agent comes from JAVA_TOOL_OPTIONS)", () => {
    const w = demo();
    assert.deepEqual(w.summary('/p/.env'), []);
    assert.deepEqual(w.summary('/p/src/otel-collector/otelcol-config.yml'), []);
    assert.deepEqual(w.summary('/p/src/ad/Dockerfile'), []);
    const ad = w.parsed.get('/p/src/ad/Dockerfile')!.apps[0];
    assert.equal(ad.sdk, 'java-agent');
    assert.deepEqual(ad.settings, []);
  });

  it("the Java examples' Dockerfile (shell-form ENTRYPOINT java -javaagent … -D…): the agent named, its property read, nothing reported", () => {
    const w = checkWorkspace({ '/q/Dockerfile': fixture(U + 'opentelemetry-java-examples/javaagent/Dockerfile') });
    assert.deepEqual(w.summary('/q/Dockerfile'), []);
    const app = w.parsed.get('/q/Dockerfile')!.apps[0];
    assert.equal(app.sdk, 'java-agent');
    assert.deepEqual(app.settings.map((s) => [s.name, s.written, s.value, s.layer]), [['OTEL_JAVAAGENT_EXTENSIONS', 'otel.javaagent.extensions', '/opentelemetry-javaagent-extension.jar', 'system-property']]);
  });

  it('hadoop2-env.sh (JAVA_AGENT_OPTS built up over several exports): every -D word counts, and the placeholder endpoint is not a URL', () => {
    const w = checkWorkspace({ '/q/hadoop2-env.sh': fixture(U + 'opentelemetry-java-instrumentation/instrumentation/jmx-metrics/library/src/test/resources/hadoop2-env.sh') });
    assert.deepEqual(w.summary('/q/hadoop2-env.sh'), ['106:72 invalid-value']);
    assert.match(w.problems.get('/q/hadoop2-env.sh')![0].message, /^otel\.exporter\.otlp\.endpoint="<<ENDPOINT_PLACEHOLDER>>" has no scheme: Java fails at startup/);
    const app = w.parsed.get('/q/hadoop2-env.sh')!.apps[0];
    assert.equal(app.sdk, 'java-agent');
    // `5s` is a duration the Java SDK reads (no invalid-value for the named Java agent).
    assert.deepEqual(app.settings.map((s) => s.written), [
      'otel.logs.exporter', 'otel.traces.exporter', 'otel.metrics.exporter', 'otel.exporter.otlp.endpoint', 'otel.exporter.otlp.protocol',
      'otel.metric.export.interval', 'otel.instrumentation.runtime-telemetry.enabled', 'otel.jmx.auto.enabled',
    ]);
  });

  it('declarative config examples: the migration config (substituted first) and the Java agent example give nothing', () => {
    const w = checkWorkspace({
      '/r/migration.yaml': fixture(U + 'opentelemetry-configuration/examples/otel-sdk-migration-config.yaml'),
      '/u/otel-agent-config.yaml': fixture(U + 'opentelemetry-java-examples/javaagent-declarative-configuration/otel-agent-config.yaml'),
    });
    assert.deepEqual(w.summary('/r/migration.yaml'), []);
    assert.deepEqual(w.summary('/u/otel-agent-config.yaml'), []);
    const migration = w.parsed.get('/r/migration.yaml')!.apps[0];
    assert.deepEqual(
      migration.settings.filter((s) => s.name.includes('ENDPOINT')).map((s) => [s.name, s.value]),
      [['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http://localhost:4318/v1/traces'], ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'http://localhost:4318/v1/metrics'], ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'http://localhost:4318/v1/logs']],
    );
  });

  it("the kitchen-sink snippets: gRPC to port 4318, and TLS files that an http:// endpoint never uses (and that are not in the workspace)", () => {
    const w = checkWorkspace({
      '/s/grpc.yaml': fixture(U + 'opentelemetry-configuration/snippets/OtlpGrpcExporter_traces_kitchen_sink.yaml'),
      '/t/http.yaml': fixture(U + 'opentelemetry-configuration/snippets/OtlpHttpExporter_traces_kitchen_sink.yaml'),
    });
    assert.deepEqual(w.summary('/s/grpc.yaml'), [
      '15:23 port-protocol-mismatch', '17:24 file-not-found', '17:24 tls-ignored', '18:25 file-not-found', '18:25 tls-ignored', '19:26 file-not-found', '19:26 tls-ignored', '20:25 tls-ignored',
    ]);
    assert.deepEqual(w.summary('/t/http.yaml'), ['17:24 file-not-found', '17:24 tls-ignored', '18:25 file-not-found', '18:25 tls-ignored', '19:26 file-not-found', '19:26 tls-ignored']);
    const grpc = w.problems.get('/s/grpc.yaml')!;
    assert.match(grpc[0].message, /^Port 4318 is the OTLP\/HTTP port, but tracer_provider\.processors\[0\]\.batch\.exporter\.otlp_grpc=grpc for traces/);
    assert.match(grpc[1].message, /^tracer_provider\.processors\[0\]\.batch\.exporter\.otlp_grpc\.tls\.ca_file: "\/app\/cert\.pem" does not exist/);
  });
});

describe('planted mistakes: code and range on the file', () => {
  it('compose: a misspelt OTEL_EXPORTER_OTLP_ENDPONT in a service environment list', () => {
    const w = checkWorkspace({ '/p/compose.yaml': fixture('planted/compose/compose.yaml'), '/p/.env': fixture(U + 'opentelemetry-demo/.env') });
    const found = w.problems.get('/p/compose.yaml')!.filter((p) => p.code === 'unknown-variable');
    assert.deepEqual(found.map((p) => w.summary('/p/compose.yaml')[w.problems.get('/p/compose.yaml')!.indexOf(p)]), ['62:9 unknown-variable']);
    assert.equal(found[0].length, 'OTEL_EXPORTER_OTLP_ENDPONT'.length);
    assert.match(found[0].message, /Did you mean OTEL_EXPORTER_OTLP_ENDPOINT\?/);
  });

  it('Dockerfile: a misspelt -Dotel.exporter.otlp.certficate, with did-you-mean in property form', () => {
    const w = checkWorkspace({ '/q/Dockerfile': fixture('planted/dockerfile/Dockerfile') });
    assert.deepEqual(w.summary('/q/Dockerfile'), ['14:126 unknown-variable']);
    const [problem] = w.problems.get('/q/Dockerfile')!;
    assert.equal(problem.length, 'otel.exporter.otlp.certficate'.length);
    assert.equal(problem.message, 'Unknown property otel.exporter.otlp.certficate: it is not read by any OpenTelemetry SDK. Did you mean otel.exporter.otlp.certificate?');
    assert.deepEqual(problem.data, { kind: 'rename', suggestions: ['otel.exporter.otlp.certificate'], at: { app: 0, setting: 1 } });
  });

  it('declarative config: a misspelt tls key ca_flie, unknown-key with did-you-mean on the key', () => {
    const w = checkWorkspace({ '/s/grpc.yaml': fixture('planted/declarative/OtlpGrpcExporter_traces_kitchen_sink.yaml') });
    const problems = w.problems.get('/s/grpc.yaml')!;
    const unknown = problems.filter((p) => p.code === 'unknown-key');
    assert.equal(unknown.length, 1);
    assert.equal(w.summary('/s/grpc.yaml')[problems.indexOf(unknown[0])], '18:15 unknown-key');
    assert.match(unknown[0].message, /^Unknown key "ca_flie" in tracer_provider\.processors\[0\]\.batch\.exporter\.otlp_grpc\.tls: .* Did you mean "ca_file"\?$/);
  });
});

describe("the article's Java example gets the verdicts of the equivalent env file", () => {
  const script = `#!/bin/sh
# Configure the Java agent with TLS for the OTLP exporter.
java -javaagent:opentelemetry-javaagent.jar \\
  -Dotel.exporter.otlp.endpoint=https://otel-collector.observability.svc:4317 \\
  -Dotel.exporter.otlp.certificate=/etc/otel/certs/ca.crt \\
  -Dotel.exporter.otlp.client.key=/etc/otel/certs/client.key \\
  -Dotel.exporter.otlp.client.certificate=/etc/otel/certs/client.crt \\
  -jar myapp.jar
`;
  const dockerfile = `FROM eclipse-temurin:21-jre
ENTRYPOINT ["java", "-javaagent:opentelemetry-javaagent.jar", "-Dotel.exporter.otlp.endpoint=https://otel-collector.observability.svc:4317", "-Dotel.exporter.otlp.certificate=/etc/otel/certs/ca.crt", "-Dotel.exporter.otlp.client.key=/etc/otel/certs/client.key", "-Dotel.exporter.otlp.client.certificate=/etc/otel/certs/client.crt", "-jar", "myapp.jar"]
`;
  const envFile = `# otlp-tls: sdk=java-agent
OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317
OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/ca.crt
OTEL_EXPORTER_OTLP_CLIENT_KEY=/etc/otel/certs/client.key
OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/etc/otel/certs/client.crt
`;
  const verdicts = (w: ReturnType<typeof checkWorkspace>, path: string) =>
    w.problems.get(path)!.map((p) => `${p.code} ${p.severity ?? ''}: ${p.message.replace(/otel\.exporter\.otlp\.[a-z.]+/g, (m) => m.toUpperCase().replace(/\./g, '_'))}`);

  it('in a shell script and a Dockerfile, against the article collector with development certificates (host not covered)', async () => {
    const pki = await devPki();
    const certs = Object.fromEntries(Object.entries(pki).map(([name, pem]) => [`/certs/${name}`, { contents: pem, mode: name.endsWith('.key') ? 0o600 : 0o644 }]));
    const files = { '/a/run.sh': script, '/b/Dockerfile': dockerfile, '/c/app.env': envFile, '/g/collector.yaml': ARTICLE_COLLECTOR_CONFIG };
    const w = checkWorkspace(files, { runtime: memoryRuntime({ files: { ...files, ...certs }, now: PKI_NOW }), settings: { pathMappings: [{ from: '/etc/otel/certs', to: '/certs' }] } });
    const expected = verdicts(w, '/c/app.env');
    assert.ok(expected.some((v) => v.startsWith('san-mismatch')), JSON.stringify(expected));
    assert.ok(expected.some((v) => v.startsWith('port-protocol-mismatch')), JSON.stringify(expected));
    assert.deepEqual(verdicts(w, '/a/run.sh'), expected);
    assert.deepEqual(verdicts(w, '/b/Dockerfile'), expected);
    assert.equal(w.parsed.get('/a/run.sh')!.apps[0].sdk, 'java-agent');
    assert.equal(w.parsed.get('/b/Dockerfile')!.apps[0].sdk, 'java-agent');
  });
});

describe('Java properties: names, precedence, JVM option variables', () => {
  it('a -D property in JAVA_TOOL_OPTIONS wins over the same env variable, and is located inside the value', () => {
    const text = 'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318\nJAVA_TOOL_OPTIONS="-javaagent:/otel/opentelemetry-javaagent.jar -Dotel.exporter.otlp.endpoint=https://collector:4318"\n';
    const w = checkWorkspace({ '/w/app.env': text });
    const app = w.parsed.get('/w/app.env')!.apps[0];
    assert.equal(app.sdk, 'java-agent');
    const endpoints = app.settings.filter((s) => s.name === 'OTEL_EXPORTER_OTLP_ENDPOINT');
    assert.deepEqual(endpoints.map((s) => [s.written, s.value, s.layer ?? 'env']), [['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://collector:4318', 'env'], ['otel.exporter.otlp.endpoint', 'https://collector:4318', 'system-property']]);
    assert.equal(text.slice(endpoints[1].valueOffset, endpoints[1].valueOffset + endpoints[1].valueLength), 'https://collector:4318');
    assert.equal(text.slice(endpoints[1].nameOffset, endpoints[1].nameOffset + endpoints[1].nameLength), 'otel.exporter.otlp.endpoint');
  });

  it('an agent properties file is the lowest layer: env and system properties override it; its own mistakes sit in it', () => {
    const props = 'otel.exporter.otlp.endpoint=https://collector:4317\notel.exporter.otlp.certficate=/c/ca.crt\n';
    const files = { '/w/run.sh': 'export OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nexec java -javaagent:/opentelemetry-javaagent.jar -Dotel.javaagent.configuration-file=/w/agent.properties -jar app.jar\n', '/w/agent.properties': props };
    const w = checkWorkspace(files);
    const app = w.parsed.get('/w/run.sh')!.apps[0];
    assert.deepEqual(app.settings.map((s) => [s.written, s.layer ?? 'env']), [
      ['otel.exporter.otlp.endpoint', 'properties-file'], ['otel.exporter.otlp.certficate', 'properties-file'], ['OTEL_EXPORTER_OTLP_PROTOCOL', 'env'], ['otel.javaagent.configuration-file', 'system-property'],
    ]);
    assert.deepEqual(w.summary('/w/run.sh'), []);
    assert.deepEqual(w.summary('/w/agent.properties'), ['1:29 no-listener', '2:1 unknown-variable']);
    assert.equal(w.problems.get('/w/agent.properties')![1].message, 'Unknown property otel.exporter.otlp.certficate: it is not read by any OpenTelemetry SDK. Did you mean otel.exporter.otlp.certificate?');
  });

  it('property names map as the Java SDK maps them', () => {
    assert.equal(propertyNameOfEnv('OTEL_EXPORTER_OTLP_CLIENT_KEY'), 'otel.exporter.otlp.client.key');
  });
});

describe('OTEL_CONFIG_FILE', () => {
  it('ignored variables are not judged (no false file-not-found), one information names them', () => {
    const text = 'OTEL_CONFIG_FILE=/etc/otel/sdk.yaml\nOTEL_EXPORTER_OTLP_CERTIFICATE=/no/such/ca.crt\nOTEL_EXPORTER_OTLP_ENDPONT=x\n';
    const w = checkWorkspace({ '/w/app.env': text });
    assert.deepEqual(w.summary('/w/app.env'), ['1:1 env-ignored']);
    assert.equal(
      w.problems.get('/w/app.env')![0].message,
      'OTEL_CONFIG_FILE is set: the SDK reads its configuration from that file and ignores the other OTEL_* variables. The SDK ignores OTEL_EXPORTER_OTLP_CERTIFICATE, OTEL_EXPORTER_OTLP_ENDPONT. "/etc/otel/sdk.yaml" is not in the workspace (looked at /etc/otel/sdk.yaml), so this app\'s exporters cannot be judged here; a path mapping (otlpTls.pathMappings, --path-map) or a compose bind mount maps it to a local file.',
    );
  });

  it('the file found through a path mapping judges the app: its problems sit in the declarative file, with the env as its substitutions', () => {
    const sdk = 'file_format: "1.0"\ntracer_provider:\n  processors:\n    - batch:\n        exporter:\n          otlp_grpc:\n            endpoint: ${OTEL_EXPORTER_OTLP_ENDPOINT}\n            tls:\n              ca_file: /etc/otel/missing.crt\n';
    const w = checkWorkspace({ '/w/app.env': 'OTEL_CONFIG_FILE=/etc/otel/sdk.yaml\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\n', '/w/conf/sdk.yaml': sdk }, { settings: { pathMappings: [{ from: '/etc/otel', to: '/w/conf' }] } });
    assert.deepEqual(w.summary('/w/app.env'), ['1:1 env-ignored']);
    assert.match(w.problems.get('/w/app.env')![0].message, /OTEL_EXPORTER_OTLP_ENDPOINT is used only where the file substitutes it\. This app is judged by conf\/sdk\.yaml/);
    assert.deepEqual(w.summary('/w/conf/sdk.yaml'), ['7:23 no-listener', '9:24 file-not-found']);
  });
});

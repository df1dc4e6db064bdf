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
    // Unnamed SDKs: the port with no protocol is information only (which SDK decides is unknown). Each service that
    // builds an image whose Dockerfile is not among the fixtures says its image's ENV is not known (on `build:`).
    assert.deepEqual(w.summary('/p/compose.yaml'), [
      '88:5 unresolved-substitution', '105:36 port-protocol-mismatch', '123:5 unresolved-substitution', '180:5 unresolved-substitution',
      '198:36 port-protocol-mismatch', '217:5 unresolved-substitution', '234:37 port-protocol-mismatch', '253:5 unresolved-substitution',
      '275:36 port-protocol-mismatch', '320:5 unresolved-substitution', '382:5 unresolved-substitution', '415:5 unresolved-substitution',
      '459:5 unresolved-substitution', '508:5 unresolved-substitution', '529:9 env-ignored', '553:5 unresolved-substitution',
      '567:37 port-protocol-mismatch', '589:5 unresolved-substitution', '607:36 port-protocol-mismatch', '631:5 unresolved-substitution',
      '702:5 unresolved-substitution', '714:37 port-protocol-mismatch', '740:5 unresolved-substitution',
    ]);
    assert.equal(
      w.problems.get('/p/compose.yaml')![0].message,
      "build of service cart: the image's ENV, which may set OTEL_* variables, is not checked: add its Dockerfile here. The Dockerfile of the image it runs: src/cart/src/Dockerfile is not in the workspace. Environment and env_file take precedence over its ENV.",
    );
    assert.ok(w.problems.get('/p/compose.yaml')!.every((p) => p.severity === 'information' || p.code === 'env-ignored' || (p.code === 'unresolved-substitution' && p.severity === undefined)));
    const ad = compose.apps.find((a) => a.service === 'ad')!;
    // ad builds src/ad/Dockerfile (build.dockerfile: ${AD_DOCKERFILE}), whose ENV JAVA_TOOL_OPTIONS loads the Java agent:
    // one app, the Java agent, whose http/protobuf default fits port 4318 (no port-protocol-mismatch on line 61).
    assert.equal(ad.sdk, 'java-agent');
    assert.deepEqual(ad.parts?.map((p) => `${p.path} ${p.role}`), ['/p/src/ad/Dockerfile the Dockerfile service ad builds']);
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
      'The SDK ignores the other OTEL_* variables here: move them into the file OTEL_CONFIG_FILE names. The SDK ignores OTEL_SERVICE_NAME, OTEL_SEMCONV_STABILITY_OPT_IN. ' +
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
    assert.match(w.problems.get('/p/otel-config.yml')![0].message, /^Unknown key "temporality_preference", which the SDK refuses: remove or rename it\. It is in tracer_provider\.processors\[0\]\.batch\.exporter\.otlp_grpc: .* Allowed: endpoint, tls, headers, headers_list, compression, timeout\.$/);
  });

  it("the demo's .env, collector config and the ad service's Dockerfile: nothing but the endpoint a loader resolves (the agent comes from JAVA_TOOL_OPTIONS)", () => {
    const w = demo();
    // OTEL_EXPORTER_OTLP_ENDPOINT=http://${OTEL_COLLECTOR_HOST}:${OTEL_COLLECTOR_PORT_GRPC}: the loader (compose, the shell)
    // expands it; read alone its value is not known, and that is said rather than left silent.
    assert.deepEqual(w.summary('/p/.env'), ['45:29 unresolved-substitution']);
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
    assert.match(w.problems.get('/q/hadoop2-env.sh')![0].message, /^The endpoint has no scheme: write https:\/\/ \(TLS\) or http:\/\/ \(plaintext\)\. .*otel\.exporter\.otlp\.endpoint="<<ENDPOINT_PLACEHOLDER>>".* fails at startup/);
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
      // The three files the http:// endpoint leaves unread are one tls-ignored (one cause), the others its related places;
      // insecure: false contradicting http:// is another.
      '15:23 port-protocol-mismatch', '17:24 file-not-found', '17:24 tls-ignored', '18:25 file-not-found', '19:26 file-not-found', '20:25 tls-ignored',
    ]);
    assert.deepEqual(w.summary('/t/http.yaml'), ['17:24 file-not-found', '17:24 tls-ignored', '18:25 file-not-found', '19:26 file-not-found']);
    const ignored = w.problems.get('/t/http.yaml')!.find((p) => p.code === 'tls-ignored')!;
    assert.deepEqual(ignored.related!.map((r) => `${r.range.start.line + 1}:${r.range.start.character + 1} ${r.message}`).slice(1), [
      '18:25 tracer_provider.processors[0].batch.exporter.otlp_http.tls.key_file is not used while tracer_provider.processors[0].batch.exporter.otlp_http.endpoint is http://',
      '19:26 tracer_provider.processors[0].batch.exporter.otlp_http.tls.cert_file is not used while tracer_provider.processors[0].batch.exporter.otlp_http.endpoint is http://',
    ]);
    const grpc = w.problems.get('/s/grpc.yaml')!;
    assert.match(grpc[0].message, /^gRPC sent to the OTLP\/HTTP port 4318: use port 4317, or set the protocol to http\/protobuf\. tracer_provider\.processors\[0\]\.batch\.exporter\.otlp_grpc=grpc for traces/);
    assert.match(grpc[1].message, /^tracer_provider\.processors\[0\]\.batch\.exporter\.otlp_grpc\.tls\.ca_file: the file does not exist; fix the path, or map it \(--path-map\)\. "\/app\/cert\.pem" was looked for/);
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
    assert.match(unknown[0].message, /^Unknown key "ca_flie", which the SDK refuses: remove or rename it\. It is in tracer_provider\.processors\[0\]\.batch\.exporter\.otlp_grpc\.tls: .* Did you mean "ca_file"\?$/);
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

  it('an env-style key in a properties file is never read (the agent normalises keys as properties): unknown-variable on it, alone or as the agent file of an app', () => {
    const props = 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\notel-exporter-otlp-protocol=grpc\n';
    const alone = checkWorkspace({ '/w/agent.properties': props });
    // otel-exporter-otlp-protocol normalises to otel.exporter.otlp.protocol: read. The env-style key is not a setting.
    assert.deepEqual(alone.parsed.get('/w/agent.properties')!.apps[0].settings.map((s) => s.name), ['OTEL_EXPORTER_OTLP_PROTOCOL']);
    assert.deepEqual(alone.summary('/w/agent.properties'), ['1:1 unknown-variable']);
    assert.equal(
      alone.problems.get('/w/agent.properties')![0].message,
      'OTEL_EXPORTER_OTLP_ENDPOINT is an environment variable name, and this is a properties file: the Java agent and the SDK\'s autoconfigure read its keys as property names (lower case, "-" as "."), so this one becomes otel_exporter_otlp_endpoint and is never read. Write otel.exporter.otlp.endpoint=… (the property of OTEL_EXPORTER_OTLP_ENDPOINT), or set OTEL_EXPORTER_OTLP_ENDPOINT in the environment.',
    );
    // Only env-style keys: still a unit, so said.
    assert.deepEqual(checkWorkspace({ '/w/only.properties': 'OTEL_EXPORTER_OTLP_CERTIFICATE=/c/ca.crt\n' }).summary('/w/only.properties'), ['1:1 unknown-variable']);
    // Read by an app as its agent file: said in the file, in the app's context, and the app's endpoint is its own.
    const linked = checkWorkspace({ '/w/run.sh': 'export OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318\nexec java -javaagent:/a.jar -Dotel.javaagent.configuration-file=/w/agent.properties -jar app.jar\n', '/w/agent.properties': props });
    assert.deepEqual(linked.summary('/w/run.sh'), ['1:36 port-protocol-mismatch']);
    assert.deepEqual(linked.summary('/w/agent.properties'), ['1:1 unknown-variable']);
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
      'The SDK ignores the other OTEL_* variables here: move them into the file OTEL_CONFIG_FILE names. The SDK ignores OTEL_EXPORTER_OTLP_CERTIFICATE, OTEL_EXPORTER_OTLP_ENDPONT. "/etc/otel/sdk.yaml" is not in the workspace (looked at /etc/otel/sdk.yaml), so this app\'s exporters cannot be judged here; a path mapping (otlpTls.pathMappings, --path-map) or a compose bind mount maps it to a local file.',
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

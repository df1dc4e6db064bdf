/**
 * The operator's injection into annotated pods (model/operatorInjection.ts; docs/facts/operator.md §2.3-2.4):
 * a container of a pod template annotated instrumentation.opentelemetry.io/inject-<language> is judged with
 * the settings its Instrumentation injects, with the operator's precedence and the language's SDK; what
 * cannot be known is said (injection-not-judged), what the operator refuses is a warning (injection-rejected).
 * Every test asserts the whole list of problems of every file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkWorkspace } from '../support/workspaceCheck';

const instrumentation = (name: string, namespace: string | undefined, spec: string) =>
  `apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n${spec}`;
const deployment = (annotations: string, containers: string, namespace = 'shop') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  namespace: ${namespace}\nspec:\n  template:\n    metadata:\n      annotations:\n${annotations}    spec:\n      containers:\n${containers}`;
const APP = '        - name: app\n          image: shop\n';
const JAVA = '        instrumentation.opentelemetry.io/inject-java: "true"\n';
const GRPC_ENDPOINT = '  exporter:\n    endpoint: http://collector.shop.svc:4317\n';

/** Every problem of every file: `file line:col severity code: message`, and each related location's message. */
function all(files: Record<string, string>): string[] {
  const checked = checkWorkspace(files);
  const out: string[] = [];
  for (const [path, problems] of checked.problems) {
    const places = checked.summary(path);
    problems.forEach((p, i) => {
      const [at, code] = places[i].split(' ');
      out.push(`${path.slice(4)} ${at} ${p.severity ?? 'default'} ${code}: ${p.message}${p.related?.length ? ` [related: ${p.related.map((r) => r.message).join('; ')}]` : ''}`);
    });
  }
  return out;
}

/** The app units of the index as the operator leaves them: label, SDK and settings as written. */
function apps(files: Record<string, string>): string[] {
  return checkWorkspace(files)
    .index.apps()
    .map((a) => `${a.unit.label} sdk=${a.unit.sdk ?? '-'}: ${a.unit.settings.map((s) => `${s.written}=${s.value}`).join(', ')}`);
}

describe('operator injection into annotated pods', () => {
  it('inject-java: "true" takes the one Instrumentation of the namespace; the Java agent decides the default protocol, said on the annotation', () => {
    const files = { '/ws/instr.yaml': instrumentation('java', 'shop', GRPC_ENDPOINT), '/ws/app.yaml': deployment(JAVA, APP) };
    assert.deepEqual(apps(files), [
      'Instrumentation shop/java sdk=-: spec.exporter.endpoint=http://collector.shop.svc:4317',
      'container app of Deployment shop/checkout (inject-java: Instrumentation shop/java) sdk=java-agent: spec.exporter.endpoint=http://collector.shop.svc:4317',
    ]);
    assert.deepEqual(all(files), [
      'instr.yaml 8:15 information port-protocol-mismatch: Instrumentation shop/java: Some SDKs send the other protocol to port 4317: set OTEL_EXPORTER_OTLP_PROTOCOL=grpc. Port 4317 is the OTLP/gRPC port, but no OTEL_EXPORTER_OTLP_PROTOCOL is set, so the SDK default decides: the Java SDK autoconfigure, Python and the .NET SDK default to grpc (matches); the Java agent, the Spring Boot starter, JS (sdk-node), Go autoexport and .NET auto-instrumentation default to http/protobuf (they would send HTTP to the gRPC port). Or name the SDK (otlpTls.sdk, or a "# otlp-tls: sdk=<id>" line) for an exact verdict.',
      'app.yaml 10:55 default port-protocol-mismatch: container app of Deployment shop/checkout (inject-java: Instrumentation shop/java): The Java agent sends http/protobuf to port 4317: set OTEL_EXPORTER_OTLP_PROTOCOL=grpc. Or use port 4318, the OTLP/HTTP port. No OTEL_EXPORTER_OTLP_PROTOCOL is set and the Java agent defaults to http/protobuf: it sends HTTP requests to the gRPC listener (typically "malformed HTTP response"). [related: injected from Instrumentation shop/java]',
    ]);
  });

  it("the container's own env wins over every layer of the Instrumentation (the operator never injects a variable it sets)", () => {
    const files = {
      '/ws/instr.yaml': instrumentation('java', 'shop', `${GRPC_ENDPOINT}  env:\n    - name: OTEL_EXPORTER_OTLP_PROTOCOL\n      value: http/protobuf\n`),
      '/ws/app.yaml': deployment(JAVA, `${APP}          env:\n            - name: OTEL_EXPORTER_OTLP_PROTOCOL\n              value: grpc\n`),
    };
    assert.deepEqual(apps(files), [
      'Instrumentation shop/java sdk=-: spec.env[0] OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, spec.exporter.endpoint=http://collector.shop.svc:4317',
      'container app of Deployment shop/checkout (inject-java: Instrumentation shop/java) sdk=java-agent: spec.exporter.endpoint=http://collector.shop.svc:4317, env[0] OTEL_EXPORTER_OTLP_PROTOCOL=grpc',
    ]);
    // The Instrumentation alone sends HTTP to 4317 (a warning there); the container, with grpc of its own, does not.
    assert.deepEqual(
      all(files).map((line) => line.split(': ')[0]),
      ['instr.yaml 8:15 default port-protocol-mismatch'],
    );
  });

  it('a language block is taken for its language: spec.java.env over spec.env over the exporter fields', () => {
    const files = {
      '/ws/instr.yaml': instrumentation('java', 'shop', `${GRPC_ENDPOINT}  env:\n    - name: OTEL_EXPORTER_OTLP_PROTOCOL\n      value: grpc\n  java:\n    env:\n      - name: OTEL_EXPORTER_OTLP_ENDPOINT\n        value: http://collector.shop.svc:4318\n      - name: OTEL_EXPORTER_OTLP_PROTOCOL\n        value: http/protobuf\n`),
      '/ws/app.yaml': deployment(JAVA, APP),
    };
    assert.deepEqual(apps(files)[2], 'container app of Deployment shop/checkout (inject-java: Instrumentation shop/java) sdk=java-agent: spec.java.env[0] OTEL_EXPORTER_OTLP_ENDPOINT=http://collector.shop.svc:4318, spec.java.env[1] OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf');
    assert.deepEqual(all(files), []);
  });

  it('an Instrumentation named by the annotation (name, namespace/name) that is not in the workspace: injection-not-judged on the annotation', () => {
    const files = {
      '/ws/instr.yaml': instrumentation('java', 'shop', GRPC_ENDPOINT),
      '/ws/app.yaml': deployment('        instrumentation.opentelemetry.io/inject-nodejs: "other/js"\n', APP),
    };
    assert.deepEqual(all(files).slice(1), [
      'app.yaml 10:57 default injection-not-judged: container app of Deployment shop/checkout: inject-nodejs: what the operator injects is not known here; check its Instrumentation with this manifest. Instrumentation other/js is not in the workspace, so the exporter settings the operator injects into this container are not known here and its handshake is not judged. Check the manifest that defines it with this one.',
    ]);
    // "true" with no Instrumentation at all; a name resolved in the pod's namespace.
    assert.deepEqual(all({ '/ws/app.yaml': deployment(JAVA, APP) }), [
      "app.yaml 10:55 default injection-not-judged: container app of Deployment shop/checkout: inject-java: what the operator injects is not known here; check its Instrumentation with this manifest. The Instrumentation of namespace shop is not in the workspace, so the exporter settings the operator injects into this container are not known here and its handshake is not judged. Check the manifest that defines it with this one.",
    ]);
    assert.deepEqual(apps({ '/ws/instr.yaml': instrumentation('java', 'shop', GRPC_ENDPOINT), '/ws/app.yaml': deployment('        instrumentation.opentelemetry.io/inject-python: "java"\n', APP) })[1], 'container app of Deployment shop/checkout (inject-python: Instrumentation shop/java) sdk=python: spec.exporter.endpoint=http://collector.shop.svc:4317');
  });

  it('"true" with two Instrumentations in the namespace: the operator refuses (injection-rejected); unstated namespaces cannot be told apart (injection-not-judged)', () => {
    const two = { '/ws/a.yaml': instrumentation('a', 'shop', GRPC_ENDPOINT), '/ws/b.yaml': instrumentation('b', 'shop', GRPC_ENDPOINT) };
    assert.deepEqual(
      all({ ...two, '/ws/app.yaml': deployment(JAVA, APP) }).filter((l) => l.startsWith('app.yaml')),
      ['app.yaml 10:55 default injection-rejected: container app of Deployment shop/checkout: inject-java: "true" finds several Instrumentations here, so none is injected: name one. "true" selects the one Instrumentation of the pod\'s namespace, and the workspace has 2 there (Instrumentation shop/a, Instrumentation shop/b): the operator fails with "multiple OpenTelemetry Instrumentation instances available, cannot determine which one to select" and the pod runs uninstrumented. Name one: instrumentation.opentelemetry.io/inject-java: "<name>".'],
    );
    const unstated = { '/ws/a.yaml': instrumentation('a', undefined, GRPC_ENDPOINT), '/ws/b.yaml': instrumentation('b', undefined, GRPC_ENDPOINT) };
    assert.deepEqual(
      all({ ...unstated, '/ws/app.yaml': deployment(JAVA, APP) }).filter((l) => l.startsWith('app.yaml')),
      ['app.yaml 10:55 default injection-not-judged: container app of Deployment shop/checkout: inject-java: what the operator injects is not known here; check its Instrumentation with this manifest. The Instrumentation of namespace shop cannot be told apart among Instrumentation a, Instrumentation b (their namespaces are not all stated), so the exporter settings the operator injects into this container are not known here and its handshake is not judged. Check the manifest that defines it with this one.'],
    );
  });

  it('containers: the first one by default, the container-names annotations otherwise; two languages need names for each', () => {
    const two = `${APP}        - name: sidecar\n          image: envoy\n`;
    const files = (annotations: string) => ({ '/ws/instr.yaml': instrumentation('java', 'shop', GRPC_ENDPOINT), '/ws/app.yaml': deployment(annotations, two) });
    assert.deepEqual(apps(files(JAVA)).slice(1).map((a) => a.split(' sdk')[0]), ['container app of Deployment shop/checkout (inject-java: Instrumentation shop/java)']);
    assert.deepEqual(
      apps(files(`${JAVA}        instrumentation.opentelemetry.io/container-names: "sidecar"\n`)).slice(1).map((a) => a.split(' sdk')[0]),
      ['container sidecar of Deployment shop/checkout (inject-java: Instrumentation shop/java)'],
    );
    assert.deepEqual(
      all(files(`${JAVA}        instrumentation.opentelemetry.io/inject-python: "true"\n        instrumentation.opentelemetry.io/python-container-names: "sidecar"\n`)).filter((l) => l.startsWith('app.yaml')).map((l) => l.split(': container')[0]),
      // Both annotations are refused, each said on its own.
      ['app.yaml 10:55 default injection-rejected', 'app.yaml 11:57 default injection-rejected'],
    );
    // Names that match no container of the pod: nothing is instrumented.
    assert.deepEqual(
      all(files(`${JAVA}        instrumentation.opentelemetry.io/java-container-names: "web"\n`)).filter((l) => l.startsWith('app.yaml')),
      ['app.yaml 10:55 default injection-rejected: container app of Deployment shop/checkout: inject-java: no container of this pod has the names given: name one of its containers. web name no container of this pod, so the operator instruments none (containersToInstrument, sdk.go) and the pod runs uninstrumented. Name a container of the pod in the container-names annotations.'],
    );
    // A blank after the comma is a character the operator refuses in container names: nothing is injected.
    assert.deepEqual(
      all(files(`${JAVA}        instrumentation.opentelemetry.io/container-names: "app, sidecar"\n`)).filter((l) => l.startsWith('app.yaml')),
      ['app.yaml 10:55 default injection-rejected: container app of Deployment shop/checkout: The operator injects nothing into this pod: name each container of each language once. It says "not valid characters included in the instrumentation container annotation app, sidecar" (podmutator.go), and the pod runs uninstrumented. Name the containers of each language (instrumentation.opentelemetry.io/<language>-container-names), each container once.'],
    );
  });

  it('inject-go: the settings go to the agent sidecar, which does not see the container env; inject-nginx is configured by a file (not judged)', () => {
    const files = {
      '/ws/instr.yaml': instrumentation('go', 'shop', '  exporter:\n    endpoint: http://collector.shop.svc:4318\n'),
      '/ws/app.yaml': deployment('        instrumentation.opentelemetry.io/inject-go: "true"\n', `${APP}          env:\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: http://elsewhere:4318\n`),
    };
    assert.deepEqual(apps(files)[1], 'the Go agent sidecar of container app of Deployment shop/checkout (inject-go: Instrumentation shop/go) sdk=go: spec.exporter.endpoint=http://collector.shop.svc:4318');
    assert.deepEqual(
      all({ '/ws/instr.yaml': instrumentation('web', 'shop', GRPC_ENDPOINT), '/ws/app.yaml': deployment('        instrumentation.opentelemetry.io/inject-nginx: "true"\n', APP) }).filter((l) => l.startsWith('app.yaml')),
      ['app.yaml 10:56 default injection-not-judged: container app of Deployment shop/checkout: inject-nginx: this agent is configured by a file, not OTEL_* variables, so it is not judged. The operator configures the nginx agent through a configuration file it writes into the container, not through OTEL_* variables, so this container\'s exporter is not judged here.'],
    );
  });

  it('a Namespace with an inject annotation: said on it (its pods are judged without the injection)', () => {
    assert.deepEqual(all({ '/ws/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    instrumentation.opentelemetry.io/inject-java: "true"\n    instrumentation.opentelemetry.io/inject-python: "false"\n' }), [
      'ns.yaml 6:51 default injection-not-judged: Namespace shop: its pods are judged without what the operator injects; annotate their pod templates. The operator instruments the pods of this namespace (inject-java: true) that do not say otherwise, but this checker applies only the inject annotations of the pod templates themselves: the pods of this namespace are judged without what the operator injects. Annotate their pod templates to have them judged with it.',
    ]);
  });

  it('inject-java into a container whose JAVA_TOOL_OPTIONS comes from valueFrom: the operator skips it (injection-rejected)', () => {
    const files = {
      '/ws/instr.yaml': instrumentation('java', 'shop', GRPC_ENDPOINT),
      '/ws/app.yaml': deployment(JAVA, `${APP}          env:\n            - name: JAVA_TOOL_OPTIONS\n              valueFrom:\n                configMapKeyRef: {name: jvm, key: opts}\n`),
    };
    assert.deepEqual(all(files).filter((l) => l.startsWith('app.yaml')), [
      'app.yaml 10:55 default injection-rejected: container app of Deployment shop/checkout: inject-java: the operator skips this container (JAVA_TOOL_OPTIONS from valueFrom): set it with value:. env[0] JAVA_TOOL_OPTIONS comes from valueFrom configMapKeyRef jvm/opts, and the operator skips the Java agent\'s injection into such a container ("the container defines env var value via ValueFrom, envVar: JAVA_TOOL_OPTIONS"): it runs uninstrumented. Set JAVA_TOOL_OPTIONS with value:, or leave it to the operator.',
    ]);
  });

  it('"false", and a pod the operator has already instrumented (its init container), get no injection', () => {
    const instr = { '/ws/instr.yaml': instrumentation('java', 'shop', GRPC_ENDPOINT) };
    assert.deepEqual(apps({ ...instr, '/ws/app.yaml': deployment('        instrumentation.opentelemetry.io/inject-java: "false"\n', APP) }).length, 1);
    const done = deployment(JAVA, `${APP}      initContainers:\n        - name: opentelemetry-auto-instrumentation-java\n          image: agent\n`);
    assert.deepEqual(apps({ ...instr, '/ws/app.yaml': done }).length, 1);
  });
});

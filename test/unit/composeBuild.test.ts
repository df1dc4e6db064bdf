/**
 * A compose service that builds its image (`build:`): the Dockerfile's final stage (or `build.target`) ENV, and
 * the java command of its ENTRYPOINT/CMD unless the service's `entrypoint:`/`command:` replaces it, are the
 * service's lowest layer: `environment` and `env_file` win over the image's ENV, as Docker applies them (facts:
 * docs/facts/compose-docker.md §7). One app, the service: the Dockerfile is judged as its part, in its own file,
 * and not again on its own. Whole lists of problems of every file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkWorkspace } from '../support/workspaceCheck';

function all(files: Record<string, string>): string[] {
  const checked = checkWorkspace(files);
  const out: string[] = [];
  for (const [path, problems] of checked.problems) problems.forEach((p, i) => out.push(`${path.slice(4)} ${checked.summary(path)[i]} ${p.severity ?? 'default'}: ${p.message}`));
  return out;
}

const DOCKERFILE =
  'FROM eclipse-temurin:21\nENV OTEL_EXPORTER_OTLP_ENDPOINT=https://old:4317 OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nENV OTEL_EXPORTER_OTLP_TRACES_ENDPOINT http://other:4317\nCMD ["java", "-Dotel.exporter.otlp.protocol=http/protobuf", "-jar", "app.jar"]\n';

describe('compose build: the image the service runs', () => {
  it("environment wins over the image's ENV; the java command's properties win over both; one app", () => {
    const files = { '/ws/compose.yaml': 'services:\n  shop:\n    build: ./shop\n    environment:\n      OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:4318\n', '/ws/shop/Dockerfile': DOCKERFILE };
    const checked = checkWorkspace(files);
    const shop = checked.index.apps().find((a) => a.path === '/ws/compose.yaml')!.unit;
    assert.deepEqual(
      shop.settings.map((s) => `${s.written}=${s.value}`),
      ['OTEL_EXPORTER_OTLP_ENDPOINT=https://old:4317', 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://other:4317', 'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318', 'otel.exporter.otlp.protocol=http/protobuf'],
    );
    assert.equal(shop.sdk, 'java');
    // The image's ENDPOINT (4317) is replaced by the service's, so it is not judged; its traces endpoint is, with the
    // system property's protocol, in the Dockerfile. Said once: the Dockerfile is judged as the service's part only.
    assert.deepEqual(all(files), [
      'shop/Dockerfile 3:40 invalid-value warning: A per-signal endpoint is used as written: traces go to http://other:4317/, not to http://other:4317/v1/traces. Append /v1/traces, or set OTEL_EXPORTER_OTLP_ENDPOINT instead (the SDK appends the path to it).',
      'shop/Dockerfile 3:40 port-protocol-mismatch default: OTLP/HTTP sent to the gRPC port 4317: use port 4318, or set the protocol to grpc. otel.exporter.otlp.protocol=http/protobuf for traces: the exporter sends HTTP requests to a gRPC listener, which fails (typically "malformed HTTP response").',
    ]);
    assert.deepEqual(checked.service.tlsMap().nodes.filter((n) => n.kind === 'app').map((n) => n.label), ['shop']);
  });

  it("a file the image's ENV or an env_file names, which the service's environment replaces, is never read: no file-not-found for it", () => {
    const files = {
      '/ws/compose.yaml': 'services:\n  shop:\n    build: ./shop\n    env_file: shop.env\n    environment:\n      OTEL_EXPORTER_OTLP_ENDPOINT: https://collector:4318\n      OTEL_EXPORTER_OTLP_CERTIFICATE: /ws/ca.crt\n      OTEL_EXPORTER_OTLP_CLIENT_KEY: /ws/client.key\n',
      '/ws/shop/Dockerfile': 'FROM node:22\nENV OTEL_EXPORTER_OTLP_CERTIFICATE=/image/ca.crt\n',
      '/ws/shop.env': 'OTEL_EXPORTER_OTLP_CLIENT_KEY=/missing/client.key\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/missing/client.crt\n',
    };
    // Only the env_file's client certificate, which nothing replaces, is looked for (and missing); the replaced CA and
    // key of the image and the env_file are not; the service's own files are.
    assert.deepEqual(all(files).map((l) => l.split(': ')[0]), [
      'compose.yaml 6:36 no-listener default',
      'compose.yaml 6:36 port-protocol-mismatch information',
      'compose.yaml 7:39 file-not-found default',
      'compose.yaml 8:38 file-not-found default',
      'shop.env 2:39 file-not-found default',
    ]);
  });

  it('build.target picks the stage; command: replaces the image CMD (its java properties go); dockerfile is relative to the context', () => {
    const files = {
      '/ws/compose.yaml': 'services:\n  shop:\n    build:\n      context: shop\n      dockerfile: docker/App.Dockerfile\n      target: base\n    command: ["./run.sh"]\n',
      '/ws/shop/docker/App.Dockerfile': 'FROM eclipse-temurin:21 AS base\nENV OTEL_EXPORTER_OTLP_ENDPOINT=http://base:4318\nFROM base\nENV OTEL_EXPORTER_OTLP_ENDPOINT=http://final:4318\nCMD ["java", "-Dotel.exporter.otlp.protocol=grpc", "-jar", "app.jar"]\n',
    };
    const checked = checkWorkspace(files);
    assert.deepEqual(checked.index.apps().find((a) => a.path === '/ws/compose.yaml')!.unit.settings.map((s) => `${s.written}=${s.value}`), ['OTEL_EXPORTER_OTLP_ENDPOINT=http://base:4318']);
    assert.deepEqual(all(files).map((l) => l.split(': ')[0]), ['shop/docker/App.Dockerfile 2:33 port-protocol-mismatch information']);
  });

  it("the service's own java command (command:, entrypoint:, a string or a list): its -D properties win over the environment", () => {
    const files = {
      '/ws/compose.yaml': 'services:\n  shop:\n    build: ./shop\n    command: java -javaagent:/otel/opentelemetry-javaagent.jar -Dotel.exporter.otlp.protocol=grpc -jar app.jar\n    environment:\n      OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:4318\n',
      '/ws/shop/Dockerfile': 'FROM x\nCMD ["java", "-Dotel.exporter.otlp.protocol=http/protobuf", "-jar", "app.jar"]\n',
    };
    const checked = checkWorkspace(files);
    const shop = checked.index.apps().find((a) => a.path === '/ws/compose.yaml')!.unit;
    assert.deepEqual(shop.settings.map((s) => `${s.written}=${s.value} ${s.layer ?? 'env'}`), ['OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 env', 'otel.exporter.otlp.protocol=grpc system-property']);
    assert.equal(shop.sdk, 'java-agent');
    assert.deepEqual(all(files), [
      'compose.yaml 6:36 port-protocol-mismatch default: gRPC sent to the OTLP/HTTP port 4318: use port 4317, or set the protocol to http/protobuf. otel.exporter.otlp.protocol=grpc: a gRPC client cannot talk to an OTLP/HTTP listener.',
    ]);
  });

  it('entrypoint: replaces both ENTRYPOINT and CMD; without a Dockerfile in the workspace the service is judged alone, and says so', () => {
    const files = { '/ws/compose.yaml': 'services:\n  shop:\n    build: ./shop\n    entrypoint: ["/bin/app"]\n', '/ws/shop/Dockerfile': 'FROM x\nENTRYPOINT ["java", "-Dotel.exporter.otlp.endpoint=http://agent:4318", "-jar", "a.jar"]\n' };
    assert.deepEqual(checkWorkspace(files).index.apps().find((a) => a.path === '/ws/compose.yaml')!.unit.settings, []);
    const alone = checkWorkspace({ '/ws/compose.yaml': 'services:\n  shop:\n    build:\n      context: ./missing\n    environment:\n      - OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318\n' });
    assert.deepEqual(alone.index.apps()[0].unit.parts, undefined);
    // Said on build: the image's ENV is not known (an OTel app: it sets OTEL_* variables).
    assert.deepEqual(alone.summary('/ws/compose.yaml'), ['3:5 unresolved-substitution', '6:37 port-protocol-mismatch']);
    assert.equal(
      alone.problems.get('/ws/compose.yaml')![0].message,
      "build of service shop: the image's ENV, which may set OTEL_* variables, is not checked: add its Dockerfile here. The Dockerfile of the image it runs: missing/Dockerfile is not in the workspace. Environment and env_file take precedence over its ENV.",
    );
    // A service with no OTEL_* setting of its own (a database) is not an OTel app: nothing said.
    assert.deepEqual(checkWorkspace({ '/ws/compose.yaml': 'services:\n  db:\n    build: ./db\n' }).summary('/ws/compose.yaml'), []);
  });
});

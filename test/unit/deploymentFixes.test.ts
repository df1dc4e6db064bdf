/**
 * Quick fixes on the new surfaces edit each format in its own syntax: the whole text after the edit is
 * compared (compose list and map forms, Dockerfile ENV and exec-form ENTRYPOINT, a shell `java` line, a
 * JVM options value, a `.properties` file, the declarative config).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applied, fixesFor } from '../support/features';

function fix(text: string, code: string, path: string, title?: RegExp): string {
  const { actions, document } = fixesFor(text, code, { path });
  const action = title ? actions.find((a) => title.test(a.title)) : actions[0];
  assert.ok(action, `no action ${title ?? ''} among ${JSON.stringify(actions.map((a) => a.title))}`);
  return applied(document, action!);
}

describe('quick fixes on deployment surfaces', () => {
  it('compose list form: rename a misspelt variable', () => {
    const text = 'services:\n  app:\n    environment:\n      - OTEL_EXPORTER_OTLP_ENDPONT=https://c:4317\n';
    assert.equal(fix(text, 'unknown-variable', '/w/compose.yaml'), 'services:\n  app:\n    environment:\n      - OTEL_EXPORTER_OTLP_ENDPOINT=https://c:4317\n');
  });

  it('compose map form: http:// to https:// for a certificate that plaintext never reads', () => {
    const text = 'services:\n  app:\n    environment:\n      OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4317"\n      OTEL_EXPORTER_OTLP_CERTIFICATE: /etc/ca.crt\n';
    const out = fix(text, 'tls-ignored', '/w/compose.yaml', /https/);
    assert.equal(out, 'services:\n  app:\n    environment:\n      OTEL_EXPORTER_OTLP_ENDPOINT: "https://c:4317"\n      OTEL_EXPORTER_OTLP_CERTIFICATE: /etc/ca.crt\n');
  });

  it('Dockerfile exec form: rename a -D property in its JSON string, in property form', () => {
    const text = 'FROM x\nENTRYPOINT ["java", "-Dotel.exporter.otlp.certficate=/c.crt", "-jar", "app.jar"]\n';
    assert.equal(fix(text, 'unknown-variable', '/w/Dockerfile'), 'FROM x\nENTRYPOINT ["java", "-Dotel.exporter.otlp.certificate=/c.crt", "-jar", "app.jar"]\n');
  });

  it("compose command: rename a -D property of the service's java command, in a flow list, a block list and a string", () => {
    const flow = 'services:\n  app:\n    command: ["java", "-Dotel.exporter.otlp.certficate=/c.crt", "-jar", "app.jar"]\n';
    assert.equal(fix(flow, 'unknown-variable', '/w/compose.yaml'), flow.replace('certficate', 'certificate'));
    const block = 'services:\n  app:\n    entrypoint:\n      - java\n      - -Dotel.exporter.otlp.certficate=/c.crt\n      - -jar\n      - app.jar\n';
    assert.equal(fix(block, 'unknown-variable', '/w/compose.yaml'), block.replace('certficate', 'certificate'));
    const string = 'services:\n  app:\n    command: java -javaagent:/otel.jar -Dotel.exporter.otlp.certficate=/c.crt -jar app.jar\n';
    assert.equal(fix(string, 'unknown-variable', '/w/compose.yaml'), string.replace('certficate', 'certificate'));
    // sh -c "java …": the words of the string, inside its quotes.
    const shell = 'services:\n  app:\n    command: ["sh", "-c", "exec java -Dotel.exporter.otlp.certficate=/c.crt -jar app.jar"]\n';
    assert.equal(fix(shell, 'unknown-variable', '/w/compose.yaml'), shell.replace('certficate', 'certificate'));
  });

  it('compose: an entrypoint [sh, -c] with the script in command is read as one command line', () => {
    const split = 'services:\n  app:\n    entrypoint: [sh, -c]\n    command: ["java -Dotel.exporter.otlp.certficate=/c.crt -jar app.jar"]\n';
    assert.equal(fix(split, 'unknown-variable', '/w/compose.yaml'), split.replace('certficate', 'certificate'));
  });

  it('Kubernetes container command: add the endpoint as a new list item, and in a sh -c script as a word beside its neighbour', () => {
    const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: x\n';
    const block = `${head}      command:\n        - java\n        - -Dotel.exporter.otlp.certificate=/c.crt\n        - -jar\n        - app.jar\n`;
    assert.equal(
      fix(block, 'tls-ignored', '/w/pod.yaml'),
      `${head}      command:\n        - java\n        - "-Dotel.exporter.otlp.endpoint=https://localhost:4317"\n        - -Dotel.exporter.otlp.certificate=/c.crt\n        - -jar\n        - app.jar\n`,
    );
    const script = `${head}      command: [/bin/sh, -c]\n      args: ["exec java -Dotel.exporter.otlp.certificate=/c.crt -jar app.jar"]\n`;
    assert.equal(fix(script, 'tls-ignored', '/w/pod.yaml'), script.replace('exec java -D', 'exec java -Dotel.exporter.otlp.endpoint=https://localhost:4317 -D'));
  });

  it('compose command: add the endpoint for a certificate with no endpoint, as a new list item laid out like its neighbour', () => {
    const block = 'services:\n  app:\n    command:\n      - java\n      - -Dotel.exporter.otlp.certificate=/c.crt\n      - -jar\n      - app.jar\n';
    assert.equal(
      fix(block, 'tls-ignored', '/w/compose.yaml'),
      'services:\n  app:\n    command:\n      - java\n      - "-Dotel.exporter.otlp.endpoint=https://localhost:4317"\n      - -Dotel.exporter.otlp.certificate=/c.crt\n      - -jar\n      - app.jar\n',
    );
  });

  it('Dockerfile ENV: rename a variable of a multi-variable ENV line', () => {
    const text = 'FROM x\nENV A=1 OTEL_EXPORTER_OTLP_TRACE_ENDPOINT=https://c:4318/v1/traces\n';
    assert.equal(fix(text, 'unknown-variable', '/w/Dockerfile'), 'FROM x\nENV A=1 OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://c:4318/v1/traces\n');
  });

  it('shell script: add the endpoint for a certificate with no endpoint, as a -D word on the java line', () => {
    const text = 'java -javaagent:/opentelemetry-javaagent.jar -Dotel.exporter.otlp.certificate=/c.crt -jar app.jar\n';
    const out = fix(text, 'tls-ignored', '/w/run.sh');
    assert.equal(out, 'java -javaagent:/opentelemetry-javaagent.jar -Dotel.exporter.otlp.endpoint=https://localhost:4318 -Dotel.exporter.otlp.certificate=/c.crt -jar app.jar\n');
  });

  it('JVM options value (JAVA_TOOL_OPTIONS in an env file): rename inside the quoted value', () => {
    const text = 'JAVA_TOOL_OPTIONS="-javaagent:/opentelemetry-javaagent.jar -Dotel.exporter.otlp.endpont=https://c:4318"\n';
    assert.equal(fix(text, 'unknown-variable', '/w/app.env'), 'JAVA_TOOL_OPTIONS="-javaagent:/opentelemetry-javaagent.jar -Dotel.exporter.otlp.endpoint=https://c:4318"\n');
  });

  it('.properties: rename a key, and http:// to https://', () => {
    const text = 'otel.exporter.otlp.endpoint = http://c:4318\notel.exporter.otlp.client.cert=/c.crt\notel.exporter.otlp.certificate=/ca.crt\n';
    assert.equal(fix(text, 'unknown-variable', '/w/agent.properties'), 'otel.exporter.otlp.endpoint = http://c:4318\notel.exporter.otlp.client.certificate=/c.crt\notel.exporter.otlp.certificate=/ca.crt\n');
    const scheme = fix(text, 'tls-ignored', '/w/agent.properties', /https/);
    assert.equal(scheme, 'otel.exporter.otlp.endpoint = https://c:4318\notel.exporter.otlp.client.cert=/c.crt\notel.exporter.otlp.certificate=/ca.crt\n');
  });

  it('declarative config: rename a misspelt key, and http:// to https:// on the endpoint scalar', () => {
    const text = 'file_format: "1.0"\ntracer_provider:\n  processors:\n    - batch:\n        exporter:\n          otlp_http:\n            endpoint: http://c:4318/v1/traces\n            tls:\n              ca_flie: /ca.crt\n              ca_file: /ca.crt\n';
    assert.equal(fix(text, 'unknown-key', '/w/sdk.yaml'), text.replace('ca_flie', 'ca_file'));
    assert.equal(fix(text, 'tls-ignored', '/w/sdk.yaml', /https/), text.replace('http://c', 'https://c'));
  });
});

/**
 * App settings from Kubernetes workloads: every container and init container with OTEL_* variables is
 * an app unit, its env read as the kubelet sets it ($(VAR) from earlier entries, $$ escapes, valueFrom and
 * envFrom unknown here), messages naming the setting as written, and fixes editing the YAML list.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applied, fixesFor } from '../support/features';
import { check, expectProblems, summary, workspaceOf } from '../support/check';
import { marked } from '../support/markers';

const path = '/work/k8s/checkout.yaml';

function deployment(env: string, extra = ''): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: shop/checkout:1\n          env:\n${env}${extra}`;
}

function fix(text: string, code: string, title: RegExp, options: Parameters<typeof fixesFor>[2] = {}): string {
  const { actions, document } = fixesFor(text, code, { path, ...options });
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no action matching ${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
  return applied(document, action);
}

describe('workload containers as app units', () => {
  it('runs the env checks on env[].name/value, named as written, on the exact value', () => {
    const problems = expectProblems(
      deployment('            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: ⟦"http://collector:4318"⟧\n            - name: OTEL_EXPORTER_OTLP_PROTOCOL\n              value: grpc\n'),
      ['port-protocol-mismatch'],
      { path },
    );
    assert.match(problems[0].message, /^container app of Deployment shop\/checkout: gRPC sent to the OTLP\/HTTP port 4318: .*env\[1\] OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
  });

  it('every workload kind, containers and initContainers, one unit each', () => {
    const env = (name: string, indent: string) =>
      `${indent}env:\n${indent}  - name: ⟦OTEL_EXPORTER_OTLP_ENDPONT⟧\n${indent}    value: http://${name}:4318\n`;
    const template = (kind: string, name: string, host: string) =>
      `---\napiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n${env(host, '          ')}`;
    const text =
      'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n' +
      `          initContainers:\n            - name: setup\n${env('a', '              ')}          containers:\n            - name: run\n${env('b', '              ')}` +
      `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n${env('c', '      ')}` +
      template('StatefulSet', 's', 'd') + template('DaemonSet', 'd', 'e') + template('ReplicaSet', 'r', 'f') + template('Job', 'j', 'g').replace('apps/v1', 'batch/v1');
    const problems = expectProblems(text, 'unknown-variable', { path });
    assert.deepEqual(
      problems.map((p) => p.message.slice(0, p.message.indexOf(':'))),
      ['init container setup of CronJob nightly', 'container run of CronJob nightly', 'container c of Pod p', 'container c of StatefulSet s', 'container c of DaemonSet d', 'container c of ReplicaSet r', 'container c of Job j'],
    );
    assert.match(problems[0].message, /Unknown variable env\[0\] OTEL_EXPORTER_OTLP_ENDPONT/);
  });

  it('a container without OTEL_* variables is no unit; a kind: List is read item by item', () => {
    const { parsed } = workspaceOf([{ path, text: deployment('            - name: PORT\n              value: "8080"\n') }]);
    assert.equal(parsed[0].apps.length, 0);
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      containers:\n        - name: c\n          env:\n            - name: ⟦OTEL_EXPORTER_OTLP_ENDPONT⟧\n              value: http://x:4318\n';
    expectProblems(list, ['unknown-variable'], { path });
  });

  it('$(VAR) from an earlier entry is expanded as the kubelet does, $$ escapes', () => {
    const text = deployment(
      '            - name: COLLECTOR\n              value: collector.otel.svc\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: ⟦http://$(COLLECTOR):4318⟧\n            - name: OTEL_EXPORTER_OTLP_PROTOCOL\n              value: grpc\n            - name: OTEL_RESOURCE_ATTRIBUTES\n              value: ⟦a=$$(COLLECTOR),b=1⟧\n',
    );
    const { parsed } = workspaceOf([{ path, text: marked(text).text }]);
    const values = parsed[0].apps[0].settings.map((s) => [s.name, s.value]);
    assert.deepEqual(values, [['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://collector.otel.svc:4318'], ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'], ['OTEL_RESOURCE_ATTRIBUTES', 'a=$(COLLECTOR),b=1']]);
    // The expanded endpoint is judged (the whole written value is its span: the expansion changed it).
    expectProblems(text.replace('⟦a=$$(COLLECTOR),b=1⟧', () => 'a=$$(COLLECTOR),b=1'), ['port-protocol-mismatch'], { path });
  });

  it('a $(VAR) defined only later stays as written: a warning, and the value is unknown', () => {
    const problems = expectProblems(
      deployment('            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: ⟦https://$(COLLECTOR):4317⟧\n            - name: COLLECTOR\n              value: collector\n'),
      ['unresolved-substitution'],
      { path },
    );
    assert.equal(problems[0].severity, 'warning');
    assert.match(problems[0].message, /env\[0\] OTEL_EXPORTER_OTLP_ENDPOINT uses \$\(COLLECTOR\), which is defined later \(env\[1\]\): Kubernetes expands only variables defined before/);
  });

  it('valueFrom, a $(VAR) of one and envFrom are unknown here: information, never an error', () => {
    const problems = expectProblems(
      deployment(
        '            - name: NODE_IP\n              valueFrom:\n                fieldRef:\n                  fieldPath: status.hostIP\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: ⟦http://$(NODE_IP):4317⟧\n            - name: OTEL_EXPORTER_OTLP_CERTIFICATE\n              ⟦valueFrom⟧:\n                secretKeyRef:\n                  name: otel\n                  key: ca-path\n            - name: OTEL_SERVICE_NAME\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.labels[\'app\']\n',
        '          envFrom:\n            - ⟦configMapRef⟧:\n                name: otel-env\n',
      ),
      ['unresolved-substitution', 'unresolved-substitution', 'unresolved-substitution'],
      { path },
    );
    assert.deepEqual(problems.map((p) => p.severity ?? 'information'), ['information', 'information', 'information']);
    assert.match(problems[0].message, /depends on \$\(NODE_IP\), whose value only the cluster knows, so the checks that need its value are skipped/);
    assert.match(problems[1].message, /comes from valueFrom secretKeyRef otel\/ca-path/);
    assert.match(problems[2].message, /envFrom configMapRef otel-env: its variables are known only in the cluster/);
  });

  it('certificate files come from the container\'s mounts', () => {
    const problems = expectProblems(
      deployment(
        '            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: ⟦https://collector:4317⟧\n            - name: OTEL_EXPORTER_OTLP_CERTIFICATE\n              value: ⟦/etc/otel/ca/ca.crt⟧\n',
        '          volumeMounts:\n            - name: ca\n              mountPath: /etc/otel/ca\n              readOnly: true\n      volumes:\n        - name: ca\n          configMap:\n            name: otel-ca\n',
      ),
      // 4317 with no protocol and no SDK named: the information every env file gets; no collector in the workspace.
      [['no-listener', 'port-protocol-mismatch'], 'container-path'],
      { path },
    );
    assert.match(problems[2].message, /env\[1\] OTEL_EXPORTER_OTLP_CERTIFICATE: a path in the container, not checked here; .*"\/etc\/otel\/ca\/ca.crt" is a path in the container, from ConfigMap otel-ca mounted at \/etc\/otel\/ca/);
  });
});

describe('fixes edit the env list', () => {
  const env = '            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: "https://collector:4318"\n            - name: OTEL_EXPORTER_OTLP_PROTOCOL\n              value: grpc\n';

  it('rename the variable', () => {
    const text = deployment('            - name: OTEL_EXPORTER_OTLP_CERTIFCATE\n              value: /c/ca.crt\n');
    assert.equal(fix(text, 'unknown-variable', /Rename .* to OTEL_EXPORTER_OTLP_CERTIFICATE$/), text.replace('CERTIFCATE', 'CERTIFICATE'));
  });

  it('set a value, and change the port in a quoted value', () => {
    const text = deployment(env);
    assert.equal(fix(text, 'port-protocol-mismatch', /^Set env\[1\] OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf/), text.replace('value: grpc', 'value: http/protobuf'));
    assert.equal(fix(text, 'port-protocol-mismatch', /Change the port to 4317/), text.replace('collector:4318', 'collector:4317'));
  });

  it('add a variable: a new item laid out like its neighbour, the value quoted where YAML would not read a string', () => {
    const text = deployment('          - name: OTEL_EXPORTER_OTLP_ENDPOINT\n            value: http://collector:4317\n');
    const fixed = fix(text, 'port-protocol-mismatch', /Add OTEL_EXPORTER_OTLP_PROTOCOL=grpc/, { settings: { sdk: 'java-agent' } });
    assert.equal(fixed, text.replace('          - name: OTEL_EXPORTER_OTLP_ENDPOINT', '          - name: OTEL_EXPORTER_OTLP_PROTOCOL\n            value: grpc\n          - name: OTEL_EXPORTER_OTLP_ENDPOINT'));
    const flow = deployment('            - {name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://collector:4317"}\n');
    assert.equal(
      fix(flow, 'port-protocol-mismatch', /Add OTEL_EXPORTER_OTLP_PROTOCOL=grpc/, { settings: { sdk: 'java-agent' } }),
      flow.replace('            - {name', '            - {name: OTEL_EXPORTER_OTLP_PROTOCOL, value: grpc}\n            - {name'),
    );
  });

  it('remove a variable: its whole item', () => {
    const text = deployment('            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: https://collector:4317\n            - name: OTEL_EXPORTER_OTLP_INSECURE\n              value: "true"\n            - name: OTEL_SERVICE_NAME\n              value: checkout\n');
    assert.equal(fix(text, 'tls-ignored', /^Remove env\[1\] OTEL_EXPORTER_OTLP_INSECURE/), text.replace('            - name: OTEL_EXPORTER_OTLP_INSECURE\n              value: "true"\n', ''));
  });

  it('a manifest with a syntax error outside any unit gets yaml-syntax', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: ⟦{⟧\nspec:\n  containers: []\n';
    assert.deepEqual(summary(check(marked(text).text, { path })).map((s) => s.split('@')[0]), ['yaml-syntax']);
  });
});

describe('a container whose command runs java: its -D properties and -javaagent', () => {
  const javaContainer = (command: string, env = '') =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: shop/orders:1\n${env}${command}`;

  it('are the app\'s settings, located in their items, and the agent names the SDK; $(VAR) expands from the env', () => {
    const text = javaContainer(
      '          command:\n            - java\n            - -javaagent:/otel/opentelemetry-javaagent.jar\n            - "-Dotel.exporter.otlp.endpoint=https://$(COLLECTOR):4317"\n            - -Dotel.exporter.otlp.protocol=grpc\n          args: ["-Dotel.service.name=orders", "-jar", "/app.jar", "-Dotel.not.a.jvm.option=1"]\n',
      '          env:\n            - name: COLLECTOR\n              value: otel-collector.shop.svc\n',
    );
    const { parsed } = workspaceOf([{ path, text }]);
    const [unit] = parsed[0].apps;
    assert.equal(unit.sdk, 'java-agent');
    assert.deepEqual(unit.settings.map((s) => `${s.name}=${s.value} @${text.slice(s.valueOffset, s.valueOffset + s.valueLength)}`), [
      'OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.shop.svc:4317 @https://$(COLLECTOR):4317',
      'OTEL_EXPORTER_OTLP_PROTOCOL=grpc @grpc',
      'OTEL_SERVICE_NAME=orders @orders',
    ]);
    assert.deepEqual(unit.settings.map((s) => s.written), ['otel.exporter.otlp.endpoint', 'otel.exporter.otlp.protocol', 'otel.service.name']);
  });

  it('a misspelt property gets unknown-variable on its key, and the rename fix edits the item', () => {
    const text = javaContainer('          command: [java, -javaagent:/otel/opentelemetry-javaagent.jar, -Dotel.exporter.otlp.certficate=/etc/ca.crt, -jar, /app.jar]\n');
    const problems = expectProblems(text.replace('otel.exporter.otlp.certficate', '⟦otel.exporter.otlp.certficate⟧'), ['unknown-variable'], { path });
    assert.match(problems[0].message, /Did you mean otel\.exporter\.otlp\.certificate\?/);
    assert.match(fix(text, 'unknown-variable', /otel\.exporter\.otlp\.certificate/), /command: \[java, -javaagent:\/otel\/opentelemetry-javaagent\.jar, -Dotel\.exporter\.otlp\.certificate=\/etc\/ca\.crt, -jar/);
  });

  it('a command that is not java, or args without a command (the image decides), is not read (no unit without OTEL_* variables)', () => {
    for (const command of ['          command: [/bin/app, -Dotel.exporter.otlp.endpoint=http://x:4317]\n', '          args: [java, -Dotel.exporter.otlp.endpoint=http://x:4317, -jar, /app.jar]\n']) {
      const { parsed } = workspaceOf([{ path, text: javaContainer(command) }]);
      assert.deepEqual(parsed[0].apps, []);
    }
  });

  it('a shell running java (sh -c "java …", in command or in args) is read: its properties located in the script', () => {
    const script = 'exec java -javaagent:/otel/opentelemetry-javaagent.jar -Dotel.exporter.otlp.endpoint=https://collector.shop.svc:4317 -Dotel.exporter.otlp.protocol=grpc -jar /app.jar';
    for (const command of [`          command: [sh, -c, "${script}"]\n`, `          command: ["/bin/sh", "-c"]\n          args:\n            - ${script}\n`]) {
      const text = javaContainer(command);
      const { parsed } = workspaceOf([{ path, text }]);
      const [unit] = parsed[0].apps;
      assert.ok(unit, command);
      assert.equal(unit.sdk, 'java-agent');
      assert.deepEqual(unit.settings.map((s) => `${s.name}=${s.value} @${text.slice(s.valueOffset, s.valueOffset + s.valueLength)}`), [
        'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector.shop.svc:4317 @https://collector.shop.svc:4317',
        'OTEL_EXPORTER_OTLP_PROTOCOL=grpc @grpc',
      ]);
    }
  });

  it('a misspelt property in a sh -c script gets unknown-variable on its key, and the rename fix edits the script in place', () => {
    const text = javaContainer('          command: [sh, -c, "java -Dotel.exporter.otlp.certficate=/etc/ca.crt -jar /app.jar"]\n');
    expectProblems(text.replace('otel.exporter.otlp.certficate', '⟦otel.exporter.otlp.certficate⟧'), ['unknown-variable'], { path });
    assert.match(fix(text, 'unknown-variable', /otel\.exporter\.otlp\.certificate/), /command: \[sh, -c, "java -Dotel\.exporter\.otlp\.certificate=\/etc\/ca\.crt -jar \/app\.jar"\]/);
  });

  it('in a script, $(VAR) is the kubelet\'s (expanded from env) and the shell\'s own $VAR is not known here (never a false file-not-found)', () => {
    const env = '          env:\n            - name: CA\n              value: /etc/otel/ca.crt\n';
    const text = javaContainer('          command: [sh, -c]\n          args: ["java -Dotel.exporter.otlp.certificate=$(CA) -Dotel.exporter.otlp.client.certificate=$CLIENT_CRT -jar /app.jar"]\n', env);
    const { parsed } = workspaceOf([{ path, text }]);
    assert.deepEqual(parsed[0].apps[0].settings.filter((s) => s.layer === 'system-property').map((s) => `${s.name}=${s.value}`), [
      'OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/ca.crt',
      'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=undefined',
    ]);
  });

});

/** Bad input to the core: every case is answered, quickly bounded, never thrown. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, summary } from '../support/check';
import { marked as mark } from '../support/markers';

describe('bad input', () => {
  it('an empty or blank file gives nothing', () => {
    assert.deepEqual(check(''), []);
    assert.deepEqual(check('\n\n   \n'), []);
  });
  it('a file over the size bound gives file-too-large, unparsed', () => {
    assert.deepEqual(summary(check('receivers:\n' + '#\n'.repeat(1_500_000))), ['file-too-large@0-0']);
  });
  it('deeply nested flow and block collections do not overflow the stack', () => {
    const flow = 'receivers:\n  x: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n';
    assert.doesNotThrow(() => check(flow));
    let block = 'receivers:\n';
    for (let i = 0; i < 3000; i++) block += ' '.repeat(i + 2) + `k${i}:\n`;
    assert.doesNotThrow(() => check(block));
  });
  it('an alias bomb is walked within a bound and the real block is still checked', () => {
    let text = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) {
      text += `${name}: &${name} [${Array(10).fill('*' + prev).join(', ')}]\n`;
    }
    text += 'exporters:\n  otlp:\n    endpoint: c:4317\n    payload: *g\n    tls:\n      insecure_skip_verify: true\n';
    assert.deepEqual(check(text).map((p) => p.code), ['insecure-skip-verify']);
  });
  it('a self-referencing merge does not loop', () => {
    assert.doesNotThrow(() => check('exporters:\n  otlp: &o\n    endpoint: c:4317\n    tls:\n      <<: *o\n'));
  });
  it('a value with 140,000 malformed header members gets a problem for each, not a stack overflow', () => {
    // More problems than a spread call takes arguments (about 125,000 in Node 20); 500 are listed, and the
    // too-many-problems notice counts the others (server/src/service/problemCap.ts).
    const problems = check('OTEL_EXPORTER_OTLP_HEADERS=' + 'a,'.repeat(140_000) + 'b=1\n', { path: '/work/app.env' });
    assert.equal(problems.length, 501);
    assert.equal(problems.filter((p) => p.code === 'invalid-value').length, 500);
    assert.match(problems.find((p) => p.code === 'too-many-problems')!.message, /^139,500 more problems are not listed: only 500 of this file's 140,000 are\./);
  });
  it('a mapping of 40,000 keys is parsed in linear time, its duplicate key still found', () => {
    // The yaml library's own unique-key check is quadratic: this took 18 s with it.
    let text = 'processors:\n  batch:\n';
    for (let i = 0; i < 40_000; i++) text += `    k${i}: 1\n`;
    const { text: marked, ranges } = mark(`${text}    ⟦k7⟧: 2\n`);
    assert.deepEqual(summary(check(marked)), [`yaml-syntax@${ranges[0][0]}-${ranges[0][1]}`]);
  });
  it('binary garbage is answered with yaml-syntax or nothing, never a throw', () => {
    const bytes = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    assert.doesNotThrow(() => check('receivers:\n' + bytes));
  });

  describe('in Kubernetes manifests and Helm values', () => {
    const path = '/work/k8s.yaml';
    it('an alias bomb in an env list and in a v1beta1 spec.config is walked within a bound', () => {
      let bomb = 'x: &a [x, x, x, x, x, x, x, x, x, x]\n';
      for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) bomb += `${name}: &${name} [${Array(10).fill('*' + prev).join(', ')}]\n`;
      const manifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  bomb:\n${bomb.trimEnd().replace(/^/gm, '    ')}\nspec:\n  containers:\n    - name: c\n      env: *g\n      envFrom: *g\n      volumeMounts: *g\n    - name: d\n      env: [{name: OTEL_EXPORTER_OTLP_ENDPONT, value: x}]\n`;
      assert.deepEqual(check(manifest, { path }).map((p) => p.code), ['unknown-variable']);
      const collector = `apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata:\n  name: c\nspec:\n  config:\n${bomb.trimEnd().replace(/^/gm, '    ')}\n    exporters:\n      otlp:\n        payload: *g\n        tls:\n          insecure_skip_verify: true\n`;
      assert.deepEqual(check(collector, { path }).map((p) => p.code), ['insecure-skip-verify']);
    });
    it('5,000 documents, a kind: List of lists, a list of non-objects, objects with odd types', () => {
      const many = Array.from({ length: 5000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v\n`).join('---\n');
      assert.deepEqual(check(many, { path }), []);
      const odd = 'apiVersion: v1\nkind: List\nitems:\n  - 1\n  - [a]\n  - apiVersion: v1\n    kind: List\n    items: [{apiVersion: v1, kind: Pod, spec: {containers: 7}}]\n---\napiVersion: [1]\nkind: {a: b}\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: [x]\n          env: {OTEL_X: 1}\n        - env:\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: {a: 1}\n            - name: 7\n            - value: x\n---\napiVersion: v1\nkind: ConfigMap\ndata: [1, 2]\n---\napiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nspec:\n  exporter: [x]\n  env: 5\n  java: null\n';
      assert.doesNotThrow(() => check(odd, { path }));
    });
    it('Helm values with hostile shapes: config a list, a null everywhere, an alias merged into config', () => {
      for (const text of ['mode: deployment\nconfig: [1]\n', 'mode: deployment\nconfig: null\nimage: {}\n', 'mode: deployment\nimage: x\nconfig:\n  receivers: ~\n  exporters: ~\n  service: ~\n', 'd: &d {receivers: {otlp: {protocols: {grpc: {tls: {bogus: 1}}}}}}\nmode: deployment\nconfig:\n  <<: *d\n']) {
        assert.doesNotThrow(() => check(text, { path: '/work/values.yaml' }), text);
      }
    });
    it('a ConfigMap value of 1 MB of garbage and a block scalar with odd indentation are answered', () => {
      const garbage = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 90))).join('');
      assert.doesNotThrow(() => check(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: g\ndata:\n  relay: "${garbage.replace(/["\\]/g, '')}"\n`, { path }));
      assert.doesNotThrow(() => check('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: g\ndata:\n  relay: |2\n      receivers:\n    exporters:\n  x: |+\n\n\n', { path }));
    });
  });
});

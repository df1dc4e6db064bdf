/**
 * Inline suppressions (`# otlp-tls-ignore: <code>[,<code>] <reason>`), on the problems of whole files in
 * file offsets: through the language service for collector configs and env files, and through
 * applySuppressions directly for the comment syntax of formats whose sources are still to come
 * (Dockerfile, .properties). Whole lists are compared, suppressed ones included.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Problem } from '../../server/src/service/languageTypes';
import { applySuppressions, commentSyntax, findSuppressions } from '../../server/src/service/project/suppressions';
import { workspaceOf } from '../support/check';
import { marked } from '../support/markers';

/** `code@start-end` of the shown and of the suppressed problems of `text` at `path`, with their reasons. */
function run(path: string, source: string) {
  const { text, ranges } = marked(source);
  const { service, parsed } = workspaceOf([{ path, text }]);
  const result = service.check({ path, text }, parsed[0]);
  return {
    text,
    ranges: ranges.map(([s, e]) => `${s}-${e}`),
    shown: result.problems.map((p) => `${p.code}@${p.offset}-${p.offset + p.length}`),
    suppressed: result.suppressed.map((s) => `${s.problem.code}@${s.problem.offset}-${s.problem.offset + s.problem.length}:${s.suppression.reason ?? '(no reason)'}`),
    messages: result.problems.map((p) => p.message),
  };
}

const SKIP = (reason: string) => `exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      insecure_skip_verify: true # otlp-tls-ignore: insecure-skip-verify ${reason}\n`;

describe('suppressions in collector configs (YAML)', () => {
  it('a comment after the flagged line suppresses it, and keeps its reason', () => {
    const r = run('/w/collector.yaml', SKIP('test collector only'));
    assert.deepEqual(r.shown, []);
    assert.deepEqual(r.suppressed, [`insecure-skip-verify@${r.text.indexOf('insecure_skip')}-${r.text.indexOf('insecure_skip') + 20}:test collector only`]);
  });

  it('a comment alone on the line above suppresses the next line; stacked comments all reach it', () => {
    const r = run(
      '/w/collector.yaml',
      'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      # otlp-tls-ignore: insecure-skip-verify -- the test peer has no CA\n      # otlp-tls-ignore: ⟦invalid-value⟧ kept for the old collector\n      insecure_skip_verify: true\n      min_version: 1.2\n',
    );
    // invalid-value is on the line after, not on the line the comments reach: its code is unused, and shown.
    assert.deepEqual(r.suppressed.map((s) => s.replace(/@\d+-\d+/, '')), ['insecure-skip-verify:the test peer has no CA']);
    assert.deepEqual(r.shown.map((s) => s.split('@')[0]), ['unused-suppression', 'invalid-value']);
    assert.equal(r.shown[0], `unused-suppression@${r.ranges[0]}`);
    assert.equal(r.messages[0], 'Nothing to suppress: no invalid-value on lines 6 and 7. Remove "invalid-value" from this otlp-tls-ignore comment.');
  });

  it('several codes in one comment; an unknown code is unused, with did-you-mean; no reason is a warning', () => {
    const r = run(
      '/w/collector.yaml',
      'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: 1.2\n      insecure_skip_verify: true ⟦# otlp-tls-ignore: insecure-skip-verify, ⟦insecure-skip-verfy⟧⟧\n',
    );
    assert.deepEqual(r.suppressed.map((s) => s.replace(/@\d+-\d+/, '')), ['insecure-skip-verify:(no reason)']);
    assert.deepEqual(r.shown.map((s) => s.split('@')[0]), ['invalid-value', 'suppression-without-reason', 'unused-suppression']);
    assert.equal(r.shown[1], `suppression-without-reason@${r.ranges[1]}`);
    assert.equal(r.shown[2], `unused-suppression@${r.ranges[0]}`);
    assert.equal(r.messages[2], '"insecure-skip-verfy" is not a diagnostic code of otlp-tls, so it suppresses nothing. Did you mean "insecure-skip-verify"?');
    assert.match(r.messages[1], /^Say why this finding is accepted, after the code: "# otlp-tls-ignore: insecure-skip-verify,insecure-skip-verfy <reason>"/);
  });

  it('a # inside a quoted value is not a comment; a comment naming no code is reported', () => {
    const r = run('/w/collector.yaml', 'exporters:\n  otlp:\n    endpoint: "c:4317 # otlp-tls-ignore: x"\n    tls:\n      insecure_skip_verify: ⟦true⟧\n      ⟦# otlp-tls-ignore⟧\n');
    assert.deepEqual(r.suppressed, []);
    assert.deepEqual(r.shown.map((s) => s.split('@')[0]), ['insecure-skip-verify', 'unused-suppression']);
    assert.equal(r.shown[1], `unused-suppression@${r.ranges[1]}`);
    assert.equal(r.messages[1], 'This otlp-tls-ignore comment names no code: write "otlp-tls-ignore: <code>[,<code>] <reason>".');
  });

  it('the suppression codes themselves cannot be suppressed', () => {
    const r = run('/w/collector.yaml', 'exporters:\n  otlp:\n    endpoint: c:4317 # otlp-tls-ignore: unused-suppression why not\n');
    assert.deepEqual(r.shown.map((s) => s.split('@')[0]), ['unused-suppression']);
  });
});

describe('suppressions in env files and shell scripts', () => {
  it('above and after the line; quotes hide a #', () => {
    const r = run(
      '/w/app.env',
      '# otlp-tls-ignore: unknown-variable the old SDK reads it\nOTEL_EXPORTER_OTLP_TRACE_ENDPOINT=https://c:4318/v1/traces\nOTEL_EXPORTER_OTLP_TRACE_HEADERS="a=b # otlp-tls-ignore: unknown-variable"\nexport OTEL_EXPORTER_OTLP_SPAN_ENDPOINT=https://c:4318 # otlp-tls-ignore: unknown-variable legacy\n',
    );
    assert.deepEqual(r.suppressed.map((s) => s.replace(/@\d+-\d+/, '')), ['unknown-variable:the old SDK reads it', 'unknown-variable:legacy']);
    assert.deepEqual(r.shown.map((s) => s.split('@')[0]), ['unknown-variable']);
    assert.equal(r.shown[0].split('@')[1].split('-')[0], String(r.text.indexOf('OTEL_EXPORTER_OTLP_TRACE_HEADERS')));
  });
});

describe('the comment syntax table', () => {
  const problemOn = (text: string, line: number): Problem => {
    const offset = text.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0);
    return { code: 'tls-ignored', offset, length: 3, message: 'm' };
  };

  it('names the syntax of each format by its path', () => {
    const names = ['a/collector.yaml', 'k8s/deploy.yml', 'app/.env', 'run.sh', 'Dockerfile', 'svc/Dockerfile.dev', 'build/app.dockerfile', 'Containerfile', 'otel.properties', 'docker-compose.yaml', 'docs/Dockerfile.md', 'something.else'].map((p) => `${p}:${commentSyntax(p).name}`);
    assert.deepEqual(names, ['a/collector.yaml:yaml', 'k8s/deploy.yml:yaml', 'app/.env:shell', 'run.sh:shell', 'Dockerfile:dockerfile', 'svc/Dockerfile.dev:dockerfile', 'build/app.dockerfile:dockerfile', 'Containerfile:dockerfile', 'otel.properties:properties', 'docker-compose.yaml:yaml', 'docs/Dockerfile.md:shell', 'something.else:shell']);
  });

  it('Dockerfile: a comment only at the start of a line (a # later on is part of the instruction)', () => {
    const text = '# otlp-tls-ignore: tls-ignored dev image\nENV OTEL_EXPORTER_OTLP_CERTIFICATE=/c.crt\nENV OTEL_EXPORTER_OTLP_CLIENT_KEY=/k.key # otlp-tls-ignore: tls-ignored no\n';
    const result = applySuppressions('/w/Dockerfile', text, [problemOn(text, 1), problemOn(text, 2)]);
    assert.deepEqual(result.suppressed.map((s) => s.suppression.reason), ['dev image']);
    assert.deepEqual(result.problems.map((p) => p.offset), [problemOn(text, 2).offset]);
    assert.equal(findSuppressions('/w/Dockerfile', text).length, 1);
  });

  it('.properties: # and ! start a comment at the start of a line only', () => {
    const text = '! otlp-tls-ignore: tls-ignored set by the agent\notel.exporter.otlp.certificate=/c.crt\n  # otlp-tls-ignore: tls-ignored and this\notel.exporter.otlp.client.key=/k.key\notel.exporter.otlp.endpoint=http://c:4318 # otlp-tls-ignore: tls-ignored value text\n';
    const result = applySuppressions('/w/otel.properties', text, [problemOn(text, 1), problemOn(text, 3), problemOn(text, 4)]);
    assert.deepEqual(result.suppressed.map((s) => s.suppression.reason), ['set by the agent', 'and this']);
    assert.deepEqual(result.problems.map((p) => p.code), ['tls-ignored']);
  });

  it('CRLF and lone CR line ends count lines as the editor does', () => {
    for (const eol of ['\r\n', '\r']) {
      const text = `a: 1${eol}# otlp-tls-ignore: tls-ignored why${eol}b: 2${eol}`;
      const result = applySuppressions('/w/x.yaml', text, [problemOn(text.split(eol).join('\n'), 2)].map((p) => ({ ...p, offset: text.indexOf('b: 2') })));
      assert.deepEqual(result.suppressed.map((s) => s.suppression.reason), ['why'], JSON.stringify(eol));
    }
  });
});

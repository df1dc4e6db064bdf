/** Pre-v0.36 flat TLS keys under an exporter: reported on the key, and moved under tls: by the fix. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applied, fixesFor } from '../support/features';
import { expectProblems } from '../support/check';

function move(text: string): string {
  const { actions, document } = fixesFor(text, 'unknown-key');
  const action = actions.find((a) => /^Move .* under tls:$/.test(a.title));
  assert.ok(action, JSON.stringify(actions.map((a) => a.title)));
  return applied(document, action);
}

describe('legacyTlsKeys', () => {
  it('flags flat TLS keys under OTLP and splunk_hec exporters, not their other keys', () => {
    expectProblems('exporters:\n  otlp:\n    endpoint: c:4317\n    ⟦insecure⟧: true\n    compression: gzip\n  splunk_hec:\n    token: x\n    ⟦insecure_skip_verify⟧: true\n  debug:\n    verbosity: basic\n', 'unknown-key');
  });

  it('moves a flat key into an existing tls: block', () => {
    const text = 'exporters:\n  otlp:\n    endpoint: c:4317\n    ca_file: /certs/ca.crt # our CA\n    tls:\n      min_version: "1.3"\n';
    assert.equal(move(text), 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: "1.3"\n      ca_file: /certs/ca.crt # our CA\n');
  });

  it('creates the tls: block where there is none', () => {
    const text = 'exporters:\n  otlphttp:\n    endpoint: https://c:4318\n    insecure_skip_verify: true\n';
    assert.equal(move(text), 'exporters:\n  otlphttp:\n    endpoint: https://c:4318\n    tls:\n      insecure_skip_verify: true\n');
  });
});

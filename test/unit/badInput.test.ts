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
    // More problems than a spread call takes arguments (about 125,000 in Node 20).
    const problems = check('OTEL_EXPORTER_OTLP_HEADERS=' + 'a,'.repeat(140_000) + 'b=1\n', { path: '/work/app.env' });
    assert.equal(problems.length, 140_000);
    assert.ok(problems.every((p) => p.code === 'invalid-value'));
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
});

/**
 * The per-file cap on listed problems (server/src/service/problemCap.ts, applied by the language service's
 * `check`): at most MAX_PROBLEMS_PER_FILE, what says a part was not checked first, then the most severe, then one
 * `too-many-problems` notice at the first one left out, with the counts of what was left out (issue 15: a
 * 1.39 MB config of 53,857 unknown keys in one tls: block gave 53,857 diagnostics).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PROBLEMS_PER_FILE, capProblems } from '../../server/src/service/problemCap';
import type { Problem } from '../../server/src/service/languageTypes';
import { getLanguageService } from '../../server/src/service/languageService';
import { emptyWorkspace } from '../../server/src/service/model/workspace';
import { defaultSettings } from '../../server/src/service/settings';
import { memoryRuntime } from '../support/memoryRuntime';

const unknownKeys = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `      unknown_${from + i}: true\n`).join('');
const tlsBlock = (body: string) => `exporters:\n  otlp:\n    endpoint: https://collector:4317\n    tls:\n${body}`;

function service(options: { max?: number; files?: Record<string, string> } = {}) {
  return getLanguageService({ runtime: memoryRuntime({ files: options.files ?? {} }), settings: defaultSettings, workspace: () => emptyWorkspace, ...(options.max !== undefined ? { maxProblemsPerFile: options.max } : {}) });
}

function checked(text: string, options: { max?: number; files?: Record<string, string>; path?: string } = {}) {
  const s = service(options);
  const path = options.path ?? '/work/collector.yaml';
  return s.check({ path, text }, s.parse({ path, text }));
}

describe('at most 500 problems listed per file, then one notice', () => {
  it('lists the first 500 of 600 unknown keys, then a too-many-problems notice on the first one left out', () => {
    const text = tlsBlock(unknownKeys(600));
    const { problems, omitted } = checked(text);
    assert.equal(MAX_PROBLEMS_PER_FILE, 500);
    assert.equal(problems.length, 501);
    assert.deepEqual([...new Set(problems.map((p) => p.code))], ['unknown-key', 'too-many-problems']);
    const notice = problems.find((p) => p.code === 'too-many-problems')!;
    assert.equal(problems.indexOf(notice), 500, 'in file order: after the listed ones, which all come before it');
    assert.equal(text.slice(notice.offset, notice.offset + notice.length), 'unknown_500', 'on the first problem left out');
    assert.equal(notice.severity, 'information');
    assert.match(notice.message, /^100 more problems are not listed: only 500 of this file's 600 are\. Not listed \(100 errors\): 100 unknown-key; the first is here, on line 505\. .*--max-problems-per-file 0/);
    assert.deepEqual(omitted, { total: 100, bySeverity: { error: 100, warning: 0, information: 0, hint: 0 }, byCode: { 'unknown-key': 100 } });
  });

  it('500 problems exactly: all listed, no notice', () => {
    const { problems, omitted } = checked(tlsBlock(unknownKeys(500)));
    assert.equal(problems.length, 500);
    assert.ok(problems.every((p) => p.code === 'unknown-key'));
    assert.equal(omitted, undefined);
  });

  it('maxProblemsPerFile 0 lists them all; another number is that cap', () => {
    assert.equal(checked(tlsBlock(unknownKeys(600)), { max: 0 }).problems.length, 600);
    const { problems, omitted } = checked(tlsBlock(unknownKeys(30)), { max: 10 });
    assert.equal(problems.length, 11);
    assert.equal(omitted?.total, 20);
  });

  it('the most severe first: errors after 600 warnings are listed, the warnings past the cap are left out', () => {
    // 600 `insecure_skip_verify: true` warnings (one per exporter), then 3 unknown keys (errors).
    const exporters = Array.from({ length: 600 }, (_, i) => `  otlp/e${i}:\n    endpoint: https://c:4317\n    tls:\n      insecure_skip_verify: true\n`).join('');
    const text = `exporters:\n${exporters}  otlp/last:\n    endpoint: https://c:4317\n    tls:\n${unknownKeys(3)}`;
    const { problems, omitted } = checked(text);
    assert.equal(problems.length, 501);
    assert.deepEqual(problems.filter((p) => p.code === 'unknown-key').length, 3, 'every error is listed');
    assert.equal(problems.filter((p) => p.code === 'insecure-skip-verify').length, 497);
    assert.deepEqual(omitted?.bySeverity, { error: 0, warning: 103, information: 0, hint: 0 });
    // The notice is at the first warning left out (the 498th exporter's), in file order among the listed ones.
    const notice = problems.find((p) => p.code === 'too-many-problems')!;
    assert.ok(problems.slice(0, problems.indexOf(notice)).every((p) => p.offset <= notice.offset));
    assert.ok(problems.slice(problems.indexOf(notice) + 1).every((p) => p.offset >= notice.offset));
    assert.match(notice.message, /Not listed \(103 warnings\): 103 insecure-skip-verify;/);
  });

  it('what says a part was not checked is always listed, whatever its severity', () => {
    // 600 unknown keys (errors), then nesting past the limit: a limit-exceeded (a warning) after them.
    const text = `${tlsBlock(unknownKeys(600))}receivers: ${'['.repeat(200)}${']'.repeat(200)}\n`;
    const { problems, omitted } = checked(text);
    assert.equal(problems.filter((p) => p.code === 'limit-exceeded').length, 1, 'limit-exceeded is listed');
    assert.equal(problems.filter((p) => p.code === 'unknown-key').length, 499);
    assert.equal(problems.length, 501);
    assert.deepEqual(omitted?.byCode, { 'unknown-key': 101 });
  });

  it('a severity override for too-many-problems applies to the notice; off hides it but not the cap', () => {
    const files = { '/work/.otlp-tls.yaml': 'severity:\n  too-many-problems: warning\n' };
    const warned = checked(tlsBlock(unknownKeys(510)), { files });
    assert.equal(warned.problems.find((p) => p.code === 'too-many-problems')?.severity, 'warning');
    const off = checked(tlsBlock(unknownKeys(510)), { files: { '/work/.otlp-tls.yaml': 'severity:\n  too-many-problems: off\n' } });
    assert.equal(off.problems.length, 500);
    assert.equal(off.omitted?.total, 10);
  });

  it('an env file of many unknown variables is capped the same way', () => {
    const text = Array.from({ length: 700 }, (_, i) => `OTEL_EXPORTER_OTLP_X${i}=https://h${i}:4317\n`).join('');
    const { problems, omitted } = checked(text, { path: '/work/app.env' });
    assert.equal(problems.length, 501);
    assert.equal(omitted?.byCode['unknown-variable'], 200);
  });
});

describe('capProblems', () => {
  const p = (offset: number, code: Problem['code'], severity?: Problem['severity']): Problem => ({ code, offset, length: 1, message: 'm', ...(severity ? { severity } : {}) });

  it('keeps file order, puts the notice among the listed ones at its offset, and counts what it left out', () => {
    const problems = [p(0, 'mtls-not-enforced'), p(1, 'unknown-key'), p(2, 'insecure-skip-verify'), p(3, 'unknown-key'), p(4, 'mtls-not-enforced', 'hint')];
    const { problems: listed, omitted } = capProblems(problems, 2, (offset) => offset);
    // The errors are listed; the notice sits on the first one left out (offset 0).
    assert.deepEqual(listed.map((x) => `${x.code}@${x.offset}`), ['too-many-problems@0', 'unknown-key@1', 'unknown-key@3']);
    assert.deepEqual(omitted, { total: 3, bySeverity: { error: 0, warning: 1, information: 1, hint: 1 }, byCode: { 'mtls-not-enforced': 2, 'insecure-skip-verify': 1 } });
    assert.equal(listed[0].severity, 'information');
  });

  it('the notice is a hint when only hints were left out', () => {
    const { problems } = capProblems([p(0, 'unknown-key'), p(1, 'mtls-not-enforced', 'hint')], 1, () => 0);
    assert.equal(problems.find((x) => x.code === 'too-many-problems')?.severity, 'hint');
  });

  it('does nothing at or under the cap, or with no cap', () => {
    const problems = [p(0, 'unknown-key'), p(1, 'unknown-key')];
    assert.deepEqual(capProblems(problems, 2, () => 0), { problems });
    assert.deepEqual(capProblems(problems, 0, () => 0), { problems });
  });
});

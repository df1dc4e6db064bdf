// Bundles every test/**/*.test.ts with esbuild (dependencies stay external) into out/
// and runs them with Node's built-in test runner. Pass file filters as arguments:
//   node test/run.mjs unit            # only test/unit
//   node test/run.mjs collectorConfig # files whose path contains the word
import { bundleTests, bundleTogether } from './bundleTests.mjs';
import { SKIPPED_FILE, skipSummary } from './skipSummary.mjs';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
// Go's verdict comes from the newest Go on the machine: Debian's golang-1.23-go (bookworm-backports,
// installed by .ci/run) before bookworm's Go 1.19 on PATH.
const GO_123 = '/usr/lib/go-1.23/bin';
if (existsSync(`${GO_123}/go`) && !(process.env.PATH ?? '').split(':').includes(GO_123)) process.env.PATH = `${GO_123}:${process.env.PATH ?? ''}`;
const filters = process.argv.slice(2);
// No single test may hang a run: past this, it fails with Node's timeout error and the run goes on.
// Far above any test's real duration (the longest, the e2e tier's, take about a minute on a loaded machine).
const TEST_TIMEOUT_MS = 10 * 60_000;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : walk(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = walk(join(root, 'test'))
  .map((file) => relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

// Tests find the project root three levels above their bundle (out/test/<tier>/), so bundles go to out/.
rmSync(join(root, 'out'), { recursive: true, force: true });
// The unit tier runs in one process (see bundleTogether); every other tier, a process per file.
const unitFiles = files.filter((file) => file.startsWith('test/unit/'));
const otherFiles = files.filter((file) => !file.startsWith('test/unit/'));
const outputs = [
  ...(unitFiles.length > 0 ? [await bundleTogether(root, unitFiles, 'test/unit/all.test.ts', join(root, 'out'))] : []),
  ...(otherFiles.length > 0 ? await bundleTests(root, otherFiles, join(root, 'out')) : []),
];
// The usual reporter (spec on a terminal, TAP otherwise) and one that collects the skipped tests.
const reporter = process.stdout.isTTY ? 'spec' : 'tap';
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`, `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', `--test-reporter=${join(root, 'test', 'skipReporter.mjs')}`, `--test-reporter-destination=${SKIPPED_FILE}`, ...outputs],
  { stdio: 'inherit', cwd: root },
);
// Last, what did not run and why: a skipped tier must not read as a passed one.
const summary = skipSummary(root);
if (summary) console.log(`\n${summary}`);
process.exit(result.status ?? 1);

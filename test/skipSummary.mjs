// The summary of skipped tests that test/run.mjs prints last (and test/e2e/run.mjs repeats at the end of
// `npm test`): skipped tests grouped by reason, with the test files, read from the skip reporter's output.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

export const SKIPPED_FILE = new URL('../out/skipped-tests.json', import.meta.url).pathname;

export function skipSummary(root) {
  if (!existsSync(SKIPPED_FILE)) return undefined;
  let skipped;
  try {
    skipped = JSON.parse(readFileSync(SKIPPED_FILE, 'utf8'));
  } catch {
    return undefined;
  }
  const todos = skipped.filter((s) => s.todo);
  skipped = skipped.filter((s) => !s.todo);
  const todoLines = todos.length ? [`Known gaps (TODO): ${todos.length} test(s):`, ...todos.map((s) => `  - ${s.name}: ${s.reason}`)] : [];
  if (skipped.length === 0) return ['Skipped: nothing; every tier ran.', ...todoLines].join('\n');
  const byReason = new Map();
  for (const s of skipped) {
    const entry = byReason.get(s.reason) ?? { count: 0, files: new Set() };
    entry.count++;
    // Bundles live under out/; name the source file.
    entry.files.add(relative(root, s.file.replace(/\/out\//, '/').replace(/^file:\/\//, '')).replace(/\.js$/, '.ts'));
    byReason.set(s.reason, entry);
  }
  const lines = [`Skipped: ${skipped.length} test(s), for ${byReason.size} reason(s):`];
  for (const [reason, { count, files }] of byReason) lines.push(`  - ${count} in ${[...files].join(', ')}: ${reason}`);
  return [...lines, ...todoLines].join('\n');
}

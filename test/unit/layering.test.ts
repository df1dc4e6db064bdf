/** The core stays pure: no editor, no LSP connection, no direct file system or clock. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CORE = join(__dirname, '..', '..', '..', 'server', 'src', 'service');
const FORBIDDEN = [/^vscode$/, /^vscode-languageserver(\/|$)/, /^vscode-languageclient/, /^(node:)?fs(\/|$)/, /^(node:)?child_process$/, /^(node:)?net$/];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

it('server/src/service imports neither editor nor connection code, nor fs', () => {
  const offenders: string[] = [];
  const all = files(CORE);
  assert.ok(all.length > 10, `expected the core's files under ${CORE}`);
  for (const file of all) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)) {
      if (FORBIDDEN.some((re) => re.test(match[1]))) offenders.push(`${file}: ${match[1]}`);
    }
    if (/\bnew Date\(\s*\)|Date\.now\(\)/.test(source)) offenders.push(`${file}: reads the clock (use runtime.now())`);
    if (/process\.env/.test(source)) offenders.push(`${file}: reads process.env (use runtime.getEnv())`);
  }
  assert.deepEqual(offenders, []);
});

/**
 * The core stays pure: no editor, no LSP connection, no direct file system, clock or environment,
 * and nothing from outside server/src/service/ but npm packages and the Node modules it needs for pure
 * work (paths, X.509 and keys, the bundled root certificates). The JSON schemas are read by one module.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CORE = join(ROOT, 'server', 'src', 'service');
/** npm packages the core must not use although they are installed. */
const FORBIDDEN_PACKAGES = [/^vscode$/, /^vscode-languageserver(\/|$)/, /^vscode-languageclient/];
/** The Node modules the core may import: paths, crypto (X.509, keys), tls (its bundled root certificates only). */
const NODE_MODULES = new Set(['path', 'crypto', 'tls']);
/** The one core module that loads schemas/*.json (answering hover, completion and the checks). */
const SCHEMA_MODULE = join(CORE, 'schemas.ts');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** What is wrong with `specifier` imported from `file`, or undefined. */
function offence(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    if (target.startsWith(CORE + sep)) return undefined;
    const schema = relative(join(ROOT, 'schemas'), target);
    if (!schema.startsWith('..') && !schema.includes(sep) && schema.endsWith('.json')) {
      return file === SCHEMA_MODULE ? undefined : `loads ${specifier}: only schemas.ts reads the schemas`;
    }
    return `imports ${specifier}, outside server/src/service/`;
  }
  if (specifier.startsWith('node:') || ['fs', 'child_process', 'net', 'os', 'process', 'http', 'https', 'path', 'crypto', 'tls', 'url', 'util'].includes(specifier.split('/')[0])) {
    const name = specifier.replace(/^node:/, '').split('/')[0];
    return NODE_MODULES.has(name) ? undefined : `imports ${specifier} (the Runtime brings the outside world)`;
  }
  return FORBIDDEN_PACKAGES.some((re) => re.test(specifier)) ? `imports ${specifier}` : undefined;
}

it('server/src/service imports neither editor nor connection code, nor fs, nor anything outside service/', () => {
  const offenders: string[] = [];
  const all = files(CORE);
  assert.ok(all.length > 10, `expected the core's files under ${CORE}`);
  for (const file of all) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) {
      const wrong = offence(file, match[1]);
      if (wrong) offenders.push(`${relative(ROOT, file)}: ${wrong}`);
    }
    if (/\bnew Date\(\s*\)|Date\.now\(\)/.test(source)) offenders.push(`${relative(ROOT, file)}: reads the clock (use runtime.now())`);
    if (/process\.env/.test(source)) offenders.push(`${relative(ROOT, file)}: reads process.env (use runtime.getEnv())`);
  }
  assert.deepEqual(offenders, []);
});

it('the rule catches what it forbids', () => {
  const file = join(CORE, 'codeActions', 'example.ts');
  assert.match(offence(file, '../../protocol') ?? '', /outside server\/src\/service/);
  assert.match(offence(file, 'node:fs') ?? '', /Runtime/);
  assert.match(offence(file, 'vscode-languageserver/node') ?? '', /imports/);
  assert.match(offence(join(CORE, 'features', 'completion.ts'), '../../../../schemas/collector-tls.schema.json') ?? '', /only schemas\.ts/);
  assert.equal(offence(SCHEMA_MODULE, '../../../schemas/collector-tls.schema.json'), undefined);
  assert.equal(offence(file, '../model/units'), undefined);
  assert.equal(offence(file, 'yaml'), undefined);
  assert.equal(offence(file, 'node:path'), undefined);
});

/**
 * The regression fixtures of test/fixtures/hostile/: one folder per failure found (by issue 15's
 * reporters or by this fuzzer). A folder holds plain files (the case's files, as they are) and a
 * `case.json`:
 *
 *   description, issue     what the file is and which reported failure it reproduces
 *   main                   the document the server opens (a file of the folder or of `files`)
 *   files                  more files: `text`, `base64`, `gzip`, or `repeat` × `times` (large ones), and
 *                          `fifo`, `symlink` (`target`) and `dir` entries, which git cannot hold
 *   operations             LSP operations after opening `main` (`uri` and `textDocument` may be left out)
 *   command, cliArgs       the CLI command (`check` by default, or `certs`) and its arguments
 *   expect                 per runner (`cli`, `lsp`, `unit`): codes that must be reported, codes that must
 *                          not, allowed exit codes; `false` when the runner does not apply
 *   skip                   per runner, the reason a still-failing case is skipped (and who owns the fix)
 *   note                   why a runner does not apply (`expect.unit: false` for cases too slow for the unit tier)
 *
 * Fuzzer reproducers (`case.json` from `npm run fuzz`) are fixtures too: copy one here and add `expect`.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileSpec, FuzzCase } from './cases';
import type { LspOperation } from './lspRunner';
import { readReproducer } from './materialize';

export interface Expectation {
  codes?: string[];
  absentCodes?: string[];
  exit?: number[];
  /** For the unit runner: the file to validate (default `main`). */
  path?: string;
  /** A regular expression stderr must match (the certs command's messages). */
  stderrMatches?: string;
  /** Folders (made by the command) that must not be writable by group or others. */
  notWritableByOthers?: string[];
}

export interface HostileFixture {
  name: string;
  dir: string;
  description: string;
  issue: string;
  fuzzCase: FuzzCase;
  command: 'check' | 'certs';
  /** Operations as written (without URIs). */
  operations: Partial<LspOperation>[];
  expect: { cli?: Expectation | false; lsp?: Expectation | false; unit?: Expectation | false };
  skip: { cli?: string; lsp?: string; unit?: string };
  umask?: number;
}

export function loadHostileFixtures(root: string): HostileFixture[] {
  const base = join(root, 'test', 'fixtures', 'hostile');
  return readdirSync(base)
    .filter((name) => statSync(join(base, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(base, name);
      const raw = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Record<string, unknown>;
      const { fuzzCase } = readReproducer(join(dir, 'case.json'));
      // Plain files beside case.json are the case's files too.
      const plain: FileSpec[] = [];
      const walk = (folder: string) => {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
          const path = join(folder, entry.name);
          if (entry.isDirectory()) walk(path);
          else if (path !== join(dir, 'case.json')) plain.push({ path: relative(dir, path), kind: 'file', contents: new Uint8Array(readFileSync(path)) });
        }
      };
      walk(dir);
      fuzzCase.files = [...plain, ...fuzzCase.files.filter((f) => !plain.some((p) => p.path === f.path))];
      fuzzCase.description = `${name}: ${fuzzCase.description}`;
      if (!raw.cliArgs) fuzzCase.cliArgs = ['.', '--format', 'json'];
      return {
        name,
        dir,
        description: String(raw.description ?? ''),
        issue: String(raw.issue ?? ''),
        fuzzCase,
        command: (raw.command as 'check' | 'certs' | undefined) ?? 'check',
        operations: (raw.operations as Partial<LspOperation>[] | undefined) ?? [],
        expect: (raw.expect as HostileFixture['expect'] | undefined) ?? {},
        skip: (raw.skip as HostileFixture['skip'] | undefined) ?? {},
        umask: raw.umask as number | undefined,
      };
    });
}

/** The LSP operations of a fixture in a workspace folder: open `main`, the written operations, then wait for the last version. */
export function fixtureOperations(fixture: HostileFixture, caseDir: string): LspOperation[] {
  const uri = pathToFileURL(join(caseDir, fixture.fuzzCase.main)).href;
  const spec = fixture.fuzzCase.files.find((f) => f.path === fixture.fuzzCase.main);
  const text = spec?.kind === 'file' ? (typeof spec.contents === 'string' ? spec.contents : Buffer.from(spec.contents).toString('utf8')) : '';
  const languageId = /\.ya?ml$/.test(fixture.fuzzCase.main) ? 'yaml' : /\.sh$/.test(fixture.fuzzCase.main) ? 'shellscript' : 'dotenv';
  const operations: LspOperation[] = [{ op: 'open', uri, languageId, text }];
  let version = 1;
  for (const written of fixture.operations) {
    const operation = { ...written } as { op: string; uri?: string; version?: number; params?: object };
    if (operation.op === 'change' || operation.op === 'wait' || operation.op === 'close') operation.uri ??= uri;
    if (operation.op === 'request') operation.params = { textDocument: { uri }, ...(operation.params ?? {}) };
    if (operation.op === 'change') version = operation.version ?? version + 1;
    operations.push(operation as LspOperation);
  }
  operations.push({ op: 'wait', uri, version });
  return operations;
}

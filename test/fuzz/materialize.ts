/**
 * Writing a case to disk (files, FIFOs, symlinks, folders) and reading a reproducer back. A reproducer
 * (`case.json`) holds every byte of the case, so it replays exactly whatever machine made it:
 * `npm run fuzz -- --replay <dir>/case.json`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FileSpec, FuzzCase } from './cases';
import type { LspOperation } from './lspRunner';

export function materialize(fuzzCase: FuzzCase, dir: string): void {
  mkdirSync(dir, { recursive: true });
  // Folders and regular files first, so links and FIFOs never stand where a file goes.
  const order = (f: FileSpec) => (f.kind === 'dir' ? 0 : f.kind === 'file' ? 1 : 2);
  for (const file of [...fuzzCase.files].sort((a, b) => order(a) - order(b))) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    try {
      if (file.kind === 'dir') mkdirSync(path, { recursive: true });
      else if (file.kind === 'file') {
        writeFileSync(path, file.contents);
        if (file.mode !== undefined) chmodSync(path, file.mode);
      } else if (file.kind === 'symlink') symlinkSync(file.target, path);
      else {
        const made = spawnSync('mkfifo', [path]);
        if (made.status !== 0) throw new Error(`mkfifo ${path}: ${made.stderr}`);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

interface StoredFile {
  path: string;
  kind: FileSpec['kind'];
  text?: string;
  base64?: string;
  /** base64 of the gzip of the contents (large files). */
  gzip?: string;
  /** `repeat` `times` times (hand-written fixtures: `-----BEGIN CERTIFICATE-----\n` × 37,449). */
  repeat?: string;
  /** `template` `times` times, `{i}` replaced by 0, 1, 2... (`k{i}: *v\n`). */
  template?: string;
  times?: number;
  /** Text before and after the repeated part. */
  prefix?: string;
  suffix?: string;
  mode?: number;
  target?: string;
}

export interface Reproducer {
  target: 'cli' | 'lsp';
  seed: number;
  index: number;
  family: string;
  description: string;
  /** What went wrong (crash, hang, failed request...). */
  failure: string;
  detail: string;
  main: string;
  cliArgs: string[];
  env: Record<string, string>;
  files: StoredFile[];
  /** For LSP cases: the operations from opening the document to the failure. */
  operations?: LspOperation[];
}

function storeFile(file: FileSpec): StoredFile {
  if (file.kind === 'symlink') return { path: file.path, kind: file.kind, target: file.target };
  if (file.kind !== 'file') return { path: file.path, kind: file.kind };
  const bytes = typeof file.contents === 'string' ? Buffer.from(file.contents) : Buffer.from(file.contents);
  const mode = file.mode;
  if (bytes.length > 64 * 1024) return { path: file.path, kind: 'file', gzip: gzipSync(bytes).toString('base64'), mode };
  const text = bytes.toString('utf8');
  return Buffer.from(text).equals(bytes) && !text.includes('\0') ? { path: file.path, kind: 'file', text, mode } : { path: file.path, kind: 'file', base64: bytes.toString('base64'), mode };
}

function loadFile(file: StoredFile): FileSpec {
  if (file.kind === 'symlink') return { path: file.path, kind: 'symlink', target: file.target! };
  if (file.kind === 'fifo' || file.kind === 'dir') return { path: file.path, kind: file.kind };
  const contents =
    file.text !== undefined ? file.text
    : file.base64 !== undefined ? new Uint8Array(Buffer.from(file.base64, 'base64'))
    : file.gzip !== undefined ? new Uint8Array(gunzipSync(Buffer.from(file.gzip, 'base64')))
    : (file.prefix ?? '') +
      (file.template !== undefined ? Array.from({ length: file.times ?? 1 }, (_, i) => file.template!.replace(/\{i\}/g, String(i))).join('') : (file.repeat ?? '').repeat(file.times ?? 1)) +
      (file.suffix ?? '');
  return { path: file.path, kind: 'file', contents, mode: file.mode };
}

export function toReproducer(fuzzCase: FuzzCase, target: 'cli' | 'lsp', failure: string, detail: string, operations?: LspOperation[]): Reproducer {
  return {
    target,
    seed: fuzzCase.seed,
    index: fuzzCase.index,
    family: fuzzCase.family,
    description: fuzzCase.description,
    failure,
    detail,
    main: fuzzCase.main,
    cliArgs: fuzzCase.cliArgs,
    env: fuzzCase.env,
    files: fuzzCase.files.map(storeFile),
    ...(operations ? { operations } : {}),
  };
}

export function writeReproducer(reproducer: Reproducer, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'case.json');
  writeFileSync(path, JSON.stringify(reproducer, null, 1) + '\n');
  return path;
}

export function readReproducer(path: string): { fuzzCase: FuzzCase; reproducer: Reproducer } {
  const reproducer = JSON.parse(readFileSync(path, 'utf8')) as Reproducer;
  const fuzzCase: FuzzCase = {
    seed: reproducer.seed ?? 0,
    index: reproducer.index ?? 0,
    family: (reproducer.family ?? 'hostile') as FuzzCase['family'],
    description: reproducer.description ?? path,
    files: (reproducer.files ?? []).map(loadFile),
    main: reproducer.main ?? '',
    cliArgs: reproducer.cliArgs ?? ['.', '--format', 'json'],
    env: reproducer.env ?? {},
  };
  return { fuzzCase, reproducer };
}

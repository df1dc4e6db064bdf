/**
 * dist/cli.js, the `otlp-tls` command: runs the CLI bundle (dist/cli-main.js, built from ./cli.ts) with a V8
 * code cache, so that a run after the first does not compile the 2.8 MB bundle, nor the functions the last
 * run compiled, again (what Node 22's module.enableCompileCache does; Node 20 has only vm.Script's cachedData).
 *
 * The cache is one file per bundle, named by the SHA-256 of the bundle's text, the Node version and the
 * architecture (V8 checks its own version and flags, and rejects a cache made for other source only by its
 * length), in $XDG_CACHE_HOME/otlp-tls-lens or ~/.cache/otlp-tls-lens: a folder made 0700, used only when it
 * is a real folder (not a link) owned by the user and writable by no one else; a cache file is read only when
 * it is a regular file owned by the user (opened with O_NOFOLLOW), and written 0600 under a temporary name
 * then renamed, at exit (so that it holds the functions the run compiled, not only the top level), when there
 * was none, V8 rejected it, or this run took over twice the CPU time of the run that wrote it (and over half a
 * second: a run over a large workspace compiles more than `--version` did; making the cache costs about 15 ms);
 * the caches of other builds are kept up to KEEP (several versions may be installed, each run from a project's
 * own node_modules), the least recently written removed, and temporary files of killed runs after an hour. The file is a header (a magic number and the writing run's CPU
 * milliseconds) and V8's cached data.
 * Anything that goes wrong (no home, a read-only disk, a foreign folder) runs the bundle without a cache.
 * OTLP_TLS_NO_COMPILE_CACHE=1 turns it off.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';

const MAX_CACHE_BYTES = 64 * 1024 * 1024;
const PREFIX = 'cli-';
const MAGIC = 0x4f544c43;
const HEADER_BYTES = 8;
/** A run this much longer than the one that made the cache makes it again. */
const REWRITE_FACTOR = 2;
const REWRITE_MIN_MS = 500;
/** Caches of this many builds are kept. */
const KEEP = 4;
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The header and V8's data of a cache file, or undefined when it is not one. */
function splitCache(bytes: Buffer | undefined): { cpuMs: number; data: Buffer } | undefined {
  if (!bytes || bytes.length <= HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC) return undefined;
  return { cpuMs: bytes.readUInt32LE(4), data: bytes.subarray(HEADER_BYTES) };
}

function cacheFolder(): string | undefined {
  if (process.env.OTLP_TLS_NO_COMPILE_CACHE) return undefined;
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : homedir() ? join(homedir(), '.cache') : undefined;
  if (!base) return undefined;
  const folder = join(base, 'otlp-tls-lens');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = lstatSync(folder);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return undefined;
  return folder;
}

/** The file's bytes when it is a regular file of ours (not a link), else undefined. */
function readOwn(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || (uid !== undefined && stat.uid !== uid) || stat.size > MAX_CACHE_BYTES) return undefined;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function write(folder: string, name: string, data: Buffer): void {
  const path = join(folder, name);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
    return;
  }
  // The least recently written caches of other builds beyond KEEP, and temporary files a killed run left.
  const now = Date.now();
  const caches: { path: string; mtimeMs: number }[] = [];
  for (const other of readdirSync(folder)) {
    if (!other.startsWith(PREFIX)) continue;
    const otherPath = join(folder, other);
    try {
      const stat = lstatSync(otherPath);
      if (other.endsWith('.tmp')) {
        if (now - stat.mtimeMs > STALE_TEMPORARY_MS) unlinkSync(otherPath);
      } else if (other !== name) {
        caches.push({ path: otherPath, mtimeMs: stat.mtimeMs });
      }
    } catch {
      // another run's, removed already
    }
  }
  caches.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { path: stale } of caches.slice(KEEP - 1)) {
    try {
      unlinkSync(stale);
    } catch {
      // removed already
    }
  }
}

function run(): void {
  const main = join(__dirname, 'cli-main.js');
  const source = readFileSync(main, 'utf8');
  let folder: string | undefined;
  try {
    folder = cacheFolder();
  } catch {
    folder = undefined;
  }
  const name = folder && `${PREFIX}${createHash('sha256').update(source).update(`\0${process.version}\0${process.arch}`).digest('hex').slice(0, 32)}.bin`;
  const cached = folder && name ? splitCache(readOwn(join(folder, name))) : undefined;
  const script = new Script(wrap(source), { filename: main, ...(cached ? { cachedData: cached.data } : {}) });
  if (folder && name) {
    process.once('exit', () => {
      const spent = cpuMs();
      if (cached && !script.cachedDataRejected && !(spent > REWRITE_FACTOR * cached.cpuMs && spent > REWRITE_MIN_MS)) return;
      try {
        const data = script.createCachedData();
        const header = Buffer.alloc(HEADER_BYTES);
        header.writeUInt32LE(MAGIC, 0);
        header.writeUInt32LE(Math.min(Math.round(spent), 0xffffffff), 4);
        write(folder, name, Buffer.concat([header, data]));
      } catch {
        // no cache this time
      }
    });
  }
  const module = { exports: {}, filename: main, id: main, loaded: false };
  const compiled = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  compiled.call(module.exports, module.exports, createRequire(main), module, main, __dirname);
}

run();

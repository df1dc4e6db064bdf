/**
 * The one writer of development certificates (issue 9 item 4, issue 15 item 5), used by the CLI's
 * `certs` command and by the server for the VS Code command. The PKI engine
 * (service/certificates/devCertificates.ts) makes the bytes; this module is the part that touches
 * the disk:
 *
 * - `planCertificates` says, without changing anything, what `writeCertificates` would do: the
 *   files it would write, which exist already, whether an existing `ca.crt` + `ca.key` is reused,
 *   and the problems that stop it (each with what to do about it, and whether `force` resolves it).
 * - `writeCertificates` plans again (the folder may have changed since), then writes.
 *
 * Errors are data (`CertificateProblem`, with a stable `code`), never text on stderr.
 *
 * What it promises:
 * - The existing `ca.crt`/`ca.key` are examined before anything reads them: only a regular file of
 *   at most MAX_CA_FILE_BYTES is opened (non-blocking, then checked again on the open descriptor),
 *   so a FIFO there cannot hang it and a link to /dev/zero cannot grow its memory.
 * - Folders it creates are 0700 (the umask can only narrow that), whatever the umask.
 * - Every file is written to a temporary file in the target folder (created 0600, then set to its
 *   mode: keys 0600, certificates 0644, whatever the umask) and renamed into place once all of them
 *   are written, so a killed run or a full disk leaves the old files, never a half-written one.
 *   A symlink at a target is replaced, never written through.
 * - A partial CA left by an older or interrupted run (one of the two files missing, or an empty
 *   one) is named, with what to delete; `force` replaces it with a new CA. A CA file that is not a
 *   regular file or is too large is never removed, even with `force`: the problem says to remove it.
 */
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, relative } from 'node:path';
import {
  KEY_ALGORITHMS,
  checkExistingCa,
  devCertificateFileNames,
  generateDevCertificates,
  parseHosts,
  validateClientNames,
  type GeneratedFileRole,
  type KeyAlgorithm,
} from './service/certificates/devCertificates';

/** A PEM CA certificate or key is a few KiB; anything over this is not one, and is not read. */
export const MAX_CA_FILE_BYTES = 1024 * 1024;
/** The mode of folders the writer creates (the umask may narrow it, never widen it). */
export const FOLDER_MODE = 0o700;
const TEMP_PREFIX = '.otlp-tls-';
const TEMP_SUFFIX = '.tmp';

/** What to make, and where. */
export interface CertificateRequest {
  /** The target folder, absolute. Created when missing. */
  out: string;
  /** DNS names and IP addresses of the server; at least one. */
  hosts: string[];
  /** Client certificate names (CN and file name); may be empty. */
  clients: string[];
  algorithm: KeyAlgorithm;
  /** Validity of the server and client certificates, in days. */
  days: number;
}

export interface WriterOptions {
  /** Replace existing server and client files, and a partial CA (see CertificateProblem.force). */
  force?: boolean;
  now: Date;
  /** Paths in messages are shown relative to this folder when they are inside it (default: absolute). */
  base?: string;
  /** How messages name the force option: `--force` (the CLI, default) or the editor's "Replace" button. */
  wording?: 'cli' | 'editor';
}

/** The words messages use for the force option and the target folder, per front end. */
interface Words {
  show: (path: string) => string;
  /** "use --force" / "choose Replace" */
  useForce: string;
  /** "--force" / "Replace" */
  force: string;
  /** "--out " / "" */
  out: string;
}

function wordsFor(options: WriterOptions): Words {
  const show = display(options.base);
  return options.wording === 'editor' ? { show, useForce: 'choose Replace', force: 'Replace', out: '' } : { show, useForce: 'use --force', force: '--force', out: '--out ' };
}

export type CertificateProblemCode =
  /** A host, client name, algorithm or validity that the engine refuses. */
  | 'invalid-request'
  /** The target exists and is not a folder. */
  | 'out-not-directory'
  /** One of ca.crt and ca.key is missing or empty: a partial set, e.g. from an interrupted run. `force` makes a new CA. */
  | 'ca-incomplete'
  /** ca.crt or ca.key is a directory, FIFO, device or socket (or a link to one): never opened, never removed. */
  | 'ca-not-regular'
  /** ca.crt or ca.key is larger than any PEM file (MAX_CA_FILE_BYTES): not read. */
  | 'ca-too-large'
  /** The existing CA cannot sign: not PEM, not a CA, expired, encrypted or mismatched key... */
  | 'ca-unusable'
  /** A file to write is a directory, which is never replaced. */
  | 'target-not-file'
  /** Files exist that only `force` replaces. */
  | 'would-overwrite'
  /** The server is in an untrusted workspace (restricted mode): nothing is written. */
  | 'untrusted-workspace'
  /** The file system said no (permissions, full disk...). */
  | 'io-error';

export interface CertificateProblem {
  code: CertificateProblemCode;
  /** A complete sentence for the user, naming the files and what to do. */
  message: string;
  /** The file or folder concerned, absolute. */
  path?: string;
  /** True when `force` resolves it (write then replaces the files concerned). */
  force: boolean;
}

export interface PlannedFile {
  /** Bare file name (`ca.crt`, `server.key`, `<client>.crt`). */
  name: string;
  path: string;
  role: GeneratedFileRole;
  /** `create`: not there; `overwrite`: there, replaced only with force; `reuse`: the existing CA, left untouched. */
  action: 'create' | 'overwrite' | 'reuse';
}

export interface CertificatePlan {
  out: string;
  /** The folder does not exist yet (write creates it, mode 0700). */
  createsFolder: boolean;
  /** The existing ca.crt + ca.key sign the new certificates, and are left untouched. */
  reuseCa: boolean;
  files: PlannedFile[];
  /** Names of existing files write would replace (only with force). */
  overwrites: string[];
  /** What stops write; those with `force: true` are resolved by force. */
  problems: CertificateProblem[];
}

export interface WrittenFile {
  name: string;
  path: string;
  role: GeneratedFileRole;
  /** The POSIX mode the file has (0o600 keys, 0o644 certificates). */
  mode: number;
}

export type WriteResult =
  | {
      ok: true;
      out: string;
      reusedCa: boolean;
      /** Set when force replaced a partial CA: what was wrong with it. */
      replacedCa?: string;
      files: WrittenFile[];
    }
  | { ok: false; problem: CertificateProblem };

/** Checks a request's values as the engine will (the CLI and the server take them from users). */
export function requestProblem(request: CertificateRequest): CertificateProblem | undefined {
  const invalid = (message: string): CertificateProblem => ({ code: 'invalid-request', message, force: false });
  if (typeof request?.out !== 'string' || !isAbsolute(request.out)) return invalid('the target folder must be an absolute path');
  if (!KEY_ALGORITHMS.includes(request.algorithm)) return invalid(`the key algorithm must be one of ${KEY_ALGORITHMS.join(', ')}, got "${String(request.algorithm)}"`);
  if (!Number.isInteger(request.days) || request.days <= 0) return invalid(`the validity must be a whole number of days greater than 0, got ${String(request.days)}`);
  try {
    parseHosts(request.hosts);
    validateClientNames(request.clients);
  } catch (error) {
    return invalid((error as Error).message);
  }
  return undefined;
}

/** What `writeCertificates` would do now. Reads at most the existing ca.crt and ca.key (bounded); writes nothing. */
export async function planCertificates(request: CertificateRequest, options: WriterOptions): Promise<CertificatePlan> {
  const plan = await examine(request, options);
  return plan.plan;
}

/** Plans, refuses when a problem stands (or files exist and force is not set), else generates and writes. */
export async function writeCertificates(request: CertificateRequest, options: WriterOptions): Promise<WriteResult> {
  const { plan, existingCa, replacedCa } = await examine(request, options);
  const words = wordsFor(options);
  const show = words.show;
  const standing = plan.problems.find((p) => !p.force || !options.force);
  if (standing) return { ok: false, problem: standing };
  if (plan.overwrites.length > 0 && !options.force) {
    return {
      ok: false,
      problem: {
        code: 'would-overwrite',
        message: `not overwriting existing ${plan.overwrites.map((name) => show(join(request.out, name))).join(', ')}; ${words.useForce} to replace them`,
        path: request.out,
        force: true,
      },
    };
  }

  try {
    mkdirSync(request.out, { recursive: true, mode: FOLDER_MODE });
  } catch (error) {
    return { ok: false, problem: ioProblem(`cannot create the folder ${show(request.out)}`, error, request.out) };
  }

  let files;
  try {
    files = await generateDevCertificates({ ...request, now: options.now, existingCa });
  } catch (error) {
    // The plan checked the CA and the request, so this is rare (e.g. the CA changed in between).
    const message = existingCa ? `cannot reuse the CA in ${show(request.out)}: ${(error as Error).message}` : (error as Error).message;
    return { ok: false, problem: { code: existingCa ? 'ca-unusable' : 'invalid-request', message, force: false } };
  }
  removeStaleTemporaries(request.out);

  // Every file goes to a temporary name first; only when all are on disk do they take their names.
  const staged: { temp: string; file: (typeof files)[number] }[] = [];
  const discard = () => {
    for (const { temp } of staged) tryUnlink(temp);
  };
  for (const file of files) {
    const temp = join(request.out, `${TEMP_PREFIX}${file.name}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    try {
      writeNewFile(temp, file.contents, file.mode);
      staged.push({ temp, file });
    } catch (error) {
      tryUnlink(temp);
      discard();
      return { ok: false, problem: ioProblem(`cannot write ${show(join(request.out, file.name))} (nothing was changed)`, error, join(request.out, file.name)) };
    }
  }
  const written: WrittenFile[] = [];
  for (const [index, { temp, file }] of staged.entries()) {
    const path = join(request.out, file.name);
    try {
      renameSync(temp, path); // replaces a file or a symlink at `path`, never writes through it
    } catch (error) {
      for (const rest of staged.slice(index)) tryUnlink(rest.temp);
      const partial = written.length ? ` (already written: ${written.map((w) => show(w.path)).join(', ')})` : ' (nothing was changed)';
      return { ok: false, problem: ioProblem(`cannot write ${show(path)}${partial}`, error, path) };
    }
    written.push({ name: file.name, path, role: file.role, mode: file.mode });
  }
  return { ok: true, out: request.out, reusedCa: plan.reuseCa, ...(replacedCa ? { replacedCa } : {}), files: written };
}

// ---------------------------------------------------------------------------------------------
// Examining the folder

type Existing =
  | { state: 'missing' }
  | { state: 'file'; size: number }
  | { state: 'not-regular'; kind: string; link?: string }
  | { state: 'directory'; link?: string };

interface Examination {
  plan: CertificatePlan;
  existingCa?: { certPem: string; keyPem: string };
  /** What force would replace in the CA, when it is partial. */
  replacedCa?: string;
}

async function examine(request: CertificateRequest, options: WriterOptions): Promise<Examination> {
  const words = wordsFor(options);
  const show = words.show;
  const out = request.out;
  const problems: CertificateProblem[] = [];
  const plan: CertificatePlan = { out, createsFolder: false, reuseCa: false, files: [], overwrites: [], problems };

  const invalid = requestProblem(request);
  if (invalid) {
    problems.push(invalid);
    return { plan };
  }

  let folder: Stats | undefined;
  try {
    folder = statSync(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      problems.push(code === 'ENOTDIR' ? { code: 'out-not-directory', message: `${show(out)} is not a directory (a part of it is a file)`, path: out, force: false } : ioProblem(`cannot examine ${show(out)}`, error, out));
      return { plan };
    }
  }
  if (folder && !folder.isDirectory()) {
    problems.push({ code: 'out-not-directory', message: `${words.out}${show(out)} is not a directory (it is ${kindOf(folder)})`, path: out, force: false });
    return { plan };
  }
  plan.createsFolder = !folder;

  // The CA: reused when both files are there, regular, small and usable.
  let existingCa: { certPem: string; keyPem: string } | undefined;
  let replacedCa: string | undefined;
  let newCa = true;
  if (folder) {
    let crt: Existing;
    let key: Existing;
    try {
      crt = existing(join(out, 'ca.crt'));
      key = existing(join(out, 'ca.key'));
    } catch (error) {
      problems.push(ioProblem(`cannot examine the existing CA in ${show(out)}`, error, out));
      return { plan };
    }
    const caProblem = caFilesProblem(out, crt, key, words);
    if (caProblem) {
      problems.push(caProblem.problem);
      replacedCa = caProblem.replaced;
    } else if (crt.state === 'file' && key.state === 'file') {
      try {
        existingCa = { certPem: readBounded(join(out, 'ca.crt')), keyPem: readBounded(join(out, 'ca.key')) };
      } catch (error) {
        problems.push(caReadProblem(out, error, show));
        return { plan };
      }
      try {
        await checkExistingCa(existingCa, options.now);
        newCa = false;
        plan.reuseCa = true;
      } catch (error) {
        problems.push({ code: 'ca-unusable', message: `cannot reuse the CA in ${show(out)}: ${(error as Error).message}`, path: join(out, 'ca.crt'), force: false });
        existingCa = undefined;
      }
    }
  }

  // The files to write, and those in the way.
  for (const name of devCertificateFileNames(request.clients, true)) {
    const path = join(out, name);
    const role = roleOf(name, request.clients);
    if (name.startsWith('ca.') && !newCa) {
      plan.files.push({ name, path, role, action: 'reuse' });
      continue;
    }
    let state: TargetState = 'missing';
    if (folder) {
      try {
        state = targetState(path);
      } catch (error) {
        problems.push(ioProblem(`cannot examine ${show(path)}`, error, path));
        continue;
      }
    }
    if (state === 'directory') {
      problems.push({ code: 'target-not-file', message: `${show(path)} is a directory, where the ${describeRole(role)} goes; move or remove it (it is never replaced, even with ${words.force})`, path, force: false });
      continue;
    }
    const present = state !== 'missing';
    plan.files.push({ name, path, role, action: present ? 'overwrite' : 'create' });
    // A partial CA's files are replaced under the ca-incomplete problem, not listed as overwrites.
    if (present && !(name.startsWith('ca.') && replacedCa)) plan.overwrites.push(name);
  }
  return { plan, existingCa, replacedCa };
}

/**
 * What is at `path`, following links (a link to a regular file is that file) but saying where a
 * link leads when it leads to something else.
 */
function existing(path: string): Existing {
  let entry: Stats;
  try {
    entry = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  let target = entry;
  let link: string | undefined;
  if (entry.isSymbolicLink()) {
    try {
      link = readLink(path);
      target = statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') return { state: 'not-regular', kind: code === 'ELOOP' ? 'a symlink loop' : 'a dangling symlink', link };
      throw error;
    }
  }
  if (target.isDirectory()) return { state: 'directory', link };
  if (!target.isFile()) return { state: 'not-regular', kind: kindOf(target), link };
  return { state: 'file', size: target.size };
}

type TargetState = 'missing' | 'present' | 'directory';

/** A file to write: the entry itself (a symlink, FIFO or device there is replaced by the rename, never opened). */
function targetState(path: string): TargetState {
  try {
    return lstatSync(path).isDirectory() ? 'directory' : 'present';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

/** A CA set that cannot be reused; `replaced` (a partial set only) says in a few words what force replaces. */
function caFilesProblem(out: string, crt: Existing, key: Existing, words: Words): { problem: CertificateProblem; replaced?: string } | undefined {
  const show = words.show;
  const crtPath = join(out, 'ca.crt');
  const keyPath = join(out, 'ca.key');
  const both = `${show(crtPath)} and ${show(keyPath)}`;
  for (const [name, state] of [['ca.crt', crt], ['ca.key', key]] as const) {
    const path = join(out, name);
    const via = 'link' in state && state.link ? ` (a link to ${state.link})` : '';
    if (state.state === 'directory') {
      return {
        problem: {
          code: 'ca-not-regular',
          message: `cannot read the existing CA in ${show(out)}: ${show(path)} is a directory${via}, not a file (EISDIR). Move or remove it (to make a new CA, remove ${both}); ${words.force} does not, as it is not a file this command writes`,
          path,
          force: false,
        },
      };
    }
    if (state.state === 'not-regular') {
      return {
        problem: {
          code: 'ca-not-regular',
          message: `cannot read the existing CA in ${show(out)}: ${show(path)} is ${state.kind}${via}, not a regular file, so it is not opened. Remove it (to make a new CA, remove ${both}); ${words.force} does not, as it is not a file this command writes`,
          path,
          force: false,
        },
      };
    }
    if (state.state === 'file' && state.size > MAX_CA_FILE_BYTES) {
      return {
        problem: {
          code: 'ca-too-large',
          message: `cannot read the existing CA in ${show(out)}: ${show(path)}${via} is ${formatSize(state.size)}, more than any PEM ${name === 'ca.key' ? 'key' : 'certificate'} (the limit is ${formatSize(MAX_CA_FILE_BYTES)}), so it is not read. Check what it is; to make a new CA, remove ${both} (${words.force} does not: it is not a file this command writes)`,
          path,
          force: false,
        },
      };
    }
  }
  if (crt.state === 'missing' && key.state === 'missing') return undefined;
  if (crt.state === 'missing' || key.state === 'missing') {
    const [present, missing] = crt.state === 'missing' ? [keyPath, crtPath] : [crtPath, keyPath];
    const what = missing === keyPath ? 'private key' : 'certificate';
    return {
      problem: {
        code: 'ca-incomplete',
        message: `${show(present)} exists but ${show(missing)} does not, so the CA cannot be reused; add its ${what} or remove ${show(present)} (or ${words.useForce} to replace it with a new CA)`,
        path: present,
        force: true,
      },
      replaced: `${show(missing)} was missing`,
    };
  }
  const empty = [crt, key].map((state, i) => (state.state === 'file' && state.size === 0 ? (i ? keyPath : crtPath) : undefined)).filter((p): p is string => !!p);
  if (empty.length > 0) {
    return {
      problem: {
        code: 'ca-incomplete',
        message: `${empty.map(show).join(' and ')} ${empty.length > 1 ? 'are' : 'is'} empty (0 bytes), as an interrupted run leaves ${empty.length > 1 ? 'them' : 'it'}, so the CA in ${show(out)} cannot be reused. Delete ${both} to make a new CA (or ${words.useForce} to replace them with a new CA)`,
        path: empty[0],
        force: true,
      },
      replaced: `${empty.map(show).join(' and ')} ${empty.length > 1 ? 'were' : 'was'} empty`,
    };
  }
  return undefined;
}

function caReadProblem(out: string, error: unknown, show: (path: string) => string): CertificateProblem {
  if (error instanceof NotRegularError) {
    return { code: 'ca-not-regular', message: `cannot read the existing CA in ${show(out)}: ${show(error.path)} ${error.reason}; remove it to make a new CA`, path: error.path, force: false };
  }
  return ioProblem(`cannot read the existing CA in ${show(out)}`, error, out);
}

class NotRegularError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} ${reason}`);
  }
}

/**
 * Reads a small regular file. Opened non-blocking (a FIFO swapped in after the stat does not block
 * the open), then checked on the descriptor (regular, within the limit), then read up to the limit:
 * a file that grows meanwhile cannot make it read more.
 */
export function readBounded(path: string, limit = MAX_CA_FILE_BYTES): string {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularError(path, `became ${kindOf(stat)} while it was being read`);
    if (stat.size > limit) throw new NotRegularError(path, `grew to ${formatSize(stat.size)} while it was being read`);
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limit) throw new NotRegularError(path, `grew past ${formatSize(limit)} while it was being read`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Creates `path` (never existing before: O_EXCL, no link followed), with exactly `mode`, and writes `contents`. */
function writeNewFile(path: string, contents: string, mode: number): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    // Exactly `mode`, whatever the umask: keys stay 0600, certificates are readable by the services that load them.
    fchmodSync(fd, mode);
    const bytes = Buffer.from(contents, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  } finally {
    closeSync(fd);
  }
}

/** Temporary files of a run that was killed before it renamed them (they may hold keys). */
function removeStaleTemporaries(out: string): void {
  let names: string[];
  try {
    names = readdirSync(out);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) continue;
    const path = join(out, name);
    try {
      if (lstatSync(path).isFile()) unlinkSync(path);
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------
// Words

function ioProblem(what: string, error: unknown, path: string): CertificateProblem {
  const e = error as NodeJS.ErrnoException;
  const reason = e?.code ? `${e.code}${e.path ? `: ${e.path}` : ''}` : String(e?.message ?? error);
  return { code: 'io-error', message: `${what} (${reason})`, path, force: false };
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSymbolicLink()) return 'a symlink';
  return stat.isFile() ? 'a file' : 'not a regular file';
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function roleOf(name: string, clients: readonly string[]): GeneratedFileRole {
  if (name === 'ca.crt') return 'ca-cert';
  if (name === 'ca.key') return 'ca-key';
  if (name === 'server.crt') return 'server-cert';
  if (name === 'server.key') return 'server-key';
  const base = name.replace(/\.(crt|key)$/, '');
  if (!clients.includes(base)) throw new Error(`unexpected file name ${name}`);
  return name.endsWith('.crt') ? 'client-cert' : 'client-key';
}

function describeRole(role: GeneratedFileRole): string {
  return { 'ca-cert': 'CA certificate', 'ca-key': 'CA key', 'server-cert': 'server certificate', 'server-key': 'server key', 'client-cert': 'client certificate', 'client-key': 'client key' }[role];
}

/** Paths as the user knows them: relative to `base` when inside it. */
export function display(base: string | undefined): (path: string) => string {
  return (path) => {
    if (!base) return path;
    const rel = relative(base, path);
    return rel === '' ? '.' : !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };
}

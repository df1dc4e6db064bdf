/**
 * Restricted mode (VS Code's untrusted workspace): the file system the server gives the core reads
 * nothing outside the workspace folders. Such a path is reported as unreadable, with the reason,
 * and reading resumes once the user trusts the workspace.
 *
 * Inside and outside are decided on real paths, never on path text: a path is resolved one
 * component at a time, as the kernel would (`..` after a symlink goes up from the link's target),
 * starting from the real path of the workspace folder it names, and every symlink met on the way is
 * read and followed only while it stays inside. So
 * - a symlink in the workspace to a file or folder outside (`certs -> /etc/ssl`) is not followed,
 *   and neither is a chain of links that leaves and comes back;
 * - `..` cannot climb out (`ws/link/../x` goes up from the link's target, not from `ws`);
 * - paths outside by their text (`/proc/self/root/...`, `/etc/...`) are refused without any look
 *   at the disk, and a link to them likewise;
 * - a mount point below a workspace folder (a bind mount may show any folder there) is a border:
 *   nothing below it is read, and the workspace scan does not enter it.
 * Nothing outside is examined to reach these answers: no stat, no readlink, no open. The core
 * receives the resolved real path's answer, so a path that was judged inside is the one read.
 * (A link swapped in between the check and the read is a race this cannot close; the threat here
 * is a workspace that ships links, not a process changing them while the server reads.)
 */
import { lstatSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { isAbsolute, parse, sep } from 'node:path';
import type { FileStat, FileSystem } from './service/runtime';

/** As the kernel's limit (Linux MAXSYMLINKS): more links than this in one path is a loop. */
const MAX_LINKS = 40;

/** How a path resolves in an untrusted workspace. */
export type Resolution =
  /** Inside a workspace folder: `path` is real (no symlink in it). `exists` is false when a component is missing. */
  | { inside: true; path: string; exists: boolean }
  /** Not to be read: why, as a sentence fragment that follows the path. */
  | { inside: false; reason: string };

/** The primitives the guard uses (Node's by default; tests may count them). */
export interface GuardPrimitives {
  lstat(path: string): { isSymbolicLink(): boolean; isDirectory(): boolean };
  readlink(path: string): string;
  realpath(path: string): string;
  /** Mount points (absolute paths) on this machine; [] where unknown. */
  mountPoints(): string[];
}

export const nodeGuardPrimitives: GuardPrimitives = {
  lstat: (path) => lstatSync(path),
  readlink: (path) => readlinkSync(path),
  realpath: (path) => realpathSync.native(path),
  mountPoints: linuxMountPoints,
};

interface Root {
  /** As the client named it. */
  given: string[];
  /** Its real path (the folder itself may be reached through a link). */
  real: string[];
}

/**
 * The inside/outside decision for the workspace folders `roots()`. Roots are resolved (realpath)
 * when they change; mount points are read when the roots change (Linux: /proc/self/mountinfo).
 */
export class WorkspaceGuard {
  private cachedKey: string | undefined;
  private cachedRoots: Root[] = [];
  private cachedMounts = new Set<string>();

  constructor(
    private readonly roots: () => readonly string[],
    private readonly primitives: GuardPrimitives = nodeGuardPrimitives,
  ) {}

  private state(): { roots: Root[]; mounts: Set<string> } {
    const roots = this.roots();
    const key = roots.join('\0');
    if (key !== this.cachedKey) {
      this.cachedKey = key;
      this.cachedRoots = roots.map((root) => {
        let real = root;
        try {
          real = this.primitives.realpath(root);
        } catch {
          // a folder that is not there (yet): its name is all there is
        }
        return { given: components(root), real: components(real) };
      });
      const mounts = new Set<string>();
      let all: string[] = [];
      try {
        all = this.primitives.mountPoints();
      } catch {
        // unknown: no mount point is treated as a border
      }
      for (const mount of all) {
        const parts = components(mount);
        if (this.cachedRoots.some((root) => parts.length > root.real.length && startsWith(parts, root.real))) mounts.add(join(parts));
      }
      this.cachedMounts = mounts;
    }
    return { roots: this.cachedRoots, mounts: this.cachedMounts };
  }

  /** A mount point strictly below a workspace folder (the workspace scan does not enter it). */
  isMountPoint(path: string): boolean {
    return this.state().mounts.has(join(components(path)));
  }

  /** Resolves `path` (absolute, or relative to the process's folder) as the kernel would, without looking outside. */
  resolve(path: string): Resolution {
    const { roots, mounts } = this.state();
    const refused = (reason: string): Resolution => ({ inside: false, reason });
    let pending = components(isAbsolute(path) ? path : `${process.cwd()}${sep}${path}`);
    let links = 0;
    let via = '';
    restart: for (;;) {
      // The longest workspace folder that the path names by its text (as given or real), before any `..`.
      let best: { root: Root; length: number } | undefined;
      for (const root of roots) {
        for (const prefix of [root.given, root.real]) {
          if (prefix.length <= pending.length && startsWith(pending, prefix) && !prefix.includes('..') && (!best || prefix.length > best.length)) {
            best = { root, length: prefix.length };
          }
        }
      }
      if (!best) return refused(via ? `leads outside the workspace (${via})` : 'is outside the workspace');
      const current = [...best.root.real];
      const rest = pending.slice(best.length);
      for (let i = 0; i < rest.length; i++) {
        const name = rest[i];
        if (name === '..') {
          current.pop();
          if (!roots.some((root) => startsWith(current, root.real))) return refused(`climbs out of the workspace with ".."${via ? ` (${via})` : ''}`);
          continue;
        }
        current.push(name);
        const here = join(current);
        if (mounts.has(here)) return refused(`is below ${here}, a mount point inside the workspace that may show any folder`);
        let entry;
        try {
          entry = this.primitives.lstat(here);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') return { inside: true, path: join([...current, ...rest.slice(i + 1)]), exists: false };
          throw error;
        }
        if (entry.isSymbolicLink()) {
          if (++links > MAX_LINKS) return refused(`has more than ${MAX_LINKS} symbolic links (a loop?)`);
          const target = this.primitives.readlink(here);
          via = `the link ${here} points to ${target}`;
          current.pop();
          pending = [...(isAbsolute(target) ? components(target) : [...current, ...relativeComponents(target)]), ...rest.slice(i + 1)];
          continue restart;
        }
        if (!entry.isDirectory() && i < rest.length - 1) {
          // A file with more after it: the kernel says ENOTDIR; nothing to read there.
          return { inside: true, path: join([...current, ...rest.slice(i + 1)]), exists: false };
        }
      }
      return { inside: true, path: join(current), exists: true };
    }
  }
}

/**
 * The file system the core gets: `base` as is in a trusted workspace; in an untrusted one every
 * stat, read and directory listing goes through `guard.resolve` and is done on the real path.
 */
export function trustedFileSystem(base: FileSystem, isTrusted: () => boolean, guard: WorkspaceGuard): FileSystem {
  const inside = (path: string): { path: string; exists: boolean } => {
    const resolution = guard.resolve(path);
    if (!resolution.inside) throw new OutsideWorkspaceError(path, resolution.reason);
    return resolution;
  };
  const notFound = (path: string) => Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: 'ENOENT', path });
  return {
    stat(path: string): FileStat | undefined {
      if (isTrusted()) return base.stat(path);
      const real = inside(path);
      return real.exists ? base.stat(real.path) : undefined;
    },
    readFile(path: string): Uint8Array {
      if (isTrusted()) return base.readFile(path);
      const real = inside(path);
      if (!real.exists) throw notFound(path);
      return base.readFile(real.path);
    },
    ...(base.readDirectory
      ? {
          readDirectory(path: string): string[] {
            if (isTrusted()) return base.readDirectory!(path);
            const real = inside(path);
            if (!real.exists) throw notFound(path);
            return base.readDirectory!(real.path);
          },
        }
      : {}),
  };
}

/** What the core reports (as file-unreadable) for a path that restricted mode does not read. */
export class OutsideWorkspaceError extends Error {
  constructor(path: string, reason: string) {
    super(`${path} ${reason}, and files outside it are not read until the workspace is trusted`);
  }
}

/** Path text → components, with empty and `.` components dropped (`..` kept: only resolution may apply it). */
function components(path: string): string[] {
  const { root } = parse(path);
  const parts = path.slice(root.length).split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
  return [root.replace(/[\\/]+$/, '') || sep, ...parts];
}

function relativeComponents(path: string): string[] {
  return path.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
}

function join(parts: readonly string[]): string {
  const [root, ...rest] = parts;
  if (rest.length === 0) return root === sep ? sep : `${root}${sep}`;
  return `${root === sep ? '' : root}${sep}${rest.join(sep)}`;
}

function startsWith(parts: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((part, i) => parts[i] === part);
}

/** Mount points from /proc/self/mountinfo (field 5, octal escapes decoded); [] elsewhere. */
function linuxMountPoints(): string[] {
  if (process.platform !== 'linux') return [];
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((field): field is string => !!field)
    .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
}

/** User settings the core understands. The VS Code client contributes them as `otlpTls.*`. */
import { isAbsolute, resolve } from 'node:path';
import type { SdkId } from './sdk/sdks';

export interface PathMapping {
  /** Prefix as written in configs, e.g. `/etc/otel/certs`, without trailing separators (see pathMapping). */
  from: string;
  /** Local absolute path that replaces it. */
  to: string;
  /** A mount of a compose service (withMounts), not a user setting. */
  mount?: true;
}

export interface Settings {
  pathMappings: PathMapping[];
  /** `cert-expiring-soon` fires this many days before `notAfter`. */
  expiryWarningDays: number;
  /** Workspace roots, absolute; relative paths are tried against them after the referring file's folder. */
  workspaceRoots: string[];
  /** The SDK that reads the env files, when known (a `# otlp-tls: sdk=` comment in a file wins). */
  sdk?: SdkId;
  /** Problems listed per file (otlpTls.maxProblemsPerFile; 0: all); the service's option, then problemCap.ts's default, when absent. */
  maxProblemsPerFile?: number;
}

export const defaultSettings: Settings = {
  pathMappings: [],
  expiryWarningDays: 30,
  workspaceRoots: [],
};

/**
 * The one normalisation of a path mapping (CLI `--path-map FROM=TO`, the `otlpTls.pathMappings`
 * setting): `from` loses its trailing separators (`/` stays `/`), a relative `to` is taken from `base`
 * (the CLI's working directory, the first workspace folder).
 */
export function pathMapping(from: string, to: string, base: string): PathMapping {
  return { from: mappedPrefix(from), to: isAbsolute(to) ? to : resolve(base, to) };
}

/** A mapping's `from` as it is matched: without trailing separators, `/` for the root. */
export function mappedPrefix(from: string): string {
  return from.replace(/[\\/]+$/, '') || '/';
}

/**
 * Settings whose path mappings start with `mounts`: container paths a compose service bind-mounts from
 * the project (a mount wins over a mapping of the same prefix, a longer prefix still wins). The mounts of another
 * unit (an app's, when its receiver's files are read) are replaced, not added to.
 */
export function withMounts<S extends { pathMappings: PathMapping[] }>(settings: S, mounts: PathMapping[] | undefined): S {
  const mappings = settings.pathMappings.filter((m) => !m.mount);
  if (!mounts?.length && mappings.length === settings.pathMappings.length) return settings;
  return { ...settings, pathMappings: [...(mounts ?? []).map((m) => ({ ...m, mount: true as const })), ...mappings] };
}

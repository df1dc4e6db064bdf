/**
 * Running the core on inline documents, the way the adapters do, and asserting what it says: the
 * helpers compare the whole list of problems, so a spurious extra diagnostic fails a test.
 */
import assert from 'node:assert/strict';
import { createCaches } from '../../server/src/service/caches';
import type { VirtualCache } from '../../server/src/service/certificates/virtualCertificates';
import { createCheckContext, type AppCheckContext } from '../../server/src/service/checks/check';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import { hasUnits, type ParsedFile } from '../../server/src/service/model/units';
import { createWorkspaceIndex, emptyWorkspace, type WorkspaceIndex } from '../../server/src/service/model/workspace';
import type { Runtime } from '../../server/src/service/runtime';
import { defaultSettings, type Settings } from '../../server/src/service/settings';
import { envFileUnit, isShellScriptPath } from '../../server/src/service/sources/envFile';
import { marked } from './markers';
import { memoryRuntime } from './memoryRuntime';

export interface CheckOptions {
  path?: string;
  runtime?: Runtime;
  env?: Record<string, string>;
  settings?: Partial<Settings>;
  /** The other files of the workspace (parsed with the same service, indexed before this one), for cross-file checks. */
  others?: { path: string; text: string }[];
  /** What cert-manager will issue, shared by the workspaces of a test file (its RSA keys are made once). */
  virtualCache?: VirtualCache;
}

/** One service over `docs` as a workspace (every doc parsed and indexed), as the CLI and the server build it. */
export function workspaceOf(docs: { path: string; text: string }[], options: Omit<CheckOptions, 'others' | 'path'> = {}): { service: LanguageService; parsed: ParsedFile[]; index: () => WorkspaceIndex } {
  const runtime = options.runtime ?? memoryRuntime({ env: options.env });
  let index: WorkspaceIndex = emptyWorkspace;
  const service = getLanguageService({ runtime, settings: { ...defaultSettings, ...options.settings }, workspace: () => index, ...(options.virtualCache ? { virtualCache: options.virtualCache } : {}) });
  const parsed = docs.map((d) => service.parse(d));
  index = createWorkspaceIndex(parsed.filter(hasUnits), runtime.getEnv);
  return { service, parsed, index: () => index };
}

/** The problems of `text` (a collector config at /work/collector.yaml unless `path` says otherwise). */
export function check(text: string, options: CheckOptions = {}): Problem[] {
  const path = options.path ?? '/work/collector.yaml';
  const others = options.others ?? [];
  const { service, parsed } = workspaceOf([...others, { path, text }], options);
  return service.validate({ path, text }, parsed[others.length]);
}

/** `code@start-end` strings, easy to compare with assert.deepEqual. */
export function summary(problems: Problem[]): string[] {
  return problems.map((p) => `${p.code}@${p.offset}-${p.offset + p.length}`);
}

export function expected(code: string, range: [number, number]): string {
  return `${code}@${range[0]}-${range[1]}`;
}

/**
 * Asserts that `problems` are exactly `codes` on the marked `ranges`, in order (the i-th code, or
 * list of codes, on the i-th range), nothing more; returns the problems.
 */
export function assertProblems(problems: Problem[], codes: (string | string[])[], ranges: [number, number][], label = ''): Problem[] {
  const want = Array.from({ length: Math.max(codes.length, ranges.length) }, (_, i) => {
    const here = [codes[i] ?? '(no code given)'].flat();
    return ranges[i] ? here.map((code) => expected(code, ranges[i])) : here.map((code) => `${code}@(no range marked)`);
  }).flat();
  assert.deepEqual(summary(problems), want, `${label} ${JSON.stringify(problems, null, 1)}`);
  return problems;
}

/**
 * Checks marked text (`⟦…⟧` around each expected range) and asserts its problems are exactly `codes`
 * on those ranges, in text order; `code` alone means every range has that code.
 */
export function expectProblems(source: string, codes: string | (string | string[])[], options: CheckOptions = {}): Problem[] {
  const { text, ranges } = marked(source);
  const list = typeof codes === 'string' ? ranges.map(() => codes) : codes;
  return assertProblems(check(text, options), list, ranges, JSON.stringify(text));
}

/** What one app check gets for inline env text (shell rules for a `.sh` path), with no workspace. */
export function appContext(text: string, path = '/work/app/.env', options: { runtime?: Runtime; settings?: Partial<Settings> } = {}): AppCheckContext {
  const unit = envFileUnit(text, { shell: isShellScriptPath(path) });
  const access = { runtime: options.runtime ?? memoryRuntime(), settings: { ...defaultSettings, ...options.settings }, caches: createCaches() };
  return createCheckContext(unit, { path, text }, access, emptyWorkspace) as AppCheckContext;
}

/**
 * Codes about certificate files on disk (test/lsp/server.test.ts leaves them out of a config check;
 * the unit tests assert whole lists instead).
 */
export const FILE_CODES: ReadonlySet<string> = new Set([
  'file-not-found', 'file-unreadable', 'not-a-certificate', 'not-a-private-key', 'encrypted-key', 'key-mismatch',
  'incomplete-pair', 'cert-expired', 'cert-not-yet-valid', 'cert-expiring-soon', 'not-a-ca', 'unknown-authority',
  'missing-eku', 'weak-key', 'weak-signature', 'cn-only', 'key-permissions', 'san-mismatch', 'missing-client-cert',
]);

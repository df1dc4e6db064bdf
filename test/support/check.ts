/** Running the core on an inline document, the way the adapters do. */
import { getLanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import { defaultSettings, type Settings } from '../../server/src/service/settings';
import type { WorkspaceIndex } from '../../server/src/service/model/workspace';
import { memoryRuntime } from './memoryRuntime';
import type { Runtime } from '../../server/src/service/runtime';
import type { EnvCheckContext } from '../../server/src/service/checks/check';
import { isShellScriptPath, parseEnvFile } from '../../server/src/service/sources/envFile';
import { emptyWorkspace } from '../../server/src/service/model/workspace';

export interface CheckOptions {
  path?: string;
  runtime?: Runtime;
  env?: Record<string, string>;
  settings?: Partial<Settings>;
  workspace?: WorkspaceIndex;
}

export function check(text: string, options: CheckOptions = {}): Problem[] {
  const runtime = options.runtime ?? memoryRuntime({ env: options.env });
  const service = getLanguageService({ runtime, settings: { ...defaultSettings, ...options.settings }, workspace: options.workspace });
  return service.validate({ path: options.path ?? '/work/collector.yaml', text });
}

/** `code@start-end` strings, easy to compare with assert.deepEqual. */
export function summary(problems: Problem[], only?: string[]): string[] {
  return problems.filter((p) => !only || only.includes(p.code)).map((p) => `${p.code}@${p.offset}-${p.offset + p.length}`);
}

export function expected(code: string, range: [number, number]): string {
  return `${code}@${range[0]}-${range[1]}`;
}

/**
 * Codes about certificate files on disk. Tests of configuration rules reference files that do
 * not exist, so they leave these codes out (the certificate checks have their own tests).
 */
export const FILE_CODES: ReadonlySet<string> = new Set([
  'file-not-found', 'file-unreadable', 'not-a-certificate', 'not-a-private-key', 'encrypted-key', 'key-mismatch',
  'incomplete-pair', 'cert-expired', 'cert-not-yet-valid', 'cert-expiring-soon', 'not-a-ca', 'unknown-authority',
  'missing-eku', 'weak-key', 'weak-signature', 'cn-only', 'key-permissions', 'san-mismatch', 'missing-client-cert',
]);

/** `check` without the certificate-file codes. */
export function checkConfig(text: string, options: CheckOptions = {}): Problem[] {
  return check(text, options).filter((p) => !FILE_CODES.has(p.code));
}

/** What one env check gets for inline env text (shell rules for a `.sh` path), with no workspace and no files. */
export function envCheckContext(text: string, path = '/work/app/.env'): EnvCheckContext {
  return {
    kind: 'env',
    document: { path, text },
    runtime: memoryRuntime(),
    settings: defaultSettings,
    workspace: emptyWorkspace,
    model: parseEnvFile(text, { shell: isShellScriptPath(path) }),
  };
}

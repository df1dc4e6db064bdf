/**
 * `file-not-found` on a compose service's `env_file` entry that names no file, unless the entry says
 * `required: false` (Compose then ignores it; with the default `required: true` it refuses to start the
 * service: docs/facts/compose-docker.md §2). The settings of the files that exist are the service's
 * (../sources/compose.ts); each file is checked as an env file in that service's context.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';

export const composeEnvFiles: Check<AppCheckContext> = {
  name: 'composeEnvFiles',
  kind: 'app',
  run({ unit, runtime }) {
    const problems: Problem[] = [];
    for (const entry of unit.envFiles ?? []) {
      if (!entry.required) continue;
      let exists: boolean;
      try {
        exists = runtime.fileSystem.stat(entry.path) !== undefined;
      } catch {
        continue; // cannot be examined: not a verdict either way
      }
      if (exists) continue;
      problems.push({
        code: 'file-not-found',
        offset: entry.offset,
        length: entry.length,
        message: `env_file "${entry.written}" of service ${unit.service ?? '?'} does not exist (looked at ${entry.path}); Compose refuses to start the service. Create it, fix the path, or mark it optional with \`- path: ${entry.written}\` and \`required: false\`.`,
      });
    }
    return problems;
  },
};

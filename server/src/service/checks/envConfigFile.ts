/**
 * `env-ignored` (information): an app with OTEL_CONFIG_FILE (or the deprecated OTEL_EXPERIMENTAL_CONFIG_FILE)
 * set. The SDK then reads its exporters from that declarative file and ignores every other `OTEL_*`
 * variable, except as values the file substitutes (spec sdk-environment-variables.md; docs/facts/declarative-config.md §6).
 * One diagnostic on the variable names the ignored settings (the model moved them out of the settings, so
 * no other check judges them: ../model/processSettings.ts) and says whether the file was found: found,
 * the app is judged by it (the file's own diagnostics sit in that file); not found, it cannot be judged here.
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';
import { dirname, relative } from 'node:path';

export const envConfigFile: Check<AppCheckContext> = {
  name: 'envConfigFile',
  kind: 'app',
  run({ unit, path }) {
    const link = unit.configFile;
    const ignored = unit.ignored ?? [];
    if (!link) return [];
    const { setting } = link;
    const names = [...new Set(ignored.map((s) => s.written))];
    const referenced = new Set(link.referenced);
    const substituted = [...new Set(ignored.filter((s) => referenced.has(s.name)).map((s) => s.written))];
    const unread = names.filter((n) => !substituted.includes(n));
    const where = (file: string) => relative(dirname(path), file) || file;
    let about: string;
    if (setting.value === undefined) about = `its value cannot be known here, so this app's exporters cannot be judged.`;
    else if (link.found) about = `this app is judged by ${where(link.found)} (its diagnostics are in that file).`;
    else if (link.notDeclarative) about = `${where(link.tried[0])} has no file_format, so it is not a declarative configuration; this app's exporters cannot be judged here.`;
    else about = `"${setting.value}" is not in the workspace (looked at ${link.tried.join(', ') || 'nothing'}), so this app's exporters cannot be judged here; a path mapping (otlpTls.pathMappings, --path-map) or a compose bind mount maps it to a local file.`;
    const ignoredText = unread.length ? ` The SDK ignores ${unread.join(', ')}.` : '';
    const substitutedText = substituted.length ? ` ${substituted.join(', ')} ${substituted.length === 1 ? 'is' : 'are'} used only where the file substitutes ${substituted.length === 1 ? 'it' : 'them'}.` : '';
    const problem: Problem = {
      code: 'env-ignored',
      offset: setting.nameOffset,
      length: setting.nameLength,
      message: `The SDK ignores the other OTEL_* variables here: move them into the file ${setting.written} names.${ignoredText}${substitutedText} ${about[0].toUpperCase()}${about.slice(1)}`,
    };
    return [problem];
  },
};

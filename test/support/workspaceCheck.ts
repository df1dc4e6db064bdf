/**
 * Checking several files as one workspace, as the CLI does (references read as their source), and
 * describing what the core says about each as `path:line:col code` (1-based), the whole list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import { hasUnits, type ParsedFile } from '../../server/src/service/model/units';
import { createWorkspaceIndex, emptyWorkspace, type WorkspaceIndex } from '../../server/src/service/model/workspace';
import type { Runtime } from '../../server/src/service/runtime';
import { defaultSettings, type Settings } from '../../server/src/service/settings';
import { memoryRuntime } from './memoryRuntime';

export const ROOT = join(__dirname, '..', '..', '..');
export const UPSTREAM = join(ROOT, 'test/fixtures/upstream');

/** A fixture's text. */
export function fixture(path: string): string {
  return readFileSync(join(ROOT, 'test/fixtures', path), 'utf8');
}

export interface Checked {
  service: LanguageService;
  parsed: Map<string, ParsedFile>;
  problems: Map<string, Problem[]>;
  index: WorkspaceIndex;
  /** `line:col code` of every problem of a file, in order. */
  summary(path: string): string[];
}

/** Every file of `files` (path → text, in an in-memory file system with `extra` files) checked as one workspace. */
export function checkWorkspace(files: Record<string, string>, options: { extra?: Record<string, string | Uint8Array>; env?: Record<string, string>; settings?: Partial<Settings>; runtime?: Runtime } = {}): Checked {
  const runtime = options.runtime ?? memoryRuntime({ files: { ...files, ...(options.extra ?? {}) }, env: options.env });
  let index: WorkspaceIndex = emptyWorkspace;
  const service = getLanguageService({ runtime, settings: { ...defaultSettings, ...options.settings }, workspace: () => index });
  const parsed = new Map<string, ParsedFile>();
  for (const [path, text] of Object.entries(files)) parsed.set(path, service.parse({ path, text }));
  for (const file of [...parsed.values()]) {
    for (const [path, source] of Object.entries(file.references ?? {})) {
      if (parsed.has(path)) continue;
      const text = files[path] ?? (typeof options.extra?.[path] === 'string' ? (options.extra[path] as string) : undefined);
      if (text !== undefined) parsed.set(path, service.parse({ path, text }, { source }));
    }
  }
  index = createWorkspaceIndex([...parsed.values()].filter(hasUnits), runtime.getEnv);
  const problems = new Map<string, Problem[]>();
  for (const [path, file] of parsed) problems.set(path, service.validate({ path, text: file.text }, file));
  return {
    service,
    parsed,
    problems,
    index,
    summary(path) {
      const file = parsed.get(path)!;
      const document = TextDocument.create('file://' + path, 'plaintext', 0, file.text);
      return (problems.get(path) ?? []).map((p) => {
        const at = document.positionAt(p.offset);
        return `${at.line + 1}:${at.character + 1} ${p.code}`;
      });
    },
  };
}

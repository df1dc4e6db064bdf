/**
 * `file-not-found`: files of the same name elsewhere in the workspace (the referring file's folder,
 * then the workspace roots, searched within bounds) offer
 * - "Use <path>": the value replaced by the found file's path, relative to the referring file;
 * - "Add a path mapping": a command action (the client updates `otlpTls.pathMappings`) mapping the
 *   written folder (a container path, usually) to the found file's folder, leaving the config as is;
 * then, as for every missing certificate, the certificate generation command.
 */
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import { isScalar } from 'yaml';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { ADD_PATH_MAPPING_COMMAND } from '../commands';
import { findFiles, pathFrom, searchFolders } from '../workspaceSearch';
import { generateCertificatesFix } from './certificateFixes';
import { QUICKFIX, quickFix, yamlValue } from './edits';
import { appSettingAt, collectorEntryAt, dataOf, type FixContext, type Fixer } from './fixContext';
import { folderOf } from './workspaceCertificates';

/** Found files offered as replacements. */
const MAX_REPLACEMENTS = 5;

export const missingFileFix: Fixer = (diagnostic, context) => {
  const actions: CodeAction[] = [];
  const value = valueAt(diagnostic, context);
  if (value) {
    const found = sameName(value.written, context);
    for (const path of found) {
      const written = pathFrom(context.path, path);
      actions.push(quickFix(`Use ${written} (found in the workspace)`, diagnostic, context.document.uri, [value.replace(written)], found.length === 1));
    }
    actions.push(...mappingAction(diagnostic, value.written, found, context));
  }
  actions.push(...generateCertificatesFix(diagnostic, context));
  return actions;
};

/**
 * `container-path` (data `missing-file`): the path is right in the container, so the value stays; a
 * file of the same name in the workspace offers the path mapping that lets the checks read it.
 */
export const containerPathFix: Fixer = (diagnostic, context) => {
  const value = valueAt(diagnostic, context);
  return value ? mappingAction(diagnostic, value.written, sameName(value.written, context), context) : [];
};

function sameName(written: string, context: FixContext): string[] {
  const name = basename(written);
  return name ? findFiles(context.runtime, searchFolders(context.path, context.settings.workspaceRoots), (n) => n === name).slice(0, MAX_REPLACEMENTS) : [];
}

/** "Add a path mapping": the written folder (a container path, usually) to the folder of the first file found. */
function mappingAction(diagnostic: Diagnostic, written: string, found: string[], context: FixContext): CodeAction[] {
  const from = folderOf(written).replace(/[\\/]+$/, '');
  if (found.length === 0 || !from) return [];
  const to = mappingTarget(dirname(found[0]), context.settings.workspaceRoots);
  const title = `Add a path mapping: ${from} → ${to}`;
  return [{ title, kind: QUICKFIX, diagnostics: [diagnostic], command: { title, command: ADD_PATH_MAPPING_COMMAND, arguments: [{ from, to }] } }];
}

/** The path written at the data's locator (a plain value, no substitution), and how to replace it. */
function valueAt(diagnostic: Diagnostic, context: FixContext): { written: string; replace(path: string): TextEdit } | undefined {
  const data = dataOf(diagnostic, 'missing-file');
  if (!data) return undefined;
  const setting = appSettingAt(context, data.at);
  if (setting) {
    const { unit, editor } = setting;
    const value = setting.setting.value;
    if (value === undefined || !value.trim()) return undefined;
    return { written: value.trim(), replace: (path) => editor.apply(unit.edits.setValue(setting.setting, path)) };
  }
  const found = collectorEntryAt(context, data.at);
  const scalar = found?.entry.value;
  if (!found || !isScalar(scalar) || !scalar.range || typeof scalar.value !== 'string' || !scalar.value.trim() || scalar.value.includes('${')) return undefined;
  const range = scalar.range;
  return { written: scalar.value.trim(), replace: (path) => found.editor.replace(range[0], range[1], yamlValue(path, scalar)) };
}

/** A folder as `otlpTls.pathMappings` takes it: relative to the first workspace folder when inside it. */
function mappingTarget(folder: string, roots: readonly string[]): string {
  const root = roots[0];
  if (root) {
    const rel = relative(root, folder);
    if (!rel) return '.';
    if (!rel.startsWith('..') && !isAbsolute(rel)) return slashes(rel);
  }
  return slashes(folder);
}

function slashes(path: string): string {
  return sep === '\\' ? path.replace(/\\/g, '/') : path;
}

/** `check [PATH...] [--format text|json|sarif] [--path-map FROM=TO]... [--sdk ID]`: the same engine as the server, over files on disk. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from '../service/diagnostics';
import { getLanguageService } from '../service/languageService';
import type { Problem } from '../service/languageTypes';
import { emptyFile, hasUnits, type ParsedFile } from '../service/model/units';
import type { Runtime } from '../service/runtime';
import { SDK_IDS, isSdkId, type SdkId } from '../service/sdk/sdks';
import { defaultSettings, pathMapping, type PathMapping, type Settings } from '../service/settings';
import { readSourceFile } from '../service/sourceFile';
import { createWorkspaceIndex, emptyWorkspace, type WorkspaceIndex } from '../service/model/workspace';
import { isCandidatePath, isDirectory, walkCandidates } from '../workspaceFiles';
import { formatJson, formatSarif, formatText, type FileDiagnostic, type Format } from './formatters';

export interface CliIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  runtime: Runtime;
  version: string;
}

export class UsageError extends Error {}

export function parsePathMap(value: string, cwd: string): PathMapping {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--path-map expects FROM=TO, got "${value}"`);
  return pathMapping(value.slice(0, eq), value.slice(eq + 1), cwd);
}

export async function runCheckCommand(argv: string[], io: CliIo): Promise<number> {
  let format: Format;
  let paths: string[];
  let pathMappings: PathMapping[];
  let sdk: SdkId | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' }, 'path-map': { type: 'string', multiple: true, default: [] }, sdk: { type: 'string' } },
    });
    if (values.sdk !== undefined && values.sdk !== 'any' && !isSdkId(values.sdk)) throw new UsageError(`--sdk must be any, ${SDK_IDS.join(', ')}, not "${values.sdk}"`);
    sdk = isSdkId(values.sdk) ? values.sdk : undefined;
    if (!['text', 'json', 'sarif'].includes(values.format!)) throw new UsageError(`--format must be text, json or sarif, not "${values.format}"`);
    format = values.format as Format;
    pathMappings = values['path-map']!.map((m) => parsePathMap(m, io.cwd));
    paths = (positionals.length ? positionals : ['.']).map((p) => resolve(io.cwd, p));
    const missing = paths.filter((p) => !existsSync(p));
    if (missing.length) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  } catch (error) {
    io.stderr(`otlp-tls check: ${(error as Error).message}\nusage: otlp-tls check [PATH...] [--format text|json|sarif] [--path-map FROM=TO]... [--sdk ID]\n`);
    return 2;
  }

  const files = paths.flatMap((p) => (isDirectory(p) ? walkCandidates(p) : [p]));
  const settings: Settings = {
    ...defaultSettings,
    pathMappings,
    ...(sdk ? { sdk } : {}),
    workspaceRoots: paths.map((p) => (isDirectory(p) ? p : resolve(p, '..'))),
  };
  let results: FileDiagnostic[];
  try {
    results = checkFiles(files, io.runtime, settings, (path) => paths.includes(path));
  } catch (error) {
    io.stderr(`otlp-tls check: ${(error as Error).message}\n`);
    return 2;
  }
  if (format === 'json') io.stdout(formatJson(results));
  else if (format === 'sarif') io.stdout(formatSarif(results, io.version, io.cwd));
  else io.stdout(formatText(results, io.cwd));
  return results.some((r) => r.diagnostic.severity === 1) ? 1 : 0;
}

interface LoadedFile {
  parsed: ParsedFile;
  /** Problems of reading the file (file-unreadable, file-too-large, invalid-encoding). */
  read: Problem[];
}

/**
 * Reads, parses and checks `files` as one workspace, with one language service. `named(path)` says
 * the user named that file explicitly: such a file is checked even when its name is not one the walk
 * would pick. A file that cannot be read is a problem on that file; the others are still checked.
 */
export function checkFiles(files: string[], runtime: Runtime, settings: Settings, named: (path: string) => boolean = () => false): FileDiagnostic[] {
  let workspace: WorkspaceIndex = emptyWorkspace;
  const service = getLanguageService({ runtime, settings, workspace: () => workspace });
  const loaded: LoadedFile[] = [];
  for (const path of files) {
    if (!named(path) && !isCandidatePath(path)) continue;
    const file = readSourceFile(runtime.fileSystem, path);
    if (file.status === 'missing') continue;
    if (file.status === 'not-read') loaded.push({ parsed: emptyFile(path, ''), read: [file.problem] });
    else loaded.push({ parsed: service.parse({ path, text: file.text }), read: file.problems });
  }
  workspace = createWorkspaceIndex(loaded.map((f) => f.parsed).filter(hasUnits), runtime.getEnv);
  const results: FileDiagnostic[] = [];
  for (const { parsed, read } of loaded) {
    const problems = [...read, ...service.validate({ path: parsed.path, text: parsed.text }, parsed)];
    if (problems.length === 0) continue;
    const document = TextDocument.create('file://' + parsed.path, 'plaintext', 0, parsed.text);
    for (const problem of problems) results.push({ file: parsed.path, diagnostic: toDiagnostic(document, problem) });
  }
  return results;
}

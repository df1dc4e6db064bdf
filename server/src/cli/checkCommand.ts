/** `check [PATH...] [--format text|json|sarif] [--path-map FROM=TO]... [--sdk ID]`: the same engine as the server, over files on disk. */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { decodeUtf8 } from '../nodeRuntime';
import { toDiagnostic } from '../service/diagnostics';
import { getLanguageService, type ParsedDocument } from '../service/languageService';
import type { Problem } from '../service/languageTypes';
import type { Runtime } from '../service/runtime';
import { SDK_IDS, isSdkId, type SdkId } from '../service/sdk/sdks';
import { defaultSettings, type PathMapping, type Settings } from '../service/settings';
import { createWorkspaceIndex } from '../service/model/workspace';
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
  const from = value.slice(0, eq).replace(/\/+$/, '') || '/';
  const to = value.slice(eq + 1);
  return { from, to: isAbsolute(to) ? to : resolve(cwd, to) };
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
  path: string;
  text: string;
  parsed: ParsedDocument;
  extra: Problem[];
}

/**
 * Reads, parses and checks `files` as one workspace. `named(path)` says the user named that file
 * explicitly: such a file is checked even when its name is not one the walk would pick.
 */
export function checkFiles(files: string[], runtime: Runtime, settings: Settings, named: (path: string) => boolean = () => false): FileDiagnostic[] {
  const service0 = getLanguageService({ runtime, settings });
  const loaded: LoadedFile[] = [];
  for (const path of files) {
    if (!named(path) && !isCandidatePath(path)) continue;
    const stat = runtime.fileSystem.stat(path);
    if (!stat || stat.kind !== 'file') continue;
    const extra: Problem[] = [];
    let text = '';
    if (stat.size > 16 * 1024 * 1024) {
      extra.push({ code: 'file-too-large', offset: 0, length: 0, message: `This file is ${(stat.size / 1048576).toFixed(1)} MB; it is not checked.` });
    } else {
      const decoded = decodeUtf8(runtime.fileSystem.readFile(path));
      text = decoded.text;
      if (!decoded.valid) extra.push({ code: 'invalid-encoding', offset: 0, length: 0, message: 'This file is not valid UTF-8; undecodable bytes were replaced before checking.' });
    }
    loaded.push({ path, text, parsed: extra.some((p) => p.code === 'file-too-large') ? { kind: 'other' } : service0.parse({ path, text }), extra });
  }
  const workspace = createWorkspaceIndex(
    loaded.flatMap((f) => (f.parsed.kind === 'other' ? [] : [{ path: f.path, text: f.text, kind: f.parsed.kind, model: f.parsed.model }])),
  );
  const service = getLanguageService({ runtime, settings, workspace });
  const results: FileDiagnostic[] = [];
  for (const file of loaded) {
    if (file.parsed.kind === 'other' && file.extra.length === 0) continue;
    const document = TextDocument.create('file://' + file.path, 'plaintext', 0, file.text);
    const problems = [...file.extra, ...service.validate({ path: file.path, text: file.text }, file.parsed)];
    for (const problem of problems) results.push({ file: file.path, diagnostic: toDiagnostic(document, problem) });
  }
  return results;
}

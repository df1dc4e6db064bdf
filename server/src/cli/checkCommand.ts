/**
 * `check [PATH...] [--format text|json|sarif|mermaid|dot] [--path-map FROM=TO]... [--sdk ID] [--fail-on LEVEL]
 * [--sarif-output FILE] [--no-config] [--max-problems-per-file N]`: the same engine as the server, over files on disk. `mermaid` and `dot`
 * write the TLS map of the files instead of the list of diagnostics (graphFormats.ts); the exit code is the same
 * whatever the format.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { oneByCauseAcrossFiles } from '../service/causes';
import { severityName, toDiagnostic } from '../service/diagnostics';
import { URI } from 'vscode-uri';
import { getLanguageService, type LanguageService } from '../service/languageService';
import type { Problem } from '../service/languageTypes';
import { emptyFile, hasUnits, type ParsedFile } from '../service/model/units';
import type { CommandLineSettings } from '../service/project/projectConfigs';
import type { Runtime } from '../service/runtime';
import { SDK_IDS, isSdkId } from '../service/sdk/sdks';
import { defaultSettings, pathMapping, type PathMapping, type Settings } from '../service/settings';
import { readSourceFile } from '../service/sourceFile';
import { emptyWorkspace, type WorkspaceIndex } from '../service/model/workspace';
import { isCandidatePath, isDirectory, walkCandidates } from '../workspaceFiles';
import type { TlsMap } from '../service/features/tlsMap';
import { coverage, type CheckedFile, type Coverage } from '../service/features/coverage';
import { isProjectConfigPath } from '../service/project/configFile';
import { formatJson, formatText, type FileDiagnostic, type Format, type OmittedFile } from './formatters';
import { MAX_PROBLEMS_PER_FILE, type OmittedProblems } from '../service/problemCap';
import { GRAPH_FORMATS, formatGraph, isGraphFormat, type GraphFormat } from './graphFormats';
import { formatSarif } from './sarif';

export interface CliIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  runtime: Runtime;
  version: string;
}

export class UsageError extends Error {}

export const CHECK_USAGE = `usage: otlp-tls check [PATH...] [--format text|json|sarif|mermaid|dot] [--path-map FROM=TO]... [--sdk ID]
                      [--fail-on error|warning|information|none] [--sarif-output FILE] [--no-config]
                      [--max-problems-per-file N]

Checks collector configs, SDK env files and the certificates they name, and predicts each OTLP
exporter's TLS handshake with its collector.

  PATH                  files or folders (default .); folders are walked for the files some source
                        reads (YAML, .env, *.env, .env.*, *.sh, Dockerfiles, *.properties), skipping
                        node_modules and .git
  --format FORMAT       text (default), json or sarif (SARIF 2.1.0 for GitHub code scanning), on stdout;
                        mermaid or dot: the TLS map of the files (who sends to whom, over what, and
                        whether each handshake succeeds) as a Mermaid flowchart or Graphviz DOT
  --path-map FROM=TO    maps a path prefix used inside configs (a container path) to a local folder;
                        a relative TO is taken from the working directory; repeatable
  --sdk ID              the SDK that reads the env files: any (default), ${SDK_IDS.join(', ')}
  --fail-on LEVEL       exit 1 when a diagnostic of this severity or worse is shown: error (default),
                        warning, information, or none (exit 0 whatever is found)
  --sarif-output FILE   also write SARIF to FILE (the output of --format still goes to stdout)
  --no-config           do not read .otlp-tls.yaml files
  --max-problems-per-file N
                        list at most N problems of one file (default ${MAX_PROBLEMS_PER_FILE}), the most severe
                        first, then one too-many-problems line saying what was left out (the counts
                        and the exit code include them); 0 lists them all
  -h, --help            this help

Each file is checked with the nearest .otlp-tls.yaml in its folder or a folder above it, up to the
folder holding .git (or the filesystem root); --path-map and --sdk win over what it says. Findings on a
line with a "# otlp-tls-ignore: <code> <reason>" comment (or below one) are suppressed.

Exit codes: 0 nothing at the --fail-on level, 1 something at it, 2 usage or I/O error.
`;

export function parsePathMap(value: string, cwd: string): PathMapping {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--path-map expects FROM=TO, got "${value}"`);
  return pathMapping(value.slice(0, eq), value.slice(eq + 1), cwd);
}

const FAIL_ON = ['error', 'warning', 'information', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];
/** Severities at or above each --fail-on level. */
const FAILING: Record<FailOn, readonly string[]> = { error: ['error'], warning: ['error', 'warning'], information: ['error', 'warning', 'information'], none: [] };

interface CheckArgs {
  format: Format | GraphFormat;
  maxProblemsPerFile: number;
  paths: string[];
  commandLine: CommandLineSettings;
  failOn: FailOn;
  sarifOutput?: string;
  config: boolean;
}

function parseCheckArgs(argv: string[], cwd: string): CheckArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'path-map': { type: 'string', multiple: true, default: [] },
      sdk: { type: 'string' },
      'fail-on': { type: 'string', default: 'error' },
      'sarif-output': { type: 'string' },
      'no-config': { type: 'boolean', default: false },
      'max-problems-per-file': { type: 'string', default: String(MAX_PROBLEMS_PER_FILE) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.sdk !== undefined && values.sdk !== 'any' && !isSdkId(values.sdk)) throw new UsageError(`--sdk must be any, ${SDK_IDS.join(', ')}, not "${values.sdk}"`);
  if (!['text', 'json', 'sarif', ...GRAPH_FORMATS].includes(values.format!)) throw new UsageError(`--format must be text, json, sarif, ${GRAPH_FORMATS.join(' or ')}, not "${values.format}"`);
  if (!(FAIL_ON as readonly string[]).includes(values['fail-on']!)) throw new UsageError(`--fail-on must be ${FAIL_ON.join(', ')}, not "${values['fail-on']}"`);
  if (values['sarif-output'] === '') throw new UsageError('--sarif-output expects a file name');
  const maxProblemsPerFile = Number(values['max-problems-per-file']);
  if (!/^\d+$/.test(values['max-problems-per-file']!) || !Number.isSafeInteger(maxProblemsPerFile)) {
    throw new UsageError(`--max-problems-per-file must be a whole number (0: no limit), not "${values['max-problems-per-file']}"`);
  }
  const pathMappings = values['path-map']!.map((m) => parsePathMap(m, cwd));
  const paths = (positionals.length ? positionals : ['.']).map((p) => resolve(cwd, p));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  const sdk = values.sdk === 'any' ? 'any' : isSdkId(values.sdk) ? values.sdk : undefined;
  return {
    format: values.format as Format | GraphFormat,
    maxProblemsPerFile,
    paths,
    commandLine: { ...(pathMappings.length ? { pathMappings } : {}), ...(sdk ? { sdk } : {}) },
    failOn: values['fail-on'] as FailOn,
    ...(values['sarif-output'] ? { sarifOutput: resolve(cwd, values['sarif-output']) } : {}),
    config: !values['no-config'],
  };
}

export async function runCheckCommand(argv: string[], io: CliIo): Promise<number> {
  let args: CheckArgs;
  try {
    const parsed = parseCheckArgs(argv, io.cwd);
    if (parsed === 'help') {
      io.stdout(CHECK_USAGE);
      return 0;
    }
    args = parsed;
  } catch (error) {
    io.stderr(`otlp-tls check: ${(error as Error).message}\n${CHECK_USAGE.split('\n\n')[0]}\n(otlp-tls check --help explains the options)\n`);
    return 2;
  }

  const files = args.paths.flatMap((p) => (isDirectory(p) ? walkCandidates(p) : [p]));
  const settings: Settings = { ...defaultSettings, workspaceRoots: args.paths.map((p) => (isDirectory(p) ? p : dirname(p))) };
  let results: FileDiagnostic[];
  let omitted: OmittedFile[];
  let map: TlsMap | undefined;
  let summary: Coverage;
  try {
    const checked = checkWorkspace(files, io.runtime, settings, (path) => args.paths.includes(path), { commandLine: args.commandLine, enabled: args.config }, { maxProblemsPerFile: args.maxProblemsPerFile });
    results = checked.results;
    omitted = checked.omitted;
    if (isGraphFormat(args.format)) map = checked.tlsMap();
    summary = checked.coverage();
    if (args.sarifOutput) writeFileSync(args.sarifOutput, formatSarif(results, io.version, io.cwd, summary, omitted));
  } catch (error) {
    io.stderr(`otlp-tls check: ${(error as Error).message}\n`);
    return 2;
  }
  if (map && isGraphFormat(args.format)) io.stdout(formatGraph(args.format, map));
  else if (args.format === 'json') io.stdout(formatJson(results, summary, omitted));
  else if (args.format === 'sarif') io.stdout(formatSarif(results, io.version, io.cwd, summary, omitted));
  else io.stdout(formatText(results, io.cwd, summary, omitted));
  // The problems the per-file cap did not list count too.
  const failing = FAILING[args.failOn];
  const omittedFailing = omitted.some((o) => (failing.includes('error') && o.errors > 0) || (failing.includes('warning') && o.warnings > 0) || (failing.includes('information') && o.information > 0));
  return omittedFailing || results.some((r) => !r.suppression && failing.includes(severityName(r.diagnostic.severity))) ? 1 : 0;
}

interface LoadedFile {
  parsed: ParsedFile;
  /** Problems of reading the file (file-unreadable, file-too-large, invalid-encoding). */
  read: Problem[];
}

/**
 * Reads, parses and checks `files` as one workspace, with one language service. `named(path)` says
 * the user named that file explicitly: such a file is checked even when its name is not one the walk
 * would pick (but not when its .otlp-tls.yaml ignores it). A file that cannot be read is a problem on
 * that file; the others are still checked. Suppressed findings are in the result, with their suppression.
 */
export function checkFiles(
  files: string[],
  runtime: Runtime,
  settings: Settings,
  named: (path: string) => boolean = () => false,
  projectConfig: { commandLine?: CommandLineSettings; enabled?: boolean } = {},
): FileDiagnostic[] {
  return checkWorkspace(files, runtime, settings, named, projectConfig).results;
}

/**
 * checkFiles, and the TLS map of the same files, its edges' diagnostics the problems shown here (not checked again);
 * `omitted`: the files with more problems than `limits.maxProblemsPerFile` lists, and what was left out.
 */
export function checkWorkspace(
  files: string[],
  runtime: Runtime,
  settings: Settings,
  named: (path: string) => boolean = () => false,
  projectConfig: { commandLine?: CommandLineSettings; enabled?: boolean } = {},
  limits: { maxProblemsPerFile?: number } = {},
): { results: FileDiagnostic[]; omitted: OmittedFile[]; tlsMap(): TlsMap; coverage(): Coverage } {
  let workspace: WorkspaceIndex = emptyWorkspace;
  const service: LanguageService = getLanguageService({ runtime, settings, workspace: () => workspace, projectConfig, oneMoment: true, maxProblemsPerFile: limits.maxProblemsPerFile });
  const loaded: LoadedFile[] = [];
  for (const path of files) {
    if (!named(path) && !isCandidatePath(path)) continue;
    if (service.isIgnored(path)) continue;
    const file = readSourceFile(runtime.fileSystem, path);
    if (file.status === 'missing') continue;
    if (file.status === 'not-read') loaded.push({ parsed: emptyFile(path, ''), read: [file.problem] });
    else loaded.push({ parsed: service.parse({ path, text: file.text }), read: file.problems });
  }
  // Files a source names to be read as that source whatever their names (a compose env_file): checked too.
  const known = new Set(loaded.map((f) => f.parsed.path));
  for (const { parsed } of [...loaded]) {
    for (const [path, source] of Object.entries(parsed.references ?? {})) {
      if (known.has(path) || service.isIgnored(path)) continue;
      known.add(path);
      const file = readSourceFile(runtime.fileSystem, path);
      if (file.status === 'missing') continue; // the referring file reports it (composeEnvFiles)
      if (file.status === 'not-read') loaded.push({ parsed: emptyFile(path, ''), read: [file.problem] });
      else loaded.push({ parsed: service.parse({ path, text: file.text }, { source }), read: file.problems });
    }
  }
  workspace = service.workspaceIndex(loaded.map((f) => f.parsed).filter(hasUnits));
  const results: FileDiagnostic[] = [];
  const omitted: OmittedFile[] = [];
  const shown = new Map<string, Problem[]>();
  for (const { parsed, read } of loaded) {
    const { problems, suppressed, omitted: left } = service.check({ path: parsed.path, text: parsed.text }, parsed, read);
    shown.set(parsed.path, problems);
    if (left) omitted.push(omittedFile(parsed.path, left));
    if (problems.length === 0 && suppressed.length === 0) continue;
    const document = TextDocument.create('file://' + parsed.path, 'plaintext', 0, parsed.text);
    const lineOf = (line: number) => document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
    const found: { problem: Problem; suppression?: (typeof suppressed)[number]['suppression'] }[] = [
      ...problems.map((problem) => ({ problem })),
      ...suppressed.map(({ problem, suppression }) => ({ problem, suppression })),
    ].sort((a, b) => a.problem.offset - b.problem.offset);
    for (const { problem, suppression } of found) {
      const diagnostic = toDiagnostic(document, problem);
      results.push({
        file: parsed.path,
        diagnostic,
        line: lineOf(diagnostic.range.start.line),
        ...(problem.cause ? { cause: problem.cause } : {}),
        ...(suppression
          ? { suppression: { ...(suppression.reason ? { justification: suppression.reason } : {}), range: toDiagnostic(document, { code: problem.code, offset: suppression.offset, length: suppression.length, message: '' }).range } }
          : {}),
      });
    }
  }
  // One diagnostic per cause across files too: a client's finding about a receiver's file goes to that file's own.
  let map: TlsMap | undefined;
  const problemsOf = (path: string) => shown.get(path) ?? [];
  const tlsMap = () => (map ??= service.tlsMap({ problemsOf }));
  const checkedFiles: CheckedFile[] = loaded.map(({ parsed, read }) => ({
    ...(parsed.source ? { source: parsed.source } : {}),
    hasUnits: hasUnits(parsed),
    ...(read.some((p) => p.code === 'file-unreadable' || p.code === 'file-too-large') ? { notRead: true } : {}),
    ...(isProjectConfigPath(parsed.path) ? { projectConfig: true } : {}),
  }));
  return { results: oneByCauseAcrossFiles(results, (path) => URI.file(path).toString()), omitted, tlsMap, coverage: () => coverage(checkedFiles, map ?? service.tlsMap({ problemsOf, edgesOnly: true })) };
}

function omittedFile(file: string, omitted: OmittedProblems): OmittedFile {
  const { error, warning, information, hint } = omitted.bySeverity;
  const codes = Object.fromEntries((Object.entries(omitted.byCode) as [string, number][]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return { file, total: omitted.total, errors: error, warnings: warning, information, hints: hint, codes };
}

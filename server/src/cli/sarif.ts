/**
 * SARIF 2.1.0 for GitHub code scanning (a stable contract: extend, never rename). What code scanning reads:
 * - `rules`: every code, with its description, its section of docs/diagnostics.md as `help.markdown`,
 *   its docs link, its default level; the security rules (diagnosticCodes.ts `security`) carry
 *   `properties.security-severity` and `tags` (`security`, `tls`, `external/cwe/cwe-<n>`), the others
 *   `tls` and `correctness` (a finding that breaks the handshake or the config, not a weakness);
 * - `results`: paths relative to `%SRCROOT%` (the working directory) when inside it, full regions
 *   (UTF-16 columns, `columnKind`), `relatedLocations` with full regions, `partialFingerprints`
 *   (`otlpTls/v1`: a hash of the code, the file, the flagged line's text with its blanks normalised and
 *   the occurrence of that triple in the run, so moving lines does not make a finding new), and for a
 *   finding an `otlp-tls-ignore` comment suppressed, `suppressions` (`inSource`, with the reason as
 *   `justification`);
 * - `run.properties`: `summary` (what was checked, and every problem found counted, listed or not) and
 *   `omitted` (per file, the problems the per-file cap left out of `results`: formatters.ts `OmittedFile`).
 */
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOCS_URL, diagnosticCodes, type CodeInfo, type DiagnosticCode } from '../service/diagnosticCodes';
import { severityName } from '../service/diagnostics';
import type { Range } from '../service/languageTypes';
import { pathOfUri, summaryObject, type FileDiagnostic, type OmittedFile } from './formatters';
import type { Coverage } from '../service/features/coverage';
import { ruleHelp } from './ruleHelp';

const sarifLevel = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** The key of partialFingerprints (versioned: a new way of computing it gets a new key). */
export const FINGERPRINT_KEY = 'otlpTls/v1';

export function formatSarif(results: FileDiagnostic[], version: string, cwd: string, checked?: Coverage, omitted: readonly OmittedFile[] = []): string {
  const artifact = (file: string) => {
    const rel = relative(cwd, file);
    return rel.startsWith('..') || rel === file ? { uri: pathToFileURL(file).href } : { uri: rel.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  };
  const region = (range: Range) => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  const codes = Object.keys(diagnosticCodes) as DiagnosticCode[];
  const occurrences = new Map<string, number>();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'otlp-tls', informationUri: DOCS_URL, version, rules: codes.map(rule) } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').href } },
        columnKind: 'utf16CodeUnits',
        // What the run checked, as the text and JSON outputs say it (features/coverage.ts).
        // What the per-file cap left out of the results (formatters.ts OmittedFile), counted in the summary.
        ...(checked ? { properties: { summary: summaryObject(results, checked, omitted), omitted } } : {}),
        results: results.map(({ file, diagnostic: d, line, suppression }) => {
          const location = artifact(file);
          const key = [d.code, location.uri, line.trim().replace(/\s+/g, ' ')].join('\0');
          const occurrence = occurrences.get(key) ?? 0;
          occurrences.set(key, occurrence + 1);
          return {
            ruleId: d.code,
            ruleIndex: codes.indexOf(d.code),
            level: sarifLevel[severityName(d.severity)],
            message: { text: d.message },
            locations: [{ physicalLocation: { artifactLocation: location, region: region(d.range) } }],
            partialFingerprints: { [FINGERPRINT_KEY]: createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32) },
            ...(d.relatedInformation
              ? {
                  relatedLocations: d.relatedInformation.map((r, id) => ({
                    id,
                    message: { text: r.message },
                    physicalLocation: { artifactLocation: artifact(pathOfUri(r.location.uri)), region: region(r.location.range) },
                  })),
                }
              : {}),
            ...(suppression
              ? {
                  suppressions: [
                    {
                      kind: 'inSource',
                      ...(suppression.justification ? { justification: suppression.justification } : {}),
                      location: { physicalLocation: { artifactLocation: location, region: region(suppression.range) } },
                    },
                  ],
                }
              : {}),
          };
        }),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function rule(code: DiagnosticCode) {
  const info: CodeInfo = diagnosticCodes[code];
  const help = ruleHelp(code);
  const helpUri = `${DOCS_URL}#${code}`;
  return {
    id: code,
    name: code.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: info.description },
    fullDescription: { text: info.description },
    ...(help ? { help: { text: `${info.description} See ${helpUri}`, markdown: help } } : {}),
    helpUri,
    defaultConfiguration: { level: sarifLevel[info.severity] },
    properties: info.security
      ? { tags: ['security', 'tls', `external/cwe/cwe-${info.security.cwe}`], 'security-severity': info.security.score.toFixed(1) }
      : { tags: ['tls', 'correctness'] },
  };
}

/** The CLI's three output formats: text, json and SARIF 2.1.0 (a stable contract). */
import { pathToFileURL } from 'node:url';
import { relative } from 'node:path';
import { DOCS_URL, diagnosticCodes, type DiagnosticCode } from '../service/diagnosticCodes';
import { severityName } from '../service/diagnostics';
import type { CheckedDiagnostic } from '../service/languageTypes';

export interface FileDiagnostic {
  file: string;
  diagnostic: CheckedDiagnostic;
}

export type Format = 'text' | 'json' | 'sarif';

export function formatText(results: FileDiagnostic[], cwd: string): string {
  const lines = results.map(({ file, diagnostic: d }) => {
    const shown = relative(cwd, file).startsWith('..') ? file : relative(cwd, file);
    return `${shown}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severityName(d.severity)} ${d.code}: ${d.message}`;
  });
  const errors = results.filter((r) => severityName(r.diagnostic.severity) === 'error').length;
  const warnings = results.filter((r) => severityName(r.diagnostic.severity) === 'warning').length;
  lines.push(`${results.length} problem${results.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`);
  return lines.join('\n') + '\n';
}

export function formatJson(results: FileDiagnostic[]): string {
  const diagnostics = results.map(({ file, diagnostic: d }) => ({
    file,
    range: d.range,
    severity: severityName(d.severity),
    code: d.code,
    message: d.message,
    ...(d.relatedInformation ? { relatedInformation: d.relatedInformation } : {}),
  }));
  return JSON.stringify({ diagnostics }, null, 2) + '\n';
}

const sarifLevel = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

export function formatSarif(results: FileDiagnostic[], version: string, cwd: string): string {
  const artifact = (file: string) => {
    const rel = relative(cwd, file);
    return rel.startsWith('..') || rel === file ? { uri: pathToFileURL(file).href } : { uri: rel.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  };
  const codes = Object.keys(diagnosticCodes) as DiagnosticCode[];
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'otlp-tls',
            informationUri: DOCS_URL,
            version,
            rules: codes.map((code) => ({
              id: code,
              name: code.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: diagnosticCodes[code].description },
              helpUri: `${DOCS_URL}#${code}`,
              defaultConfiguration: { level: sarifLevel[diagnosticCodes[code].severity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').href } },
        results: results.map(({ file, diagnostic: d }) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: sarifLevel[severityName(d.severity)],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(file),
                region: {
                  startLine: d.range.start.line + 1,
                  startColumn: d.range.start.character + 1,
                  endLine: d.range.end.line + 1,
                  endColumn: d.range.end.character + 1,
                },
              },
            },
          ],
          ...(d.relatedInformation
            ? {
                relatedLocations: d.relatedInformation.map((r, id) => ({
                  id,
                  message: { text: r.message },
                  physicalLocation: {
                    artifactLocation: { uri: r.location.uri },
                    region: { startLine: r.location.range.start.line + 1, startColumn: r.location.range.start.character + 1 },
                  },
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * Completion and hover in `.otlp-tls.yaml`, from schemas/otlp-tls-config.schema.json (through ../schemas.ts):
 * its keys, the diagnostic codes under `severity:` and their levels, the SDK ids of `sdk:`. The key path
 * of a line is read from the indentation of the lines above it, so it works while the line being typed
 * is not valid YAML yet. (Its diagnostics come from project/configFile.ts, through validate.)
 */
import { CompletionItemKind, type CompletionItem, type Hover, type Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DOCS_URL, isDiagnosticCode } from '../diagnosticCodes';
import { projectConfigDescription, projectConfigKeys, projectConfigValues } from '../schemas';

/** The keys of the mappings that hold line `line` (outermost first), from the indentation above it. */
function parentKeys(lines: readonly string[], line: number, indent: number): string[] {
  const keys: string[] = [];
  let limit = indent;
  for (let i = line - 1; i >= 0 && limit > 0; i--) {
    const text = lines[i];
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const lead = text.length - text.trimStart().length;
    if (lead >= limit) continue;
    const key = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^\s#:][^#:]*?)\s*:(\s|$)/.exec(text)?.[1];
    if (key === undefined) break;
    keys.unshift(unquote(key));
    limit = lead;
  }
  return keys;
}

const unquote = (key: string) => key.replace(/^(["'])(.*)\1$/, '$2');

function linesOf(document: TextDocument): string[] {
  return document.getText().split(/\r\n|\r|\n/);
}

export function projectConfigCompletion(document: TextDocument, position: Position): CompletionItem[] {
  const lines = linesOf(document);
  const prefix = (lines[position.line] ?? '').slice(0, position.character);
  const indent = prefix.length - prefix.trimStart().length;
  const parents = parentKeys(lines, position.line, indent);
  const range = (typed: string) => ({ start: { line: position.line, character: position.character - typed.length }, end: position });

  const value = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^\s#:][^#:]*?)\s*:\s+([\w-]*)$/.exec(prefix);
  if (value) {
    const path = [...parents, unquote(value[1])];
    return projectConfigValues(path).map((v, i) => ({ label: v, kind: CompletionItemKind.EnumMember, textEdit: { range: range(value[2]), newText: v }, sortText: String(i).padStart(3, '0') }));
  }
  const key = /^\s*([\w-]*)$/.exec(prefix);
  if (!key) return [];
  const siblings = new Set(lines.filter((l, i) => i !== position.line && l.length - l.trimStart().length === indent && parentKeys(lines, i, indent).join('\0') === parents.join('\0')).map((l) => /^\s*([\w-]+)\s*:/.exec(l)?.[1]));
  return projectConfigKeys(parents)
    .filter((name) => !siblings.has(name))
    .map((name, i) => {
      const description = projectConfigDescription([...parents, name]);
      return {
        label: name,
        kind: parents.length === 0 ? CompletionItemKind.Property : CompletionItemKind.Value,
        ...(description ? { documentation: { kind: 'markdown' as const, value: description } } : {}),
        textEdit: { range: range(key[1]), newText: `${name}: ` },
        sortText: String(i).padStart(3, '0'),
      };
    });
}

export function projectConfigHover(document: TextDocument, position: Position): Hover | null {
  const lines = linesOf(document);
  const text = lines[position.line] ?? '';
  const match = /^(\s*(?:-\s+)?)("[^"]*"|'[^']*'|[^\s#:][^#:]*?)\s*:(\s|$)/.exec(text);
  if (!match) return null;
  const start = match[1].length;
  const end = start + match[2].length;
  if (position.character < start || position.character > end) return null;
  const parents = parentKeys(lines, position.line, start - (match[1].includes('-') ? match[1].length - match[1].trimStart().length : 0));
  const key = unquote(match[2]);
  const description = projectConfigDescription([...parents, key]);
  if (!description) return null;
  const link = parents.length === 1 && parents[0] === 'severity' && isDiagnosticCode(key) ? `\n\n[${key} in docs/diagnostics.md](${DOCS_URL}#${key})` : '';
  return {
    contents: { kind: 'markdown', value: `**${[...parents, key].join('.')}** (.otlp-tls.yaml)\n\n${description}${link}` },
    range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } },
  };
}

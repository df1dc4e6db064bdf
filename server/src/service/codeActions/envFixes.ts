/** Edits shared by the env file fixers. */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { envValueText, indentAt, insertEdit, lineStartOf, offsetsOf, quickFix } from './edits';
import type { FixContext } from './fixContext';

/** Env files: `name=value` on a new line above the variable the diagnostic sits on (same indentation and `export`). */
export function addVariableFix(diagnostic: Diagnostic, { document, parsed, text }: FixContext, add: { name: string; value: string }, preferred: boolean): CodeAction[] {
  if (parsed.kind !== 'env') return [];
  const [start] = offsetsOf(document, diagnostic);
  const entry = parsed.model.entries.find((e) => e.valueOffset === start);
  if (!entry) return [];
  const at = lineStartOf(text, entry.nameOffset);
  const line = `${indentAt(text, entry.nameOffset)}${entry.exported ? 'export ' : ''}${add.name}=${envValueText(add.value)}\n`;
  return [quickFix(`Add ${add.name}=${add.value}`, diagnostic, document.uri, [insertEdit(document, at, line)], preferred)];
}

/** Fixes shared by the app setting fixers. */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { quickFix } from './edits';
import { appSettingAt, type FixContext } from './fixContext';
import type { Locator } from '../languageTypes';

/** `name=value` added on a new line above the setting at `at` (laid out as its source writes settings). */
export function addVariableFix(diagnostic: Diagnostic, context: FixContext, add: { name: string; value: string; at: Locator }, preferred: boolean): CodeAction[] {
  const found = appSettingAt(context, add.at);
  if (!found) return [];
  const edit = found.editor.apply(found.unit.edits.add(found.setting, 'before', add.name, add.value));
  return [quickFix(`Add ${add.name}=${add.value}`, diagnostic, context.document.uri, [edit], preferred)];
}

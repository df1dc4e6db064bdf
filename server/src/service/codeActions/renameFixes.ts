/**
 * `unknown-key`, `unknown-variable`, `deprecated-variable`: rename the key or setting at the data's
 * locator (kind `rename`) to each suggestion.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import { appSettingAt, appYamlEntryAt, collectorEntryAt, dataOf, type Fixer } from './fixContext';
import { quickFix } from './edits';

export const renameFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'rename');
  if (!data) return [];
  let current: string;
  let rename: (name: string) => TextEdit;
  const setting = appSettingAt(context, data.at);
  if (setting) {
    const { unit, editor } = setting;
    current = unit.text.slice(setting.setting.nameOffset, setting.setting.nameOffset + setting.setting.nameLength);
    rename = (name) => editor.apply(unit.edits.rename(setting.setting, name));
  } else if (appYamlEntryAt(context, data.at)) {
    const found = appYamlEntryAt(context, data.at)!;
    const range = found.entry?.keyNode?.range;
    if (!range) return [];
    current = found.unit.text.slice(range[0], range[1]);
    rename = (name) => found.editor.replace(range[0], range[1], name);
  } else {
    const found = collectorEntryAt(context, data.at);
    const range = found?.entry.keyNode?.range;
    if (!found || !range) return [];
    current = found.unit.text.slice(range[0], range[1]);
    rename = (name) => found.editor.replace(range[0], range[1], name);
  }
  return data.suggestions
    .filter((s) => s !== current)
    .map((suggestion, _i, all) => quickFix(`Rename ${current} to ${suggestion}`, diagnostic, context.document.uri, [rename(suggestion)], all.length === 1));
};

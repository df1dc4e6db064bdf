/**
 * `unknown-key`, `unknown-variable`, `deprecated-variable`: rename the key or variable to each
 * suggestion of `data` (kind `rename`). The diagnostic covers exactly the name, so the edit replaces it.
 */
import { dataOf, type Fixer } from './fixContext';
import { offsetsOf, quickFix, replaceEdit } from './edits';

export const renameFix: Fixer = (diagnostic, { document, text }) => {
  const data = dataOf(diagnostic, 'rename');
  if (!data) return [];
  const [start, end] = offsetsOf(document, diagnostic);
  const current = text.slice(start, end);
  return data.suggestions
    .filter((s) => s !== current)
    .map((suggestion, _i, all) => quickFix(`Rename ${current} to ${suggestion}`, diagnostic, document.uri, [replaceEdit(document, start, end, suggestion)], all.length === 1));
};

/**
 * `yaml-syntax`: what the `yaml` parser reports, on the exact characters it points at; at most
 * MAX_SYNTAX_PROBLEMS per document (a broken paste can make tens of thousands, each one a diagnostic for
 * the editor to hold), the rest noted for `limit-exceeded`.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import { noteLimit } from '../yaml/yamlNodes';

export const MAX_SYNTAX_PROBLEMS = 1000;

export const yamlSyntax: Check<CollectorCheckContext> = {
  name: 'yamlSyntax',
  kind: 'collector',
  run({ model, text }) {
    const problems: Problem[] = [];
    const all = [...model.doc.errors, ...model.doc.warnings];
    if (all.length > MAX_SYNTAX_PROBLEMS) {
      const next = all[MAX_SYNTAX_PROBLEMS];
      noteLimit(model.doc, {
        kind: 'errors',
        offset: next.pos[0],
        length: Math.max(1, next.pos[1] - next.pos[0]),
        message: `More than ${MAX_SYNTAX_PROBLEMS.toLocaleString('en-US')} YAML syntax errors: the first ${MAX_SYNTAX_PROBLEMS.toLocaleString('en-US')} are reported, the ${(all.length - MAX_SYNTAX_PROBLEMS).toLocaleString('en-US')} from here on are not.`,
      });
    }
    for (const error of all.slice(0, MAX_SYNTAX_PROBLEMS)) {
      const [start, end] = widen(text, error.pos);
      problems.push({
        code: 'yaml-syntax',
        offset: start,
        length: Math.max(1, end - start),
        message: error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, ''),
        severity: error.name === 'YAMLWarning' ? 'warning' : 'error',
      });
    }
    return problems;
  },
};

/** The parser points at one character for some errors (duplicate keys): cover the whole token there. */
function widen(text: string, [start, end]: [number, number]): [number, number] {
  if (end - start > 1) return [start, end];
  const token = /^[^\s:,\[\]{}#]+/.exec(text.slice(start, start + 256));
  return token ? [start, start + token[0].length] : [start, end];
}

/** `yaml-syntax`: what the `yaml` parser reports, on the exact characters it points at. */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';

export const yamlSyntax: Check<CollectorCheckContext> = {
  name: 'yamlSyntax',
  kind: 'collector',
  run({ model, text }) {
    const problems: Problem[] = [];
    for (const error of [...model.doc.errors, ...model.doc.warnings]) {
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

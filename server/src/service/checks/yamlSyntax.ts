/** `yaml-syntax`: what the `yaml` parser reports, on the exact characters it points at. */
import type { Check, CollectorCheckContext } from './check';
import { yamlErrorProblems } from '../problems';

export const yamlSyntax: Check<CollectorCheckContext> = {
  name: 'yamlSyntax',
  kind: 'collector',
  perComponent: true,
  run({ model, text }) {
    return yamlErrorProblems(model.doc, text);
  },
};

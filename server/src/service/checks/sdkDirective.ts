/**
 * `invalid-value` on a `# otlp-tls: sdk=<id>` comment in an env file that names no known SDK (the
 * comment tells the other env checks which SDK reads the file; see ../sdk/sdks.ts).
 */
import { distance } from 'fastest-levenshtein';
import type { Check, EnvCheckContext } from './check';
import { SDK_IDS, isSdkId } from '../sdk/sdks';

export const sdkDirectiveCheck: Check<EnvCheckContext> = {
  name: 'sdkDirective',
  kind: 'env',
  run({ model }) {
    const directive = model.sdkDirective;
    if (!directive || isSdkId(directive.id)) return [];
    const near = [...SDK_IDS].sort((a, b) => distance(a, directive.id) - distance(b, directive.id));
    const close = directive.id && distance(near[0], directive.id) <= 2 ? near[0] : undefined;
    return [{
      code: 'invalid-value',
      severity: 'warning',
      offset: directive.offset,
      length: directive.length,
      message:
        `"${directive.id}" is not an SDK this checker knows${close ? ` (did you mean ${close}?)` : ''}: use one of ${SDK_IDS.join(', ')}. ` +
        'Until then the checks say what each SDK does.',
      data: { kind: 'values', values: close ? [close] : [...SDK_IDS] },
    }];
  },
};

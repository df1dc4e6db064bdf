/**
 * `invalid-value` on a `# otlp-tls: sdk=<id>` comment in an env file that names no known SDK (the
 * comment tells the other app checks which SDK reads the file; see ../sdk/sdks.ts).
 */
import { distance } from 'fastest-levenshtein';
import type { AppCheckContext, Check } from './check';
import { SDK_IDS, isSdkId } from '../sdk/sdks';

export const sdkDirectiveCheck: Check<AppCheckContext> = {
  name: 'sdkDirective',
  kind: 'app',
  run({ unit }) {
    const directive = unit.sdkDirective;
    if (!directive || isSdkId(directive.id)) return [];
    const near = [...SDK_IDS].sort((a, b) => distance(a, directive.id) - distance(b, directive.id));
    const close = directive.id && distance(near[0], directive.id) <= 2 ? near[0] : undefined;
    return [{
      code: 'invalid-value',
      severity: 'warning',
      offset: directive.offset,
      length: directive.length,
      message:
        `Unknown SDK "${directive.id}": ${close ? `did you mean ${close}?` : 'use a known one.'} The SDKs this checker knows: ${SDK_IDS.join(', ')}. ` +
        'Until then the checks say what each SDK does.',
      data: { kind: 'values', values: close ? [close] : [...SDK_IDS], at: { app: unit.index, sdk: true } },
    }];
  },
};

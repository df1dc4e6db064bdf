/**
 * Cross-file: an app's OTLP exporter against the collector receivers it sends to.
 * For every signal (per-signal settings override generic ones), the endpoint is judged against every
 * receiver listener of the workspace it reaches: through the Services its host names, else on its port
 * (findings name the listener when there are several; none: no-listener), with the verdict of the named SDK's TLS stack, else Go's with warnings naming
 * the SDKs that would decide otherwise (../certificates/verifyHandshake.ts), the SDK runtime's own TLS
 * settings included (../certificates/runtimeTls.ts). The diagnostic sits on the endpoint (or the
 * CERTIFICATE / CLIENT_CERTIFICATE value), with `related` on the receiver's file.
 * The pairing and the judgement are the app links of ../certificates/links.ts, which the TLS map
 * draws too; whether the client uses TLS is the SDK rule of ../model/clientTls.ts.
 */
import type { AppCheckContext, Check } from './check';
import { appLinks } from '../certificates/links';

export const handshake: Check<AppCheckContext> = {
  name: 'handshake',
  kind: 'app',
  run(context) {
    return appLinks(context).problems.map((merged) => merged.problem);
  },
};

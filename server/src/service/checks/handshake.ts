/**
 * Cross-file: an app's OTLP exporter against the collector receiver it sends to.
 * For every signal (per-signal settings override generic ones) whose endpoint's port is served
 * by exactly one receiver listener of the workspace, predicts the handshake by Go's rules:
 * plaintext-endpoint, san-mismatch, cn-only, unknown-authority, not-a-ca, weak-signature,
 * cert-expired, missing-eku, missing-client-cert, weak-tls-version. The diagnostic sits on the
 * endpoint (or the CERTIFICATE / CLIENT_CERTIFICATE value), with `related` on the receiver's file.
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

/**
 * Cross-file: an OTLP exporter of one collector config (an agent) against the receiver of another
 * config in the workspace (a gateway) that listens on its endpoint's port. Same verdicts as the app
 * side (./handshake.ts), with the exporter's ca_file, cert_file/key_file, server_name_override and
 * insecure_skip_verify. TLS is decided as the Collector does (../model/clientTls.ts). The pairing
 * and the judgement are the exporter links of ../certificates/links.ts, which the TLS map draws too.
 */
import type { Check, CollectorCheckContext } from './check';
import { exporterLinks } from '../certificates/links';

export const exporterToReceiver: Check<CollectorCheckContext> = {
  name: 'exporterToReceiver',
  kind: 'collector',
  run(context) {
    return exporterLinks(context).flatMap((link) => link.problems);
  },
};

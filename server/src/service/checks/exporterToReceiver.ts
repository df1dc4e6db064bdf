/**
 * Cross-file: an OTLP exporter of one collector config (an agent) against the receivers of other
 * configs in the workspace (a gateway) that listen on its endpoint's port, each judged (findings name
 * the listener when there are several; none, while other configs have listeners: no-listener). Same
 * verdicts as the app side (./handshake.ts), with Go on both ends and the exporter's ca_file (with
 * include_system_ca_certs_pool), cert_file/key_file, server_name_override, insecure_skip_verify,
 * min_version/max_version, cipher_suites and curve_preferences. TLS is decided as the Collector does
 * (../model/clientTls.ts). The pairing and the judgement are the exporter links of
 * ../certificates/links.ts, which the TLS map draws too.
 */
import type { Check, CollectorCheckContext } from './check';
import { exporterLinks } from '../certificates/links';

export const exporterToReceiver: Check<CollectorCheckContext> = {
  name: 'exporterToReceiver',
  kind: 'collector',
  perComponent: true,
  run(context) {
    return exporterLinks(context).flatMap((link) => link.problems);
  },
};

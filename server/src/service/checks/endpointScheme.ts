/**
 * `tls-ignored` and `plaintext-endpoint` inside one collector config: client TLS settings that the
 * endpoint scheme or another setting overrides (collector-tls.md 3.2 and 4.1), by the Collector's
 * rule for its clients (../model/clientTls.ts):
 * - gRPC: TLS unless insecure: true with no CA and no https:// scheme; http:// does not turn TLS off.
 * - HTTP: the URL scheme alone decides; TLS settings on an http:// URL are ignored.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Locator, Problem } from '../languageTypes';
import { endpointPath, entryPath, type ExporterTarget, type TlsBlock } from '../model/collector';
import { clientTlsSettings, collectorClientTls } from '../model/clientTls';
import { schemeOf } from '../model/endpoint';
import { isSet, isTrue, readEntry, readSetting } from '../model/tlsValues';
import type { MapEntry } from '../yaml/yamlNodes';
import { defined, problemAt } from '../problems';

/** Keys that configure TLS (not the ones that turn it off). */
const TLS_SETTING_KEYS = ['ca_file', 'ca_pem', 'cert_file', 'cert_pem', 'key_file', 'key_pem', 'server_name_override', 'min_version', 'max_version', 'cipher_suites', 'insecure_skip_verify'];

type GetEnv = (name: string) => string | undefined;

export const endpointScheme: Check<CollectorCheckContext> = {
  name: 'endpointScheme',
  kind: 'collector',
  perComponent: true,
  run({ model, runtime, at }) {
    const getEnv = runtime.getEnv;
    const problems: (Problem | undefined)[] = [];
    for (const block of model.tlsBlocks) {
      if (block.role !== 'client' && block.role !== 'either') continue;
      const { insecure, hasCa } = clientTlsSettings(block, getEnv);
      if (isTrue(insecure) && hasCa) {
        problems.push(
          problemAt(insecure!.entry.keyNode, 'tls-ignored', `insecure: true is ignored: a CA is set, so ${block.component.id} uses TLS verified with that CA. Remove insecure, or remove the CA for plaintext.`, {
            data: { kind: 'remove-key', at: at(entryPath(block, 'insecure')) },
          }),
        );
      }
    }
    for (const exporter of model.exporters) {
      const endpoints = [exporter.endpoint, ...exporter.signalEndpoints].filter((e): e is MapEntry => !!e);
      for (const endpoint of endpoints) {
        const value = readEntry(endpoint, getEnv);
        if (value.unknown || typeof value.known !== 'string') continue;
        const scheme = schemeOf(value.known);
        const endpointAt = at(endpointPath(exporter, endpoint));
        problems.push(...(exporter.protocol === 'grpc' ? grpcEndpoint(exporter, endpoint, scheme, getEnv, endpointAt, at) : httpEndpoint(exporter, endpoint, scheme, getEnv, endpointAt, at)));
      }
    }
    return defined(problems);
  },
};

function settings(block: TlsBlock | undefined, getEnv: GetEnv) {
  const client = clientTlsSettings(block, getEnv);
  const configured = block ? TLS_SETTING_KEYS.filter((key) => isSet(readSetting(block, key, getEnv))) : [];
  return { ...client, configured };
}

function grpcEndpoint(exporter: ExporterTarget, endpoint: MapEntry, scheme: string | undefined, getEnv: GetEnv, endpointAt: Locator, at: CollectorCheckContext['at']): (Problem | undefined)[] {
  const tls = settings(exporter.tls, getEnv);
  const { usesTls } = collectorClientTls('grpc', scheme, tls);
  if (scheme === 'http' && usesTls) {
    return [
      problemAt(
        endpoint.value,
        'plaintext-endpoint',
        `${exporter.component.id} uses TLS despite http://: write https://, or set tls.insecure: true. For gRPC exporters http:// does not turn TLS off: https:// (or no scheme) says TLS, tls.insecure: true means plaintext.`,
        { data: { kind: 'scheme', from: 'http', to: 'https', at: endpointAt } },
      ),
    ];
  }
  if (scheme === 'https' && isTrue(tls.insecure) && !tls.hasCa) {
    return [
      problemAt(tls.insecure!.entry.keyNode, 'tls-ignored', `insecure: true is ignored: the https:// endpoint makes ${exporter.component.id} use TLS (verified with the system roots).`, {
        data: { kind: 'remove-key', at: at(entryPath(exporter.tls!, 'insecure')) },
      }),
    ];
  }
  return [];
}

function httpEndpoint(exporter: ExporterTarget, endpoint: MapEntry, scheme: string | undefined, getEnv: GetEnv, endpointAt: Locator, at: CollectorCheckContext['at']): (Problem | undefined)[] {
  const { insecure, configured } = settings(exporter.tls, getEnv);
  if (scheme === 'http' && configured.length > 0) {
    const problem = problemAt(
      endpoint.value,
      'tls-ignored',
      `${exporter.component.id} sends plaintext, so its tls: settings are ignored: use https:// for TLS. For HTTP exporters the URL scheme alone decides, so ${configured.join(', ')} ${configured.length === 1 ? 'is' : 'are'} ignored.`,
      { data: { kind: 'scheme', from: 'http', to: 'https', at: endpointAt } },
    );
    // Against a TLS receiver of the workspace the handshake check reports the plaintext endpoint here: that is the one diagnostic.
    if (problem) problem.cause = { code: 'plaintext-endpoint', offset: problem.offset, length: problem.length, note: `its tls: settings (${configured.join(', ')}) are ignored` };
    return [problem];
  }
  if (scheme === 'https' && isTrue(insecure)) {
    return [
      problemAt(insecure!.entry.keyNode, 'tls-ignored', `insecure: true does not turn HTTPS off: the https:// URL makes ${exporter.component.id} use TLS. Use http:// for plaintext.`, {
        data: { kind: 'remove-key', at: at(entryPath(exporter.tls!, 'insecure')) },
      }),
    ];
  }
  return [];
}

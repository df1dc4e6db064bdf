/**
 * `tls-ignored` and `plaintext-endpoint` inside one collector config: client TLS settings that the
 * endpoint scheme or another setting overrides (collector-tls.md 3.2 and 4.1).
 * - gRPC: TLS unless insecure: true with no CA and no https:// scheme; http:// does not turn TLS off.
 * - HTTP: the URL scheme alone decides; TLS settings on an http:// URL are ignored.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import type { ExporterTarget, TlsBlock } from '../model/collector';
import { isKnownSet, isSet, isTrue, readEntry, readSetting } from '../model/tlsValues';
import type { MapEntry } from '../yaml/yamlNodes';
import { defined, problemAt } from '../problems';

/** Keys that configure TLS (not the ones that turn it off). */
const TLS_SETTING_KEYS = ['ca_file', 'ca_pem', 'cert_file', 'cert_pem', 'key_file', 'key_pem', 'server_name_override', 'min_version', 'max_version', 'cipher_suites', 'insecure_skip_verify'];

export const endpointScheme: Check<CollectorCheckContext> = {
  name: 'endpointScheme',
  kind: 'collector',
  run({ model, runtime }) {
    const getEnv = runtime.getEnv;
    const problems: (Problem | undefined)[] = [];
    for (const block of model.tlsBlocks) {
      if (block.role !== 'client' && block.role !== 'either') continue;
      const insecure = readSetting(block, 'insecure', getEnv);
      const hasCa = isKnownSet(readSetting(block, 'ca_file', getEnv)) || isKnownSet(readSetting(block, 'ca_pem', getEnv));
      if (isTrue(insecure) && hasCa) {
        problems.push(
          problemAt(insecure!.entry.keyNode, 'tls-ignored', `insecure: true is ignored: a CA is set, so ${block.component.id} uses TLS verified with that CA. Remove insecure, or remove the CA for plaintext.`, {
            data: { kind: 'remove-key' },
          }),
        );
      }
    }
    for (const exporter of model.exporters) {
      const endpoints = [exporter.endpoint, ...exporter.signalEndpoints].filter((e): e is MapEntry => !!e);
      for (const endpoint of endpoints) {
        const value = readEntry(endpoint, getEnv);
        if (value.unknown || typeof value.known !== 'string') continue;
        problems.push(...(exporter.protocol === 'grpc' ? grpcEndpoint(exporter, endpoint, value.known, getEnv) : httpEndpoint(exporter, endpoint, value.known, getEnv)));
      }
    }
    return defined(problems);
  },
};

function settings(block: TlsBlock | undefined, getEnv: (name: string) => string | undefined) {
  const get = (key: string) => (block ? readSetting(block, key, getEnv) : undefined);
  const insecure = get('insecure');
  const hasCa = isKnownSet(get('ca_file')) || isKnownSet(get('ca_pem'));
  const configured = TLS_SETTING_KEYS.filter((key) => isSet(get(key)));
  return { insecure, hasCa, configured };
}

function grpcEndpoint(exporter: ExporterTarget, endpoint: MapEntry, url: string, getEnv: (name: string) => string | undefined): (Problem | undefined)[] {
  const { insecure, hasCa } = settings(exporter.tls, getEnv);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const usesTls = !(isTrue(insecure) && !hasCa && scheme !== 'https');
  if (scheme === 'http' && usesTls) {
    return [
      problemAt(
        endpoint.value,
        'plaintext-endpoint',
        `${exporter.component.id} still uses TLS: for gRPC exporters http:// does not turn TLS off. Write https:// (or no scheme) to say so, or set tls.insecure: true for plaintext.`,
        { data: { kind: 'scheme', from: 'http', to: 'https' } },
      ),
    ];
  }
  if (scheme === 'https' && isTrue(insecure) && !hasCa) {
    return [
      problemAt(insecure!.entry.keyNode, 'tls-ignored', `insecure: true is ignored: the https:// endpoint makes ${exporter.component.id} use TLS (verified with the system roots).`, {
        data: { kind: 'remove-key' },
      }),
    ];
  }
  return [];
}

function httpEndpoint(exporter: ExporterTarget, endpoint: MapEntry, url: string, getEnv: (name: string) => string | undefined): (Problem | undefined)[] {
  const { insecure, configured } = settings(exporter.tls, getEnv);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' && configured.length > 0) {
    return [
      problemAt(
        endpoint.value,
        'tls-ignored',
        `${exporter.component.id} sends in plaintext: the URL scheme alone decides for HTTP exporters, so its TLS settings (${configured.join(', ')}) are ignored. Use https://.`,
        { data: { kind: 'scheme', from: 'http', to: 'https' } },
      ),
    ];
  }
  if (scheme === 'https' && isTrue(insecure)) {
    return [
      problemAt(insecure!.entry.keyNode, 'tls-ignored', `insecure: true does not turn HTTPS off: the https:// URL makes ${exporter.component.id} use TLS. Use http:// for plaintext.`, {
        data: { kind: 'remove-key' },
      }),
    ];
  }
  return [];
}

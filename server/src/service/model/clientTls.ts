/**
 * The one "does this client use TLS" rule, for both kinds of clients the product judges:
 * - a Collector exporter or client tls block (Go's configgrpc/confighttp with configtls,
 *   collector-tls.md §3.2 and §4.1): gRPC uses TLS unless `tls.insecure: true` with no CA and no
 *   https://, so http:// does not turn it off; HTTP follows the URL scheme. A client block loads its
 *   files unless `insecure: true` without a CA;
 * - an SDK exporter configured by OTEL_EXPORTER_OTLP_* (sdk-env.md §1.3): https:// is TLS, http://
 *   plaintext, a gRPC endpoint without a scheme is TLS unless INSECURE=true; with the SDK named,
 *   INSECURE overrides the scheme where that SDK lets it (../sdk/sdks.ts insecureOverride).
 */
import { tlsPresent, type TlsBlock } from './collector';
import { isKnownSet, isTrue, readSetting, type SettingValue } from './tlsValues';
import type { SignalSettings } from './appSettings';
import { insecureOverride, type SdkId } from '../sdk/sdks';

export interface TlsDecision {
  usesTls: boolean;
  /** Why, for messages: "https:// endpoint", "tls.insecure: true". */
  reason: string;
  /** What makes it the other way, for messages ("use https://", "remove tls.insecure: true"). */
  fix: string;
}

/** `insecure` and whether a CA is set (ca_file or ca_pem, known values) in a Collector client tls block. */
export function clientTlsSettings(block: TlsBlock | undefined, getEnv: (name: string) => string | undefined): { insecure: SettingValue | undefined; hasCa: boolean } {
  if (!block) return { insecure: undefined, hasCa: false };
  return { insecure: readSetting(block, 'insecure', getEnv), hasCa: isKnownSet(readSetting(block, 'ca_file', getEnv)) || isKnownSet(readSetting(block, 'ca_pem', getEnv)) };
}

/** Whether a Collector client block loads its CA, certificate and key at all: not when `insecure: true` without a CA. */
function clientLoadsTlsFiles(settings: { insecure: SettingValue | undefined; hasCa: boolean }): boolean {
  return !(isTrue(settings.insecure) && !settings.hasCa);
}

/** Whether the Collector loads a block's files at all: a server block that is on, a client block unless insecure without a CA. */
export function blockLoadsFiles(block: TlsBlock, getEnv: (name: string) => string | undefined): boolean {
  if (block.role === 'server') return tlsPresent(block);
  if (block.role === 'client' || block.role === 'either') return clientLoadsTlsFiles(clientTlsSettings(block, getEnv));
  return true;
}

/** A Collector exporter of `protocol` sending to an endpoint with `scheme` (lower case, undefined for none). */
export function collectorClientTls(protocol: 'grpc' | 'http', scheme: string | undefined, settings: { insecure: SettingValue | undefined; hasCa: boolean }): TlsDecision {
  if (protocol === 'grpc') {
    const usesTls = scheme === 'https' || clientLoadsTlsFiles(settings);
    if (!usesTls) return { usesTls, reason: 'tls.insecure: true', fix: 'remove tls.insecure: true' };
    return scheme === 'https'
      ? { usesTls, reason: 'https:// endpoint', fix: 'drop https:// and set tls.insecure: true' }
      : { usesTls, reason: 'gRPC exporters use TLS unless tls.insecure: true', fix: settings.hasCa ? 'remove the CA and set tls.insecure: true' : 'set tls.insecure: true' };
  }
  const usesTls = scheme === 'https';
  return usesTls ? { usesTls, reason: 'https:// endpoint', fix: 'use http://' } : { usesTls, reason: 'http:// endpoint', fix: 'use https://' };
}

/**
 * An SDK exporter sending one signal with `protocol` (`grpc`, `http/protobuf`...) to `s.endpoint`,
 * whose scheme is `scheme`; undefined when it cannot be told (OTLP/HTTP without a scheme, which
 * envEndpoint reports).
 */
export function sdkClientTls(s: SignalSettings, scheme: 'http' | 'https' | undefined, protocol: string, sdk: SdkId | undefined): TlsDecision | undefined {
  const name = s.endpoint?.written ?? 'the endpoint';
  const insecure = s.insecure?.value;
  if (sdk && scheme && s.insecure && insecure !== undefined) {
    // A named SDK where INSECURE overrides the scheme (Go; Python's gRPC exporter with http://).
    const override = insecureOverride(sdk, scheme, insecure.trim().toLowerCase() === 'true', protocol === 'grpc' ? 'grpc' : 'http');
    if (override) return { usesTls: override.usesTls, reason: `${name} is ${scheme}://, but ${s.insecure.written}=${insecure} and ${override.how}`, fix: `remove ${s.insecure.written}` };
  }
  if (scheme === 'https') return { usesTls: true, reason: `${name} is https://`, fix: 'use http://' };
  if (scheme === 'http') return { usesTls: false, reason: `${name} is http://`, fix: 'use https://' };
  if (protocol !== 'grpc') return undefined;
  return insecure?.toLowerCase() === 'true'
    ? { usesTls: false, reason: `${s.insecure!.written}=true and ${name} has no scheme`, fix: 'use https://' }
    : { usesTls: true, reason: `${name} has no scheme and INSECURE is not true, so gRPC uses TLS`, fix: 'use http://' };
}

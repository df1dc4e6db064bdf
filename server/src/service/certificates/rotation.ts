/**
 * Rotation readiness: what happens to a running process when cert-manager renews the certificates it
 * reads. Pure rules over what the checks resolved (a file that is a key of a Secret a Certificate writes).
 *
 * Facts:
 * - cert-manager renews at `renewBefore` before the end of the lifetime (default: a third of it), and with
 *   `rotationPolicy: Always` (the default since v1.18) with a new key (docs/facts/cert-manager.md §2, §4);
 * - the kubelet updates a Secret volume in place, but never a `subPath` mount (docs/facts/kubernetes.md §4);
 * - the Collector (configtls, docs/facts/collector-reload.md §2-3): `reload_interval` reloads the
 *   certificate and key (`cert_file`/`key_file`) of a receiver or an exporter, lazily, at the first
 *   handshake after the interval; unset, they are read once. It never reloads a CA: an exporter's or a
 *   receiver's `ca_file` is read at start only; a receiver's `client_ca_file` is reloaded only with
 *   `client_ca_file_reload: true` (checked at most once a second during handshakes). Inline PEM
 *   (`cert_pem`, `${file:…}`) is resolved once with the config and never reloaded;
 * - SDKs read OTEL_EXPORTER_OTLP_CERTIFICATE and the client pair once at start (../../../../docs/facts/collector-reload.md
 *   states the Collector's side; sdk-env.md has no SDK reload setting).
 */
import type { FileAccess } from '../caches';
import { relatedAt } from '../diagnostics';
import type { RelatedLocation } from '../languageTypes';
import type { Placed } from '../model/cluster';
import { formatGoDuration, humanDuration } from '../model/goDuration';
import { renewBeforeOf, type CertificateSpec } from '../model/certManager';
import { nodeSpan } from '../yaml/yamlNodes';

export interface RotationFinding {
  code: 'reload-not-configured' | 'secret-subpath-mount' | 'ca-rotation';
  message: string;
  severity?: 'warning' | 'information';
  /** For reload-not-configured: the reload_interval to add. */
  suggestedInterval?: string;
}

/** The renewal of a Certificate: its lifetime, when it renews, how often. */
export function renewalOf(spec: CertificateSpec): { lifetimeMs: number; renewBeforeMs: number; periodMs: number } {
  const lifetimeMs = spec.durationMs ?? 90 * 86_400_000;
  const renewBeforeMs = renewBeforeOf(spec, lifetimeMs);
  return { lifetimeMs, renewBeforeMs, periodMs: lifetimeMs - renewBeforeMs };
}

/** `every 60 days, 30 days before it expires (duration 2160h, renewBefore default: a third)`. */
export function renewalText(spec: CertificateSpec): string {
  if (spec.renewalDisabled) return 'never renewed automatically (renewal.policy: Disabled)';
  const r = renewalOf(spec);
  const how = spec.renewBeforeMs !== undefined && spec.renewBeforeMs < r.lifetimeMs ? `renewBefore ${formatGoDuration(spec.renewBeforeMs)}` : spec.renewBeforePercentage !== undefined ? `renewBeforePercentage ${spec.renewBeforePercentage}` : 'renewBefore unset: a third of the lifetime';
  return `renewed every ${humanDuration(r.periodMs)}, ${humanDuration(r.renewBeforeMs)} before it expires (duration ${spec.durationNode ? formatGoDuration(r.lifetimeMs) : '2160h0m0s, the default'}; ${how}), with ${spec.privateKey.rotationPolicy === 'Always' ? 'a new key each time (rotationPolicy Always)' : 'the same key (rotationPolicy Never)'}`;
}

/**
 * The reload_interval to suggest: 1h, unless the renewal window is short, then a quarter of it (at least a
 * minute). 1h: the Collector reloads lazily at the first handshake after the interval (no timer), the
 * kubelet takes up to about a minute plus its cache TTL to update the volume, and cert-manager's default
 * window is 30 days: an hour is far inside any window of a day or more and costs one read of two files
 * per hour. A window under 4 hours (renewBefore can be as low as 5 minutes) needs a shorter interval.
 */
export function suggestedReloadInterval(spec: CertificateSpec): string {
  const { renewBeforeMs } = renewalOf(spec);
  if (renewBeforeMs >= 4 * 3_600_000) return '1h';
  const minutes = Math.max(1, Math.floor(renewBeforeMs / 4 / 60_000));
  return `${minutes}m`;
}

/**
 * A Collector tls block whose certificate and key come from a Secret that cert-manager renews. `reloadMs`
 * is reload_interval (undefined or 0: not set); `subPath`: the file is mounted with subPath; `inline`: the
 * PEM comes from `${file:…}` in cert_pem/key_pem.
 */
export function reloadFindings(input: { setting: string; side: 'server' | 'client'; spec: CertificateSpec; secret: string; reloadMs?: number; subPath: boolean; inline?: boolean }): RotationFinding[] {
  const { spec } = input;
  if (spec.renewalDisabled) return [];
  const r = renewalOf(spec);
  const what = input.side === 'server' ? 'the receiver serves' : 'the exporter presents';
  const out: RotationFinding[] = [];
  if (input.subPath) {
    out.push({
      code: 'secret-subpath-mount',
      message: `A subPath mount never sees the renewed certificate: mount the Secret as a folder (no subPath). ${input.setting} is key of ${input.secret} mounted with subPath, and the kubelet never updates a subPath mount: when cert-manager renews ${spec.label} (${renewalText(spec)}), this file keeps the old certificate, whatever reload_interval says, and ${what} it until it expires ${humanDuration(r.renewBeforeMs)} later. Name the file in the mounted folder.`,
    });
    return out;
  }
  if (input.inline) {
    out.push({
      code: 'reload-not-configured',
      message: `\${file:…} is read once, at start, so the renewed certificate is never loaded: use cert_file and key_file. ${input.setting} reads ${input.secret} through \${file:…}, which the Collector resolves once, when it loads its config: reload_interval cannot reload it, so after cert-manager renews ${spec.label} (${renewalText(spec)}) ${what} the old certificate until a restart, and it expires ${humanDuration(r.renewBeforeMs)} after the renewal. Use cert_file/key_file with reload_interval.`,
    });
    return out;
  }
  if (!input.reloadMs) {
    const interval = suggestedReloadInterval(spec);
    out.push({
      code: 'reload-not-configured',
      suggestedInterval: interval,
      message:
        `The certificate is renewed, but this tls block never reloads it: add reload_interval: ${interval}. ` +
        `${input.setting} is from ${input.secret}, which cert-manager renews (${spec.label}: ${renewalText(spec)}), and this tls block has no reload_interval: the Collector reads cert_file and key_file once, at start, so after a renewal ${what} the old certificate until it restarts, and every handshake fails once that one expires, ${humanDuration(r.renewBeforeMs)} after the renewal. ` +
        `reload_interval reloads cert_file and key_file at the first handshake after the interval; it does not reload ca_file${input.side === 'server' ? ', and client_ca_file needs client_ca_file_reload: true' : ''}.`,
    });
  } else if (input.reloadMs >= r.renewBeforeMs) {
    out.push({
      code: 'reload-not-configured',
      suggestedInterval: suggestedReloadInterval(spec),
      message: `reload_interval is too long to load the renewed certificate in time: use reload_interval: ${suggestedReloadInterval(spec)}. reload_interval ${formatGoDuration(input.reloadMs)} is not shorter than the ${humanDuration(r.renewBeforeMs)} between cert-manager's renewal of ${spec.label} and the old certificate's expiry: ${what} an expired certificate before it reloads.`,
    });
  }
  return out;
}

/**
 * A trust file (a client's CA, a receiver's client_ca_file) that is the `ca.crt` of a Secret whose CA
 * cert-manager renews (`rotating`: the Certificate of that CA, a CA Certificate or the self-signed leaf
 * itself), read by a process that never reads it again.
 */
export function caRotationFinding(input: { setting: string; reader: 'sdk' | 'collector-ca-file' | 'collector-client-ca-file'; clientCaReload?: boolean; secret: string; rotating: CertificateSpec; selfSignedLeaf: boolean }): RotationFinding | undefined {
  const spec = input.rotating;
  if (spec.renewalDisabled) return undefined;
  if (input.reader === 'collector-client-ca-file' && input.clientCaReload) return undefined;
  const r = renewalOf(spec);
  const reads =
    input.reader === 'sdk'
      ? 'the SDK reads it once, at start'
      : input.reader === 'collector-ca-file'
        ? 'the Collector reads ca_file once, at start (reload_interval reloads only cert_file and key_file, never ca_file)'
        : 'the Collector reads client_ca_file once, at start, unless client_ca_file_reload: true';
  const what = input.selfSignedLeaf
    ? `the self-signed certificate of ${spec.label} itself`
    : `the CA of ${spec.label}`;
  const consequence =
    spec.privateKey.rotationPolicy === 'Always'
      ? `each renewal (${renewalText(spec)}) makes a new CA key, so the certificates issued after it fail verification against the copy read at start until this process restarts`
      : `with rotationPolicy Never the renewed CA keeps its key, so the copy read at start keeps verifying, until that copy expires ${humanDuration(r.renewBeforeMs)} after the renewal (${renewalText(spec)})`;
  const fix =
    input.reader === 'collector-client-ca-file'
      ? 'Set client_ca_file_reload: true'
      : `Restart the process within each renewal cycle, or keep the CA key (privateKey.rotationPolicy: Never on ${spec.label}) and trust a bundle that holds the old and the new CA during the change (a trust-manager Bundle)`;
  const first =
    input.reader === 'collector-client-ca-file'
      ? 'This CA is renewed, but client_ca_file is read once: set client_ca_file_reload: true.'
      : spec.privateKey.rotationPolicy === 'Always'
        ? 'This CA gets a new key at each renewal but is read once: restart each cycle, or keep its key.'
        : 'This CA is renewed, but read once: restart before the copy read at start expires.';
  return { code: 'ca-rotation', message: `${first} ${input.setting} is ca.crt of ${input.secret}, which holds ${what}; ${reads}; ${consequence}. ${fix}.` };
}

/** A related location on a Certificate's manifest: the first line of the object. */
export function certificateRelated(access: FileAccess, certificate: Placed<CertificateSpec>, message: string): RelatedLocation[] {
  const span = nodeSpan(certificate.value.node);
  if (!span) return [];
  const lineEnd = certificate.text.indexOf('\n', span[0]);
  const end = lineEnd > span[0] && lineEnd < span[1] ? lineEnd : span[1];
  return [relatedAt(access.caches.lineTables, certificate.path, certificate.text, span[0], end - span[0], message)];
}

/**
 * Every certificate or key path a document names, with the span of the value as written:
 * collector tls: blocks (`ca_file`, `cert_file`, `key_file`, `client_ca_file`, and the telemetry
 * exporters' `certificate`, `client_certificate`, `client_key`) and env files
 * (`OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE`, `..._CLIENT_CERTIFICATE`, `..._CLIENT_KEY`).
 * Hover and document links use it.
 */
import type { TlsBlock } from './documents/collectorConfig';
import { readEntry } from './documents/tlsValues';
import { nodeSpan } from './documents/yamlNodes';
import type { ParsedDocument } from './languageService';
import type { Runtime } from './runtime';

export type PathKind = 'ca' | 'cert' | 'key';

export interface CertificatePath {
  /** The setting (`cert_file`, `OTEL_EXPORTER_OTLP_CERTIFICATE`). */
  setting: string;
  /** The path with `${env:…}` applied; undefined when it cannot be known here. */
  written?: string;
  kind: PathKind;
  offset: number;
  length: number;
  /** The collector block holding it. */
  block?: TlsBlock;
}

const COLLECTOR_KEYS: Record<string, PathKind> = {
  ca_file: 'ca',
  client_ca_file: 'ca',
  cert_file: 'cert',
  key_file: 'key',
  certificate: 'ca',
  client_certificate: 'cert',
  client_key: 'key',
};

const ENV_NAME = /^OTEL_EXPORTER_OTLP_(?:(?:TRACES|METRICS|LOGS)_)?(CERTIFICATE|CLIENT_CERTIFICATE|CLIENT_KEY)$/;

export function envPathKind(name: string): PathKind | undefined {
  const match = ENV_NAME.exec(name);
  if (!match) return undefined;
  return match[1] === 'CERTIFICATE' ? 'ca' : match[1] === 'CLIENT_KEY' ? 'key' : 'cert';
}

export function certificatePaths(parsed: ParsedDocument, runtime: Runtime): CertificatePath[] {
  const out: CertificatePath[] = [];
  if (parsed.kind === 'collector') {
    const seen = new Set<unknown>();
    for (const block of parsed.model.tlsBlocks) {
      for (const entry of block.entries) {
        const kind = COLLECTOR_KEYS[entry.key];
        if (!kind || entry.merged || seen.has(entry.value)) continue;
        if (block.role !== 'telemetry' && !entry.key.endsWith('_file')) continue;
        const span = nodeSpan(entry.value);
        if (!span) continue;
        seen.add(entry.value);
        const value = readEntry(entry, runtime.getEnv);
        const written = !value.unknown && typeof value.known === 'string' && value.known.trim() ? value.known : undefined;
        out.push({ setting: entry.key, written, kind, offset: span[0], length: span[1] - span[0], block });
      }
    }
  } else if (parsed.kind === 'env') {
    for (const entry of parsed.model.entries) {
      const kind = envPathKind(entry.name);
      if (!kind || entry.valueLength === 0) continue;
      const written = entry.value && !entry.value.includes('${') ? entry.value : undefined;
      out.push({ setting: entry.name, written, kind, offset: entry.valueOffset, length: entry.valueLength });
    }
  }
  return out;
}

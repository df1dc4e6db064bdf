/**
 * The one place that knows which settings name a certificate or key file, and what each file is for:
 * - collector `tls:` blocks (configtls): `cert_file`, `key_file`, `ca_file`, and on the server side
 *   `client_ca_file`; the telemetry exporters of `service.telemetry`: `certificate`,
 *   `client_certificate`, `client_key` (SDK-style names);
 * - SDK env files: `OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE`, `..._CLIENT_CERTIFICATE`, `..._CLIENT_KEY`.
 * The file checks (collectorCertificates, envCertificates, unresolvedPaths), hover, document links and
 * the fixes read it from here. certificatePaths() lists every such path a document names, with its span.
 */
import type { TlsBlock } from '../model/collector';
import { readEntry } from '../model/tlsValues';
import type { AppSetting } from '../model/appSettings';
import type { AppUnit, CollectorUnit, ParsedFile } from '../model/units';
import { nodeSpan } from '../yaml/yamlNodes';
import { spanToFile } from '../sources/embedded';
import type { Runtime } from '../runtime';
import type { ContainerContext } from '../model/kubernetes';
import type { Settings } from '../settings';
import { applyPathMappings } from './certificateFiles';
import type { FilePurpose } from './fileFindings';

export type PathKind = 'ca' | 'cert' | 'key';

type BlockRole = TlsBlock['role'];

/** The kind of file a purpose needs: which certificate side it is checked as does not change that it is a certificate. */
export function pathKind(purpose: FilePurpose): PathKind {
  return purpose === 'ca' ? 'ca' : purpose === 'key' ? 'key' : 'cert';
}

interface CollectorFileSetting {
  key: string;
  /** What the file is for in a block of each role; a role without an entry does not load the file. */
  purposes: Partial<Record<BlockRole, FilePurpose>>;
}

/**
 * Collector settings that name a file. Go's configtls ClientConfig has no client_ca_file, so a
 * client block does not load it. In table order, which is the order the checks visit them.
 */
const COLLECTOR_FILE_SETTINGS: readonly CollectorFileSetting[] = [
  { key: 'cert_file', purposes: { server: 'server-cert', client: 'client-cert', either: 'cert' } },
  { key: 'key_file', purposes: { server: 'key', client: 'key', either: 'key' } },
  { key: 'ca_file', purposes: { server: 'ca', client: 'ca', either: 'ca' } },
  { key: 'client_ca_file', purposes: { server: 'ca', either: 'ca' } },
  { key: 'certificate', purposes: { telemetry: 'ca' } },
  { key: 'client_certificate', purposes: { telemetry: 'client-cert' } },
  { key: 'client_key', purposes: { telemetry: 'key' } },
];

const CONFIGTLS_ROLES: readonly BlockRole[] = ['server', 'client', 'either'];

function kindOfSetting(setting: CollectorFileSetting): PathKind {
  return pathKind(Object.values(setting.purposes)[0]!);
}

/** Every collector key that names a certificate or key file in a block of some role. */
export const COLLECTOR_PATH_KEYS: readonly string[] = COLLECTOR_FILE_SETTINGS.map((s) => s.key);

/** The collector keys that name a CA file (`ca_file`, `client_ca_file`, `certificate`). */
export const COLLECTOR_CA_KEYS: readonly string[] = COLLECTOR_FILE_SETTINGS.filter((s) => kindOfSetting(s) === 'ca').map((s) => s.key);

/** The CA keys of configtls blocks (`ca_file`, `client_ca_file`), not the telemetry exporters' `certificate`. */
export const CONFIGTLS_CA_KEYS: readonly string[] = COLLECTOR_FILE_SETTINGS.filter((s) => kindOfSetting(s) === 'ca' && CONFIGTLS_ROLES.some((r) => s.purposes[r])).map((s) => s.key);

type BlockFile = readonly [key: string, purpose: FilePurpose];

function filesOf(role: BlockRole): BlockFile[] {
  return COLLECTOR_FILE_SETTINGS.flatMap((s) => {
    const purpose = s.purposes[role];
    return purpose ? [[s.key, purpose] as const] : [];
  });
}

const BLOCK_FILES: Record<BlockRole, readonly BlockFile[]> = { server: filesOf('server'), client: filesOf('client'), either: filesOf('either'), telemetry: filesOf('telemetry') };

/** The files a block of `role` loads, by key, with what each is for, in table order. */
export function blockFileSettings(role: BlockRole): readonly BlockFile[] {
  return BLOCK_FILES[role];
}

/** The certificate and the private key a block of `role` presents together (`cert_file`/`key_file`, `client_certificate`/`client_key`). */
export function blockKeyPair(role: BlockRole): { certificate: string; key: string } {
  const files = BLOCK_FILES[role];
  return { certificate: files.find(([, purpose]) => pathKind(purpose) === 'cert')![0], key: files.find(([, purpose]) => purpose === 'key')![0] };
}

/**
 * The kind of file `key` names in a block of `role`, as hover and document links show it. Looser than
 * blockFileSettings: a configtls block shows every configtls file key whatever its side (a client's
 * client_ca_file too), a telemetry exporter every file key (configtls names too). The schema check
 * reports the keys that do not belong there.
 */
export function collectorPathKind(role: BlockRole, key: string): PathKind | undefined {
  const setting = COLLECTOR_FILE_SETTINGS.find((s) => s.key === key);
  if (!setting) return undefined;
  if (role !== 'telemetry' && !CONFIGTLS_ROLES.some((r) => setting.purposes[r])) return undefined;
  return kindOfSetting(setting);
}

/** The SDK options that name a file, after `OTEL_EXPORTER_OTLP_[SIGNAL_]`, with what each file is for. */
const ENV_FILE_OPTIONS = { CERTIFICATE: 'ca', CLIENT_CERTIFICATE: 'client-cert', CLIENT_KEY: 'key' } as const satisfies Record<string, FilePurpose>;

export type EnvFileOption = keyof typeof ENV_FILE_OPTIONS;

const ENV_FILE_VARIABLE = new RegExp(`^OTEL_EXPORTER_OTLP_(?:(TRACES|METRICS|LOGS)_)?(${Object.keys(ENV_FILE_OPTIONS).join('|')})$`);

export interface EnvFileVariable {
  option: EnvFileOption;
  /** `TRACES`, `METRICS` or `LOGS` for a per-signal variable; undefined for the generic one. */
  signal?: 'TRACES' | 'METRICS' | 'LOGS';
  purpose: FilePurpose;
  kind: PathKind;
}

/** What the file an env variable names is for; undefined when the variable names no certificate or key file. */
export function envFileVariable(name: string): EnvFileVariable | undefined {
  const match = ENV_FILE_VARIABLE.exec(name);
  if (!match) return undefined;
  const option = match[2] as EnvFileOption;
  const purpose = ENV_FILE_OPTIONS[option];
  const signal = match[1] as EnvFileVariable['signal'];
  return { option, ...(signal ? { signal } : {}), purpose, kind: pathKind(purpose) };
}

/** `OTEL_EXPORTER_OTLP_[SIGNAL_]<option>`: the generic variable, or the per-signal one when `signal` is given. */
export function envFileVariableName(option: EnvFileOption, signal?: EnvFileVariable['signal']): string {
  return `OTEL_EXPORTER_OTLP_${signal ? `${signal}_` : ''}${option}`;
}

export interface CertificatePath {
  /** The setting (`cert_file`, `OTEL_EXPORTER_OTLP_CERTIFICATE`) as written. */
  setting: string;
  /** The path with `${env:…}` applied; undefined when it cannot be known here. */
  written?: string;
  kind: PathKind;
  /** The span of the value as written, in the file. */
  offset: number;
  length: number;
  /** The collector block holding it. */
  block?: TlsBlock;
  /** The app unit and the setting holding it. */
  app?: { unit: AppUnit; setting: AppSetting };
  /** The container the path is read in (a unit of a manifest): then only a path mapping finds it on this machine. */
  container?: ContainerContext;
}

/** Whether a path named in a container is to be looked for on this machine: only through a path mapping. */
export function readableHere(reference: CertificatePath, settings: Settings): boolean {
  if (!reference.container || !reference.written) return true;
  const written = reference.written.trim();
  return applyPathMappings(written, settings) !== written;
}

/** Every certificate or key path a file names, with the span of the value as written (in the file). Hover and document links use it. */
export function certificatePaths(parsed: ParsedFile, runtime: Runtime): CertificatePath[] {
  return [...parsed.collectors.flatMap((unit) => collectorPaths(unit, runtime)), ...parsed.apps.flatMap(appPaths)];
}

function collectorPaths(unit: CollectorUnit, runtime: Runtime): CertificatePath[] {
  const out: CertificatePath[] = [];
  const seen = new Set<unknown>();
  for (const block of unit.model.tlsBlocks) {
    for (const entry of block.entries) {
      const kind = collectorPathKind(block.role, entry.key);
      if (!kind || entry.merged || seen.has(entry.value)) continue;
      const span = nodeSpan(entry.value);
      if (!span) continue;
      seen.add(entry.value);
      const value = readEntry(entry, runtime.getEnv);
      const written = !value.unknown && typeof value.known === 'string' && value.known.trim() ? value.known : undefined;
      out.push({ setting: entry.key, written, kind, ...spanToFile(unit.offsets, span[0], span[1] - span[0]), block, ...(unit.container ? { container: unit.container } : {}) });
    }
  }
  return out;
}

function appPaths(unit: AppUnit): CertificatePath[] {
  const out: CertificatePath[] = [];
  for (const setting of unit.settings) {
    if (setting.origin) continue; // another file's (a compose env_file): its own paths are shown there
    const kind = envFileVariable(setting.name)?.kind;
    if (!kind || setting.valueLength === 0) continue;
    const written = setting.value ? setting.value : undefined;
    out.push({ setting: setting.written, written, kind, ...spanToFile(unit.offsets, setting.valueOffset, setting.valueLength), app: { unit, setting }, ...(unit.container ? { container: unit.container } : {}) });
  }
  return out;
}

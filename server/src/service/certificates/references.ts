/**
 * Loading the files a config names and judging each on its own, shared by the collector and app
 * checks, the pairing and the fixes: one collector tls block's files (blockFiles), one app setting's
 * file (settingReference).
 */
import { isMap, isScalar } from 'yaml';
import type { FileAccess } from '../caches';
import type { AppSetting } from '../model/appSettings';
import { blockEntry, type TlsBlock } from '../model/collector';
import { readSetting } from '../model/tlsValues';
import { expandValue } from '../yaml/substitution';
import { nodeSpan } from '../yaml/yamlNodes';
import { containerFile, type ContainerFile } from './containerFiles';
import { applyPathMappings, loadReferencedFile, parseFileContents, type LoadedFile } from './certificateFiles';
import { blockFileSettings, envFileVariable } from './certificatePaths';
import { accessFindings, contentFindings, type FilePurpose, type Finding } from './fileFindings';

export interface Reference {
  /** The setting's name, for messages. */
  setting: string;
  /** The block loads its key through a TPM (tpm.enabled: true): a TSS2 key is expected. */
  tpm?: boolean;
  /** The path as the Collector or the SDK would see it (substitutions applied). */
  written: string;
  purpose: FilePurpose;
  loader: 'collector' | 'sdk';
}

export interface CheckedReference extends Reference {
  file: LoadedFile;
  findings: Finding[];
  /**
   * The file is a key of a Secret or ConfigMap in the container (./containerFiles.ts): `file` holds its
   * contents (file.path is the manifest's path), from that manifest or from what a cert-manager Certificate
   * will issue.
   */
  secret?: SecretKeyFile;
}

export type SecretKeyFile = Extract<ContainerFile, { kind: 'key' }>;

export function checkReference(reference: Reference, referringPath: string, access: FileAccess): CheckedReference {
  const container = inContainer(reference, access);
  if (container) return container;
  const file = loadReferencedFile(access, reference.written, referringPath);
  // The clock is read only when a certificate is judged (a result that read it is kept for a minute at most: checkCache.ts).
  const context = { setting: reference.setting, loader: reference.loader, get now() { return access.runtime.now(); }, expiryWarningDays: access.settings.expiryWarningDays, ...(reference.tpm ? { tpm: true } : {}) };
  const findings = file.status === 'ok' ? contentFindings(file.parsed, reference.purpose, context, file.stat.mode) : accessFindings(file, reference.written, context);
  return { ...reference, file, findings };
}

/**
 * A file the process reads in its container, when no path mapping says where it is on this machine (a file
 * of that path on this machine is not the container's). Its volume mounts say what it is
 * (./containerFiles.ts):
 * - a key of a Secret or ConfigMap whose contents the workspace knows (its manifest's data, or what a
 *   cert-manager Certificate will issue): judged as the file, every finding naming the key;
 * - a key the kubelet will not write (the Secret or ConfigMap lacks it, items leave it out): `file-not-found`;
 * - the mount point of a Secret or ConfigMap volume mounted whole: a directory there (`file-unreadable`);
 * - anything else (another kind of volume, a Secret not in the workspace): not checked (`container-path`).
 * Undefined outside a container or with a mapping.
 */
function inContainer(reference: Reference, access: FileAccess): CheckedReference | undefined {
  const container = access.container;
  const written = reference.written.trim();
  if (!container || applyPathMappings(written, access.settings) !== written) return undefined;
  const found = containerFile(written, container, access.cluster, access.caches.virtual, access.runtime.now());
  const missing: LoadedFile = { status: 'missing', tried: [] };
  switch (found.kind) {
    case 'key': {
      const { contents } = found;
      const parsed = contents.parsed;
      const path = contents.kind === 'issued' ? contents.certificate.path : contents.object.object.path;
      const file: LoadedFile = { status: 'ok', path, stat: { kind: 'file', size: contents.bytes.length, mtimeMs: 0 }, parsed };
      const setting = `${reference.setting} (${keyDescription(found)})`;
      const context = { setting, loader: reference.loader, now: access.runtime.now(), expiryWarningDays: access.settings.expiryWarningDays, ...(reference.tpm ? { tpm: true } : {}) };
      // No file mode: a Secret volume's files are 0644 unless defaultMode says otherwise, and only the pod sees them.
      return { ...reference, file, findings: contentFindings(parsed, reference.purpose, context), secret: found };
    }
    case 'directory':
      return {
        ...reference,
        file: missing,
        findings: [{
          code: 'file-unreadable',
          message: `${reference.setting}: this is a directory in the container; name the file, or mount the key with subPath. "${written}" is where ${found.mount.source} is mounted in ${container.label}, without subPath: a directory, whose files are the keys (${written.replace(/\/+$/, '')}/<key>). Name the file, or mount the key with subPath.`,
        }],
      };
    case 'missing':
      return { ...reference, file: missing, findings: [{ code: 'file-not-found', message: `${reference.setting}: the file will not exist in the container; fix the path, or the Secret or ConfigMap it comes from. "${written}" will not exist in ${container.label} (${found.via}): ${found.reason}.` }] };
    case 'unknown': {
      const folder = written.startsWith('/') ? written.slice(0, Math.max(1, written.lastIndexOf('/'))) : undefined;
      return {
        ...reference,
        file: missing,
        findings: [{
          code: 'container-path',
          severity: 'information',
          message:
            `${reference.setting}: a path in the container, not checked here; ${folder ? 'map it with --path-map to check it' : 'it is relative to the process\'s working directory'}. ` +
            `"${written}" is a path in ${container.label}${found.mount ? `, from ${found.mount.source} mounted at ${found.mount.path}` : ''}; ` +
            `it is not on this machine${found.reason ? ` (${found.reason})` : ''}, so the file is not checked. ${folder ? `Map it to a local folder (--path-map ${folder}=DIR, otlpTls.pathMappings) to check it.` : 'A relative path is taken from the working directory of the process.'}`,
        }],
      };
    }
  }
}

/** `key tls.crt of Secret otel-collector-tls, from Certificate observability/otel-collector`, for messages. */
export function keyDescription(found: SecretKeyFile): string {
  const { ref, contents } = found;
  const object = `${ref.kind === 'secret' ? 'Secret' : 'ConfigMap'} ${ref.name}`;
  return contents.kind === 'issued' ? `key ${ref.key} of ${object}, issued by cert-manager for ${contents.certificate.value.label}` : `key ${ref.key} of ${object}, from its manifest`;
}

/**
 * An inline PEM setting (cert_pem, key_pem, ca_pem) judged as the file it stands for: its text is what
 * configtls hands to tls.X509KeyPair / AppendCertsFromPEM. `referringPath` stands in for the file.
 */
export function checkInline(reference: Reference, text: string, referringPath: string, access: FileAccess): CheckedReference {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  const parsed = parseFileContents(bytes);
  const file: LoadedFile = { status: 'ok', path: referringPath, stat: { kind: 'file', size: bytes.length, mtimeMs: 0 }, parsed };
  const context = { setting: reference.setting, loader: reference.loader, get now() { return access.runtime.now(); }, expiryWarningDays: access.settings.expiryWarningDays, inline: true, ...(reference.tpm ? { tpm: true } : {}) };
  return { ...reference, file, findings: contentFindings(parsed, reference.purpose, context) };
}

/** The file loaded as certificates (at least one parsed), else undefined. */
export function certificatesOf(reference: CheckedReference | undefined) {
  return reference?.file.status === 'ok' && reference.file.parsed.certificates.length > 0 ? reference.file.parsed.certificates : undefined;
}

export function keyOf(reference: CheckedReference | undefined) {
  const key = reference?.file.status === 'ok' ? reference.file.parsed.keys[0] : undefined;
  return key && !key.encrypted && key.publicKey ? key : undefined;
}

/** Loads and judges the file an app setting names; undefined when it names none (not a file setting, empty, unknown). */
export function settingReference(setting: AppSetting, referringPath: string, access: FileAccess): CheckedReference | undefined {
  const variable = envFileVariable(setting.name);
  if (!variable || setting.value === undefined || setting.value.trim() === '') return undefined;
  return checkReference({ setting: setting.written, written: setting.value, purpose: variable.purpose, loader: 'sdk' }, referringPath, access);
}

/** A checked file of a tls block, with the key naming it and the span of its value. */
export type BlockFile = CheckedReference & { key: string; offset: number; length: number };

/**
 * Loads and judges every file of one tls block (only keys with a known string value), by key. The
 * inline forms stand in for their file keys: cert_pem, key_pem and ca_pem (the PEM itself, or
 * `${file:…}` / `${env:…}` that resolve to it, as confmap resolves them) are judged as cert_file,
 * key_file and ca_file. With tpm.enabled: true the key is the TPM's (a TSS2 PRIVATE KEY).
 */
export function blockFiles(block: TlsBlock, access: FileAccess, referringPath: string): Map<string, BlockFile> {
  const getEnv = access.runtime.getEnv;
  const byKey = new Map<string, BlockFile>();
  const tpm = tpmEnabled(block, getEnv);
  for (const [key, purpose] of blockFileSettings(block.role)) {
    const value = readSetting(block, key, getEnv);
    const tpmKey = tpm && purpose === 'key' ? { tpm } : {};
    if (!value || value.unknown || typeof value.known !== 'string' || value.known.trim() === '') {
      const inline = key.endsWith('_file') && !value ? inlinePem(block, key.replace(/_file$/, '_pem'), getEnv) : undefined;
      if (inline) {
        const reference = { setting: inline.setting, written: inline.written, purpose, loader: 'collector' as const, ...tpmKey };
        const checked = inline.text !== undefined ? checkInline(reference, inline.text, referringPath, access) : checkReference(reference, referringPath, access);
        byKey.set(key, { ...checked, key, offset: inline.span[0], length: inline.span[1] - inline.span[0] });
      }
      continue;
    }
    const span = nodeSpan(value.entry.value);
    if (!span) continue;
    const checked = checkReference({ setting: key, written: value.known, purpose, loader: 'collector', ...tpmKey }, referringPath, access);
    byKey.set(key, { ...checked, key, offset: span[0], length: span[1] - span[0] });
  }
  return byKey;
}

/** tpm.enabled: true in the block (configtls loads key_file/key_pem through the TPM). */
function tpmEnabled(block: TlsBlock, getEnv: (name: string) => string | undefined): boolean {
  const tpm = blockEntry(block, 'tpm');
  if (!tpm || !isMap(tpm.value)) return false;
  const enabled = tpm.value.items.find((pair) => isScalar(pair.key) && pair.key.value === 'enabled');
  if (!enabled || !isScalar(enabled.value)) return false;
  const raw = enabled.value.value;
  if (raw === true) return true;
  if (typeof raw !== 'string') return false;
  const expanded = expandValue(raw, getEnv);
  return expanded.kind !== 'template' && expanded.value === 'true';
}

/** An inline PEM key's text, or the file a `${file:path}` names (confmap's file provider reads it). */
function inlinePem(block: TlsBlock, key: string, getEnv: (name: string) => string | undefined): { setting: string; written: string; text?: string; span: [number, number] } | undefined {
  const entry = blockEntry(block, key);
  if (!entry || !isScalar(entry.value) || typeof entry.value.value !== 'string') return undefined;
  const span = nodeSpan(entry.value);
  if (!span) return undefined;
  const raw = entry.value.value;
  const file = /^\s*\$\{file:([^}]+)\}\s*$/.exec(raw)?.[1];
  if (file) return { setting: `${key} (\${file:${file}})`, written: file, span };
  const expanded = expandValue(raw, getEnv);
  const text = expanded.kind === 'template' ? undefined : expanded.value;
  if (text === undefined || text.trim() === '') return undefined;
  return { setting: key, written: '(inline PEM)', text, span };
}

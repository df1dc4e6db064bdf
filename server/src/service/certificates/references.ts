/**
 * Loading the files a config names and judging each on its own, shared by the collector and app
 * checks, the pairing and the fixes: one collector tls block's files (blockFiles), one app setting's
 * file (settingReference).
 */
import type { FileAccess } from '../caches';
import type { AppSetting } from '../model/appSettings';
import type { TlsBlock } from '../model/collector';
import { readSetting } from '../model/tlsValues';
import { nodeSpan } from '../yaml/yamlNodes';
import { loadReferencedFile, type LoadedFile } from './certificateFiles';
import { blockFileSettings, envFileVariable } from './certificatePaths';
import { accessFindings, contentFindings, type FilePurpose, type Finding } from './fileFindings';

export interface Reference {
  /** The setting's name, for messages. */
  setting: string;
  /** The path as the Collector or the SDK would see it (substitutions applied). */
  written: string;
  purpose: FilePurpose;
  loader: 'collector' | 'sdk';
}

export interface CheckedReference extends Reference {
  file: LoadedFile;
  findings: Finding[];
}

export function checkReference(reference: Reference, referringPath: string, access: FileAccess): CheckedReference {
  const file = loadReferencedFile(access, reference.written, referringPath);
  const context = { setting: reference.setting, loader: reference.loader, now: access.runtime.now(), expiryWarningDays: access.settings.expiryWarningDays };
  const findings = file.status === 'ok' ? contentFindings(file.parsed, reference.purpose, context, file.stat.mode) : accessFindings(file, reference.written, context);
  return { ...reference, file, findings };
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

/** Loads and judges every file of one tls block (only keys with a known string value), by key. */
export function blockFiles(block: TlsBlock, access: FileAccess, referringPath: string): Map<string, BlockFile> {
  const byKey = new Map<string, BlockFile>();
  for (const [key, purpose] of blockFileSettings(block.role)) {
    const value = readSetting(block, key, access.runtime.getEnv);
    if (!value || value.unknown || typeof value.known !== 'string' || value.known.trim() === '') continue;
    const span = nodeSpan(value.entry.value);
    if (!span) continue;
    const checked = checkReference({ setting: key, written: value.known, purpose, loader: 'collector' }, referringPath, access);
    byKey.set(key, { ...checked, key, offset: span[0], length: span[1] - span[0] });
  }
  return byKey;
}

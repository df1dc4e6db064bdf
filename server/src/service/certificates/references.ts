/** Loading a referenced file and judging it on its own, shared by the collector and env checks. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { rangeOf } from '../diagnostics';
import type { RelatedLocation } from '../languageTypes';
import type { Runtime } from '../runtime';
import type { Settings } from '../settings';
import { loadReferencedFile, parseFileContents, type LoadedFile } from './certificateFiles';
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
}

export function checkReference(reference: Reference, referringPath: string, runtime: Runtime, settings: Settings): CheckedReference {
  const file = loadReferencedFile(runtime, settings, reference.written, referringPath);
  const context = { setting: reference.setting, loader: reference.loader, now: runtime.now(), expiryWarningDays: settings.expiryWarningDays, ...(reference.tpm ? { tpm: true } : {}) };
  const findings = file.status === 'ok' ? contentFindings(file.parsed, reference.purpose, context, file.stat.mode) : accessFindings(file, reference.written, context);
  return { ...reference, file, findings };
}

/**
 * An inline PEM setting (cert_pem, key_pem, ca_pem) judged as the file it stands for: its text is what
 * configtls hands to tls.X509KeyPair / AppendCertsFromPEM. `referringPath` stands in for the file.
 */
export function checkInline(reference: Reference, text: string, referringPath: string, runtime: Runtime, settings: Settings): CheckedReference {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  const parsed = parseFileContents(bytes);
  const file: LoadedFile = { status: 'ok', path: referringPath, stat: { kind: 'file', size: bytes.length, mtimeMs: 0 }, parsed };
  const context = { setting: reference.setting, loader: reference.loader, now: runtime.now(), expiryWarningDays: settings.expiryWarningDays, inline: true, ...(reference.tpm ? { tpm: true } : {}) };
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

/** TextDocuments of other files, kept while their text is unchanged, for `related` ranges. */
const documents = new Map<string, TextDocument>();

export function relatedAt(path: string, text: string, offset: number, length: number, message: string): RelatedLocation {
  let document = documents.get(path);
  if (!document || document.getText() !== text) {
    if (documents.size > 500) documents.clear();
    document = TextDocument.create('file://' + path, 'plaintext', 0, text);
    documents.set(path, document);
  }
  return { path, range: rangeOf(document, offset, length), message };
}

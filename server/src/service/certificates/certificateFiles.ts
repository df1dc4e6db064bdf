/**
 * Finding, reading and parsing the certificate and key files a config names.
 * Resolution: path mappings on the prefix first; an absolute result is used as is; a relative one is
 * tried against the referring file's folder, then each workspace root. Only regular files up to
 * 1 MiB are read, so a FIFO, a device or a huge file never blocks or floods the checker.
 * Parsed contents are cached by path, size and mtime, in the language service's cache (../caches.ts).
 */
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { FileAccess } from '../caches';
import type { FileStat, Runtime } from '../runtime';
import { describeFileError } from '../sourceFile';
import { mappedPrefix, type Settings } from '../settings';
import { parseCertificate, parsePrivateKey, type CertificateInfo, type PrivateKeyInfo } from './certificateInfo';
import { MAX_PEM_BLOCKS, hasUtf8Bom, looksLikeDer, scanPem } from './pem';

export const MAX_CERTIFICATE_FILE_SIZE = 1024 * 1024;

export interface ParsedFile {
  /** Every CERTIFICATE block that parsed, in file order. */
  certificates: CertificateInfo[];
  /** CERTIFICATE blocks that did not parse, with the reason. */
  badCertificates: { index: number; reason: string }[];
  /** Every block whose type ends in PRIVATE KEY, in file order. */
  keys: PrivateKeyInfo[];
  /** Types of the other PEM blocks (EC PARAMETERS, CERTIFICATE REQUEST...). */
  otherTypes: string[];
  bom: boolean;
  /** No PEM at all, and the bytes look like DER. */
  der: boolean;
  empty: boolean;
  /** Set when the file holds more than MAX_PEM_BLOCKS blocks: the blocks past them were not read. */
  truncated?: { blocks: number };
  /** No PEM block, but a BEGIN line followed by a literal backslash-n (a one-line PEM). */
  literalNewlines?: boolean;
}

export type LoadedFile =
  | { status: 'missing'; tried: string[] }
  | { status: 'not-regular'; path: string; kind: 'directory' | 'other' }
  | { status: 'too-large'; path: string; size: number }
  | { status: 'unreadable'; path: string; reason: string }
  | { status: 'ok'; path: string; stat: FileStat; parsed: ParsedFile };

interface CacheEntry {
  size: number;
  mtimeMs: number;
  parsed: ParsedFile;
}

/** Parsed files by path, valid while their size and mtime are unchanged (bounded to MAX_CACHE_ENTRIES). */
export type CertificateCache = Map<string, CacheEntry>;
const MAX_CACHE_ENTRIES = 5000;

/** Applies the longest matching path mapping to the prefix of `written`. */
export function applyPathMappings(written: string, settings: Settings): string {
  let best: { from: string; to: string } | undefined;
  for (const mapping of settings.pathMappings) {
    const from = mappedPrefix(mapping.from);
    const matches = written === from || written.startsWith(from === '/' ? '/' : from + '/');
    if (matches && (!best || from.length > best.from.length)) best = { from, to: mapping.to };
  }
  if (!best) return written;
  const rest = written.slice(best.from === '/' ? 1 : best.from.length).replace(/^[\\/]+/, '');
  return rest ? join(best.to, rest) : best.to;
}

/** The paths `written` may mean, in the order they are tried. */
export function candidatePaths(written: string, referringPath: string, settings: Settings): string[] {
  const mapped = applyPathMappings(written.trim(), settings);
  if (isAbsolute(mapped)) return [normalize(mapped)];
  const bases = [dirname(referringPath), ...settings.workspaceRoots];
  const out: string[] = [];
  for (const base of bases) {
    const candidate = join(base, mapped);
    if (!out.includes(candidate)) out.push(candidate);
  }
  return out;
}

/** Resolves, stats, reads (when safe) and parses the file `written` names. */
export function loadReferencedFile(access: FileAccess, written: string, referringPath: string): LoadedFile {
  const tried = candidatePaths(written, referringPath, access.settings);
  for (const path of tried) {
    let stat: FileStat | undefined;
    try {
      stat = access.runtime.fileSystem.stat(path);
    } catch (error) {
      return { status: 'unreadable', path, reason: describeFileError(error) };
    }
    if (!stat) continue;
    return loadStatted(access.runtime, access.caches.certificates, path, stat);
  }
  return { status: 'missing', tried };
}

function loadStatted(runtime: Runtime, cache: CertificateCache, path: string, stat: FileStat): LoadedFile {
  if (stat.kind !== 'file') return { status: 'not-regular', path, kind: stat.kind };
  if (stat.size > MAX_CERTIFICATE_FILE_SIZE) return { status: 'too-large', path, size: stat.size };
  const cached = cache.get(path);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return { status: 'ok', path, stat, parsed: cached.parsed };
  let bytes: Uint8Array;
  try {
    bytes = runtime.fileSystem.readFile(path);
  } catch (error) {
    return { status: 'unreadable', path, reason: describeFileError(error) };
  }
  const parsed = parseFileContents(bytes);
  if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, parsed });
  return { status: 'ok', path, stat, parsed };
}

export function parseFileContents(bytes: Uint8Array): ParsedFile {
  const bom = hasUtf8Bom(bytes);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const { blocks, truncatedAt } = scanPem(text);
  const parsed: ParsedFile = {
    certificates: [],
    badCertificates: [],
    keys: [],
    otherTypes: [],
    bom,
    der: blocks.length === 0 && looksLikeDer(bytes),
    empty: text.trim().length === 0,
    ...(truncatedAt !== undefined ? { truncated: { blocks: MAX_PEM_BLOCKS } } : {}),
    ...(blocks.length === 0 && /-----BEGIN [^\r\n-]+-----\\n/.test(text) ? { literalNewlines: true } : {}),
  };
  let index = 0;
  for (const block of blocks) {
    if (block.type === 'CERTIFICATE') {
      index++;
      try {
        parsed.certificates.push(parseCertificate(block));
      } catch (error) {
        parsed.badCertificates.push({ index, reason: describeFileError(error) });
      }
    } else if (block.type === 'PRIVATE KEY' || block.type.endsWith(' PRIVATE KEY')) {
      parsed.keys.push(parsePrivateKey(block));
    } else {
      parsed.otherTypes.push(block.type);
    }
  }
  return parsed;
}

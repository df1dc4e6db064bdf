/**
 * PEM blocks as Go's encoding/pem finds them. The Collector reads certificates with Go, so Go's rules
 * decide; @peculiar/x509's PemConverter (used where Go's rules do not matter, e.g. devCertificates.ts)
 * also takes an indented BEGIN line that Go skips, and gives no offsets.
 *
 * The scanner follows `pem.Decode` (Go 1.23 src/encoding/pem/pem.go) step by step, in one pass:
 * - a BEGIN line starts at the start of the data or right after a `\n`; its line, after trailing spaces,
 *   tabs and a `\r` are dropped, must end in `-----` (the type is what lies between);
 * - header lines (`Key: value`) follow until the first line without a colon;
 * - the block ends at the first `\n-----END ` after that (or right there, for a block without
 *   headers), which must be followed by the same type, `-----` and nothing but spaces or tabs;
 * - the body is base64 (StdEncoding: padding required; spaces, tabs, `\r` and `\n` ignored);
 * - when any of that fails, the search for the next BEGIN goes on from the end of the BEGIN line (or
 *   its headers), as Go's `continue` does: a BEGIN inside a broken block can still start a block.
 * Every `\n-----END ` position is found once (the next one is kept while the scan is before it), so
 * a file of BEGIN lines without END costs one pass, not one pass per BEGIN line.
 */
import { setOwn } from '../lookup';

export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  bytes: Uint8Array;
  /** The block's text, BEGIN to END, for handing to Node's crypto. */
  text: string;
  /** Offset of `-----BEGIN` in the file text. */
  offset: number;
}

/**
 * At most this many blocks are read from one text (a large CA bundle holds a few hundred). Past it
 * the scan stops and says so (`truncated`), so a file of tiny blocks cannot make every certificate
 * check parse and compare tens of thousands of certificates.
 */
export const MAX_PEM_BLOCKS = 1000;

export interface PemScan {
  blocks: PemBlock[];
  /** Set when the scan stopped at `maxBlocks`: the offset of the first block left unread. */
  truncatedAt?: number;
}

const BEGIN = '-----BEGIN ';
const END = '\n-----END ';
const DASHES = '-----';

/** The blocks of `text` (one char per byte: decode files as latin1), at most MAX_PEM_BLOCKS of them. */
export function parsePem(text: string): PemBlock[] {
  return scanPem(text).blocks;
}

export function scanPem(text: string, maxBlocks = MAX_PEM_BLOCKS): PemScan {
  const blocks: PemBlock[] = [];
  // The scan only moves forward, so the first `\n-----END ` at or after it is found once and kept
  // until the scan passes it (-1: there is none left).
  let nextEnd = -2;
  const endFrom = (from: number): number => {
    if (nextEnd === -2 || (nextEnd >= 0 && nextEnd < from)) nextEnd = text.indexOf(END, from);
    return nextEnd;
  };

  // `rest` is always at the start of the data or of a line.
  let rest = 0;
  while (rest < text.length) {
    let begin = rest;
    if (!text.startsWith(BEGIN, rest)) {
      const found = text.indexOf('\n' + BEGIN, rest);
      if (found < 0) break;
      begin = found + 1;
    }
    if (blocks.length >= maxBlocks) return { blocks, truncatedAt: begin };
    const [typeLine, afterType] = getLine(text, begin + BEGIN.length);
    rest = afterType;
    if (!typeLine.endsWith(DASHES)) continue;
    const type = typeLine.slice(0, -DASHES.length);

    const headers: Record<string, string> = {};
    let headerCount = 0;
    for (;;) {
      if (rest >= text.length) return { blocks }; // Go: the data ends in the headers, so no block follows
      const [line, next] = getLine(text, rest);
      const colon = line.indexOf(':');
      if (colon < 0) break;
      setOwn(headers, trimSpace(line.slice(0, colon)), trimSpace(line.slice(colon + 1)));
      headerCount++;
      rest = next;
    }

    let endIndex: number;
    let trailer: number;
    if (headerCount === 0 && text.startsWith(END.slice(1), rest)) {
      endIndex = rest;
      trailer = rest + END.length - 1;
    } else {
      endIndex = endFrom(rest);
      if (endIndex < 0) continue;
      trailer = endIndex + END.length;
    }
    // `-----END <type>-----`, then nothing but spaces or tabs on that line.
    if (!text.startsWith(type + DASHES, trailer)) continue;
    const endLineEnd = trailer + type.length + DASHES.length;
    const [restOfEndLine, afterEnd] = getLine(text, endLineEnd);
    if (restOfEndLine.length !== 0) continue;

    const bytes = decodeBase64(text.slice(rest, endIndex));
    if (!bytes) continue;
    blocks.push({ type, headers, bytes, text: text.slice(begin, endLineEnd) + '\n', offset: begin });
    rest = afterEnd;
  }
  return { blocks };
}

/** bytes.TrimSpace for the ASCII white space a latin1 text can hold. */
function trimSpace(s: string): string {
  const space = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
  let start = 0;
  let end = s.length;
  while (start < end && space(s[start])) start++;
  while (end > start && space(s[end - 1])) end--;
  return s.slice(start, end);
}

/** Go's getLine: the line at `from` without its `\n`, a `\r` before it and trailing spaces and tabs; and where the next line starts. */
function getLine(text: string, from: number): [string, number] {
  let newline = text.indexOf('\n', from);
  let next: number;
  if (newline < 0) {
    newline = text.length;
    next = newline;
  } else {
    next = newline + 1;
    if (newline > from && text[newline - 1] === '\r') newline--;
  }
  let end = newline;
  while (end > from && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return [text.slice(from, end), next];
}

const BASE64 = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** base64.StdEncoding.Decode after removeSpacesAndTabs: `\r` and `\n` are skipped, padding is required. */
function decodeBase64(body: string): Uint8Array | undefined {
  const data = body.replace(/[ \t\r\n]/g, '');
  if (data.length % 4 !== 0 || !BASE64.test(data)) return undefined;
  return new Uint8Array(Buffer.from(data, 'base64'));
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Binary data that starts like a DER SEQUENCE (how DER certificates and keys begin). */
export function looksLikeDer(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x30) return false;
  const lengthByte = bytes[1];
  return lengthByte === 0x82 || lengthByte === 0x81 || lengthByte === 0x83 || lengthByte < 0x80;
}

/**
 * PEM blocks as Go's encoding/pem finds them (a BEGIN line at the start of a line). The Collector reads
 * certificates with Go, so Go's rules decide; @peculiar/x509's PemConverter (used where Go's rules do not
 * matter, e.g. devCertificates.ts) also takes an indented BEGIN line that Go skips, and gives no offsets.
 */

export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  bytes: Uint8Array;
  /** The block's text, BEGIN to END, for handing to Node's crypto. */
  text: string;
  /** Offset of `-----BEGIN` in the file text. */
  offset: number;
}

const BLOCK = /-----BEGIN ([^\r\n-]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const offset = m.index ?? 0;
    // Go only accepts BEGIN at the start of the data or right after a newline.
    if (offset > 0 && text[offset - 1] !== '\n') continue;
    const headers: Record<string, string> = {};
    const lines = m[2].split(/\r?\n/);
    let bodyStart = 0;
    if (lines.some((l) => l.includes(':'))) {
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line.trim() === '') { bodyStart = i + 1; break; }
        const colon = line.indexOf(':');
        if (colon < 0) { bodyStart = i; break; }
        headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
        bodyStart = i + 1;
      }
    }
    const body = lines.slice(bodyStart).join('');
    blocks.push({ type: m[1], headers, bytes: new Uint8Array(Buffer.from(body, 'base64')), text: m[0] + '\n', offset });
  }
  return blocks;
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

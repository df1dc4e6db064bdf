/**
 * Host name verification by Go's rules (crypto/x509 VerifyHostname, matchHostnames, validHostname):
 * SANs only (the CN is never used), ASCII case-insensitive, one trailing dot on the host ignored,
 * a wildcard only as the whole leftmost label of a valid pattern with equal label counts,
 * partial wildcards compared literally, IP hosts against IP SANs only.
 *
 * Node's X509Certificate.checkHost({ subject: 'never', partialWildcards: false, multiLabelWildcards: false })
 * agrees except on `*` and `*.com` (Go accepts them; OpenSSL refuses wildcards over too few labels),
 * so the rules are written out here and tested against Go itself.
 */
import { ipText, type CertificateInfo } from './certificateInfo';

export type HostCheck =
  | { ok: true }
  /** Only the CN would have matched, and the certificate has no SAN extension. */
  | { ok: false; kind: 'cn-only'; goError: string }
  | { ok: false; kind: 'mismatch'; goError: string };

export function verifyHostname(cert: CertificateInfo, host: string): HostCheck {
  let candidateIp = host;
  if (host.length >= 3 && host.startsWith('[') && host.endsWith(']')) candidateIp = host.slice(1, -1);
  const ip = parseIp(candidateIp);
  if (ip) {
    if (cert.ipAddresses.some((san) => ipEqual(san, ip))) return { ok: true };
    return { ok: false, kind: 'mismatch', goError: hostnameError(cert, candidateIp) };
  }
  const candidate = host.toLowerCase();
  const validCandidate = validHostname(candidate, false);
  for (const pattern of cert.dnsNames) {
    const matched = validCandidate && validHostname(pattern, true) ? matchHostnames(pattern, candidate) : matchExactly(pattern, candidate);
    if (matched) return { ok: true };
  }
  const error = hostnameError(cert, host);
  return { ok: false, kind: error.includes('legacy Common Name') ? 'cn-only' : 'mismatch', goError: error };
}

/** Go's HostnameError.Error(). */
function hostnameError(cert: CertificateInfo, host: string): string {
  if (!cert.hasSanExtension && cert.commonName !== undefined && matchHostnames(cert.commonName, host)) {
    return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  }
  let valid: string;
  if (parseIp(host)) {
    if (cert.ipAddresses.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    valid = cert.ipAddresses.map(ipText).join(', ');
  } else {
    valid = cert.dnsNames.join(', ');
  }
  if (!valid) return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${valid}, not ${host}`;
}

export function validHostname(host: string, isPattern: boolean): boolean {
  if (!isPattern) host = host.endsWith('.') ? host.slice(0, -1) : host;
  if (host.length === 0) return false;
  const parts = host.split('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '') return false;
    if (isPattern && i === 0 && part === '*') continue;
    for (let j = 0; j < part.length; j++) {
      const c = part[j];
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c === '_') continue;
      if (c === '-' && j !== 0) continue;
      return false;
    }
  }
  return true;
}

export function matchHostnames(pattern: string, host: string): boolean {
  pattern = pattern.toLowerCase();
  host = (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase();
  if (pattern.length === 0 || host.length === 0) return false;
  const patternParts = pattern.split('.');
  const hostParts = host.split('.');
  if (patternParts.length !== hostParts.length) return false;
  for (let i = 0; i < patternParts.length; i++) {
    if (i === 0 && patternParts[i] === '*') continue;
    if (patternParts[i] !== hostParts[i]) return false;
  }
  return true;
}

function matchExactly(pattern: string, host: string): boolean {
  if (host === '' || host === '.' || pattern === '' || pattern === '.') return false;
  return pattern.toLowerCase() === host.toLowerCase();
}

/** Go's net.ParseIP as 16 bytes (IPv4 mapped), or undefined. */
export function parseIp(text: string): Uint8Array | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    // Go rejects leading zeros (since 1.17) and values over 255.
    if (octets.some((o) => o > 255) || v4.slice(1).some((o) => o.length > 1 && o.startsWith('0'))) return undefined;
    return new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...octets]);
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  let tailV4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4Part = parseIp(text.slice(lastColon + 1));
    if (!v4Part) return undefined;
    tailV4 = Array.from(v4Part.subarray(12));
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if ([...left, ...right].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right].map((g) => parseInt(g, 16));
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  if (tailV4.length) bytes.set(tailV4, 12);
  return bytes;
}

function to16(ip: Uint8Array): Uint8Array {
  if (ip.length === 16) return ip;
  if (ip.length === 4) return new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...ip]);
  return ip;
}

export function ipEqual(a: Uint8Array, b: Uint8Array): boolean {
  const x = to16(a);
  const y = to16(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

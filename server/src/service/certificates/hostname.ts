/**
 * Host name verification by Go's rules (crypto/x509 VerifyHostname, matchHostnames, validHostname):
 * SANs only (the CN is never used), ASCII case-insensitive, one trailing dot on the host ignored,
 * a wildcard only as the whole leftmost label of a valid pattern with equal label counts,
 * partial wildcards compared literally, IP hosts against IP SANs only. Since Go 1.20 a bare `*`
 * is not a valid pattern, so it matches only the host `*` itself.
 *
 * And the rules of the OpenSSL-based SDKs, which differ (`opensslHostCheck`): Node's
 * tls.checkServerIdentity (Node 20 lib/tls.js), Python's ssl module (OpenSSL X509_check_host with
 * X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, CN fallback unless hostname_checks_common_name is off, as
 * urllib3 2.x turns it off for the HTTP exporter) and grpcio's tsi (`grpcioCheckHost`: gRPC core's own
 * name match, not OpenSSL's).
 * Both sets are tested against Go and Node themselves (test/integration/hostnameRules.test.ts).
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
    if (cert.go.ipAddresses.some((san) => ipEqual(san, ip))) return { ok: true };
    return { ok: false, kind: 'mismatch', goError: hostnameError(cert, candidateIp) };
  }
  const candidate = toLowerAscii(host);
  const validCandidate = validHostname(candidate, false);
  for (const pattern of cert.go.dnsNames) {
    const matched = validCandidate && validHostname(pattern, true) ? matchHostnames(pattern, candidate) : matchExactly(pattern, candidate);
    if (matched) return { ok: true };
  }
  const error = hostnameError(cert, host);
  return { ok: false, kind: error.includes('legacy Common Name') ? 'cn-only' : 'mismatch', goError: error };
}

/** Go's HostnameError.Error(). */
function hostnameError(cert: CertificateInfo, host: string): string {
  if (!cert.go.hasSan && matchHostnames(cert.commonName ?? '', host)) {
    return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  }
  let valid: string;
  if (parseIp(host)) {
    if (cert.go.ipAddresses.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    valid = cert.go.ipAddresses.map(ipText).join(', ');
  } else {
    valid = cert.go.dnsNames.join(', ');
  }
  if (!valid) return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${valid}, not ${host}`;
}

export function validHostname(host: string, isPattern: boolean): boolean {
  if (!isPattern) host = host.endsWith('.') ? host.slice(0, -1) : host;
  if (host.length === 0) return false;
  // Go ≥ 1.20: a bare wildcard is not a valid name (RFC 6125), so a SAN "*" only matches the host "*" exactly.
  if (host === '*') return false;
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
  pattern = toLowerAscii(pattern);
  host = toLowerAscii(host.endsWith('.') ? host.slice(0, -1) : host);
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
  return toLowerAscii(pattern) === toLowerAscii(host);
}

/** Go's toLowerCaseASCII (and Node's splitHost): only A-Z are lowered, never other letters. */
function toLowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// The OpenSSL-based SDKs.

/** Whose host name rules: Node (JS SDK exporters), Python's ssl module (gRPC through grpcio is separate), urllib3 2.x (Python HTTP exporter), grpcio (Python gRPC exporter). */
export type HostRules = 'node' | 'python-ssl' | 'python-urllib3' | 'grpcio';

export interface OpensslHostCheck {
  ok: boolean;
  /** The error that stack reports, verbatim where known. */
  error?: string;
  /** Matched only through the subject CN (no DNS SAN). */
  viaCommonName?: boolean;
}

/** The certificate's names as OpenSSL reads them (the same SAN extension; Go's view when it parsed). */
function opensslNames(cert: CertificateInfo): { dns: string[]; ips: Uint8Array[]; anySan: boolean } {
  return { dns: cert.go.dnsNames.length || cert.go.parseError === undefined ? cert.go.dnsNames : cert.dnsNames, ips: cert.go.ipAddresses.length || cert.go.parseError === undefined ? cert.go.ipAddresses : cert.ipAddresses, anySan: cert.hasSanExtension };
}

/**
 * Node 20 lib/tls.js checkServerIdentity: a trailing dot is removed from the host and from each
 * pattern (unfqdn in splitHost); IP hosts match IP SANs only; DNS SANs when there is any, else the
 * CN (even with IP SANs); a wildcard anywhere in the first label (`f*.x.y` matches), one only, and
 * not over fewer than three labels (`*.com`, `*` never match); labels with bytes outside
 * U+0021–U+007F never match; `xn--` labels only literally.
 */
export function nodeCheckHost(cert: CertificateInfo, host: string): OpensslHostCheck {
  const unfqdn = (h: string) => h.replace(/[.]$/, '');
  const hostname = unfqdn(host);
  const names = opensslNames(cert);
  const ip = parseIp(hostname); // net.isIP: no brackets
  if (ip) {
    // Node compares canonical texts: an IPv4 host matches only 4-byte IP SANs, an IPv6 host only 16-byte ones (::ffff:a.b.c.d included).
    const v4 = /^[0-9.]+$/.test(hostname);
    const ok = names.ips.some((san) => (v4 ? san.length === 4 : san.length === 16) && ipEqual(san, ip));
    return ok ? { ok } : { ok, error: `ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: IP: ${hostname} is not in the cert's list: ${names.ips.map(ipText).join(', ')}` };
  }
  const hostParts = splitHost(hostname);
  if (names.dns.length > 0) {
    const ok = names.dns.some((pattern) => nodeWildcardCheck(hostParts, pattern));
    return ok ? { ok } : { ok, error: `ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: Host: ${hostname}. is not in the cert's altnames: ${[...names.dns.map((d) => `DNS:${d}`), ...names.ips.map((i) => `IP Address:${ipText(i)}`)].join(', ')}` };
  }
  if (cert.commonName !== undefined) {
    const cns = commonNames(cert);
    const ok = cns.some((cn) => nodeWildcardCheck(hostParts, cn));
    return ok ? { ok, viaCommonName: true } : { ok, error: `ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: Host: ${hostname}. is not cert's CN: ${cns.join(',')}` };
  }
  return { ok: false, error: "ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: Cert does not contain a DNS name" };
}

function commonNames(cert: CertificateInfo): string[] {
  const all = [...cert.subject.matchAll(/(?:^|, )CN=([^,]*)/g)].map((m) => m[1]);
  return all.length ? all : cert.commonName !== undefined ? [cert.commonName] : [];
}

function splitHost(host: string): string[] {
  return toLowerAscii(host.replace(/[.]$/, '')).split('.');
}

function nodeWildcardCheck(hostParts: string[], pattern: string): boolean {
  if (!pattern) return false;
  const patternParts = splitHost(pattern);
  if (hostParts.length !== patternParts.length) return false;
  if (patternParts.includes('')) return false;
  if (patternParts.some((p) => /[^\u0021-\u007F]/u.test(p))) return false;
  for (let i = hostParts.length - 1; i > 0; i--) if (hostParts[i] !== patternParts[i]) return false;
  const hostSubdomain = hostParts[0];
  const patternSubdomain = patternParts[0];
  const pieces = patternSubdomain.split('*');
  if (pieces.length === 1 || patternSubdomain.includes('xn--')) return hostSubdomain === patternSubdomain;
  if (pieces.length > 2) return false;
  if (patternParts.length <= 2) return false;
  const [prefix, suffix] = pieces;
  if (prefix.length + suffix.length > hostSubdomain.length) return false;
  return hostSubdomain.startsWith(prefix) && hostSubdomain.endsWith(suffix);
}

/**
 * OpenSSL's X509_check_host / X509_check_ip as Python's ssl module calls them: one trailing dot
 * on the host ignored; IP hosts against IP SANs; DNS SANs when there is any DNS SAN, else the CN
 * (unless the stack turns CN matching off); a wildcard only as the whole leftmost label
 * (X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS), with at least two labels after it and not in an
 * `xn--` label; case-insensitive. grpcio: gRPC core's own match (`grpcioCheckHost`).
 */
export function opensslCheckHost(cert: CertificateInfo, host: string, rules: Exclude<HostRules, 'node'>): OpensslHostCheck {
  if (rules === 'grpcio') return grpcioCheckHost(cert, host);
  const names = opensslNames(cert);
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const ip = parseIp(bare);
  if (ip) {
    // X509_check_ip compares the address bytes with each IP SAN, length included: an IPv4 host matches only
    // 4-byte SANs, so never an IPv4-mapped IPv6 SAN (observed: test/integration/handshakeAgreementSdks.test.ts).
    const v4 = /^[0-9.]+$/.test(bare);
    const ok = names.ips.some((san) => (v4 ? san.length === 4 : san.length === 16) && ipEqual(san, ip));
    return ok ? { ok } : { ok, error: `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not valid for '${bare}'.` };
  }
  const hostname = toLowerAscii(host.endsWith('.') && host.length > 1 ? host.slice(0, -1) : host);
  const mismatch = `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for '${host}'.`;
  if (names.dns.length > 0) {
    const ok = names.dns.some((pattern) => opensslPatternMatch(toLowerAscii(pattern), hostname));
    return ok ? { ok } : { ok, error: mismatch };
  }
  const cnAllowed = rules === 'python-ssl';
  if (cnAllowed && commonNames(cert).some((cn) => opensslPatternMatch(toLowerAscii(cn), hostname))) return { ok: true, viaCommonName: true };
  return { ok: false, error: mismatch };
}

function opensslPatternMatch(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const star = pattern.indexOf('*');
  if (star < 0) return false;
  // valid_star: the whole leftmost label, exactly one, at least two labels after it, no IDNA label.
  const labels = pattern.split('.');
  if (labels[0] !== '*' || labels.slice(1).some((l) => l.includes('*') || l === '') || labels.length < 3) return false;
  const hostLabels = host.split('.');
  if (hostLabels.length !== labels.length || hostLabels[0] === '' || hostLabels[0].startsWith('xn--')) return false;
  // wildcard_match: the characters the * stands for must be letters, digits or '-'.
  if (!/^[A-Za-z0-9-]+$/.test(hostLabels[0])) return false;
  return hostLabels.slice(1).join('.') === labels.slice(1).join('.');
}

// ---------------------------------------------------------------------------------------------
// The Python gRPC exporter: grpcio. gRPC core checks the peer name itself after the TLS handshake, on the
// names its tsi layer extracted from the leaf (grpc 1.51.1, Debian's python3-grpcio; docs/tls-rules.md §9):
// src/core/lib/security/security_connector/ssl/ssl_security_connector.cc:60-75 (ssl_check_peer),
// ssl_utils.cc:156-163, 214-227 (grpc_ssl_host_matches_name), src/core/tsi/ssl_transport_security.cc
// 246-267 (looks_like_ip_address), 374-451 (add_subject_alt_names_properties_to_peer), 1875-1914
// (does_entry_match_name) and 2392-2429 (tsi_ssl_peer_matches_name).

/**
 * gRPC core's peer name check (tsi_ssl_peer_matches_name). The host "looks like an IP" when it has a `:`,
 * or is 4 or more dot-separated runs of at most 4 digits; then it must equal, as text, one SAN entry of any
 * type (an IP SAN as inet_ntop prints it: an IPv4-mapped IPv6 SAN is "::ffff:127.0.0.1", never
 * "127.0.0.1"; a DNS SAN "127.0.0.1" matches). Any other host against every SAN entry (DNS, email, URI, IP
 * text; other types read "other types of SAN") by does_entry_match_name: one trailing dot dropped from the
 * host and from the entry, equal ignoring ASCII case, or an entry `*.rest` where rest equals what follows
 * the host's first label, which must hold a dot that is not its last character (`*.test` never matches,
 * `*.otel.test` matches `a_b.otel.test`: no character rule); no partial wildcards. The first CN only when
 * the certificate has no SAN entry at all, and never for an IP-looking host. A leaf IP SAN of another length
 * than 4 or 16 bytes fails the peer extraction, so the handshake.
 */
export function grpcioCheckHost(cert: CertificateInfo, host: string): OpensslHostCheck {
  // The target's host as SplitHostPort gives it (no brackets), without an IPv6 zone.
  const name = host.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mismatch = { ok: false, error: `Peer name ${name} is not in peer certificate` };
  if (name === '') return mismatch;
  const entries: string[] = [];
  const sans = cert.go.sanEntries.length || !cert.hasSanExtension ? cert.go.sanEntries : [...cert.dnsNames.map((d) => ({ tag: 2, data: new Uint8Array(Buffer.from(d, 'latin1')) })), ...cert.ipAddresses.map((ip) => ({ tag: 7, data: ip }))];
  for (const { tag, data } of sans) {
    if (tag === 1 || tag === 2 || tag === 6) entries.push(Buffer.from(data).toString('latin1'));
    else if (tag === 7) {
      if (data.length !== 4 && data.length !== 16) return { ok: false, error: 'SAN IP Address contained invalid IP (gRPC cannot read the server certificate\'s names)' };
      entries.push(inetNtop(data));
    } else entries.push('other types of SAN');
  }
  const likeIp = looksLikeIpAddress(name);
  if (entries.some((entry) => (likeIp ? entry === name : grpcEntryMatchesName(entry, name)))) return { ok: true };
  const cn = commonNames(cert)[0];
  if (entries.length === 0 && cn !== undefined && !likeIp && grpcEntryMatchesName(cn, name)) return { ok: true, viaCommonName: true };
  return mismatch;
}

/** ssl_transport_security.cc looks_like_ip_address: "a very rough heuristic". */
function looksLikeIpAddress(name: string): boolean {
  let dots = 0;
  let digits = 0;
  for (const c of name) {
    if (c === ':') return true;
    if (c >= '0' && c <= '9') {
      if (digits > 3) return false;
      digits++;
    } else if (c === '.') {
      if (dots > 3 || digits === 0) return false;
      dots++;
      digits = 0;
    } else return false;
  }
  return dots >= 3 && digits > 0;
}

/** ssl_transport_security.cc does_entry_match_name. */
function grpcEntryMatchesName(entryText: string, nameText: string): boolean {
  let entry = entryText;
  let name = nameText;
  if (entry === '') return false;
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (entry.endsWith('.')) {
    entry = entry.slice(0, -1);
    if (entry === '') return false;
  }
  if (toLowerAscii(name) === toLowerAscii(entry)) return true;
  if (!entry.startsWith('*')) return false;
  if (entry.length < 3 || entry[1] !== '.') return false;
  const pos = name.indexOf('.');
  if (pos < 0 || pos >= name.length - 2) return false;
  let subdomain = name.slice(pos + 1);
  entry = entry.slice(2);
  const dot = subdomain.indexOf('.');
  if (dot < 0 || dot === subdomain.length - 1) return false;
  if (subdomain.endsWith('.')) subdomain = subdomain.slice(0, -1);
  return entry !== '' && toLowerAscii(subdomain) === toLowerAscii(entry);
}

/** glibc's inet_ntop: IPv4 dotted; IPv6 in lower-case hex, the first longest run of two or more zero groups as "::", "::ffff:a.b.c.d" and "::a.b.c.d" with the IPv4 tail. */
function inetNtop(ip: Uint8Array): string {
  if (ip.length === 4) return Array.from(ip).join('.');
  const words = Array.from({ length: 8 }, (_, i) => (ip[2 * i] << 8) | ip[2 * i + 1]);
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      cur = cur.base === -1 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += Array.from(ip.subarray(12)).join('.');
      break;
    }
    out += words[i].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

// ---------------------------------------------------------------------------------------------
// The Java SDK: OkHttp's OkHostnameVerifier (square/okhttp 1682d9bac8c0,
// okhttp/src/commonJvmAndroid/kotlin/okhttp3/internal/tls/OkHostnameVerifier.kt; docs/tls-rules.md J1).

/**
 * OkHostnameVerifier.verify: a non-ASCII host never matches (43-51); a host that looks like an IP
 * (`canParseAsIpAddress`, -HostnamesCommon.kt:34-37) against the IP SANs, both canonicalized
 * (`toCanonicalHost`, 285-312: an IPv4-mapped IPv6 address becomes its IPv4 form) (62-72); any other
 * host against the DNS SANs only, never the CN (74-83), by `verifyHostname` (108-199): host and
 * pattern made absolute (a trailing dot on either is ignored), lower-cased; no `*`: equal; else the
 * pattern must start with `*.` and hold no other `*`, `*.` alone never matches, and the `*` stands for
 * exactly one non-empty label (so `*.test` matches `collector.test`).
 */
export function okHttpCheckHost(cert: CertificateInfo, host: string): OpensslHostCheck {
  const names = opensslNames(cert);
  const unverified = { ok: false, error: `javax.net.ssl.SSLPeerUnverifiedException: Hostname ${host} not verified` };
  if (/[^\u0000-\u007f]/u.test(host)) return unverified;
  if (/^(?:[0-9a-fA-F]*:[0-9a-fA-F:.]*|[\d.]+)$/.test(host)) {
    const ip = parseIp(host);
    return ip && names.ips.some((san) => ipEqual(san, ip)) ? { ok: true } : unverified;
  }
  const hostname = host.toLowerCase();
  return names.dns.some((pattern) => okHttpPatternMatch(hostname, pattern)) ? { ok: true } : unverified;
}

function okHttpPatternMatch(hostname: string, pattern: string): boolean {
  if (!hostname || hostname.startsWith('.') || hostname.endsWith('..')) return false;
  if (!pattern || pattern.startsWith('.') || pattern.endsWith('..')) return false;
  let h = hostname.endsWith('.') ? hostname : `${hostname}.`;
  let p = pattern.endsWith('.') ? pattern : `${pattern}.`;
  if (!/[^\u0000-\u007f]/u.test(p)) p = p.toLowerCase();
  if (!p.includes('*')) return h === p;
  if (!p.startsWith('*.') || p.indexOf('*', 1) !== -1) return false;
  if (h.length < p.length) return false;
  if (p === '*.') return false;
  const suffix = p.slice(1);
  if (!h.endsWith(suffix)) return false;
  const start = h.length - suffix.length;
  h = h.slice(0, start);
  return !(start > 0 && h.includes('.'));
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

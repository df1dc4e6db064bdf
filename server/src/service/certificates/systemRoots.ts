/**
 * The trust anchors a client uses when no CA file is configured. The real system store cannot be
 * read from the pure core, so Node's bundled Mozilla roots (`tls.rootCertificates`, static data,
 * no I/O) stand in for it: a private CA is in neither. Only the subjects are indexed up front, by
 * Node's X509Certificate subject text (identical raw names print identically, and Node reads it far
 * faster than a full parse); a root is fully parsed when a chain names it as an issuer, and kept
 * only if its raw subject is the exact issuer name, as Go compares them.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { parseCertificate, type CertificateInfo } from './certificateInfo';
import { parsePem } from './pem';

let bySubject: Map<string, { der: Uint8Array; parsed?: CertificateInfo | null }[]> | undefined;

function index() {
  if (!bySubject) {
    bySubject = new Map();
    for (const pem of rootCertificates) {
      for (const block of parsePem(pem)) {
        try {
          const subject = new X509Certificate(block.bytes).subject;
          const list = bySubject.get(subject) ?? [];
          list.push({ der: block.bytes });
          bySubject.set(subject, list);
        } catch {
          // a bundled root that does not parse is no anchor for anyone
        }
      }
    }
  }
  return bySubject;
}

/** The system roots that could issue a certificate of `presented` (by subject name). */
export function systemRootsFor(presented: readonly CertificateInfo[]): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  const roots = index();
  for (const cert of presented) {
    for (const entry of roots.get(cert.x509.issuer) ?? []) {
      if (entry.parsed === undefined) {
        try {
          entry.parsed = parseCertificate(entry.der);
        } catch {
          entry.parsed = null;
        }
      }
      if (entry.parsed && entry.parsed.rawSubject === cert.rawIssuer && !out.includes(entry.parsed)) out.push(entry.parsed);
    }
  }
  return out;
}

/** Every bundled root, parsed (for a CA pool that includes the system roots: include_system_ca_certs_pool). */
export function rootCertificatesAsInfo(): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  for (const list of index().values()) {
    for (const entry of list) {
      if (entry.parsed === undefined) {
        try {
          entry.parsed = parseCertificate(entry.der);
        } catch {
          entry.parsed = null;
        }
      }
      if (entry.parsed) out.push(entry.parsed);
    }
  }
  return out;
}

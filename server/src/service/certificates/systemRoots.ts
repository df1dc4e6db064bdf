/**
 * The trust anchors a client uses when no CA file is configured. The real system store cannot be
 * read from the pure core, so Node's bundled Mozilla roots (`tls.rootCertificates`, static data,
 * no I/O) stand in for it: a private CA is in neither.
 */
import { rootCertificates } from 'node:tls';
import { parseCertificate, type CertificateInfo } from './certificateInfo';
import { parsePem } from './pem';

let roots: CertificateInfo[] | undefined;

export function systemRoots(): CertificateInfo[] {
  if (!roots) {
    roots = [];
    for (const pem of rootCertificates) {
      for (const block of parsePem(pem)) {
        try {
          roots.push(parseCertificate(block));
        } catch {
          // a bundled root Node cannot parse is no anchor for anyone
        }
      }
    }
  }
  return roots;
}

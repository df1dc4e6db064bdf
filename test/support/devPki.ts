/** A development CA, server and client certificate, generated once per test process. */
import { generateDevCertificates, type GeneratedFile } from '../../server/src/service/certificates/devCertificates';

export const PKI_NOW = new Date('2026-05-01T00:00:00Z');

let pki: Promise<Record<string, string>> | undefined;

/** File name (`ca.crt`, `server.crt`, `server.key`, `client.crt`, `client.key`) → PEM. */
export function devPki(): Promise<Record<string, string>> {
  pki ??= generateDevCertificates({ hosts: ['localhost', 'collector'], clients: ['client'], algorithm: 'ecdsa-p256', days: 365, now: PKI_NOW }).then((files: GeneratedFile[]) =>
    Object.fromEntries(files.map((f) => [f.name, f.contents])),
  );
  return pki;
}

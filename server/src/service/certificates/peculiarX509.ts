/**
 * @peculiar/x509, loaded at its first use: only what makes certificates uses it (devCertificates.ts, and
 * virtualCertificates.ts for what cert-manager will issue), and its load (with tsyringe's) was an eighth of
 * the CLI's start-up for runs that make none. `reflect-metadata` must be loaded before it (its importers do).
 */
import type * as X509 from '@peculiar/x509';

let loaded: typeof X509 | undefined;

export function peculiarX509(): typeof X509 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, bundled by esbuild
  return (loaded ??= require('@peculiar/x509') as typeof X509);
}

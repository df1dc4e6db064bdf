/**
 * `npm run bench` (esbuild bundles this file to dist/bench.js): the server comparison first, then
 * the certificate and workspace benchmarks. Figures are printed, never asserted.
 */
import { benchCertificates } from './certsBench';
import { benchServers } from './serverBench';
import { benchWorkspace } from './workspaceBench';

async function main(): Promise<void> {
  await benchServers();
  await benchCertificates();
  await benchWorkspace();
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => {
    // Child servers are disposed by now; this only guards against a stray handle keeping the bench alive.
    setTimeout(() => process.exit(), 5_000).unref();
  });

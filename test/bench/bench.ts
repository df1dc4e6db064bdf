/**
 * `npm run bench` (esbuild bundles this file to dist/bench.js): the server comparison first, then
 * the scaling cases (CLI over 1,000 and 2,000 files, the start-up scan), then the certificate and
 * workspace benchmarks. Figures are printed, never asserted. `OTLP_TLS_BENCH_ONLY=servers,scaling`
 * runs only the parts named (servers, scaling, certificates, workspace; `manifest`, only when named: issue 10's
 * plain-config and manifest edits on our server alone).
 */
import { benchCertificates } from './certsBench';
import { benchScaling } from './scalingBench';
import { benchManifestOnly, benchServers, machineLoad } from './serverBench';
import { benchWorkspace } from './workspaceBench';

const PARTS: [string, () => Promise<void>][] = [
  ['servers', benchServers],
  ['scaling', benchScaling],
  ['certificates', benchCertificates],
  ['workspace', benchWorkspace],
  // Not in a plain `npm run bench` (the servers part has both cases): issue 10's two cases, our server only.
  ['manifest', benchManifestOnly],
];

async function main(): Promise<void> {
  const only = process.env.OTLP_TLS_BENCH_ONLY?.split(',').map((s) => s.trim());
  const started = Date.now();
  console.log(`bench: ${new Date().toISOString()}, Node ${process.version}, ${machineLoad()}`);
  for (const [name, run] of PARTS) if (only ? only.includes(name) : name !== 'manifest') await run();
  console.log(`\nbench: done in ${((Date.now() - started) / 1000).toFixed(0)} s, ${machineLoad()}`);
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

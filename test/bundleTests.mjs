// Shared by test/run.mjs and test/e2e/run.mjs: bundles test files with esbuild (dependencies stay
// external, source maps inline) under `outdir`, mirroring their paths, and returns the bundles' paths.
import * as esbuild from 'esbuild';
import { join } from 'node:path';

export async function bundleTests(root, files, outdir) {
  await esbuild.build({
    entryPoints: files,
    outdir,
    outbase: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    packages: 'external',
    logLevel: 'warning',
    loader: { '.md': 'text' },
  });
  return files.map((file) => join(outdir, file.replace(/\.ts$/, '.js')));
}

// Shared by test/run.mjs and test/e2e/run.mjs: bundles test files with esbuild (dependencies stay
// external, source maps inline) under `outdir`, mirroring their paths, and returns the bundles' paths.
import * as esbuild from 'esbuild';
import { dirname, join, relative } from 'node:path';

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

/**
 * Bundles `files` (test files of one folder) into ONE bundle, `entry` (a path beside them, e.g.
 * test/unit/all.test.ts), so they run in one process: the unit tier's ~50 files each paid about 0.4 s of
 * CPU to load their own copy of the core, half the tier's cost. Tests import in file order and register
 * their suites as they would alone; the core keeps no module-level state (docs/architecture.md), so
 * sharing one instance changes nothing they assert. Returns the bundle's path.
 */
export async function bundleTogether(root, files, entry, outdir) {
  const dir = dirname(join(root, entry));
  const contents = files.map((file) => `import ${JSON.stringify(`./${relative(dir, join(root, file)).replace(/\\/g, '/')}`)};`).join('\n');
  const outfile = join(outdir, entry.replace(/\.ts$/, '.js'));
  await esbuild.build({
    stdin: { contents, resolveDir: dir, sourcefile: entry, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    packages: 'external',
    logLevel: 'warning',
    loader: { '.md': 'text' },
  });
  return outfile;
}

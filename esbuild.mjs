// Bundles the entry points: the VS Code client (vscode stays external), the language server, the CLI,
// the bench and the TLS map's webview script and style sheet. `--watch` rebuilds on change, `--production` minifies.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // docs/diagnostics.md goes into the CLI bundle as the SARIF rules' help (server/src/cli/ruleHelp.ts).
  loader: { '.md': 'text' },
};

const builds = [
  { ...shared, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...shared, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  // The CLI: dist/cli.js (the bin) runs dist/cli-main.js with a V8 code cache (server/src/cli/launch.ts).
  { ...shared, entryPoints: ['server/src/cli/cli.ts'], outfile: 'dist/cli-main.js' },
  { ...shared, entryPoints: ['server/src/cli/launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...shared, entryPoints: ['test/bench/bench.ts'], outfile: 'dist/bench.js', packages: 'external' },
  { ...shared, entryPoints: ['test/fuzz/fuzz.ts'], outfile: 'dist/fuzz.js', packages: 'external' },
  // The TLS map's webview: a browser script (with @dagrejs/dagre) and its style sheet, loaded by the page's CSP.
  { ...shared, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['client/src/tlsMap/webview/main.ts'], outfile: 'dist/tlsMapView.js' },
  { ...shared, platform: 'browser', entryPoints: ['client/src/tlsMap/webview/tlsMap.css'], outfile: 'dist/tlsMapView.css' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

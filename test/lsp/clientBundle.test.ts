/**
 * The VS Code client stays thin (issue 9 item 4): its bundle holds the language client, the
 * protocol and the command prompts, and no PKI library (the server generates and writes
 * certificates). Built here with esbuild's metafile, as esbuild.mjs builds dist/client.js.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { join, relative } from 'node:path';
import { ROOT } from '../support/lspClient';

it('dist/client.js carries no @peculiar/x509, asn1 or reflect-metadata, and of the server only the protocol, the command ids and the certificate options', async () => {
  const result = await esbuild.build({
    entryPoints: [join(ROOT, 'client', 'src', 'extension.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    external: ['vscode'],
    metafile: true,
    write: false,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  const inputs = Object.keys(result.metafile.inputs).map((path) => relative(ROOT, join(ROOT, path)));
  assert.deepEqual(inputs.filter((path) => /@peculiar|asn1|reflect-metadata|tsyringe|pvtsutils/.test(path)), []);
  assert.deepEqual(inputs.filter((path) => path.startsWith('server/')).sort(), ['server/src/protocol.ts', 'server/src/service/certificates/devCertificateOptions.ts', 'server/src/service/commands.ts']);
  const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.length, 0);
  console.log(`# client bundle: ${(bytes / 1024).toFixed(0)} KiB minified, ${inputs.length} inputs`);
});

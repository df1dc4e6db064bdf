/**
 * Workspace benchmark: 50 collector configs and 50 env files referencing 200 certificate files
 * (each config's cert/key, each app's client cert/key, one shared CA), paired receiver ↔ env file.
 * Prints medians of the cold check of the whole workspace (CLI's checkFiles, empty certificate
 * cache), of the warm re-validation of one edited file (certificates cached), of the TLS map of the
 * workspace (the server's otlpTls/tlsMap), and of certificate path completion. Never asserted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFiles } from '../../server/src/cli/checkCommand';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { getLanguageService } from '../../server/src/service/languageService';
import { defaultSettings, type Settings } from '../../server/src/service/settings';
import { createWorkspaceIndex, emptyWorkspace } from '../../server/src/service/model/workspace';
import { hasUnits } from '../../server/src/service/model/units';
import { ca, client, server } from '../support/certificates';

const CONFIGS = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function benchWorkspace(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-bench-ws-'));
  try {
    const root = await ca('Bench CA');
    writeFileSync(join(dir, 'ca.crt'), root.pem);
    const files: string[] = [];
    let certificateFiles = 0;
    for (let i = 0; i < CONFIGS; i++) {
      const host = `collector-${i}.bench.svc`;
      const port = 20000 + i;
      const s = await server(root, [host]);
      const c = await client(root, `app-${i}`);
      writeFileSync(join(dir, `server-${i}.crt`), s.pem);
      writeFileSync(join(dir, `server-${i}.key`), s.keyPem, { mode: 0o600 });
      writeFileSync(join(dir, `client-${i}.crt`), c.pem);
      writeFileSync(join(dir, `client-${i}.key`), c.keyPem, { mode: 0o600 });
      certificateFiles += 4;
      const collector = join(dir, `collector-${i}.yaml`);
      writeFileSync(
        collector,
        `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:${port}\n        tls:\n          cert_file: server-${i}.crt\n          key_file: server-${i}.key\n          client_ca_file: ca.crt\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n`,
      );
      const env = join(dir, `app-${i}.env`);
      writeFileSync(
        env,
        `OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://${host}:${port}\nOTEL_EXPORTER_OTLP_CERTIFICATE=ca.crt\nOTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=client-${i}.crt\nOTEL_EXPORTER_OTLP_CLIENT_KEY=client-${i}.key\n`,
      );
      files.push(collector, env);
    }
    const runtime = nodeRuntime();
    const settings: Settings = { ...defaultSettings, workspaceRoots: [dir] };

    // Cold: nothing cached (checkFiles builds a new language service, with empty caches), every file read, parsed and checked.
    const cold: number[] = [];
    let diagnostics = 0;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      diagnostics = checkFiles(files, runtime, settings).length;
      cold.push(performance.now() - start);
    }
    console.log(`workspace: cold check of ${files.length} files (${certificateFiles + 1} certificate files)  median ${median(cold).toFixed(1)} ms (n=${cold.length}), ${diagnostics} diagnostics`);

    // Warm: the workspace is indexed and the certificates are cached; one file is edited and re-validated.
    let workspace = emptyWorkspace;
    const service = getLanguageService({ runtime, settings, workspace: () => workspace });
    const docs = files.map((path) => {
      const text = readFileSync(path, 'utf8');
      return { path, text, parsed: service.parse({ path, text }) };
    });
    workspace = createWorkspaceIndex(docs.map((d) => d.parsed).filter(hasUnits), runtime.getEnv);
    for (const d of docs) service.validate({ path: d.path, text: d.text }, d.parsed); // warm the cache
    for (const [label, index] of [['env file', 1], ['collector config', 0]] as const) {
      const doc = docs[index];
      const warm: number[] = [];
      for (let run = 0; run < 21; run++) {
        const text = `${doc.text}# edit ${run}\n`;
        const start = performance.now();
        service.validate({ path: doc.path, text });
        warm.push(performance.now() - start);
      }
      console.log(`workspace: warm re-validation of one edited ${label}  median ${median(warm).toFixed(2)} ms (n=${warm.length})`);
    }

    // The TLS map (what the server answers to otlpTls/tlsMap): every file validated once, every link drawn; certificates cached.
    const all: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      for (const d of docs) service.validate({ path: d.path, text: d.text }, d.parsed);
      all.push(performance.now() - start);
    }
    console.log(`workspace: warm validation of all ${files.length} files  median ${median(all).toFixed(1)} ms (n=${all.length})`);
    const mapRuns: number[] = [];
    let edges = 0;
    for (let run = 0; run < 11; run++) {
      const start = performance.now();
      edges = service.tlsMap().edges.length;
      mapRuns.push(performance.now() - start);
    }
    console.log(`workspace: TLS map of ${files.length} files (${edges} edges, every file validated)  median ${median(mapRuns).toFixed(1)} ms (n=${mapRuns.length})`);

    // Path completion after OTEL_EXPORTER_OTLP_CERTIFICATE= : one bounded walk of the folders per request (no cache).
    const completionText = 'OTEL_EXPORTER_OTLP_CERTIFICATE=\n';
    const completionDoc = TextDocument.create(pathToFileURL(join(dir, 'complete.env')).href, 'dotenv', 1, completionText);
    const completion: number[] = [];
    let items = 0;
    for (let run = 0; run < 21; run++) {
      const start = performance.now();
      items = service.getCompletions(completionDoc, { line: 0, character: completionText.length - 1 }).length;
      completion.push(performance.now() - start);
    }
    console.log(`workspace: certificate path completion (${items} items of ${certificateFiles + 1 + files.length} files)  median ${median(completion).toFixed(2)} ms (n=${completion.length})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Certificate generation benchmark (issue 5, "Speed"): the full development set (CA, server,
 * client) made in-process with ECDSA P-256, side by side in the same run with the `openssl`
 * commands of `../shared/reference/otlp-tls-article.md` (RSA 4096), run by bash in a temp dir.
 *
 * Printed, never asserted. The aim in the issue is under 300 ms for the full ECDSA set.
 * - engine: `generateDevCertificates` only (keys, certificates, PEM), no file system;
 * - command: `runCertsCommand` into a fresh folder (the engine plus the six file writes and chmods);
 * - rsa-4096 engine: the same key size as the article, for a like-for-like figure (few runs: RSA
 *   4096 key generation is slow and its time varies a lot);
 * - openssl: the article's script verbatim apart from the `cd` into a fresh folder per run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCertsCommand } from '../../server/src/cli/certsCommand';
import { generateDevCertificates, type KeyAlgorithm } from '../../server/src/service/certificates/devCertificates';
import { ARTICLE_OPENSSL_SCRIPT } from '../support/articleCertificates';


const HOSTS = ['otel-collector.observability.svc', 'localhost'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function line(label: string, samples: number[]): string {
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  return `certs: ${label.padEnd(36)} median ${median(samples).toFixed(1)} ms (n=${samples.length}, min ${min.toFixed(1)}, max ${max.toFixed(1)})`;
}

async function timeEngine(algorithm: KeyAlgorithm, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await generateDevCertificates({ hosts: HOSTS, clients: ['client'], algorithm, days: 365, now: new Date() });
    samples.push(performance.now() - start);
  }
  return samples;
}

async function timeCommand(root: string, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = join(root, `cmd${i}`);
    let stderr = '';
    const start = performance.now();
    const code = await runCertsCommand(['--out', out, ...HOSTS.flatMap((h) => ['--host', h])], {
      cwd: root,
      stdout: () => {},
      stderr: (s) => (stderr += s),
      now: () => new Date(),
    });
    samples.push(performance.now() - start);
    if (code !== 0) throw new Error(`certs command failed: ${stderr}`);
  }
  return samples;
}

function timeOpenssl(root: string, runs: number): number[] | string {
  if (spawnSync('openssl', ['version'], { encoding: 'utf8' }).status !== 0) return 'openssl not found';
  if (spawnSync('bash', ['-c', 'true']).status !== 0) return 'bash not found';
  const script = join(root, 'article.sh');
  writeFileSync(script, ARTICLE_OPENSSL_SCRIPT);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cwd = mkdtempSync(join(root, 'openssl-'));
    const start = performance.now();
    const r = spawnSync('bash', [script], { cwd, encoding: 'utf8', timeout: 120_000 });
    samples.push(performance.now() - start);
    if (r.status !== 0) return `the article's script failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  }
  return samples;
}

export async function benchCertificates(runs = 15): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'otlp-certs-bench-'));
  const slowRuns = Math.max(1, Math.min(3, runs));
  try {
    // One warm-up: module initialisation and JIT are not what a user waits for twice.
    await generateDevCertificates({ hosts: HOSTS, clients: ['client'], algorithm: 'ecdsa-p256', days: 1, now: new Date() });

    const engine = await timeEngine('ecdsa-p256', runs);
    console.log(line('ecdsa-p256 full set', engine));
    const command = await timeCommand(root, runs);
    console.log(line('ecdsa-p256 full set, files written', command));
    const rsa = await timeEngine('rsa-4096', slowRuns);
    console.log(line('rsa-4096 full set', rsa));

    const openssl = timeOpenssl(root, slowRuns);
    if (typeof openssl === 'string') {
      console.log(`certs: article openssl script skipped: ${openssl}`);
      return;
    }
    console.log(line('article openssl script (RSA 4096)', openssl));
    const ratio = median(openssl) / median(command);
    console.log(
      `certs: ratio openssl script / ecdsa-p256 files written  ${ratio.toFixed(1)}x` +
        `  (rsa-4096 in-process vs openssl: ${(median(openssl) / median(rsa)).toFixed(1)}x)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

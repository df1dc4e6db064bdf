/**
 * One handshake scenario, run three ways and compared:
 * - the checker on a collector YAML (the receiver) and an env file (the SDK), once with no SDK named
 *   and once with `# otlp-tls: sdk=js`, as the CLI runs it (nodeRuntime, a workspace index);
 * - Go against Go: a server configured as configtls configures crypto/tls, and a client configured as
 *   the Go SDK's envconfig (test/integration/fixtures/tlspeer.go, `pair`);
 * - Go against Node: the same Go server, and Node's `tls` client as the JS SDK's exporters use it
 *   (ca from OTEL_EXPORTER_OTLP_CERTIFICATE, servername and checkServerIdentity on the endpoint host).
 * The Go peer is built once per process with the newest Go on PATH (test/run.mjs puts Go 1.23 first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { nodeRuntime } from '../../server/src/nodeRuntime';
import { getLanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import { defaultSettings, type Settings } from '../../server/src/service/settings';
import { createWorkspaceIndex, emptyWorkspace } from '../../server/src/service/model/workspace';
import { hasUnits } from '../../server/src/service/model/units';
import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';

export const GO_VERSION = (() => {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();
export const GO_MISSING = "Go is not installed: the Go half of the handshake agreement is skipped. Install it with `apt-get install -t bookworm-backports golang-1.23-go` (or golang-go), or run `bash .ci/run`, which does.";

let root: string | undefined;
let peer: string | undefined;
let peerError: string | undefined;

export function harnessDir(): string {
  root ??= mkdtempSync(join(tmpdir(), 'otlp-harness-'));
  return root;
}

export function cleanupHarness(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
  peer = undefined;
}

/**
 * Builds a fixture program as a module whose go.mod says the Go version in use, so its GODEBUG
 * defaults are that release's (built without a go.mod, Go applies Go 1.20's defaults: RSA key
 * exchange and 3DES on, negative serial numbers accepted, ...). Collectors are modules built with a
 * current go directive. Returns the binary, or the build error.
 */
export function buildGoFixture(name: string, into: string): { bin?: string; error?: string } {
  const version = /go(\d+\.\d+)/.exec(GO_VERSION ?? '')?.[1] ?? '1.23';
  const src = mkdtempSync(join(into, `${name}-src-`));
  writeFileSync(join(src, 'main.go'), readFileSync(join(__dirname, '..', '..', '..', 'test', 'integration', 'fixtures', `${name}.go`)));
  writeFileSync(join(src, 'go.mod'), `module ${name}\n\ngo ${version}\n`);
  const bin = join(into, name);
  const build = spawnSync('go', ['build', '-o', bin, '.'], {
    cwd: src,
    encoding: 'utf8',
    env: { ...process.env, GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'otlp-tls-gocache'), GO111MODULE: 'on', GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' },
  });
  return build.status === 0 ? { bin } : { error: build.stderr };
}

/** Builds tlspeer.go once; undefined when Go is missing (or the build failed: peerBuildError says why). */
export function goPeer(): string | undefined {
  if (peer || peerError || !GO_VERSION) return peer;
  const built = buildGoFixture('tlspeer', harnessDir());
  peer = built.bin;
  peerError = built.error;
  return peer;
}

export function peerBuildError(): string | undefined {
  return peerError;
}

export interface Case {
  /** cert_file and key_file contents (PEM text, possibly broken on purpose). */
  certFile: string;
  keyFile: string;
  /** Extra lines of the receiver's tls: block, e.g. `min_version: "1.3"`. */
  receiverTls?: string[];
  /** The same settings for the Go peer server. */
  server?: { minVersion?: string; maxVersion?: string; cipherSuites?: string[]; curves?: string[] };
  clientCaFile?: string;
  /** The endpoint host (IPs are written bracketed for IPv6). */
  host: string;
  /** OTEL_EXPORTER_OTLP_CERTIFICATE contents; undefined: not set. */
  trustFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  /** The Node client's runtime TLS options (what NODE_OPTIONS, NODE_TLS_REJECT_UNAUTHORIZED or NODE_EXTRA_CA_CERTS do). */
  node?: { minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion; ciphers?: string; rejectUnauthorized?: false; extraCa?: string };
  /** Extra env file lines (NODE_OPTIONS=…). */
  envLines?: string[];
  /** Environment of the Go client (SSL_CERT_FILE=…). `{DIR}` in it and in envLines is the case's folder. */
  goEnv?: Record<string, string>;
  /** More files written into the case's folder (name → contents). */
  extraFiles?: Record<string, string>;
  /** The receiver's protocol and the env file's OTEL_EXPORTER_OTLP_PROTOCOL (default grpc; http: http/protobuf). */
  protocol?: 'grpc' | 'http';
  /** Write the receiver's certificate and key inline: cert_pem/key_pem as YAML block scalars, as `${file:…}`, or as one line with literal \n. */
  inline?: 'block' | 'file-ref' | 'one-line';
}

export interface Outcome {
  ok: boolean;
  detail: string;
}

export interface CaseRun {
  /** Checker problems with no SDK named (Go decides), and with `sdk=js`. */
  unnamed: Problem[];
  js: Problem[];
  go?: Outcome;
  node?: Outcome;
  dir: string;
}

let counter = 0;

function write(path: string, text: string, mode = 0o644): string {
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

export function severityOf(p: Problem): string {
  return p.severity ?? diagnosticCodes[p.code].severity;
}

export function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => severityOf(p) === 'error');
}

/** Runs the checker on files on disk as one workspace (the CLI's way). */
export function checkWorkspace(paths: string[], settings: Partial<Settings> = {}): Problem[] {
  const runtime = nodeRuntime();
  const all: Settings = { ...defaultSettings, ...settings };
  let workspace = emptyWorkspace;
  const service = getLanguageService({ runtime, settings: all, workspace: () => workspace });
  const docs = paths.map((path) => {
    const text = readFileSync(path, 'utf8');
    return { path, text, parsed: service.parse({ path, text }) };
  });
  workspace = createWorkspaceIndex(docs.map((d) => d.parsed).filter(hasUnits), runtime.getEnv);
  return docs.flatMap((d) => service.validate({ path: d.path, text: d.text }, d.parsed).map((p) => ({ ...p, message: `${d.path.split('/').pop()}: ${p.message}` })));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function urlHost(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

/**
 * The Go server (as the Collector) and a client: `connect` is called with the server's port once it
 * listens, and resolves to "ok" or the client's error. The outcome is ok when both ends are. `grpcserver`:
 * the server as the OTLP/gRPC receiver serves (ALPN h2, HTTP/2, every call answered UNIMPLEMENTED; ok once
 * a call arrived), for clients that check ALPN and speak gRPC (grpcio).
 */
export function goServerWith(bin: string, configPath: string, connect: (port: number) => Promise<string>, label: string, command: 'server' | 'grpcserver' = 'server'): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(bin, [command, configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let clientResult: string | undefined;
    let serverResult: { ok: boolean; server?: string } | undefined;
    let settled = false;
    let connecting = false;
    const finish = () => {
      if (settled || clientResult === undefined || serverResult === undefined) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ok: clientResult === 'ok' && serverResult.ok, detail: `${label} client: ${clientResult} | go server: ${serverResult.server || 'ok'}` });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill();
      resolve({ ok: false, detail: `timeout (${label} client: ${clientResult ?? 'pending'})` });
    }, 40_000);
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        const message = JSON.parse(line) as { port?: number; ok: boolean; server?: string };
        if (message.port) {
          connecting = true;
          void connect(message.port).then(
            (r) => {
              if (clientResult === undefined) clientResult = r;
              finish();
              // A client that failed before it connected (its CA file or key did not load) leaves the server
              // waiting for a connection: give it a moment to report a handshake, then stop it.
              if (!settled) setTimeout(() => {
                if (settled || serverResult !== undefined) return;
                serverResult = { ok: false, server: 'no handshake (the client did not connect)' };
                child.kill();
                finish();
              }, 3_000);
            },
            (e: Error) => {
              if (clientResult === undefined) clientResult = `client did not run: ${e.message}`;
              finish();
            },
          );
        } else {
          serverResult = message;
          // The server gave up before listening (its certificate or key did not load): no client can succeed.
          if (clientResult === undefined && message.server && /failed to load|invalid/.test(message.server)) clientResult = 'server did not start';
          finish();
        }
      }
    });
    child.on('exit', () => {
      if (serverResult === undefined) serverResult = { ok: false, server: 'server exited' };
      // A client already connecting reports for itself.
      if (clientResult === undefined && !connecting) clientResult = 'server exited before the client connected';
      finish();
    });
  });
}

/** Node's tls client as the JS SDK's exporters use it (ca, servername and checkServerIdentity on the endpoint host). */
function nodeConnect(c: Case, files: Record<string, string | undefined>): (port: number) => Promise<string> {
  return (port) =>
    new Promise((resolve) => {
      const read = (p?: string) => (p ? readFileSync(p) : undefined);
      const host = c.host;
      const sock = tls.connect({
        host: '127.0.0.1',
        port,
        servername: net.isIP(host) ? undefined : host,
        checkServerIdentity: (_h, cert) => tls.checkServerIdentity(host, cert),
        ca: c.node?.extraCa !== undefined && !files.trust ? [...tls.rootCertificates, c.node.extraCa] : read(files.trust),
        ...(c.node?.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        cert: read(files.clientCrt),
        key: read(files.clientKey),
        ...(c.node?.minVersion ? { minVersion: c.node.minVersion } : {}),
        ...(c.node?.maxVersion ? { maxVersion: c.node.maxVersion } : {}),
        ...(c.node?.ciphers ? { ciphers: c.node.ciphers } : {}),
      });
      let done = false;
      const end = (r: string) => {
        if (done) return;
        done = true;
        sock.destroy();
        resolve(r);
      };
      sock.on('data', () => end('ok'));
      sock.on('error', (e: NodeJS.ErrnoException) => end(`${e.code ?? ''} ${e.message}`.trim()));
      sock.on('close', () => end('closed before data'));
    });
}

/** A case written to disk: the receiver's config, the env file, the Go peer's config. */
export interface PreparedCase {
  dir: string;
  files: Record<string, string | undefined>;
  collector: string;
  envPath: string;
  /** The env file's text without an SDK line. */
  env: string;
  port: number;
  /** tlspeer.json for the Go peer. */
  configPath: string;
}

/** Writes the files of a case: certificates, the receiver's config, the env file and the Go peer's config. */
export async function prepareCase(c: Case): Promise<PreparedCase> {
  const dir = join(harnessDir(), `case${++counter}`);
  mkdirSync(dir);
  const files: Record<string, string | undefined> = {
    serverCrt: write(join(dir, 'server.crt'), c.certFile),
    serverKey: write(join(dir, 'server.key'), c.keyFile, 0o600),
    clientCa: c.clientCaFile !== undefined ? write(join(dir, 'client-ca.crt'), c.clientCaFile) : undefined,
    trust: c.trustFile !== undefined ? write(join(dir, 'ca.crt'), c.trustFile) : undefined,
    clientCrt: c.clientCertFile !== undefined ? write(join(dir, 'client.crt'), c.clientCertFile) : undefined,
    clientKey: c.clientKeyFile !== undefined ? write(join(dir, 'client.key'), c.clientKeyFile, 0o600) : undefined,
  };
  for (const [name, text] of Object.entries(c.extraFiles ?? {})) write(join(dir, name), text);
  const inDir = (text: string) => text.replaceAll('{DIR}', dir);
  const port = await freePort();
  const block = (key: string, text: string) => `          ${key}: |\n${text.trimEnd().split('\n').map((l) => `            ${l}`).join('\n')}\n`;
  let tlsBlock =
    c.inline === 'block'
      ? `        tls:\n${block('cert_pem', c.certFile)}${block('key_pem', c.keyFile)}`
      : c.inline === 'file-ref'
        ? `        tls:\n          cert_pem: \${file:${files.serverCrt}}\n          key_pem: \${file:${files.serverKey}}\n`
        : c.inline === 'one-line'
          ? `        tls:\n          cert_pem: '${c.certFile.trimEnd().replace(/\n/g, '\\n')}'\n          key_file: ${files.serverKey}\n`
          : `        tls:\n          cert_file: ${files.serverCrt}\n          key_file: ${files.serverKey}\n`;
  if (files.clientCa) tlsBlock += `          client_ca_file: ${files.clientCa}\n`;
  for (const line of c.receiverTls ?? []) tlsBlock += `          ${line}\n`;
  const protocol = c.protocol ?? 'grpc';
  const collector = write(
    join(dir, 'collector.yaml'),
    `receivers:\n  otlp:\n    protocols:\n      ${protocol}:\n        endpoint: 127.0.0.1:${port}\n${tlsBlock}exporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n`,
  );
  let env = `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol === 'http' ? 'http/protobuf' : 'grpc'}\nOTEL_EXPORTER_OTLP_ENDPOINT=https://${urlHost(c.host)}:${port}\n`;
  if (files.trust) env += `OTEL_EXPORTER_OTLP_CERTIFICATE=${files.trust}\n`;
  if (files.clientCrt) env += `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=${files.clientCrt}\nOTEL_EXPORTER_OTLP_CLIENT_KEY=${files.clientKey}\n`;
  for (const line of c.envLines ?? []) env += `${inDir(line)}\n`;
  const envPath = write(join(dir, 'app.env'), env);
  const config = {
    serverCert: files.serverCrt,
    serverKey: files.serverKey,
    ...(c.inline === 'block' || c.inline === 'file-ref' ? { serverCertPem: c.certFile, serverKeyPem: c.keyFile } : {}),
    ...(c.inline === 'one-line' ? { serverCertPem: c.certFile.trimEnd().replace(/\n/g, '\\n') } : {}),
    clientCA: files.clientCa ?? '',
    minVersion: c.server?.minVersion ?? '',
    maxVersion: c.server?.maxVersion ?? '',
    cipherSuites: c.server?.cipherSuites ?? [],
    curves: c.server?.curves ?? [],
    caFile: files.trust ?? '',
    clientCert: files.clientCrt ?? '',
    clientKey: files.clientKey ?? '',
    serverName: c.host,
  };
  const configPath = write(join(dir, 'tlspeer.json'), JSON.stringify(config));
  return { dir, files, collector, envPath, env, port, configPath };
}

/** The checker's problems for the prepared case, with the env file naming `sdk` (`# otlp-tls: sdk=…`) or no SDK. */
export function checkAs(p: PreparedCase, sdk?: string): Problem[] {
  if (sdk) write(p.envPath, `# otlp-tls: sdk=${sdk}\n${p.env}`);
  const problems = checkWorkspace([p.collector, p.envPath], { workspaceRoots: [p.dir] });
  if (sdk) write(p.envPath, p.env);
  return problems;
}

/** Writes the files, runs the checker twice and the real handshakes. */
export async function runCase(c: Case): Promise<CaseRun> {
  const p = await prepareCase(c);
  const run: CaseRun = { unnamed: checkAs(p), js: checkAs(p, 'js'), dir: p.dir };
  const bin = goPeer();
  if (bin) {
    const inDir = (text: string) => text.replaceAll('{DIR}', p.dir);
    const pair = spawnSync(bin, ['pair', p.configPath], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...Object.fromEntries(Object.entries(c.goEnv ?? {}).map(([k, v]) => [k, inDir(v)])) } });
    if (pair.status !== 0) throw new Error(`tlspeer pair failed: ${pair.stderr}`);
    const r = JSON.parse(pair.stdout) as { ok: boolean; client?: string; server?: string };
    run.go = { ok: r.ok, detail: `go client: ${r.client || 'ok'} | go server: ${r.server || 'ok'}` };
    run.node = await goServerWith(bin, p.configPath, nodeConnect(c, p.files), 'node');
  }
  return run;
}

export function describeRun(run: CaseRun): string {
  const list = (ps: Problem[]) => JSON.stringify(ps.filter((p) => severityOf(p) !== 'hint').map((p) => `${p.code}(${severityOf(p)}): ${p.message}`), null, 1);
  return `checker, no SDK named: ${list(run.unnamed)}\nchecker, sdk=js: ${list(run.js)}\nGo↔Go: ${run.go?.detail ?? 'not run'}\nGo↔Node: ${run.node?.detail ?? 'not run'}`;
}

/** A Collector exporter (agent.yaml) against the receiver: only Go on both ends. */
export interface ExporterCase extends Case {
  /** Lines of the exporter's tls: block besides ca_file (min_version, curve_preferences, …). */
  exporterTls: string[];
  /** The same settings for the Go peer's client. */
  client: { minVersion?: string; maxVersion?: string; cipherSuites?: string[]; curves?: string[] };
}

export async function runExporterCase(c: ExporterCase): Promise<{ problems: Problem[]; go?: Outcome; dir: string }> {
  const dir = join(harnessDir(), `exporter${++counter}`);
  mkdirSync(dir);
  const serverCrt = write(join(dir, 'server.crt'), c.certFile);
  const serverKey = write(join(dir, 'server.key'), c.keyFile, 0o600);
  const trust = write(join(dir, 'ca.crt'), c.trustFile ?? '');
  const port = await freePort();
  let tlsBlock = `        tls:\n          cert_file: ${serverCrt}\n          key_file: ${serverKey}\n`;
  for (const line of c.receiverTls ?? []) tlsBlock += `          ${line}\n`;
  const gateway = write(join(dir, 'gateway.yaml'), `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 127.0.0.1:${port}\n${tlsBlock}`);
  const agent = write(join(dir, 'agent.yaml'), `exporters:\n  otlp_grpc/gateway:\n    endpoint: ${urlHost(c.host)}:${port}\n    tls:\n      ca_file: ${trust}\n${c.exporterTls.map((l) => `      ${l}\n`).join('')}`);
  const problems = checkWorkspace([gateway, agent], { workspaceRoots: [dir] }).filter((p) => p.message.startsWith('agent.yaml'));
  const bin = goPeer();
  if (!bin) return { problems, dir };
  const config = {
    serverCert: serverCrt,
    serverKey,
    minVersion: c.server?.minVersion ?? '',
    maxVersion: c.server?.maxVersion ?? '',
    cipherSuites: c.server?.cipherSuites ?? [],
    curves: c.server?.curves ?? [],
    caFile: trust,
    serverName: c.host,
    // configtls's client default MinVersion is TLS 1.2 too.
    clientMinVersion: c.client.minVersion ?? '1.2',
    clientMaxVersion: c.client.maxVersion ?? '',
    clientCipherSuites: c.client.cipherSuites ?? [],
    clientCurves: c.client.curves ?? [],
  };
  const configPath = write(join(dir, 'tlspeer.json'), JSON.stringify(config));
  const pair = spawnSync(bin, ['pair', configPath], { encoding: 'utf8', timeout: 30_000 });
  if (pair.status !== 0) throw new Error(`tlspeer pair failed: ${pair.stderr}`);
  const r = JSON.parse(pair.stdout) as { ok: boolean; client?: string; server?: string };
  return { problems, go: { ok: r.ok, detail: `go client: ${r.client || 'ok'} | go server: ${r.server || 'ok'}` }, dir };
}

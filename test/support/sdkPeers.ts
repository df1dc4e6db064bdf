/**
 * The Python and Java SDKs' TLS as real clients of the Go server the agreement tests build
 * (./handshakeHarness.ts, test/integration/fixtures/tlspeer.go `server`):
 * - Python: test/integration/fixtures/pyclient.py, a POST through requests → urllib3 → ssl (OpenSSL), as
 *   the OTLP/HTTP exporter sends it; needs a python3 that imports requests;
 * - Python gRPC: test/integration/fixtures/pygrpcclient.py, an Export call through grpcio on the credentials
 *   the OTLP/gRPC exporter builds, against the Go server as the gRPC receiver serves (`grpcserver`: ALPN h2,
 *   HTTP/2); needs a python3 that imports grpc (Debian's python3-grpcio);
 * - Java: test/integration/fixtures/JavaClient.java, the Java SDK's TlsUtil trust and key managers on
 *   JSSE with OkHttp's connection spec and host name rules; compiled once per process with javac.
 * Without the tool, the tests that need it skip with the reason below, which test/run.mjs repeats in its
 * final summary.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goPeer, goServerWith, harnessDir, type Outcome, type PreparedCase } from './handshakeHarness';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'integration', 'fixtures');

/**
 * The first python3 that imports requests with urllib3 2.x (what a current `pip install
 * opentelemetry-exporter-otlp-proto-http` brings, and whose host name rules the checker follows:
 * docs/tls-rules.md H5), with its versions.
 */
export const PYTHON = (() => {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', 'import ssl, sys, requests, urllib3; assert int(urllib3.__version__.split(".")[0]) >= 2; print(sys.version.split()[0], ssl.OPENSSL_VERSION, "requests", requests.__version__, "urllib3", urllib3.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { exe, version: r.stdout.trim() };
  }
  return undefined;
})();
export const PYTHON_MISSING =
  "No python3 with requests and urllib3 2.x: the Python half of the SDK handshake agreement is skipped. Install them with `pip install 'requests>=2.32' 'urllib3>=2'` (Debian's python3-requests brings urllib3 1.26, whose host name checks differ from the 2.x the checker follows).";

/**
 * The first python3 that imports grpc (grpcio: the OTLP/gRPC exporter's transport; Debian's python3-grpcio
 * links the system OpenSSL), with its versions.
 */
export const PYTHON_GRPC = (() => {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', 'import ssl, sys, grpc; print(sys.version.split()[0], "grpcio", grpc.__version__, ssl.OPENSSL_VERSION)'], { encoding: 'utf8' });
    if (r.status === 0) return { exe, version: r.stdout.trim() };
  }
  return undefined;
})();
export const PYTHON_GRPC_MISSING =
  'No python3 imports grpc: the Python gRPC half of the SDK handshake agreement is skipped. Install grpcio with `apt-get install python3-grpcio` (or `pip install grpcio`), or run `bash .ci/run`, which does.';

export const JAVA = (() => {
  const javac = spawnSync('javac', ['-version'], { encoding: 'utf8' });
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (javac.status !== 0 || java.status !== 0) return undefined;
  return { version: (java.stderr.split('\n')[0] ?? '').trim() };
})();
export const JAVA_MISSING =
  'A JDK (java and javac) is not installed: the Java half of the SDK handshake agreement is skipped. Install it with `apt-get install default-jdk-headless`, or run `bash .ci/run`, which does.';

let javaClasses: string | undefined;
let javaBuildError: string | undefined;

/** JavaClient.java compiled once (javac), so each handshake starts one JVM and compiles nothing. */
export function javaClient(): { classes?: string; error?: string } {
  if (javaClasses || javaBuildError || !JAVA) return { classes: javaClasses, error: javaBuildError };
  const out = join(harnessDir(), 'java-classes');
  mkdirSync(out, { recursive: true });
  const build = spawnSync('javac', ['-d', out, join(FIXTURES, 'JavaClient.java')], { encoding: 'utf8', timeout: 120_000 });
  if (build.status === 0) javaClasses = out;
  else javaBuildError = build.stderr || build.error?.message || 'javac failed';
  return { classes: javaClasses, error: javaBuildError };
}

/** Runs a program and resolves to its last line of output (the client's verdict). */
function runClient(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill(), 30_000);
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop()?.trim();
      resolve(line || `exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`);
    });
  });
}

/**
 * A client process that serves many handshakes (`--serve`: one request per line on stdin, one verdict
 * per line on stdout), so a JVM or an interpreter starts once per test file rather than per handshake.
 */
class ServingClient {
  private child?: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: ((line: string) => void)[] = [];
  constructor(private readonly command: string, private readonly args: string[]) {}

  ask(request: string): Promise<string> {
    if (!this.child || this.child.exitCode !== null) this.start();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        this.stop();
        resolve('client timed out');
      }, 30_000);
      const done = (line: string) => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiting.push(done);
      this.child!.stdin.write(`${request}\n`);
    });
  }

  private start() {
    const child = spawn(this.command, this.args, { stdio: ['pipe', 'pipe', 'pipe'], env: clientEnv() });
    this.child = child;
    this.buffer = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      this.buffer += chunk;
      const lines = this.buffer.split('\n');
      this.buffer = lines.pop()!;
      for (const line of lines) this.waiting.shift()?.(line.trim());
    });
    child.stderr.on('data', (chunk) => (err = (err + chunk).slice(-2000)));
    child.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w(`exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`);
    });
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  }

  stop() {
    this.child?.kill();
    this.child = undefined;
  }
}

let pythonServer: ServingClient | undefined;
let grpcServer: ServingClient | undefined;
let javaServer: ServingClient | undefined;

/** Ends the serving clients (call from an `after` hook). */
export function stopSdkClients(): void {
  pythonServer?.stop();
  grpcServer?.stop();
  javaServer?.stop();
}

/** The environment of an SDK client: this process's, without the variables that would reroute or re-root it. */
function clientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH', 'GRPC_SSL_CIPHER_SUITES', 'GRPC_SYSTEM_SSL_ROOTS_DIR', 'GRPC_NOT_USE_SYSTEM_SSL_ROOTS', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', '_JAVA_OPTIONS']) delete env[name];
  return { ...env, NO_PROXY: '*', ...extra };
}

/** python: the OTLP/HTTP exporter (requests); python-grpc: the OTLP/gRPC exporter (grpcio); java: OkHttp on JSSE. */
export type SdkPeer = 'python' | 'python-grpc' | 'java';

/** The Go server of the prepared case against the SDK's real client. `env` adds variables to the client's environment ({DIR} is the case's folder). */
export async function sdkHandshake(p: PreparedCase, sdk: SdkPeer, host: string, env: Record<string, string> = {}): Promise<Outcome> {
  const bin = goPeer();
  if (!bin) throw new Error('the Go peer did not build');
  const extra = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('{DIR}', p.dir)]));
  if (sdk === 'python-grpc') {
    return goServerWith(
      bin,
      p.configPath,
      (port) => {
        const request = JSON.stringify({ port, host, ca: p.files.trust ?? '', cert: p.files.clientCrt ?? '', key: p.files.clientKey ?? '' });
        const script = join(FIXTURES, 'pygrpcclient.py');
        if (Object.keys(extra).length === 0) return (grpcServer ??= new ServingClient(PYTHON_GRPC!.exe, [script, '--serve'])).ask(request);
        const config = join(p.dir, `pygrpcclient-${port}.json`);
        writeFileSync(config, request);
        return runClient(PYTHON_GRPC!.exe, [script, config], clientEnv(extra));
      },
      'python-grpc',
      'grpcserver',
    );
  }
  if (sdk === 'python') {
    return goServerWith(
      bin,
      p.configPath,
      (port) => {
        const request = JSON.stringify({ port, host, ca: p.files.trust ?? '', cert: p.files.clientCrt ?? '', key: p.files.clientKey ?? '' });
        // A case with its own environment (REQUESTS_CA_BUNDLE, …) gets its own process.
        if (Object.keys(extra).length === 0) return (pythonServer ??= new ServingClient(PYTHON!.exe, [join(FIXTURES, 'pyclient.py'), '--serve'])).ask(request);
        const config = join(p.dir, `pyclient-${port}.json`);
        writeFileSync(config, request);
        return runClient(PYTHON!.exe, [join(FIXTURES, 'pyclient.py'), config], clientEnv(extra));
      },
      'python',
    );
  }
  const { classes, error } = javaClient();
  if (!classes) throw new Error(`JavaClient.java did not compile: ${error}`);
  return goServerWith(
    bin,
    p.configPath,
    (port) => {
      const words = [host, String(port), p.files.trust ?? '-', p.files.clientCrt ?? '-', p.files.clientKey ?? '-'];
      if (Object.keys(extra).length === 0) return (javaServer ??= new ServingClient('java', ['-cp', classes, 'JavaClient', '--serve'])).ask(words.join('\t'));
      return runClient('java', ['-cp', classes, 'JavaClient', ...words], clientEnv(extra));
    },
    'java',
  );
}

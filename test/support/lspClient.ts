/**
 * Starts the BUILT server (dist/server.js --stdio) as a child process and speaks LSP to it,
 * as any editor would. Waits are bounded and event-driven (no sleeps).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol/node';

// Test files are bundled to out/test/<tier>/, so the project root is three levels up.
export const ROOT = join(__dirname, '..', '..', '..');

/** How to start the server: a wrapper command (strace, a shell with another umask) and Node options. */
export interface LaunchOptions {
  /** Runs `[...wrapper, node, ...nodeArgs, dist/server.js, --stdio]`. */
  wrapper?: string[];
  /** Node options before the script (e.g. `--require` an instrumentation). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

export class LspClient {
  private readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: (() => void)[] = [];
  /** window/logMessage texts, in order. */
  readonly logs: string[] = [];
  /** Everything the server wrote (for `rawResponse`). */
  private readonly output: Buffer[] = [];
  private constructor(
    readonly connection: ProtocolConnection,
    private readonly child: ChildProcess,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      for (const wake of this.waiters.splice(0)) wake();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => void this.logs.push(params.message));
    connection.onRequest('workspace/configuration', () => [null]);
    connection.onRequest('client/registerCapability', () => null);
    // A server that dies must fail the test that waits on it, not hang it: closing the stream does not
    // reject pending requests in vscode-jsonrpc, disposing does.
    child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      connection.dispose();
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** How the server process ended, once it has. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  /** `options` go into initializationOptions beside the settings (e.g. `{ trusted: false }`). */
  static async start(rootPath: string, settings: object = {}, options: object = {}, workspaceCapabilities: object = {}, launch: LaunchOptions = {}): Promise<LspClient> {
    const [command, ...args] = [...(launch.wrapper ?? []), process.execPath, ...(launch.nodeArgs ?? []), join(ROOT, 'dist', 'server.js'), '--stdio'];
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env: launch.env ?? process.env });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(connection, child);
    child.stdout!.on('data', (chunk: Buffer) => void client.output.push(chunk));
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootPath).href,
      workspaceFolders: [{ uri: pathToFileURL(rootPath).href, name: 'test' }],
      capabilities: { workspace: { configuration: false, ...workspaceCapabilities } },
      initializationOptions: { settings, ...options },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  open(path: string, text: string, languageId = 'yaml', version = 1): string {
    const uri = pathToFileURL(path).href;
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  change(uri: string, version: number, text: string): void {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** An incremental change: `text` replaces `range` (as an editor sends a keystroke). */
  edit(uri: string, version: number, range: Range, text: string): void {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Every diagnostics notification published for `uri` so far, in order. */
  publishedFor(uri: string): PublishDiagnosticsParams[] {
    return [...(this.published.get(uri) ?? [])];
  }

  /**
   * Writes these JSON-RPC messages in one write to the server's stdin, so they arrive together
   * (a request and its $/cancelRequest, say). Answers to requests sent this way are read with
   * `rawResponse`, not through `connection`.
   */
  writeRaw(messages: object[]): void {
    const frames = messages.map((message) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    this.child.stdin!.write(Buffer.concat(frames));
  }

  /** The response to a request sent with `writeRaw`, by its id. */
  async rawResponse(id: string, timeoutMs = 10_000): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const message of frames(Buffer.concat(this.output))) if (message.id === id && !('method' in message)) return message;
      if (Date.now() > deadline) throw new Error(`no response to ${id} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The server's process id (to read its /proc entries). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The first published diagnostics for `uri` that satisfy `accept`, waiting up to `timeoutMs`. */
  async diagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.published.get(uri)?.find(accept);
      if (found) return found;
      if (this.exit) throw new Error(`the server exited (code ${this.exit.code}, signal ${this.exit.signal}) before diagnostics for ${uri} matched`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published.get(uri) ?? [])}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit').catch(() => undefined);
    } catch {
      // The server may already be gone; it is killed below either way.
    } finally {
      const exited = new Promise((resolve) => (this.child.exitCode !== null ? resolve(null) : this.child.once('exit', resolve)));
      this.child.kill();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      this.connection.dispose();
    }
  }
}

/** The JSON-RPC messages in `data` (Content-Length framed). */
function frames(data: Buffer): { id?: unknown; method?: string; result?: unknown; error?: { code: number; message: string } }[] {
  const messages = [];
  let offset = 0;
  for (;;) {
    const headerEnd = data.indexOf('\r\n\r\n', offset);
    if (headerEnd < 0) break;
    const length = Number(/Content-Length: (\d+)/i.exec(data.subarray(offset, headerEnd).toString('ascii'))?.[1]);
    const start = headerEnd + 4;
    if (!Number.isFinite(length) || start + length > data.length) break;
    messages.push(JSON.parse(data.subarray(start, start + length).toString('utf8')));
    offset = start + length;
  }
  return messages;
}

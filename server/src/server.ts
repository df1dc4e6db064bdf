/**
 * The language server's entry point: `node dist/server.js --stdio` (any LSP client; the VS Code client
 * starts it so too), `--pipe=<name>`, `--socket=<port>` or `--node-ipc`. All the protocol glue lives in
 * startServer.ts; the checks live in service/.
 *
 * On a stream transport the server writes its messages with messageEncoding.ts's writer (the bytes of
 * vscode-jsonrpc's own, a publishDiagnostics message assembled from each diagnostic's kept JSON in a
 * buffer that is reused). Over Node's IPC channel (`--node-ipc`) Node serializes every message itself,
 * so nothing is reused there.
 */
import { createConnection as createSocket } from 'node:net';
import { format } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { ProposedFeatures, SocketMessageReader, createConnection, type Connection, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';

import { startIdleCollection } from './idleCollector';
import { ReusingMessageWriter } from './messageEncoding';
import { nodeRuntime } from './nodeRuntime';
import { startServer } from './startServer';

/** The transport the command line names, when it is a stream; undefined for IPC (the library's own). */
function streamTransport(argv: string[]): { input: NodeJS.ReadableStream | MessageReader; output: MessageWriter; stdio: boolean } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--node-ipc') return undefined;
    if (flag === '--stdio') return { input: process.stdin, output: new ReusingMessageWriter(process.stdout), stdio: true };
    if (flag === '--pipe' || flag === '--socket') {
      const target = inline ?? argv[i + 1];
      if (target === undefined) return undefined;
      const socket = flag === '--pipe' ? createSocket(target) : createSocket(Number(target), '127.0.0.1');
      return { input: new SocketMessageReader(socket, 'utf-8'), output: new ReusingMessageWriter(socket), stdio: false };
    }
  }
  return undefined;
}

/** Over stdio, stdout is the protocol: console output goes to the client's log instead (as the library does for its own stdio). */
function consoleToClient(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(format(...args));
  console.info = (...args: unknown[]) => connection.console.info(format(...args));
  console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  console.trace = (...args: unknown[]) => connection.console.log(`${format(...args)}\n${new Error().stack?.split('\n').slice(2).join('\n') ?? ''}`);
  console.dir = (value: unknown) => connection.console.log(format(value));
}

/**
 * V8 lets its old space grow to a few times what survived the last full collection before it collects again. A
 * language server keeps every open document, and each version of one is a new string (1.3 MB at 50,000 lines), so
 * that growth is mostly dead texts: a growth of 50 % keeps the peak near what is alive (README, "Performance":
 * 248 against 381 MiB after 110 edits of the 50,000-line bench config, for about 0.3 to 0.9 ms more CPU an edit there
 * and 0.1 ms at 5,000 lines). The flag given
 * on the command line or in NODE_OPTIONS wins.
 */
const HEAP_GROWING = '--heap-growing-percent';
if (![...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith(HEAP_GROWING))) setFlagsFromString(`${HEAP_GROWING}=50`);

const transport = streamTransport(process.argv.slice(2));
// With a readable stream as input (stdin) the library exits when it ends (the client went away), as for its own --stdio;
// it takes a stream or a reader in that place (its typings pair a stream with a stream only).
const connection = transport ? createConnection(ProposedFeatures.all, transport.input as MessageReader, transport.output) : createConnection(ProposedFeatures.all);
if (transport?.stdio) consoleToClient(connection);
// A full collection when the server goes quiet after heavy work (idleCollector.ts), so its memory comes back.
startIdleCollection();
startServer(connection, nodeRuntime());

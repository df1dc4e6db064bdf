/**
 * The language server's entry point: `node dist/server.js --stdio` (any LSP client) or IPC (VS Code).
 * All the protocol glue lives in startServer.ts; the checks live in service/.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { nodeRuntime } from './nodeRuntime';
import { startServer } from './startServer';

const connection = createConnection(ProposedFeatures.all);
startServer(connection, nodeRuntime());

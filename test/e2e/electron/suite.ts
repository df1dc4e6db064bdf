/**
 * Runs inside desktop VS Code's extension host (see runTests.ts): the extension under development
 * checks the fixture workspace, and the checks the code-server scenarios make through the UI are
 * made here through the API: diagnostics with their lines, the rename quick fix, the certificate
 * hover and the san-mismatch of the env file. Every wait is bounded.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

const TIMEOUT_MS = 60_000;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`);
}

function diagnostic(uri: vscode.Uri, code: string, line?: number): vscode.Diagnostic | undefined {
  return vscode.languages.getDiagnostics(uri).find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === code && (line === undefined || d.range.start.line === line));
}

async function open(relativePath: string): Promise<vscode.TextEditor> {
  const workspace = process.env.OTLP_E2E_WORKSPACE as string;
  const document = await vscode.workspace.openTextDocument(join(workspace, relativePath));
  return vscode.window.showTextDocument(document);
}

export async function run(): Promise<void> {
  // a. Diagnostics on the right lines (0-based here: line 12 is "Ln 13").
  const agent = await open('agent/collector.yaml');
  const unknownKey = await until('unknown-key on line 13', () => diagnostic(agent.document.uri, 'unknown-key', 12));
  assert.equal(unknownKey.range.start.character, 6);
  assert.match(unknownKey.message, /server_name_overide/);

  // b. The rename quick fix changes the text.
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', agent.document.uri, unknownKey.range, vscode.CodeActionKind.QuickFix.value);
  const rename = actions.find((a) => a.title === 'Rename server_name_overide to server_name_override');
  assert.ok(rename?.edit, `no rename quick fix among: ${actions.map((a) => a.title).join(', ')}`);
  assert.ok(await vscode.workspace.applyEdit(rename.edit));
  assert.match(agent.document.lineAt(12).text, /server_name_override:/);
  await until('unknown-key to go away', () => (diagnostic(agent.document.uri, 'unknown-key') ? undefined : true));

  // c. The hover on a certificate path summarizes the certificate.
  const gateway = await open('gateway/collector.yaml');
  const line = gateway.document.getText().split('\n').findIndex((l) => l.includes('/etc/otel/certs/server.crt'));
  const character = gateway.document.lineAt(line).text.indexOf('/etc/otel/certs/server.crt') + 5;
  const hovers = await until('the certificate hover', async () => {
    const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', gateway.document.uri, new vscode.Position(line, character));
    return found.length ? found : undefined;
  });
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /DNS:otel-collector\.observability\.svc/);

  // e. The env file's endpoint host is not in the server certificate.
  const env = await open('app/.env');
  const san = await until('san-mismatch on line 4', () => diagnostic(env.document.uri, 'san-mismatch', 3));
  assert.match(san.message, /"otel-collector" is not covered/);
}

/**
 * `OTLP TLS: Generate Development Certificates`: asks for the folder, hosts, key algorithm,
 * validity and client names, then runs the same engine as `otlp-tls certs`, and offers to write
 * the paths into the open env file.
 */
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient, TextEdit } from 'vscode-languageclient/node';
import { runCertsCommand } from '../../../server/src/cli/certsCommand';
import { DEFAULT_LEAF_DAYS, KEY_ALGORITHMS, KEY_ALGORITHM_LABELS, devCertificateFileNames, type KeyAlgorithm } from '../../../server/src/service/certificates/devCertificates';
import { FILES_WRITTEN_NOTIFICATION, SUGGESTED_HOSTS_REQUEST, WIRE_CERTIFICATES_REQUEST } from '../../../server/src/protocol';

/** Arguments a quick fix may pass. */
export interface GenerateArguments {
  hosts?: string[];
  /** Absolute folder of an existing development CA (re-issue from a san-mismatch fix). */
  folder?: string;
}

export async function generateDevCertificates(client: LanguageClient, args: GenerateArguments = {}): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('OTLP TLS: certificates are not written in an untrusted workspace.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0] : await vscode.window.showWorkspaceFolderPick();
  if (!folder) return;

  const target = await vscode.window.showInputBox({ title: 'Target folder (relative to the workspace folder)', value: args.folder ? path.relative(folder.uri.fsPath, args.folder) || '.' : 'certs', validateInput: (v) => (v.trim() ? undefined : 'A folder is required') });
  if (target === undefined) return;
  const suggested = args.hosts ?? ((await client.sendRequest(SUGGESTED_HOSTS_REQUEST).catch(() => ['localhost', '127.0.0.1'])) as string[]);
  const hostText = await vscode.window.showInputBox({
    title: 'Host names and IP addresses of the collector (comma-separated)',
    value: suggested.join(', '),
    validateInput: (v) => (v.split(',').some((h) => h.trim()) ? undefined : 'At least one host is required'),
  });
  if (hostText === undefined) return;
  const algorithm = await vscode.window.showQuickPick(
    KEY_ALGORITHMS.map((id) => ({ label: KEY_ALGORITHM_LABELS[id], id })),
    { title: 'Key algorithm' },
  );
  if (!algorithm) return;
  const days = await vscode.window.showInputBox({ title: 'Validity of the server and client certificates (days)', value: String(DEFAULT_LEAF_DAYS), validateInput: (v) => (/^\d+$/.test(v) && Number(v) > 0 ? undefined : 'A whole number of days') });
  if (days === undefined) return;
  const clientText = await vscode.window.showInputBox({ title: 'Client certificate names (comma-separated; empty for server-only TLS)', value: 'client' });
  if (clientText === undefined) return;

  const out = path.resolve(folder.uri.fsPath, target.trim());
  const hosts = hostText.split(',').map((h) => h.trim()).filter(Boolean);
  const clients = clientText.split(',').map((c) => c.trim()).filter(Boolean);
  const reuseCa = existsSync(path.join(out, 'ca.crt')) && existsSync(path.join(out, 'ca.key'));
  const existing = devCertificateFileNames(clients, !reuseCa).filter((name) => existsSync(path.join(out, name)));
  let force = false;
  if (existing.length) {
    const answer = await vscode.window.showWarningMessage(`Overwrite ${existing.join(', ')} in ${target}?`, { modal: true }, 'Overwrite');
    if (answer !== 'Overwrite') return;
    force = true;
  }

  const argv = ['--out', out, ...hosts.flatMap((h) => ['--host', h]), ...clients.flatMap((c) => ['--client', c]), '--algorithm', (algorithm as { id: KeyAlgorithm }).id, '--days', days];
  if (force) argv.push('--force');
  let errors = '';
  const code = await runCertsCommand(argv, { cwd: folder.uri.fsPath, stdout: () => undefined, stderr: (s) => (errors += s), now: () => new Date() });
  if (code !== 0) {
    void vscode.window.showErrorMessage(`OTLP TLS: ${errors.trim() || 'certificate generation failed'}`);
    return;
  }
  // Re-check now: the file watcher may report only the new folder, which no watched glob matches.
  const written = devCertificateFileNames(clients, !reuseCa).map((name) => path.join(out, name));
  await client.sendNotification(FILES_WRITTEN_NOTIFICATION, { paths: written });
  await offerToWritePaths(client, folder.uri.fsPath, out, hosts, clients[0]);
}

/**
 * Offers to point the active collector config or env file at the new files; the server computes
 * the edits (it knows the tls blocks), applied here as one undoable workspace edit.
 */
async function offerToWritePaths(client: LanguageClient, folder: string, out: string, hosts: string[], clientName: string | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const message = `OTLP TLS: development certificates written to ${path.relative(folder, out) || out}.`;
  const fileName = editor?.document.fileName;
  const wirable = editor && /\.(ya?ml|env|sh)$|(^|[\\/])\.env(\.[^\\/]*)?$/.test(fileName ?? '');
  if (!editor || !wirable) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  const answer = await vscode.window.showInformationMessage(message, `Write paths into ${path.basename(fileName!)}`);
  if (!answer) return;
  // Paths relative to the workspace folder, as the checker resolves them (and a collector started there reads them).
  const rel = (name: string) => path.relative(folder, path.join(out, name)).split(path.sep).join('/');
  const paths = {
    ca: rel('ca.crt'),
    serverCert: rel('server.crt'),
    serverKey: rel('server.key'),
    ...(clientName ? { clientCert: rel(`${clientName}.crt`), clientKey: rel(`${clientName}.key`) } : {}),
    hosts,
  };
  const uri = editor.document.uri.toString();
  const edits = (await client.sendRequest(WIRE_CERTIFICATES_REQUEST, { uri, paths })) as TextEdit[];
  if (!edits.length) {
    void vscode.window.showInformationMessage(`OTLP TLS: nothing in ${path.basename(fileName!)} to point at the new certificates.`);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(editor.document.uri, await client.protocol2CodeConverter.asTextEdits(edits));
  await vscode.workspace.applyEdit(edit);
}

/**
 * `OTLP TLS: Generate Development Certificates`: asks for the folder, hosts, key algorithm,
 * validity and client names; the server plans the write (files, those that exist, CA reuse, what
 * stops it), the user confirms any overwrite, and the server writes the files with the same
 * writer as `otlp-tls certs`. Then it offers to write the paths into the open config or env file.
 * The client holds no PKI code: the server generates and writes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  certificatePlanRequest,
  suggestedHostsRequest,
  wireCertificatesRequest,
  writeCertificatesRequest,
  type CertificatePlanParams,
  type GenerateCertificatesArguments,
  type GeneratedPaths,
} from '../../../server/src/protocol';
import { DEFAULT_LEAF_DAYS, KEY_ALGORITHMS, KEY_ALGORITHM_LABELS } from '../../../server/src/service/certificates/devCertificateOptions';

export async function generateDevCertificates(client: LanguageClient, args: GenerateCertificatesArguments = {}): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('OTLP TLS: certificates are not written in an untrusted workspace.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0] : await vscode.window.showWorkspaceFolderPick();
  if (!folder) return;

  const target = await vscode.window.showInputBox({ title: 'Target folder (relative to the workspace folder)', value: args.folder ? path.relative(folder.uri.fsPath, args.folder) || '.' : 'certs', validateInput: (v) => (v.trim() ? undefined : 'A folder is required') });
  if (target === undefined) return;
  const suggested = args.hosts ?? (await client.sendRequest(suggestedHostsRequest).catch(() => ['localhost', '127.0.0.1']));
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

  const request: CertificatePlanParams = {
    out: path.resolve(folder.uri.fsPath, target.trim()),
    hosts: hostText.split(',').map((h) => h.trim()).filter(Boolean),
    clients: clientText.split(',').map((c) => c.trim()).filter(Boolean),
    algorithm: algorithm.id,
    days: Number(days),
    base: folder.uri.fsPath,
  };

  // What would be written, and what stands in the way: asked before anything is written.
  const plan = await client.sendRequest(certificatePlanRequest, request);
  const blocking = plan.problems.filter((p) => !p.force);
  if (blocking.length > 0) {
    void vscode.window.showErrorMessage(`OTLP TLS: ${blocking.map((p) => p.message).join(' ')}`);
    return;
  }
  const replaced = plan.problems.filter((p) => p.force);
  let force = false;
  if (replaced.length > 0 || plan.overwrites.length > 0) {
    const question = [...replaced.map((p) => `${p.message}.`), ...(plan.overwrites.length > 0 ? [`Overwrite ${plan.overwrites.join(', ')} in ${target}?`] : [])].join(' ');
    const answer = await vscode.window.showWarningMessage(question, { modal: true }, replaced.length > 0 ? 'Replace' : 'Overwrite');
    if (answer === undefined) return;
    force = true;
  }

  const result = await client.sendRequest(writeCertificatesRequest, { ...request, force });
  if (!result.ok) {
    void vscode.window.showErrorMessage(`OTLP TLS: ${result.problem.message}`);
    return;
  }
  // The server has re-read the written files and re-checks the open documents itself.
  const clientName = request.clients[0];
  await offerToWritePaths(client, folder.uri.fsPath, request.out, request.hosts, clientName);
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
  const paths: GeneratedPaths = {
    ca: rel('ca.crt'),
    serverCert: rel('server.crt'),
    serverKey: rel('server.key'),
    ...(clientName ? { clientCert: rel(`${clientName}.crt`), clientKey: rel(`${clientName}.key`) } : {}),
    hosts,
  };
  const uri = editor.document.uri.toString();
  const edits = await client.sendRequest(wireCertificatesRequest, { uri, paths });
  if (!edits.length) {
    void vscode.window.showInformationMessage(`OTLP TLS: nothing in ${path.basename(fileName!)} to point at the new certificates.`);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(editor.document.uri, await client.protocol2CodeConverter.asTextEdits(edits));
  await vscode.workspace.applyEdit(edit);
}

/**
 * `OTLP TLS: Show TLS Map`: a webview panel drawing the TLS map the server computes (protocol.ts
 * tlsMapRequest). The client only draws: it asks the server, hands the JSON to the webview script
 * (dist/tlsMapView.js, laid out with @dagrejs/dagre), and opens the file at the line a click names.
 * It follows edits live: the server sends tlsMapChangedNotification and the panel asks again while
 * it is open. The webview's content security policy allows nothing but its own nonce'd script and the
 * bundled style sheet (`default-src 'none'`), and the page holds no inline handler. Read-only, so it
 * works the same in restricted mode (the server reads nothing outside the workspace folders).
 * A window reload brings the panel back (`registerTlsMapSerializer`, activation `onWebviewPanel:otlpTls.tlsMap`):
 * the page is made again and asks for the map anew; the script keeps its selection and zoom in the
 * webview's state (`setState`), which VS Code restores with it.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { tlsMapChangedNotification, tlsMapRequest, type MapLocation, type TlsMap } from '../../../server/src/protocol';

/** Messages from the webview script. */
type FromView = { type: 'ready' } | { type: 'refresh' } | { type: 'open'; location: MapLocation };

/** Messages to the webview script. */
export type ToView = { type: 'map'; map: TlsMap; trusted: boolean } | { type: 'error'; message: string };

/** The panel's view type: the serializer and the activation event name it. */
export const TLS_MAP_VIEW_TYPE = 'otlpTls.tlsMap';

/**
 * Brings back a map panel that was open when the window closed or reloaded. `started` settles when the
 * client has started (the panel may be restored, and a command run, while it starts).
 */
export function registerTlsMapSerializer(context: vscode.ExtensionContext, client: LanguageClient, started: Promise<unknown>): vscode.Disposable {
  TlsMapPanel.started = started;
  return vscode.window.registerWebviewPanelSerializer(TLS_MAP_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      TlsMapPanel.revive(panel, context, client);
    },
  });
}

export class TlsMapPanel {
  private static current: TlsMapPanel | undefined;
  /** Settles when the language client has started (registerTlsMapSerializer). */
  static started: Promise<unknown> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];
  private asking = false;
  private askAgain = false;
  private disposed = false;

  /** Opens the map, or brings the open one forward and redraws it. */
  static show(context: vscode.ExtensionContext, client: LanguageClient): void {
    if (TlsMapPanel.current) {
      TlsMapPanel.current.panel.reveal();
      void TlsMapPanel.current.refresh();
      return;
    }
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(TLS_MAP_VIEW_TYPE, 'TLS Map', column, webviewOptions(context));
    TlsMapPanel.current = new TlsMapPanel(panel, context, client);
  }

  /** Takes over a panel VS Code restored after a reload (a second one, if any, replaces the first). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, client: LanguageClient): void {
    panel.webview.options = webviewOptions(context);
    TlsMapPanel.current?.panel.dispose();
    TlsMapPanel.current = new TlsMapPanel(panel, context, client);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'images', 'icon.png');
    panel.webview.html = html(panel.webview, context.extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: FromView) => this.received(message)),
      // A hidden webview is torn down; shown again, its script says `ready` and gets the map anew.
      client.onNotification(tlsMapChangedNotification, () => {
        if (panel.visible) void this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
    );
  }

  private received(message: FromView): void {
    if (message?.type === 'ready' || message?.type === 'refresh') void this.refresh();
    else if (message?.type === 'open') void this.open(message.location);
  }

  /** Asks the server for the map and draws it; a change that comes while asking asks once more after. */
  private async refresh(): Promise<void> {
    if (this.disposed) return;
    if (this.asking) {
      this.askAgain = true;
      return;
    }
    this.asking = true;
    try {
      // A panel restored at start-up asks once the client has started.
      if (!this.client.isRunning()) await TlsMapPanel.started;
      do {
        this.askAgain = false;
        const map = await this.client.sendRequest(tlsMapRequest);
        if (this.disposed) return;
        await this.post({ type: 'map', map, trusted: vscode.workspace.isTrusted });
      } while (this.askAgain);
    } catch (error) {
      await this.post({ type: 'error', message: (error as Error)?.message ?? String(error) });
    } finally {
      this.asking = false;
    }
  }

  private post(message: ToView): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  /** Opens the file of a node or an edge at its line, in an editor beside the map. */
  private async open(location: MapLocation | undefined): Promise<void> {
    if (!location || typeof location.path !== 'string' || !location.range) return;
    const { start, end } = location.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    await vscode.window.showTextDocument(vscode.Uri.file(location.path), { selection: range, viewColumn: column, preserveFocus: false });
  }

  private dispose(): void {
    this.disposed = true;
    if (TlsMapPanel.current === this) TlsMapPanel.current = undefined;
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] };
}

/** The page: a nonce'd script and the bundled style sheet, nothing else allowed. */
function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'tlsMapView.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'tlsMapView.css'));
  // Nothing but the bundled style sheet and the script with this page's nonce: no inline script or style, no network.
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style}">
  <title>TLS Map</title>
</head>
<body>
  <header id="header">
    <h1>TLS map</h1>
    <span id="summary" aria-live="polite">Loading…</span>
    <span id="legend"></span>
    <span id="zoom" role="group" aria-label="Zoom">
      <button id="zoom-out" type="button" title="Zoom out (−, or Ctrl and the mouse wheel)" aria-label="Zoom out">−</button>
      <button id="zoom-fit" type="button" title="Fit the whole map (0)">Fit</button>
      <button id="zoom-in" type="button" title="Zoom in (+, or Ctrl and the mouse wheel)" aria-label="Zoom in">+</button>
    </span>
    <button id="refresh" type="button" title="Ask the language server for the map again">Refresh</button>
  </header>
  <p id="notice" hidden></p>
  <main id="main">
    <div id="canvas" role="group" aria-label="TLS map of the workspace"></div>
    <aside id="details" aria-live="polite"><p class="hint">Click an edge or a node to open its file at its line; its details show here.</p></aside>
  </main>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

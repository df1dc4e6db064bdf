/**
 * The TLS map's webview script (bundled by esbuild into dist/tlsMapView.js, with @dagrejs/dagre for
 * the layout). It only draws what the extension posts (the server's TlsMap) and says what was
 * clicked: every text from the workspace goes in with textContent, no handler is inline (the page's
 * CSP allows this script by its nonce and nothing else), and it reads or writes no file itself.
 */
import dagre from '@dagrejs/dagre';
import type { MapEdge, MapLocation, MapNode, TlsMap, Verdict } from '../../../../server/src/service/features/tlsMapTypes';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type FromExtension = { type: 'map'; map: TlsMap; trusted: boolean } | { type: 'error'; message: string };

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const VERDICTS: Verdict[] = ['ok', 'warning', 'unknown', 'fails'];
const VERDICT_TEXT: Record<Verdict, string> = { ok: 'ok', warning: 'warning', unknown: 'not judged', fails: 'fails' };
const SECURITY_TEXT: Record<MapEdge['security'], string> = { plaintext: 'plaintext', tls: 'TLS', mtls: 'mTLS', unknown: 'TLS unknown' };
const KIND_TEXT: Record<MapNode['kind'], string> = { app: 'app', collector: 'collector', external: 'external endpoint', unknown: 'unknown target' };

const canvas = element('canvas');
const details = element('details');
const summary = element('summary');
const notice = element('notice');
let current: TlsMap | undefined;
let selected: string | undefined;

element('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
legend();
window.addEventListener('message', (event: MessageEvent<FromExtension>) => {
  const message = event.data;
  if (message?.type === 'map') draw(message.map, message.trusted);
  else if (message?.type === 'error') showNotice(`The language server could not compute the map: ${message.message}`);
});
canvas.addEventListener('click', (event) => activate(event.target));
canvas.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    activate(event.target);
  }
});
details.addEventListener('click', (event) => {
  const target = (event.target as Element).closest<HTMLElement>('[data-location]');
  if (target?.dataset.location) open(JSON.parse(target.dataset.location) as MapLocation);
});
vscode.postMessage({ type: 'ready' });

function element(id: string): HTMLElement {
  return document.getElementById(id)!;
}

function legend(): void {
  const box = element('legend');
  for (const [verdict, text] of [['ok', 'ok'], ['warning', 'warning or not judged'], ['fails', 'fails']] as const) {
    const item = html('span', `legend-item verdict-${verdict}`);
    item.append(html('span', 'swatch'), document.createTextNode(text));
    box.append(item);
  }
}

function showNotice(text: string | undefined): void {
  notice.hidden = !text;
  notice.textContent = text ?? '';
}

// ---- drawing

interface Box {
  lines: { text: string; cls: string }[];
  width: number;
  height: number;
}

const LINE = 17;
const PAD_X = 12;
const PAD_Y = 8;
let measure: CanvasRenderingContext2D | undefined;

/** The width of `text` in the page's font (bold for titles). */
function textWidth(text: string, bold: boolean): number {
  measure ??= document.createElement('canvas').getContext('2d') ?? undefined;
  if (!measure) return text.length * 7.5;
  const style = getComputedStyle(document.body);
  measure.font = `${bold ? '600 ' : ''}${style.fontSize} ${style.fontFamily}`;
  return measure.measureText(text).width;
}

function box(lines: { text: string; cls: string }[], padX = PAD_X, padY = PAD_Y): Box {
  const width = Math.max(40, ...lines.map((l) => textWidth(l.text, l.cls === 'title' || l.cls === 'verdict'))) + 2 * padX;
  return { lines, width: Math.ceil(width), height: lines.length * LINE + 2 * padY };
}

function nodeBox(node: MapNode): Box {
  const lines = [{ text: node.label, cls: 'title' }];
  if (node.kind === 'app') lines.push({ text: node.file && node.file !== node.label ? node.file : `app · ${node.signals.join(', ') || 'no OTLP signal'}`, cls: 'sub' });
  if (node.kind === 'collector') {
    for (const l of node.listeners) lines.push({ text: `◂ ${l.component} ${l.protocol} ${l.endpoint} · ${SECURITY_TEXT[l.security]}`, cls: 'listener' });
    for (const e of node.exporters) lines.push({ text: `▸ ${e.component}${e.endpoint ? ` → ${e.endpoint}` : ''}`, cls: 'exporter' });
  }
  if (node.kind === 'external') lines.push({ text: 'outside the workspace', cls: 'sub' });
  if (node.problems && (node.problems.errors || node.problems.warnings)) lines.push({ text: `${node.problems.errors} error(s), ${node.problems.warnings} warning(s) in the file`, cls: 'problems' });
  return box(lines.filter((l) => l.text !== ''));
}

function edgeBox(map: TlsMap, edge: MapEdge): Box {
  const from = map.nodes.find((n) => n.id === edge.from);
  const who = from?.kind === 'collector' ? edge.client.label : edge.client.signals.length < 3 ? edge.client.signals.join(', ') : '';
  const over = [edge.protocol, SECURITY_TEXT[edge.security]].filter(Boolean).join(' · ');
  const verdict = edge.verdict === 'fails' || edge.verdict === 'warning' ? edge.reason : VERDICT_TEXT[edge.verdict];
  return box(
    [who, over, verdict].filter(Boolean).map((text, i, all) => ({ text, cls: i === all.length - 1 ? 'verdict' : 'sub' })),
    6,
    3,
  );
}

function draw(map: TlsMap, trusted: boolean): void {
  current = map;
  const s = map.summary;
  summary.textContent = map.edges.length ? `${map.edges.length} link(s): ${s.ok} ok, ${s.warning} warning, ${s.unknown} not judged, ${s.fails} fail` : '';
  showNotice(trusted ? undefined : 'Restricted mode: the map is read-only, and files outside the workspace folders are not read (the diagnostics say so).');
  canvas.replaceChildren();
  if (map.nodes.length === 0) {
    canvas.append(html('p', 'empty', 'No OTLP exporter or collector in this workspace yet: open a folder with a collector config or an env file that sets OTEL_EXPORTER_OTLP_*.'));
    return;
  }

  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 70, edgesep: 20, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const boxes = new Map<string, Box>();
  for (const node of map.nodes) {
    const b = nodeBox(node);
    boxes.set(node.id, b);
    graph.setNode(node.id, { width: b.width, height: b.height });
  }
  const labels = new Map<string, Box>();
  for (const edge of map.edges) {
    const b = edgeBox(map, edge);
    labels.set(edge.id, b);
    graph.setEdge(edge.from, edge.to, { width: b.width, height: b.height, labelpos: 'c' }, edge.id);
  }
  dagre.layout(graph);
  const size = graph.graph();

  const width = Math.ceil(size.width ?? 0);
  const height = Math.ceil(size.height ?? 0);
  // Drawn at its size, shrunk to the panel's width when wider (the viewBox keeps it sharp).
  const svg = svgElement('svg', { width, height, viewBox: `0 0 ${width} ${height}`, id: 'map' });
  const defs = svgElement('defs');
  for (const verdict of VERDICTS) {
    const marker = svgElement('marker', { id: `arrow-${verdict}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse', class: `arrow verdict-${verdict}` });
    marker.append(svgElement('path', { d: 'M 0 0 L 10 5 L 0 10 z' }));
    defs.append(marker);
  }
  svg.append(defs);

  const edgesLayer = svgElement('g', { class: 'edges' });
  for (const edge of map.edges) {
    const laid = graph.edge({ v: edge.from, w: edge.to, name: edge.id });
    const group = svgElement('g', { class: `edge verdict-${edge.verdict}`, tabindex: 0, role: 'button', 'data-edge': edge.id, 'data-verdict': edge.verdict });
    group.setAttribute('aria-label', `${nodeLabel(map, edge.from)} to ${nodeLabel(map, edge.to)}: ${edge.reason}`);
    const d = pathOf(laid.points ?? []);
    group.append(svgElement('path', { d, class: 'edge-hit' }), svgElement('path', { d, class: 'edge-line', 'marker-end': `url(#arrow-${edge.verdict})` }));
    const label = labels.get(edge.id)!;
    group.append(boxGroup(label, (laid.x ?? 0) - label.width / 2, (laid.y ?? 0) - label.height / 2, 'edge-label', 6, 3));
    const title = svgElement('title');
    title.textContent = edge.reason;
    group.append(title);
    edgesLayer.append(group);
  }
  const nodesLayer = svgElement('g', { class: 'nodes' });
  for (const node of map.nodes) {
    const laid = graph.node(node.id);
    const b = boxes.get(node.id)!;
    const group = boxGroup(b, laid.x - b.width / 2, laid.y - b.height / 2, `node kind-${node.kind}${node.problems?.errors ? ' has-errors' : ''}`, PAD_X, PAD_Y);
    group.setAttribute('data-node', node.id);
    if (node.location) {
      group.setAttribute('tabindex', '0');
      group.setAttribute('role', 'button');
    }
    group.setAttribute('aria-label', `${KIND_TEXT[node.kind]} ${node.label}`);
    nodesLayer.append(group);
  }
  svg.append(edgesLayer, nodesLayer);
  canvas.append(svg);
  if (selected) select(selected, false);
}

function nodeLabel(map: TlsMap, id: string): string {
  return map.nodes.find((n) => n.id === id)?.label ?? id;
}

/** A rounded box at (x, y) with its lines of text. */
function boxGroup(b: Box, x: number, y: number, cls: string, padX: number, padY: number): SVGGElement {
  const group = svgElement('g', { class: cls, transform: `translate(${x.toFixed(1)},${y.toFixed(1)})` }) as SVGGElement;
  group.append(svgElement('rect', { width: b.width, height: b.height, rx: 6, ry: 6, class: 'box' }));
  b.lines.forEach((line, i) => {
    const text = svgElement('text', { x: padX, y: padY + i * LINE + LINE * 0.75, class: line.cls });
    text.textContent = line.text;
    group.append(text);
  });
  return group;
}

/** A smooth path through dagre's points. */
function pathOf(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const p = (q: { x: number; y: number }) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`;
  let d = `M ${p(points[0])}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    d += ` Q ${p(points[i])} ${p(mid)}`;
  }
  return `${d} L ${p(points[points.length - 1])}`;
}

function svgElement(name: string, attributes: Record<string, string | number> = {}): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, String(value));
  return e;
}

function html<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- interaction

function activate(target: EventTarget | null): void {
  const hit = (target as Element | null)?.closest?.('[data-edge], [data-node]');
  if (!hit) return;
  const id = hit.getAttribute('data-edge') ?? hit.getAttribute('data-node')!;
  select(id, true);
}

/** Shows the details of an edge or a node and (on a click) opens its file at its line. */
function select(id: string, openIt: boolean): void {
  if (!current) return;
  selected = id;
  for (const e of canvas.querySelectorAll('.selected')) e.classList.remove('selected');
  for (const e of canvas.querySelectorAll(`[data-edge], [data-node]`)) if (e.getAttribute('data-edge') === id || e.getAttribute('data-node') === id) e.classList.add('selected');
  const edge = current.edges.find((e) => e.id === id);
  const node = edge ? undefined : current.nodes.find((n) => n.id === id);
  if (edge) edgeDetails(current, edge);
  else if (node) nodeDetails(node);
  const location = edge?.location ?? node?.location;
  if (openIt && location) open(location);
}

function open(location: MapLocation): void {
  vscode.postMessage({ type: 'open', location });
}

function edgeDetails(map: TlsMap, edge: MapEdge): void {
  const parts: Node[] = [];
  const head = html('h2', `verdict-${edge.verdict}`);
  head.append(html('span', 'badge', VERDICT_TEXT[edge.verdict]), document.createTextNode(` ${nodeLabel(map, edge.from)} → ${nodeLabel(map, edge.to)}`));
  parts.push(head, html('p', 'reason', edge.reason));
  const facts = html('dl');
  const fact = (name: string, value: string | undefined) => {
    if (!value) return;
    facts.append(html('dt', undefined, name), html('dd', undefined, value));
  };
  fact('client', `${edge.client.label}${edge.client.endpoint ? ` = ${edge.client.endpoint}` : ''}`);
  fact('signals', edge.client.signals.join(', '));
  const target = map.nodes.find((n) => n.id === edge.to);
  const listener = target?.kind === 'collector' ? target.listeners.find((l) => l.id === edge.listener) : undefined;
  fact('listener', listener ? `${listener.component} (${listener.protocol}) on ${listener.endpoint}` : undefined);
  fact('through', edge.via);
  fact('protocol', edge.protocol);
  fact('security', SECURITY_TEXT[edge.security]);
  const c = edge.certificates;
  fact('server certificate', c.server ? `${c.server.subject} · ${c.server.sans.join(', ') || 'no SANs'} · until ${c.server.notAfter}` : undefined);
  fact('client certificate', c.client ? `${c.client.subject} · until ${c.client.notAfter}` : undefined);
  fact('trusts', c.trust === 'system' ? 'the system roots' : c.trust ? c.trust.subjects.join('; ') || '(no certificate loaded)' : undefined);
  parts.push(facts);
  if (edge.diagnostics.length) {
    parts.push(html('h3', undefined, 'Diagnostics'));
    const list = html('ul', 'diagnostics');
    for (const d of edge.diagnostics) {
      const item = html('li', `severity-${d.severity}`);
      const button = html('button', 'link');
      button.type = 'button';
      button.dataset.location = JSON.stringify({ path: d.path, range: d.range });
      button.textContent = `${d.severity} ${d.code} · ${fileName(d.path)}:${d.range.start.line + 1}`;
      item.append(button, html('span', 'message', d.message));
      list.append(item);
    }
    parts.push(list);
  }
  details.replaceChildren(...parts);
}

function nodeDetails(node: MapNode): void {
  const parts: Node[] = [html('h2', undefined, `${KIND_TEXT[node.kind]}: ${node.label}`)];
  const facts = html('dl');
  const fact = (name: string, value: string | undefined) => {
    if (!value) return;
    facts.append(html('dt', undefined, name), html('dd', undefined, value));
  };
  fact('file', node.file);
  if (node.kind === 'app') fact('signals', node.signals.join(', ') || 'none over OTLP');
  if (node.kind === 'collector') {
    for (const l of node.listeners) fact(`listens: ${l.component} ${l.protocol}`, `${l.endpoint} · ${SECURITY_TEXT[l.security]}${l.certificate ? ` · ${l.certificate.subject} (${l.certificate.sans.join(', ') || 'no SANs'})` : ''}`);
    for (const e of node.exporters) fact(`exports: ${e.component}`, e.endpoint ?? '(no endpoint)');
  }
  if (node.problems) fact('problems in the file', `${node.problems.errors} error(s), ${node.problems.warnings} warning(s)`);
  parts.push(facts);
  details.replaceChildren(...parts);
}

function fileName(path: string): string {
  return path.split(/[\\/]/).slice(-2).join('/');
}

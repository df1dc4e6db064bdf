/**
 * The TLS map's webview script (bundled by esbuild into dist/tlsMapView.js, with @dagrejs/dagre for
 * the layout). It only draws what the extension posts (the server's TlsMap) and says what was
 * clicked: every text from the workspace goes in with textContent, no handler is inline (the page's
 * CSP allows this script by its nonce and nothing else), and it reads or writes no file itself.
 * Zoom and pan move the SVG's viewBox (the buttons, + − 0 on the map, Ctrl or ⌘ with the wheel or a
 * pinch, a drag on the map); the selection and the view are kept in the webview's state, so a hidden
 * panel shown again, or one restored after a window reload, comes back as it was.
 */
import dagre from '@dagrejs/dagre';
import type { MapEdge, MapLocation, MapNode, TlsMap, Verdict } from '../../../../server/src/service/features/tlsMapTypes';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** The part of the map the viewBox shows, in the layout's coordinates. */
interface View {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A view as a zoom and the point in its middle, in fractions of the map's width and height. */
interface RelativeView {
  zoom: number;
  cx: number;
  cy: number;
}

/** What the webview keeps across hide/show and window reloads. */
interface State {
  selected?: string;
  view?: RelativeView;
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
const saved = (vscode.getState() ?? {}) as State;
let current: TlsMap | undefined;
let selected: string | undefined = typeof saved.selected === 'string' ? saved.selected : undefined;
/** The drawn map's full extent and the part shown. */
let extent: { width: number; height: number } | undefined;
let view: View | undefined;
const MIN_ZOOM = 1;
const MAX_ZOOM = 8;

element('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
legend();
window.addEventListener('message', (event: MessageEvent<FromExtension>) => {
  const message = event.data;
  if (message?.type === 'map') draw(message.map, message.trusted);
  else if (message?.type === 'error') showNotice(`The language server could not compute the map: ${message.message}`);
});
canvas.addEventListener('click', (event) => {
  if (dragged) return;
  activate(event.target);
});
canvas.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    activate(event.target);
  } else if (event.key === '+' || event.key === '=') zoomBy(1.25);
  else if (event.key === '-' || event.key === '_') zoomBy(1 / 1.25);
  else if (event.key === '0') fit();
});
element('zoom-in').addEventListener('click', () => zoomBy(1.25));
element('zoom-out').addEventListener('click', () => zoomBy(1 / 1.25));
element('zoom-fit').addEventListener('click', () => fit());
canvas.addEventListener(
  'wheel',
  (event) => {
    if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls the page
    event.preventDefault();
    zoomBy(Math.exp(-event.deltaY / 300), event);
  },
  { passive: false },
);
let drag: { x: number; y: number; view: View; moved: boolean } | undefined;
let dragged = false;
canvas.addEventListener('pointerdown', (event) => {
  if (!view || event.button !== 0) return;
  drag = { x: event.clientX, y: event.clientY, view: { ...view }, moved: false };
  dragged = false;
});
canvas.addEventListener('pointermove', (event) => {
  const svg = mapSvg();
  if (!drag || !svg || !view) return;
  const dx = event.clientX - drag.x;
  const dy = event.clientY - drag.y;
  if (!drag.moved && Math.hypot(dx, dy) < 4) return;
  if (!drag.moved) {
    drag.moved = true;
    canvas.setPointerCapture(event.pointerId);
    canvas.classList.add('panning');
  }
  const rect = svg.getBoundingClientRect();
  const units = view.width / Math.max(1, rect.width);
  setView({ ...drag.view, x: drag.view.x - dx * units, y: drag.view.y - dy * units });
});
const endDrag = (event: PointerEvent) => {
  if (!drag) return;
  // A drag is not a click on what it started on.
  dragged = drag.moved;
  if (drag.moved && canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
  canvas.classList.remove('panning');
  drag = undefined;
};
canvas.addEventListener('pointerup', endDrag);
canvas.addEventListener('pointercancel', endDrag);
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
  // Drawn at its size, shrunk to the panel's width when wider (the viewBox keeps it sharp); zoom and pan
  // move the viewBox. A redraw (an edit, a reload) keeps the zoom and the point shown in the middle, as a
  // fraction of the map: a relabelled edge changes the layout's size a little.
  const svg = svgElement('svg', { width, height, viewBox: `0 0 ${width} ${height}`, id: 'map' });
  const kept = view && extent ? relativeView(view, extent) : validRelative(saved.view) ? saved.view : undefined;
  extent = { width, height };
  view = kept ? absoluteView(kept, extent) : { x: 0, y: 0, width, height };
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
  setView(view);
  if (selected) select(selected, false);
}

// ---- zoom and pan

function mapSvg(): SVGSVGElement | undefined {
  return canvas.querySelector<SVGSVGElement>('svg#map') ?? undefined;
}

function validRelative(v: RelativeView | undefined): v is RelativeView {
  return !!v && [v.zoom, v.cx, v.cy].every((n) => typeof n === 'number' && Number.isFinite(n)) && v.zoom > 0;
}

function relativeView(v: View, size: { width: number; height: number }): RelativeView {
  return { zoom: size.width / v.width, cx: (v.x + v.width / 2) / size.width, cy: (v.y + v.height / 2) / size.height };
}

function absoluteView(r: RelativeView, size: { width: number; height: number }): View {
  const width = size.width / r.zoom;
  const height = size.height / r.zoom;
  return { x: r.cx * size.width - width / 2, y: r.cy * size.height - height / 2, width, height };
}

/** Shows `next` (kept within the map's extent and the zoom limits) and remembers it. */
function setView(next: View): void {
  const svg = mapSvg();
  if (!svg || !extent) return;
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, extent.width / next.width));
  const width = extent.width / zoom;
  const height = extent.height / zoom;
  const x = Math.min(extent.width - width, Math.max(0, next.x));
  const y = Math.min(extent.height - height, Math.max(0, next.y));
  view = { x, y, width, height };
  svg.setAttribute('viewBox', `${x.toFixed(1)} ${y.toFixed(1)} ${width.toFixed(1)} ${height.toFixed(1)}`);
  svg.setAttribute('data-zoom', zoom.toFixed(2));
  canvas.classList.toggle('zoomed', zoom > MIN_ZOOM);
  saveState();
}

/** Zooms by `factor` about the pointer (or the middle of what is shown). */
function zoomBy(factor: number, at?: { clientX: number; clientY: number }): void {
  const svg = mapSvg();
  if (!svg || !view || !extent) return;
  const rect = svg.getBoundingClientRect();
  const fx = at && rect.width > 0 ? Math.min(1, Math.max(0, (at.clientX - rect.left) / rect.width)) : 0.5;
  const fy = at && rect.height > 0 ? Math.min(1, Math.max(0, (at.clientY - rect.top) / rect.height)) : 0.5;
  const px = view.x + fx * view.width;
  const py = view.y + fy * view.height;
  const width = view.width / factor;
  const height = view.height / factor;
  setView({ x: px - fx * width, y: py - fy * height, width, height });
}

function fit(): void {
  if (extent) setView({ x: 0, y: 0, ...extent });
}

function saveState(): void {
  const state: State = { ...(selected ? { selected } : {}), ...(view && extent ? { view: relativeView(view, extent) } : {}) };
  vscode.setState(state);
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
  saveState();
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

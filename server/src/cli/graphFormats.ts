/**
 * The TLS map (service/features/tlsMap.ts) as text a README, a pull-request comment or Graphviz can
 * show: `check --format mermaid` (a Mermaid flowchart, which GitHub renders in a ```mermaid block)
 * and `check --format dot` (Graphviz). Same nodes and edges as the VS Code map: apps, collectors
 * with their OTLP listeners, external endpoints and the unknown target; each edge labelled with its
 * protocol, security and verdict, coloured green (ok), amber (warning, unknown: dashed) or red (fails).
 * Labels come from the workspace's files, so every character that means something to the format is
 * escaped.
 */
import { SECURITY_TEXT, type MapEdge, type MapNode, type TlsMap, type Verdict } from '../service/features/tlsMap';

export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function isGraphFormat(format: string): format is GraphFormat {
  return (GRAPH_FORMATS as readonly string[]).includes(format);
}

export function formatGraph(format: GraphFormat, map: TlsMap): string {
  return format === 'mermaid' ? formatMermaid(map) : formatDot(map);
}

/** Edge colours: GitHub's green, amber and red (readable on light and dark backgrounds). */
export const VERDICT_COLOR: Record<Verdict, string> = { ok: '#1a7f37', warning: '#bf8700', unknown: '#bf8700', fails: '#cf222e' };

/** The lines of a node's label: what it is, then its file and (collectors) its OTLP listeners. */
function nodeLines(node: MapNode): string[] {
  switch (node.kind) {
    case 'app':
      return node.file && node.file !== node.label ? [node.label, node.file] : [node.label];
    case 'collector':
      return [node.label, ...node.listeners.map((l) => `${l.component} ${l.protocol} ${l.endpoint} · ${SECURITY_TEXT[l.security]}`)];
    case 'external':
      return [node.label, 'outside the workspace'];
    case 'unknown':
      return [node.label];
  }
}

/** An edge's label: its client (an exporter, or the signals of an app when not all), protocol and security, then the verdict. */
function edgeLines(map: TlsMap, edge: MapEdge): string[] {
  const from = map.nodes.find((n) => n.id === edge.from);
  const who = from?.kind === 'collector' ? edge.client.label : edge.client.signals.length < 3 ? edge.client.signals.join(', ') : '';
  const over = [edge.protocol, SECURITY_TEXT[edge.security]].filter(Boolean).join(' · ');
  const verdict = edge.verdict === 'ok' ? 'ok' : edge.verdict === 'unknown' ? 'not judged' : edge.reason;
  return [who, over, verdict].filter(Boolean);
}

function summaryLine(map: TlsMap): string {
  const s = map.summary;
  return `OTLP TLS map: ${map.nodes.length} nodes, ${map.edges.length} edges (${s.ok} ok, ${s.warning} warning, ${s.fails} fails, ${s.unknown} not judged)`;
}

// ---- Mermaid (flowchart)

/**
 * Mermaid text inside a quoted label: `"` ends it, `#` starts an entity code, `<`/`>` and `&` are HTML
 * in Mermaid's labels, and a label that starts and ends with a backtick is Markdown; each becomes the
 * entity code `#<decimal>;`. Control characters become spaces.
 */
function mermaidText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/["#<>&`|\\]/g, (c) => `#${c.charCodeAt(0)};`);
}

const MERMAID_SHAPE: Record<MapNode['kind'], [string, string]> = { app: ['(["', '"])'], collector: ['["', '"]'], external: ['[["', '"]]'], unknown: ['{{"', '"}}'] };

export function formatMermaid(map: TlsMap): string {
  const ids = new Map(map.nodes.map((node, i) => [node.id, `n${i}`]));
  const lines = ['flowchart LR', `  %% ${mermaidText(summaryLine(map))}`];
  for (const node of map.nodes) {
    const [open, close] = MERMAID_SHAPE[node.kind];
    lines.push(`  ${ids.get(node.id)}${open}${nodeLines(node).map(mermaidText).join('<br/>')}${close}`);
  }
  map.edges.forEach((edge) => {
    const arrow = edge.verdict === 'unknown' ? '-.->' : '-->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|"${edgeLines(map, edge).map(mermaidText).join('<br/>')}"| ${ids.get(edge.to)}`);
  });
  map.edges.forEach((edge, i) => {
    const color = VERDICT_COLOR[edge.verdict];
    lines.push(`  linkStyle ${i} stroke:${color},stroke-width:2px,color:${color}`);
  });
  lines.push('  classDef app fill:#ddf4ff,stroke:#0969da', '  classDef collector fill:#fbefff,stroke:#8250df', '  classDef external fill:#f6f8fa,stroke:#6e7781', '  classDef unknown fill:#fff8c5,stroke:#bf8700');
  for (const kind of ['app', 'collector', 'external', 'unknown'] as const) {
    const members = map.nodes.filter((n) => n.kind === kind).map((n) => ids.get(n.id));
    if (members.length) lines.push(`  class ${members.join(',')} ${kind}`);
  }
  return lines.join('\n') + '\n';
}

// ---- Graphviz DOT

/** A DOT quoted string of `lines`: `\` and `"` escaped, the lines joined with DOT's `\n` (control characters become spaces). */
function dotLabel(lines: string[]): string {
  return `"${lines.map((line) => line.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\u0000-\u001f\u007f]/g, ' ')).join('\\n')}"`;
}

const DOT_SHAPE: Record<MapNode['kind'], string> = { app: 'shape=box, style="rounded,filled", fillcolor="#ddf4ff"', collector: 'shape=box, style=filled, fillcolor="#fbefff"', external: 'shape=box, style="filled,dashed", fillcolor="#f6f8fa"', unknown: 'shape=hexagon, style=filled, fillcolor="#fff8c5"' };

export function formatDot(map: TlsMap): string {
  const ids = new Map(map.nodes.map((node, i) => [node.id, `n${i}`]));
  const lines = [`// ${summaryLine(map)}`, 'digraph otlp_tls_map {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const node of map.nodes) lines.push(`  ${ids.get(node.id)} [label=${dotLabel(nodeLines(node))}, ${DOT_SHAPE[node.kind]}];`);
  for (const edge of map.edges) {
    const color = VERDICT_COLOR[edge.verdict];
    lines.push(`  ${ids.get(edge.from)} -> ${ids.get(edge.to)} [label=${dotLabel(edgeLines(map, edge))}, color="${color}", fontcolor="${color}", penwidth=2${edge.verdict === 'unknown' ? ', style=dashed' : ''}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * `otlp-tls check --format mermaid` and `--format dot` on the built dist/cli.js: the TLS map of a
 * workspace as text, exactly, with the exit code of the diagnostics. The output is proven to render:
 * the DOT text is laid out by Graphviz itself (@hpcc-js/wasm-graphviz, Graphviz compiled to
 * WebAssembly, in this process), and the Mermaid text is parsed and rendered by the `mermaid` package
 * in Debian's chromium (the e2e tier's browser; skipped with a message where it is missing), the way
 * GitHub renders a ```mermaid block. Labels taken from hostile file contents stay text in both.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../support/lspClient';

const CHROMIUM = '/usr/bin/chromium';
/** A service name that would be markup or syntax if it were not escaped: Mermaid's, DOT's and HTML's. */
const HOSTILE_NAME = '"]; click n0 "javascript:alert(1)" <img src=x onerror=alert(1)> #quot; `md` | \\N';

function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
let hostile: string;
let graphviz: Awaited<ReturnType<typeof Graphviz.load>>;
let browser: Browser | undefined;
let page: Page | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otlp-tls-graph-'));
  cpSync(join(ROOT, 'test', 'fixtures', 'e2e-workspace'), join(dir, 'ws'), { recursive: true });
  const made = cli(['certs', '--out', join(dir, 'ws', 'certs'), '--host', 'otel-collector.observability.svc'], dir);
  assert.equal(made.code, 0, made.stderr);
  // A workspace whose names mean something to Mermaid, DOT and HTML.
  hostile = join(dir, 'hostile');
  mkdirSync(join(hostile, 'we"ird\\dir #1'), { recursive: true });
  writeFileSync(
    join(hostile, 'we"ird\\dir #1', 'collector.yaml'),
    'receivers:\n  otlp/"x"]:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\nexporters:\n  debug: {}\n',
  );
  writeFileSync(join(hostile, 'app.env'), `OTEL_SERVICE_NAME='${HOSTILE_NAME}'\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317\n`);
  graphviz = await Graphviz.load();
  if (existsSync(CHROMIUM)) {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
    page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    await page.evaluate(() => (globalThis as unknown as { mermaid: { initialize(c: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
  }
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Mermaid's own parse and render of `text` in chromium: the SVG's node labels, edge labels and edge paths' styles. */
async function renderMermaid(text: string): Promise<{ nodes: string[]; edgeLabels: string[]; edgeStyles: string[]; images: number }> {
  return page!.evaluate(async (source) => {
    // Runs in the page (this file is type-checked without the DOM library, hence `any`).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const page = globalThis as any;
    const mermaid = page.mermaid as { parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> };
    await mermaid.parse(source);
    const { svg } = await mermaid.render('graph' + Math.random().toString(36).slice(2), source);
    const out = page.document.getElementById('out');
    out.innerHTML = svg;
    // A label's lines (<br>) become spaces.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const text = (e: any) => {
      const copy = e.cloneNode(true);
      for (const br of copy.querySelectorAll('br')) br.replaceWith(' ');
      return String(copy.textContent ?? '').replace(/\s+/g, ' ').trim();
    };
    return {
      nodes: [...out.querySelectorAll('g.node')].map(text),
      edgeLabels: [...out.querySelectorAll('g.edgeLabel')].map(text).filter(Boolean),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      edgeStyles: [...out.querySelectorAll('path.flowchart-link')].map((p: any) => String(p.getAttribute('style') ?? '')),
      images: out.querySelectorAll('img').length,
    };
  }, text);
}

/** Graphviz's layout of `text` as SVG (it throws on a syntax error): node and edge titles, edge label texts, stroke colours. */
function renderDot(text: string): { nodes: number; edges: number; labels: string[]; strokes: string[] } {
  const svg = graphviz.dot(text, 'svg');
  const edges = [...svg.matchAll(/<g id="edge\d+" class="edge">([\s\S]*?)<\/g>/g)].map((m) => m[1]);
  return {
    nodes: [...svg.matchAll(/<g id="node\d+" class="node">/g)].length,
    edges: edges.length,
    labels: edges.map((e) => [...e.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]).join(' | ')),
    strokes: edges.map((e) => /<path[^>]*stroke="([^"]+)"/.exec(e)?.[1] ?? ''),
  };
}

describe('check --format mermaid|dot', () => {
  it('mermaid: the map of the e2e workspace, exactly, with the exit code of its errors', () => {
    const r = cli(['check', '.', '--path-map', '/etc/otel/certs=certs', '--format', 'mermaid'], join(dir, 'ws'));
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      [
        'flowchart LR',
        '  %% OTLP TLS map: 6 nodes, 4 edges (1 ok, 0 warning, 2 fails, 1 not judged)',
        '  n0["agent/collector.yaml"]',
        '  n1["dev/collector.yaml<br/>otlp http localhost:4318 · mTLS"]',
        '  n2["gateway/collector.yaml<br/>otlp grpc 0.0.0.0:4317 · mTLS"]',
        '  n3(["checkout<br/>app/.env"])',
        '  n4(["billing<br/>billing/.env"])',
        '  n5[["otlp.vendor.example:443<br/>outside the workspace"]]',
        '  n3 -->|"grpc · mTLS<br/>fails: san-mismatch"| n2',
        '  n4 -->|"grpc · mTLS<br/>ok"| n2',
        '  n0 -->|"otlp_grpc/gateway<br/>grpc · mTLS<br/>fails: missing-client-cert, unknown-key"| n2',
        '  n2 -.->|"otlphttp/vendor<br/>http · TLS<br/>not judged"| n5',
        '  linkStyle 0 stroke:#cf222e,stroke-width:2px,color:#cf222e',
        '  linkStyle 1 stroke:#1a7f37,stroke-width:2px,color:#1a7f37',
        '  linkStyle 2 stroke:#cf222e,stroke-width:2px,color:#cf222e',
        '  linkStyle 3 stroke:#bf8700,stroke-width:2px,color:#bf8700',
        '  classDef app fill:#ddf4ff,stroke:#0969da',
        '  classDef collector fill:#fbefff,stroke:#8250df',
        '  classDef external fill:#f6f8fa,stroke:#6e7781',
        '  classDef unknown fill:#fff8c5,stroke:#bf8700',
        '  class n3,n4 app',
        '  class n0,n1,n2 collector',
        '  class n5 external',
        '',
      ].join('\n'),
    );
  });

  it('mermaid: the mermaid package parses and renders it, edges coloured by verdict', async (t) => {
    if (!page) return t.skip(`${CHROMIUM} is missing (scripts/setup-e2e.sh installs it)`);
    const r = cli(['check', '.', '--path-map', '/etc/otel/certs=certs', '--format', 'mermaid'], join(dir, 'ws'));
    const rendered = await renderMermaid(r.stdout);
    assert.deepEqual(rendered.nodes, [
      'agent/collector.yaml',
      'dev/collector.yaml otlp http localhost:4318 · mTLS',
      'gateway/collector.yaml otlp grpc 0.0.0.0:4317 · mTLS',
      'checkout app/.env',
      'billing billing/.env',
      'otlp.vendor.example:443 outside the workspace',
    ]);
    assert.deepEqual(rendered.edgeLabels, ['grpc · mTLS fails: san-mismatch', 'grpc · mTLS ok', 'otlp_grpc/gateway grpc · mTLS fails: missing-client-cert, unknown-key', 'otlphttp/vendor http · TLS not judged']);
    assert.deepEqual(
      rendered.edgeStyles.map((s) => /stroke:(#[0-9a-f]{6})/.exec(s)?.[1]),
      ['#cf222e', '#1a7f37', '#cf222e', '#bf8700'],
    );
  });

  it('dot: the same map, exactly, and Graphviz lays it out', () => {
    const r = cli(['check', '.', '--path-map', '/etc/otel/certs=certs', '--format', 'dot'], join(dir, 'ws'));
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      [
        '// OTLP TLS map: 6 nodes, 4 edges (1 ok, 0 warning, 2 fails, 1 not judged)',
        'digraph otlp_tls_map {',
        '  rankdir=LR;',
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  n0 [label="agent/collector.yaml", shape=box, style=filled, fillcolor="#fbefff"];',
        '  n1 [label="dev/collector.yaml\\notlp http localhost:4318 · mTLS", shape=box, style=filled, fillcolor="#fbefff"];',
        '  n2 [label="gateway/collector.yaml\\notlp grpc 0.0.0.0:4317 · mTLS", shape=box, style=filled, fillcolor="#fbefff"];',
        '  n3 [label="checkout\\napp/.env", shape=box, style="rounded,filled", fillcolor="#ddf4ff"];',
        '  n4 [label="billing\\nbilling/.env", shape=box, style="rounded,filled", fillcolor="#ddf4ff"];',
        '  n5 [label="otlp.vendor.example:443\\noutside the workspace", shape=box, style="filled,dashed", fillcolor="#f6f8fa"];',
        '  n3 -> n2 [label="grpc · mTLS\\nfails: san-mismatch", color="#cf222e", fontcolor="#cf222e", penwidth=2];',
        '  n4 -> n2 [label="grpc · mTLS\\nok", color="#1a7f37", fontcolor="#1a7f37", penwidth=2];',
        '  n0 -> n2 [label="otlp_grpc/gateway\\ngrpc · mTLS\\nfails: missing-client-cert, unknown-key", color="#cf222e", fontcolor="#cf222e", penwidth=2];',
        '  n2 -> n5 [label="otlphttp/vendor\\nhttp · TLS\\nnot judged", color="#bf8700", fontcolor="#bf8700", penwidth=2, style=dashed];',
        '}',
        '',
      ].join('\n'),
    );
    const svg = renderDot(r.stdout);
    assert.equal(svg.nodes, 6);
    assert.equal(svg.edges, 4);
    // Graphviz lists the edges in its own order: pair each label with its colour.
    assert.deepEqual(svg.labels.map((label, i) => `${svg.strokes[i]} ${label}`).sort(), [
      '#1a7f37 grpc · mTLS | ok',
      '#bf8700 otlphttp/vendor | http · TLS | not judged',
      '#cf222e grpc · mTLS | fails: san&#45;mismatch',
      '#cf222e otlp_grpc/gateway | grpc · mTLS | fails: missing&#45;client&#45;cert, unknown&#45;key',
    ]);
  });

  it('hostile names stay text: Graphviz and mermaid render them literally, and no markup gets in', async (t) => {
    const dot = cli(['check', '.', '--format', 'dot'], hostile);
    assert.equal(dot.code, 0, dot.stderr); // a plaintext endpoint to a plaintext listener: no error
    const svg = renderDot(dot.stdout);
    assert.equal(svg.nodes, 2);
    assert.equal(svg.edges, 1);
    const nodeTexts = [...graphviz.dot(dot.stdout, 'svg').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.ok(nodeTexts.includes('we&quot;ird\\dir #1/collector.yaml'), nodeTexts.join('\n'));
    assert.ok(nodeTexts.includes('&quot;]; click n0 &quot;javascript:alert(1)&quot; &lt;img src=x onerror=alert(1)&gt; #quot; `md` | \\N'), nodeTexts.join('\n'));

    if (!page) return t.skip(`${CHROMIUM} is missing (scripts/setup-e2e.sh installs it)`);
    const mermaid = cli(['check', '.', '--format', 'mermaid'], hostile);
    const rendered = await renderMermaid(mermaid.stdout);
    assert.equal(rendered.images, 0, 'no <img> from a label');
    assert.deepEqual(rendered.nodes, ['we"ird\\dir #1/collector.yaml otlp/"x"] grpc 0.0.0.0:4317 · plaintext', `${HOSTILE_NAME} app.env`]);
  });

  it('exit 0 without errors, and the usage names the formats', () => {
    const clean = join(dir, 'clean');
    mkdirSync(clean);
    writeFileSync(join(clean, 'collector.yaml'), 'receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\nexporters:\n  debug: {}\n');
    writeFileSync(join(clean, '.env'), 'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\nOTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318\n');
    const r = cli(['check', '.', '--format', 'mermaid'], clean);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /n1 -->\|"http\/protobuf · plaintext<br\/>ok"\| n0/);
    const bad = cli(['check', '.', '--format', 'svg'], clean);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be text, json, sarif, mermaid or dot, not "svg"/);
  });
});

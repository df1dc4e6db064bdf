/**
 * The TLS map of whole workspaces (service/features/tlsMap.ts): every node and every edge, with its
 * protocol, security, verdict, reason and the diagnostics that decide it, asserted as a whole (an
 * extra or a missing edge fails). The workspaces are the fixture folders that users see (the e2e
 * workspace, the README's examples/), read from disk into an in-memory runtime with development
 * certificates made by the product's own generator, and small inline workspaces for each pairing
 * case. A last group checks, on every workspace here, that the map and the diagnostics agree: each
 * handshake problem the checks publish is on an edge, each edge diagnostic is a published problem.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { generateDevCertificates } from '../../server/src/service/certificates/devCertificates';
import type { MapEdge, TlsMap } from '../../server/src/service/features/tlsMap';
import { coverage } from '../../server/src/service/features/coverage';
import type { LanguageService } from '../../server/src/service/languageService';
import type { ParsedFile } from '../../server/src/service/model/units';
import { defaultSettings, pathMapping } from '../../server/src/service/settings';
import { workspaceOf } from '../support/check';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';
import { NS, app, caBootstrap, collector } from '../support/clusterManifests';
import { createVirtualCache } from '../../server/src/service/certificates/virtualCertificates';

/** What cert-manager will issue, shared by this file's workspaces: its RSA keys are made once. */
const VIRTUAL = createVirtualCache();

const ROOT = join(__dirname, '..', '..', '..');
const NOW = new Date('2026-06-01T00:00:00Z');
let pki: Record<string, MemoryFile> = {};

before(async () => {
  const files = await generateDevCertificates({ hosts: ['otel-collector.observability.svc'], clients: ['client'], algorithm: 'ecdsa-p256', days: 365, now: new Date('2026-05-01T00:00:00Z') });
  pki = Object.fromEntries(files.map((f) => [f.name, { contents: f.contents, mode: f.name.endsWith('.key') ? 0o600 : 0o644 }]));
});

/** The files of a fixture folder (what the CLI's walk would read), as in-memory documents under `/ws`. */
function fixture(folder: string): { path: string; text: string }[] {
  const base = join(ROOT, folder);
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return walk(base)
    .filter((file) => /\.(ya?ml)$|(^|\/)\.env$|\.env$/.test(file))
    .sort()
    .map((file) => ({ path: `/ws/${relative(base, file)}`, text: readFileSync(file, 'utf8') }));
}

interface Workspace {
  service: LanguageService;
  parsed: ParsedFile[];
  map: TlsMap;
}

/** A workspace under /ws with the development certificates in /ws/certs and /etc/otel/certs mapped to them. */
function workspace(docs: { path: string; text: string }[], extraFiles: Record<string, string | MemoryFile> = {}, options: { mapped?: boolean; mappings?: [string, string][] } = {}): Workspace {
  const files: Record<string, string | MemoryFile> = { ...Object.fromEntries(Object.entries(pki).map(([name, file]) => [`/ws/certs/${name}`, file])), ...extraFiles };
  const runtime = memoryRuntime({ now: NOW, files: { ...files, ...Object.fromEntries(docs.map((d) => [d.path, d.text])) } });
  const settings = { ...defaultSettings, workspaceRoots: ['/ws'], pathMappings: options.mappings ? options.mappings.map(([from, to]) => pathMapping(from, to, '/ws')) : options.mapped === false ? [] : [pathMapping('/etc/otel/certs', '/ws/certs', '/ws')] };
  const { service, parsed } = workspaceOf(docs, { runtime, settings, virtualCache: VIRTUAL });
  return { service, parsed, map: service.tlsMap() };
}

const line = (edge: MapEdge['location']) => `${edge.path.replace('/ws/', '')}:${edge.range.start.line + 1}`;

/** The whole map as lines: nodes, then edges with everything that decides them. */
function describeMap(map: TlsMap): string[] {
  const label = (id: string) => map.nodes.find((n) => n.id === id)?.label ?? `?${id}`;
  const nodes = map.nodes.map((n) => {
    const extra = n.kind === 'collector' ? ` [${n.listeners.map((l) => `${l.component}/${l.protocol} ${l.endpoint} ${l.security}`).join('; ')}]` : n.kind === 'app' ? ` (${n.signals.join(',')})` : '';
    return `node ${n.kind} ${n.label}${extra}`;
  });
  const edges = map.edges.map((e) => {
    const listener = e.listener ? ` ${e.listener.split('/').slice(-2).join('/')}` : '';
    const diagnostics = e.diagnostics.map((d) => `${d.severity} ${d.code} ${line(d)}`).join(', ');
    return `edge ${label(e.from)} [${e.client.label}${e.client.signals.length < 3 ? ` ${e.client.signals.join(',')}` : ''}] -> ${label(e.to)}${listener} | ${e.protocol ?? '-'} ${e.security} | ${e.verdict}: ${e.reason}${diagnostics ? ` | ${diagnostics}` : ''}`;
  });
  return [...nodes, ...edges];
}

describe('the TLS map of the fixture workspaces', () => {
  it('the e2e workspace: a failing app, a working app, a failing agent, a backend outside and an unused collector', () => {
    const { map } = workspace(fixture('test/fixtures/e2e-workspace'));
    assert.deepEqual(describeMap(map), [
      'node collector agent/collector.yaml []',
      'node collector dev/collector.yaml [otlp/http localhost:4318 mtls]',
      'node collector gateway/collector.yaml [otlp/grpc 0.0.0.0:4317 mtls]',
      'node app checkout (traces,metrics,logs)',
      'node app billing (traces,metrics,logs)',
      'node external otlp.vendor.example:443',
      'edge checkout [OTEL_EXPORTER_OTLP_ENDPOINT] -> gateway/collector.yaml otlp/grpc | grpc mtls | fails: fails: san-mismatch | error san-mismatch app/.env:4',
      'edge billing [OTEL_EXPORTER_OTLP_ENDPOINT] -> gateway/collector.yaml otlp/grpc | grpc mtls | ok: the handshake succeeds (Go\'s rules)',
      'edge agent/collector.yaml [otlp_grpc/gateway] -> gateway/collector.yaml otlp/grpc | grpc mtls | fails: fails: missing-client-cert, unknown-key | error missing-client-cert agent/collector.yaml:9, error unknown-key agent/collector.yaml:13, warning plaintext-endpoint agent/collector.yaml:9, warning insecure-skip-verify agent/collector.yaml:12',
      // Other configs listen, so an endpoint that pairs with none of them is said (information), not silent.
      'edge gateway/collector.yaml [otlphttp/vendor] -> otlp.vendor.example:443 | http tls | unknown: no receiver of the workspace listens on port 443, so the server end is not known here | information no-listener gateway/collector.yaml:17',
    ]);
    assert.deepEqual(map.summary, { ok: 1, warning: 0, fails: 2, unknown: 1 });
  });

  it('the e2e workspace: certificate names, what a click opens, and the counts of the files', () => {
    const { map } = workspace(fixture('test/fixtures/e2e-workspace'));
    const [checkout, billing, agent] = map.edges;
    assert.deepEqual(checkout.certificates, {
      server: { subject: 'CN=otel-collector.observability.svc', sans: ['DNS:otel-collector.observability.svc'], notAfter: '2027-05-01', path: '/ws/certs/server.crt' },
      client: { subject: 'CN=client', sans: [], notAfter: '2027-05-01', path: '/ws/certs/client.crt' },
      trust: { subjects: ['CN=OTLP TLS Dev CA'], path: '/ws/certs/ca.crt' },
    });
    assert.equal(checkout.client.endpoint, 'https://otel-collector:4317');
    // A failing edge opens its deciding diagnostic: the endpoint value on line 4 of app/.env.
    assert.deepEqual(checkout.location, { path: '/ws/app/.env', range: { start: { line: 3, character: 28 }, end: { line: 3, character: 55 } } });
    assert.match(checkout.diagnostics[0].message, /"otel-collector" is not covered by CN=otel-collector\.observability\.svc/);
    // An ok edge opens the client's endpoint.
    assert.deepEqual(billing.location, billing.client.location);
    assert.equal(line(billing.location), 'billing/.env:4');
    assert.equal(line(agent.location), 'agent/collector.yaml:9');
    assert.equal(agent.certificates.client, undefined);
    const agentNode = map.nodes.find((n) => n.label === 'agent/collector.yaml');
    assert.deepEqual(agentNode?.problems, { errors: 2, warnings: 2 });
    assert.equal(agentNode && line(agentNode.location!), 'agent/collector.yaml:8');
  });

  it("the README's examples/: the article's mistakes on the map", () => {
    const { map } = workspace(fixture('examples'));
    assert.deepEqual(describeMap(map), [
      'node collector agent/collector.yaml []',
      'node collector gateway/collector.yaml [otlp/grpc 0.0.0.0:4317 mtls; otlp/http 0.0.0.0:4318 mtls]',
      'node app checkout (traces,metrics,logs)',
      'edge checkout [OTEL_EXPORTER_OTLP_ENDPOINT] -> gateway/collector.yaml otlp/grpc | grpc mtls | fails: fails: san-mismatch | error san-mismatch app/.env:4',
      'edge agent/collector.yaml [otlp_grpc/gateway] -> gateway/collector.yaml otlp/grpc | grpc mtls | fails: fails: missing-client-cert, unknown-key | error missing-client-cert agent/collector.yaml:9, error unknown-key agent/collector.yaml:13, warning plaintext-endpoint agent/collector.yaml:9, warning insecure-skip-verify agent/collector.yaml:12',
      'node external backend.example.com:4318',
      'edge gateway/collector.yaml [otlp_http/backend] -> backend.example.com:4318 | http plaintext | unknown: no receiver of the workspace listens on port 4318, so the server end is not known here | warning tls-ignored gateway/collector.yaml:21',
    ].sort((a, b) => (a.startsWith('node') === b.startsWith('node') ? 0 : a.startsWith('node') ? -1 : 1)));
  });
});

const GATEWAY = (port = 4317, tls = '\n        tls:\n          cert_file: /etc/otel/certs/server.crt\n          key_file: /etc/otel/certs/server.key') =>
  `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:${port}${tls}\nexporters:\n  debug: {}\n`;

describe('pairing cases on the map', () => {
  it('every listener on the port is an edge of its own, each judged', () => {
    const { map } = workspace([
      { path: '/ws/a/collector.yaml', text: GATEWAY() },
      { path: '/ws/b/collector.yaml', text: GATEWAY(4317, '') },
      { path: '/ws/app/.env', text: 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/ca.crt\n' },
    ]);
    assert.deepEqual(describeMap(map).filter((l) => l.startsWith('edge')), [
      'edge app/.env [OTEL_EXPORTER_OTLP_ENDPOINT] -> a/collector.yaml otlp/grpc | grpc tls | ok: the handshake succeeds (Go\'s rules) | information mtls-not-enforced a/collector.yaml:6',
      'edge app/.env [OTEL_EXPORTER_OTLP_ENDPOINT] -> b/collector.yaml otlp/grpc | grpc plaintext | fails: fails: plaintext-endpoint | error plaintext-endpoint app/.env:2',
    ]);
    // The two collector.yaml are told apart by their workspace paths; which listener comes after the message.
    assert.match(map.edges[1].diagnostics[0].message, /^The receiver serves plaintext, but this client uses TLS: use http:\/\/, or add tls: to the receiver\. receiver otlp \(grpc\) on 0\.0\.0\.0:4317 in b\/collector\.yaml has no tls:/);
    assert.match(map.edges[1].diagnostics[0].message, / Found against receiver otlp \(grpc\) on 0\.0\.0\.0:4317 in b\/collector\.yaml \(one of 2 listeners on port 4317\)\.$/);
  });

  it('signals sent to different places are different edges; an app with no endpoint for a signal points at the unknown target', () => {
    const { map } = workspace([
      { path: '/ws/gw/collector.yaml', text: GATEWAY() },
      {
        path: '/ws/app/.env',
        text: 'OTEL_SERVICE_NAME=shop\nOTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_TRACES_CERTIFICATE=/etc/otel/certs/ca.crt\nOTEL_LOGS_EXPORTER=none\n',
      },
    ]);
    assert.deepEqual(describeMap(map), [
      'node collector gw/collector.yaml [otlp/grpc 0.0.0.0:4317 tls]',
      'node app shop (traces,metrics)',
      'edge shop [OTEL_EXPORTER_OTLP_TRACES_ENDPOINT traces] -> gw/collector.yaml otlp/grpc | grpc tls | ok: the handshake succeeds (Go\'s rules) | information mtls-not-enforced gw/collector.yaml:6',
      "node unknown target not known here",
      "edge shop [OTEL_EXPORTER_OTLP_ENDPOINT (not set) metrics] -> target not known here | - unknown | unknown: no endpoint is set here, so the SDK's default applies (http://localhost:4317 or :4318 by protocol; https://localhost for Go) unless the process gets one elsewhere",
    ].sort((a, b) => (a.startsWith('node') === b.startsWith('node') ? 0 : a.startsWith('node') ? -1 : 1)));
  });

  it('an endpoint not known here, and a TLS endpoint that pairs with nothing while other configs listen (no-listener)', () => {
    const { map } = workspace([
      { path: '/ws/gw/collector.yaml', text: GATEWAY() },
      { path: '/ws/agent/collector.yaml', text: 'exporters:\n  otlp/a:\n    endpoint: ${env:GATEWAY}\n  otlp/b:\n    endpoint: gateway:14317\n' },
    ]);
    assert.deepEqual(describeMap(map).filter((l) => l.startsWith('edge')), [
      'edge agent/collector.yaml [otlp/a] -> target not known here | grpc unknown | unknown: otlp/a: the value of endpoint is not known here | information unresolved-substitution agent/collector.yaml:3',
      'edge agent/collector.yaml [otlp/b] -> gateway:14317 | grpc tls | unknown: no receiver of the workspace listens on port 14317, so the server end is not known here | information no-listener agent/collector.yaml:5',
    ]);
  });

  it('a server certificate that does not load: the receiver\'s own diagnostic decides the edge', () => {
    const gateway = GATEWAY(4317, '\n        tls:\n          cert_file: /etc/otel/certs/missing.crt\n          key_file: /etc/otel/certs/server.key');
    const { map } = workspace([
      { path: '/ws/gw/collector.yaml', text: gateway },
      { path: '/ws/app/.env', text: 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/ca.crt\n' },
    ]);
    const [edge] = map.edges;
    assert.equal(edge.verdict, 'fails');
    // The receiver does not start (go12's startup error, on the client's endpoint) and its cert_file is reported where it is written.
    assert.deepEqual(
      edge.diagnostics.map((d) => `${d.severity} ${d.code} ${line(d)}`),
      ['error file-not-found app/.env:2', 'error file-not-found gw/collector.yaml:7', 'information mtls-not-enforced gw/collector.yaml:6'],
    );
    assert.match(edge.diagnostics[0].message, /does not start, so no client can connect/);
  });

  it('a CA file that is not known here: the edge is not judged, and says which step', () => {
    const { map } = workspace([
      { path: '/ws/gw/collector.yaml', text: GATEWAY() },
      { path: '/ws/app/.env', text: 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=${CA_FILE}\n' },
    ]);
    const [edge] = map.edges;
    assert.equal(edge.verdict, 'unknown');
    assert.match(edge.reason, /^not fully judged: OTEL_EXPORTER_OTLP_CERTIFICATE did not load, so the verification of the server certificate is not judged$/);
  });
});

// An agent and a gateway that both listen on 4317, each behind its Service, each serving what its Certificate
// issues from the Secret mounted in its pod; the app trusts the agent's Secret's ca.crt (test/support/clusterManifests.ts).
const certificate = (name: string) => `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: ${name}-cert\n  namespace: ${NS}\nspec:\n  secretName: ${name}-tls\n  issuerRef:\n    name: internal-ca\n    kind: ClusterIssuer\n  dnsNames: [${name}.${NS}.svc]\n---\n`;
const layout = (appHost: string, agentExportsTo: string): { path: string; text: string }[] => [
  { path: '/ws/issuers.yaml', text: caBootstrap() },
  { path: '/ws/agent.yaml', text: certificate('otel-agent') + collector({ name: 'otel-agent', tls: ['reload_interval: 1h'], exporters: `      otlp/gateway:\n        endpoint: ${agentExportsTo}:4317\n        tls:\n          ca_file: /etc/otel/certs/ca.crt\n` }) },
  { path: '/ws/gateway.yaml', text: certificate('otel-gateway') + collector({ name: 'otel-gateway', tls: ['reload_interval: 1h'] }) },
  { path: '/ws/app.yaml', text: app({ host: appHost, secret: 'otel-agent-tls' }) },
];
describe('the TLS map of a Kubernetes deployment with cert-manager (no PEM file, no path mapping)', () => {
  const AGENT = 'ConfigMap observability/otel-agent-config data.config.yaml';
  const GATEWAY_UNIT = 'ConfigMap observability/otel-gateway-config data.config.yaml';

  it('paired by host and port through the Services: the app → the agent, the agent → the gateway, each judged on what cert-manager issues', () => {
    const { map } = workspace(layout(`otel-agent.${NS}.svc`, `otel-gateway.${NS}.svc`), {}, { mapped: false });
    assert.deepEqual(describeMap(map), [
      `node collector ${AGENT} [otlp/grpc 0.0.0.0:4317 tls]`,
      `node collector ${GATEWAY_UNIT} [otlp/grpc 0.0.0.0:4317 tls]`,
      'node app container app of Deployment observability/checkout (traces,metrics,logs)',
      // Both trust files are ca.crt of a Secret, the CA of the bootstrap's CA Certificate, which cert-manager renews
      // while the SDK and the exporter read it once (ca-rotation, a warning on each edge).
      `edge container app of Deployment observability/checkout [env[0] OTEL_EXPORTER_OTLP_ENDPOINT] -> ${AGENT} otlp/grpc | grpc tls | warning: succeeds with warnings: ca-rotation | warning ca-rotation app.yaml:17, information mtls-not-enforced agent.yaml:25`,
      `edge ${AGENT} [otlp/gateway] -> ${GATEWAY_UNIT} otlp/grpc | grpc tls | warning: succeeds with warnings: ca-rotation | warning ca-rotation agent.yaml:34, information mtls-not-enforced gateway.yaml:25`,
    ]);
    // One edge per client: with the port alone each client would have had two (both listen on 4317).
    assert.equal(map.edges.length, 2);
    // The certificate names are those the Certificate gives, read from the Secret's keys as mounted.
    const appEdge = map.edges[0];
    assert.deepEqual(appEdge.certificates.server?.sans, [`DNS:otel-agent.${NS}.svc`]);
    // The trust file is ca.crt of Secret otel-agent-tls: its Certificate's manifest is what a click opens.
    assert.deepEqual(appEdge.certificates.trust, { subjects: ['CN=internal-ca'], path: '/ws/agent.yaml' });
  });

  it('the edge names the Service it goes through, and so does the endpoint hover', () => {
    const docs = layout(`otel-agent.${NS}.svc`, `otel-gateway.${NS}.svc`);
    const { map, service, parsed } = workspace(docs, {}, { mapped: false });
    assert.deepEqual(map.edges.map((e) => e.via), ['Service observability/otel-agent, port 4317 → 4317', 'Service observability/otel-gateway, port 4317 → 4317']);
    const index = docs.findIndex((d) => d.path === '/ws/app.yaml');
    const document = TextDocument.create(URI.file(docs[index].path).toString(), 'yaml', 1, docs[index].text);
    const hover = service.getHover(document, document.positionAt(docs[index].text.indexOf('https://otel-agent') + 2), { path: docs[index].path, parsed: parsed[index] });
    assert.equal(
      (hover?.contents as { value: string }).value,
      `**TLS map**: → otlp (grpc) on 0.0.0.0:4317 in ${AGENT} (through Service observability/otel-agent, port 4317 → 4317) · grpc · TLS · succeeds with warnings: ca-rotation`,
    );
  });

  it('a name the agent\'s Certificate lacks fails that edge alone; the map and the Problems panel say the same', () => {
    const { map, service, parsed } = workspace(layout('otel-agent', `otel-gateway.${NS}.svc`), {}, { mapped: false });
    const edges = describeMap(map).filter((l) => l.startsWith('edge'));
    assert.deepEqual(edges, [
      `edge container app of Deployment observability/checkout [env[0] OTEL_EXPORTER_OTLP_ENDPOINT] -> ${AGENT} otlp/grpc | grpc tls | fails: fails: san-mismatch | error san-mismatch app.yaml:13, warning ca-rotation app.yaml:17, information mtls-not-enforced agent.yaml:25`,
      `edge ${AGENT} [otlp/gateway] -> ${GATEWAY_UNIT} otlp/grpc | grpc tls | warning: succeeds with warnings: ca-rotation | warning ca-rotation agent.yaml:34, information mtls-not-enforced gateway.yaml:25`,
    ]);
    const app = parsed.find((f) => f.path === '/ws/app.yaml')!;
    const san = service.validate({ path: app.path, text: app.text }, app).find((p) => p.code === 'san-mismatch')!;
    assert.equal(map.edges[0].diagnostics[0].message, san.message);
    assert.match(san.message, /through Service observability\/otel-agent, port 4317 → 4317/);
  });

  it('a Service port that leads nowhere: an edge to the host and port outside, saying which Service and why', () => {
    const docs = layout(`otel-agent.${NS}.svc`, `otel-gateway.${NS}.svc`).map((d) => (d.path === '/ws/app.yaml' ? { ...d, text: app({ host: `otel-agent.${NS}.svc`, port: 4320, secret: 'otel-agent-tls' }) } : d));
    const { map } = workspace(docs, {}, { mapped: false });
    const edge = map.edges.find((e) => e.client.label.includes('OTEL_EXPORTER_OTLP_ENDPOINT'))!;
    assert.equal(map.nodes.find((n) => n.id === edge.to)?.label, `otel-agent.${NS}.svc:4320`);
    assert.equal(edge.verdict, 'unknown');
    assert.equal(edge.reason, `no receiver of the workspace serves otel-agent.${NS}.svc:4320 (otel-agent.${NS}.svc names Service observability/otel-agent, where it has no port 4320 (its ports: 4317)), so the server end is not known here`);
    assert.deepEqual(edge.diagnostics.map((d) => `${d.severity} ${d.code} ${line(d)}`), ['warning ca-rotation app.yaml:17', 'information no-listener app.yaml:13']);
  });

  it('a Certificate from an issuer the workspace does not hold, trusted through a CA file of the image: the edge is not called verified', () => {
    // The app trusts a CA file baked into its image (mapped here to the development CA), not the Secret's ca.crt:
    // whether that file holds internal-ca's CA, which no manifest of the workspace makes, cannot be known.
    const docs = layout(`otel-agent.${NS}.svc`, `otel-gateway.${NS}.svc`)
      .filter((d) => d.path !== '/ws/issuers.yaml')
      .map((d) => (d.path === '/ws/app.yaml' ? { ...d, text: d.text.replace('value: /etc/app/tls/ca.crt', 'value: /etc/ssl/otel/ca.crt') } : d));
    const { map } = workspace(docs, {}, { mappings: [['/etc/ssl/otel', '/ws/certs']] });
    const appEdge = map.edges.find((e) => e.client.label.includes('OTEL_EXPORTER_OTLP_ENDPOINT'))!;
    assert.equal(appEdge.verdict, 'unknown');
    assert.match(appEdge.reason, /^not fully judged: Whether env\[2\] OTEL_EXPORTER_OTLP_CERTIFICATE holds the CA that signs the server certificate cannot be judged here: /);
    assert.deepEqual(appEdge.diagnostics.map((d) => `${d.severity} ${d.code} ${line(d)}`), ['information mtls-not-enforced agent.yaml:25', 'information issuer-not-in-workspace app.yaml:17']);
  });
});

describe('the endpoint hover shows its edge', () => {
  it('on an env file endpoint and on an exporter endpoint, one line each', () => {
    const docs = fixture('test/fixtures/e2e-workspace');
    const { service, parsed } = workspace(docs);
    const hoverAt = (path: string, needle: string) => {
      const index = docs.findIndex((d) => d.path === path);
      const document = TextDocument.create(URI.file(path).toString(), path.endsWith('.yaml') ? 'yaml' : 'dotenv', 1, docs[index].text);
      const hover = service.getHover(document, document.positionAt(docs[index].text.indexOf(needle) + 2), { path, parsed: parsed[index] });
      return (hover?.contents as { value: string } | undefined)?.value;
    };
    assert.equal(hoverAt('/ws/app/.env', 'https://otel-collector:4317'), '**TLS map**: → otlp (grpc) on 0.0.0.0:4317 in gateway/collector.yaml · grpc · mTLS · fails: san-mismatch');
    assert.equal(hoverAt('/ws/billing/.env', 'https://otel-collector.observability'), "**TLS map**: → otlp (grpc) on 0.0.0.0:4317 in gateway/collector.yaml · grpc · mTLS · the handshake succeeds (Go's rules)");
    assert.equal(hoverAt('/ws/agent/collector.yaml', 'http://localhost:4317'), '**TLS map**: → otlp (grpc) on 0.0.0.0:4317 in gateway/collector.yaml · grpc · mTLS · fails: missing-client-cert, unknown-key');
    assert.equal(hoverAt('/ws/gateway/collector.yaml', 'https://otlp.vendor.example'), '**TLS map**: → otlp.vendor.example:443, outside the workspace · http · TLS · no receiver of the workspace listens on port 443, so the server end is not known here');
    // Not an endpoint: the variable's own hover.
    assert.match(hoverAt('/ws/app/.env', 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? '', /^\*\*OTEL_EXPORTER_OTLP_ENDPOINT\*\*/);
  });
});

describe('the map and the diagnostics agree', () => {
  /** Codes that only the link computation reports (handshake, exporterToReceiver). */
  const LINK_CODES = new Set(['issuer-not-in-workspace', 'plaintext-endpoint', 'san-mismatch', 'cn-only', 'unknown-authority', 'missing-client-cert', 'no-listener', 'runtime-tls-override', 'weak-tls-version', 'no-shared-cipher', 'no-shared-curve', 'missing-eku', 'not-a-ca']);

  const cases: [string, () => Workspace][] = [
    ...['test/fixtures/e2e-workspace', 'examples'].map((folder): [string, () => Workspace] => [folder, () => workspace(fixture(folder))]),
    ['an agent and a gateway behind their Services, cert-manager Secrets, a name the Certificate lacks', () => workspace(layout('otel-agent', 'otel-gateway'), {}, { mapped: false })],
    [
      'the same with the issuer outside the workspace and an image CA file',
      () => workspace(layout('otel-agent', `otel-gateway.${NS}.svc`).filter((d) => d.path !== '/ws/issuers.yaml').map((d) => (d.path === '/ws/app.yaml' ? { ...d, text: d.text.replace('value: /etc/app/tls/ca.crt', 'value: /etc/ssl/otel/ca.crt') } : d)), {}, { mappings: [['/etc/ssl/otel', '/ws/certs']] }),
    ],
  ];
  for (const [name, make] of cases) {
    it(`${name}: every edge diagnostic is published as it is, and every published handshake problem is on an edge`, () => {
      const { service, parsed, map } = make();
      const published = new Set<string>();
      const handshake = new Set<string>();
      for (const file of parsed) {
        const document = TextDocument.create('file://' + file.path, 'plaintext', 0, file.text);
        for (const problem of service.validate({ path: file.path, text: file.text }, file)) {
          const start = document.positionAt(problem.offset);
          const key = `${file.path}:${start.line}:${start.character} ${problem.code} ${problem.message}`;
          published.add(key);
          // A link's problem sits on the client's endpoint, CA or client certificate: those of the handshake checks.
          if (LINK_CODES.has(problem.code) && problem.related !== undefined) handshake.add(key);
          if (problem.code === 'no-listener') handshake.add(key);
        }
      }
      const onEdges = new Set(map.edges.flatMap((e) => e.diagnostics.map((d) => `${d.path}:${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`)));
      for (const key of onEdges) assert.ok(published.has(key), `an edge shows a diagnostic that is not published: ${key}`);
      for (const key of handshake) assert.ok(onEdges.has(key), `a published handshake problem is on no edge: ${key}`);
      assert.ok(handshake.size > 0, 'the workspace has handshake problems to compare');
    });
    it(`${name}: the edges alone (the CLI's coverage) are the whole map's edges, verdicts and diagnostics included`, () => {
      const { service, map } = make();
      const edges = service.tlsMap({ edgesOnly: true });
      assert.ok(map.edges.length > 0 && map.edges.some((e) => Object.keys(e.certificates).length > 0), 'the map has edges with certificates');
      assert.deepEqual(edges.edges, map.edges.map((e) => ({ ...e, certificates: {} })));
      assert.deepEqual(edges.summary, map.summary);
      assert.deepEqual(edges.nodes, map.nodes.filter((n) => n.kind === 'external' || n.kind === 'unknown'));
      assert.deepEqual(coverage([], edges), coverage([], map));
    });
  }
});

describe('the TLS map of the deployment surfaces', () => {
  it("the OpenTelemetry demo's compose.yaml (upstream): every SDK service, each endpoint not known here", () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/upstream/open-telemetry/opentelemetry-demo/compose.yaml'), 'utf8');
    const { map } = workspace([{ path: '/ws/compose.yaml', text }]);
    // Its endpoints are `http://${OTEL_COLLECTOR_HOST}:…` from a .env the fixture does not hold; the otel-collector
    // service (OTEL_COLLECTOR_* variables only) configures no SDK and is not an app.
    const DEFAULT = "no endpoint is set here, so the SDK's default applies (http://localhost:4317 or :4318 by protocol; https://localhost for Go) unless the process gets one elsewhere";
    assert.deepEqual(describeMap(map), [
      'node app ad (traces,metrics,logs)',
      'node unknown target not known here',
      'node app cart (traces,metrics,logs)',
      'node app checkout (traces,metrics,logs)',
      'node app currency (traces,metrics,logs)',
      'node app email (traces,metrics,logs)',
      'node app frontend (traces,metrics,logs)',
      'node app frontend-proxy (traces,metrics,logs)',
      'node app image-provider (traces,metrics,logs)',
      'node app load-generator (traces,metrics,logs)',
      'node app payment (traces,metrics,logs)',
      'node app product-catalog (traces,metrics,logs)',
      'node app quote (traces,metrics,logs)',
      'node app recommendation (traces,metrics,logs)',
      'node app shipping (traces,metrics,logs)',
      'node app flagd (traces,metrics,logs)',
      'node app flagd-ui (traces,metrics,logs)',
      'node app telemetry-docs (traces,metrics,logs)',
      'edge ad [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:61',
      'edge cart [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:105',
      'edge checkout [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:146',
      'edge currency [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:198',
      'edge email [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:234',
      'edge frontend [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:275',
      `edge frontend-proxy [OTEL_EXPORTER_OTLP_ENDPOINT (not set)] -> target not known here | - unknown | unknown: ${DEFAULT}`,
      `edge image-provider [OTEL_EXPORTER_OTLP_ENDPOINT (not set)] -> target not known here | - unknown | unknown: ${DEFAULT}`,
      'edge load-generator [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:428',
      'edge payment [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:477',
      `edge product-catalog [OTEL_EXPORTER_OTLP_ENDPOINT (not set)] -> target not known here | - unknown | unknown: ${DEFAULT} | information env-ignored compose.yaml:529`,
      'edge quote [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:567',
      'edge recommendation [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:607',
      'edge shipping [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:649',
      `edge flagd [OTEL_EXPORTER_OTLP_ENDPOINT (not set)] -> target not known here | - unknown | unknown: ${DEFAULT}`,
      'edge flagd-ui [OTEL_EXPORTER_OTLP_ENDPOINT] -> target not known here | - unknown | unknown: the value of OTEL_EXPORTER_OTLP_ENDPOINT is not known here | information unresolved-substitution compose.yaml:714',
      `edge telemetry-docs [OTEL_EXPORTER_OTLP_ENDPOINT (not set)] -> target not known here | - unknown | unknown: ${DEFAULT}`,
    ]);
    assert.deepEqual(map.summary, { ok: 0, warning: 0, fails: 0, unknown: 17 });
  });

  it("the operator's instrumentation-java-tls test (upstream manifests): an Instrumentation, a Pod and the Deployment it is injected into against the OpenTelemetryCollector", () => {
    const { map } = workspace(fixture('test/fixtures/upstream/open-telemetry/opentelemetry-operator/tests/e2e-instrumentation/instrumentation-java-tls'));
    // The collector's certificates are keys of the Secret server-certs and the ConfigMap ca of the test, mounted in
    // its pod, and the Instrumentation's those of client-certs and ca: read through the mounts, the handshake is
    // judged and succeeds (the chainsaw test asserts it does). The Pod of 01-assert.yaml is a partial assertion whose
    // volumeMounts name no volume, so its files are not known here: paired through the operator's Service, not fully judged.
    assert.deepEqual(describeMap(map), [
      'node collector OpenTelemetryCollector simplest spec.config [otlp/grpc 0.0.0.0:4317 mtls; otlp/http 0.0.0.0:4318 mtls]',
      'node app Instrumentation java (traces,metrics)',
      'node app container myapp of Pod (unnamed) (traces,metrics,logs)',
      // The Deployment's container has no env of its own: inject-java gives it the Instrumentation's (and the Java agent),
      // with the operator's mounts of client-certs and ca: judged like the Instrumentation, and it succeeds.
      'node app container myapp of Deployment my-java (inject-java: Instrumentation java) (traces,metrics)',
      "edge Instrumentation java [spec.exporter.endpoint traces,metrics] -> OpenTelemetryCollector simplest spec.config otlp/http | http/protobuf mtls | ok: the handshake succeeds (Go's rules)",
      "edge container myapp of Pod (unnamed) [env[4] OTEL_EXPORTER_OTLP_ENDPOINT] -> OpenTelemetryCollector simplest spec.config otlp/grpc | grpc mtls | unknown: not fully judged: env[5] OTEL_EXPORTER_OTLP_CERTIFICATE did not load, so the verification of the server certificate is not judged; the client certificate (env[6] OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE) did not load, so receiver otlp (grpc) on 0.0.0.0:4317 in OpenTelemetryCollector simplest spec.config (00-install-collector.yaml) (through Service simplest-collector (made by the operator for OpenTelemetryCollector simplest), port 4317 → 4317)'s verification of it is not judged | information port-protocol-mismatch 01-assert.yaml:30, information container-path 01-assert.yaml:32, information container-path 01-assert.yaml:34, information container-path 01-assert.yaml:36",
      "edge container myapp of Deployment my-java (inject-java: Instrumentation java) [spec.exporter.endpoint traces,metrics] -> OpenTelemetryCollector simplest spec.config otlp/http | http/protobuf mtls | ok: the handshake succeeds (Go's rules)",
    ]);
  });

  it('a compose project with an agent and a gateway that both listen on 4317: each host is a service name, so each client pairs with its own', async () => {
    const files = await generateDevCertificates({ hosts: ['agent', 'gateway'], clients: [], algorithm: 'ecdsa-p256', days: 365, now: new Date('2026-05-01T00:00:00Z') });
    const certs = Object.fromEntries(files.map((f) => [`/ws/p/certs/${f.name}`, { contents: f.contents, mode: f.name.endsWith('.key') ? 0o600 : 0o644 }]));
    const collectorService = (name: string) => `  ${name}:\n    image: otel/opentelemetry-collector-contrib\n    command: ["--config=/etc/otelcol/config.yaml"]\n    volumes:\n      - ./${name}/collector.yaml:/etc/otelcol/config.yaml:ro\n      - ./certs:/etc/otelcol/certs:ro\n`;
    const compose = `services:\n${collectorService('agent')}${collectorService('gateway')}  shop:\n    image: example/shop\n    environment:\n      - OTEL_SERVICE_NAME=shop\n      - OTEL_EXPORTER_OTLP_PROTOCOL=grpc\n      - OTEL_EXPORTER_OTLP_ENDPOINT=https://agent:4317\n      - OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/ca.crt\n    volumes:\n      - ./certs:/etc/otel/certs:ro\n`;
    const receiver = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: /etc/otelcol/certs/server.crt\n          key_file: /etc/otelcol/certs/server.key\n';
    const agent = `${receiver}exporters:\n  otlp/gateway:\n    endpoint: gateway:4317\n    tls:\n      ca_file: /etc/otelcol/certs/ca.crt\n`;
    const gateway = `${receiver}exporters:\n  debug: {}\n`;
    const { map } = workspace([{ path: '/ws/p/compose.yaml', text: compose }, { path: '/ws/p/agent/collector.yaml', text: agent }, { path: '/ws/p/gateway/collector.yaml', text: gateway }], certs, { mapped: false });
    assert.deepEqual(describeMap(map).filter((l) => l.startsWith('edge')), [
      "edge shop [OTEL_EXPORTER_OTLP_ENDPOINT] -> p/agent/collector.yaml otlp/grpc | grpc tls | ok: the handshake succeeds (Go's rules) | information mtls-not-enforced p/agent/collector.yaml:6",
      "edge p/agent/collector.yaml [otlp/gateway] -> p/gateway/collector.yaml otlp/grpc | grpc tls | ok: the handshake succeeds (Go's rules) | information mtls-not-enforced p/gateway/collector.yaml:6",
    ]);
    assert.deepEqual(map.edges.map((e) => e.via), ['compose service agent', 'compose service gateway']);
  });

  it('a compose project: the app service against the collector service whose config and certificates are bind-mounted', () => {
    const compose =
      'services:\n  otel-collector:\n    image: otel/opentelemetry-collector-contrib\n    command: ["--config=/etc/otelcol/config.yaml"]\n    volumes:\n      - ./otel/collector.yaml:/etc/otelcol/config.yaml:ro\n      - ./certs:/etc/otelcol/certs:ro\n' +
      '  shop:\n    image: example/shop\n    environment:\n      - OTEL_SERVICE_NAME=shop\n      - OTEL_EXPORTER_OTLP_PROTOCOL=grpc\n      - OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector:4317\n      - OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/ca.crt\n    volumes:\n      - ./certs:/etc/otel/certs:ro\n' +
      '  billing:\n    image: example/billing\n    env_file: billing.env\n    volumes:\n      - ./certs:/etc/otel/certs:ro\n';
    const collector = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: /etc/otelcol/certs/server.crt\n          key_file: /etc/otelcol/certs/server.key\nexporters:\n  debug: {}\n';
    const billing = 'OTEL_SERVICE_NAME=billing\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.observability.svc:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/certs/ca.crt\n';
    const { map } = workspace([
      { path: '/ws/compose.yaml', text: compose },
      { path: '/ws/otel/collector.yaml', text: collector },
      { path: '/ws/billing.env', text: billing },
    ]);
    // billing.env is drawn as part of the billing service that reads it (env_file), not on its own.
    assert.deepEqual(describeMap(map), [
      'node collector otel/collector.yaml [otlp/grpc 0.0.0.0:4317 tls]',
      'node app shop (traces,metrics,logs)',
      'node app billing (traces,metrics,logs)',
      'edge shop [OTEL_EXPORTER_OTLP_ENDPOINT] -> otel/collector.yaml otlp/grpc | grpc tls | fails: fails: san-mismatch | error san-mismatch compose.yaml:13, information mtls-not-enforced otel/collector.yaml:6',
      "edge billing [OTEL_EXPORTER_OTLP_ENDPOINT] -> otel/collector.yaml otlp/grpc | grpc tls | ok: the handshake succeeds (Go's rules) | information mtls-not-enforced otel/collector.yaml:6",
    ]);
    // The env_file's setting opens in the env file itself; the service's in compose.yaml.
    assert.equal(line(map.edges[1].client.location), 'billing.env:3');
    assert.equal(line(map.edges[0].client.location), 'compose.yaml:13');
    assert.equal(map.edges[0].certificates.server?.path, '/ws/certs/server.crt');
    // Hovering the endpoint in the env_file shows the edge of the service that reads it.
    const { service, parsed } = workspace([
      { path: '/ws/compose.yaml', text: compose },
      { path: '/ws/otel/collector.yaml', text: collector },
      { path: '/ws/billing.env', text: billing },
    ]);
    const document = TextDocument.create(URI.file('/ws/billing.env').toString(), 'dotenv', 1, billing);
    const hover = service.getHover(document, document.positionAt(billing.indexOf('https://otel-collector.observability') + 3), { path: '/ws/billing.env', parsed: parsed[2] });
    assert.equal((hover?.contents as { value: string } | undefined)?.value, "**TLS map**: → otlp (grpc) on 0.0.0.0:4317 in otel/collector.yaml · grpc · TLS · the handshake succeeds (Go's rules)");
  });
});

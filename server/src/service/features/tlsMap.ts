/**
 * The TLS map of the workspace: who sends telemetry to whom, over what, and whether each handshake
 * will succeed. Nodes are the apps (every app unit, whatever its source), the collectors (every
 * collector unit, with its OTLP listeners and exporters), external endpoints (a host and port no
 * listener of the workspace serves) and one "unknown" node (endpoints whose target is not known
 * here). Edges are the links of ../certificates/links.ts, the computation the handshake checks report
 * from, so an edge and the diagnostics never disagree: each edge carries the link's own problems and
 * the problems published on the settings the link reads (the client's endpoint, protocol, INSECURE,
 * CA and client pair, or its exporter's endpoint and tls block; the listener's endpoint and tls block),
 * and its verdict follows from them:
 * - `fails`: one of them is an error;
 * - `unknown`: not judged, or a step not verified (the reason says why);
 * - `warning`: one of them is a warning;
 * - `ok`: judged by Go's rules, every step verified, nothing above information.
 * Plain JSON (paths absolute, ranges as LSP ranges): it travels to the VS Code webview, and the CLI
 * writes it as Mermaid or DOT.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { FileAccess } from '../caches';
import { createCheckContext, type AppCheckContext, type CollectorCheckContext } from '../checks/check';
import { appLinks, exporterLinks, problemKey, type AppLink, type Link } from '../certificates/links';
import { ipText, type CertificateInfo } from '../certificates/certificateInfo';
import { receiverEnd, type ReceiverEnd } from '../certificates/receiverEnd';
import { relatedAt } from '../diagnostics';
import type { Problem, Severity } from '../languageTypes';
import { diagnosticCodes } from '../diagnosticCodes';
import { exportsOverOtlp, lookup, OTLP_PREFIX, SIGNALS, type AppSetting, type Signal } from '../model/appSettings';
import type { Listener, TlsBlock } from '../model/collector';
import type { PairedListener, WorkspaceApp, WorkspaceCollector, WorkspaceIndex } from '../model/workspace';
import { partAt, type AppUnit, type CollectorUnit } from '../model/units';
import { spanToFile } from '../sources/embedded';
import { nodeSpan, type AnyNode } from '../yaml/yamlNodes';
import type { AppNode, CollectorNode, MapCertificate, MapDiagnostic, MapEdge, MapListener, MapLocation, MapNode, MapExporter, Security, TlsMap, Verdict } from './tlsMapTypes';

export type { AppNode, CollectorNode, ExternalNode, MapCertificate, MapDiagnostic, MapEdge, MapExporter, MapListener, MapLocation, MapNode, Security, TlsMap, UnknownNode, Verdict } from './tlsMapTypes';

export interface TlsMapInput {
  caches: FileAccess['caches'];
  /** The runtime and settings each file is checked with (its `.otlp-tls.yaml` merged in), as validation uses them. */
  accessFor(path: string): FileAccess;
  workspace: WorkspaceIndex;
  /** The problems of a file as published (file offsets): the language service validates it. */
  problemsOf(path: string): readonly Problem[];
  /** Only the edges of the clients in these units (the endpoint hover); all when absent. */
  only?: (path: string, unit: AppUnit | CollectorUnit) => boolean;
  /**
   * Only the edges, as the whole map has them but for their certificates (empty): no app or collector node
   * (external and unknown targets are still nodes), for what counts the edges (./coverage.ts). Each edge's
   * verdict, reason and diagnostics are the whole map's: they come from its link and the published problems.
   */
  edgesOnly?: boolean;
}

export const UNKNOWN_NODE = 'unknown';

/** The map of the workspace (or of the clients `only` keeps). */
export function buildTlsMap(input: TlsMapInput): TlsMap {
  return new MapBuilder(input).build();
}

/** A span of a file: [start, end). */
type Span = [number, number];

/** Where a span of a unit is: its file (a part's own file for a setting read from another file), the file's text, and the span there. */
interface Place {
  path: string;
  text: string;
  offset: number;
  length: number;
  /** The label its unit's problems are published with (`container app of Deployment shop/checkout: …`); none inside a part. */
  label?: string;
  /** Where else it may be published: a part reported at a span of the app's own file (an injected Instrumentation) is, where its own file does not say the same. */
  alt?: Place;
}

/** The place of a span of an app unit: in its file, or in the file of the part that holds it (a compose env_file...). */
function appPlace(app: WorkspaceApp, offset: number, length: number): Place {
  const part = partAt(app.unit, offset);
  if (part) {
    const own: Place = { path: part.path, text: app.unit.text.slice(part.offset, part.offset + part.length), offset: offset - part.offset, length };
    if (!part.at) return own;
    return { path: app.path, text: app.text, ...spanToFile(app.unit.offsets, part.at.offset, part.at.length), ...(app.unit.label ? { label: app.unit.label } : {}), alt: { ...own, ...(part.label ? { label: part.label } : {}) } };
  }
  return { path: app.path, text: app.text, ...spanToFile(app.unit.offsets, offset, length), ...(app.unit.label ? { label: app.unit.label } : {}) };
}

function collectorPlace(collector: WorkspaceCollector, offset: number, length: number): Place {
  return { path: collector.path, text: collector.text, ...spanToFile(collector.unit.offsets, offset, length), ...(collector.unit.label ? { label: collector.unit.label } : {}) };
}

class MapBuilder {
  private readonly nodes = new Map<string, MapNode>();
  private readonly edges: MapEdge[] = [];
  private readonly problems = new Map<string, readonly Problem[]>();
  /** Problems some link reported, by file: they belong to their own link's edge only. */
  private readonly linkProblems = new Map<string, Set<string>>();
  private readonly clientEdges: { collect: () => void }[] = [];
  private readonly receivers = new Map<string, ReceiverEnd>();

  constructor(private readonly input: TlsMapInput) {}

  build(): TlsMap {
    const { workspace } = this.input;
    // The whole map draws every collector; a map of some units only (the endpoint hover) draws those its
    // edges touch, made at the end, so a hover does not load every listener's certificates of the workspace.
    const nodes = !this.input.edgesOnly;
    if (!this.input.only && nodes) for (const collector of workspace.collectors()) this.nodes.set(collectorId(collector), this.collectorNode(collector));
    for (const app of workspace.apps()) {
      if (!isSdkApp(app.unit)) continue;
      // A file another app reads as one of its parts (a compose env_file) is drawn as part of that app, as validation judges it.
      if (workspace.appsReading(app.path).length > 0) continue;
      if (this.input.only && !this.input.only(app.path, app.unit)) continue;
      if (nodes) this.nodes.set(appId(app), this.appNode(app));
      this.appEdges(app);
    }
    for (const collector of workspace.collectors()) {
      if (this.input.only && !this.input.only(collector.path, collector.unit)) continue;
      this.exporterEdges(collector);
    }
    for (const pending of this.clientEdges) pending.collect();
    if (this.input.only && nodes) {
      // Only the nodes the kept edges touch, the collectors first in workspace order (as in the whole map).
      const used = new Set(this.edges.flatMap((e) => [e.from, e.to]));
      const others = [...this.nodes].filter(([id]) => used.has(id));
      this.nodes.clear();
      for (const collector of workspace.collectors()) {
        const id = collectorId(collector);
        if (used.has(id) && !this.nodes.has(id)) this.nodes.set(id, this.collectorNode(collector));
      }
      for (const [id, node] of others) this.nodes.set(id, node);
    }
    const summary: Record<Verdict, number> = { ok: 0, warning: 0, fails: 0, unknown: 0 };
    for (const edge of this.edges) summary[edge.verdict]++;
    return { nodes: [...this.nodes.values()], edges: this.edges, summary };
  }

  // ---- nodes

  private collectorNode(collector: WorkspaceCollector): CollectorNode {
    const { unit } = collector;
    const listeners: MapListener[] = [];
    for (const listener of unit.model.listeners) {
      if (listener.protocol === 'other') continue;
      const end = this.receiver({ collector, listener });
      const leaf = end.end.certificates?.[0];
      listeners.push({
        id: listenerId({ collector, listener }),
        component: listener.component.id,
        protocol: listener.protocol,
        endpoint: listener.endpoint,
        security: serverSecurity(end),
        ...(leaf ? { certificate: certificate(leaf, end.certPath) } : {}),
        location: this.nodeLocation(collector, listener.anchor),
      });
    }
    const exporters: MapExporter[] = unit.model.exporters.map((exporter) => {
      const value = exporter.endpoint && this.scalar(exporter.endpoint.value);
      return { component: exporter.component.id, ...(value ? { endpoint: value } : {}), location: this.nodeLocation(collector, exporter.component.keyNode) };
    });
    const first = unit.model.listeners[0]?.component.keyNode ?? unit.model.exporters[0]?.component.keyNode ?? unit.model.components[0]?.keyNode;
    return {
      kind: 'collector',
      id: collectorId(collector),
      // A unit inside a larger file says which part (`ConfigMap otel/agent data.relay`); a plain config is its file.
      label: unit.label ?? this.fileLabel(collector.path, collector.unit.index, this.unitsIn(collector.path, 'collector')),
      file: this.relativePath(collector.path),
      location: first ? this.nodeLocation(collector, first) : this.location(collector.path, collector.text, 0, 0),
      problems: this.counts(collector.path),
      listeners,
      exporters,
    };
  }

  private appNode(app: WorkspaceApp): AppNode {
    const { unit } = app;
    const service = lookup(unit, 'OTEL_SERVICE_NAME')?.value;
    const first = lookup(unit, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? unit.settings[0];
    const file = this.fileLabel(app.path, unit.index, this.unitsIn(app.path, 'app'));
    return {
      kind: 'app',
      id: appId(app),
      // A unit inside a larger file says which part (`container app of Deployment shop/checkout`), a compose
      // service is known by its name; otherwise the name the SDK reports, else the file.
      label: unit.label ?? unit.service ?? service ?? file,
      ...(service ? { service } : {}),
      file: this.relativePath(app.path),
      location: this.settingLocation(app, first),
      problems: this.counts(app.path),
      signals: SIGNALS.filter((signal) => exportsOverOtlp(unit, signal)),
    };
  }

  private targetNode(link: Link): { id: string; listener?: string } {
    if (link.paired) return { id: collectorId(link.paired.collector), listener: listenerId(link.paired) };
    const host = link.endpoint?.host;
    if (host !== undefined && link.port !== undefined && link.candidates.length === 0) {
      const id = `external:${host}:${link.port}`;
      if (!this.nodes.has(id)) this.nodes.set(id, { kind: 'external', id, label: `${host.includes(':') ? `[${host}]` : host}:${link.port}`, host, port: link.port });
      return { id };
    }
    if (!this.nodes.has(UNKNOWN_NODE)) this.nodes.set(UNKNOWN_NODE, { kind: 'unknown', id: UNKNOWN_NODE, label: 'target not known here' });
    return { id: UNKNOWN_NODE };
  }

  // ---- edges

  private appEdges(app: WorkspaceApp): void {
    const context = this.context(app) as AppCheckContext;
    const { links, problems } = appLinks(context);
    for (const { problem } of problems) {
      const place = appPlace(app, problem.offset, problem.length);
      this.recordLinkProblem(place, problem);
      if (place.alt) this.recordLinkProblem(place.alt, problem);
    }
    // Signals that reach the same target through the same settings share one edge.
    const groups = new Map<string, AppLink[]>();
    for (const link of links) {
      const s = link.settings;
      const key = JSON.stringify([
        link.paired ? listenerId(link.paired) : this.targetKey(link),
        [s.endpoint, s.protocol, s.insecure, s.certificate, s.clientCertificate, s.clientKey].map((setting) => setting?.valueOffset ?? -1),
        link.unjudged ?? '',
      ]);
      groups.set(key, [...(groups.get(key) ?? []), link]);
    }
    for (const group of groups.values()) {
      const link = group[0];
      const signals = group.map((l) => l.signal);
      // The check's problems that these links found (merged across signals as published).
      const found = new Set(group.flatMap((l) => l.problems.map(problemKey)));
      const own = problems.filter((p) => p.signals.some((signal) => signals.includes(signal)) && found.has(problemKey(p.original))).map((p) => p.problem);
      const s = link.settings;
      // The settings the link reads, and OTEL_CONFIG_FILE, which replaces them when it names a declarative config.
      const settings = [s.endpoint, s.protocol, s.insecure, s.certificate, s.clientCertificate, s.clientKey, app.unit.configFile?.setting].filter((x): x is AppSetting => x !== undefined);
      const spans = settings.flatMap((setting) => {
        const place = appPlace(app, setting.nameOffset, setting.valueOffset + setting.valueLength - setting.nameOffset);
        return place.alt ? [place, place.alt] : [place];
      });
      const endpoint = s.endpoint;
      const clientLocation = endpoint ? this.placeLocation(appPlace(app, endpoint.valueOffset, endpoint.valueLength)) : this.appNodeLocation(app);
      this.edge(link, {
        from: appId(app),
        label: endpoint?.written ?? 'OTEL_EXPORTER_OTLP_ENDPOINT (not set)',
        signals,
        spans,
        own: own.map((problem) => ({ place: appPlace(app, problem.offset, problem.length), problem })),
        clientLocation,
        clientCertificateConfigured: !!(s.clientCertificate && s.clientKey),
      });
    }
  }

  private exporterEdges(collector: WorkspaceCollector): void {
    const context = this.context(collector) as CollectorCheckContext;
    const links = exporterLinks(context);
    for (const problem of links.flatMap((l) => l.problems)) this.recordLinkProblem(collectorPlace(collector, problem.offset, problem.length), problem);
    for (const link of links) {
      const spans: Place[] = [];
      const entry = link.entry;
      if (entry) {
        const key = nodeSpan(entry.keyNode);
        const value = nodeSpan(entry.value);
        if (key && value) spans.push(collectorPlace(collector, key[0], value[1] - key[0]));
      }
      const tls = link.exporter.tls && blockSpan(link.exporter.tls);
      if (tls) spans.push(collectorPlace(collector, tls[0], tls[1] - tls[0]));
      const valueSpan = entry ? nodeSpan(entry.value) : undefined;
      const anchor = valueSpan ?? nodeSpan(link.exporter.component.keyNode);
      const clientLocation = this.placeLocation(anchor ? collectorPlace(collector, anchor[0], anchor[1] - anchor[0]) : collectorPlace(collector, 0, 0));
      const perSignal = entry && entry.key !== 'endpoint' ? (/^(traces|metrics|logs)_endpoint$/.exec(entry.key)?.[1] as Signal | undefined) : undefined;
      this.edge(link, {
        from: collectorId(collector),
        label: entry && entry.key !== 'endpoint' ? `${link.exporter.component.id} ${entry.key}` : link.exporter.component.id,
        signals: perSignal ? [perSignal] : [...SIGNALS],
        spans,
        own: link.problems.map((problem) => ({ place: collectorPlace(collector, problem.offset, problem.length), problem })),
        clientLocation,
        clientCertificateConfigured: link.client ? link.client.certificates !== 'none' : false,
      });
    }
  }

  private edge(
    link: Link,
    client: {
      from: string;
      label: string;
      signals: Signal[];
      /** The spans of the settings the client reads. */
      spans: Place[];
      /** The link's own problems, with where each is published. */
      own: { place: Place; problem: Problem }[];
      clientLocation: MapLocation;
      clientCertificateConfigured: boolean;
    },
  ): void {
    const target = this.targetNode(link);
    const edge: MapEdge = {
      id: `${client.from}->${target.listener ?? target.id}:${client.label}`,
      from: client.from,
      to: target.id,
      ...(target.listener ? { listener: target.listener } : {}),
      ...(link.paired?.via ? { via: link.paired.via } : {}),
      client: { label: client.label, ...(link.value !== undefined ? { endpoint: link.value } : {}), signals: client.signals, location: client.clientLocation },
      ...(link.protocol ? { protocol: link.protocol } : {}),
      security: link.paired ? serverSecurity(link.receiver ?? this.receiver(link.paired)) : clientSecurity(link, client.clientCertificateConfigured),
      certificates: this.input.edgesOnly ? {} : this.certificates(link),
      verdict: 'ok',
      reason: '',
      diagnostics: [],
      location: client.clientLocation,
    };
    this.edges.push(edge);
    // The published problems are gathered once every link has recorded its own (they belong to their edge only).
    this.clientEdges.push({
      collect: () => {
        const diagnostics: MapDiagnostic[] = [];
        const seen = new Set<string>();
        const add = (path: string, text: string, problem: Problem) => {
          const key = `${path}\0${publishedKey(problem)}`;
          if (seen.has(key)) return;
          seen.add(key);
          const at = this.location(path, text, problem.offset, problem.length);
          diagnostics.push({ ...at, code: problem.code, severity: problem.severity ?? diagnosticCodes[problem.code].severity, message: problem.message });
        };
        // The link's own problems, as published where they sit (the client's file, or the part's).
        for (const { place, problem } of client.own) {
          for (const where of place.alt ? [place, place.alt] : [place]) {
            const published = asPublished(where, problem);
            const key = publishedKey(published);
            // As published; or folded into the one problem of its code on that range (../causes.ts: several listeners, one cause).
            const here = this.problemsOf(where.path);
            const same = here.find((p) => publishedKey(p) === key) ?? here.find((p) => p.code === published.code && p.offset === published.offset && p.length === published.length);
            if (same) {
              add(where.path, where.text, same);
              break;
            }
          }
        }
        this.within(client.spans, add);
        if (link.paired) this.within(listenerSpans(link.paired.collector, link.paired.listener), add);
        edge.diagnostics = diagnostics.sort(bySeverity);
        const errors = diagnostics.filter((d) => d.severity === 'error');
        const warnings = diagnostics.filter((d) => d.severity === 'warning');
        const notJudged = link.unjudged ?? (link.steps.length ? `not fully judged: ${link.steps.join('; ')}` : undefined);
        if (link.why) edge.why = link.why;
        if (errors.length) {
          edge.verdict = 'fails';
          edge.reason = `fails: ${codes(errors)}`;
        } else if (notJudged) {
          edge.verdict = 'unknown';
          edge.reason = notJudged;
          edge.why ??= STEPS_NOT_VERIFIED;
        } else if (warnings.length) {
          edge.verdict = 'warning';
          edge.reason = `succeeds with warnings: ${codes(warnings)}`;
        } else {
          edge.verdict = 'ok';
          edge.reason = link.tls?.usesTls === false ? 'succeeds in plaintext' : 'the handshake succeeds (Go\'s rules)';
        }
        const decisive = errors[0] ?? warnings[0];
        if (decisive) edge.location = { path: decisive.path, range: decisive.range };
      },
    });
  }

  private certificates(link: Link): MapEdge['certificates'] {
    const out: MapEdge['certificates'] = {};
    const server = link.receiver?.end.certificates?.[0];
    if (server) out.server = certificate(server, link.receiver?.certPath);
    const own = link.clientCertificateFile;
    const ownLeaf = own?.file.status === 'ok' ? own.file.parsed.certificates[0] : undefined;
    if (ownLeaf && own?.file.status === 'ok') out.client = certificate(ownLeaf, own.file.path);
    const trust = link.trustFile;
    if (trust) {
      const certificates = trust.file.status === 'ok' ? trust.file.parsed.certificates : [];
      out.trust = { subjects: certificates.map((c) => c.subject), ...(trust.file.status === 'ok' ? { path: trust.file.path } : {}) };
    } else if (link.tls?.usesTls && link.client?.roots === 'system') {
      out.trust = 'system';
    }
    return out;
  }

  /** The server end of a listener, as the links judge it (../certificates/receiverEnd.ts). */
  private receiver(paired: PairedListener): ReceiverEnd {
    const id = listenerId(paired);
    let end = this.receivers.get(id);
    if (!end) {
      end = receiverEnd(paired, this.input.accessFor(paired.collector.path));
      this.receivers.set(id, end);
    }
    return end;
  }

  // ---- published problems

  private problemsOf(path: string): readonly Problem[] {
    let problems = this.problems.get(path);
    if (!problems) {
      problems = this.input.problemsOf(path);
      this.problems.set(path, problems);
    }
    return problems;
  }

  private recordLinkProblem(place: Place, problem: Problem): void {
    const keys = this.linkProblems.get(place.path) ?? new Set<string>();
    keys.add(publishedKey(asPublished(place, problem)));
    this.linkProblems.set(place.path, keys);
  }

  /** The published problems inside one of `spans` (each in its own file), but for those of some link (they are their own edge's). */
  private within(spans: Place[], add: (path: string, text: string, problem: Problem) => void): void {
    for (const path of new Set(spans.map((s) => s.path))) {
      const here = spans.filter((s) => s.path === path);
      const owned = this.linkProblems.get(path);
      for (const problem of this.problemsOf(path)) {
        if (owned?.has(publishedKey(problem))) continue;
        const end = problem.offset + problem.length;
        if (here.some((span) => problem.offset >= span.offset && end <= span.offset + span.length)) add(path, here[0].text, problem);
      }
    }
  }

  private counts(path: string): { errors: number; warnings: number } {
    const problems = this.problemsOf(path);
    const severity = (p: Problem) => p.severity ?? diagnosticCodes[p.code].severity;
    return { errors: problems.filter((p) => severity(p) === 'error').length, warnings: problems.filter((p) => severity(p) === 'warning').length };
  }

  // ---- places and names

  private context(unit: WorkspaceApp | WorkspaceCollector) {
    const { workspace } = this.input;
    const mounts = unit.unit.kind === 'collector' ? workspace.mountsOf(unit.path) : undefined;
    return createCheckContext(unit.unit, { path: unit.path, text: unit.text }, this.input.accessFor(unit.path), workspace, mounts);
  }

  private location(path: string, text: string, offset: number, length: number): MapLocation {
    const { range } = relatedAt(this.input.caches.lineTables, path, text, offset, length, '');
    return { path, range };
  }

  private nodeLocation(collector: WorkspaceCollector, node: AnyNode | undefined): MapLocation {
    const span = node ? nodeSpan(node) : undefined;
    return this.placeLocation(span ? collectorPlace(collector, span[0], span[1] - span[0]) : collectorPlace(collector, 0, 0));
  }

  private settingLocation(app: WorkspaceApp, setting: AppSetting | undefined): MapLocation {
    return this.placeLocation(setting ? appPlace(app, setting.nameOffset, setting.nameLength) : appPlace(app, 0, 0));
  }

  private placeLocation(place: Place): MapLocation {
    return this.location(place.path, place.text, place.offset, place.length);
  }

  private appNodeLocation(app: WorkspaceApp): MapLocation {
    return this.settingLocation(app, lookup(app.unit, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? app.unit.settings[0]);
  }

  private scalar(node: AnyNode): string | undefined {
    const value = (node as { value?: unknown } | null)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  private targetKey(link: Link): string {
    return link.endpoint?.host !== undefined && link.port !== undefined && link.candidates.length === 0 ? `external:${link.endpoint.host}:${link.port}` : `unknown:${link.candidates.map(listenerId).join(',')}`;
  }

  /** Units of each file by kind, counted once (a count per node walked every unit: files² over a workspace). */
  private unitCounts?: { app: Map<string, number>; collector: Map<string, number> };

  private unitsIn(path: string, kind: 'app' | 'collector'): number {
    if (!this.unitCounts) {
      const count = (units: readonly { path: string }[]) => {
        const counts = new Map<string, number>();
        for (const u of units) counts.set(u.path, (counts.get(u.path) ?? 0) + 1);
        return counts;
      };
      this.unitCounts = { app: count(this.input.workspace.apps()), collector: count(this.input.workspace.collectors()) };
    }
    return this.unitCounts[kind].get(path) ?? 0;
  }

  private fileLabel(path: string, index: number, unitsInFile: number): string {
    const file = this.relativePath(path);
    return unitsInFile > 1 ? `${file} #${index + 1}` : file;
  }

  /** `path` relative to the workspace folder that holds it; absolute when none does. */
  relativePath(path: string): string {
    for (const root of this.input.accessFor(path).settings.workspaceRoots) {
      const rel = relative(root, path);
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
    }
    return path;
  }
}

/**
 * Whether an app unit configures an OpenTelemetry SDK: it sets an OTEL_EXPORTER_OTLP_* variable or
 * OTEL_SERVICE_NAME. Other OTEL_* names (a collector container's OTEL_COLLECTOR_HOST) configure no exporter.
 */
function isSdkApp(unit: AppUnit): boolean {
  const sdk = (s: AppSetting) => s.name.startsWith(OTLP_PREFIX) || s.name === 'OTEL_SERVICE_NAME';
  return unit.configFile !== undefined || unit.settings.some(sdk) || (unit.ignored ?? []).some(sdk);
}

function appId(app: WorkspaceApp): string {
  return `app:${app.path}#${app.unit.index}`;
}

function collectorId(collector: WorkspaceCollector): string {
  return `collector:${collector.path}#${collector.unit.index}`;
}

function listenerId(paired: PairedListener): string {
  return `${collectorId(paired.collector)}/${paired.listener.component.id}/${paired.listener.protocol}`;
}

/** What a listener serves (a paired link's security: what the server asks for, whatever the client tries). */
function serverSecurity(receiver: ReceiverEnd): Exclude<Security, 'unknown'> {
  return !receiver.end.tls ? 'plaintext' : receiver.end.requiresClientCert ? 'mtls' : 'tls';
}

/** What an unpaired client asks for. */
function clientSecurity(link: Link, clientCertificateConfigured: boolean): Security {
  if (!link.tls) return 'unknown';
  return !link.tls.usesTls ? 'plaintext' : clientCertificateConfigured ? 'mtls' : 'tls';
}

function certificate(cert: CertificateInfo, path: string | undefined): MapCertificate {
  return {
    subject: cert.subject,
    sans: [...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.ipAddresses.map((ip) => `IP:${ipText(ip)}`)],
    notAfter: cert.notAfter.toISOString().slice(0, 10),
    ...(path ? { path } : {}),
  };
}

/** The spans of a listener's settings in its file: its endpoint (or protocol key) and its tls block. */
function listenerSpans(collector: WorkspaceCollector, listener: Listener): Place[] {
  const spans: Place[] = [];
  const anchor = nodeSpan(listener.anchor);
  if (anchor) spans.push(collectorPlace(collector, anchor[0], anchor[1] - anchor[0]));
  const tls = listener.tls && blockSpan(listener.tls);
  if (tls) spans.push(collectorPlace(collector, tls[0], tls[1] - tls[0]));
  return spans;
}

/** A tls block from its key to the end of its value (unit offsets). */
function blockSpan(block: TlsBlock): Span | undefined {
  const key = block.keyNode ? nodeSpan(block.keyNode) : undefined;
  const value = nodeSpan(block.node);
  if (key && value) return [key[0], Math.max(key[1], value[1])];
  return value ?? key;
}


/** A problem of a unit as the language service publishes it at `place` (languageService.ts: labelled units say which part). */
function asPublished(place: Place, problem: Problem): Problem {
  return { ...problem, offset: place.offset, length: place.length, message: place.label ? `${place.label}: ${problem.message}` : problem.message };
}

/** Why a judged link is not fully judged, in a few words. */
export const STEPS_NOT_VERIFIED = 'a file it needs did not load';

/** A published problem, by code, place (with its length) and message. */
function publishedKey(problem: Problem): string {
  return `${problem.code}@${problem.offset}:${problem.length}:${problem.message}`;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

function bySeverity(a: MapDiagnostic, b: MapDiagnostic): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function codes(diagnostics: MapDiagnostic[]): string {
  return [...new Set(diagnostics.map((d) => d.code))].join(', ');
}

/** The one-line text of an edge, for the endpoint hover and the CLI's formats: `→ receiver … · grpc · mTLS · fails: san-mismatch`. */
export function edgeLine(map: TlsMap, edge: MapEdge): string {
  const target = map.nodes.find((n) => n.id === edge.to);
  const listener = target?.kind === 'collector' ? target.listeners.find((l) => l.id === edge.listener) : undefined;
  const to = listener ? `${listener.component} (${listener.protocol}) on ${listener.endpoint} in ${target!.label}${edge.via ? ` (through ${edge.via})` : ''}` : target?.kind === 'external' ? `${target.label}, outside the workspace` : 'a target not known here';
  const parts = [edge.protocol, SECURITY_TEXT[edge.security]].filter(Boolean).join(' · ');
  return `→ ${to}${parts ? ` · ${parts}` : ''} · ${edge.reason}`;
}

export const SECURITY_TEXT: Record<Security, string> = { plaintext: 'plaintext', tls: 'TLS', mtls: 'mTLS', unknown: 'TLS unknown' };

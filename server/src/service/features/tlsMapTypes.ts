/**
 * The TLS map as data (built by ./tlsMap.ts): plain JSON that travels from the server to the VS Code
 * webview and to the CLI's Mermaid and DOT writers. Kept apart from the builder, with type imports
 * only, so the webview script (a browser bundle) can name these types without reaching server code.
 */
import type { Range } from 'vscode-languageserver-types';
import type { DiagnosticCode, Severity } from '../diagnosticCodes';
import type { Signal } from '../model/appSettings';

export type Verdict = 'ok' | 'warning' | 'fails' | 'unknown';
export type Security = 'plaintext' | 'tls' | 'mtls' | 'unknown';

/** A place in a file: absolute path and LSP range. */
export interface MapLocation {
  path: string;
  range: Range;
}

/** A diagnostic as published, where it is. */
export interface MapDiagnostic extends MapLocation {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
}

export interface MapCertificate {
  /** The leaf's subject (`CN=otel-collector, O=dev`). */
  subject: string;
  /** DNS and IP SANs (`DNS:otel-collector.observability.svc`, `IP:127.0.0.1`). */
  sans: string[];
  /** ISO date. */
  notAfter: string;
  /** The file it was read from. */
  path?: string;
}

export interface MapListener {
  id: string;
  /** The receiver (`otlp`, `otlp/internal`). */
  component: string;
  protocol: 'grpc' | 'http';
  endpoint: string;
  security: Exclude<Security, 'unknown'>;
  certificate?: MapCertificate;
  location: MapLocation;
}

export interface MapExporter {
  /** The exporter (`otlp_grpc/gateway`). */
  component: string;
  endpoint?: string;
  location: MapLocation;
}

interface NodeBase {
  id: string;
  /** What the node is called on the map. */
  label: string;
  /** The file, relative to the workspace folder it is in (absolute outside them). */
  file?: string;
  /** What clicking the node opens. */
  location?: MapLocation;
  /** Published problems of the node's file, by severity (the whole file). */
  problems?: { errors: number; warnings: number };
}

export interface AppNode extends NodeBase {
  kind: 'app';
  /** OTEL_SERVICE_NAME, when the unit sets it. */
  service?: string;
  /** The signals the app exports over OTLP. */
  signals: Signal[];
}

export interface CollectorNode extends NodeBase {
  kind: 'collector';
  listeners: MapListener[];
  exporters: MapExporter[];
}

export interface ExternalNode extends NodeBase {
  kind: 'external';
  host: string;
  port: number;
}

export interface UnknownNode extends NodeBase {
  kind: 'unknown';
}

export type MapNode = AppNode | CollectorNode | ExternalNode | UnknownNode;

export interface MapEdge {
  id: string;
  from: string;
  to: string;
  /** The listener of the target collector node, when it pairs with one. */
  listener?: string;
  /** How the client reaches that listener when a Kubernetes Service leads there: `Service observability/otel-collector, port 4317 → 4317`. */
  via?: string;
  /** The client side: the setting or exporter that sends. */
  client: {
    /** `OTEL_EXPORTER_OTLP_ENDPOINT`, `otlp_grpc/gateway`. */
    label: string;
    /** The endpoint as the client reads it. */
    endpoint?: string;
    /** The app signals on this edge (all of them for an exporter's `endpoint`). */
    signals: Signal[];
    location: MapLocation;
  };
  /** `grpc`, `http/protobuf`, `http/json`, `http`; undefined when not known. */
  protocol?: string;
  security: Security;
  certificates: {
    /** The certificate the listener presents. */
    server?: MapCertificate;
    /** The client's own certificate (mTLS). */
    client?: MapCertificate;
    /** The CAs the client trusts: its CA file's subjects, or `system`. */
    trust?: { subjects: string[]; path?: string } | 'system';
  };
  verdict: Verdict;
  /** One line: why the verdict. */
  reason: string;
  /** Why the handshake is not (fully) judged, in a few words (links.ts UNJUDGED, or that a file it needs did not load); undefined when it is. */
  why?: string;
  /** The diagnostics that decide the verdict, as published. */
  diagnostics: MapDiagnostic[];
  /** What clicking the edge opens: its most severe diagnostic, else the client's endpoint. */
  location: MapLocation;
}

export interface TlsMap {
  nodes: MapNode[];
  edges: MapEdge[];
  /** Edges by verdict. */
  summary: Record<Verdict, number>;
}

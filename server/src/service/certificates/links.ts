/**
 * Links: every OTLP client of the workspace (one signal of an app, one endpoint entry of a Collector
 * exporter) with the listener it pairs with and the predicted handshake. This is the one computation
 * behind the handshake checks (../checks/handshake.ts, ../checks/exporterToReceiver.ts), the TLS map
 * (../features/tlsMap.ts) and the endpoint hover, so the map and the diagnostics cannot disagree:
 * the checks report `problems` of these links and the map draws the same links.
 *
 * A link that is not judged says why (`unjudged`): no endpoint, a value not known here, no host and
 * port, no listener or several on the port (host names are not resolved: ./pairing.ts), a TLS choice
 * that cannot be told. A judged link lists the steps of the handshake it could not verify (`steps`:
 * a file that did not load), so "no problem" is never taken for "fine" when it is "not looked at".
 */
import type { Problem } from '../languageTypes';
import { isKnown, protocolValue, signalSettings, type AppSetting, type Signal, type SignalSettings } from '../model/appSettings';
import { blockLoadsFiles, clientTlsSettings, collectorClientTls, sdkClientTls, type TlsDecision } from '../model/clientTls';
import { endpointPath, type ExporterTarget } from '../model/collector';
import { connectPort, parseEndpoint, tlsScheme, type Endpoint } from '../model/endpoint';
import { isKnownSet, isTrue, readEntry, readSetting } from '../model/tlsValues';
import type { PairedListener } from '../model/workspace';
import { mergeSignals } from '../problems';
import { SDKS } from '../sdk/sdks';
import { tlsAsRead } from '../sdk/sdkEnv';
import { nodeSpan, type MapEntry } from '../yaml/yamlNodes';
import type { AppCheckContext, CollectorCheckContext } from '../checks/check';
import { listenerName, listenersFor, pairOf } from './pairing';
import { plaintextData, receiverEnd, relatedMessage, sanMismatchData, type ReceiverEnd } from './receiverEnd';
import { blockFiles, certificatesOf, settingReference, type CheckedReference } from './references';
import { systemRootsFor } from './systemRoots';
import { judgeHandshake, unjudgedSteps, type ClientEnd } from './verifyHandshake';

interface LinkBase {
  /** The endpoint as the client reads it (substitutions applied), when known. */
  value?: string;
  endpoint?: Endpoint;
  /** The port the client connects to. */
  port?: number;
  /** The receiver listeners on that port (other than in the client's own file for an exporter). */
  candidates: readonly PairedListener[];
  /** The listener it pairs with: the only one on its port. */
  paired?: PairedListener;
  /** `grpc`, `http/protobuf`, `http/json` (an SDK), `http` (a Collector OTLP/HTTP exporter); undefined when not known. */
  protocol?: string;
  /** Whether the client uses TLS, and why; undefined when it cannot be told. */
  tls?: TlsDecision;
  /** The client end as the handshake judgement saw it (paired links). */
  client?: ClientEnd;
  receiver?: ReceiverEnd;
  /** The client's trust file and certificate, when set (for the certificate names of the map). */
  trustFile?: CheckedReference;
  clientCertificateFile?: CheckedReference;
  /** Why the handshake is not judged at all; undefined when it is. */
  unjudged?: string;
  /** Steps of a judged handshake that could not be verified, and why. */
  steps: string[];
  /** The handshake problems, in the client unit's offsets, as the check reports them. */
  problems: Problem[];
}

/** One signal of an app unit. */
export interface AppLink extends LinkBase {
  kind: 'app';
  signal: Signal;
  settings: SignalSettings;
}

/** One endpoint entry (`endpoint`, `traces_endpoint`...) of an OTLP exporter of a collector unit. */
export interface ExporterLink extends LinkBase {
  kind: 'exporter';
  exporter: ExporterTarget;
  /** undefined for an exporter with no endpoint at all. */
  entry?: MapEntry;
}

export type Link = AppLink | ExporterLink;

export interface AppLinks {
  /** One per signal the app exports over OTLP. */
  links: AppLink[];
  /** The problems of the links, merged across signals as the handshake check reports them, with the signals that found each. */
  problems: { problem: Problem; signals: Signal[] }[];
}

/** The links of an app unit: each signal it exports over OTLP against the listener it pairs with. */
export function appLinks(context: AppCheckContext): AppLinks {
  const links: AppLink[] = [];
  const problems = mergeSignals(context.unit, (signal) => {
    const link = appLink(context, signal);
    links.push(link);
    return link.problems;
  });
  return { links, problems };
}

function appLink(context: AppCheckContext, signal: Signal): AppLink {
  const { unit, runtime, workspace, sdk } = context;
  const s = signalSettings(unit, signal);
  const link: AppLink = { kind: 'app', signal, settings: s, candidates: [], steps: [], problems: [] };
  const endpointSetting = s.endpoint;
  if (!endpointSetting) return { ...link, unjudged: `no endpoint is set for ${signal} here, so the SDK's default applies (http://localhost:4317 or :4318 by protocol; https://localhost for Go) unless the process gets one elsewhere` };
  if (!isKnown(endpointSetting)) return { ...link, unjudged: `the value of ${endpointSetting.written} is not known here` };
  const value = endpointSetting.value.trim();
  const endpoint = parseEndpoint(value);
  const port = connectPort(endpoint);
  if (port === undefined) return { ...link, value, endpoint, unjudged: `${endpointSetting.written} names no host and port` };
  const candidates = listenersFor(workspace, port);
  const paired = pairOf(candidates);
  // Unset: the named SDK's default, else the protocol of the listener it pairs with (the user's evident intent).
  const protocol = protocolValue(s) ?? (sdk ? SDKS[sdk].defaultProtocol : paired ? (paired.listener.protocol === 'grpc' ? 'grpc' : 'http/protobuf') : undefined);
  const tls = sdkClientTls(s, tlsScheme(endpoint), protocol ?? '', sdk);
  const trustFile = s.certificate ? settingReference(s.certificate, context.path, context) : undefined;
  const clientCertificateFile = s.clientCertificate ? settingReference(s.clientCertificate, context.path, context) : undefined;
  const base: AppLink = { ...link, value, endpoint, port, candidates, protocol, ...(tls ? { tls } : {}), ...(trustFile ? { trustFile } : {}), ...(clientCertificateFile ? { clientCertificateFile } : {}) };
  if (!paired) return { ...base, unjudged: unpaired(candidates, port) };
  if (!tls) return { ...base, paired, unjudged: `${endpointSetting.written} has no scheme and the protocol is ${protocol}: whether it uses TLS cannot be told (OTLP/HTTP needs http:// or https://)` };
  const receiver = receiverEnd(paired, context);
  // The TLS variables this SDK reads (a named .NET reads only the generic ones; see ../sdk/sdkEnv.ts).
  const read = tlsAsRead(unit, s, sdk, protocol === 'grpc' ? 'grpc' : 'http');
  const t = read.settings;
  const trust = t.certificate ? settingReference(t.certificate, context.path, context) : undefined;
  const own = t.clientCertificate && t.clientKey ? settingReference(t.clientCertificate, context.path, context) : undefined;
  const client: ClientEnd = {
    usesTls: tls.usesTls,
    tlsReason: tls.reason,
    host: endpoint.host!,
    roots: t.certificate ? certificatesOf(trust) : 'system',
    rootsSetting: t.certificate?.written ?? 'OTEL_EXPORTER_OTLP_CERTIFICATE',
    certificates: t.clientCertificate && t.clientKey ? certificatesOf(own) : 'none',
    clientCertSetting:
      read.clientPairIgnored ??
      (t.clientCertificate && t.clientKey ? `${t.clientCertificate.written}` : t.clientCertificate || t.clientKey ? `only ${(t.clientCertificate ?? t.clientKey)!.written} is set, without its pair` : 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and _CLIENT_KEY are not set'),
    sdk: true,
    now: runtime.now(),
  };
  const problems = judgeHandshake(client, receiver.end, systemRootsFor).map((finding) => {
    const anchor: AppSetting = (finding.anchor === 'ca' ? t.certificate : finding.anchor === 'client-cert' ? t.clientCertificate : undefined) ?? endpointSetting;
    const problem: Problem = {
      code: finding.code,
      offset: anchor.valueOffset,
      length: anchor.valueLength,
      message: finding.message,
      ...(finding.severity ? { severity: finding.severity } : {}),
      related: receiver.related(finding.related, relatedMessage(finding, receiver.end)),
    };
    const at = endpointSetting.locator;
    const data = finding.code === 'san-mismatch' ? sanMismatchData(client.host, receiver, context, at) : plaintextData(finding.code, tlsScheme(endpoint), true, at);
    if (data) problem.data = data;
    return problem;
  });
  const judged: AppLink = { ...base, paired, client, receiver, steps: unjudgedSteps(client, receiver.end), problems };
  // The files as this SDK reads them (a named .NET: the generic ones; Python gRPC without a CA: no client pair).
  delete judged.trustFile;
  delete judged.clientCertificateFile;
  if (trust) judged.trustFile = trust;
  if (own) judged.clientCertificateFile = own;
  return judged;
}

/** The links of a collector unit: each endpoint of each OTLP exporter against the listener of another config it pairs with. */
export function exporterLinks(context: CollectorCheckContext): ExporterLink[] {
  const links: ExporterLink[] = [];
  for (const exporter of context.model.exporters) {
    const entries = [exporter.endpoint, ...exporter.signalEndpoints].filter((e): e is MapEntry => e !== undefined);
    if (entries.length === 0) {
      links.push({ kind: 'exporter', exporter, protocol: exporter.protocol, candidates: [], steps: [], problems: [], unjudged: `${exporter.component.id} has no endpoint` });
      continue;
    }
    for (const entry of entries) links.push(exporterLink(context, exporter, entry));
  }
  return links;
}

function exporterLink(context: CollectorCheckContext, exporter: ExporterTarget, entry: MapEntry): ExporterLink {
  const { runtime, path, workspace, at } = context;
  const link: ExporterLink = { kind: 'exporter', exporter, entry, protocol: exporter.protocol, candidates: [], steps: [], problems: [] };
  const read = readEntry(entry, runtime.getEnv);
  if (read.unknown || typeof read.known !== 'string') return { ...link, unjudged: `${exporter.component.id}: the value of ${entry.key} is not known here` };
  const value = read.known.trim();
  const endpoint = parseEndpoint(value);
  const port = connectPort(endpoint);
  if (port === undefined) return { ...link, value, endpoint, unjudged: `${exporter.component.id}: ${entry.key} names no host and port` };
  const candidates = listenersFor(workspace, port, path);
  const paired = pairOf(candidates);
  const client = exporterClient(exporter, endpoint, entry, context);
  const base: ExporterLink = { ...link, value, endpoint, port, candidates, tls: client.tls, client: client.end, ...(client.ca ? { trustFile: client.ca } : {}), ...(client.cert ? { clientCertificateFile: client.cert } : {}) };
  if (!paired) return { ...base, unjudged: unpaired(candidates, port) };
  const receiver = receiverEnd(paired, context);
  const endpointAt = at(endpointPath(exporter, entry));
  const problems: Problem[] = [];
  for (const finding of judgeHandshake(client.end, receiver.end, systemRootsFor)) {
    const anchor = (finding.anchor === 'ca' ? client.caSpan : finding.anchor === 'client-cert' ? client.certSpan : undefined) ?? client.endpointSpan;
    if (!anchor) continue;
    const data = finding.code === 'san-mismatch' ? sanMismatchData(client.end.host, receiver, context, endpointAt) : plaintextData(finding.code, tlsScheme(endpoint), exporter.protocol !== 'grpc', endpointAt);
    problems.push({
      code: finding.code,
      offset: anchor[0],
      length: anchor[1] - anchor[0],
      message: `${exporter.component.id}: ${finding.message}`,
      ...(finding.severity ? { severity: finding.severity } : {}),
      related: receiver.related(finding.related, relatedMessage(finding, receiver.end)),
      ...(data ? { data } : {}),
    });
  }
  return { ...base, paired, receiver, steps: unjudgedSteps(client.end, receiver.end), problems };
}

function exporterClient(exporter: ExporterTarget, endpoint: Endpoint, endpointEntry: MapEntry, context: CollectorCheckContext) {
  const getEnv = context.runtime.getEnv;
  const block = exporter.tls;
  const get = (key: string) => (block ? readSetting(block, key, getEnv) : undefined);
  const tls = collectorClientTls(exporter.protocol, tlsScheme(endpoint), clientTlsSettings(block, getEnv));
  const files = block && blockLoadsFiles(block, getEnv) ? blockFiles(block, context, context.path) : undefined;
  const ca = files?.get('ca_file');
  const cert = files?.get('cert_file');
  const key = files?.get('key_file');
  const serverName = get('server_name_override');
  const host = serverName && !serverName.unknown && typeof serverName.known === 'string' && serverName.known ? serverName.known : endpoint.host!;
  const end: ClientEnd = {
    usesTls: tls.usesTls,
    tlsReason: tls.reason,
    host,
    roots: ca ? certificatesOf(ca) : isKnownSet(get('ca_pem')) ? undefined : 'system',
    rootsSetting: 'ca_file',
    certificates: cert && key ? certificatesOf(cert) : 'none',
    clientCertSetting: cert && key ? 'cert_file' : 'tls.cert_file and tls.key_file are not set',
    skipVerify: isTrue(get('insecure_skip_verify')),
    now: context.runtime.now(),
  };
  return {
    end,
    tls,
    ca,
    cert,
    endpointSpan: nodeSpan(endpointEntry.value),
    caSpan: ca ? ([ca.offset, ca.offset + ca.length] as [number, number]) : undefined,
    certSpan: cert ? ([cert.offset, cert.offset + cert.length] as [number, number]) : undefined,
  };
}

/** Why an endpoint on `port` pairs with none of `candidates` (none, or several). */
function unpaired(candidates: readonly PairedListener[], port: number): string {
  if (candidates.length === 0) return `no receiver of the workspace listens on port ${port}, so the server end is not known here`;
  return `${candidates.length} receivers of the workspace listen on port ${port} (${candidates.map(listenerName).join('; ')}); host names are not resolved, so which one it reaches is not known and the handshake is not judged`;
}

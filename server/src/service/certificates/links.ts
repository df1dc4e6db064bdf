/**
 * Links: every OTLP client of the workspace (one signal of an app, one endpoint entry of a Collector
 * exporter) with each listener it pairs with and the predicted handshake. This is the one computation
 * behind the handshake checks (../checks/handshake.ts, ../checks/exporterToReceiver.ts), the TLS map
 * (../features/tlsMap.ts) and the endpoint hover, so the map and the diagnostics cannot disagree:
 * the checks report `problems` of these links and the map draws the same links.
 *
 * Pairing is ./pairing.ts's, by host and port together: a host that names a Service of the workspace
 * pairs with the receivers behind it on the port it forwards to; any other host with every receiver
 * listener on the port. Each pair is judged (findings name the listener when there are several); none
 * is a link of its own, with the no-listener information where a TLS handshake is in question. A link
 * that is not judged says why (`unjudged`): no endpoint, a value not known here, no host and port, no
 * listener on the port (or a Service that leads to none), a TLS choice that cannot be told. A judged one
 * lists the steps of the handshake it could not verify (`steps`: a file that did not load; a chain to an
 * issuer whose CA is not in the workspace, names only known once rendered), so "no problem" never stands
 * for "not looked at".
 */
import type { Problem } from '../languageTypes';
import { isKnown, protocolValue, signalSettings, type AppSetting, type AppSettings, type RuntimeSetting, type Signal, type SignalSettings } from '../model/appSettings';
import { blockLoadsFiles, clientTlsSettings, collectorClientTls, sdkClientTls, type TlsDecision } from '../model/clientTls';
import { endpointPath, type ExporterTarget } from '../model/collector';
import { connectPort, parseEndpoint, tlsScheme, type Endpoint } from '../model/endpoint';
import { isKnownSet, isTrue, readEntry, readSetting } from '../model/tlsValues';
import type { PairedListener, WorkspaceIndex } from '../model/workspace';
import { mergeSignals } from '../problems';
import { SDKS, type SdkId } from '../sdk/sdks';
import { tlsAsRead } from '../sdk/sdkEnv';
import { nodeSpan, type MapEntry } from '../yaml/yamlNodes';
import type { AppCheckContext, CollectorCheckContext } from '../checks/check';
import { parseFileContents, type LoadedFile } from './certificateFiles';
import type { CertificateInfo } from './certificateInfo';
import { nodeCaView } from './opensslVerify';
import { listenersFor, noListenerMessage, noPairReason, type PairingTarget } from './pairing';
import { fileCause, keptReceiverEnd, plaintextData, readList, relatedMessage, sanMismatchData, type ReceiverEnd } from './receiverEnd';
import { blockFiles, certificatesOf, checkReference, settingReference, type CheckedReference } from './references';
import { readRuntime } from './runtimeTls';
import { rootCertificatesAsInfo } from './systemRoots';
import { judgeVirtual } from './virtualTrust';
import { unjudgedSteps, type ClientEnd, type HandshakeFinding, type SdkStack } from './verifyHandshake';

interface LinkBase {
  /** The endpoint as the client reads it (substitutions applied), when known. */
  value?: string;
  endpoint?: Endpoint;
  /** The port the client connects to. */
  port?: number;
  /** Every receiver listener the client reaches (./pairing.ts: through the Services its host names, else on its port; not the exporter's own unit): each is a link of its own. */
  candidates: readonly PairedListener[];
  /** The listener of this link; undefined when none listens on the port (or the target is not known). */
  paired?: PairedListener;
  /** `grpc`, `http/protobuf`, `http/json` (an SDK), `http` (a Collector OTLP/HTTP exporter); undefined when not known. */
  protocol?: string;
  /** Whether the client uses TLS, and why; undefined when it cannot be told. */
  tls?: TlsDecision;
  /** The client end as the handshake judgement saw it. */
  client?: ClientEnd;
  receiver?: ReceiverEnd;
  /** The client's trust file and certificate, when set (the map's certificate names). */
  trustFile?: CheckedReference;
  clientCertificateFile?: CheckedReference;
  /** Why the handshake is not judged at all; undefined when it is. */
  unjudged?: string;
  /** The same in a few words, one of UNJUDGED (the CLI's summary counts by it). */
  why?: Unjudged;
  /** Steps of a judged handshake that could not be verified, and why. */
  steps: string[];
  /** The problems of this link, in the client unit's offsets, as the check reports them. */
  problems: Problem[];
}

/** Why a link is not judged, in a few words (the CLI's summary counts links by it). */
export const UNJUDGED = {
  noEndpoint: 'no endpoint is set',
  unknownValue: 'its endpoint is not known here',
  noHostPort: 'its endpoint names no host and port',
  noListener: 'no listener on its port in the checked files',
  tlsUnknown: 'whether it uses TLS cannot be told',
} as const;
export type Unjudged = (typeof UNJUDGED)[keyof typeof UNJUDGED];

/** One signal of an app unit against one listener (or none). */
export interface AppLink extends LinkBase {
  kind: 'app';
  signal: Signal;
  settings: SignalSettings;
}

/** One endpoint entry (`endpoint`, `traces_endpoint`...) of an OTLP exporter of a collector unit, against one listener (or none). */
export interface ExporterLink extends LinkBase {
  kind: 'exporter';
  exporter: ExporterTarget;
  /** undefined for an exporter with no endpoint at all. */
  entry?: MapEntry;
}

export type Link = AppLink | ExporterLink;

export interface AppLinks {
  /** The links of every signal the app exports over OTLP. */
  links: AppLink[];
  /**
   * The links' problems as the handshake check reports them: one per place within a signal however many
   * listeners found it, merged across signals (`problem`, prefixed with its signals unless all), with
   * the problem as a link found it (`original`) and the signals that found it.
   */
  problems: { problem: Problem; original: Problem; signals: Signal[] }[];
}

/**
 * The links of an app unit: each signal it exports over OTLP against each listener it pairs with. A service
 * that lives for one moment (the CLI) keeps them by unit and settings (caches.ts `links`): its TLS map draws
 * the links its handshake checks judged.
 */
export function appLinks(context: AppCheckContext): AppLinks {
  const memo = context.caches.links;
  const kept = memo?.get(context.unit);
  if (kept && kept.settings === context.settings) return kept.links;
  const found = judgeAppLinks(context);
  memo?.set(context.unit, { settings: context.settings, links: found });
  return found;
}

function judgeAppLinks(context: AppCheckContext): AppLinks {
  const links: AppLink[] = [];
  // Signals read through the same settings (the generic ones, usually) are judged once: the judgement reads
  // only the settings, never the signal.
  const judged = new Map<string, AppLink[]>();
  const problems = mergeSignals(context.unit, (signal) => {
    const s = signalSettings(context.unit, signal);
    const key = [s.endpoint, s.protocol, s.insecure, s.certificate, s.clientKey, s.clientCertificate].map((x) => (x ? `${x.nameOffset}:${x.valueOffset}` : '-')).join(',');
    const same = judged.get(key);
    const found = same ? same.map((link) => ({ ...link, signal, settings: s })) : signalLinks(context, signal, s);
    if (!same) judged.set(key, found);
    links.push(...found);
    // One note per place, however many listeners share the port.
    const seen = new Set<string>();
    return found
      .flatMap((link) => link.problems)
      .filter((p) => {
        const key = problemKey(p);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  });
  return { links, problems };
}

/** The key that identifies a problem of a link within its unit (code, place and message). */
export function problemKey(problem: Problem): string {
  return `${problem.code}@${problem.offset}:${problem.message}`;
}

function signalLinks(context: AppCheckContext, signal: Signal, s: SignalSettings): AppLink[] {
  const { workspace, sdk } = context;
  const link: AppLink = { kind: 'app', signal, settings: s, candidates: [], steps: [], problems: [] };
  const endpointSetting = s.endpoint;
  if (!endpointSetting) return [{ ...link, why: UNJUDGED.noEndpoint, unjudged: `no endpoint is set here, so the SDK's default applies (http://localhost:4317 or :4318 by protocol; https://localhost for Go) unless the process gets one elsewhere` }];
  if (!isKnown(endpointSetting)) {
    // Said, so that silence is not read as "judged and fine".
    // A source that knows why (a Kubernetes valueFrom) says it on the same value: that one is kept (../causes.ts).
    const problems: Problem[] = [
      { code: 'unresolved-substitution', offset: endpointSetting.valueOffset, length: endpointSetting.valueLength, message: unknownEndpointMessage(endpointSetting.written), cause: { code: 'unresolved-substitution', offset: endpointSetting.valueOffset, length: endpointSetting.valueLength, note: '' } },
    ];
    return [{ ...link, why: UNJUDGED.unknownValue, unjudged: `the value of ${endpointSetting.written} is not known here`, problems }];
  }
  const value = endpointSetting.value.trim();
  const endpoint = parseEndpoint(value);
  const port = connectPort(endpoint);
  if (port === undefined) return [{ ...link, value, endpoint, why: UNJUDGED.noHostPort, unjudged: `${endpointSetting.written} names no host and port` }];
  const target = { host: endpoint.host ?? '', port, namespace: context.container?.namespace };
  const candidates = listenersFor(workspace, target);
  const files = { trustFile: s.certificate && settingReference(s.certificate, context.path, context), clientCertificateFile: s.clientCertificate && settingReference(s.clientCertificate, context.path, context) };
  const base: AppLink = { ...link, value, endpoint, port, candidates, ...defined(files) };
  if (candidates.length === 0) {
    // Said where a TLS handshake is in question (an http:// endpoint has none to judge). The protocol
    // when unset: the named SDK's default, else the one the OTLP port stands for.
    const protocol = protocolValue(s) ?? (sdk ? SDKS[sdk].defaultProtocol : port === 4318 ? 'http/protobuf' : 'grpc');
    const tls = sdkClientTls(s, tlsScheme(endpoint), protocol, sdk);
    const problems: Problem[] = tls?.usesTls ? [{ code: 'no-listener', offset: endpointSetting.valueOffset, length: endpointSetting.valueLength, message: noListenerMessage(target, endpointSetting.written, workspace) }] : [];
    return [{ ...base, protocol, ...(tls ? { tls } : {}), problems, why: UNJUDGED.noListener, unjudged: unpaired(target, workspace) }];
  }
  return candidates.map((paired) => appLink(context, base, endpointSetting, endpoint, port, paired));
}

function appLink(context: AppCheckContext, base: AppLink, endpointSetting: AppSetting, endpoint: Endpoint, port: number, paired: PairedListener): AppLink {
  const { unit, runtime, sdk } = context;
  const s = base.settings;
  // Unset: the named SDK's default, else the protocol of the listener it pairs with (the user's evident intent).
  const protocol = protocolValue(s) ?? (sdk ? SDKS[sdk].defaultProtocol : paired.listener.protocol === 'grpc' ? 'grpc' : 'http/protobuf');
  const tls = sdkClientTls(s, tlsScheme(endpoint), protocol, sdk);
  if (!tls) return { ...base, paired, protocol, why: UNJUDGED.tlsUnknown, unjudged: `${endpointSetting.written} has no scheme and the protocol is ${protocol}: whether it uses TLS cannot be told (OTLP/HTTP needs http:// or https://)` };
  const receiver = keptReceiverEnd(paired, context);
  // The TLS variables this SDK reads (a named .NET reads only the generic ones; see ../sdk/sdkEnv.ts).
  const read = tlsAsRead(unit, s, sdk, protocol === 'grpc' ? 'grpc' : 'http');
  const t = read.settings;
  const trustFile = t.certificate && settingReference(t.certificate, context.path, context);
  const own = t.clientCertificate && t.clientKey ? settingReference(t.clientCertificate, context.path, context) : undefined;
  const runtimeTls = readRuntime(runtimeGetter(unit), {
    protocol: protocol === 'grpc' ? 'grpc' : 'http',
    certificateSet: !!t.certificate,
    load: (file) => certificatesOf(checkReference({ setting: 'runtime CA file', written: file, purpose: 'ca', loader: 'sdk' }, context.path, context)),
  });
  const client: ClientEnd = {
    usesTls: tls.usesTls,
    tlsReason: tls.reason,
    tlsFix: tls.fix,
    host: endpoint.host!,
    roots: t.certificate ? certificatesOf(trustFile) : 'system',
    ...nodeTrust(trustFile, context),
    rootsSetting: t.certificate?.written ?? 'OTEL_EXPORTER_OTLP_CERTIFICATE',
    certificates: t.clientCertificate && t.clientKey ? certificatesOf(own) : 'none',
    ...nodeClientChain(own, context),
    clientCertSetting:
      read.clientPairIgnored ??
      (t.clientCertificate && t.clientKey ? `${t.clientCertificate.written}` : t.clientCertificate || t.clientKey ? `only ${(t.clientCertificate ?? t.clientKey)!.written} is set, without its pair` : 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and _CLIENT_KEY are not set'),
    sdk: true,
    ...(sdk ? { stack: SDK_STACKS[sdk] } : {}),
    protocol: protocol === 'grpc' ? 'grpc' : 'http',
    runtime: runtimeTls.runtime,
    now: runtime.now(),
  };
  const problems: Problem[] = [];
  // The runtime's own TLS settings, on the setting that makes them (for the named SDK's stack only).
  for (const note of runtimeTls.notes) {
    if (sdk && !note.stacks.includes(SDK_STACKS[sdk])) continue;
    const setting = lastRuntimeSetting(unit, note.name);
    if (setting) problems.push({ code: 'runtime-tls-override', severity: note.severity, offset: setting.valueOffset, length: setting.valueLength, message: note.message });
  }
  // Which listener, when several share the port: after the message, so its first sentence stays short.
  const several = base.candidates.length > 1 ? `Found against ${receiver.end.name} (one of ${base.candidates.length} listeners on port ${port}).` : '';
  const findings = judgeVirtual(client, receiver.end, context.caches.virtual);
  for (const finding of findings) {
    const anchor: AppSetting = (finding.anchor === 'ca' ? t.certificate : finding.anchor === 'client-cert' ? t.clientCertificate : undefined) ?? endpointSetting;
    const problem: Problem = {
      code: finding.code,
      offset: anchor.valueOffset,
      length: anchor.valueLength,
      message: several ? `${finding.message} ${several}` : finding.message,
      ...(finding.severity ? { severity: finding.severity } : {}),
      related: receiver.related(finding.related, relatedMessage(finding, receiver.end)),
    };
    const cause = fileCause(finding, problem.related!, `${unit.label ? `${unit.label}: ` : ''}the handshake of ${endpointSetting.written} fails on this`);
    if (cause) problem.cause = cause;
    const at = endpointSetting.locator;
    const data = finding.code === 'san-mismatch' ? sanMismatchData(client.host, receiver, context, at) : plaintextData(finding.code, tlsScheme(endpoint), true, at);
    if (data) problem.data = data;
    problems.push(problem);
  }
  const steps = [...unjudgedSteps(client, receiver.end), ...virtualSteps(findings)];
  const note = notPredicted(steps, problems, receiver, endpointSetting.valueOffset, endpointSetting.valueLength, several);
  if (note) problems.push(note);
  const judged: AppLink = { ...base, paired, protocol, tls, client, receiver, steps, problems };
  // The files as this SDK reads them (a named .NET: the generic ones; Python gRPC without a CA: no client pair).
  delete judged.trustFile;
  delete judged.clientCertificateFile;
  return { ...judged, ...defined({ trustFile, clientCertificateFile: own }) };
}

/** The TLS stack each named SDK runs on. */
const SDK_STACKS: Record<SdkId, SdkStack> = { go: 'go', js: 'node', python: 'python', java: 'java', 'java-agent': 'java', dotnet: 'dotnet', 'dotnet-auto': 'dotnet' };

/** The runtime settings of the app, as its process sees them (the last one wins; unknown values are unset). */
function runtimeGetter(unit: AppSettings): (name: string) => string | undefined {
  return (name) => {
    const setting = lastRuntimeSetting(unit, name);
    return setting?.value !== undefined && setting.value !== '' ? setting.value : undefined;
  };
}

function lastRuntimeSetting(unit: AppSettings, name: string): RuntimeSetting | undefined {
  const list = unit.runtime ?? [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i].name === name) return list[i];
  return undefined;
}

/** The CA file as Node reads it, when that differs from the certificates Go reads (./opensslVerify.ts nodeCaView). */
function nodeTrust(reference: CheckedReference | undefined, context: AppCheckContext): Pick<ClientEnd, 'nodeRoots'> {
  if (reference?.file.status !== 'ok') return {};
  const parsed = nodeParsed(reference.file, context);
  const view = nodeCaView(parsed.certificates, parsed.badCertificates.map((b) => b.index));
  return view.length === reference.file.parsed.certificates.length && parsed === reference.file.parsed ? {} : { nodeRoots: view };
}

/** The file as Node reads it: OpenSSL's PEM reader skips a leading byte order mark, which hides the first block from Go. */
function nodeParsed(file: Extract<LoadedFile, { status: 'ok' }>, context: AppCheckContext) {
  if (!file.parsed.bom) return file.parsed;
  try {
    return parseFileContents(context.runtime.fileSystem.readFile(file.path).subarray(3));
  } catch {
    return file.parsed;
  }
}

/** The client certificate chain as Node reads it, when that differs from Go's reading (a byte order mark). */
function nodeClientChain(reference: CheckedReference | undefined, context: AppCheckContext): Pick<ClientEnd, 'nodeCertificates'> {
  if (reference?.file.status !== 'ok' || !reference.file.parsed.bom) return {};
  const certificates = nodeParsed(reference.file, context).certificates;
  return certificates.length ? { nodeCertificates: certificates } : {};
}

/** The links of a collector unit: each endpoint of each OTLP exporter against each listener of another config it pairs with. */
export function exporterLinks(context: CollectorCheckContext): ExporterLink[] {
  const links: ExporterLink[] = [];
  for (const exporter of context.model.exporters) {
    const entries = [exporter.endpoint, ...exporter.signalEndpoints].filter((e): e is MapEntry => e !== undefined);
    if (entries.length === 0) {
      links.push({ kind: 'exporter', exporter, protocol: exporter.protocol, candidates: [], steps: [], problems: [], why: UNJUDGED.noEndpoint, unjudged: `${exporter.component.id} has no endpoint` });
      continue;
    }
    for (const entry of entries) links.push(...entryLinks(context, exporter, entry));
  }
  return links;
}

function entryLinks(context: CollectorCheckContext, exporter: ExporterTarget, entry: MapEntry): ExporterLink[] {
  const { runtime, path, workspace, at, unit } = context;
  const link: ExporterLink = { kind: 'exporter', exporter, entry, protocol: exporter.protocol, candidates: [], steps: [], problems: [] };
  const read = readEntry(entry, runtime.getEnv);
  if (read.unknown || typeof read.known !== 'string') {
    const span = nodeSpan(entry.value);
    const problems: Problem[] = read.unknown && span ? [{ code: 'unresolved-substitution', offset: span[0], length: span[1] - span[0], message: `${exporter.component.id}: ${unknownEndpointMessage(entry.key)}` }] : [];
    return [{ ...link, why: UNJUDGED.unknownValue, unjudged: `${exporter.component.id}: the value of ${entry.key} is not known here`, problems }];
  }
  const value = read.known.trim();
  const endpoint = parseEndpoint(value);
  const port = connectPort(endpoint);
  if (port === undefined) return [{ ...link, value, endpoint, why: UNJUDGED.noHostPort, unjudged: `${exporter.component.id}: ${entry.key} names no host and port` }];
  // Another collector unit of the same file (a manifest's) pairs; the exporter's own unit does not.
  const self = { path, index: unit.index };
  const target = { host: endpoint.host ?? '', port, namespace: context.container?.namespace };
  const candidates = listenersFor(workspace, target, self);
  const client = exporterClient(exporter, endpoint, entry, context);
  const base: ExporterLink = { ...link, value, endpoint, port, candidates, tls: client.tls, client: client.end, ...defined({ trustFile: client.ca, clientCertificateFile: client.cert }) };
  if (candidates.length === 0) {
    // Only where pairing is expected (other configs with listeners are open) and TLS is in question:
    // a lone config exporting to a backend outside the workspace is common.
    const othersListen = workspace.hasListeners(self);
    const problems: Problem[] =
      othersListen && client.endpointSpan && client.end.usesTls
        ? [{ code: 'no-listener', offset: client.endpointSpan[0], length: client.endpointSpan[1] - client.endpointSpan[0], message: `${exporter.component.id}: ${noListenerMessage(target, 'The endpoint', workspace)}` }]
        : [];
    return [{ ...base, problems, why: UNJUDGED.noListener, unjudged: unpaired(target, workspace) }];
  }
  const endpointAt = at(endpointPath(exporter, entry));
  return candidates.map((paired) => {
    const receiver = keptReceiverEnd(paired, context);
    // receiver.end.name is listenerName's, as receiverEnd names it.
    const several = candidates.length > 1 ? `Found against ${receiver.end.name} (one of ${candidates.length} listeners on port ${port}).` : '';
    const problems: Problem[] = [];
    const findings = judgeVirtual(client.end, receiver.end, context.caches.virtual);
    for (const finding of findings) {
      const anchor = (finding.anchor === 'ca' ? client.caSpan : finding.anchor === 'client-cert' ? client.certSpan : undefined) ?? client.endpointSpan;
      if (!anchor) continue;
      const data = finding.code === 'san-mismatch' ? sanMismatchData(client.end.host, receiver, context, endpointAt) : plaintextData(finding.code, tlsScheme(endpoint), exporter.protocol !== 'grpc', endpointAt);
      const related = receiver.related(finding.related, relatedMessage(finding, receiver.end));
      const cause = fileCause(finding, related, `${unit.label ? `${unit.label}: ` : ''}the handshake of ${exporter.component.id} fails on this`);
      problems.push({
        code: finding.code,
        offset: anchor[0],
        length: anchor[1] - anchor[0],
        message: `${exporter.component.id}: ${finding.message}${several ? ` ${several}` : ''}`,
        ...(finding.severity ? { severity: finding.severity } : {}),
        related,
        ...(data ? { data } : {}),
        ...(cause ? { cause } : {}),
      });
    }
    const steps = [...unjudgedSteps(client.end, receiver.end), ...virtualSteps(findings)];
    const note = client.endpointSpan && notPredicted(steps, problems, receiver, client.endpointSpan[0], client.endpointSpan[1] - client.endpointSpan[0], several);
    if (note) problems.push({ ...note, message: `${exporter.component.id}: ${note.message}` });
    return { ...base, paired, receiver, steps, problems };
  });
}

/**
 * The steps a judgement on certificates that cert-manager will issue could not verify (./virtualTrust.ts):
 * a chain to an issuer whose CA is not in the workspace, names only known once a template is rendered.
 * They are information diagnostics too, and they keep the map from calling such an edge verified.
 */
function virtualSteps(findings: readonly HandshakeFinding[]): string[] {
  return findings.filter((f) => f.code === 'issuer-not-in-workspace' || f.code === 'unresolved-substitution').map((f) => f.step ?? f.message);
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
    tlsFix: tls.fix,
    host,
    protocol: exporter.protocol === 'grpc' ? 'grpc' : 'http',
    // include_system_ca_certs_pool: the system roots and the CA file (configtls loadCACertPool); only with a CA.
    roots: ca ? withSystem(certificatesOf(ca), isTrue(get('include_system_ca_certs_pool'))) : isKnownSet(get('ca_pem')) ? undefined : 'system',
    rootsSetting: 'ca_file',
    certificates: cert && key ? certificatesOf(cert) : 'none',
    clientCertSetting: cert && key ? 'cert_file' : 'tls.cert_file and tls.key_file are not set',
    skipVerify: isTrue(get('insecure_skip_verify')),
    now: context.runtime.now(),
  };
  for (const key of ['min_version', 'max_version'] as const) {
    const v = get(key);
    if (v && !v.unknown && v.known !== undefined && v.known !== '') end[key === 'min_version' ? 'minVersion' : 'maxVersion'] = String(v.known);
  }
  if (block) {
    const suites = readList(block, 'cipher_suites', getEnv);
    if (suites) end.cipherSuites = suites.values;
    const curves = readList(block, 'curve_preferences', getEnv);
    if (curves) end.curvePreferences = curves.values;
  }
  return {
    end,
    tls,
    ca,
    cert: cert && key ? cert : undefined,
    endpointSpan: nodeSpan(endpointEntry.value),
    caSpan: ca ? ([ca.offset, ca.offset + ca.length] as [number, number]) : undefined,
    certSpan: cert ? ([cert.offset, cert.offset + cert.length] as [number, number]) : undefined,
  };
}

/** A CA pool that starts from the system roots (include_system_ca_certs_pool: true), with the CA file's certificates. */
function withSystem(certificates: CertificateInfo[] | undefined, includeSystem: boolean): CertificateInfo[] | undefined {
  if (!certificates || !includeSystem) return certificates;
  return [...certificates, ...rootCertificatesAsInfo()];
}

/** The information on an endpoint whose value is not known here (a variable the checker does not have). */
function unknownEndpointMessage(written: string): string {
  return `This endpoint is not known here, so its handshake is not predicted: give the checker its variables. ${written} is not known here; set its variables in the checker's environment, or in environment: of .otlp-tls.yaml, to have it judged.`;
}

/**
 * The information that a paired handshake is not fully predicted because a file of the receiver did not
 * load (its cert_file or client_ca_file: not found, a container path, not known here): the client's file
 * says so, since the receiver's own diagnostic is in another file. Steps about the client's own files are
 * not repeated: their own diagnostics sit on the client's settings. Not said when an error already fails it.
 */
function notPredicted(steps: string[], problems: Problem[], receiver: ReceiverEnd, offset: number, length: number, several: string): Problem | undefined {
  // The steps verifyHandshake.ts unjudgedSteps words about the server end's files.
  const serverSteps = steps.filter((step) => step.startsWith('the server certificate of ') || step.startsWith('client_ca_file of '));
  if (serverSteps.length === 0 || problems.some((p) => (p.severity ?? 'error') === 'error')) return undefined;
  const anchor = serverSteps.some((step) => step.startsWith('client_ca_file of ')) ? 'client_ca_file' : 'cert_file';
  return {
    code: 'handshake-not-predicted',
    offset,
    length,
    message: `The handshake is not fully predicted: a file of the receiver did not load. Its own diagnostic says why. ${capitalize(serverSteps.join('; '))}.${several ? ` ${several}` : ''}`,
    related: receiver.related(anchor, anchor === 'cert_file' ? `the server certificate of ${receiver.end.name}` : `${receiver.end.name} verifies client certificates with this CA`),
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why an endpoint on `port` pairs with no listener. */
function unpaired(target: PairingTarget, workspace: WorkspaceIndex): string {
  const why = noPairReason(target, workspace);
  return why.startsWith('none listens') ? `no receiver of the workspace listens on port ${target.port}, so the server end is not known here` : `no receiver of the workspace serves ${target.host}:${target.port} (${why}), so the server end is not known here`;
}

/** The entries of `files` that are set. */
function defined(files: { trustFile?: CheckedReference | ''; clientCertificateFile?: CheckedReference | '' }): { trustFile?: CheckedReference; clientCertificateFile?: CheckedReference } {
  return { ...(files.trustFile ? { trustFile: files.trustFile } : {}), ...(files.clientCertificateFile ? { clientCertificateFile: files.clientCertificateFile } : {}) };
}

/**
 * Hover: the schema description of a `tls:` key (by the block's role) and of an `OTEL_*` variable;
 * on a certificate or key path, a summary of the file (subject, issuer, SANs, validity with days
 * left against runtime.now(), key, key usage and EKU, SHA-256 fingerprint, and whether it is signed
 * by the CA configured next to it). Files are read through the certificate core's cache.
 */
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import type { Hover, Position } from 'vscode-languageserver-types';
import { loadReferencedFile, type LoadedFile } from '../certificates/certificateFiles';
import { ipText, keyDescription, type CertificateInfo } from '../certificates/certificateInfo';
import { checkSignatureFrom, ekuNames } from '../certificates/verifyHandshake';
import { COLLECTOR_CA_KEYS, certificatePaths, envFileVariable, envFileVariableName, readableHere, type CertificatePath } from '../certificates/certificatePaths';
import { rangeOf } from '../diagnostics';
import { lookup } from '../model/appSettings';
import type { TlsBlock } from '../model/collector';
import { readEntry } from '../model/tlsValues';
import { envVariableSchema, schemaDescription } from '../schemas';
import { SDKS, isSdkId } from '../sdk/sdks';
import { spanToFile } from '../sources/embedded';
import type { FeatureContext } from './featureContext';
import { containerFile } from '../certificates/containerFiles';
import { secretKeyLines } from './secretKeyHover';
import { buildTlsMap, edgeLine } from './tlsMap';
import { OTLP_PREFIX } from '../model/appSettings';
import { nodeSpan } from '../yaml/yamlNodes';

const DAY = 24 * 60 * 60 * 1000;

const ROLE_TEXT: Record<TlsBlock['role'], string> = {
  server: '**TLS server settings** (this component listens): `cert_file`/`key_file` are presented to clients; `client_ca_file` makes clients present a certificate (mTLS).',
  client: '**TLS client settings** (this component connects): `ca_file` verifies the server; `cert_file`/`key_file` are presented for mTLS.',
  either: '**TLS settings** (this component may listen or connect).',
  telemetry: "**Collector's own telemetry exporter** (SDK-style settings: `certificate`, `client_certificate`, `client_key`).",
};

export function hover(context: FeatureContext, position: Position): Hover | null {
  const { document, parsed, runtime } = context;
  const offset = document.offsetAt(position);
  const inside = (start: number, length: number) => offset >= start && offset <= start + length;

  const reference = certificatePaths(parsed, runtime).find((r) => inside(r.offset, r.length));
  if (reference) return markdown(fileSummary(context, reference), rangeOf(document, reference.offset, reference.length));

  const endpoint = endpointAt(context, offset);
  if (endpoint) {
    const lines = endpointEdges(context, endpoint.kind, endpoint.index, endpoint.offset, endpoint.length);
    if (lines.length) return markdown(lines.join('\n\n'), rangeOf(document, endpoint.offset, endpoint.length));
  }

  for (const unit of parsed.collectors) {
    // Node ranges are unit offsets; the cursor and the hover's range are file offsets.
    const at = (range: [number, number, number]) => spanToFile(unit.offsets, range[0], range[1] - range[0]);
    for (const block of unit.model.tlsBlocks) {
      const tlsKey = block.keyNode?.range && at(block.keyNode.range);
      if (tlsKey && inside(tlsKey.offset, tlsKey.length)) return markdown(`${ROLE_TEXT[block.role]}\n\n\`${block.component.id}\` › \`${block.path.join('.')}\``, rangeOf(document, tlsKey.offset, tlsKey.length));
      for (const entry of block.entries) {
        const range = entry.keyNode.range && at(entry.keyNode.range);
        if (entry.merged || !range || !inside(range.offset, range.length)) continue;
        const description = schemaDescription(block.schema, entry.key);
        if (!description) return null;
        return markdown(`**${entry.key}** — ${block.role === 'telemetry' ? 'telemetry exporter' : `TLS ${block.role}`}\n\n${description}`, rangeOf(document, range.offset, range.length));
      }
    }
  }
  for (const unit of parsed.apps) {
    const directive = unit.sdkDirective;
    const span = directive && spanToFile(unit.offsets, directive.offset, directive.length);
    if (directive && span && isSdkId(directive.id) && inside(span.offset, span.length)) {
      const facts = SDKS[directive.id];
      return markdown(
        `**${facts.label}** reads this file (\`# otlp-tls: sdk=\`, which overrides the \`otlpTls.sdk\` setting)\n\n` +
          `Default protocol \`${facts.defaultProtocol}\`; default endpoint \`${facts.defaultScheme}://localhost:${facts.defaultProtocol === 'grpc' ? 4317 : 4318}\`. ` +
          'Checks of this file judge the protocol, INSECURE and the TLS variables as this SDK reads them.',
        rangeOf(document, span.offset, span.length),
      );
    }
    for (const setting of unit.settings) {
      if (setting.origin) continue;
      const name = spanToFile(unit.offsets, setting.nameOffset, setting.nameLength);
      if (!inside(name.offset, name.length)) continue;
      const schema = envVariableSchema(setting.name);
      if (!schema) return null;
      const deprecated = schema.deprecated ? `\n\n*Deprecated*${schema['x-replacedBy'] ? `: use \`${schema['x-replacedBy']}\`` : ''}.` : '';
      const values = schema.enum ? `\n\nValues: ${schema.enum.map((v) => `\`${v}\``).join(', ')}` : '';
      return markdown(`**${setting.written}**\n\n${schema.description}${values}${deprecated}`, rangeOf(document, name.offset, name.length));
    }
  }
  return null;
}

/** The endpoint value under the cursor (an app's OTEL_EXPORTER_OTLP_*ENDPOINT, an exporter's endpoint entry), in file offsets. */
function endpointAt(context: FeatureContext, offset: number): { kind: 'app' | 'collector'; index: number; offset: number; length: number } | undefined {
  const inside = (span: { offset: number; length: number }) => offset >= span.offset && offset <= span.offset + span.length;
  for (const unit of context.parsed.apps) {
    for (const setting of unit.settings) {
      if (!setting.name.startsWith(OTLP_PREFIX) || !setting.name.endsWith('ENDPOINT') || setting.valueLength === 0) continue;
      const span = spanToFile(unit.offsets, setting.valueOffset, setting.valueLength);
      if (inside(span)) return { kind: 'app', index: unit.index, ...span };
    }
  }
  for (const unit of context.parsed.collectors) {
    for (const exporter of unit.model.exporters) {
      for (const entry of [exporter.endpoint, ...exporter.signalEndpoints]) {
        const range = entry && nodeSpan(entry.value);
        if (!range) continue;
        const span = spanToFile(unit.offsets, range[0], range[1] - range[0]);
        if (inside(span)) return { kind: 'collector', index: unit.index, ...span };
      }
    }
  }
  return undefined;
}

/**
 * One line per edge of the TLS map that leaves from this endpoint: what it pairs with and the verdict
 * (the map's own computation, restricted to this unit's clients).
 */
function endpointEdges(context: FeatureContext, kind: 'app' | 'collector', index: number, offset: number, length: number): string[] {
  // A file other apps read as a part (a compose env_file) is drawn as part of them: their edges start here too.
  const readers = kind === 'app' ? context.workspace.appsReading(context.path) : [];
  const map = buildTlsMap({
    ...context,
    only: (path, unit) => (path === context.path && unit.kind === kind && unit.index === index) || readers.some((reader) => reader.path === path && reader.unit === unit),
  });
  const start = context.document.positionAt(offset);
  const end = context.document.positionAt(offset + length);
  const here = map.edges.filter((edge) => {
    const at = edge.client.location;
    return at.path === context.path && at.range.start.line === start.line && at.range.start.character === start.character && at.range.end.line === end.line && at.range.end.character === end.character;
  });
  return here.map((edge) => `**TLS map**${kind === 'app' && edge.client.signals.length < 3 ? ` (${edge.client.signals.join(', ')})` : ''}: ${edgeLine(map, edge)}`);
}

function markdown(value: string, range: Hover['range']): Hover {
  return { contents: { kind: 'markdown', value }, range };
}

function fileSummary(context: FeatureContext, reference: CertificatePath): string {
  const head = `**${reference.setting}**`;
  if (!reference.written) return `${head}\n\nThe path depends on a variable that is not known here.`;
  if (!readableHere(reference, context.settings)) return containerSummary(context, reference, head);
  const file = loadReferencedFile(context, reference.written, context.path);
  if (file.status !== 'ok') return `${head}\n\n${problemText(file)}`;
  const lines = [`${head} — \`${file.path}\``, ''];
  const { certificates, keys, badCertificates } = file.parsed;
  if (certificates.length === 0 && keys.length === 0) {
    lines.push(file.parsed.der ? 'DER data, not PEM.' : file.parsed.empty ? 'The file is empty.' : 'No PEM certificate or private key in this file.');
    return lines.join('\n');
  }
  if (certificates.length > 0) {
    lines.push(...certificateLines(certificates[0], context.runtime.now()));
    if (certificates.length > 1) lines.push('', `…and ${certificates.length - 1} more: ${certificates.slice(1).map((c) => c.label).join('; ')}`);
    const chain = reference.kind === 'cert' ? chainLine(context, reference, certificates) : undefined;
    if (chain) lines.push('', chain);
  }
  if (badCertificates.length > 0) lines.push('', `${badCertificates.length} CERTIFICATE block(s) do not parse.`);
  for (const key of keys) {
    lines.push('', `Private key (\`${key.pemType}\`): ${key.encrypted ? 'encrypted with a passphrase' : key.publicKey ? keyDescription(key.publicKey) : `does not load (${key.error ?? 'unknown'})`}`);
  }
  return lines.join('\n');
}

/**
 * A path in a container (no path mapping): what its volume mounts make of it. A key of a Secret or
 * ConfigMap the workspace knows: which Certificate writes it (its names, usages, key, issuer, renewal), or
 * which manifest holds it, and the certificate it is (../features/secretKeyHover.ts).
 */
function containerSummary(context: FeatureContext, reference: CertificatePath, head: string): string {
  const container = context.cluster?.containerOf(reference.container) ?? reference.container!;
  const found = containerFile(reference.written!, container, context.cluster, context.caches.virtual, context.runtime.now());
  const notHere = `A path in ${container.label}, not on this machine: map it to a local folder (\`otlpTls.pathMappings\`) to see the file.`;
  switch (found.kind) {
    case 'key': {
      const lines = [head, '', ...secretKeyLines(found.contents, found.via)];
      const parsed = found.contents.parsed;
      if (parsed.certificates.length > 0) {
        lines.push('', found.contents.kind === 'issued' ? 'The certificate as cert-manager will issue it (what the checks judge):' : 'The certificate:', '', ...certificateLines(parsed.certificates[0], context.runtime.now()));
        if (parsed.certificates.length > 1) lines.push('', `…and ${parsed.certificates.length - 1} more: ${parsed.certificates.slice(1).map((c) => c.label).join('; ')}`);
      }
      for (const key of parsed.keys) lines.push('', `Private key (\`${key.pemType}\`): ${key.encrypted ? 'encrypted with a passphrase' : key.publicKey ? keyDescription(key.publicKey) : `does not load (${key.error ?? 'unknown'})`}`);
      return lines.join('\n');
    }
    case 'missing':
      return `${head}\n\nNo such file in ${container.label} (${found.via}): ${found.reason}.`;
    case 'directory':
      return `${head}\n\nA directory in ${container.label}: ${found.via}, whose files are its keys.`;
    case 'unknown':
      return `${head}\n\n${found.via ? `From ${found.via}${found.reason ? `; ${found.reason}` : ''}. ` : ''}${notHere}`;
  }
}

function problemText(file: Exclude<LoadedFile, { status: 'ok' }>): string {
  switch (file.status) {
    case 'missing':
      return `File not found (looked at ${file.tried.map((t) => `\`${t}\``).join(', ')}).`;
    case 'not-regular':
      return `\`${file.path}\` is ${file.kind === 'directory' ? 'a directory' : 'not a regular file'}.`;
    case 'too-large':
      return `\`${file.path}\` is too large to read (${file.size} bytes).`;
    case 'unreadable':
      return `\`${file.path}\` cannot be read (${file.reason}).`;
  }
}

export function certificateLines(cert: CertificateInfo, now: Date): string[] {
  const sans = [...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.ipAddresses.map((ip) => `IP:${ipText(ip)}`)];
  return [
    `| | |`,
    `|---|---|`,
    `| Subject | ${cell(cert.subject || '(empty)')} |`,
    `| Issuer | ${cell(cert.issuer)}${cert.selfIssued ? ' (self-issued)' : ''} |`,
    `| SANs | ${cell(sans.length ? sans.join(', ') : 'none')} |`,
    `| Validity | ${day(cert.notBefore)} → ${day(cert.notAfter)} (${validity(cert, now)}) |`,
    `| Key | ${keyDescription(cert.publicKey)} |`,
    `| Key usage | ${keyUsage(cert)} |`,
    `| Extended key usage | ${cert.eku ? ekuNames(cert.eku) : 'none (any)'} |`,
    `| CA | ${cert.isCa ? `yes${cert.pathLen !== undefined ? ` (pathlen ${cert.pathLen})` : ''}` : 'no'} |`,
    `| Signature | ${cert.signature.name} |`,
    `| SHA-256 | \`${cert.fingerprint}\` |`,
  ];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function validity(cert: CertificateInfo, now: Date): string {
  if (now < cert.notBefore) return `**not yet valid**: starts in ${Math.ceil((cert.notBefore.getTime() - now.getTime()) / DAY)} days`;
  const left = Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY);
  if (cert.notAfter < now) return `**expired** ${Math.max(1, -left)} days ago`;
  return `${left} days left`;
}

/** KeyUsage names in bit order (digitalSignature first), as the library's flags name them. */
const KEY_USAGE_NAMES = Object.keys(KeyUsageFlags).filter((name) => Number.isNaN(Number(name))) as (keyof typeof KeyUsageFlags)[];

export function keyUsage(cert: CertificateInfo): string {
  const usages = cert.keyUsages;
  if (usages === undefined) return 'none (any)';
  if (usages === null) return 'unreadable';
  return KEY_USAGE_NAMES.filter((name) => usages & KeyUsageFlags[name]).join(', ') || 'none';
}

/** Whether the last certificate of the file is signed by a CA of the trust file configured next to it. */
function chainLine(context: FeatureContext, reference: CertificatePath, certificates: CertificateInfo[]): string | undefined {
  let caSetting: string | undefined;
  let caWritten: string | undefined;
  const getEnv = context.runtime.getEnv;
  if (reference.block) {
    for (const key of COLLECTOR_CA_KEYS) {
      const entry = reference.block.entries.find((e) => e.key === key);
      const value = entry && readEntry(entry, getEnv);
      if (value && !value.unknown && typeof value.known === 'string' && value.known) {
        caSetting = key;
        caWritten = value.known;
        break;
      }
    }
  } else if (reference.app) {
    const signal = envFileVariable(reference.app.setting.name)?.signal;
    const app = reference.app.unit;
    const ca = lookup(app, envFileVariableName('CERTIFICATE', signal)) ?? lookup(app, envFileVariableName('CERTIFICATE'));
    if (ca?.value !== undefined) {
      caSetting = ca.written;
      caWritten = ca.value;
    }
  }
  if (!caWritten || !caSetting) return undefined;
  const file = loadReferencedFile(context, caWritten, context.path);
  if (file.status !== 'ok' || file.parsed.certificates.length === 0) return undefined;
  const top = certificates[certificates.length - 1];
  const signer = file.parsed.certificates.find((ca) => ca.fingerprint === top.fingerprint || !checkSignatureFrom(top, ca));
  return signer ? `✓ Chains to \`${caSetting}\` (${signer.label}).` : `✗ Not signed by a CA of \`${caSetting}\` (${file.parsed.certificates.map((c) => c.label).join('; ')}).`;
}

/**
 * cert-manager's resources as the checks need them: a `Certificate` (cert-manager.io/v1) with every
 * default cert-manager applies, an `Issuer` / `ClusterIssuer` with the kind of CA behind it, and the
 * values cert-manager's webhook rejects (with its messages). Built from the `yaml` library's nodes,
 * so every field keeps its place in the file. Pure: no files, no clock.
 *
 * Facts (docs/facts/cert-manager.md, cert-manager v1.21.1):
 * - defaults (§2): usages `digital signature` + `key encipherment` and NO extended key usage; RSA 2048
 *   (ECDSA 256); encoding PKCS1 (RSA `RSA PRIVATE KEY`, ECDSA `EC PRIVATE KEY` SEC 1, Ed25519 always
 *   PKCS#8); duration 90 days (2160h); renewal at 2/3 of the lifetime (renewBefore = lifetime / 3);
 *   rotationPolicy `Always`; issuerRef kind `Issuer`, group `cert-manager.io`;
 * - `commonName` goes into the subject only, never into the SANs; `isCA` adds `cert sign`;
 * - the webhook's rules and messages (§3); the Secret's keys per issuer (§5); issuers (§6).
 */
import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import { getEntry, mapEntries, resolve, scalarText, type AnyNode } from '../yaml/yamlNodes';
import { formatGoDuration, parseGoDuration } from './goDuration';
import { table } from '../lookup';

export const CERT_MANAGER_GROUP = 'cert-manager.io';

/** `duration` when unset: 90 days (pkg/apis/certmanager/v1/const.go L26). */
export const DEFAULT_DURATION_MS = 90 * 24 * 3_600_000;
/** The webhook's minimum duration, 1h (const.go L23). */
export const MINIMUM_DURATION_MS = 3_600_000;
/** The webhook's minimum renewBefore, 5m (const.go L29). */
export const MINIMUM_RENEW_BEFORE_MS = 5 * 60_000;

/** A value with the node it was read from (undefined for a default). */
export interface Spanned<T> {
  value: T;
  node?: AnyNode;
}

/** Key usages as cert-manager names them (pkg/api/util/usages.go L26-53). */
export const KEY_USAGE_NAMES: Readonly<Record<string, 'digitalSignature' | 'contentCommitment' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly'>> = table({
  signing: 'digitalSignature',
  'digital signature': 'digitalSignature',
  'content commitment': 'contentCommitment',
  'key encipherment': 'keyEncipherment',
  'key agreement': 'keyAgreement',
  'data encipherment': 'dataEncipherment',
  'cert sign': 'keyCertSign',
  'crl sign': 'cRLSign',
  'encipher only': 'encipherOnly',
  'decipher only': 'decipherOnly',
});

/** Extended key usages by cert-manager name, as OIDs (usages.go; the OIDs are Go's crypto/x509 ones). */
export const EXT_KEY_USAGE_OIDS: Readonly<Record<string, string>> = table({
  any: '2.5.29.37.0',
  'server auth': '1.3.6.1.5.5.7.3.1',
  'client auth': '1.3.6.1.5.5.7.3.2',
  'code signing': '1.3.6.1.5.5.7.3.3',
  'email protection': '1.3.6.1.5.5.7.3.4',
  's/mime': '1.3.6.1.5.5.7.3.4',
  'ipsec end system': '1.3.6.1.5.5.7.3.5',
  'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7',
  timestamping: '1.3.6.1.5.5.7.3.8',
  'ocsp signing': '1.3.6.1.5.5.7.3.9',
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
});

/** `DefaultKeyUsages()` (pkg/apis/certmanager/v1/types.go L315-322). */
export const DEFAULT_USAGES: readonly string[] = ['digital signature', 'key encipherment'];

export type KeyAlgorithm = 'RSA' | 'ECDSA' | 'Ed25519';

export interface PrivateKeySpec {
  algorithm: KeyAlgorithm;
  /** RSA modulus bits or the ECDSA curve size (256, 384, 521); 0 for Ed25519. */
  size: number;
  encoding: 'PKCS1' | 'PKCS8';
  rotationPolicy: 'Always' | 'Never';
  /** Each field's node when written. */
  nodes: { algorithm?: AnyNode; size?: AnyNode; encoding?: AnyNode; rotationPolicy?: AnyNode; privateKey?: AnyNode };
}

/** What every object of cert-manager carries: where it is. */
export interface ObjectPlace {
  name?: string;
  namespace?: string;
  doc: Document;
  node: YAMLMap;
  /** `Certificate observability/otel-collector-cert`. */
  label: string;
}

export interface CertificateSpec extends ObjectPlace {
  kind: 'Certificate';
  secretName?: Spanned<string>;
  commonName?: Spanned<string>;
  dnsNames: Spanned<string>[];
  ipAddresses: Spanned<string>[];
  uris: Spanned<string>[];
  emailAddresses: Spanned<string>[];
  subject: { organizations: string[]; organizationalUnits: string[]; countries: string[]; localities: string[]; provinces: string[] };
  /** The usages cert-manager requests: the written list, or the defaults. */
  usages: string[];
  usagesNode?: AnyNode;
  usagesDefaulted: boolean;
  isCA: boolean;
  isCANode?: AnyNode;
  /** The requested lifetime (ms): `duration`, or the 90-day default; undefined when `duration` does not parse. */
  durationMs?: number;
  durationNode?: AnyNode;
  /** `renewBefore` (ms) when written and valid. */
  renewBeforeMs?: number;
  renewBeforeNode?: AnyNode;
  renewBeforePercentage?: number;
  renewBeforePercentageNode?: AnyNode;
  /** `renewal.policy: Disabled` (no automatic renewal). */
  renewalDisabled: boolean;
  privateKey: PrivateKeySpec;
  issuerRef: { name?: string; kind: string; group: string; node?: AnyNode; nameNode?: AnyNode; kindNode?: AnyNode };
  additionalOutputFormats: string[];
  /**
   * Fields whose value is not known here (a `{{ }}` template, a kustomize `$(VAR)`, a non-string): the
   * certificate's names or parameters cannot be judged from it.
   */
  unknown: { field: string; node?: AnyNode }[];
}

export type IssuerType = 'ca' | 'selfSigned' | 'acme' | 'vault' | 'venafi' | 'unknown';

export interface IssuerSpec extends ObjectPlace {
  kind: 'Issuer' | 'ClusterIssuer';
  type: IssuerType;
  /** The `spec.<type>` key as written (`ca`, `selfSigned`, `acme`, …, or an external issuer's). */
  typeKey?: string;
  typeNode?: AnyNode;
  /** A CA issuer's Secret (`spec.ca.secretName`). */
  caSecretName?: Spanned<string>;
  /** An ACME issuer's directory URL (`spec.acme.server`). */
  acmeServer?: string;
}

export type CertManagerObject = CertificateSpec | IssuerSpec;

/** Whether `apiVersion`/`kind` name a cert-manager resource this module reads. */
export function isCertManagerKind(apiVersion: string, kind: string): boolean {
  return apiVersion.startsWith(`${CERT_MANAGER_GROUP}/`) && (kind === 'Certificate' || kind === 'Issuer' || kind === 'ClusterIssuer');
}

/** The cert-manager object of a mapping (`apiVersion: cert-manager.io/v1`, `kind: Certificate | Issuer | ClusterIssuer`). */
export function certManagerObject(doc: Document, node: AnyNode): CertManagerObject | undefined {
  if (!isMap(node)) return undefined;
  const apiVersion = plain(getEntry(node, doc, 'apiVersion')?.value);
  const kind = plain(getEntry(node, doc, 'kind')?.value);
  if (!apiVersion || !kind || !isCertManagerKind(apiVersion, kind)) return undefined;
  return kind === 'Certificate' ? certificateSpec(doc, node) : issuerSpec(doc, node, kind as IssuerSpec['kind']);
}

function place(doc: Document, node: YAMLMap, kind: string): ObjectPlace {
  const metadata = getEntry(node, doc, 'metadata')?.value;
  const name = plain(getEntry(metadata, doc, 'name')?.value);
  const namespace = kind === 'ClusterIssuer' ? undefined : plain(getEntry(metadata, doc, 'namespace')?.value);
  return { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}), doc, node, label: `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}` };
}

/** A Certificate's spec with cert-manager's defaults applied. */
export function certificateSpec(doc: Document, node: YAMLMap): CertificateSpec {
  const spec = getEntry(node, doc, 'spec')?.value;
  const unknown: CertificateSpec['unknown'] = [];
  const field = (key: string) => getEntry(spec, doc, key)?.value;
  const text = (key: string): Spanned<string> | undefined => {
    const value = field(key);
    if (value === undefined || value === null) return undefined;
    const s = plain(value);
    if (s === undefined || isTemplated(s)) {
      unknown.push({ field: key, node: value });
      return undefined;
    }
    return { value: s, node: value };
  };
  const list = (key: string): Spanned<string>[] => {
    const value = field(key);
    if (value === undefined || value === null) return [];
    if (!isSeq(value)) {
      unknown.push({ field: key, node: value });
      return [];
    }
    const out: Spanned<string>[] = [];
    for (const raw of value.items) {
      const item = resolve(raw, doc);
      const s = plain(item);
      if (s === undefined || isTemplated(s)) unknown.push({ field: key, node: item });
      else out.push({ value: s, node: item });
    }
    return out;
  };
  const subjectNode = field('subject');
  const subjectList = (key: string) => {
    const value = getEntry(subjectNode, doc, key)?.value;
    return isSeq(value) ? value.items.map((i) => plain(resolve(i, doc))).filter((s): s is string => s !== undefined) : [];
  };

  const usagesNode = field('usages');
  const written = list('usages').map((u) => u.value);
  const usagesDefaulted = written.length === 0;

  const isCANode = field('isCA');
  const isCA = isScalar(isCANode) && (isCANode.value === true || isCANode.value === 'true');

  const durationText = text('duration');
  const durationMs = durationText ? parseGoDuration(durationText.value) : DEFAULT_DURATION_MS;
  const renewBeforeText = text('renewBefore');
  const renewBeforeMs = renewBeforeText ? parseGoDuration(renewBeforeText.value) : undefined;
  const pctNode = field('renewBeforePercentage');
  const pct = isScalar(pctNode) && typeof pctNode.value === 'number' ? pctNode.value : undefined;

  const renewal = field('renewal');
  const renewalDisabled = plain(getEntry(renewal, doc, 'policy')?.value) === 'Disabled';

  const issuerRefNode = field('issuerRef');
  const issuerName = getEntry(issuerRefNode, doc, 'name')?.value;
  const issuerKind = getEntry(issuerRefNode, doc, 'kind')?.value;
  const issuerGroup = getEntry(issuerRefNode, doc, 'group')?.value;
  const formats = field('additionalOutputFormats');

  return {
    kind: 'Certificate',
    ...place(doc, node, 'Certificate'),
    ...optional('secretName', text('secretName')),
    ...optional('commonName', text('commonName')),
    dnsNames: list('dnsNames'),
    ipAddresses: list('ipAddresses'),
    uris: list('uris'),
    emailAddresses: list('emailAddresses'),
    subject: {
      organizations: subjectList('organizations'),
      organizationalUnits: subjectList('organizationalUnits'),
      countries: subjectList('countries'),
      localities: subjectList('localities'),
      provinces: subjectList('provinces'),
    },
    usages: usagesDefaulted ? [...DEFAULT_USAGES] : written,
    ...(usagesNode ? { usagesNode } : {}),
    usagesDefaulted,
    isCA,
    ...(isCANode ? { isCANode } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(durationText ? { durationNode: durationText.node } : {}),
    ...(renewBeforeMs !== undefined ? { renewBeforeMs } : {}),
    ...(renewBeforeText ? { renewBeforeNode: renewBeforeText.node } : {}),
    ...(pct !== undefined ? { renewBeforePercentage: pct, renewBeforePercentageNode: pctNode } : {}),
    renewalDisabled,
    privateKey: privateKeySpec(doc, field('privateKey'), unknown),
    issuerRef: {
      ...optional('name', plain(issuerName)),
      kind: plain(issuerKind) ?? 'Issuer',
      group: plain(issuerGroup) ?? CERT_MANAGER_GROUP,
      ...(issuerRefNode ? { node: issuerRefNode } : {}),
      ...(issuerName ? { nameNode: issuerName } : {}),
      ...(issuerKind ? { kindNode: issuerKind } : {}),
    },
    additionalOutputFormats: isSeq(formats) ? formats.items.map((i) => plain(getEntry(resolve(i, doc), doc, 'type')?.value)).filter((s): s is string => !!s) : [],
    unknown,
  };
}

function privateKeySpec(doc: Document, node: AnyNode, unknown: CertificateSpec['unknown']): PrivateKeySpec {
  const entry = (key: string) => getEntry(node, doc, key)?.value;
  const algorithmNode = entry('algorithm');
  const sizeNode = entry('size');
  const encodingNode = entry('encoding');
  const rotationNode = entry('rotationPolicy');
  const written = plain(algorithmNode);
  // The webhook compares case-insensitively (validation/certificate.go L180 lists rsa, ecdsa, ed25519).
  const algorithm: KeyAlgorithm = written?.toLowerCase() === 'ecdsa' ? 'ECDSA' : written?.toLowerCase() === 'ed25519' ? 'Ed25519' : 'RSA';
  const sizeValue = isScalar(sizeNode) && typeof sizeNode.value === 'number' ? sizeNode.value : undefined;
  if (sizeNode && sizeValue === undefined) unknown.push({ field: 'privateKey.size', node: sizeNode });
  // generate.go L60-77: RSA of `size` or 2048; ECDSA `size` or 256; Ed25519 ignores the size.
  const size = algorithm === 'Ed25519' ? 0 : sizeValue && sizeValue > 0 ? sizeValue : algorithm === 'ECDSA' ? 256 : 2048;
  return {
    algorithm,
    size,
    encoding: plain(encodingNode) === 'PKCS8' ? 'PKCS8' : 'PKCS1',
    rotationPolicy: plain(rotationNode) === 'Never' ? 'Never' : 'Always',
    nodes: { ...optional('algorithm', algorithmNode), ...optional('size', sizeNode), ...optional('encoding', encodingNode), ...optional('rotationPolicy', rotationNode), ...optional('privateKey', node ?? undefined) },
  };
}

const ISSUER_TYPES: Record<string, IssuerType> = table({ ca: 'ca', selfSigned: 'selfSigned', acme: 'acme', vault: 'vault', venafi: 'venafi' });

/** An Issuer or ClusterIssuer: the one of `acme`, `ca`, `vault`, `selfSigned`, `venafi` it sets (types_issuer.go L106-131). */
export function issuerSpec(doc: Document, node: YAMLMap, kind: IssuerSpec['kind']): IssuerSpec {
  const spec = getEntry(node, doc, 'spec')?.value;
  const config = mapEntries(spec, doc).find((e) => e.key in ISSUER_TYPES) ?? mapEntries(spec, doc)[0];
  const type = config ? (ISSUER_TYPES[config.key] ?? 'unknown') : 'unknown';
  const secret = type === 'ca' ? getEntry(config!.value, doc, 'secretName')?.value : undefined;
  const secretName = plain(secret);
  const server = type === 'acme' ? plain(getEntry(config!.value, doc, 'server')?.value) : undefined;
  return {
    kind,
    ...place(doc, node, kind),
    type,
    ...(config ? { typeKey: config.key, typeNode: config.keyNode } : {}),
    ...(secretName && !isTemplated(secretName) ? { caSecretName: { value: secretName, node: secret } } : {}),
    ...(server ? { acmeServer: server } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// What the Certificate will issue

/** The X.509 key usage bits and extended key usages cert-manager puts in the certificate (csr.go KeyUsagesForCertificateOrCertificateRequest L89-114). */
export function issuedUsages(spec: Pick<CertificateSpec, 'usages' | 'isCA'>): { keyUsages: string[]; extKeyUsages: string[]; unknown: string[] } {
  const keyUsages = new Set<string>();
  const extKeyUsages: string[] = [];
  const unknown: string[] = [];
  if (spec.isCA) keyUsages.add('keyCertSign');
  for (const usage of spec.usages) {
    const ku = KEY_USAGE_NAMES[usage];
    if (ku) keyUsages.add(ku);
    else if (EXT_KEY_USAGE_OIDS[usage]) extKeyUsages.push(EXT_KEY_USAGE_OIDS[usage]);
    else unknown.push(usage);
  }
  return { keyUsages: [...keyUsages], extKeyUsages, unknown };
}

/** The PEM type cert-manager writes `tls.key` with (generate.go EncodePrivateKey L127-174). */
export function keyPemType(key: Pick<PrivateKeySpec, 'algorithm' | 'encoding'>): 'RSA PRIVATE KEY' | 'EC PRIVATE KEY' | 'PRIVATE KEY' {
  if (key.encoding === 'PKCS8' || key.algorithm === 'Ed25519') return 'PRIVATE KEY';
  return key.algorithm === 'RSA' ? 'RSA PRIVATE KEY' : 'EC PRIVATE KEY';
}

/**
 * When cert-manager renews, as time before the end of the lifetime (renewaltime.go desiredRenewalTime
 * L125-143): renewBefore when shorter than the lifetime; else renewBeforePercentage of the lifetime;
 * else a third of it. `lifetimeMs` is the issued certificate's (the requested duration here).
 */
export function renewBeforeOf(spec: Pick<CertificateSpec, 'renewBeforeMs' | 'renewBeforePercentage'>, lifetimeMs: number): number {
  if (spec.renewBeforeMs !== undefined && spec.renewBeforeMs > 0 && spec.renewBeforeMs < lifetimeMs) return spec.renewBeforeMs;
  const pct = spec.renewBeforePercentage;
  if (pct !== undefined && pct > 0 && pct < 100) return (lifetimeMs * pct) / 100;
  return lifetimeMs / 3;
}

// ---------------------------------------------------------------------------------------------
// The webhook (internal/apis/certmanager/validation/certificate.go, messages verbatim)

export interface SpecRejection {
  /** The field path the webhook names (`spec.renewBefore`). */
  field: string;
  message: string;
  node?: AnyNode;
}

/** What cert-manager's admission webhook rejects in this Certificate, in the order it checks; none when it admits it. */
export function webhookRejections(spec: CertificateSpec): SpecRejection[] {
  const out: SpecRejection[] = [];
  const unknownField = (name: string) => spec.unknown.some((u) => u.field === name);
  if (!spec.secretName && !unknownField('secretName')) out.push({ field: 'spec.secretName', message: 'must be specified', node: spec.node });
  const hasName = spec.commonName || spec.dnsNames.length || spec.ipAddresses.length || spec.uris.length || spec.emailAddresses.length || spec.unknown.some((u) => ['commonName', 'dnsNames', 'ipAddresses', 'uris', 'emailAddresses', 'otherNames', 'literalSubject'].includes(u.field));
  const specNode = getEntry(spec.node, spec.doc, 'spec');
  const hasOtherNames = !!getEntry(specNode?.value, spec.doc, 'otherNames') || !!getEntry(specNode?.value, spec.doc, 'literalSubject');
  if (!hasName && !hasOtherNames) {
    out.push({ field: 'spec', message: 'at least one of commonName (from the commonName field or from a literalSubject), dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must be set', node: specNode?.keyNode ?? spec.node });
  }
  if (spec.commonName && spec.commonName.value.length > 64) out.push({ field: 'spec.commonName', message: 'Too long: may not be more than 64 bytes', node: spec.commonName.node });
  const key = spec.privateKey;
  const algorithmWritten = plain(key.nodes.algorithm);
  if (algorithmWritten !== undefined && algorithmWritten !== '' && !['rsa', 'ecdsa', 'ed25519'].includes(algorithmWritten.toLowerCase())) {
    out.push({ field: 'spec.privateKey.algorithm', message: 'must be either empty or one of rsa, ecdsa or ed25519', node: key.nodes.algorithm });
  } else if (key.nodes.size && isScalar(key.nodes.size) && typeof key.nodes.size.value === 'number') {
    const size = key.nodes.size.value;
    if (key.algorithm === 'RSA' && (size < 2048 || size > 8192)) out.push({ field: 'spec.privateKey.size', message: 'must be between 2048 and 8192 for rsa keyAlgorithm', node: key.nodes.size });
    if (key.algorithm === 'ECDSA' && ![256, 384, 521].includes(size)) out.push({ field: 'spec.privateKey.size', message: `Unsupported value: ${size}: supported values: "256", "384", "521"`, node: key.nodes.size });
  }
  if (!spec.issuerRef.name && !unknownField('issuerRef.name')) out.push({ field: 'spec.issuerRef.name', message: 'must be specified', node: spec.issuerRef.node ?? specNode?.keyNode });
  if (spec.issuerRef.group === CERT_MANAGER_GROUP && spec.issuerRef.kind !== 'Issuer' && spec.issuerRef.kind !== 'ClusterIssuer') {
    out.push({ field: 'spec.issuerRef.kind', message: `must be one of Issuer or ClusterIssuer${plain(getEntry(spec.issuerRef.node, spec.doc, 'group')?.value) === undefined ? ' (did you forget to set spec.issuerRef.group?)' : ''}`, node: spec.issuerRef.kindNode });
  }
  for (const ip of spec.ipAddresses) if (!isIp(ip.value)) out.push({ field: 'spec.ipAddresses', message: 'invalid IP address', node: ip.node });
  for (const usage of spec.usagesDefaulted ? [] : spec.usages) {
    if (!KEY_USAGE_NAMES[usage] && !EXT_KEY_USAGE_OIDS[usage]) {
      const node = isSeq(spec.usagesNode) ? spec.usagesNode.items.map((i) => resolve(i, spec.doc)).find((n) => plain(n) === usage) : spec.usagesNode;
      out.push({ field: 'spec.usages', message: 'unknown keyusage', node });
    }
  }
  // Durations (L355-400). A value that is not a Go duration is refused by the API server's decoding.
  if (spec.durationNode && spec.durationMs === undefined) out.push({ field: 'spec.duration', message: `${JSON.stringify(plain(spec.durationNode))} is not a Go duration (time.ParseDuration: units ns, us, ms, s, m, h; no "d"), so the API server refuses the Certificate`, node: spec.durationNode });
  if (spec.renewBeforeNode && spec.renewBeforeMs === undefined) out.push({ field: 'spec.renewBefore', message: `${JSON.stringify(plain(spec.renewBeforeNode))} is not a Go duration (time.ParseDuration: units ns, us, ms, s, m, h; no "d"), so the API server refuses the Certificate`, node: spec.renewBeforeNode });
  const duration = spec.durationMs ?? DEFAULT_DURATION_MS;
  if (spec.durationNode && spec.durationMs !== undefined && spec.durationMs < MINIMUM_DURATION_MS) {
    out.push({ field: 'spec.duration', message: `certificate duration must be greater than ${formatGoDuration(MINIMUM_DURATION_MS)}`, node: spec.durationNode });
  }
  if (spec.renewBeforeNode && spec.renewBeforePercentageNode) {
    out.push({ field: 'spec.renewBefore', message: 'renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set', node: spec.renewBeforeNode });
  }
  if (spec.renewBeforeMs !== undefined) {
    if (spec.renewBeforeMs < MINIMUM_RENEW_BEFORE_MS) out.push({ field: 'spec.renewBefore', message: `certificate renewBefore must be greater than ${formatGoDuration(MINIMUM_RENEW_BEFORE_MS)}`, node: spec.renewBeforeNode });
    if (spec.renewBeforeMs >= duration) out.push({ field: 'spec.renewBefore', message: `certificate duration ${formatGoDuration(duration)} must be greater than renewBefore ${formatGoDuration(spec.renewBeforeMs)}`, node: spec.renewBeforeNode });
  }
  if (spec.renewBeforePercentage !== undefined) {
    // The webhook tests duration × (100 − pct) / 100 (L394), the complement of what renewal uses; its messages are these.
    const implied = (duration * (100 - spec.renewBeforePercentage)) / 100;
    if (implied < MINIMUM_RENEW_BEFORE_MS) out.push({ field: 'spec.renewBeforePercentage', message: `certificate renewBeforePercentage must result in a renewBefore greater than ${formatGoDuration(MINIMUM_RENEW_BEFORE_MS)}`, node: spec.renewBeforePercentageNode });
    if (implied >= duration) out.push({ field: 'spec.renewBeforePercentage', message: 'certificate renewBeforePercentage must result in a renewBefore less than duration', node: spec.renewBeforePercentageNode });
  }
  return out;
}

function isIp(text: string): boolean {
  // netip.ParseAddr: dotted IPv4 or IPv6 without a zone (csr.go IPAddressesFromStrings; validation L304).
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text)) return true;
  if (!text.includes(':') || text.includes('%')) return false;
  try {
    return new URL(`http://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------

function plain(node: AnyNode): string | undefined {
  const text = scalarText(node);
  return text === undefined ? undefined : text;
}

/** A Helm `{{ }}` or a kustomize `$(VAR)` inside a value: only known after rendering. */
export function isTemplated(text: string): boolean {
  return text.includes('{{') || /\$\([A-Za-z_][A-Za-z0-9_.-]*\)/.test(text);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

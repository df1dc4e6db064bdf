/**
 * From a path inside a container to the key of a Secret or ConfigMap, and from that key to its
 * contents: the bytes of a Secret or ConfigMap manifest of the workspace, or what a cert-manager
 * Certificate of the workspace will write there (./virtualCertificates.ts).
 *
 * Volumes (docs/facts/kubernetes.md §4): a `secret` / `configMap` volume holds one file per key (the key
 * as its name), or with `items` only the listed keys at their `path`; a `projected` volume merges its
 * sources into one folder. A mount without `subPath` makes `mountPath` that folder; with `subPath: P`,
 * `mountPath` is the entry P of the volume itself (a file, or a folder of it), and the kubelet never
 * updates it when the Secret changes (the note on rotation in kubernetes.md §4).
 */
import type { ClusterIndex, DataObject, Placed } from '../model/cluster';
import type { CertificateSpec } from '../model/certManager';
import { parseFileContents, type ParsedFile } from './certificateFiles';
import { issueCertificate, type IssuanceLookup, type IssuedSecret, type SecretKey, type VirtualCache } from './virtualCertificates';

export interface KeyToPath {
  key: string;
  path: string;
}

/** A volume's source, as the Kubernetes model reads it. */
export type VolumeSourceLike =
  | { kind: 'secret' | 'configMap'; name?: string; items?: KeyToPath[] }
  | { kind: 'projected'; sources: ({ kind: 'secret' | 'configMap'; name?: string; items?: KeyToPath[] } | { kind: 'other'; type: string })[] }
  | { kind: 'other'; type: string };

/** A container's volume mount with the source of its volume. */
export interface MountLike {
  mountPath: string;
  subPath?: string;
  source?: VolumeSourceLike;
  /** `volume server-certs`, for messages. */
  name: string;
}

/** A key of a Secret or ConfigMap, named from a pod in `namespace`. */
export interface ObjectKey {
  kind: 'secret' | 'configMap';
  name: string;
  key: string;
}

export type MountedPath =
  /** The path is the file of a Secret or ConfigMap key. `candidates`: a projected volume without items may hold it from several sources, in order. */
  | { kind: 'key'; mount: MountLike; candidates: ObjectKey[]; subPath: boolean }
  /** The path is a folder of the volume (the mount point of a whole volume), not a file. */
  | { kind: 'directory'; mount: MountLike }
  /** The volume lists `items` and none of them is at this path: the kubelet writes no such file. */
  | { kind: 'not-projected'; mount: MountLike; source: string; listed: string[] }
  /** Under a mount of another kind of volume (emptyDir, hostPath, CSI …), or a Secret volume with no name. */
  | { kind: 'other'; mount: MountLike };

/** The mount that holds `path` (the longest mount path that is `path` or a folder above it). */
function mountFor(mounts: readonly MountLike[], path: string): MountLike | undefined {
  let best: MountLike | undefined;
  for (const mount of mounts) {
    const root = mount.mountPath.replace(/\/+$/, '') || '/';
    const inside = path === root || path.startsWith(root === '/' ? '/' : `${root}/`);
    if (inside && (!best || root.length > best.mountPath.replace(/\/+$/, '').length)) best = mount;
  }
  return best;
}

/** What `written` (an absolute path in the container) is in the container's mounts; undefined when no mount holds it. */
export function resolveMountedPath(mounts: readonly MountLike[], written: string): MountedPath | undefined {
  const path = written.trim().replace(/\/+$/, '');
  const mount = mountFor(mounts, path);
  if (!mount) return undefined;
  const root = mount.mountPath.replace(/\/+$/, '');
  const below = path === root ? '' : path.slice(root.length + 1);
  // With subPath the mount point is the volume's entry subPath; without, the volume's root.
  const inVolume = [mount.subPath?.replace(/^\/+|\/+$/g, ''), below].filter((p) => p).join('/');
  const source = mount.source;
  if (!source || source.kind === 'other') return { kind: 'other', mount };
  if (inVolume === '') return { kind: 'directory', mount };
  const sources = source.kind === 'projected' ? source.sources : [source];
  const candidates: ObjectKey[] = [];
  const listed: string[] = [];
  for (const s of sources) {
    if (s.kind === 'other' || !s.name) continue;
    if (s.items) {
      const item = s.items.find((i) => i.path.replace(/^\/+|\/+$/g, '') === inVolume);
      if (item) candidates.push({ kind: s.kind, name: s.name, key: item.key });
      else if (s.items.some((i) => i.path.startsWith(`${inVolume}/`))) return { kind: 'directory', mount };
      listed.push(...s.items.map((i) => i.path));
    } else if (!inVolume.includes('/')) {
      // Without items every key is a file named after it (keys have no "/").
      candidates.push({ kind: s.kind, name: s.name, key: inVolume });
    }
  }
  if (candidates.length === 0) {
    const named = sources.filter((s) => s.kind !== 'other' && s.name) as { kind: 'secret' | 'configMap'; name: string }[];
    if (named.length === 0) return { kind: 'other', mount };
    return { kind: 'not-projected', mount, source: named.map((s) => `${s.kind === 'secret' ? 'Secret' : 'ConfigMap'} ${s.name}`).join(', '), listed };
  }
  return { kind: 'key', mount, candidates, subPath: !!mount.subPath };
}

// ---------------------------------------------------------------------------------------------

export type KeyContents =
  /** A Secret or ConfigMap manifest of the workspace holds the key. */
  | { kind: 'data'; object: DataObject; key: string; parsed: ParsedFile; bytes: Uint8Array }
  /** A Certificate of the workspace writes the Secret: what it will issue. */
  | { kind: 'issued'; certificate: Placed<CertificateSpec>; issued: IssuedSecret; key: SecretKey; parsed: ParsedFile; bytes: Uint8Array }
  /** The object is known and does not hold the key (`ca.crt` of an ACME issuer's Secret, a key not in `data`). */
  | { kind: 'absent'; reason: string }
  /** Neither a manifest nor a Certificate of the workspace holds the object. */
  | { kind: 'unknown'; reason: string };

/** The issuance lookup over the workspace's cluster index. */
export function issuanceLookup(cluster: ClusterIndex): IssuanceLookup {
  return {
    issuer: (ref, namespace) => cluster.issuer(ref, namespace)?.value,
    secretData: (namespace, name, clusterScoped) => cluster.secret(namespace, name, clusterScoped)?.data,
    certificateFor: (namespace, name, clusterScoped) => cluster.certificateFor(namespace, name, clusterScoped)?.value,
  };
}

const ISSUED_KEYS: readonly string[] = ['tls.crt', 'tls.key', 'ca.crt', 'tls-combined.pem', 'key.der'];

/** The contents of `ref` seen from a pod in `namespace`. A manifest's data wins over a Certificate (development Secrets). */
export function keyContents(cluster: ClusterIndex, cache: VirtualCache, now: Date, namespace: string | undefined, ref: ObjectKey): KeyContents {
  const what = `${ref.kind === 'secret' ? 'Secret' : 'ConfigMap'} ${namespace ? `${namespace}/` : ''}${ref.name}`;
  const object = ref.kind === 'secret' ? cluster.secret(namespace, ref.name) : cluster.configMap(namespace, ref.name);
  const certificate = ref.kind === 'secret' ? cluster.certificateFor(namespace, ref.name) : undefined;
  // An empty value beside a Certificate of the same Secret is a placeholder cert-manager fills.
  if (object && object.data.has(ref.key) && (object.data.get(ref.key)!.length > 0 || !certificate)) {
    const bytes = object.data.get(ref.key)!;
    return { kind: 'data', object, key: ref.key, bytes, parsed: parseFileContents(bytes) };
  }
  if (certificate) {
    if (!ISSUED_KEYS.includes(ref.key)) return { kind: 'absent', reason: `${what} is written by ${certificate.value.label}, which writes the keys tls.crt, tls.key and ca.crt (not "${ref.key}")` };
    const issued = issueCertificate(certificate.value, issuanceLookup(cluster), cache, now);
    const parsed = issued.files[ref.key as SecretKey];
    if (!parsed) {
      const reason =
        ref.key === 'ca.crt'
          ? `${what} is written by ${certificate.value.label}, issued by ${issued.issuer.label}, which returns no CA: the Secret has no ca.crt`
          : `${what} is written by ${certificate.value.label}, whose additionalOutputFormats do not include the format of "${ref.key}"`;
      return { kind: 'absent', reason };
    }
    return { kind: 'issued', certificate, issued, key: ref.key as SecretKey, parsed, bytes: issued.bytes[ref.key as SecretKey]! };
  }
  // A manifest without data is filled by something else (an injection annotation, trust-manager, a controller).
  if (object && object.data.size === 0) return { kind: 'unknown', reason: `the manifest of ${what} holds no data: what fills it (a controller, an injection annotation) is not in the workspace` };
  if (object && (object.unknownKeys.has(ref.key) || object.unknownKeys.has('*'))) return { kind: 'unknown', reason: `the value of key "${ref.key}" of ${what} is not known here (a template, or not a string)` };
  if (object) return { kind: 'absent', reason: `${what} (in ${object.object.path.split(/[\\/]/).pop()}) has no key "${ref.key}"${object.data.size ? `; its keys are ${[...object.data.keys()].join(', ')}` : ''}` };
  return { kind: 'unknown', reason: `${what} is not in the workspace, and no cert-manager Certificate of the workspace writes it` };
}

/**
 * The Certificate whose renewal changes the CA in a trust file that is `contents` (rotation readiness,
 * ./rotation.ts caRotationFinding): the `ca.crt` of a SelfSigned issuer's certificate is that certificate
 * itself; a CA issuer's is its CA, which rotates when a Certificate of the workspace writes the CA Secret
 * (cert-manager's CA bootstrap); the `tls.crt` or `ca.crt` of a CA Certificate's own Secret is that CA.
 * A CA Secret from a manifest's data, an ACME chain or an issuer outside the workspace: undefined (not
 * renewed by cert-manager here, or not known).
 */
export function rotatingCaOf(contents: KeyContents, cluster: ClusterIndex): { spec: CertificateSpec; certificate: Placed<CertificateSpec>; selfSignedLeaf: boolean } | undefined {
  if (contents.kind !== 'issued' || (contents.key !== 'ca.crt' && contents.key !== 'tls.crt')) return undefined;
  const spec = contents.certificate.value;
  const issuer = contents.issued.issuer;
  if (contents.key === 'tls.crt') return spec.isCA ? { spec, certificate: contents.certificate, selfSignedLeaf: false } : undefined;
  if (issuer.type === 'selfSigned') return { spec, certificate: contents.certificate, selfSignedLeaf: !spec.isCA };
  if (issuer.type !== 'ca' || !issuer.issuer?.caSecretName) return undefined;
  const clusterScoped = issuer.issuer.kind === 'ClusterIssuer';
  const name = issuer.issuer.caSecretName.value;
  // A CA Secret whose manifest holds the key pair is not renewed by cert-manager.
  const data = cluster.secret(issuer.issuer.namespace, name, clusterScoped);
  if (data?.data.has('tls.crt') && data.data.has('tls.key')) return undefined;
  const ca = cluster.certificateFor(issuer.issuer.namespace, name, clusterScoped);
  return ca && ca.value !== spec ? { spec: ca.value, certificate: ca, selfSignedLeaf: false } : undefined;
}

/**
 * What the workspace's manifests say about the cluster, for cross-file resolution: cert-manager
 * Certificates and Issuers, Secrets and ConfigMaps with their data, by namespace and name. Built from
 * the objects the manifest source keeps (every kind), in every file of the workspace.
 *
 * Namespaces: an object whose manifest states no namespace is applied to "the namespace of the
 * context" (docs/facts/kubernetes.md §1), which is not known here. Such an object matches any
 * namespace; an object with the same stated namespace is preferred, and one in another stated
 * namespace never matches. ClusterIssuers have no namespace; the Secret of a ClusterIssuer is read from
 * the cluster resource namespace (cert-manager's own, usually `cert-manager`; docs/facts/cert-manager.md §6),
 * which is not known here either: a Secret of that name in `cert-manager` is preferred, else any.
 */
import { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import { getEntry, mapEntries, scalarText, type AnyNode } from '../yaml/yamlNodes';
import { certManagerObject, type CertificateSpec, type IssuerSpec } from './certManager';

/** An object of a manifest file: what the cluster index needs of it. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  doc: Document;
  node: YAMLMap;
  /** Absolute path of the file. */
  path: string;
  /** The file's text (offsets of `node` are into it, through `offsets` when the object is embedded). */
  text: string;
}

export interface DataObject {
  object: ManifestObject;
  /** Each key's bytes (`data` base64-decoded, `stringData` as UTF-8); a key whose value is not a plain string is absent. */
  data: Map<string, Uint8Array>;
  /** The node of each key's value, for links and hover. */
  nodes: Map<string, AnyNode>;
}

export interface Placed<T> {
  value: T;
  path: string;
  text: string;
}

export interface ClusterIndex {
  certificates(): readonly Placed<CertificateSpec>[];
  issuers(): readonly Placed<IssuerSpec>[];
  /** The Certificate whose secretName is `name`, in `namespace` (or in the cluster resource namespace). */
  certificateFor(namespace: string | undefined, name: string, clusterScoped?: boolean): Placed<CertificateSpec> | undefined;
  /** The Issuer `name` in `namespace`, or the ClusterIssuer `name`. */
  issuer(ref: { name: string; kind: string }, namespace: string | undefined): Placed<IssuerSpec> | undefined;
  secret(namespace: string | undefined, name: string, clusterScoped?: boolean): DataObject | undefined;
  configMap(namespace: string | undefined, name: string): DataObject | undefined;
}

/** The namespace cert-manager is usually installed in: a ClusterIssuer's Secrets are read there. */
export const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

export function createClusterIndex(objects: Iterable<ManifestObject>): ClusterIndex {
  const certificates: Placed<CertificateSpec>[] = [];
  const issuers: Placed<IssuerSpec>[] = [];
  const secrets: DataObject[] = [];
  const configMaps: DataObject[] = [];
  for (const object of objects) {
    const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
    if (group === 'cert-manager.io') {
      const cm = certManagerObject(object.doc, object.node);
      if (cm?.kind === 'Certificate') certificates.push({ value: cm, path: object.path, text: object.text });
      else if (cm) issuers.push({ value: cm, path: object.path, text: object.text });
    } else if (group === '' && object.kind === 'Secret') secrets.push(dataObject(object, true));
    else if (group === '' && object.kind === 'ConfigMap') configMaps.push(dataObject(object, false));
  }
  return {
    certificates: () => certificates,
    issuers: () => issuers,
    certificateFor: (namespace, name, clusterScoped) => pick(certificates.filter((c) => c.value.secretName?.value === name), (c) => c.value.namespace, clusterScoped ? CLUSTER_RESOURCE_NAMESPACE : namespace, clusterScoped),
    issuer(ref, namespace) {
      if (ref.kind === 'ClusterIssuer') return issuers.find((i) => i.value.kind === 'ClusterIssuer' && i.value.name === ref.name);
      return pick(issuers.filter((i) => i.value.kind === 'Issuer' && i.value.name === ref.name), (i) => i.value.namespace, namespace);
    },
    secret: (namespace, name, clusterScoped) => pick(secrets.filter((s) => s.object.name === name), (s) => s.object.namespace, clusterScoped ? CLUSTER_RESOURCE_NAMESPACE : namespace, clusterScoped),
    configMap: (namespace, name) => pick(configMaps.filter((s) => s.object.name === name), (s) => s.object.namespace, namespace),
  };
}

/** The candidate in `namespace`, else one that states no namespace (or any, when `anyNamespace`). */
function pick<T>(candidates: T[], namespaceOf: (c: T) => string | undefined, namespace: string | undefined, anyNamespace = false): T | undefined {
  if (candidates.length === 0) return undefined;
  const exact = candidates.find((c) => namespaceOf(c) !== undefined && namespaceOf(c) === namespace);
  if (exact) return exact;
  const open = candidates.find((c) => namespaceOf(c) === undefined || namespace === undefined);
  if (open) return open;
  return anyNamespace ? candidates[0] : undefined;
}

function dataObject(object: ManifestObject, secret: boolean): DataObject {
  const data = new Map<string, Uint8Array>();
  const nodes = new Map<string, AnyNode>();
  const read = (field: string, base64: boolean) => {
    const map = getEntry(object.node, object.doc, field)?.value;
    if (!isMap(map)) return;
    for (const entry of mapEntries(map, object.doc)) {
      const text = isScalar(entry.value) ? scalarText(entry.value) : undefined;
      if (text === undefined || text.includes('{{')) continue;
      const bytes = base64 ? decodeBase64(text) : new Uint8Array(Buffer.from(text, 'utf8'));
      if (!bytes) continue;
      data.set(entry.key, bytes);
      nodes.set(entry.key, entry.value);
    }
  };
  // A Secret's `data` is base64, `stringData` plain text written over it; a ConfigMap's `data` is text, `binaryData` base64.
  if (secret) {
    read('data', true);
    read('stringData', false);
  } else {
    read('data', false);
    read('binaryData', true);
  }
  return { object, data, nodes };
}

function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

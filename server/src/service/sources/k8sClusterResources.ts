/**
 * The objects that say what the cluster holds rather than what runs in it: cert-manager's Certificate,
 * Issuer and ClusterIssuer (`cert-manager.io/v1`), Secrets and ConfigMaps with their keys, Services. They
 * hold no unit; their typed view (model/cluster.ts `clusterResource`: the Certificate with cert-manager's
 * defaults, the Service's ports, the Secret's decoded keys) is made here, once per parse of their
 * document, and kept on the object (KubernetesObject.resource) for the workspace's cluster index (the
 * Secret keys a container path resolves to, the Services a host names) and the manifest checks
 * (checks/certificateSpec.ts).
 */
import { clusterResource } from '../model/cluster';
import type { KubernetesObject } from '../model/kubernetes';
import type { ManifestContext } from './kubernetesManifest';

export function readClusterResource(object: KubernetesObject, _context: ManifestContext): void {
  // A document reused from the last parse keeps its objects, and so their typed views.
  if (object.resource === undefined) {
    const resource = clusterResource(object);
    if (resource) object.resource = resource;
  }
}

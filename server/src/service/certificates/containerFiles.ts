/**
 * A file a process reads inside its container (a unit of a manifest, an operator resource, Helm values),
 * found through the container's volume mounts in what the workspace's manifests say the cluster holds:
 * the key of a Secret or ConfigMap (./secretKeys.ts), with the bytes of its manifest or what a cert-manager
 * Certificate will write there (./virtualCertificates.ts). The one resolver behind the file checks
 * (./references.ts), the rotation checks, hover and document links.
 *
 * Only reached when no path mapping covers the path: a mapped path is a file of this machine, and the
 * files win (docs/virtual-certificates.md "Where the files win").
 */
import type { VirtualCache } from './virtualCertificates';
import type { ClusterIndex } from '../model/cluster';
import type { ContainerContext, ContainerMount } from '../model/kubernetes';
import { keyContents, resolveMountedPath, type KeyContents, type MountLike, type ObjectKey } from './secretKeys';

export type ContainerFile =
  /** The path is a key the workspace knows the contents of. */
  | { kind: 'key'; via: string; mount: ContainerMount; subPath: boolean; ref: ObjectKey; contents: Extract<KeyContents, { kind: 'data' | 'issued' }> }
  /** The kubelet writes no file there: the Secret or ConfigMap is known and lacks the key, or the volume's items leave it out. */
  | { kind: 'missing'; via: string; mount: ContainerMount; reason: string }
  /** The path is a folder of a Secret or ConfigMap volume (its mount point, without subPath). */
  | { kind: 'directory'; via: string; mount: ContainerMount }
  /** Its contents are not known here (a volume of another kind, a Secret not in the workspace, no mount). */
  | { kind: 'unknown'; via?: string; mount?: ContainerMount; reason?: string };

/** `Secret server-certs mounted at /certs`, `key tls.crt of Secret server-certs mounted at /etc/otel/tls.crt (subPath)`. */
export function mountDescription(mount: ContainerMount): string {
  return `${mount.source} mounted at ${mount.path}${mount.subPath ? ` (subPath ${mount.subPath})` : ''}`;
}

/** What `written` (a path in `container`) is, from the workspace's cluster index. */
export function containerFile(written: string, container: ContainerContext, cluster: ClusterIndex | undefined, cache: VirtualCache, now: Date): ContainerFile {
  const path = written.trim();
  if (!path.startsWith('/')) return { kind: 'unknown' };
  const byPath = new Map<MountLike, ContainerMount>();
  const mounts: MountLike[] = container.mounts.map((m) => {
    const like: MountLike = { mountPath: m.path, ...(m.subPath ? { subPath: m.subPath } : {}), ...(m.volume ? { source: m.volume } : {}), name: m.source };
    byPath.set(like, m);
    return like;
  });
  const resolved = resolveMountedPath(mounts, path);
  if (!resolved) return { kind: 'unknown' };
  const mount = byPath.get(resolved.mount)!;
  const via = mountDescription(mount);
  switch (resolved.kind) {
    case 'other':
      return { kind: 'unknown', via, mount };
    case 'directory':
      return { kind: 'directory', via, mount };
    case 'not-projected':
      return { kind: 'missing', via, mount, reason: `the volume projects only ${resolved.listed.length ? resolved.listed.join(', ') : 'no item'} of ${resolved.source} (items), so the kubelet writes no file at this path` };
    case 'key': {
      if (!cluster) return { kind: 'unknown', via, mount };
      const absent: string[] = [];
      let unknown: string | undefined;
      for (const ref of resolved.candidates) {
        const contents = keyContents(cluster, cache, now, container.namespace, ref);
        if (contents.kind === 'data' || contents.kind === 'issued') return { kind: 'key', via, mount, subPath: resolved.subPath, ref, contents };
        if (contents.kind === 'absent') absent.push(contents.reason);
        else unknown ??= contents.reason;
      }
      if (unknown !== undefined) return { kind: 'unknown', via, mount, reason: unknown };
      return { kind: 'missing', via, mount, reason: absent.join('; ') };
    }
  }
}

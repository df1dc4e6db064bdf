/**
 * ConfigMap (v1) → a collector unit for every `data` value that is a collector config, whatever its
 * key (`relay` in the Helm chart's, `collector.yaml` in the operator's, any other): the value's text
 * parsed on its own, with the offset map of its scalar (./embedded.ts), so problems sit on the
 * ConfigMap's lines and fixes edit them. The collector runs in the pod that mounts the ConfigMap: when
 * a workload of the same file mounts it, that container's mounts say where its files come from.
 */
import { isScalar } from 'yaml';
import { containerMounts, type ContainerContext, type KubernetesObject } from '../model/kubernetes';
import { getEntry, mapEntries } from '../yaml/yamlNodes';
import { embeddedCollectorUnit } from './collectorYaml';
import { embeddedScalar } from './embedded';
import type { ManifestContext } from './kubernetesManifest';

export function readConfigMap(object: KubernetesObject, context: ManifestContext): void {
  const data = getEntry(object.node, object.doc, 'data')?.value;
  for (const entry of mapEntries(data, object.doc)) {
    if (entry.merged || !isScalar(entry.value) || typeof entry.value.value !== 'string') continue;
    const embedded = embeddedScalar(context.text, entry.value);
    if (!embedded) continue;
    const unit = embeddedCollectorUnit(embedded.text, embedded.offsets, {
      index: context.collectors.length,
      known: false,
      reuse: { key: `${context.path}\u0000${object.document}\u0000${object.label}\u0000${entry.key}`, cache: context.caches.yamlChunks },
    });
    if (!unit) continue;
    unit.label = `${object.label} data.${entry.key}`;
    unit.container = mountingContainer(object, context.objects) ?? { label: `the container that mounts ${object.label}`, mounts: [] };
    context.collectors.push(unit);
  }
}

/** The first container of a workload in `objects` that mounts ConfigMap `configMap` (same namespace). */
function mountingContainer(configMap: KubernetesObject, objects: readonly KubernetesObject[]): ContainerContext | undefined {
  for (const object of objects) {
    if (!object.pod || (object.namespace ?? 'default') !== (configMap.namespace ?? 'default')) continue;
    for (const container of object.pod.containers) {
      const mounts = container.volumeMounts.some((m) => {
        const source = m.volume?.source;
        if (source?.kind === 'configMap') return source.name === configMap.name;
        return source?.kind === 'projected' && source.sources.some((s) => s.kind === 'configMap' && s.name === configMap.name);
      });
      if (mounts) return { label: `${container.init ? 'init container' : 'container'} ${container.name} of ${object.label}`, mounts: containerMounts(container.volumeMounts) };
    }
  }
  return undefined;
}

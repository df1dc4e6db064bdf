/**
 * ConfigMap (v1) → a collector unit for every `data` value that is a collector config, whatever its
 * key (`relay` in the Helm chart's, `collector.yaml` in the operator's, any other): the value's text
 * parsed on its own, with the offset map of its scalar (./embedded.ts), so problems sit on the
 * ConfigMap's lines and fixes edit them. The collector runs in the pod that mounts the ConfigMap: when
 * a workload of the same file mounts it, that container's mounts say where its files come from.
 */
import { isScalar } from 'yaml';
import { mountingLookup, type ContainerContext, type KubernetesObject, type MountingLookup } from '../model/kubernetes';
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
      reuse: context.caches.yamlChunks && { key: `${context.path}\u0000${object.document}\u0000${object.label}\u0000${entry.key}`, cache: context.caches.yamlChunks },
    });
    if (!unit) continue;
    unit.label = `${object.label} data.${entry.key}`;
    // No workload of this file mounts it: the checks look for one in the workspace (model/cluster.ts containerOf).
    unit.container = configMapContainer(object, context.objects) ?? {
      label: `the container that mounts ${object.label}`,
      mounts: [],
      ...(object.namespace ? { namespace: object.namespace } : {}),
      ...(object.name ? { mountedAs: { kind: 'configMap' as const, name: object.name, ...(object.namespace ? { namespace: object.namespace } : {}) } } : {}),
    };
    context.collectors.push(unit);
  }
}

/** The first container of a workload in `objects` that mounts ConfigMap `configMap` (same namespace). */
export function configMapContainer(configMap: KubernetesObject, objects: readonly KubernetesObject[]): ContainerContext | undefined {
  return configMap.name ? lookupOf(objects).container(configMap.name, configMap.namespace) : undefined;
}

/** `configMapContainer`'s answer as JSON (`null` for none), made once per mounting container. */
export function configMapContainerJson(configMap: KubernetesObject, objects: readonly KubernetesObject[]): string {
  return configMap.name ? lookupOf(objects).json(configMap.name, configMap.namespace) : 'null';
}

/** What `configMapContainerJson` answers from `objects`: the same object while every answer is the same (MountingLookup.token). */
export function configMapContainersToken(objects: readonly KubernetesObject[]): object {
  return lookupOf(objects).token();
}

/** One lookup per list of a file's objects (one list per read of the file): every ConfigMap of it asks. */
const lookups = new WeakMap<readonly KubernetesObject[], MountingLookup>();

function lookupOf(objects: readonly KubernetesObject[]): MountingLookup {
  let lookup = lookups.get(objects);
  if (!lookup) {
    lookup = mountingLookup(objects);
    lookups.set(objects, lookup);
  }
  return lookup;
}

/**
 * Kubernetes workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
 * ReplicationController, PodTemplate) → one app unit per container and init container that sets
 * `OTEL_*` variables: its `env` as the container sees it (./k8sEnv.ts), named in messages as written
 * (`env[3] OTEL_EXPORTER_OTLP_ENDPOINT`, the unit labelled `container app of Deployment shop/checkout`),
 * its `envFrom` sources as settings that cannot be read here, and its volume mounts as the place its
 * certificate files come from. A container without `OTEL_*` variables is not an app unit, unless an
 * inject annotation has the OpenTelemetry Operator instrument it (`injection`, resolved against the
 * workspace's Instrumentation resources by ../model/operatorInjection.ts).
 */
import { isMap } from 'yaml';
import { containerMounts, type Container, type KubernetesObject } from '../model/kubernetes';
import { podInjections, type PodInjection } from '../model/operatorInjection';
import type { AppUnit } from '../model/units';
import { identityMap } from './embedded';
import { envListSettings, yamlAppEdits } from './k8sEnv';
import type { ManifestContext } from './kubernetesManifest';

export function readWorkload(object: KubernetesObject, context: ManifestContext): void {
  const injections = podInjections(object);
  for (const container of object.pod?.containers ?? []) {
    // The first annotation (INJECT_LANGUAGES order) that picks the container; a container listed twice is rejected anyway.
    const found = injections.find((i) => i.containers.includes(container.name));
    const toolOptions = container.env.find((e) => e.name === 'JAVA_TOOL_OPTIONS');
    const injection = found && toolOptions?.valueFrom ? { ...found, toolOptionsFrom: `env[${toolOptions.index}] JAVA_TOOL_OPTIONS comes from valueFrom ${toolOptions.valueFrom.description}` } : found;
    const unit = containerUnit(object, container, context, injection);
    if (unit) context.apps.push(unit);
  }
}

function containerUnit(object: KubernetesObject, container: Container, context: ManifestContext, injection: PodInjection | undefined): AppUnit | undefined {
  const index = context.apps.length;
  const { settings, handles, runtime } = envListSettings(container.envNode, container.env, {
    app: index,
    firstSetting: 0,
    written: (entry) => `env[${entry.index}] ${entry.name}`,
    defined: new Map(),
    envFrom: container.envFrom.length > 0,
  });
  if (settings.length === 0 && !injection) return undefined;
  const label = `${container.init ? 'init container' : 'container'} ${container.name} of ${object.label}`;
  // Each envFrom source, on its first key (`configMapRef`).
  const opaqueSources = container.envFrom.flatMap((source) => {
    const key = isMap(source.node) ? (source.node.items[0]?.key as { range?: [number, number, number] } | undefined)?.range : undefined;
    return key ? [{ what: `envFrom ${source.description}`, offset: key[0], length: key[1] - key[0] }] : [];
  });
  return {
    kind: 'app',
    index,
    text: context.text,
    offsets: identityMap,
    settings,
    edits: yamlAppEdits(context.text, handles),
    label,
    container: { label: 'the container', mounts: containerMounts(container.volumeMounts) },
    ...(opaqueSources.length > 0 ? { opaqueSources } : {}),
    ...(runtime.length > 0 ? { runtime } : {}),
    ...(injection ? { injection } : {}),
  };
}

/**
 * The operator's OpenTelemetryCollector resource → a collector unit for `spec.config`:
 * - `opentelemetry.io/v1alpha1`: a string holding the config's YAML, parsed on its own with the offset
 *   map of its scalar (./embedded.ts);
 * - `opentelemetry.io/v1beta1` (the storage version): a mapping, read in place.
 * The collector's container mounts `spec.volumeMounts` of `spec.volumes`, and the operator's own
 * ConfigMap at /conf (docs/facts/operator.md §4). The other type in either version is a mistake the
 * API server rejects (`invalid-value`); the config is still checked.
 */
import { Document, isMap, isScalar } from 'yaml';
import { containerMounts, readVolumeMounts, readVolumes, type ContainerContext, type KubernetesObject } from '../model/kubernetes';
import { operatorServiceNames, type GeneratedService } from '../model/services';
import { collectorModel, isCollectorRoot } from '../model/collector';
import { problemAt } from '../problems';
import { getEntry } from '../yaml/yamlNodes';
import { embeddedCollectorUnit } from './collectorYaml';
import { embeddedScalar, identityMap } from './embedded';
import type { ManifestContext } from './kubernetesManifest';

export function readCollectorResource(object: KubernetesObject, context: ManifestContext): void {
  const { doc } = object;
  const spec = getEntry(object.node, doc, 'spec')?.value;
  const config = getEntry(spec, doc, 'config');
  if (!config) return;
  const version = object.apiVersion.slice(object.apiVersion.indexOf('/') + 1);
  const label = `${object.label} spec.config`;
  const volumes = readVolumes(doc, getEntry(spec, doc, 'volumes')?.value);
  const container: ContainerContext = {
    label: "the collector's container",
    mounts: [{ path: '/conf', source: `the ConfigMap the operator generates from ${object.label}` }, ...containerMounts(readVolumeMounts(doc, getEntry(spec, doc, 'volumeMounts')?.value, volumes))],
    ...(object.namespace ? { namespace: object.namespace } : {}),
    ...(object.name ? { services: operatorServices(object.name, object.namespace, object.label) } : {}),
  };
  const index = context.collectors.length;
  if (isScalar(config.value) && typeof config.value.value === 'string') {
    if (version === 'v1beta1') wrongType(config.keyNode, `${object.apiVersion} takes spec.config as a mapping; the API server rejects a string here. Write the config's keys under config:, or use opentelemetry.io/v1alpha1.`, context);
    const embedded = embeddedScalar(context.text, config.value);
    const unit = embedded && embeddedCollectorUnit(embedded.text, embedded.offsets, { index, known: true, reuse: context.caches.yamlChunks && { key: `${context.path}\u0000${object.document}\u0000${label}`, cache: context.caches.yamlChunks } });
    if (unit) context.collectors.push({ ...unit, label, container });
    return;
  }
  if (!isMap(config.value) || !isCollectorRoot(doc, config.value)) return;
  if (version === 'v1alpha1') wrongType(config.keyNode, `${object.apiVersion} takes spec.config as a string holding the config's YAML (config: |); the API server rejects a mapping here. Use opentelemetry.io/v1beta1 for a mapping.`, context);
  context.collectors.push({ kind: 'collector', index, text: context.text, offsets: identityMap, model: collectorModel(withoutErrors(doc), config.value), label, container });
}

function wrongType(node: Parameters<typeof problemAt>[0], message: string, context: ManifestContext): void {
  const problem = problemAt(node, 'invalid-value', message);
  if (problem) context.problems.push(problem);
}

/**
 * The document as a collector unit over one of its nodes sees it: the same nodes (aliases resolve in
 * it), without the outer file's syntax errors, which the manifest reports once for the file.
 */
export function withoutErrors(doc: Document): Document {
  const shell = new Document(null);
  shell.contents = doc.contents;
  return shell;
}

/**
 * The Services the operator makes for the collector (docs/facts/operator.md §4): `<name>-collector` and
 * `<name>-collector-headless`, on the ports of its receivers, targetPort the same.
 */
function operatorServices(name: string, namespace: string | undefined, label: string): GeneratedService[] {
  return operatorServiceNames(name).map((service) => ({
    label: `Service ${namespace ? `${namespace}/` : ''}${service} (made by the operator for ${label})`,
    name: service,
    ...(namespace ? { namespace } : {}),
    ...(service.endsWith('-headless') ? { headless: true } : {}),
  }));
}

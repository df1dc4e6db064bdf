/**
 * Source: Kubernetes manifests, by content (a YAML file whose documents have `apiVersion` and
 * `kind`; `---` between documents; `kind: List`), whatever the file's name. Each object goes to the
 * reader of its kind:
 * - ConfigMap (`./k8sConfigMap.ts`): a collector unit for every `data` value that is a collector config;
 * - Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob... (`./k8sWorkload.ts`): an app
 *   unit for every container and init container with `OTEL_*` variables;
 * - OpenTelemetryCollector (`./otelCollectorResource.ts`): a collector unit for `spec.config`;
 * - Instrumentation (`./instrumentationResource.ts`): app units for what the operator injects;
 * - cert-manager Certificate, Issuer, ClusterIssuer, Secret, Service, and ConfigMaps too
 *   (`./k8sClusterResources.ts`): no unit, their typed view for the cluster index and the manifest checks.
 * Every object is kept in ParsedFile.kubernetes.
 *
 * The documents are parsed with reuse (../yaml/yamlDocuments.ts): an edit parses one document again.
 * The outer YAML's own syntax errors are file problems (`yaml-syntax`). A document holding Helm
 * template actions (`{{ }}` outside string values, which makes it YAML only after `helm template`) is
 * not read at all: no units, no `yaml-syntax`. A document that is not a Kubernetes object is not read.
 */
import { isMap, isSeq, visit, type Document } from 'yaml';
import type { Caches } from '../caches';
import type { Problem } from '../languageTypes';
import { kubernetesObjects, type KubernetesObject } from '../model/kubernetes';
import type { AppUnit, CollectorUnit } from '../model/units';
import { problemAt, yamlErrorProblems } from '../problems';
import { getEntry, mapEntries } from '../yaml/yamlNodes';
import { parseDocuments } from '../yaml/yamlDocuments';
import { isYamlPath } from './collectorYaml';
import type { Source, SourceUnits } from './detect';
import { isCertManagerKind } from '../model/certManager';
import { readClusterResource } from './k8sClusterResources';
import { readConfigMap } from './k8sConfigMap';
import { readWorkload } from './k8sWorkload';
import { readInstrumentation } from './instrumentationResource';
import { readCollectorResource } from './otelCollectorResource';

/** What a kind's reader gets: the file, every object in it, and the lists it adds its units and problems to. */
export interface ManifestContext {
  path: string;
  text: string;
  caches: Caches;
  objects: readonly KubernetesObject[];
  collectors: CollectorUnit[];
  apps: AppUnit[];
  problems: Problem[];
}

type ObjectReader = (object: KubernetesObject, context: ManifestContext) => void;

const readConfigMapAndKeys: ObjectReader = (object, context) => {
  readClusterResource(object, context);
  readConfigMap(object, context);
};

/** The reader of each kind (and API group, where the kind name is not enough). */
function readerOf(object: KubernetesObject): ObjectReader | undefined {
  if (object.pod) return readWorkload;
  const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
  if (object.kind === 'ConfigMap' && group === '') return readConfigMapAndKeys;
  if (group === '' && (object.kind === 'Secret' || object.kind === 'Service')) return readClusterResource;
  if (isCertManagerKind(object.apiVersion, object.kind)) return readClusterResource;
  if (group === 'opentelemetry.io' && object.kind === 'OpenTelemetryCollector') return readCollectorResource;
  if (group === 'opentelemetry.io' && object.kind === 'Instrumentation') return readInstrumentation;
  if (object.kind === 'Namespace' && group === '') return readNamespace;
  return undefined;
}

/**
 * A Namespace with inject annotations: the operator instruments every pod of the namespace (annotationValue,
 * docs/facts/operator.md §2.3), which the checker does not apply to the pods of the workspace (it reads the pod
 * templates' own annotations): said on each, never silent.
 */
function readNamespace(object: KubernetesObject, context: ManifestContext): void {
  const annotations = getEntry(getEntry(object.node, object.doc, 'metadata')?.value, object.doc, 'annotations')?.value;
  for (const entry of mapEntries(annotations, object.doc)) {
    const language = /^instrumentation\.opentelemetry\.io\/inject-(.+)$/.exec(entry.key)?.[1];
    const value = object.annotations[entry.key]?.trim();
    if (!language || !value || value.toLowerCase() === 'false') continue;
    const problem = problemAt(entry.value ?? entry.keyNode, 'injection-not-judged', `${object.label}: its pods are judged without what the operator injects; annotate their pod templates. The operator instruments the pods of this namespace (inject-${language}: ${value}) that do not say otherwise, but this checker applies only the inject annotations of the pod templates themselves: the pods of this namespace are judged without what the operator injects. Annotate their pod templates to have them judged with it.`);
    if (problem) context.problems.push(problem);
  }
}

/** Top-level `apiVersion:` and `kind:` lines (quoted keys too): the cheap look before any parse. */
const API_VERSION_LINE = /^["']?apiVersion["']?[ \t]*:/m;
const KIND_LINE = /^["']?kind["']?[ \t]*:/m;

export function looksLikeManifest(text: string, hasLine: (pattern: RegExp) => boolean = (pattern) => pattern.test(text)): boolean {
  return hasLine(API_VERSION_LINE) && hasLine(KIND_LINE);
}

export const kubernetesManifestSource: Source = {
  name: 'kubernetesManifest',
  yaml: true,
  accepts: isYamlPath,
  read({ path, text }, { caches, hasLine }): SourceUnits {
    if (!looksLikeManifest(text, hasLine)) return { collectors: [], apps: [] };
    const objects: KubernetesObject[] = [];
    const problems: Problem[] = [];
    let templates = 0;
    for (const { doc, index } of parseDocuments(text, { key: path, cache: caches.yamlDocuments })) {
      if (doc.contents === null || doc.contents === undefined) continue;
      if (isHelmTemplate(doc, text)) {
        templates++;
        continue;
      }
      // A document reused from the last parse keeps its objects (they hold nodes, which move with it).
      const known = caches.kubernetesObjects.get(doc);
      const found = known && known.document === index ? known.objects : kubernetesObjects(doc, index);
      if (found !== known?.objects) caches.kubernetesObjects.set(doc, { document: index, objects: found });
      if (found.length === 0) continue;
      for (const problem of yamlErrorProblems(doc, text)) problems.push(problem);
      objects.push(...found);
    }
    if (objects.length === 0) return { collectors: [], apps: [], claimed: templates > 0 };
    const context: ManifestContext = { path, text, caches, objects, collectors: [], apps: [], problems };
    for (const object of objects) readerOf(object)?.(object, context);
    return { collectors: context.collectors, apps: context.apps, problems, kubernetes: objects, claimed: true };
  },
};

/**
 * A document with Helm template actions outside its string values: `{{ }}` that the YAML parser
 * rejects (`{{- if … }}` lines) or reads as a flow collection (`name: {{ .Release.Name }}`).
 * `{{ }}` inside a quoted or block string (a `tpl`'d value) is only an unknown value.
 */
export function isHelmTemplate(doc: Document, text: string): boolean {
  const range = doc.range;
  const source = range ? text.slice(range[0], range[2]) : text;
  if (!source.includes('{{')) return false;
  if (doc.errors.length > 0) return true;
  let found = false;
  visit(doc, {
    Node(_, node) {
      if ((isMap(node) || isSeq(node)) && node.flow && node.range && text.startsWith('{{', node.range[0])) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

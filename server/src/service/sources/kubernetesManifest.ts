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
 * The documents are parsed with reuse (../yaml/yamlDocuments.ts): an edit parses one document again, and
 * what the readers made of every other document is given again (readDocument), so its units keep their
 * check results (../checkCache.ts).
 * The outer YAML's own syntax errors are file problems (`yaml-syntax`). A document holding Helm
 * template actions (`{{ }}` outside string values, which makes it YAML only after `helm template`) is
 * not read at all: no units, no `yaml-syntax`. A document that is not a Kubernetes object is not read.
 */
import { isMap, isSeq, visit, type Document } from 'yaml';
import type { Caches } from '../caches';
import type { Problem } from '../languageTypes';
import { kubernetesObjects, type KubernetesObject } from '../model/kubernetes';
import type { AppUnit, CollectorUnit, Unit } from '../model/units';
import { problemAt, yamlErrorProblems } from '../problems';
import { getEntry, mapEntries } from '../yaml/yamlNodes';
import { parseDocuments } from '../yaml/yamlDocuments';
import { isYamlPath } from './collectorYaml';
import type { Source, SourceUnits } from './detect';
import { isCertManagerKind } from '../model/certManager';
import { readClusterResource } from './k8sClusterResources';
import { configMapContainerJson, configMapContainersToken, readConfigMap } from './k8sConfigMap';
import type { OffsetMap } from './embedded';
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

/**
 * What the readers made of one document, kept with it (Caches.manifestDocuments) while the document is
 * reused: its units and problems, and what they were made from besides the document's own text (its
 * position, the units before it, what its readers read of the other documents).
 */
export interface ManifestDocument {
  /** 0-based position of the document in the file. */
  document: number;
  objects: KubernetesObject[];
  /** The document holds Helm template actions: not read. */
  template: boolean;
  read?: DocumentReading;
}

interface DocumentReading {
  /** Where the document started (file offset), and the number of collector and app units of the documents before it. */
  start: number;
  collectorBase: number;
  appBase: number;
  /** What its readers read of the file's other objects (outsideReads), and what it was read from (configMapContainersToken). */
  outside: string;
  outsideFrom: object;
  collectors: CollectorUnit[];
  apps: AppUnit[];
  /** The readers' problems, in file offsets at `start`. */
  problems: Problem[];
  /** The key each unit's check results are kept under (Unit.keptAs), in unit order: the same for the units made anew after a move. */
  collectorKeys: object[];
  appKeys: object[];
  /** The units and problems placed where the document moved to last (over its own text, they move without being read again). */
  moved?: { start: number; collectors: CollectorUnit[]; problems: Problem[] };
}

/**
 * What the readers of `objects` (one document's) read of the other objects of the file: a ConfigMap's
 * collector config runs in the container of the file that mounts it (./k8sConfigMap.ts). Every other
 * reader reads its own object only.
 */
function outsideReads(objects: readonly KubernetesObject[], all: readonly KubernetesObject[]): string {
  let out = '';
  for (const object of objects) if (readerOf(object) === readConfigMapAndKeys) out += `${configMapContainerJson(object, all)}\u0001`;
  return out;
}

export const kubernetesManifestSource: Source = {
  name: 'kubernetesManifest',
  yaml: true,
  accepts: isYamlPath,
  read({ path, text }, { caches, hasLine }): SourceUnits {
    if (!looksLikeManifest(text, hasLine)) return { collectors: [], apps: [] };
    const objects: KubernetesObject[] = [];
    const problems: Problem[] = [];
    const documents: { doc: Document; known: ManifestDocument }[] = [];
    let templates = 0;
    for (const { doc, index, patched } of parseDocuments(text, { key: path, cache: caches.yamlDocuments, hasLine, patch: true, delta: (old, next) => caches.deltas.between(old, next) })) {
      if (doc.contents === null || doc.contents === undefined) continue;
      // A document reused from the last parse keeps its objects (they hold nodes, which move with it) and what was read of them.
      // One changed in place (an edit inside a block scalar: a ConfigMap's config) is read again, as a new parse would be.
      let known = caches.manifestDocuments.get(doc);
      if (!known || known.document !== index || patched) {
        const template = isHelmTemplate(doc, text);
        known = { document: index, template, objects: template ? [] : kubernetesObjects(doc, index) };
        caches.manifestDocuments.set(doc, known);
      }
      if (known.template) {
        templates++;
        continue;
      }
      if (known.objects.length === 0) continue;
      for (const problem of yamlErrorProblems(doc, text)) problems.push(problem);
      for (const object of known.objects) objects.push(object);
      documents.push({ doc, known });
    }
    if (objects.length === 0) return { collectors: [], apps: [], claimed: templates > 0 };
    const context: ManifestContext = { path, text, caches, objects, collectors: [], apps: [], problems: [] };
    for (const { doc, known } of documents) readDocument(doc, known, context);
    for (const problem of context.problems) problems.push(problem);
    return { collectors: context.collectors, apps: context.apps, problems, kubernetes: objects, claimed: true };
  },
};

/**
 * The units and problems of one document, added to `context`: those of the last parse when the document
 * and what its readers read are unchanged (moved with the document when it moved), else read again.
 */
function readDocument(doc: Document, known: ManifestDocument, context: ManifestContext): void {
  const start = doc.range?.[0] ?? 0;
  const last = known.read;
  // The same objects of this document (a reading is kept with them) and the same mounting containers: the same reads.
  const outsideFrom = configMapContainersToken(context.objects);
  const outside = last?.outsideFrom === outsideFrom ? last.outside : outsideReads(known.objects, context.objects);
  const same = last !== undefined && last.collectorBase === context.collectors.length && last.appBase === context.apps.length && last.outside === outside;
  if (same && last.start === start) {
    // Unchanged and in place: the same units. One over the file's text gets this text (the same where it reads).
    for (const unit of last.collectors) context.collectors.push(unit.offsets.identity ? { ...unit, text: context.text } : unit);
    for (const unit of last.apps) context.apps.push({ ...unit, text: context.text });
    for (const problem of last.problems) context.problems.push(problem);
    return;
  }
  if (same && last.apps.length === 0 && last.collectors.every((unit) => !unit.offsets.identity) && last.problems.every((p) => !p.related)) {
    // Moved, and every unit is over its own text (a ConfigMap's collector config): the same units, placed where the
    // document is now (made from the first ones, once per place, so a unit that stays there is the same object).
    if (last.moved?.start !== start) {
      const delta = start - last.start;
      last.moved = { start, collectors: last.collectors.map((unit) => movedUnit(unit, delta)), problems: last.problems.map((problem) => movedProblem(problem, delta)) };
    }
    for (const unit of last.moved.collectors) context.collectors.push(unit);
    for (const problem of last.moved.problems) context.problems.push(problem);
    return;
  }
  const collectorBase = context.collectors.length;
  const appBase = context.apps.length;
  const problemBase = context.problems.length;
  for (const object of known.objects) readerOf(object)?.(object, context);
  const collectors = context.collectors.slice(collectorBase);
  const apps = context.apps.slice(appBase);
  // Made anew from the same document (it moved): each unit keeps the key of the one it replaces, so its kept check results stand.
  const keys = (units: readonly Unit[], previous: object[] | undefined): object[] => units.map((_, i) => (same && previous!.length === units.length ? previous![i] : {}));
  const reading: DocumentReading = { start, collectorBase, appBase, outside, outsideFrom, collectors, apps, problems: context.problems.slice(problemBase), collectorKeys: keys(collectors, last?.collectorKeys), appKeys: keys(apps, last?.appKeys) };
  collectors.forEach((unit, i) => (unit.keptAs = { key: reading.collectorKeys[i], offset: unit.offsets.identity ? start : 0 }));
  apps.forEach((unit, i) => (unit.keptAs = { key: reading.appKeys[i], offset: start }));
  known.read = reading;
}

/** A unit over its own text (an embedded config) whose document moved by `delta`: the same unit, its offsets mapped that much further. */
function movedUnit(unit: CollectorUnit, delta: number): CollectorUnit {
  // Object.create keeps what the unit computes on first read (a cut config's whole model) shared with it.
  return Object.create(unit, { offsets: { value: shiftedMap(unit.offsets, delta), enumerable: true } }) as CollectorUnit;
}

function shiftedMap(map: OffsetMap, delta: number): OffsetMap {
  const span = map.span;
  return {
    identity: false,
    toFile: (offset) => map.toFile(offset) + delta,
    toUnit: (offset) => map.toUnit(offset - delta),
    editToFile(offset, length, text) {
      const change = map.editToFile(offset, length, text);
      return change && { ...change, offset: change.offset + delta };
    },
    ...(map.anchor ? { anchor: { offset: map.anchor.offset + delta, length: map.anchor.length } } : {}),
    ...(span
      ? {
          span(offset: number, length: number) {
            const found = span(offset, length);
            return { offset: found.offset + delta, length: found.length };
          },
        }
      : {}),
  };
}

function movedProblem(problem: Problem, delta: number): Problem {
  const moved: Problem = { ...problem, offset: problem.offset + delta };
  if (problem.cause && 'offset' in problem.cause) moved.cause = { ...problem.cause, offset: problem.cause.offset + delta };
  return moved;
}
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

/**
 * A collector config as the checks see it, built from a YAML root node of some document (the `yaml`
 * library's nodes and ranges): every TLS block with its side, the receivers' listeners and the OTLP
 * exporters' targets. Which files hold a collector config, and where, is the sources' business
 * (../sources/collectorYaml.ts).
 */
import { isMap, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import type { KeyPath } from '../languageTypes';
import { OTLP_GRPC_EXPORTERS, OTLP_HTTP_EXPORTERS, componentSpec, tlsRole, type Section, type TlsRole } from './componentRoles';
import { getEntry, mapEntries, nodeAt, noteLimit, resolve, scalarText, type AnyNode, type MapEntry } from '../yaml/yamlNodes';

export const COLLECTOR_SECTIONS: readonly Section[] = ['receivers', 'exporters', 'processors', 'extensions', 'connectors'];
/** The top-level keys that make a mapping a collector config. */
export const COLLECTOR_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set<string>([...COLLECTOR_SECTIONS, 'service']);

/** The `$defs` of schemas/collector-tls.schema.json that a block is validated against. */
export type TlsSchemaDef = 'tlsClient' | 'tlsServer' | 'tlsEither' | 'tlsSquashedClient' | 'telemetryOtlpExporter';

export interface ComponentRef {
  section: Section | 'service';
  /** `otlp` for `otlp/internal`. */
  type: string;
  /** The whole key, `otlp/internal`. */
  id: string;
  /** Keys from the root to the component (`['exporters', 'otlp/internal']`, `['service', 'telemetry']`). */
  keyPath: KeyPath;
  keyNode: Scalar;
  /** The component's settings (resolved; null for `otlp:` with no value). */
  node: AnyNode;
}

export interface TlsBlock {
  /** `server`/`client`/`either` for configtls blocks; `telemetry` for the SDK-style exporters of service.telemetry. */
  role: TlsRole | 'telemetry';
  schema: TlsSchemaDef;
  component: ComponentRef;
  /** Keys from the component root to the block (`['protocols','grpc','tls']`). */
  path: (string | number)[];
  /** Keys from the root of the config to the block (its locator's path). */
  keyPath: KeyPath;
  /** The `tls` key; undefined for squashed keys and telemetry exporters, where the keys sit in the component. */
  keyNode?: Scalar;
  /** The block's mapping (null for `tls:` with no value). */
  node: AnyNode;
  entries: readonly MapEntry[];
}

export type Protocol = 'grpc' | 'http' | 'other';

/** A place a receiver (or a server-side extension/exporter) listens with or without TLS. */
export interface Listener {
  component: ComponentRef;
  protocol: Protocol;
  /** The endpoint as written, or the Collector's default. */
  endpoint: string;
  /** The endpoint's value node; undefined when the default applies. */
  endpointNode?: AnyNode;
  /** The node to anchor diagnostics about this listener on (the endpoint, or the protocol key). */
  anchor: AnyNode;
  /** Present when the listener serves TLS. */
  tls?: TlsBlock;
}

/** An OTLP exporter and where it sends. */
export interface ExporterTarget {
  component: ComponentRef;
  protocol: 'grpc' | 'http';
  endpoint?: MapEntry;
  /** Per-signal endpoints of otlp_http (`traces_endpoint`...). */
  signalEndpoints: MapEntry[];
  tls?: TlsBlock;
}

export interface CollectorModel {
  doc: Document;
  /** The config's root node in `doc`. */
  root: AnyNode;
  /** Every component of receivers, exporters, processors, extensions and connectors, in file order. */
  components: ComponentRef[];
  tlsBlocks: TlsBlock[];
  listeners: Listener[];
  exporters: ExporterTarget[];
}

/** A bound on the nodes visited, so alias-heavy documents cannot make a walk explode. */
const VISIT_BUDGET = 200_000;
/** Real configs nest a dozen levels; deeper documents are not walked further (no stack overflow). */
const MAX_DEPTH = 256;

/** Whether `root` is a mapping with a collector section (or `service`). */
export function isCollectorRoot(doc: Document, root: AnyNode): boolean {
  return isMap(root) && mapEntries(root, doc).some((e) => COLLECTOR_TOP_LEVEL_KEYS.has(e.key));
}

/** The collector config whose root node is `root` (the document's contents by default). */
export function collectorModel(doc: Document, root: AnyNode = doc.contents): CollectorModel {
  const model = emptyModel(doc, root);
  if (!isMap(root)) return model;
  const budget = { left: VISIT_BUDGET };
  for (const sectionEntry of mapEntries(root, doc)) collectSection(model, sectionEntry, budget);
  return model;
}

/** A model with nothing in it yet. */
export function emptyModel(doc: Document, root: AnyNode): CollectorModel {
  return { doc, root, components: [], tlsBlocks: [], listeners: [], exporters: [] };
}

/**
 * The part of a model one chunk of a cut config holds (../yaml/yamlChunks.ts): a whole top-level
 * section, or one component of `section` (the chunk's document holds the component's pair alone), over
 * the chunk's own document. Each chunk has its own walk budget: a cut config has no aliases, so a
 * walk is bounded by the chunk's size.
 */
export function chunkModel(doc: Document, kind: 'section' | 'header' | 'component', section: string): CollectorModel {
  const root = doc.contents as AnyNode;
  const model = emptyModel(doc, root);
  if (kind === 'header' || !isMap(root)) return model;
  const budget = { left: VISIT_BUDGET };
  for (const entry of mapEntries(root, doc)) {
    if (kind === 'section') collectSection(model, entry, budget);
    else if ((COLLECTOR_SECTIONS as readonly string[]).includes(section)) collectComponentEntry(model, section as Section, entry, budget);
  }
  return model;
}

/** The models of consecutive parts of one config, as one model over `doc` and `root`. */
export function joinModels(doc: Document, root: AnyNode, parts: readonly CollectorModel[]): CollectorModel {
  const model = emptyModel(doc, root);
  for (const part of parts) {
    for (const c of part.components) model.components.push(c);
    for (const b of part.tlsBlocks) model.tlsBlocks.push(b);
    for (const l of part.listeners) model.listeners.push(l);
    for (const e of part.exporters) model.exporters.push(e);
  }
  return model;
}

function collectSection(model: CollectorModel, sectionEntry: MapEntry, budget: { left: number }): void {
  const { doc } = model;
  if ((COLLECTOR_SECTIONS as readonly string[]).includes(sectionEntry.key)) {
    for (const componentEntry of mapEntries(sectionEntry.value, doc)) collectComponentEntry(model, sectionEntry.key as Section, componentEntry, budget);
  } else if (sectionEntry.key === 'service') {
    const telemetry = getEntry(sectionEntry.value, doc, 'telemetry');
    if (telemetry) {
      const component: ComponentRef = { section: 'service', type: 'telemetry', id: 'telemetry', keyPath: ['service', 'telemetry'], keyNode: telemetry.keyNode, node: telemetry.value };
      collectTelemetry(model, component, telemetry.value, ['telemetry'], budget);
    }
  }
}

function collectComponentEntry(model: CollectorModel, section: Section, componentEntry: MapEntry, budget: { left: number }): void {
  const id = componentEntry.key;
  const component: ComponentRef = { section, type: id.split('/')[0], id, keyPath: [section, id], keyNode: componentEntry.keyNode, node: componentEntry.value };
  model.components.push(component);
  collectComponent(model, component, componentEntry.value, budget);
}

function collectComponent(model: CollectorModel, component: ComponentRef, node: AnyNode, budget: { left: number }): void {
  const { doc } = model;
  const section = component.section as Section;
  const spec = componentSpec(section, component.type);
  const blocksBefore = model.tlsBlocks.length;

  if (spec?.squashed && isMap(node)) {
    model.tlsBlocks.push({ role: 'client', schema: 'tlsSquashedClient', component, path: [], keyPath: component.keyPath, node, entries: mapEntries(node, doc) });
  }
  walkForTls(model, component, node, [], budget, new Set());

  if (section === 'receivers' && component.type === 'otlp') {
    collectOtlpReceiver(model, component, node, model.tlsBlocks.slice(blocksBefore));
  } else {
    // Any other server-side TLS block next to an `endpoint` is a listener.
    for (const block of model.tlsBlocks.slice(blocksBefore)) {
      if (block.role !== 'server') continue;
      const parent = nodeAt(doc, node, block.path.slice(0, -1));
      const endpoint = getEntry(parent, doc, 'endpoint');
      const text = scalarText(endpoint?.value);
      if (endpoint && text) {
        model.listeners.push({ component, protocol: 'other', endpoint: text, endpointNode: endpoint.value, anchor: endpoint.value, tls: block });
      }
    }
  }

  if (section === 'exporters' && (OTLP_GRPC_EXPORTERS.has(component.type) || OTLP_HTTP_EXPORTERS.has(component.type))) {
    const protocol = OTLP_GRPC_EXPORTERS.has(component.type) ? 'grpc' : 'http';
    const tls = model.tlsBlocks.slice(blocksBefore).find((b) => b.path.length === 1);
    model.exporters.push({
      component,
      protocol,
      endpoint: getEntry(node, doc, 'endpoint'),
      signalEndpoints: mapEntries(node, doc).filter((e) => /^(traces|metrics|logs|profiles)_endpoint$/.test(e.key)),
      tls,
    });
  }
}

/** `blocks`: the component's own tls blocks (a search of the model's every block, per protocol, was quadratic in a large config). */
function collectOtlpReceiver(model: CollectorModel, component: ComponentRef, node: AnyNode, blocks: readonly TlsBlock[]): void {
  const { doc } = model;
  const protocols = getEntry(node, doc, 'protocols');
  for (const entry of mapEntries(protocols?.value, doc)) {
    if (entry.key !== 'grpc' && entry.key !== 'http') continue;
    const enabled = getEntry(entry.value, doc, 'enabled');
    if (enabled && isScalar(enabled.value) && enabled.value.value === false) continue;
    const endpoint = getEntry(entry.value, doc, 'endpoint');
    const tls = blocks.find((b) => b.path.length === 3 && b.path[0] === 'protocols' && b.path[1] === entry.key && b.path[2] === 'tls');
    model.listeners.push({
      component,
      protocol: entry.key,
      endpoint: scalarText(endpoint?.value) ?? (entry.key === 'grpc' ? 'localhost:4317' : 'localhost:4318'),
      endpointNode: endpoint?.value,
      anchor: endpoint?.value ?? entry.keyNode,
      tls: tls && tlsPresent(tls) ? tls : undefined,
    });
  }
}

/**
 * Server `tls` is a configoptional.Optional: `tls:` and `tls: null` mean no TLS,
 * `tls: {}` means TLS with defaults, `enabled: false` turns it off.
 */
export function tlsPresent(block: TlsBlock): boolean {
  if (block.node === null || (isScalar(block.node) && block.node.value === null)) return false;
  const enabled = block.entries.find((e) => e.key === 'enabled');
  return !(enabled && isScalar(enabled.value) && enabled.value.value === false);
}

function walkForTls(
  model: CollectorModel,
  component: ComponentRef,
  node: AnyNode,
  path: (string | number)[],
  budget: { left: number },
  seen: Set<unknown>,
): void {
  // `seen` makes a walk linear in the document: a node reached again through an alias is not re-walked.
  if (seen.has(node) || !withinBudget(model, component, node, path, budget)) return;
  const { doc } = model;
  if (isMap(node)) {
    seen.add(node);
    for (const entry of mapEntries(node, doc)) {
      const childPath = [...path, entry.key];
      if (entry.key === 'tls') {
        const role = tlsRole(component.section as Section, component.type, childPath);
        const schema: TlsSchemaDef = role === 'server' ? 'tlsServer' : role === 'client' ? 'tlsClient' : 'tlsEither';
        if (entry.value === null || isMap(entry.value) || isScalar(entry.value)) {
          model.tlsBlocks.push({ role, schema, component, path: childPath, keyPath: [...component.keyPath, ...childPath], keyNode: entry.keyNode, node: entry.value, entries: mapEntries(entry.value, doc) });
        }
        continue;
      }
      walkForTls(model, component, entry.value, childPath, budget, seen);
    }
  } else if (isSeq(node)) {
    seen.add(node);
    node.items.forEach((item, index) => walkForTls(model, component, resolve(item, doc), [...path, index], budget, seen));
  }
}

/** Spends one node of the walk's budget; at the end of it (or MAX_DEPTH keys deep), notes where the walk stopped. */
function withinBudget(model: CollectorModel, component: ComponentRef, node: AnyNode, path: (string | number)[], budget: { left: number }): boolean {
  if (--budget.left === -1) {
    noteLimit(model.doc, {
      kind: 'walk',
      offset: component.keyNode.range?.[0] ?? 0,
      length: component.id.length,
      message: `${component.id}: too many nodes through aliases, so tls: blocks from here on may not be checked; write them out. The search for tls: blocks stopped after ${VISIT_BUDGET.toLocaleString('en-US')} nodes, in this component.`,
    });
  }
  if (budget.left < 0) return false;
  if (path.length > MAX_DEPTH) {
    const range = (node as { range?: number[] } | null | undefined)?.range;
    noteLimit(model.doc, { kind: 'walk', offset: range?.[0] ?? 0, length: range ? Math.max(1, range[1] - range[0]) : 0, message: `More than ${MAX_DEPTH} keys deep through aliases, so tls: blocks below are not checked: flatten it. The search for tls: blocks stopped here.` });
    return false;
  }
  return true;
}

/** service.telemetry: `...processors[].batch.exporter.otlp`, `metrics.readers[].periodic.exporter.otlp`. */
function collectTelemetry(
  model: CollectorModel,
  component: ComponentRef,
  node: AnyNode,
  path: (string | number)[],
  budget: { left: number },
  seen: Set<unknown> = new Set(),
): void {
  if (seen.has(node) || !withinBudget(model, component, node, path, budget)) return;
  if (node) seen.add(node);
  const { doc } = model;
  if (isMap(node)) {
    for (const entry of mapEntries(node, doc)) {
      const childPath = [...path, entry.key];
      if (path[path.length - 1] === 'exporter' && /^otlp(_http|_grpc)?$/.test(entry.key) && (isMap(entry.value) || entry.value === null)) {
        model.tlsBlocks.push({ role: 'telemetry', schema: 'telemetryOtlpExporter', component, path: childPath, keyPath: ['service', ...childPath], node: entry.value, entries: mapEntries(entry.value, doc) });
        continue;
      }
      collectTelemetry(model, component, entry.value, childPath, budget, seen);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => collectTelemetry(model, component, resolve(item, doc), [...path, index], budget, seen));
  }
}

/** An entry of a TLS block by key. */
export function blockEntry(block: TlsBlock, key: string): MapEntry | undefined {
  return block.entries.find((e) => e.key === key);
}

/** The key path of entry `key` of a block (`[...block.keyPath, key]`). */
export function entryPath(block: TlsBlock, key: string): KeyPath {
  return [...block.keyPath, key];
}

/** The key path of an exporter's endpoint entry (`endpoint`, `traces_endpoint`...). */
export function endpointPath(exporter: ExporterTarget, entry: MapEntry): KeyPath {
  return [...exporter.component.keyPath, entry.key];
}

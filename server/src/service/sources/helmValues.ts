/**
 * Source: values files of the opentelemetry-collector Helm chart (and its values nested under
 * `opentelemetry-collector:` in a parent chart's, as the demo chart has them), by content: `config:` or
 * `alternateConfig:` holding collector keys, or a `mode:` of the chart with other keys of the chart
 * (`presets`, `configMap`, `ports`, `image`, `command`...). → one collector unit: the config the chart
 * renders (docs/facts/helm-chart.md §2):
 * - `alternateConfig`, when not empty, as written (the chart does not merge it);
 * - else `config` merged over the chart's default config (./helmChartDefaults.ts) as Helm coalesces
 *   values: mappings key by key, anything else replaced whole, `null` deleting the default key. A part
 *   the values leave out is the default's, so it is not missing.
 * The defaults are parsed after the file's text in the unit's own text (offsets past the file's end);
 * the unit's offset map puts anything found in them on the nearest key the values write (the merged
 * mapping's key, else `config:`, else `mode:`), and maps no edit there, so no fix is offered on a part
 * that is not in the file. The chart's default listeners (otlp on ${env:MY_POD_IP}:4317 and :4318, no
 * TLS) take part in pairing like written ones, and say where they come from.
 * With `configMap.create: false` the config is not in this file: `container-path` says so, and there is no unit.
 */
import { Document, Pair, Scalar, YAMLMap, isMap, isScalar, isSeq } from 'yaml';
import type { Problem } from '../languageTypes';
import { collectorModel, isCollectorRoot } from '../model/collector';
import { containerMounts, readVolumeMounts, readVolumes, type ContainerContext } from '../model/kubernetes';
import type { GeneratedService } from '../model/services';
import type { CollectorUnit } from '../model/units';
import { yamlErrorProblems, problemAt } from '../problems';
import { composeAt } from '../yaml/yamlChunks';
import { parseDocuments } from '../yaml/yamlDocuments';
import { getEntry, mapEntries, resolve, type AnyNode, type MapEntry } from '../yaml/yamlNodes';
import { isYamlPath } from './collectorYaml';
import type { Source, SourceUnits } from './detect';
import { identityMap, type OffsetMap } from './embedded';
import { HELM_CHART_DEFAULT_CONFIG } from './helmChartDefaults';
import { looksLikeManifest } from './kubernetesManifest';
import { withoutErrors } from './otelCollectorResource';

const TOP_KEY = /^(mode|config|alternateConfig|presets|configMap|opentelemetry-collector)[ \t]*:/m;
const MODES = new Set(['daemonset', 'deployment', 'statefulset']);
const CHART_KEYS = ['presets', 'configMap', 'ports', 'image', 'command', 'extraEnvs', 'extraVolumes', 'extraVolumeMounts', 'internalTelemetryViaOTLP'];
/** What the defaults come from, for messages. */
export const CHART_DEFAULTS = "the opentelemetry-collector chart's default config";

export const helmValuesSource: Source = {
  name: 'helmValues',
  yaml: true,
  accepts: isYamlPath,
  read({ path, text }, { caches, hasLine }): SourceUnits {
    if (!hasLine(TOP_KEY) || looksLikeManifest(text, hasLine)) return { collectors: [], apps: [] };
    const doc = parseDocuments(text, { key: path, cache: caches.yamlDocuments }).find((d) => d.doc.contents)?.doc;
    if (!doc) return { collectors: [], apps: [] };
    const root = doc.contents as AnyNode;
    const nested = getEntry(root, doc, 'opentelemetry-collector')?.value;
    const values = isChartValues(doc, root) ? root : isChartValues(doc, nested) ? nested : undefined;
    if (!isMap(values)) return { collectors: [], apps: [] };
    const problems: Problem[] = yamlErrorProblems(doc, text);
    const unit = chartConfigUnit(text, doc, values, problems);
    return { collectors: unit ? [unit] : [], apps: [], problems, claimed: true };
  },
};

function isChartValues(doc: Document, node: AnyNode): boolean {
  if (!isMap(node)) return false;
  const entry = (key: string) => getEntry(node, doc, key);
  const enabled = entry('enabled')?.value;
  if (isScalar(enabled) && enabled.value === false) return false;
  for (const key of ['config', 'alternateConfig']) {
    const config = entry(key)?.value;
    if (isMap(config) && isCollectorRoot(doc, config)) return true;
  }
  const mode = entry('mode')?.value;
  return isScalar(mode) && MODES.has(String(mode.value)) && CHART_KEYS.some((key) => entry(key) !== undefined);
}

function chartConfigUnit(text: string, doc: Document, values: YAMLMap, problems: Problem[]): CollectorUnit | undefined {
  const entry = (key: string) => getEntry(values, doc, key);
  const container = chartContainer(doc, values);
  const configMap = entry('configMap')?.value;
  const create = getEntry(configMap, doc, 'create');
  problems.push(...configArgProblems(doc, values));
  if (create && isScalar(create.value) && create.value.value === false) {
    const existing = getEntry(configMap, doc, 'existingName')?.value;
    const name = isScalar(existing) && typeof existing.value === 'string' && existing.value ? `ConfigMap ${existing.value} (configMap.existingName)` : 'a ConfigMap or volume of extraVolumes';
    const problem = problemAt(
      create.keyNode,
      'container-path',
      `The collector's config is not in this file, so it is not checked here: check the file that holds it. With configMap.create: false the chart renders no config from this file, and the collector reads it from ${name}.`,
    );
    if (problem) problems.push(problem);
    return undefined;
  }
  const alternate = entry('alternateConfig');
  if (alternate && isMap(alternate.value) && alternate.value.items.length > 0) {
    return { kind: 'collector', index: 0, text, offsets: identityMap, model: collectorModel(withoutErrors(doc), alternate.value), container };
  }

  // The defaults, parsed after the file's text: their offsets are past its end.
  const base = text.length + 1;
  const unitText = `${text}\n${HELM_CHART_DEFAULT_CONFIG}`;
  const defaultsDoc = composeAt(HELM_CHART_DEFAULT_CONFIG, base)[0];
  const defaults = getEntry(defaultsDoc.contents as AnyNode, defaultsDoc, 'config')?.value;
  const config = entry('config');
  const anchorKey = config?.keyNode ?? entry('mode')?.keyNode ?? mapEntries(values, doc)[0]?.keyNode;
  if (!anchorKey?.range) return undefined;
  const grafts: Graft[] = [];
  const coalesced = coalesce({ values: doc, defaults: defaultsDoc }, config?.value, defaults, span(anchorKey), grafts);
  if (!isMap(coalesced)) return undefined;
  // internalTelemetryViaOTLP: the exporters the chart adds to service.telemetry, parsed after the defaults.
  const telemetry = internalTelemetry(doc, values, problems);
  let generatedText = '';
  const generated: { signal: string; node: YAMLMap; doc: Document }[] = [];
  for (const signal of telemetry) {
    const at = unitText.length + 1 + generatedText.length;
    const piece = telemetryYaml(signal.signal, signal.endpoint);
    const parsed = composeAt(piece, at)[0];
    generatedText += `${piece}\n`;
    const node = parsed.contents;
    if (!isMap(node)) continue;
    grafts.push({ start: at, end: at + piece.length, anchor: signal.anchor });
    generated.push({ signal: signal.signal, node, doc: parsed });
  }
  const merged = generated.length ? withTelemetry(doc, coalesced, generated) : coalesced;
  return {
    kind: 'collector',
    index: 0,
    text: generated.length ? `${unitText}\n${generatedText}` : unitText,
    offsets: overDefaults(text.length, grafts),
    model: collectorModel(withoutErrors(doc), merged),
    container,
    defaultsFrom: { offset: base, what: CHART_DEFAULTS },
  };
}

const TELEMETRY_SIGNALS = ['traces', 'metrics', 'logs'] as const;

/**
 * The signals `internalTelemetryViaOTLP` enables, each with the endpoint the chart gives its exporter (the signal's
 * own, else the common one) and where that is written. An enabled signal with no endpoint fails `helm install`
 * (NOTES.txt: `invalid-value` on its `enabled`). docs/facts/helm-chart.md §2.
 */
function internalTelemetry(doc: Document, values: YAMLMap, problems: Problem[]): { signal: string; endpoint: string; anchor: { offset: number; length: number } }[] {
  const block = getEntry(values, doc, 'internalTelemetryViaOTLP')?.value;
  if (!isMap(block)) return [];
  const stringAt = (node: AnyNode) => (isScalar(node) && typeof node.value === 'string' && node.value !== '' ? { value: node.value, node } : undefined);
  const common = stringAt(getEntry(block, doc, 'endpoint')?.value);
  const out: { signal: string; endpoint: string; anchor: { offset: number; length: number } }[] = [];
  for (const signal of TELEMETRY_SIGNALS) {
    const section = getEntry(block, doc, signal)?.value;
    const enabled = getEntry(section, doc, 'enabled');
    if (!enabled || !isScalar(enabled.value) || enabled.value.value !== true) continue;
    const endpoint = stringAt(getEntry(section, doc, 'endpoint')?.value) ?? common;
    if (!endpoint) {
      const problem = problemAt(
        enabled.value,
        'invalid-value',
        `internalTelemetryViaOTLP.${signal}.enabled is true but no endpoint is set: the chart fails the install with "[ERROR] internalTelemetryViaOTLP.endpoint or .Values.internalTelemetryViaOTLP.${signal}.endpoint must be set when internalTelemetryViaOTLP.${signal}.enabled is true". Set internalTelemetryViaOTLP.endpoint (or ${signal}.endpoint).`,
      );
      if (problem) problems.push(problem);
      continue;
    }
    out.push({ signal, endpoint: endpoint.value, anchor: span(endpoint.node as Scalar) });
  }
  return out;
}

/** The block the chart's `opentelemetry-collector.otelsdkotlp.<signal>` template renders (templates/_config.tpl L1-41). */
function telemetryYaml(signal: string, endpoint: string): string {
  const exporter = `exporter:\n  otlp:\n    protocol: http/protobuf\n    endpoint: ${JSON.stringify(endpoint)}`;
  const indent = (text: string, n: number) => text.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
  return signal === 'metrics' ? `readers:\n  - periodic:\n${indent(exporter, 6)}` : `processors:\n  - batch:\n${indent(exporter, 6)}`;
}

/**
 * The merged config with the chart's telemetry exporters (templates/_config.tpl L43-64): `mustMerge` of
 * service.telemetry over each signal's block, so a key the config already has wins; for metrics the config's
 * `telemetry.metrics.readers` is removed first (and the default prometheus receiver, which scrapes the collector's
 * own metrics: not modelled, no TLS or OTLP).
 */
function withTelemetry(doc: Document, config: YAMLMap, generated: { signal: string; node: YAMLMap; doc: Document }[]): YAMLMap {
  const copy = (map: YAMLMap | undefined) => {
    const out = new YAMLMap();
    if (map) {
      out.items = [...map.items];
      out.range = map.range;
      out.flow = map.flow;
    }
    return out;
  };
  const serviceEntry = getEntry(config, doc, 'service');
  const service = copy(isMap(serviceEntry?.value) ? serviceEntry!.value : undefined);
  const telemetryEntry = getEntry(service, doc, 'telemetry');
  const telemetry = copy(isMap(telemetryEntry?.value) ? telemetryEntry!.value : undefined);
  for (const { signal, node, doc: generatedDoc } of generated) {
    const index = telemetry.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === signal);
    const existing = index >= 0 ? telemetry.items[index].value : undefined;
    if (index < 0 || !isMap(existing)) {
      if (index >= 0) continue; // not a mapping: mustMerge keeps the config's value
      telemetry.items.push(new Pair(new Scalar(signal), node));
      continue;
    }
    const mergedSignal = copy(existing);
    if (signal === 'metrics') mergedSignal.items = mergedSignal.items.filter((pair) => !(isScalar(pair.key) && pair.key.value === 'readers'));
    for (const entry of mapEntries(node, generatedDoc)) if (!mergedSignal.items.some((pair) => isScalar(pair.key) && pair.key.value === entry.key)) mergedSignal.items.push(entry.pair);
    telemetry.items[index] = new Pair(telemetry.items[index].key, mergedSignal);
  }
  const out = copy(config);
  const replace = (map: YAMLMap, key: string, value: YAMLMap, keyNode?: unknown) => {
    const index = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === key);
    if (index >= 0) map.items[index] = new Pair(map.items[index].key, value);
    else map.items.push(new Pair(keyNode ?? new Scalar(key), value));
  };
  replace(service, 'telemetry', telemetry);
  replace(out, 'service', service);
  return out;
}

/**
 * `command.extraArgs` naming the config (`--config=PATH`) at the mount point of a ConfigMap or Secret of
 * `extraVolumeMounts` mounted whole (no subPath): that is a directory in the container, whose files are
 * the keys, so the collector cannot read its config there (`file-unreadable`).
 */
function configArgProblems(doc: Document, values: YAMLMap): Problem[] {
  const args = getEntry(getEntry(values, doc, 'command')?.value, doc, 'extraArgs')?.value;
  if (!isSeq(args)) return [];
  const volumes = readVolumes(doc, getEntry(values, doc, 'extraVolumes')?.value);
  const mounts = readVolumeMounts(doc, getEntry(values, doc, 'extraVolumeMounts')?.value, volumes);
  const problems: Problem[] = [];
  for (const item of args.items as AnyNode[]) {
    const arg = isScalar(item) && typeof item.value === 'string' ? /^--config=(?:file:)?(\/[^\s]*)$/.exec(item.value) : null;
    if (!arg) continue;
    const path = arg[1].replace(/\/+$/, '');
    const mount = mounts.find((m) => !m.subPath && m.mountPath.replace(/\/+$/, '') === path);
    const source = mount?.volume?.source;
    if (!mount || !source || (source.kind !== 'configMap' && source.kind !== 'secret')) continue;
    const what = `${source.kind === 'configMap' ? 'ConfigMap' : 'Secret'} ${source.name ?? '?'}`;
    const files = source.items?.map((i) => `${path}/${i.path}`) ?? [`${path}/<key>`];
    const problem = problemAt(
      item,
      'file-unreadable',
      `A directory in the container, not a config file: add subPath to the mount, or name the file. ${String((item as Scalar).value)} is where ${what} is mounted (extraVolumeMounts, without subPath), whose files are its keys (${files.join(', ')}), so the collector cannot read its config there. Add subPath: ${source.items?.[0]?.path ?? '<key>'} to the mount, or name the file.`,
    );
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The collector container the chart renders: its config ConfigMap at /conf, and `extraVolumeMounts` of `extraVolumes`. */
function chartContainer(doc: Document, values: YAMLMap): ContainerContext {
  const volumes = readVolumes(doc, getEntry(values, doc, 'extraVolumes')?.value);
  const mounts = containerMounts(readVolumeMounts(doc, getEntry(values, doc, 'extraVolumeMounts')?.value, volumes));
  const service = chartService(doc, values);
  return { label: 'the collector the chart deploys', mounts: [{ path: '/conf', source: 'the ConfigMap the chart renders' }, ...mounts], ...(service ? { services: [service] } : {}) };
}

/** The chart's default `ports` that reach OTLP receivers (values.yaml L416-461; docs/facts/helm-chart.md §4). */
const DEFAULT_PORTS: Record<string, { containerPort: number; servicePort: number }> = { otlp: { containerPort: 4317, servicePort: 4317 }, 'otlp-http': { containerPort: 4318, servicePort: 4318 } };

/**
 * The Service the chart renders for these values (templates/service.yaml; docs/facts/helm-chart.md §4): named
 * after the release (`fullnameOverride`, else the release name or `<release>-<nameOverride or chart name>`),
 * in the release namespace (`namespaceOverride`), with a port per enabled TCP entry of `ports`
 * (servicePort → containerPort; the defaults otlp 4317 and otlp-http 4318 unless the values change them).
 * Created when `service.enabled` (for `mode: daemonset` only when it is set to true).
 */
function chartService(doc: Document, values: YAMLMap): GeneratedService | undefined {
  const entry = (node: AnyNode, key: string) => getEntry(node, doc, key)?.value;
  const text = (node: AnyNode) => (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') && !String(node.value).includes('{{') ? String(node.value) : undefined);
  const enabled = entry(entry(values, 'service'), 'enabled');
  const mode = text(entry(values, 'mode'));
  if (isScalar(enabled) ? enabled.value !== true : mode === 'daemonset') return undefined;
  const ports = new Map(Object.entries(DEFAULT_PORTS).map(([name, p]) => [name, { ...p, enabled: true, tcp: true }]));
  for (const item of mapEntries(entry(values, 'ports'), doc)) {
    const known = ports.get(item.key) ?? { containerPort: NaN, servicePort: NaN, enabled: false, tcp: true };
    const number = (key: string) => {
      const v = entry(item.value, key);
      return isScalar(v) && typeof v.value === 'number' ? v.value : undefined;
    };
    const on = entry(item.value, 'enabled');
    const protocol = text(entry(item.value, 'protocol'));
    if (item.value === null || (isScalar(item.value) && item.value.value === null)) {
      ports.delete(item.key);
      continue;
    }
    ports.set(item.key, {
      containerPort: number('containerPort') ?? known.containerPort,
      servicePort: number('servicePort') ?? known.servicePort,
      enabled: isScalar(on) ? on.value === true : known.enabled,
      tcp: protocol === undefined ? known.tcp : protocol.toUpperCase() === 'TCP',
    });
  }
  const fullnameOverride = text(entry(values, 'fullnameOverride'));
  const nameOverride = text(entry(values, 'nameOverride'));
  const namespace = text(entry(values, 'namespaceOverride'));
  const name = fullnameOverride ? fullnameOverride.slice(0, 63).replace(/-+$/, '') : undefined;
  return {
    label: `the Service the opentelemetry-collector chart renders (${name ?? `named after the release${nameOverride ? `, nameOverride ${nameOverride}` : ''}`})`,
    ...(name ? { name } : { helm: { ...(nameOverride ? { nameOverride } : {}) } }),
    ...(namespace ? { namespace } : {}),
    ports: [...ports.values()].filter((p) => p.enabled && p.tcp && Number.isFinite(p.servicePort) && Number.isFinite(p.containerPort)).map((p) => ({ port: p.servicePort, targetPort: p.containerPort })),
  };
}

// ---------------------------------------------------------------------------------------------
// Helm's coalescing of values over the chart's defaults

/** A part of the defaults in the merged config, and the key of the values it lands on. */
interface Graft {
  start: number;
  end: number;
  anchor: { offset: number; length: number };
}

function span(node: Scalar): { offset: number; length: number } {
  return { offset: node.range![0], length: node.range![1] - node.range![0] };
}

function isNull(node: AnyNode): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/**
 * `values` over `defaults`: both mappings → key by key (a key only in the defaults is grafted, a
 * `null` value deletes the key), else the values' node wins; undefined values → the defaults.
 */
function coalesce(docs: { values: Document; defaults: Document }, values: AnyNode, defaults: AnyNode, anchor: { offset: number; length: number }, grafts: Graft[]): AnyNode {
  const doc = docs.values;
  if (values === undefined) {
    graft(defaults, anchor, grafts);
    return defaults;
  }
  if (!isMap(values) || !isMap(defaults)) return values;
  const merged = new YAMLMap();
  merged.flow = values.flow;
  merged.range = values.range;
  const written = mapEntries(values, doc);
  const keys = new Set(written.map((e) => e.key));
  // Default-only keys first, so the mapping's last pair is one the file writes (fixes add after it).
  const defaultEntries = mapEntries(defaults, docs.defaults);
  for (const entry of defaultEntries) {
    if (keys.has(entry.key)) continue;
    graftPair(entry, anchor, grafts);
    merged.items.push(entry.pair);
  }
  const byKey = new Map(defaultEntries.map((e) => [e.key, e]));
  for (const entry of written) {
    const fallback = byKey.get(entry.key);
    if (!fallback) {
      merged.items.push(entry.merged ? new Pair(entry.keyNode, entry.pair.value) : entry.pair);
      continue;
    }
    if (isNull(entry.value)) continue; // `key: null` deletes the default
    const value = coalesce(docs, resolve(entry.value, doc), fallback.value, span(entry.keyNode), grafts);
    merged.items.push(value === entry.value && !entry.merged ? entry.pair : new Pair(entry.keyNode, value));
  }
  return merged;
}

function graft(node: AnyNode, anchor: { offset: number; length: number }, grafts: Graft[]): void {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (range) grafts.push({ start: range[0], end: range[2], anchor });
}

function graftPair(entry: MapEntry, anchor: { offset: number; length: number }, grafts: Graft[]): void {
  const key = entry.keyNode.range!;
  const value = (entry.value as { range?: [number, number, number] } | null | undefined)?.range;
  grafts.push({ start: key[0], end: value ? value[2] : key[2], anchor });
}

/** The unit's map: the file's own offsets as they are; the defaults' on the key they land on; no edit there. */
function overDefaults(fileLength: number, grafts: Graft[]): OffsetMap {
  const anchorOf = (offset: number) => grafts.find((g) => offset >= g.start && offset <= g.end)?.anchor ?? grafts[0]?.anchor ?? { offset: 0, length: 0 };
  return {
    identity: false,
    toFile: (offset) => (offset <= fileLength ? offset : anchorOf(offset).offset),
    toUnit: (offset) => offset,
    span: (offset, length) => (offset + length <= fileLength ? { offset, length } : { ...anchorOf(offset) }),
    editToFile: (offset, length, text) => (offset + length <= fileLength ? { offset, length, text } : undefined),
  };
}

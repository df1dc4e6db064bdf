/**
 * Kubernetes `env:` lists (a container's, an Instrumentation's `spec.env`) as app settings, and how
 * to edit them in YAML. Shared by ./k8sWorkload.ts and ./instrumentationResource.ts.
 *
 * Values are what the container sees: `$(VAR)` is expanded as the kubelet does (earlier entries only,
 * `$$` escapes, no recursion; docs/facts/kubernetes.md §3); a `valueFrom` value, or one that depends
 * on it, is unknown here, with the reason kept for checks/clusterValues.ts. Only `OTEL_*` variables
 * become settings (isAppSettingName), but every variable counts for `$(VAR)`.
 *
 * Edits keep the YAML layout: a new variable is a new `- name:`/`value:` item laid out like the item
 * it goes next to; a value keeps its quotes, and is quoted where a plain scalar would not be a string
 * (the API server rejects `value: 4317`).
 */
import { isMap, isScalar, isSeq, type Document, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { RUNTIME_VARIABLES } from '../certificates/runtimeTls';
import { isAppSettingName, type AppSetting, type RuntimeSetting } from '../model/appSettings';
import { expandEnvValue, type EnvEntry } from '../model/kubernetes';
import type { AppEdits, TextChange } from '../model/units';
import { lineStartOf, nextLineStart } from '../text';
import { yamlValue } from '../yaml/yamlText';
import { getEntry, type MapEntry } from '../yaml/yamlNodes';

/** How a setting is written, for its edits. */
export type SettingHandle =
  /** An item of an `env:` list. */
  | { kind: 'env'; entry: EnvEntry; list: YAMLSeq }
  /**
   * A field that becomes a setting (an Instrumentation's `spec.exporter.endpoint`): `verbatim` when the
   * setting's value is the field's value as written (else the operator derives it, and it cannot be set);
   * `addTo` the `env:` list new settings go into.
   */
  | { kind: 'field'; entry: MapEntry; verbatim: boolean; addTo?: YAMLSeq };

export interface EnvListOptions {
  /** The app unit's index (locators). */
  app: number;
  /** The first setting index of these entries in the unit. */
  firstSetting: number;
  /** How messages name an entry: `env[3] OTEL_EXPORTER_OTLP_ENDPOINT`. */
  written(entry: EnvEntry): string;
  /** Variables defined before this list (name → value, undefined when not known here); updated as entries are read. */
  defined: Map<string, string | undefined>;
  /** The container also takes variables from `envFrom`: an undefined `$(VAR)` may come from there. */
  envFrom: boolean;
}

const RUNTIME_NAMES: ReadonlySet<string> = new Set(RUNTIME_VARIABLES);

/** The app settings of an `env:` list, with their handles for edits, and the SDK runtime's TLS variables (AppSettings.runtime). */
export function envListSettings(list: unknown, entries: EnvEntry[], options: EnvListOptions): { settings: AppSetting[]; handles: Map<AppSetting, SettingHandle>; runtime: RuntimeSetting[] } {
  const settings: AppSetting[] = [];
  const runtime: RuntimeSetting[] = [];
  const handles = new Map<AppSetting, SettingHandle>();
  for (const entry of entries) {
    const { value, unknown } = entryValue(entry, options, (name) => entries.find((e) => e.name === name && e.index > entry.index)?.index);
    options.defined.set(entry.name, value);
    const nameRange = entry.nameNode.range!;
    const span = valueSpan(entry);
    if (RUNTIME_NAMES.has(entry.name)) {
      runtime.push({ name: entry.name, written: options.written(entry), value, nameOffset: nameRange[0], nameLength: nameRange[1] - nameRange[0], valueOffset: span[0], valueLength: span[1] - span[0] });
    }
    if (!isAppSettingName(entry.name)) continue;
    const setting: AppSetting = {
      name: entry.name,
      written: options.written(entry),
      value,
      nameOffset: nameRange[0],
      nameLength: nameRange[1] - nameRange[0],
      valueOffset: span[0],
      valueLength: span[1] - span[0],
      locator: { app: options.app, setting: options.firstSetting + settings.length },
      ...(unknown ? { unknown } : {}),
    };
    settings.push(setting);
    if (isSeq(list)) handles.set(setting, { kind: 'env', entry, list });
  }
  return { settings, handles, runtime };
}

function entryValue(entry: EnvEntry, options: EnvListOptions, definedLater: (name: string) => number | undefined): { value: string | undefined; unknown?: AppSetting['unknown'] } {
  if (entry.valueFrom) return { value: undefined, unknown: { why: `comes from valueFrom ${entry.valueFrom.description}, which only the cluster knows` } };
  const node = entry.value?.value;
  if (!entry.value || node === null || (isScalar(node) && node.value === null)) return { value: '' };
  if (!isScalar(node)) return { value: undefined };
  const raw = typeof node.value === 'string' ? node.value : String(node.source ?? node.value);
  if (raw.includes('{{')) return { value: undefined };
  const expansion = expandEnvValue(raw, options.defined);
  if (expansion.value !== undefined) return { value: expansion.value };
  if (expansion.unknown.length > 0) {
    const names = expansion.unknown.map((n) => `$(${n})`).join(', ');
    return { value: undefined, unknown: { why: `depends on ${names}, whose value only the cluster knows` } };
  }
  const name = expansion.unresolved[0];
  const later = definedLater(name);
  if (later !== undefined && !options.envFrom) {
    return {
      value: undefined,
      unknown: {
        why: `uses $(${name}), which is defined later (env[${later}]): Kubernetes expands only variables defined before the entry, so the app gets the text "$(${name})" as written. Move ${name} above it`,
        first: `$(${name}) is defined later, so it stays unexpanded: move it above this entry.`,
        warning: true,
      },
    };
  }
  const where = options.envFrom ? 'envFrom, a Service variable or nowhere' : `a Service environment variable (<SERVICE>_SERVICE_HOST...) or nowhere: otherwise the app gets the text "$(${name})" as written`;
  return { value: undefined, unknown: { why: `uses $(${name}), which is not defined before it in this env list: it comes from ${where}` } };
}

/** The span a setting's value takes: the `value` scalar, else the `valueFrom` key, else (no value: empty) the end of the name. */
function valueSpan(entry: EnvEntry): [number, number] {
  const node = entry.value?.value;
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (range && range[1] > range[0]) return [range[0], range[1]];
  const from = entry.valueFrom?.entry.keyNode.range;
  if (from) return [from[0], from[1]];
  const end = entry.nameNode.range![1];
  return [end, end];
}

// ---------------------------------------------------------------------------------------------
// Edits

/** AppEdits for settings written as env list items or fields of a YAML file (`text` is the file's). */
export function yamlAppEdits(text: string, handles: Map<AppSetting, SettingHandle>): AppEdits {
  const handleOf = (setting: AppSetting) => {
    const handle = handles.get(setting);
    if (!handle) throw new Error(`${setting.written} cannot be edited here`);
    return handle;
  };
  return {
    rename(setting, name) {
      const handle = handleOf(setting);
      if (handle.kind !== 'env') throw new Error(`${setting.written} is a field, not a variable`);
      return replaceScalar(handle.entry.nameNode, name);
    },
    setValue(setting, value) {
      const handle = handleOf(setting);
      if (handle.kind === 'field') {
        if (!handle.verbatim || !isScalar(handle.entry.value)) throw new Error(`${setting.written} is derived by the operator`);
        return replaceScalar(handle.entry.value as Scalar, value);
      }
      const { entry } = handle;
      if (entry.valueFrom) throw new Error(`${setting.written} comes from valueFrom`);
      const node = entry.value?.value;
      if (isScalar(node) && node.range && node.range[1] > node.range[0]) return replaceScalar(node, value);
      if (entry.value) {
        // `value:` with nothing after it.
        const key = entry.value.keyNode.range!;
        return { offset: key[0], length: key[1] - key[0] + 1, text: `value: ${yamlValue(value)}` };
      }
      // Only `name:`: a `value:` line below it (or `, value: …` in a flow mapping).
      const nameRange = entry.nameNode.range!;
      if (entry.item.flow) return { offset: nameRange[1], length: 0, text: `, value: ${yamlValue(value)}` };
      const keyStart = (entry.item.items.find((p) => isScalar(p.key) && p.key.value === 'name')?.key as Scalar | undefined)?.range?.[0] ?? nameRange[0];
      return { offset: nameRange[1], length: 0, text: `\n${' '.repeat(keyStart - lineStartOf(text, keyStart))}value: ${yamlValue(value)}` };
    },
    remove(setting) {
      const handle = handleOf(setting);
      if (handle.kind === 'field') return removeLines(text, handle.entry.pair);
      return removeItem(text, handle.list, handle.entry.item);
    },
    add(setting, where, name, value) {
      const handle = handleOf(setting);
      if (handle.kind === 'env') return addItem(text, handle.list, handle.entry.item, where, name, value);
      const list = handle.addTo;
      const last = list?.items[list.items.length - 1];
      if (!list || !isMap(last)) throw new Error(`no env list to add ${name} to`);
      return addItem(text, list, last, 'after', name, value);
    },
  };
}

function replaceScalar(node: Scalar, value: string): TextChange {
  const range = node.range!;
  return { offset: range[0], length: range[1] - range[0], text: yamlValue(value, node) };
}

/** The end of a node's source, before a trailing comment or line break. */
function nodeEnd(node: { range?: [number, number, number] | null }): number {
  return node.range![1];
}

/** A pair's whole lines (block layout), or the pair itself. */
function removeLines(text: string, pair: Pair): TextChange {
  const key = pair.key as Scalar;
  const start = key.range![0];
  const value = pair.value as { range?: [number, number, number] } | null;
  const end = value?.range?.[1] ?? key.range![1];
  const from = lineStartOf(text, start);
  if (/^[ \t]*$/.test(text.slice(from, start))) return { offset: from, length: nextLineStart(text, Math.max(start, end - 1)) - from, text: '' };
  return { offset: start, length: end - start, text: '' };
}

/** An env list item removed: its lines in a block list, the item and a comma in a flow list. */
function removeItem(text: string, list: YAMLSeq, item: YAMLMap): TextChange {
  const start = item.range![0];
  const end = nodeEnd(item);
  if (list.flow) {
    const after = /^\s*,\s*/.exec(text.slice(end));
    if (after) return { offset: start, length: end - start + after[0].length, text: '' };
    const before = /,\s*$/.exec(text.slice(0, start));
    const from = before ? start - before[0].length : start;
    return { offset: from, length: end - from, text: '' };
  }
  const from = lineStartOf(text, start);
  return { offset: from, length: nextLineStart(text, Math.max(start, end - 1)) - from, text: '' };
}

/** A `- name: N` / `value: V` item before or after `neighbour`, laid out like it. */
function addItem(text: string, list: YAMLSeq, neighbour: YAMLMap, where: 'before' | 'after', name: string, value: string): TextChange {
  const flowItem = `{name: ${yamlValue(name)}, value: ${yamlValue(value)}}`;
  const start = neighbour.range![0];
  const end = nodeEnd(neighbour);
  if (list.flow) return where === 'before' ? { offset: start, length: 0, text: `${flowItem}, ` } : { offset: end, length: 0, text: `, ${flowItem}` };
  const lineStart = lineStartOf(text, start);
  const dash = text.lastIndexOf('-', start - 1);
  const sameLine = dash >= lineStart;
  const dashColumn = sameLine ? dash - lineStart : start - lineStart;
  const itemColumn = sameLine ? start - lineStart : dashColumn + 2;
  const item = neighbour.flow
    ? `${' '.repeat(dashColumn)}- ${flowItem}\n`
    : `${' '.repeat(dashColumn)}-${' '.repeat(itemColumn - dashColumn - 1)}name: ${yamlValue(name)}\n${' '.repeat(itemColumn)}value: ${yamlValue(value)}\n`;
  const dashLineStart = sameLine ? lineStart : lineStartOf(text, dash);
  if (where === 'before') return { offset: dashLineStart, length: 0, text: item };
  const at = nextLineStart(text, Math.max(start, end - 1));
  const newline = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { offset: at, length: 0, text: newline + item };
}

/** The `env` list entry of a mapping (for adding to it), when it is a sequence. */
export function envListOf(doc: Document, node: unknown): YAMLSeq | undefined {
  const list = getEntry(node as YAMLMap, doc, 'env')?.value;
  return isSeq(list) ? list : undefined;
}

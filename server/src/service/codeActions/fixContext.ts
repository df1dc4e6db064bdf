/**
 * What every fixer gets (the document, its parsed file, the core's view of the outside world), and
 * how it finds the node or setting a problem is about: from the locator in the diagnostic's data,
 * directly, never by searching the text for the diagnostic's range.
 */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { FeatureContext } from '../features/featureContext';
import type { DiagnosticData, Locator } from '../languageTypes';
import type { AppSetting } from '../model/appSettings';
import type { TlsBlock } from '../model/collector';
import type { AppUnit, CollectorUnit } from '../model/units';
import { entryAt, type AnyNode, type MapEntry } from '../yaml/yamlNodes';
import { unitEditor, type UnitEditor } from './edits';
import { settingAt } from '../model/processSettings';

/** The document, its parsed file, and the core's view of the outside world. */
export type FixContext = FeatureContext;

/** Quick fixes for one diagnostic; chosen by its code, narrowed by its data, never by its message. */
export type Fixer = (diagnostic: Diagnostic, context: FixContext) => CodeAction[];

export const noFix: Fixer = () => [];

/** The diagnostic's data when it has the given kind (and a locator). */
export function dataOf<K extends DiagnosticData['kind']>(diagnostic: Diagnostic, kind: K): Extract<DiagnosticData, { kind: K }> | undefined {
  const data = diagnostic.data as DiagnosticData | undefined;
  return data && typeof data === 'object' && data.kind === kind && data.at && typeof data.at === 'object' ? (data as Extract<DiagnosticData, { kind: K }>) : undefined;
}

export interface LocatedEntry {
  unit: CollectorUnit;
  editor: UnitEditor;
  /** The entry (its key, value and pair); for a sequence item, only its value. */
  entry: MapEntry | { value: AnyNode; keyNode?: undefined };
}

/** The collector entry a locator names. */
export function collectorEntryAt(context: FixContext, at: Locator): LocatedEntry | undefined {
  if (!('collector' in at)) return undefined;
  const unit = context.parsed.collectors[at.collector];
  const entry = unit && entryAt(unit.model.doc, unit.model.root, at.path);
  return entry ? { unit, editor: unitEditor(context.document, unit), entry } : undefined;
}

/** The collector tls block whose key path the locator names. */
export function tlsBlockAt(context: FixContext, at: Locator): { unit: CollectorUnit; editor: UnitEditor; block: TlsBlock } | undefined {
  if (!('collector' in at)) return undefined;
  const unit = context.parsed.collectors[at.collector];
  const path = JSON.stringify(at.path);
  const block = unit?.model.tlsBlocks.find((b) => JSON.stringify(b.keyPath) === path);
  return block ? { unit, editor: unitEditor(context.document, unit), block } : undefined;
}

export interface LocatedSetting {
  unit: AppUnit;
  editor: UnitEditor;
  setting: AppSetting;
}

/** The app setting a locator names (a setting the SDK ignores too: OTEL_CONFIG_FILE). */
export function appSettingAt(context: FixContext, at: Locator | undefined): LocatedSetting | undefined {
  if (!at || !('setting' in at)) return undefined;
  const unit = context.parsed.apps[at.app];
  const setting = unit && settingAt(unit, at.setting);
  return setting && !setting.origin ? { unit, editor: unitEditor(context.document, unit), setting } : undefined;
}

/** The YAML entry of an app unit a locator names (a key of a declarative config). */
export function appYamlEntryAt(context: FixContext, at: Locator | undefined): { unit: AppUnit; editor: UnitEditor; entry: ReturnType<typeof entryAt> } | undefined {
  if (!at || !('path' in at) || !('app' in at)) return undefined;
  const unit = context.parsed.apps[at.app];
  const yaml = unit?.yaml;
  const entry = yaml && entryAt(yaml.doc, yaml.root as AnyNode, at.path);
  return entry ? { unit, editor: unitEditor(context.document, unit), entry } : undefined;
}

/** The entry of a Kubernetes object (a manifest check's problem) a locator names, with the file's editor (the objects are the file's own YAML). */
export function manifestEntryAt(context: FixContext, at: Locator | undefined): { editor: UnitEditor; entry: ReturnType<typeof entryAt> } | undefined {
  if (!at || !('object' in at)) return undefined;
  const object = context.parsed.kubernetes?.[at.object];
  const entry = object && entryAt(object.doc, object.doc.contents as AnyNode, at.path);
  if (!entry) return undefined;
  const text = context.document.getText();
  const editor: UnitEditor = {
    text,
    replace: (start, end, newText) => ({ range: { start: context.document.positionAt(start), end: context.document.positionAt(end) }, newText }),
    insert: (offset, newText) => ({ range: { start: context.document.positionAt(offset), end: context.document.positionAt(offset) }, newText }),
    apply: (change) => ({ range: { start: context.document.positionAt(change.offset), end: context.document.positionAt(change.offset + change.length) }, newText: change.text }),
  };
  return { editor, entry };
}

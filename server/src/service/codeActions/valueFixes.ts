/**
 * Value fixes: replace the value at the data's locator with each allowed value of `data` (kind
 * `values`): `invalid-value`, `weak-tls-version`, and the version-order `tls-conflict`.
 * YAML keeps the scalar's quote style and quotes where a plain scalar would change type
 * (`min_version: "1.2"`); app settings keep their quotes (their source writes the value).
 * `invalid-value` also: a TLS version YAML reads as a number (data `quote-version`) gets quoted, a
 * quoted boolean (data `yaml-source`) loses its quotes, and a comma-separated cipher_suites string with
 * spaces (data `split-list`) becomes a YAML list or loses its spaces.
 */
import { isScalar, type Scalar } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { Locator } from '../languageTypes';
import { indentAt, lineStartOf } from '../text';
import { appSettingAt, collectorEntryAt, dataOf, type FixContext, type Fixer, type LocatedEntry } from './fixContext';
import { quickFix, unitEditor, yamlValue } from './edits';

export const valuesFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'values');
  if (data) return setValueFixes(diagnostic, context, data.at, data.values, data.values.length === 1 ? data.values[0] : undefined);
  const source = dataOf(diagnostic, 'yaml-source');
  if (source) return sourceFix(diagnostic, context, source.at, source.source);
  const list = dataOf(diagnostic, 'split-list');
  if (list) return splitListFixes(diagnostic, context, list.at, list.items);
  const version = dataOf(diagnostic, 'quote-version');
  if (version) return quoteVersionFix(diagnostic, context, version.at);
  return [];
};

/**
 * weak-tls-version on a min_version/max_version value: "1.2" is the smallest change that keeps every
 * current client working. The handshake's finding sits on the client's endpoint and carries no data:
 * the versions to change are in the receiver's file, so nothing is offered there.
 */
export const weakVersionFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'values');
  if (!data) return [];
  return setValueFixes(diagnostic, context, data.at, data.values, data.values.includes('1.2') ? '1.2' : undefined);
};

/** A scalar value of a collector entry at a locator, with its key. */
function scalarAt(context: FixContext, at: Locator): { found: LocatedEntry; scalar: Scalar & { range: [number, number, number] }; key?: string } | undefined {
  const found = collectorEntryAt(context, at);
  const scalar = found?.entry.value;
  if (!found || !isScalar(scalar) || !scalar.range) return undefined;
  return { found, scalar: scalar as Scalar & { range: [number, number, number] }, key: found.entry.keyNode ? String(found.entry.keyNode.value) : undefined };
}

export function setValueFixes(diagnostic: Diagnostic, context: FixContext, at: Locator, values: readonly string[], preferred?: string): CodeAction[] {
  const uri = context.document.uri;
  const actions: CodeAction[] = [];
  if ('sdk' in at) {
    // The SDK named in a `# otlp-tls: sdk=` comment: a bare word.
    const unit = context.parsed.apps[at.app];
    const directive = unit?.sdkDirective;
    if (!directive) return [];
    const written = directive.id;
    const editor = unitEditor(context.document, unit);
    const edit = (v: string) => quickFix(`Change ${written || 'it'} to ${v}`, diagnostic, uri, [editor.replace(directive.offset, directive.offset + directive.length, v)], v === preferred);
    return values.filter((v) => v !== written).map(edit);
  }
  const setting = appSettingAt(context, at);
  if (setting) {
    for (const value of values) {
      if (value === setting.setting.value) continue;
      actions.push(quickFix(`Set ${setting.setting.written}=${value}`, diagnostic, uri, [setting.editor.apply(setting.unit.edits.setValue(setting.setting, value))], value === preferred));
    }
    return actions;
  }
  const target = scalarAt(context, at);
  if (!target) return [];
  const { scalar, found } = target;
  for (const value of values) {
    const written = yamlValue(value, scalar);
    if (written === found.unit.text.slice(scalar.range[0], scalar.range[1])) continue;
    actions.push(quickFix(`Change ${target.key ?? 'the value'} to ${written}`, diagnostic, uri, [found.editor.replace(scalar.range[0], scalar.range[1], written)], value === preferred));
  }
  return actions;
}

/** `min_version: 1.2` is a number to YAML; the Collector wants the string "1.2". */
function quoteVersionFix(diagnostic: Diagnostic, context: FixContext, at: Locator): CodeAction[] {
  const target = scalarAt(context, at);
  if (!target || typeof target.scalar.value !== 'number') return [];
  const { scalar, found } = target;
  const quoted = JSON.stringify(scalar.source ?? String(scalar.value));
  return [quickFix(`Quote the version: ${quoted}`, diagnostic, context.document.uri, [found.editor.replace(scalar.range[0], scalar.range[1], quoted)], true)];
}

/** A quoted "true" where a boolean belongs: the value written as `source` (`true`), in place. */
function sourceFix(diagnostic: Diagnostic, context: FixContext, at: Locator, source: string): CodeAction[] {
  const target = scalarAt(context, at);
  if (!target) return [];
  const { scalar, found, key } = target;
  return [quickFix(`Write ${key ? `${key}: ` : ''}${source} without quotes`, diagnostic, context.document.uri, [found.editor.replace(scalar.range[0], scalar.range[1], source)], true)];
}

/**
 * A comma-separated string with spaces (cipher_suites: "A, B"): a YAML list of the items, one per
 * line below the key (a flow list `[A, B]` where the key is not on its own line), or the same
 * string without the spaces.
 */
function splitListFixes(diagnostic: Diagnostic, context: FixContext, at: Locator, items: string[]): CodeAction[] {
  const target = scalarAt(context, at);
  const entry = target?.found.entry;
  if (!target || !entry || !('pair' in entry) || !entry.keyNode.range || items.length === 0) return [];
  const { scalar, found } = target;
  const { editor } = found;
  const text = editor.text;
  const key = entry.key;
  const keyStart = entry.keyNode.range[0];
  const keyEnd = entry.keyNode.range[1];
  const ownLine = /^[ \t]*$/.test(text.slice(lineStartOf(text, keyStart), keyStart));
  const list =
    entry.map.flow || !ownLine
      ? editor.replace(scalar.range[0], scalar.range[1], `[${items.map((i) => yamlValue(i)).join(', ')}]`)
      : editor.replace(keyEnd, scalar.range[1], `:${items.map((i) => `\n${indentAt(text, keyStart)}  - ${yamlValue(i)}`).join('')}`);
  return [
    quickFix(`Write ${key} as a YAML list`, diagnostic, context.document.uri, [list], true),
    quickFix(`Remove the spaces: ${yamlValue(items.join(','), scalar)}`, diagnostic, context.document.uri, [editor.replace(scalar.range[0], scalar.range[1], yamlValue(items.join(','), scalar))]),
  ];
}

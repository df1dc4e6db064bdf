/**
 * Fixes of problems on Kubernetes objects (locator `{ object, path }`, a manifest check's):
 * - data `values`: the value replaced by each suggestion (a number stays a number: `size: 4096`);
 * - data `remove-key`: the key removed with its line (`renewBefore` not shorter than `duration`: cert-manager
 *   then renews at two thirds of the lifetime).
 */
import { isScalar, type Pair, type Scalar } from 'yaml';
import type { CodeAction } from 'vscode-languageserver-types';
import { quickFix, removePairEdit, yamlValue } from './edits';
import { dataOf, manifestEntryAt, type Fixer } from './fixContext';

export const manifestValueFix: Fixer = (diagnostic, context) => {
  const uri = context.document.uri;
  const values = dataOf(diagnostic, 'values');
  if (values) {
    const found = manifestEntryAt(context, values.at);
    const scalar = found?.entry?.value;
    if (!found || !isScalar(scalar) || !scalar.range) return [];
    const [start, end] = scalar.range;
    const key = found.entry?.keyNode ? `${String(found.entry.keyNode.value)}` : 'the value';
    const actions: CodeAction[] = [];
    for (const value of values.values) {
      const written = typeof scalar.value === 'number' && /^\d+$/.test(value) ? value : yamlValue(value, scalar as Scalar);
      if (written === found.editor.text.slice(start, end)) continue;
      actions.push(quickFix(`Change ${key} to ${written}`, diagnostic, uri, [found.editor.replace(start, end, written)], values.values.length === 1));
    }
    return actions;
  }
  const remove = dataOf(diagnostic, 'remove-key');
  if (remove && 'object' in remove.at) {
    const found = manifestEntryAt(context, remove.at);
    if (!found?.entry || !('pair' in found.entry) || found.entry.merged) return [];
    const parent = found.entry.map;
    const key = String(found.entry.keyNode.value);
    const why = key === 'renewBefore' ? ' (cert-manager renews at two thirds of the lifetime)' : '';
    return [quickFix(`Remove ${key}${why}`, diagnostic, uri, [removePairEdit(found.editor, found.entry.pair as Pair<Scalar, unknown>, parent)], true)];
  }
  return [];
};

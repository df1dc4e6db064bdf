/** What every fixer gets: the document, its parsed model, and the core's view of the outside world. */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { FeatureContext } from '../features/featureContext';
import type { DiagnosticData } from '../languageTypes';

/** The document, its parsed model, and the core's view of the outside world. */
export type FixContext = FeatureContext;

/** Quick fixes for one diagnostic; chosen by its code, narrowed by its data, never by its message. */
export type Fixer = (diagnostic: Diagnostic, context: FixContext) => CodeAction[];

/** The diagnostic's data when it has the given kind. */
export function dataOf<K extends DiagnosticData['kind']>(diagnostic: Diagnostic, kind: K): Extract<DiagnosticData, { kind: K }> | undefined {
  const data = diagnostic.data as DiagnosticData | undefined;
  return data && typeof data === 'object' && data.kind === kind ? (data as Extract<DiagnosticData, { kind: K }>) : undefined;
}

export const noFix: Fixer = () => [];

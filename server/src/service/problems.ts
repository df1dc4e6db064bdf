/** Helpers that anchor a Problem on a YAML node. */
import type { DiagnosticCode, DiagnosticData, Problem, Severity } from './languageTypes';
import { nodeSpan, type AnyNode } from './yaml/yamlNodes';

export interface ProblemOptions {
  severity?: Severity;
  data?: DiagnosticData;
}

/** A problem covering `node`; undefined when the node has no range (it should not happen for parsed nodes). */
export function problemAt(node: AnyNode, code: DiagnosticCode, message: string, options: ProblemOptions = {}): Problem | undefined {
  const span = nodeSpan(node);
  if (!span) return undefined;
  return { code, offset: span[0], length: span[1] - span[0], message, ...options };
}

/** Drops the undefined entries problemAt may return. */
export function defined(problems: (Problem | undefined)[]): Problem[] {
  return problems.filter((p): p is Problem => p !== undefined);
}

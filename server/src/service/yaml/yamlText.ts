/** Values written as YAML source, for sources and quick fixes that edit YAML in place. */
import type { Scalar } from 'yaml';
import { composeYaml } from './yamlCompose';

/**
 * A value as YAML source, keeping the quote style of the scalar it replaces and quoting where a
 * plain scalar would read as something else (`1.2` is a number, the Collector wants the string "1.2").
 */
export function yamlValue(value: string, replacing?: Scalar): string {
  if (replacing?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (replacing?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return plainIsSame(value) ? value : JSON.stringify(value);
}

function plainIsSame(value: string): boolean {
  if (value === '' || /^[\s]|[\s]$|[#:]\s|[\n\r]|^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return false;
  try {
    const { doc } = composeYaml(value, { duplicateKeys: false });
    return doc.errors.length === 0 && doc.toJS({ maxAliasCount: 0 }) === value;
  } catch {
    return false;
  }
}

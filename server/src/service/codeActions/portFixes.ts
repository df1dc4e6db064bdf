/**
 * `port-protocol-mismatch` (data `port`): swap the OTLP port in the endpoint at the locator (4317 gRPC
 * ↔ 4318 HTTP), or set the protocol setting the data names to match the port, or (data `add`, when
 * the named SDK's default protocol does not fit) add the protocol setting.
 */
import type { CodeAction } from 'vscode-languageserver-types';
import { quickFix } from './edits';
import { addVariableFix } from './envFixes';
import { appSettingAt, dataOf, type Fixer } from './fixContext';
import { table } from '../lookup';

const OTHER_PORT: Record<string, string> = table({ '4317': '4318', '4318': '4317' });
const PROTOCOL_FOR_PORT: Record<string, string> = table({ '4317': 'grpc', '4318': 'http/protobuf' });

export const portFix: Fixer = (diagnostic, context) => {
  const data = dataOf(diagnostic, 'port');
  const endpoint = data && appSettingAt(context, data.at);
  if (!data || !endpoint) return [];
  const { valueOffset, valueLength } = endpoint.setting;
  const match = /:(4317|4318)(?![0-9])/.exec(endpoint.unit.text.slice(valueOffset, valueOffset + valueLength));
  if (!match) return [];
  const port = match[1];
  const other = OTHER_PORT[port];
  const at = valueOffset + match.index + 1;
  const uri = context.document.uri;
  const actions: CodeAction[] = [];
  const protocol = appSettingAt(context, data.protocol);
  actions.push(quickFix(`Change the port to ${other} (OTLP/${other === '4317' ? 'gRPC' : 'HTTP'})`, diagnostic, uri, [endpoint.editor.replace(at, at + 4, other)], !!protocol));
  if (protocol) {
    const value = PROTOCOL_FOR_PORT[port];
    actions.push(quickFix(`Set ${protocol.setting.written}=${value}`, diagnostic, uri, [protocol.editor.apply(protocol.unit.edits.setValue(protocol.setting, value))]));
  }
  // A named SDK whose default protocol does not fit the port: set the protocol explicitly.
  if (data.add) actions.push(...addVariableFix(diagnostic, context, { ...data.add, at: data.at }, false));
  return actions;
};

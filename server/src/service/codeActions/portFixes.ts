/**
 * `port-protocol-mismatch` in env files: swap the OTLP port in the endpoint (4317 gRPC ↔ 4318 HTTP),
 * or set the protocol variable the diagnostic's related information points at to match the port, or
 * (data `add-variable`, when the named SDK's default protocol does not fit) add the protocol variable.
 */
import type { CodeAction } from 'vscode-languageserver-types';
import { offsetsOf, quickFix, replaceEdit } from './edits';
import { addVariableFix } from './envFixes';
import { dataOf, type Fixer } from './fixContext';

const OTHER_PORT: Record<string, string> = { '4317': '4318', '4318': '4317' };
const PROTOCOL_FOR_PORT: Record<string, string> = { '4317': 'grpc', '4318': 'http/protobuf' };

export const portFix: Fixer = (diagnostic, context) => {
  const { document, text, parsed } = context;
  const [start, end] = offsetsOf(document, diagnostic);
  const value = text.slice(start, end);
  const match = /:(4317|4318)(?![0-9])/.exec(value);
  if (!match) return [];
  const port = match[1];
  const other = OTHER_PORT[port];
  const at = start + match.index + 1;
  const actions: CodeAction[] = [];
  const related = diagnostic.relatedInformation?.find((r) => r.location.uri === document.uri);
  const protocolEntry =
    parsed.kind === 'env' && related ? parsed.model.entries.find((e) => e.nameOffset === document.offsetAt(related.location.range.start) && /PROTOCOL$/.test(e.name)) : undefined;
  actions.push(quickFix(`Change the port to ${other} (OTLP/${other === '4317' ? 'gRPC' : 'HTTP'})`, diagnostic, document.uri, [replaceEdit(document, at, at + 4, other)], !!protocolEntry));
  if (protocolEntry) {
    const protocol = PROTOCOL_FOR_PORT[port];
    const raw = text.slice(protocolEntry.valueOffset, protocolEntry.valueOffset + protocolEntry.valueLength);
    const quote = protocolEntry.quoted && (raw[0] === '"' || raw[0] === "'") ? raw[0] : '';
    actions.push(
      quickFix(`Set ${protocolEntry.name}=${protocol}`, diagnostic, document.uri, [
        replaceEdit(document, protocolEntry.valueOffset, protocolEntry.valueOffset + protocolEntry.valueLength, `${quote}${protocol}${quote}`),
      ]),
    );
  }
  // A named SDK whose default protocol does not fit the port: set the protocol explicitly.
  const add = dataOf(diagnostic, 'add-variable');
  if (add) actions.push(...addVariableFix(diagnostic, context, add, false));
  return actions;
};

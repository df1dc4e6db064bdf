/**
 * The bytes of the server's messages on a stream transport (stdio, a pipe, a socket): vscode-jsonrpc's
 * `contentTypeEncoder`, giving exactly the bytes of its own (`Buffer.from(JSON.stringify(message))`),
 * but a `textDocument/publishDiagnostics` message is assembled from each diagnostic's JSON, encoded
 * once per Diagnostic object and kept while the object lives. LSP pushes a document's whole list on
 * every change (3.4 MB for the 4,999 diagnostics of the 50,000-line bench config), and the server hands
 * the same Diagnostic object back for a kept problem whose range stands (`DiagnosticMemo`,
 * service/diagnostics.ts), so an edit encodes the diagnostics that changed and copies the others.
 *
 * A Diagnostic is never changed once published (the server builds a new one for a new range or problem):
 * its JSON is kept by the object's identity. Anything this encoder cannot prove it writes byte for byte
 * as JSON.stringify would (an element that is not a plain object, a charset other than UTF-8) is encoded
 * the plain way. `test/unit/messageEncoding.test.ts` compares the bytes with JSON.stringify's.
 */
import type { ContentTypeEncoder, ContentTypeEncoderOptions } from 'vscode-languageserver-protocol';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';
/** Stands for the diagnostics array in the JSON of the rest of the message (found once, or the message is encoded whole). */
const PLACEHOLDER = 'otlp-tls:diagnostics:9d1f4c27';
const QUOTED_PLACEHOLDER = JSON.stringify(PLACEHOLDER);
const COMMA = Buffer.from(',');

/** Each Diagnostic object's JSON (UTF-8), kept while the object lives. */
const fragments = new WeakMap<object, Buffer>();

/** Counts, for the tests and the bench's breakdown: diagnostics whose JSON was reused, and encoded. */
export const encodingCounts = { reused: 0, encoded: 0 };

/** The message as vscode-jsonrpc's default encoder would write it, in UTF-8. */
export function encodeMessage(message: unknown): Buffer {
  const diagnostics = publishedDiagnostics(message);
  if (diagnostics) {
    const assembled = assemble(message as { params: object }, diagnostics);
    if (assembled) return assembled;
  }
  return Buffer.from(JSON.stringify(message), 'utf-8');
}

export const cachedJsonEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode(message: unknown, options: ContentTypeEncoderOptions): Promise<Uint8Array> {
    try {
      const charset = options.charset.toLowerCase();
      return Promise.resolve(charset === 'utf-8' || charset === 'utf8' ? encodeMessage(message) : Buffer.from(JSON.stringify(message), options.charset as BufferEncoding));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};

/** The diagnostics array of a publishDiagnostics notification whose elements are all plain objects. */
function publishedDiagnostics(message: unknown): readonly object[] | undefined {
  if (typeof message !== 'object' || message === null || (message as { method?: unknown }).method !== PUBLISH_DIAGNOSTICS) return undefined;
  const params = (message as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null || !Object.prototype.hasOwnProperty.call(params, 'diagnostics')) return undefined;
  const diagnostics = (params as { diagnostics?: unknown }).diagnostics;
  if (!Array.isArray(diagnostics) || Object.getPrototypeOf(diagnostics) !== Array.prototype || 'toJSON' in diagnostics) return undefined;
  if ('toJSON' in message || 'toJSON' in params) return undefined;
  for (const diagnostic of diagnostics) if (!isPlainObject(diagnostic)) return undefined;
  return diagnostics as object[];
}

/** An object JSON.stringify writes from its own keys alone (no toJSON, an ordinary prototype). */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !('toJSON' in value);
}

function assemble(message: { params: object }, diagnostics: readonly object[]): Buffer | undefined {
  // The rest of the message, in its own key order, with the array stood for by the placeholder.
  const rest = JSON.stringify({ ...message, params: { ...message.params, diagnostics: PLACEHOLDER } });
  const at = rest.indexOf(QUOTED_PLACEHOLDER);
  if (at < 0 || rest.indexOf(QUOTED_PLACEHOLDER, at + 1) >= 0) return undefined;
  const parts: Buffer[] = [Buffer.from(`${rest.slice(0, at)}[`, 'utf-8')];
  for (let i = 0; i < diagnostics.length; i++) {
    if (i > 0) parts.push(COMMA);
    const diagnostic = diagnostics[i];
    let fragment = fragments.get(diagnostic);
    if (fragment) {
      encodingCounts.reused++;
    } else {
      fragment = Buffer.from(JSON.stringify(diagnostic), 'utf-8');
      fragments.set(diagnostic, fragment);
      encodingCounts.encoded++;
    }
    parts.push(fragment);
  }
  parts.push(Buffer.from(`]${rest.slice(at + QUOTED_PLACEHOLDER.length)}`, 'utf-8'));
  return Buffer.concat(parts);
}

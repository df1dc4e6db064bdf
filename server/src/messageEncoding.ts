/**
 * The bytes of the server's messages on a stream transport (stdio, a pipe, a socket): a vscode-jsonrpc
 * MessageWriter giving exactly the bytes of its own (`Buffer.from(JSON.stringify(message))` after the
 * `Content-Length` header), but a `textDocument/publishDiagnostics` message is assembled from each diagnostic's JSON, encoded
 * once per Diagnostic object and kept while the object lives. LSP pushes a document's whole list on
 * every change (3.4 MB for the 4,999 diagnostics of the 50,000-line bench config), and the server hands
 * the same Diagnostic object back for a kept problem whose range stands (`DiagnosticMemo`,
 * service/diagnostics.ts), so an edit encodes the diagnostics that changed and copies the others.
 *
 * A Diagnostic is never changed once published (the server builds a new one for a new range or problem):
 * its JSON is kept by the object's identity. Anything this encoder cannot prove it writes byte for byte
 * as JSON.stringify would (an element that is not a plain object, a toJSON) is encoded the plain way.
 * `test/unit/messageEncoding.test.ts` compares the bytes with JSON.stringify's.
 */
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver-protocol';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';
/** Stands for the diagnostics array in the JSON of the rest of the message (found once, or the message is encoded whole). */
const PLACEHOLDER = 'otlp-tls:diagnostics:9d1f4c27';
const QUOTED_PLACEHOLDER = JSON.stringify(PLACEHOLDER);
const COMMA = Buffer.from(',');

/** Each Diagnostic object's JSON (UTF-8), kept while the object lives. */
const fragments = new WeakMap<object, Buffer>();

/** The last list published for each document (its uri) with the fragments of its diagnostics, the most recent last. */
const lastLists = new Map<string, { diagnostics: readonly object[]; fragments: Buffer[] }>();
const MAX_LAST_LISTS = 200;

/** Counts, for the tests and the bench's breakdown: diagnostics whose JSON was reused, and encoded. */
export const encodingCounts = { reused: 0, encoded: 0 };

/** The message as vscode-jsonrpc's default encoder would write it, in UTF-8. */
export function encodeMessage(message: unknown): Buffer {
  const { parts, length } = messageParts(message);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
}

/**
 * The message's JSON in UTF-8 as parts whose bytes, one after another, are those of JSON.stringify: the
 * kept fragments of a publishDiagnostics message's diagnostics between the bytes of the rest; any other
 * message in one part.
 */
export function messageParts(message: unknown): { parts: Buffer[]; length: number } {
  const diagnostics = publishedDiagnostics(message);
  const assembled = diagnostics && assemble(message as { params: object }, diagnostics);
  if (assembled) return assembled;
  const whole = Buffer.from(JSON.stringify(message), 'utf-8');
  return { parts: [whole], length: whole.length };
}

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

function assemble(message: { params: object }, diagnostics: readonly object[]): { parts: Buffer[]; length: number } | undefined {
  // The rest of the message, in its own key order, with the array stood for by the placeholder.
  const rest = JSON.stringify({ ...message, params: { ...message.params, diagnostics: PLACEHOLDER } });
  const at = rest.indexOf(QUOTED_PLACEHOLDER);
  if (at < 0 || rest.indexOf(QUOTED_PLACEHOLDER, at + 1) >= 0) return undefined;
  const head = Buffer.from(`${rest.slice(0, at)}[`, 'utf-8');
  const count = diagnostics.length;
  const parts: Buffer[] = new Array<Buffer>(count === 0 ? 2 : 2 * count + 1);
  parts[0] = head;
  let length = head.length + Math.max(0, count - 1);
  // The previous list of the same document mostly holds the same diagnostics in the same order: their
  // fragments are taken from it, without a lookup.
  const uri = (message.params as { uri?: unknown }).uri;
  const last = typeof uri === 'string' ? lastLists.get(uri) : undefined;
  const fragmentsNow: Buffer[] = new Array<Buffer>(count);
  let j = 0;
  for (let i = 0; i < count; i++) {
    const diagnostic = diagnostics[i];
    let fragment: Buffer | undefined;
    if (last && last.diagnostics[j] === diagnostic) fragment = last.fragments[j++];
    else if (last && last.diagnostics[j + 1] === diagnostic) fragment = last.fragments[(j += 2) - 1];
    else {
      fragment = fragments.get(diagnostic);
      // One the last list holds further on (diagnostics new or gone before it): the lists are in step again from it.
      if (fragment && last) {
        const at = stepAt(last.diagnostics, diagnostic, j + 2);
        if (at >= 0) j = at + 1;
      }
    }
    if (fragment) {
      encodingCounts.reused++;
    } else {
      fragment = Buffer.from(JSON.stringify(diagnostic), 'utf-8');
      fragments.set(diagnostic, fragment);
      encodingCounts.encoded++;
    }
    if (i > 0) parts[2 * i] = COMMA;
    parts[2 * i + 1] = fragment;
    fragmentsNow[i] = fragment;
    length += fragment.length;
  }
  if (typeof uri === 'string') {
    lastLists.delete(uri);
    if (lastLists.size >= MAX_LAST_LISTS) lastLists.delete(lastLists.keys().next().value as string);
    lastLists.set(uri, { diagnostics, fragments: fragmentsNow });
  }
  const tail = Buffer.from(`]${rest.slice(at + QUOTED_PLACEHOLDER.length)}`, 'utf-8');
  parts[parts.length - 1] = tail;
  return { parts, length: length + tail.length };
}

/** How far ahead in the last list a diagnostic is looked for, to bring the two lists in step again after an edit's new or gone ones. */
const STEP_WINDOW = 64;

/** The index of `item` in `list` from `from` on, within STEP_WINDOW; -1 when not there. */
function stepAt(list: readonly object[], item: object, from: number): number {
  const to = Math.min(list.length, from + STEP_WINDOW);
  for (let k = from; k < to; k++) if (list[k] === item) return k;
  return -1;
}

/** Messages larger than this are written from a buffer of their own, so one huge message does not stay allocated. */
const MAX_KEPT_BUFFER = 16 * 1024 * 1024;

/**
 * vscode-jsonrpc's MessageWriter for a stream (stdout, a pipe or socket): the same framing and bytes as
 * its WriteableStreamMessageWriter (`Content-Length: n\r\n\r\n` then the JSON in UTF-8), the JSON from
 * `messageParts`, written from one buffer that is kept and reused: each message is written once the one
 * before it is handed to the system (its write's callback), so the buffer is free again, and a
 * publishDiagnostics message of megabytes costs no new allocation per edit. What the buffer already holds
 * of the message before (the same fragments at the same places: the diagnostics above an edit) is not
 * copied again.
 */
export class ReusingMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  /** What the buffer holds from its start: the parts of the last message written from it, at their places. */
  private held: readonly Buffer[] = [];
  private heldHeaderLength = -1;
  private heldLength = 0;
  private queue: Promise<void> = Promise.resolve();
  private errorCount = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (error: unknown) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    // On a later turn, as vscode-jsonrpc's writer does (its semaphore runs each write from setImmediate): what
    // a handler schedules before its answer (the workspace scan after `initialize`) runs first, as it did.
    const written = this.queue.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => this.send(message));
    this.queue = written.catch(() => undefined);
    return written;
  }

  end(): void {
    this.stream.end();
  }

  /** The bytes of `message` with their header, in the kept buffer (or, when too large, in one of their own). */
  framed(message: Message): Buffer {
    const { parts, length } = messageParts(message);
    const header = Buffer.from(`${CONTENT_LENGTH}${length}\r\n\r\n`, 'ascii');
    const total = header.length + length;
    if (total > MAX_KEPT_BUFFER) {
      this.held = [];
      return Buffer.concat([header, ...parts], total);
    }
    if (total > this.buffer.length) {
      this.buffer = Buffer.allocUnsafe(Math.min(MAX_KEPT_BUFFER, Math.max(total, this.buffer.length * 2)));
      this.held = [];
    }
    // The header is written anew; then, while every part so far has the length of the one the buffer holds
    // there, the parts sit where those did, and a part that is the same object as the one held at its place
    // (a kept diagnostic's JSON) has its bytes there already.
    const held = this.held;
    let at = header.copy(this.buffer, 0);
    let i = 0;
    if (header.length === this.heldHeaderLength) {
      for (; i < parts.length; i++) {
        const part = parts[i];
        const old = held[i];
        // From a part of another length on, the parts move: written below, after the run that moves.
        if (old === undefined || old.length !== part.length) break;
        if (old !== part) part.copy(this.buffer, at);
        at += part.length;
      }
    }
    // From the first part that moved: the parts before the last that are the same objects as those the buffer
    // holds before its last (the diagnostics below an edit) are one run of bytes there, moved at once to where
    // they go (before the parts in between are written, so nothing of it is overwritten first).
    let suffix = parts.length - 1;
    let from = held.length - 1;
    let runLength = 0;
    while (suffix - 1 >= i && from - 1 >= i && parts[suffix - 1] === held[from - 1]) {
      suffix--;
      from--;
      runLength += parts[suffix].length;
    }
    if (runLength > 0) {
      const oldEnd = this.heldLength - held[held.length - 1].length;
      const newEnd = total - parts[parts.length - 1].length;
      this.buffer.copyWithin(newEnd - runLength, oldEnd - runLength, oldEnd);
    }
    for (; i < parts.length; i++) {
      if (i === suffix && runLength > 0) {
        at += runLength;
        i = parts.length - 2;
        continue;
      }
      at += parts[i].copy(this.buffer, at);
    }
    this.held = parts;
    this.heldHeaderLength = header.length;
    this.heldLength = total;
    return this.buffer.subarray(0, total);
  }

  private send(message: Message): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = this.framed(message);
    } catch (error) {
      this.fireError(error, message, ++this.errorCount);
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (error?: Error | null) => {
        if (error) {
          this.fireError(error, message, ++this.errorCount);
          reject(error);
        } else {
          this.errorCount = 0;
          resolve();
        }
      });
    });
  }
}

const CONTENT_LENGTH = 'Content-Length: ';

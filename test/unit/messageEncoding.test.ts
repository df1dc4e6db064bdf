/**
 * The server's message encoder and writer (server/src/messageEncoding.ts) write exactly the bytes
 * vscode-jsonrpc's own would (`Content-Length: n\r\n\r\n`, then `Buffer.from(JSON.stringify(message),
 * 'utf-8')`), whatever the message, one after another from a reused buffer: a publishDiagnostics
 * assembled from kept JSON of each diagnostic, with text that JSON escapes (quotes, control characters,
 * lone surrogates, astral characters), params in any key order, a uri that holds the placeholder the
 * encoder splits at, elements it cannot reuse (a toJSON, a class instance), and every other message.
 * And the JSON of a diagnostic is kept: encoded once while the object lives. DiagnosticMemo
 * (service/diagnostics.ts) gives the same Diagnostic object back exactly when a fresh conversion would
 * give an equal one: random texts with LF, CRLF and lone CR line ends, random edits, kept and new problems.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Writable } from 'node:stream';
import { ReusingMessageWriter, encodeMessage, encodingCounts } from '../../server/src/messageEncoding';
import { DiagnosticMemo, toDiagnostic } from '../../server/src/service/diagnostics';
import type { Problem } from '../../server/src/service/languageTypes';

const plain = (message: unknown) => Buffer.from(JSON.stringify(message), 'utf-8');
const publish = (params: object) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params });

function diagnostic(i: number, message = `problem ${i}`): object {
  return {
    range: { start: { line: i, character: 2 }, end: { line: i, character: 9 } },
    severity: 1 + (i % 4),
    code: 'file-not-found',
    codeDescription: { href: `https://example.com/docs#file-not-found` },
    source: 'otlp-tls',
    message,
    ...(i % 3 === 0 ? { relatedInformation: [{ location: { uri: `file:///w/a%20b/${i}.yaml`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }, message: 'here' }] } : {}),
    ...(i % 2 === 0 ? { data: { at: { collector: 0, path: ['receivers', `otlp/${i}`, 'tls'] }, kind: 'values', values: ['"1.2"', '1.3'] } } : {}),
  };
}

describe('the message encoder writes the bytes JSON.stringify would', () => {
  const awkward = ['quote " and backslash \\', 'tab\tnew\nline\r\u0000\u001f', 'é ü → “smart”', 'astral 😀 𝔘', 'lone \ud800 surrogate \udfff', '\u2028\u2029', ''];

  it('for publishDiagnostics, first encoded and then reused, with text JSON escapes', () => {
    const diagnostics = [...awkward.map((m, i) => diagnostic(i, m)), ...Array.from({ length: 50 }, (_, i) => diagnostic(i + 10))];
    const message = publish({ uri: 'file:///w/collector.yaml', version: 3, diagnostics });
    const before = { ...encodingCounts };
    assert.deepEqual(encodeMessage(message), plain(message));
    assert.equal(encodingCounts.encoded - before.encoded, diagnostics.length);
    // The next publish of the same objects, one of them replaced: only that one is encoded again.
    const next = publish({ uri: 'file:///w/collector.yaml', version: 4, diagnostics: [diagnostic(99, 'new'), ...diagnostics.slice(1)] });
    const again = { ...encodingCounts };
    assert.deepEqual(encodeMessage(next), plain(next));
    assert.equal(encodingCounts.encoded - again.encoded, 1);
    assert.equal(encodingCounts.reused - again.reused, diagnostics.length - 1);
  });

  it('for params in any key order, without a version, empty, or with more keys', () => {
    const d = [diagnostic(1), diagnostic(2)];
    for (const params of [
      { diagnostics: d, uri: 'file:///a.yaml', version: 1 },
      { uri: 'file:///a.yaml', diagnostics: d },
      { uri: 'file:///a.yaml', diagnostics: [] },
      { uri: 'file:///a.yaml', version: 2, diagnostics: d, extra: { nested: [1, 'two', null, true] } },
    ]) {
      const message = publish(params);
      assert.deepEqual(encodeMessage(message), plain(message), JSON.stringify(params).slice(0, 80));
    }
    const reordered = { params: { uri: 'file:///a.yaml', diagnostics: d }, method: 'textDocument/publishDiagnostics', jsonrpc: '2.0' };
    assert.deepEqual(encodeMessage(reordered), plain(reordered));
  });

  it('when a string of the message holds the placeholder, or an element cannot be reused', () => {
    const d = [diagnostic(1)];
    const tricky = publish({ uri: 'file:///"otlp-tls:diagnostics:9d1f4c27"', diagnostics: d });
    assert.deepEqual(encodeMessage(tricky), plain(tricky));
    const quoted = publish({ uri: 'otlp-tls:diagnostics:9d1f4c27', note: '"otlp-tls:diagnostics:9d1f4c27', diagnostics: d });
    assert.deepEqual(encodeMessage(quoted), plain(quoted));
    class Shaped {
      constructor(readonly message: string) {}
    }
    const odd = [diagnostic(1), { toJSON: () => ({ replaced: true }) }, new Shaped('instance'), null, [1, 2]];
    const message = publish({ uri: 'file:///b.yaml', diagnostics: odd });
    assert.deepEqual(encodeMessage(message), plain(message));
  });

  it('for every other message', () => {
    for (const message of [
      { jsonrpc: '2.0', id: 1, result: { capabilities: { hoverProvider: true } } },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'é 😀 \ud800' } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'x', diagnostics: 'not an array' } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics' },
    ]) {
      assert.deepEqual(encodeMessage(message), plain(message));
    }
  });
});

/** A writable stream that keeps what is written, calling back on a later turn (as a pipe does). */
class Collecting extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: (error?: Error | null) => void): void {
    // A copy: the writer reuses its buffer once the callback has run.
    this.chunks.push(Buffer.from(chunk));
    setImmediate(callback);
  }
}

describe('the reusing message writer frames each message as vscode-jsonrpc does', () => {
  it('with the bytes of JSON.stringify after the Content-Length header, message after message, its buffer reused', async () => {
    const stream = new Collecting();
    const writer = new ReusingMessageWriter(stream);
    const base = Array.from({ length: 200 }, (_, i) => diagnostic(i, i % 7 === 0 ? `é ${i} 😀` : `problem ${i}`));
    const messages: object[] = [];
    const next = random(7);
    let list = base;
    for (let version = 1; version <= 60; version++) {
      // Kept diagnostics, one replaced, one added or removed (shifting the rest), a longer version number.
      list = list.map((d, i) => (next() < 0.02 ? diagnostic(i, `changed ${version}`) : d));
      if (next() < 0.3) list = [...list.slice(0, 50), diagnostic(1000 + version), ...list.slice(50)];
      else if (next() < 0.3) list = list.filter((_, i) => i !== 120);
      messages.push(publish({ uri: 'file:///w/collector.yaml', version: version * 97, diagnostics: list }));
      if (version % 9 === 0) messages.push({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: `between ${version}` } });
    }
    // A message larger than the buffer kept so far, then small ones again.
    messages.push(publish({ uri: 'file:///w/big.yaml', diagnostics: Array.from({ length: 3000 }, (_, i) => diagnostic(i)) }));
    messages.push(publish({ uri: 'file:///w/collector.yaml', version: 1, diagnostics: list }));
    // Written without waiting, as the connection does: the writer keeps their order.
    await Promise.all(messages.map((m) => writer.write(m as never)));
    const expected = Buffer.concat(messages.map((m) => {
      const body = plain(m);
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    }));
    assert.ok(Buffer.concat(stream.chunks).equals(expected));
    assert.equal(stream.chunks.length, messages.length);
  });

  it('when a diagnostic before the kept ones grows or shrinks, moving them (the bytes it covers moved first)', async () => {
    const stream = new Collecting();
    const writer = new ReusingMessageWriter(stream);
    const list = Array.from({ length: 10 }, (_, i) => diagnostic(i));
    const longer = [...list.slice(0, 5), diagnostic(5, `a much longer message ${'x'.repeat(500)}`), ...list.slice(6)];
    const shorter = [...list.slice(0, 5), diagnostic(5, 's'), ...list.slice(6)];
    const inserted = [...list.slice(0, 3), diagnostic(77, 'y'.repeat(300)), ...list.slice(3)];
    const messages = [list, longer, list, shorter, longer, inserted, list].map((diagnostics, version) => publish({ uri: 'file:///w/a.yaml', version, diagnostics }));
    for (const message of messages) await writer.write(message as never);
    const expected = messages.map((m) => {
      const body = plain(m);
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    assert.equal(stream.chunks.length, expected.length);
    stream.chunks.forEach((chunk, i) => assert.ok(chunk.equals(expected[i]), `message ${i}`));
  });

  it('reports a failed write, and a write after it fails too rather than waiting', async () => {
    let fail = true;
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        const error = fail ? new Error('EPIPE') : null;
        fail = false;
        setImmediate(() => callback(error));
      },
    });
    stream.on('error', () => undefined);
    const writer = new ReusingMessageWriter(stream);
    const errors: string[] = [];
    writer.onError(([error]) => errors.push(error.message));
    await assert.rejects(writer.write({ jsonrpc: '2.0', method: 'a' } as never), /EPIPE/);
    // The stream is destroyed by its error: the next write is refused, not left pending.
    await assert.rejects(writer.write({ jsonrpc: '2.0', method: 'b' } as never));
    assert.ok(errors.includes('EPIPE'));
  });
});

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('DiagnosticMemo gives the same Diagnostic back exactly when its range stands', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`over random edits of a text with mixed line ends (seed ${seed})`, () => {
      const next = random(seed);
      const pieces = ['key: value', '\n', '\r\n', '\r', '  - item', 'é😀', ' ', '#'];
      let text = Array.from({ length: 300 }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const memo = new DiagnosticMemo();
      // Problems kept from edit to edit (the same objects, as kept check results are), some made anew.
      let problems: Problem[] = [];
      let version = 0;
      for (let edit = 0; edit < 300; edit++) {
        const roll = next();
        const at = Math.floor(next() * (text.length + 1));
        if (roll < 0.3) text = text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at);
        else if (roll < 0.5) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
        else if (roll < 0.8) text = text.slice(0, at) + 'xyz\r\n'[Math.floor(next() * 5)] + text.slice(at + 1); // same length
        problems = problems.filter(() => next() < 0.9);
        for (let k = 0; k < 5; k++) {
          const offset = Math.floor(next() * (text.length + 5));
          problems.push({ code: 'file-not-found', offset, length: Math.floor(next() * 12) - 1, message: `p${edit}.${k}` });
        }
        problems.sort((a, b) => a.offset - b.offset);
        const document = TextDocument.create('file:///w/x.yaml', 'yaml', ++version, text);
        const got = memo.toDiagnostics(document, problems);
        const fresh = problems.map((p) => toDiagnostic(document, p));
        assert.deepEqual(got, fresh, `edit ${edit}`);
      }
    });
  }

  it('hands back the same object for a kept problem, a new one when its range moved', () => {
    const memo = new DiagnosticMemo();
    const text = 'a: 1\nb: 2\nc: 3\n';
    const first: Problem = { code: 'file-not-found', offset: 5, length: 4, message: 'b' };
    const last: Problem = { code: 'file-not-found', offset: 10, length: 4, message: 'c' };
    const [d1, d2] = memo.toDiagnostics(TextDocument.create('file:///x', 'yaml', 1, text), [first, last]);
    // Same-length edit on the first line: both stand.
    const [e1, e2] = memo.toDiagnostics(TextDocument.create('file:///x', 'yaml', 2, text.replace('a: 1', 'a: 7')), [first, last]);
    assert.equal(e1, d1);
    assert.equal(e2, d2);
    // A line break inserted before them (the problems kept at the same offsets): both move a line.
    const moved = 'a:\n1\nb: 2\nc: 3\n';
    const [f1, f2] = memo.toDiagnostics(TextDocument.create('file:///x', 'yaml', 3, moved), [first, last]);
    assert.notEqual(f1, d1);
    assert.notEqual(f2, d2);
    assert.deepEqual([f1, f2], [toDiagnostic(TextDocument.create('file:///x', 'yaml', 3, moved), first), toDiagnostic(TextDocument.create('file:///x', 'yaml', 3, moved), last)]);
  });
});

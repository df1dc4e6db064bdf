/**
 * The validation queue (server/src/handlers/validationQueue.ts) with a document slow to check: after a
 * validation that took SLOW_VALIDATION_MS of CPU or more, an edit made after a quiet spell waits for a pause
 * (a timer) instead of being checked on the next turns, and is checked after it, its diagnostics for the
 * latest version; a document fast to check is checked at once as before; a small document that grew a
 * thousandfold (a paste) counts as slow by its last validation's cost scaled by its length.
 * The slow check is a fake that uses that much CPU (no clock is asserted on).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SLOW_VALIDATION_MS, ValidationQueue } from '../../server/src/handlers/validationQueue';
import type { FeatureRunner } from '../../server/src/handlers/runSafe';
import type { WorkspaceState } from '../../server/src/workspaceState';
import { processCpuMs } from '../../server/src/idleCollector';

function harness() {
  const published: { uri: string; version?: number }[] = [];
  const open = new Map<string, TextDocument>();
  let burnPerChar = 0;
  let burn = 0;
  const connection = { sendDiagnostics: (p: { uri: string; version?: number }) => void published.push(p) } as unknown as Connection;
  const documents = { get: (uri: string) => open.get(uri), all: () => [...open.values()] } as unknown as TextDocuments<TextDocument>;
  const state = {
    validate: (document: TextDocument) => {
      const end = processCpuMs() + burn + burnPerChar * document.getText().length;
      while (processCpuMs() < end) {
        // a check that takes this much CPU
      }
      return [];
    },
    documentClosed: () => undefined,
  } as unknown as WorkspaceState;
  const runner = { busy: false, failed: () => undefined } as unknown as FeatureRunner;
  const queue = new ValidationQueue(connection, documents, state, runner);
  queue.release();
  const change = (uri: string, version: number, text: string) => {
    const document = TextDocument.create(uri, 'yaml', version, text);
    open.set(uri, document);
    queue.contentChanged(document);
  };
  /** Until diagnostics of `version` are out (a hang guard, not a timing). */
  const publishedFor = async (uri: string, version: number) => {
    for (let i = 0; i < 2000 && !published.some((p) => p.uri === uri && p.version === version); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(published.some((p) => p.uri === uri && p.version === version), `diagnostics of ${uri} v${version}`);
  };
  return {
    queue,
    published,
    change,
    publishedFor,
    setBurn: (ms: number, perChar = 0) => {
      burn = ms;
      burnPerChar = perChar;
    },
  };
}

describe('validation of documents slow to check', () => {
  it('a fast document is checked at once; a slow one waits for a pause, then is checked', async () => {
    const { queue, change, publishedFor, setBurn } = harness();
    change('untitled:fast.yaml', 1, 'a: 1\n');
    await publishedFor('untitled:fast.yaml', 1);
    change('untitled:fast.yaml', 2, 'a: 2\n');
    assert.equal(queue.waitsForPause('untitled:fast.yaml'), false, 'a fast document: checked on the next turns');
    await publishedFor('untitled:fast.yaml', 2);

    setBurn(SLOW_VALIDATION_MS + 20);
    change('untitled:slow.yaml', 1, 'b: 1\n');
    await publishedFor('untitled:slow.yaml', 1);
    const validations = queue.validations;
    change('untitled:slow.yaml', 2, 'b: 2\n');
    assert.equal(queue.waitsForPause('untitled:slow.yaml'), true, 'a slow document waits for a pause, though nothing was pending');
    change('untitled:slow.yaml', 3, 'b: 3\n');
    await publishedFor('untitled:slow.yaml', 3);
    assert.equal(queue.validations - validations, 1, 'two edits, one validation');
  });

  it('a small document that a paste made a thousand times longer waits too', async () => {
    const { queue, change, publishedFor, setBurn } = harness();
    // Checking costs CPU per character: the 10-character version is fast, the pasted one would not be.
    setBurn(0, 0.005);
    change('untitled:grown.env', 1, 'A=1\nB=2\nC\n');
    await publishedFor('untitled:grown.env', 1);
    assert.ok(queue.expectedMs(TextDocument.create('untitled:grown.env', 'dotenv', 1, 'A=1\nB=2\nC\n')) < SLOW_VALIDATION_MS);
    setBurn(0, 0);
    change('untitled:grown.env', 2, 'A=1\nB=2\nC\n' + 'X=1\n'.repeat(25_000));
    assert.equal(queue.waitsForPause('untitled:grown.env'), true);
    await publishedFor('untitled:grown.env', 2);
  });
});

/**
 * Requests on a document slow to parse answered from its parsed version (server/src/handlers/parsedView.ts,
 * versionDeltas.ts; issue 15 item 4): the edits since the parse are recorded as spans, positions and ranges
 * move through them both ways (checked against random edits: a span moved either way holds the same text),
 * and a hover, completion, quick fix and document links asked on a newer version of a large collector config
 * are the answers the newer version gives, in its ranges, while the workspace state still holds the older parse.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { VersionDeltas, spanAfter, spanBefore } from '../../server/src/handlers/versionDeltas';
import { LARGE_TEXT, mapCodeActions, mapCompletions, mapHover, mapLinks, parsedView } from '../../server/src/handlers/parsedView';
import { WorkspaceState } from '../../server/src/workspaceState';
import { defaultSettings } from '../../server/src/service/settings';
import { toDiagnostic } from '../../server/src/service/diagnostics';
import { memoryRuntime } from '../support/memoryRuntime';
import { Random } from '../fuzz/random';

/** `document` after `changes`, as a new object (TextDocument.update changes the one it is given). */
function edited(document: TextDocument, changes: Parameters<typeof TextDocument.update>[1], version: number): TextDocument {
  return TextDocument.update(TextDocument.create(document.uri, document.languageId, document.version, document.getText()), changes, version);
}

describe('version deltas', () => {
  it('moves spans through random edits both ways, and refuses the spans an edit touched', () => {
    const random = new Random(15, 1);
    for (let round = 0; round < 40; round++) {
      const deltas = new VersionDeltas();
      let text = '';
      for (let i = 0; i < 200; i++) text += String.fromCharCode(97 + random.int(26)) + (random.chance(0.1) ? '\n' : '');
      let document = TextDocument.create('file:///w/a.yaml', 'yaml', 1, text);
      deltas.changed(document);
      const original = text;
      const edits = 1 + random.int(5);
      for (let e = 0; e < edits; e++) {
        const current = document.getText();
        const a = random.int(current.length + 1);
        const b = Math.min(current.length, a + random.int(8));
        const inserted = random.chance(0.3) ? '' : 'XYZ\n'.slice(0, 1 + random.int(4));
        document = edited(document, [{ range: { start: document.positionAt(a), end: document.positionAt(b) }, text: inserted }], document.version + 1);
        deltas.changed(document);
      }
      const chain = deltas.between(document.uri, 1, document.version);
      assert.ok(chain, 'every edit is known');
      let mappedSome = false;
      for (let k = 0; k < 50; k++) {
        const now = document.getText();
        const start = random.int(now.length + 1);
        const end = Math.min(now.length, start + random.int(10));
        const before = spanBefore(chain, start, end);
        if (before) {
          mappedSome = true;
          assert.equal(original.slice(before.start, before.end), now.slice(start, end));
          assert.deepEqual(spanAfter(chain, before.start, before.end), { start, end }, 'and back');
        }
        const oldStart = random.int(text.length + 1);
        const oldEnd = Math.min(text.length, oldStart + random.int(10));
        const after = spanAfter(chain, oldStart, oldEnd);
        if (after) assert.equal(now.slice(after.start, after.end), text.slice(oldStart, oldEnd));
      }
      assert.ok(mappedSome || chain.length > 0);
    }
  });

  it('a span an edit changed is not moved; one beside it is', () => {
    const deltas = new VersionDeltas();
    const v1 = TextDocument.create('file:///w/a.yaml', 'yaml', 1, 'aaaa\nbbbb\ncccc\n');
    deltas.changed(v1);
    const v2 = edited(v1, [{ range: { start: { line: 1, character: 1 }, end: { line: 1, character: 3 } }, text: 'XXXXX' }], 2);
    deltas.changed(v2);
    const chain = deltas.between(v1.uri, 1, 2)!;
    assert.deepEqual(chain, [{ start: 6, oldEnd: 8, newEnd: 11 }]);
    assert.equal(spanBefore(chain, 5, 9), undefined, 'the edited line');
    assert.deepEqual(spanBefore(chain, 0, 4), { start: 0, end: 4 }, 'the line before');
    assert.deepEqual(spanBefore(chain, 13, 17), { start: 10, end: 14 }, 'the line after, moved back by 3');
    assert.deepEqual(spanAfter(chain, 10, 14), { start: 13, end: 17 });
    assert.equal(deltas.between(v1.uri, 0, 2), undefined, 'a version never seen');
    deltas.changed(TextDocument.create(v1.uri, 'yaml', 1, 'reopened'));
    assert.equal(deltas.between(v1.uri, 1, 2), undefined, 'reopened: the old edits are gone');
  });
});

/** A large collector config (past LARGE_TEXT): many exporters, the first one's tls block insecure. */
function bigConfig(): string {
  let text = 'exporters:\n';
  let i = 0;
  while (text.length < LARGE_TEXT + 10_000) {
    text += `  otlp/e${i}:\n    endpoint: https://collector-${i}:4317\n    tls:\n      insecure_skip_verify: true\n      ca_file: ca-${i}.crt\n`;
    i++;
  }
  return text;
}

describe('requests answered from the parsed version', () => {
  const uri = 'file:///w/collector.yaml';
  const setup = () => {
    const state = new WorkspaceState(memoryRuntime({ files: { '/w/ca-5.crt': 'not a certificate' } }), () => ({ ...defaultSettings, workspaceRoots: ['/w'] }));
    const deltas = new VersionDeltas();
    const v1 = TextDocument.create(uri, 'yaml', 1, bigConfig());
    deltas.changed(v1);
    const problems = state.validate(v1);
    // An edit above everything asked about: a comment line at the top, and a character typed on line 1.
    let v2 = edited(v1, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# notes\n# more notes\n' }], 2);
    deltas.changed(v2);
    v2 = edited(v2, [{ range: { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } }, text: '!' }], 3);
    deltas.changed(v2);
    return { state, deltas, v1, v2, problems };
  };
  /** What the current version answers, parsed afresh. */
  const fresh = (v2: TextDocument) => {
    const state = new WorkspaceState(memoryRuntime({ files: { '/w/ca-5.crt': 'not a certificate' } }), () => ({ ...defaultSettings, workspaceRoots: ['/w'] }));
    state.validate(v2);
    return state;
  };

  it('the newer version is not parsed, and the answers are the ones it gives, in its ranges', () => {
    const { state, deltas, v2 } = setup();
    const view = parsedView(state, deltas, v2);
    assert.ok(view, 'a large document: answered from the parsed version');
    assert.equal(view.parsed.version, 1);
    const truth = fresh(v2);

    // Hover on exporter 5's ca_file (line 2 + 5 * 5 + 4 of the new text, 2 lines lower than before).
    const position = { line: 2 + 1 + 5 * 5 + 4, character: 12 };
    assert.match(v2.getText().split('\n')[position.line], /ca_file: ca-5\.crt/);
    const hover = mapHover(view, position, (old, at) => state.withFeatures(old, (core, options) => core.getHover(old, at, options)));
    const expected = truth.withFeatures(v2, (core, options) => core.getHover(v2, position, options));
    assert.ok(expected?.range, `the current version has a hover with a range there: ${JSON.stringify(expected)}`);
    assert.deepEqual(hover, expected);

    // Completion in exporter 7's tls block, at the start of its insecure_skip_verify key.
    const at = { line: 2 + 1 + 7 * 5 + 3, character: 6 };
    assert.match(v2.getText().split('\n')[at.line], /^ {6}insecure_skip_verify/);
    const completions = mapCompletions(view, at, (old, p) => state.withFeatures(old, (core, options) => core.getCompletions(old, p, options)));
    const expectedCompletions = truth.withFeatures(v2, (core, options) => core.getCompletions(v2, at, options));
    assert.ok(expectedCompletions.length > 0);
    assert.deepEqual(completions, expectedCompletions);

    // Document links: every one of the current version (none is on the edited lines).
    const links = mapLinks(view, state.withFeatures(view.parsed, (core, options) => core.getDocumentLinks(view.parsed, options)));
    assert.deepEqual(links, truth.withFeatures(v2, (core, options) => core.getDocumentLinks(v2, options)));

    // Quick fixes for the current version's diagnostics (as the client has them).
    const diagnostics: Diagnostic[] = truth.validate(v2).slice(0, 20).map((p) => toDiagnostic(v2, p));
    assert.ok(diagnostics.length > 0);
    const actions = mapCodeActions(view, diagnostics, (old, moved) => state.withFeatures(old, (core, options) => core.getCodeActions(old, moved, options)));
    const expectedActions = truth.withFeatures(v2, (core, options) => core.getCodeActions(v2, diagnostics, options));
    assert.ok(expectedActions.length > 0);
    assert.deepEqual(actions, expectedActions);

    assert.equal(state.parsedVersion(uri)?.version, 1, 'still the parse of version 1: no request parsed version 3');
  });

  it('what an edit changed since the parse is not answered from it', () => {
    const { state, deltas, v2 } = setup();
    // A paste of 1,000 characters on line 10.
    const pasted = edited(v2, [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: `# ${'x'.repeat(1000)}\n` }], 4);
    deltas.changed(pasted);
    const view = parsedView(state, deltas, pasted)!;
    assert.ok(view);
    const never = () => {
      throw new Error('not asked on the parsed version');
    };
    assert.equal(mapHover(view, { line: 10, character: 5 }, never), null);
    assert.deepEqual(mapCompletions(view, { line: 10, character: 5 }, never), []);
    // A few keystrokes since the parse: a request on them waits for the current version instead (undefined).
    const typing = setup();
    const typed = parsedView(typing.state, typing.deltas, typing.v2)!;
    assert.ok(typed);
    assert.equal(mapHover(typed, { line: 1, character: 1 }, never), undefined);
    assert.deepEqual(mapCompletions(typed, { line: 0, character: 3 }, never), undefined);
  });
});

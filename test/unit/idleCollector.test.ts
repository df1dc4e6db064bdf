/**
 * The server's collection when it goes quiet (server/src/idleCollector.ts): one full collection after
 * QUIET_MS with almost no CPU used, once the heap in use has grown by GROWTH_BYTES since the last one;
 * none while the server works, none after light work, none again while it stays quiet. And Node gives
 * the server a `gc()` without `--expose-gc` on its command line (any client starts it).
 * The fuzzer's report measures what it gives back (README "Robustness").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import { GROWTH_BYTES, IDLE_SHARE, IdleCollector, QUIET_MS, SLACK_BYTES, SLACK_QUIET_MS, WORK_MS, compacting, exposedGc } from '../../server/src/idleCollector';

const MIB = 1024 * 1024;

/** A fake process: its CPU time and heap are set by the test; a collection takes the heap down to `live`. */
function fakeProcess() {
  const state = { cpuMs: 0, heap: 60 * MIB, live: 60 * MIB, collections: 0 };
  const collector = new IdleCollector({
    collect: () => {
      state.collections++;
      state.heap = state.live;
      state.cpuMs += 80; // a full collection costs CPU too
    },
    cpuMs: () => state.cpuMs,
    heapUsed: () => state.heap,
  });
  /** One second: `busy` ms of CPU used, `allocated` bytes more in the heap. */
  const second = (busy: number, allocated = 0) => {
    state.cpuMs += busy;
    state.heap += allocated;
    return collector.tick(1000);
  };
  return { state, collector, second };
}

describe('idle collection', () => {
  it('collects once when the server goes quiet after heavy work, not while it works', () => {
    const { state, collector, second } = fakeProcess();
    for (let i = 0; i < 20; i++) assert.equal(second(700, 30 * MIB), false, 'no collection while the server works');
    assert.equal(state.collections, 0);
    // Quiet: less than IDLE_SHARE of the time used (a sweep's timer).
    const quietSeconds = Math.ceil(QUIET_MS / 1000);
    for (let i = 1; i < quietSeconds; i++) assert.equal(second(1000 * IDLE_SHARE * 0.5), false);
    assert.equal(second(1000 * IDLE_SHARE * 0.5), true, `a collection after ${QUIET_MS} ms of quiet`);
    assert.equal(state.collections, 1);
    assert.equal(collector.collections, 1);
    // Quiet on: nothing more to collect, so no more collections (its own CPU time does not count as work).
    for (let i = 0; i < 60; i++) second(0);
    assert.equal(state.collections, 1);
  });

  it('does not collect after light work (a hover, a small edit)', () => {
    const { state, second } = fakeProcess();
    for (let i = 0; i < 5; i++) second(300, (GROWTH_BYTES / 10) | 0);
    for (let i = 0; i < 30; i++) second(0);
    assert.equal(state.collections, 0);
  });

  it('waits for the quiet: a busy second starts it again', () => {
    const { state, second } = fakeProcess();
    second(900, 2 * GROWTH_BYTES);
    const quietSeconds = Math.ceil(QUIET_MS / 1000);
    for (let round = 0; round < 5; round++) {
      for (let i = 1; i < quietSeconds; i++) second(0);
      second(500); // work again before the quiet is long enough
    }
    assert.equal(state.collections, 0);
    for (let i = 0; i < quietSeconds; i++) second(0);
    assert.equal(state.collections, 1);
  });

  it('collects again after more heavy work', () => {
    const { state, second } = fakeProcess();
    const quiet = () => {
      for (let i = 0; i < Math.ceil(QUIET_MS / 1000) + 3; i++) second(0);
    };
    second(900, 2 * GROWTH_BYTES);
    quiet();
    state.live += 20 * MIB; // a large document kept open holds more
    second(900, 2 * GROWTH_BYTES);
    quiet();
    assert.equal(state.collections, 2);
    // The baseline is what the last collection left (the live heap), not the start.
    second(900, GROWTH_BYTES / 2);
    quiet();
    assert.equal(state.collections, 2);
  });

  it('after heavy work, compacts a heap committed far above its use though its use grew little; not after light work', () => {
    // V8's own collections kept the heap in use low during the work, but left its pages committed.
    const state = { cpuMs: 0, heap: 60 * MIB, committed: 60 * MIB, collections: 0 };
    const collector = new IdleCollector({
      collect: () => {
        state.collections++;
        state.committed = state.heap;
      },
      cpuMs: () => state.cpuMs,
      heapUsed: () => state.heap,
      heapCommitted: () => state.committed,
    });
    const quiet = () => {
      for (let i = 0; i < Math.ceil(SLACK_QUIET_MS / 1000) + 1; i++) collector.tick(1000);
    };
    // Light work leaving slack: no collection.
    state.cpuMs += WORK_MS / 4;
    collector.tick(1000);
    state.committed += 2 * SLACK_BYTES;
    quiet();
    assert.equal(state.collections, 0, 'light work: no collection');
    // Heavy work: the heap in use grows less than GROWTH_BYTES, the committed heap stays SLACK_BYTES above it.
    for (let i = 0; i < 5; i++) {
      state.cpuMs += WORK_MS / 2;
      state.heap += GROWTH_BYTES / 8;
      state.committed = state.heap + 2 * SLACK_BYTES;
      collector.tick(1000);
    }
    assert.ok(state.heap - 60 * MIB < GROWTH_BYTES, 'grown less than GROWTH_BYTES');
    for (let ms = 0; ms + 1000 < SLACK_QUIET_MS; ms += 1000) collector.tick(1000);
    assert.equal(state.collections, 0, `not before ${SLACK_QUIET_MS} ms of quiet`);
    quiet();
    assert.equal(state.collections, 1, 'one compacting collection');
    assert.equal(state.committed, state.heap);
    quiet();
    assert.equal(state.collections, 1, 'not again while quiet');
  });

  it('gets a gc() from Node without --expose-gc on the command line, and collects with it, compacting', () => {
    const gc = exposedGc();
    assert.equal(typeof gc, 'function');
    let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `s${i}` }));
    const before = getHeapStatistics().used_heap_size;
    garbage = undefined;
    compacting(gc!)();
    assert.equal(garbage, undefined);
    assert.ok(getHeapStatistics().used_heap_size < before, 'the heap in use went down');
  });
});

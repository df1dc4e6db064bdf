/**
 * A full garbage collection once the server goes quiet after heavy work, so its memory comes back.
 *
 * V8 collects when it allocates: a server that stops allocating (the user stopped typing, a large
 * document was closed) keeps the garbage of its last minutes and the pages that hold it. Measured by the
 * fuzzer (README "Robustness"): 496 MiB of RSS after its LSP run and 30 s of quiet, 361 MiB of V8 heap in
 * use, against 65 MiB live in a heap snapshot taken then, and 170 MiB of RSS after start-up.
 *
 * So every second the server's CPU time is looked at: after QUIET_MS in which it used less than
 * IDLE_SHARE of the time, if the heap in use has grown by GROWTH_BYTES since the last collection, one
 * full collection runs, compacting (V8 then gives the freed pages back within a second). While the server works,
 * or when little was allocated, nothing is done. After heavy work (WORK_MS of CPU since the last collection) a
 * heap that holds SLACK_BYTES more than it uses is collected too, after SLACK_QUIET_MS of quiet, though what it uses grew less: V8's own
 * collections during the work freed the garbage but kept its pages (the fuzzer's LSP run ended with 86 MiB in use
 * in 148 MiB committed and 235 MiB of RSS, which stayed so through 30 s of quiet). Node gives `gc()` only with `--expose-gc`, and the
 * server is started by any client (VS Code, Neovim, the fuzzer...), so the flag is set from here
 * (`v8.setFlagsFromString`, then the `gc` of a new context); if that gives no function, nothing runs.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Quiet this long before a collection. */
export const QUIET_MS = 2_000;
/** Quiet: the server used less than this share of the time (the timers of the file sweep use far less). */
export const IDLE_SHARE = 0.05;
/** Only after the heap in use grew this much since the last collection (heavy work, not a hover). */
export const GROWTH_BYTES = 64 * 1024 * 1024;
/** Committed heap this much above the heap in use is worth compacting after heavy work. */
export const SLACK_BYTES = 32 * 1024 * 1024;
/** Heavy work: this much CPU time (ms) since the last collection. */
export const WORK_MS = 2_000;
/**
 * A collection for the slack alone waits for a longer quiet: it compacts a heap that is no larger than before,
 * so it can wait, and a request sent during it waits for it (a compacting collection of 100 MiB took 0.4-0.7 s
 * of CPU on the 2-core machine).
 */
export const SLACK_QUIET_MS = 5_000;
const TICK_MS = 1_000;

export interface CollectorHooks {
  /** A full collection. */
  collect(): void;
  /** The process's CPU time so far, in ms. */
  cpuMs(): number;
  /** The V8 heap in use, in bytes. */
  heapUsed(): number;
  /** The V8 heap committed (used and free pages), in bytes; without it, only growth counts. */
  heapCommitted?(): number;
}

export class IdleCollector {
  /** Collections made (for otlpTls/statistics, the tests and the fuzzer's report). */
  collections = 0;
  private quietMs = 0;
  private lastCpuMs: number;
  private baseline: number;
  /** CPU time used since the last collection (ms). */
  private workMs = 0;

  constructor(private readonly hooks: CollectorHooks) {
    this.lastCpuMs = hooks.cpuMs();
    this.baseline = hooks.heapUsed();
  }

  /** One look, `elapsedMs` after the one before; true when it collected. */
  tick(elapsedMs: number): boolean {
    const cpu = this.hooks.cpuMs();
    const used = cpu - this.lastCpuMs;
    this.lastCpuMs = cpu;
    this.workMs += Math.max(0, used);
    if (elapsedMs <= 0 || used > elapsedMs * IDLE_SHARE) {
      this.quietMs = 0;
      return false;
    }
    this.quietMs += elapsedMs;
    if (this.quietMs < QUIET_MS) return false;
    const heap = this.hooks.heapUsed();
    // V8's own collections may have taken the heap below the baseline: that is the new one.
    if (heap < this.baseline) this.baseline = heap;
    const slack = this.hooks.heapCommitted !== undefined && this.quietMs >= SLACK_QUIET_MS && this.workMs >= WORK_MS && this.hooks.heapCommitted() - heap >= SLACK_BYTES;
    if (heap - this.baseline < GROWTH_BYTES && !slack) return false;
    this.hooks.collect();
    this.collections++;
    this.workMs = 0;
    this.baseline = this.hooks.heapUsed();
    // The collection's own CPU time is not work to wait for.
    this.lastCpuMs = this.hooks.cpuMs();
    return true;
  }
}

/** Node's `gc()`: from `--expose-gc` if the process has it, else by setting the flag now; undefined if neither gives it. */
export function exposedGc(): (() => void) | undefined {
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return own as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A full collection that also compacts every page (V8 reads the flag at each collection; it is set for this one
 * only). A plain `gc()` frees the objects but leaves the pages that still hold a few live ones, so the heap stays
 * committed: a standalone check with 137 MiB live among 400 MiB made, 607 MiB committed after `gc()` and 661 MiB
 * of RSS, against 172 and 226 MiB compacted (853 ms against 392 ms of CPU, once, while the server is quiet).
 */
export function compacting(gc: () => void): () => void {
  return () => {
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  };
}

let running: IdleCollector | undefined;

/** This process's CPU time so far (all its threads), in ms. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Starts the idle collection of this process (once); undefined when Node gives no `gc()`. The timer never keeps the process alive. */
export function startIdleCollection(): IdleCollector | undefined {
  if (running) return running;
  const gc = exposedGc();
  if (!gc) return undefined;
  const collector = new IdleCollector({ collect: compacting(gc), cpuMs: processCpuMs, heapUsed: () => getHeapStatistics().used_heap_size, heapCommitted: () => getHeapStatistics().total_heap_size });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    collector.tick(now - last);
    last = now;
  }, TICK_MS).unref();
  running = collector;
  return collector;
}

/** The collector started in this process, if any. */
export function idleCollector(): IdleCollector | undefined {
  return running;
}

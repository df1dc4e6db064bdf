/**
 * What a child process costs, read from /proc (Linux): CPU time (user + system), resident memory and
 * its peak. The fuzz runners poll it as a watchdog and read it before and after each case.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(out.stdout.trim()) || 100;
  }
  return ticksPerSecond;
}

export interface ProcessUsage {
  /** User + system CPU time, ms. */
  cpuMs: number;
  /** Resident set size now, KiB. */
  rssKb: number;
  /** Peak resident set size, KiB. */
  peakRssKb: number;
}

/** The usage of `pid`, or undefined when it is gone (or /proc is not there). */
export function processUsage(pid: number | undefined): ProcessUsage | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3; utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { cpuMs: (ticks * 1000) / clockTicks(), rssKb: kb('VmRSS'), peakRssKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** A stack trace or an uncaught error in a child's stderr. */
export function looksLikeCrash(stderr: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(native\))$/m.test(stderr) || /FATAL ERROR|Segmentation fault|core dumped|Uncaught|Unhandled|RangeError|TypeError|ReferenceError|SyntaxError|heap out of memory/.test(stderr);
}

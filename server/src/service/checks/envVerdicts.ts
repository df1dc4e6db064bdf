/**
 * What the env checks found for one setting, kept per service by everything they read of it (its name as read and
 * as written, its value, how it is set, the SDK; for an endpoint, who sends to it): a pasted env file of 40,000
 * settings (issue 15's fuzzer) checked every name and value again at each edit. A kept verdict is a list of problems
 * made for some setting with that text; `placed` gives them the offsets and locators of the setting at hand.
 * Keys are length-prefixed (no separator a value can hold), and kept texts are copies: a slice of a file's text
 * would keep that whole version alive.
 */
import type { Problem } from '../languageTypes';

/** Kept verdicts per kind, bounded (cleared when full: a verdict is cheap to find again). */
const MAX_VERDICTS = 50_000;
/** Values longer than this are not kept (a 10 MB line is checked as it comes, not copied into a key). */
export const MAX_KEPT_VALUE = 2_000;

/**
 * Verdicts by three keys: what the check reads besides the setting (the SDK, who sends to it, a name written in
 * another form), then the name, then the value. The name and value are the setting's own strings (slices of the
 * text): looked up as they are, with no key made per setting (hashing a joined key copies it: 40,000 copies a check
 * at each validation of a pasted env file); copies are kept.
 */
export class VerdictMemo<T> {
  private kept = new Map<string, Map<string, Map<string, T>>>();
  private size = 0;
  /** `copy`: keys kept as copies of their strings; a service of one moment (the CLI) keeps the slices, its texts live as long. */
  constructor(private readonly copy = true) {}
  get(context: string, name: string, value: string): T | undefined {
    return this.kept.get(context)?.get(name)?.get(value);
  }
  set(context: string, name: string, value: string, verdict: T): void {
    if (this.size >= MAX_VERDICTS) {
      this.kept = new Map();
      this.size = 0;
    }
    let byName = this.kept.get(context);
    const own = this.copy ? ownCopy : (text: string) => text;
    if (!byName) this.kept.set(own(context), (byName = new Map()));
    let byValue = byName.get(name);
    if (!byValue) byName.set(own(name), (byValue = new Map()));
    if (!byValue.has(value)) this.size++;
    byValue.set(own(value), verdict);
  }
}

export interface EnvVerdicts {
  /** envVariables: a name's problem (null: none) and its schema entry, by kind of setting, name and name as written. */
  names: VerdictMemo<{ problem: Problem | null; known: boolean }>;
  /** envVariables: a known name's value problems, by SDK, name, name as written and value. */
  values: VerdictMemo<readonly Problem[]>;
  /** envEndpoint: an endpoint's problems, by SDK, name, value and who sends to it; `use` the index of the use a problem is about (-1: none). */
  endpoints: VerdictMemo<readonly { problem: Problem; use: number }[]>;
}

/** `copy` false for a service of one moment: nothing outlives its texts, so the kept keys need not be copies. */
export function createEnvVerdicts(copy = true): EnvVerdicts {
  return { names: new VerdictMemo(copy), values: new VerdictMemo(copy), endpoints: new VerdictMemo(copy) };
}

/** A key part that cannot run into the next one (the context key's parts). */
export function part(text: string): string {
  return `${text.length}:${text}`;
}

/** A flat copy of a string (not a slice or concatenation holding a file's text); structuredClone copies 3.6x faster than a JSON round trip. */
export function ownCopy(text: string): string {
  return structuredClone(text);
}

/** A problem made for another setting, as a verdict: its texts copied, so it holds no file's text. */
export function asVerdict(problem: Problem): Problem {
  return { ...problem, message: ownCopy(problem.message) };
}

/**
 * A kept problem at a setting's span, with its locator (`data.at`) and, when given, more of `data` and the
 * related locations: the same fields, in the same order, as the check makes for it.
 */
export function placed(kept: Problem, offset: number, length: number, at: unknown, more?: { data?: Record<string, unknown>; related?: Problem['related'] }): Problem {
  const out = { ...kept, offset, length } as Problem;
  if (kept.data) out.data = { ...kept.data, at, ...more?.data } as Problem['data'];
  if (more?.related) out.related = more.related;
  return out;
}

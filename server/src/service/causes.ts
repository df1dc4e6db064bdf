/**
 * One diagnostic per cause (issue 13). Checks report what they see, and several can see one fault: two
 * checks the same certificate (its own file check and the handshake), two listeners on one port the same
 * plaintext client, the scheme that makes every TLS setting of an app dead. Here they become one problem,
 * the other places in its related locations:
 * - the same code on the same range is one problem (the most severe, else the one with a fix, else the
 *   first), with the related locations of all;
 * - a problem that names its cause (`Problem.cause`) is left out where that root problem is reported,
 *   its place going into the root's related locations; consequences of a root that is not reported are
 *   one problem too: the first, with the others' places.
 * `oneByCause` does it within a file (languageService.ts, after the checks, in file offsets);
 * `oneByCauseAcrossFiles` for causes in another file, where the whole workspace is shown at once (the CLI;
 * the editor publishes a file's problems only while it is open, so a client's file keeps its own).
 */
import type { CheckedDiagnostic, DiagnosticCode, Problem, Range, RelatedLocation, Severity } from './languageTypes';
import { diagnosticCodes } from './diagnosticCodes';

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const rank = (p: Problem) => RANK[p.severity ?? diagnosticCodes[p.code].severity];

/** `sorted`: one file's problems in offset order. `here` makes a related location in this file. */
export function oneByCause(sorted: Problem[], here: (offset: number, length: number, message: string) => RelatedLocation): Problem[] {
  // 1. The same code on the same range: one. The list is in offset order, so the same range is among the
  // problems kept last at the same offset.
  // Copied only from the first merge on (mostly there is none).
  let merging: Problem[] | undefined;
  // The related locations gathered so far for a merged problem: a client paired with hundreds of listeners has
  // hundreds of problems of one code on one range, so each merge adds to them instead of copying them all.
  const gathered = new Map<number, Gathered>();
  let causes = false;
  for (let k = 0; k < sorted.length; k++) {
    const problem = sorted[k];
    const list = merging ?? sorted;
    let at = (merging ? merging.length : k) - 1;
    while (at >= 0 && list[at].offset === problem.offset && (list[at].code !== problem.code || list[at].length !== problem.length)) at--;
    if (at >= 0 && list[at].offset === problem.offset) {
      merging ??= sorted.slice(0, k);
      merging[at] = mergeSame(merging[at], problem, gathered, at);
    } else merging?.push(problem);
    if (problem.cause && 'offset' in problem.cause) causes = true;
  }
  const out = merging ?? sorted;
  if (!causes) return out;
  // 2. Consequences of a root reported here, or of the same root that is not.
  const roots = new Map<string, Problem>();
  for (const problem of out) roots.set(`${problem.code}@${problem.offset}:${problem.length}`, problem);
  const firstOf = new Map<string, Problem>();
  const dropped = new Set<Problem>();
  const grown = new Map<Problem, RelatedLocation[]>();
  const grow = (root: Problem, related: RelatedLocation) => {
    const list = grown.get(root) ?? [];
    list.push(related);
    grown.set(root, list);
  };
  for (const problem of out) {
    const cause = problem.cause;
    if (!cause || !('offset' in cause)) continue;
    const key = `${cause.code}@${cause.offset}:${cause.length}`;
    const root = roots.get(key);
    if (root && root !== problem && !root.cause) {
      dropped.add(problem);
      grow(root, here(problem.offset, problem.length, cause.note));
      continue;
    }
    const first = firstOf.get(key);
    if (!first) firstOf.set(key, problem);
    else {
      dropped.add(problem);
      grow(first, here(problem.offset, problem.length, cause.note));
    }
  }
  if (dropped.size === 0) return out;
  return out.filter((p) => !dropped.has(p)).map((p) => (grown.has(p) ? { ...p, related: uniqueRelated([...(p.related ?? []), ...grown.get(p)!]) } : p));
}

/** The related locations of a merged problem (owned by the merge, so it may add to them), and their keys. */
interface Gathered {
  related: RelatedLocation[];
  keys: Set<string>;
}

const relatedKey = (r: RelatedLocation) => `${r.path}\0${r.range.start.line}:${r.range.start.character}\0${r.message}`;

function gather(lists: (RelatedLocation[] | undefined)[]): Gathered {
  const gathered: Gathered = { related: [], keys: new Set() };
  for (const list of lists) for (const r of list ?? []) add(gathered, r);
  return gathered;
}

function add(gathered: Gathered, r: RelatedLocation): void {
  const key = relatedKey(r);
  if (gathered.keys.has(key)) return;
  gathered.keys.add(key);
  gathered.related.push(r);
}

/**
 * Two problems of one code on one range (`a` the one merged so far at `at`, its related locations in `gathered`):
 * the more severe (else the one with a fix, else the first), with the related locations of both, the base's first.
 */
function mergeSame(a: Problem, b: Problem, gathered: Map<number, Gathered>, at: number): Problem {
  // The more severe; then the one with a fix; then a root over a consequence (the check that knows why says it).
  const better = rank(b) - rank(a) || (!a.data && b.data ? -1 : a.data && !b.data ? 1 : 0) || (a.cause && !b.cause ? -1 : 0);
  const base = better < 0 ? b : a;
  const other = base === a ? b : a;
  const merged: Problem = { ...base };
  let related: Gathered;
  if (base === a) {
    // The usual case: the related locations so far, then b's.
    related = gathered.get(at) ?? gather([a.related]);
    for (const r of b.related ?? []) add(related, r);
  } else {
    // b is the new base (more severe, or with a fix: a few times per place at most): its related locations first.
    related = gather([b.related, gathered.get(at)?.related ?? a.related]);
  }
  gathered.set(at, related);
  if (related.related.length) merged.related = related.related;
  if (!merged.data && other.data) merged.data = other.data;
  // Found as a root in its own right by one of them: a root.
  if (!a.cause || !b.cause) delete merged.cause;
  return merged;
}

function uniqueRelated(list: RelatedLocation[]): RelatedLocation[] {
  return gather([list]).related;
}

/** A finding of a workspace run, with the cause its problem names (Problem.cause). */
export interface WorkspaceFinding {
  /** Absolute path. */
  file: string;
  diagnostic: CheckedDiagnostic;
  cause?: Problem['cause'];
  /** Set on a suppressed finding: it neither absorbs others nor is absorbed. */
  suppression?: unknown;
}

/**
 * Across files: a finding whose cause is a problem in another file (the expired certificate a receiver
 * serves, seen by each client's handshake) is left out when that problem is shown, its place added to the
 * root's related locations with the cause's note. `toUri` makes a related location's URI.
 */
export function oneByCauseAcrossFiles<T extends WorkspaceFinding>(findings: T[], toUri: (path: string) => string): T[] {
  const key = (file: string, code: DiagnosticCode, range: Range) => `${file}\0${code}\0${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
  const roots = new Map<string, T>();
  for (const f of findings) if (!f.suppression) roots.set(key(f.file, f.diagnostic.code, f.diagnostic.range), f);
  const dropped = new Set<T>();
  for (const f of findings) {
    const cause = f.cause;
    if (f.suppression || !cause || !('related' in cause)) continue;
    const root = roots.get(key(cause.related.path, cause.code, cause.related.range));
    if (!root || root === f || dropped.has(root)) continue;
    dropped.add(f);
    const related = root.diagnostic.relatedInformation ?? [];
    const item = { location: { uri: toUri(f.file), range: f.diagnostic.range }, message: cause.note };
    if (!related.some((r) => r.location.uri === item.location.uri && r.location.range.start.line === item.location.range.start.line && r.location.range.start.character === item.location.range.start.character)) {
      root.diagnostic = { ...root.diagnostic, relatedInformation: [...related, item] };
    }
  }
  return dropped.size ? findings.filter((f) => !dropped.has(f)) : findings;
}

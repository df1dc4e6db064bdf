/**
 * Keeping the problems of what an edit did not change. The language service checks each scope of a
 * unit on its own (a component of a cut collector config: UnitScope; any other unit whole) and keeps
 * what the checks found, with everything they read besides the scope's own content:
 * - the files (FileFacts records every path looked at, with the version of its fact);
 * - the clock, when a check read it (a certificate's validity): the result is kept within the minute;
 * - the workspace (every WorkspaceIndex question asked, once per scope, with a fingerprint of its answer:
 *   the listeners on a port by identity and place, the mounts of a file, the Kubernetes objects by identity,
 *   each question asked of the cluster index by what it answered (recordingCluster); the collectors and apps
 *   by where they are (file, index, container, mounts, compose service): a check reads only that of them,
 *   and their contents through the listeners on a port (pairing.ts); a question whose answer cannot be
 *   fingerprinted cheaply stands for the index it was asked of, so a new index re-runs it; indexes that answer alike
 *   share one `answers` token, model/workspace.ts, and what was asked of one stands for the others). Kept results
 *   with the same questions and answers share one QuestionSet, asked again once per index;
 * - the unit's place in its file (index, label, container, mounts) and the file's configuration.
 * A scope is its model object (reused by the chunk cache while its text is unchanged), the unit object
 * (reused by the server while its file is unchanged) or the key a manifest gives a unit it makes anew from
 * an unchanged document (Unit.keptAs), so the entries live in a WeakMap and go with what they describe. A kept result is moved to where its scope is now (offsets, and the ranges
 * of the related locations it found in its own unit).
 */
import type { LineTables } from './diagnostics';
import type { FactsRead, FileFacts } from './fileFacts';
import type { Problem, RelatedLocation } from './languageTypes';
import { completedFromWorkspace, type ClusterIndex, type ClusterKind, type DataObject, type NamedKind, type Placed } from './model/cluster';
import type { PairedListener, WorkspaceIndex } from './model/workspace';
import { spanToFile } from './sources/embedded';
import { nodeSpan } from './yaml/yamlNodes';

/** A question a check asked of the workspace index, and how to ask it again of another index. */
export interface Question {
  /** What was asked (the method and its arguments), unique within one scope's questions. */
  key: string;
  answer: string;
  ask(index: WorkspaceIndex): string;
  /** What its answer's print is kept with (`tokenOf`): the index's answers, one kind of cluster object's token, or the index itself. */
  token: TokenKind;
}

/**
 * What stands for the answers a question is about: `answers`, the index's (WorkspaceIndex.answers, shared by indexes
 * that answer alike); a kind of cluster object, that kind's token (ClusterIndex.answers); `index`, the index itself (a
 * question whose answer no token vouches for: asked again of every index).
 */
export type TokenKind = 'answers' | 'index' | ClusterKind | NamedToken;
/** The objects of a named kind with one name (ClusterIndex.named): `configMaps` NUL `otel-ca`. */
export type NamedToken = `${NamedKind}\u0000${string}`;

/** The token of `kind` in `index` (see TokenKind). */
export function tokenOf(index: WorkspaceIndex, kind: TokenKind): object {
  if (kind === 'answers') return answersOf(index);
  if (kind === 'index') return index;
  // Asked for every kept unit of a manifest at each validation (languageService.ts standingRun): once per index and kind
  // (an index's cluster index, built at the first call, and its tokens never change).
  let known = clusterTokens.get(index);
  if (!known) clusterTokens.set(index, (known = new Map()));
  let token = known.get(kind);
  if (token === undefined) known.set(kind, (token = clusterToken(index, kind)));
  return token;
}

const clusterTokens = new WeakMap<WorkspaceIndex, Map<TokenKind, object>>();

function clusterToken(index: WorkspaceIndex, kind: Exclude<TokenKind, 'answers' | 'index'>): object {
  const cluster = index.cluster();
  const at = kind.indexOf('\u0000');
  if (at >= 0) return cluster.named?.(kind.slice(0, at) as NamedKind, kind.slice(at + 1)) ?? cluster.answers?.[kind.slice(0, at) as NamedKind] ?? answersOf(index);
  return cluster.answers?.[kind as ClusterKind] ?? answersOf(index);
}

/**
 * The questions of kept results that asked the same things and got the same answers, as one object: many
 * scopes do (the components of one config ask the same of the workspace), so each set is asked again once
 * per index, not once per scope.
 */
interface QuestionSet {
  questions: Question[];
  /** The tokens its questions' answers are kept with besides the index's answers (`tokenOf`), each once. */
  others: readonly TokenKind[];
}

/** Whether a set's answers stood when asked, with the tokens of its `others` then. */
interface SetAsked {
  stands: boolean;
  tokens: readonly object[];
}

export interface KeptResult {
  /** The unit's place and the file's configuration, as one key (see `placeKey`). */
  place: string;
  config: object;
  /** Where the scope started (unit offsets) when its problems were found. */
  base: number;
  /** In unit offsets, sorted by offset. */
  problems: Problem[];
  /** The related locations the checks made in the scope's own unit, with their unit spans, to move them with it. */
  inUnit: Map<RelatedLocation, { offset: number; length: number }>;
  facts: FactsRead;
  /** The minute the clock was read in, when it was. */
  clock?: number;
  questions: Question[];
}

/** A result is kept this long at most when its checks read the clock (a certificate expiring, becoming valid). */
export const CLOCK_GRAIN_MS = 60_000;
const MAX_INTERNED = 20_000;
const MAX_INTERNED_CHARS = 8_000_000;
const MAX_QUESTION_SETS = 5_000;

export class CheckCache {
  private readonly kept = new WeakMap<object, KeptResult>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  /** Fingerprints of answers, per index (its `answers`: indexes that answer alike share them) and question (each question is answered once per index). */
  private readonly prints = new WeakMap<object, Map<string, string>>();
  private readonly canonical = new Map<string, { print: string; id: number }>();
  private readonly jsons = new WeakMap<object, string>();
  private readonly partsIds = new WeakMap<object, { parts: (string | number)[]; id: number }>();
  private readonly questionSets = new Map<string, QuestionSet>();
  private readonly sets = new WeakMap<KeptResult, QuestionSet>();
  /**
   * Whether each set's answers stood, per index it was asked of (its `answers`; going with them), and the other tokens
   * they were asked with: indexes that share `answers` can differ in a kind of cluster object.
   */
  private readonly setsAsked = new WeakMap<object, Map<QuestionSet, SetAsked>>();
  /** The characters of the interned prints: bounded too (a print can list every unit of a large workspace). */
  private canonicalChars = 0;

  constructor(
    private readonly facts: FileFacts,
    private readonly lineTables: LineTables,
  ) {}

  /** The kept result of `scope`, when everything it read still stands. */
  valid(scope: object, place: string, config: object, index: WorkspaceIndex, minute: number): KeptResult | undefined {
    const kept = this.kept.get(scope);
    if (!kept || kept.place !== place || kept.config !== config) return undefined;
    if (kept.clock !== undefined && kept.clock !== minute) return undefined;
    if (!this.facts.stands(kept.facts)) return undefined;
    const set = this.sets.get(kept);
    if (!set) return undefined;
    const answers = answersOf(index);
    let asked = this.setsAsked.get(answers);
    if (!asked) {
      asked = new Map();
      this.setsAsked.set(answers, asked);
    }
    const known = asked.get(set);
    if (known !== undefined && sameTokens(known.tokens, set.others, index)) return known.stands ? kept : undefined;
    const stands = set.questions.every((question) => question.ask(index) === question.answer);
    asked.set(set, { stands, tokens: set.others.map((kind) => tokenOf(index, kind)) });
    return stands ? kept : undefined;
  }

  /** The tokens besides the index's answers that `result`'s questions are kept with (none: it stands on `answers` alone). */
  othersOf(result: KeptResult): readonly TokenKind[] {
    return this.sets.get(result)?.others ?? [];
  }

  /** The result kept for `scope`, whether it stands or not. */
  keptFor(scope: object): KeptResult | undefined {
    return this.kept.get(scope);
  }

  keep(scope: object, result: KeptResult): void {
    this.kept.set(scope, result);
    // The set's name: the keys, and each answer by its interned print's number.
    let name = '';
    for (const question of result.questions) name += `${question.key}\u0002${this.printId(question.answer)}\u0003`;
    let set = this.questionSets.get(name);
    if (!set) {
      if (this.questionSets.size >= MAX_QUESTION_SETS) this.questionSets.clear();
      const others: TokenKind[] = [];
      for (const question of result.questions) if (question.token !== 'answers' && !others.includes(question.token)) others.push(question.token);
      set = { questions: result.questions, others };
      this.questionSets.set(name, set);
    }
    this.sets.set(result, set);
  }

  /** `index` as the checks of one scope see it: every question recorded in `questions`. */
  recording(index: WorkspaceIndex, questions: Question[]): WorkspaceIndex {
    // Each question once (a check asks `collectors()` for every endpoint it pairs): `valid` asks each again at every validation.
    const asked = new Set<string>();
    const ask = (key: string, answer: (index: WorkspaceIndex) => string, token: TokenKind = 'answers'): void => {
      if (asked.has(key)) return;
      asked.add(key);
      const of = (i: WorkspaceIndex) => this.print(i, key, answer, token);
      questions.push({ key, answer: of(index), ask: of, token });
    };
    const volatile = (i: WorkspaceIndex) => `index ${this.idOf(answersOf(i))}`;
    let cluster: ClusterIndex | undefined;
    // The objects' units are reused while their files are unchanged, so an edit elsewhere keeps this print. Asked of
    // every index: indexes that share their answers may hold other objects (a manifest's edited ConfigMap, model/workspace.ts).
    const objectsPrint = (i: WorkspaceIndex) => i.kubernetesObjects().map((o) => this.idOf(o.unit)).join(',');
    return {
      collectors: () => {
        ask('collectors', (i) => i.collectors().map((c) => this.partsId(c.unit, [c.path, c.unit.index, this.json(c.unit.container), this.json(c.mounts)])).join(','));
        return index.collectors();
      },
      apps: () => {
        ask('apps', (i) => i.apps().map((a) => this.partsId(a.unit.keptAs?.key ?? a.unit, [a.path, a.unit.index, a.unit.service ?? '', this.json(a.unit.mounts)])).join(','));
        return index.apps();
      },
      kubernetesObjects: () => {
        ask('kubernetesObjects', objectsPrint, 'index');
        return index.kubernetesObjects();
      },
      appsReading: (path) => {
        ask(`appsReading\u0000${path}`, volatile);
        return index.appsReading(path);
      },
      listenersOn: (port) => {
        ask(`listenersOn\u0000${port}`, (i) => i.listenersOn(port).map((p) => this.listenerPrint(p)).join('|'));
        return index.listenersOn(port);
      },
      hasListeners: (except) => {
        ask(`hasListeners\u0000${except?.path ?? ''}\u0000${except?.index ?? ''}`, (i) => String(i.hasListeners(except)));
        return index.hasListeners(except);
      },
      // Each question asked of the cluster index, with a print of what it answered: an edit of one document of a
      // manifest re-runs only the checks that read what it changed (a Secret's keys, a Service, a pod's mounts).
      cluster: () => (cluster ??= this.recordingCluster(index, ask)),
      mountsOf: (path) => {
        ask(`mountsOf\u0000${path}`, (i) => JSON.stringify(i.mountsOf(path) ?? null));
        return index.mountsOf(path);
      },
    };
  }

  /**
   * The cluster index of `index` as a scope's checks see it: every answer recorded with a print of what a
   * check reads of it. A typed view (a Secret's keys, a Certificate's or Service's spec, a pod template) is
   * the same object while its manifest document is reused (sources/kubernetesManifest.ts), so it prints by
   * identity, with its file and the line its object starts on (related locations point into it); the
   * container of a unit prints by what it holds (mounts, namespace, the pod's labels and ports, its Services).
   */
  private recordingCluster(index: WorkspaceIndex, ask: (key: string, answer: (index: WorkspaceIndex) => string, token?: TokenKind) => void): ClusterIndex {
    const cluster = index.cluster();
    const place = (value: object, node: { range?: unknown } | undefined, path: string, text: string) => {
      const range = node?.range as [number, number, number] | undefined;
      const line = range ? this.lineTables.of(path, text).lineAt(range[0]) : -1;
      return `${this.idOf(value)}\u0000${path}\u0000${line}`;
    };
    const placed = (p: Placed<{ node?: { range?: unknown } }> | undefined) => (p ? place(p.value, p.value.node, p.path, p.text) : '-');
    const data = (d: DataObject | undefined) => (d ? place(d.data, d.object.node, d.object.path, d.object.text) : '-');
    const list = (items: readonly Placed<{ node?: { range?: unknown } }>[]) => items.map(placed).join('\u0001');
    // Each answer is about one kind of object: its print is kept with that kind's token (ClusterIndex.answers), which a
    // later index keeps while that kind's objects print the same, whatever else an edit changed.
    const recorded = <T>(kind: ClusterKind | NamedToken, key: string, get: (c: ClusterIndex) => T, print: (answer: T) => string): T => {
      ask(`cluster\u0000${key}`, (i) => print(get(i.cluster())), kind);
      return get(cluster);
    };
    return {
      certificates: () => recorded('certificates', 'certificates', (c) => c.certificates(), list),
      issuers: () => recorded('issuers', 'issuers', (c) => c.issuers(), list),
      services: () => recorded('services', 'services', (c) => c.services(), list),
      workloads: () => recorded('workloads', 'workloads', (c) => c.workloads(), (w) => w.map((o) => place(o.pod, o.node, o.path, o.text)).join('\u0001')),
      certificateFor: (namespace, name, clusterScoped) => recorded('certificates', `certificateFor\u0000${namespace ?? ''}\u0000${name}\u0000${clusterScoped ?? ''}`, (c) => c.certificateFor(namespace, name, clusterScoped), placed),
      issuer: (ref, namespace) => recorded('issuers', `issuer\u0000${ref.kind}\u0000${ref.name}\u0000${namespace ?? ''}`, (c) => c.issuer(ref, namespace), placed),
      secret: (namespace, name, clusterScoped) => recorded(`secrets\u0000${name}`, `secret\u0000${namespace ?? ''}\u0000${name}\u0000${clusterScoped ?? ''}`, (c) => c.secret(namespace, name, clusterScoped), data),
      configMap: (namespace, name) => recorded(`configMaps\u0000${name}`, `configMap\u0000${namespace ?? ''}\u0000${name}`, (c) => c.configMap(namespace, name), data),
      containerOf: (container) => {
        // A container that is complete is its own answer of any index: no question.
        if (!completedFromWorkspace(container)) return cluster.containerOf(container);
        // Keyed by the container object (the unit's, kept with it): the same object asked again of the next index.
        return recorded('workloads', `containerOf\u0000${this.idOf(container)}`, (c) => c.containerOf(container), (found) => (found === container ? 'itself' : JSON.stringify(found ?? null)));
      },
    };
  }

  private print(index: WorkspaceIndex, key: string, answer: (index: WorkspaceIndex) => string, token: TokenKind): string {
    const answers = tokenOf(index, token);
    let prints = this.prints.get(answers);
    if (!prints) {
      prints = new Map();
      this.prints.set(answers, prints);
    }
    let print = prints.get(key);
    if (print === undefined) {
      print = this.interned(answer(index));
      prints.set(key, print);
    }
    return print;
  }

  /**
   * One string object for equal prints, so that a kept answer and the next index's equal one compare by
   * identity (`valid` compares every question of every kept scope at each validation; some prints list
   * every unit of the workspace). Bounded: past it, equal prints still compare equal, by content.
   */
  private interned(print: string): string {
    const known = this.canonical.get(print);
    if (known !== undefined) return known.print;
    this.remember(print);
    return print;
  }

  /**
   * The number of the print of `parts` (what a print says of one unit), kept by the unit object (or its check key)
   * while its parts are the same: a print of every unit of the workspace is their numbers, not their text, made
   * without joining and hashing every unit's text again for each index.
   */
  private partsId(owner: object, parts: (string | number)[]): number {
    const known = this.partsIds.get(owner);
    if (known && known.parts.length === parts.length && known.parts.every((part, i) => part === parts[i])) return known.id;
    const id = this.printId(parts.join('\u0000'));
    this.partsIds.set(owner, { parts, id });
    return id;
  }

  /** A number for an interned print (the same for equal prints while they stay interned). */
  private printId(print: string): number {
    return (this.canonical.get(print) ?? this.remember(print)).id;
  }

  private remember(print: string): { print: string; id: number } {
    if (this.canonical.size >= MAX_INTERNED || this.canonicalChars + print.length > MAX_INTERNED_CHARS) {
      this.canonical.clear();
      this.canonicalChars = 0;
    }
    const entry = { print, id: this.nextId++ };
    this.canonical.set(print, entry);
    this.canonicalChars += print.length;
    return entry;
  }

  /**
   * A listener as a pairing check sees it: the same listener object (its component unchanged), in the
   * same unit of the same file, on the same line there (the related locations point at its lines),
   * with the same label, container and mounts.
   */
  private listenerPrint(paired: PairedListener): string {
    const { collector, listener } = paired;
    const anchor = nodeSpan(listener.anchor)?.[0] ?? 0;
    const line = this.lineTables.of(collector.path, collector.text).lineAt(spanToFile(collector.unit.offsets, anchor, 0).offset);
    const unit = collector.unit;
    return [this.idOf(listener), collector.path, unit.index, line, unit.label ?? '', this.json(unit.container), this.json(collector.mounts), this.json(unit.defaultsFrom)].join('\u0000');
  }

  /** An object's JSON (a unit's container or mounts, which are not changed once made), once per object. */
  private json(value: object | undefined): string {
    if (value === undefined) return 'null';
    let json = this.jsons.get(value);
    if (json === undefined) {
      json = JSON.stringify(value);
      this.jsons.set(value, json);
    }
    return json;
  }

  private idOf(object: object): number {
    let id = this.ids.get(object);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(object, id);
    }
    return id;
  }
}

/** What stands for `index`'s answers: shared by indexes that answer alike (WorkspaceIndex.answers). */
export function answersOf(index: WorkspaceIndex): object {
  return index.answers ?? index;
}

/** Whether `tokens` are those of `kinds` in `index` (tokenOf). */
export function sameTokens(tokens: readonly object[], kinds: readonly TokenKind[], index: WorkspaceIndex): boolean {
  for (let i = 0; i < kinds.length; i++) if (tokens[i] !== tokenOf(index, kinds[i])) return false;
  return true;
}

/** Sorted by offset, stably (problems at one offset keep the order the checks found them in). */
export function byOffset(problems: Problem[]): Problem[] {
  for (let i = 1; i < problems.length; i++) if (problems[i - 1].offset > problems[i].offset) return problems.sort((a, b) => a.offset - b.offset);
  return problems;
}

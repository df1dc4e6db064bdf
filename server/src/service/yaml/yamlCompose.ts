/**
 * Parsing YAML text into the `yaml` library's Document with bounded work, whatever the text.
 *
 * The library's Lexer and Parser (text → CST) are loops; its Composer (CST → nodes) recurses once per
 * nesting level. Past about 800 levels that recursion reaches V8's stack limit. The library catches the
 * RangeError (compose-node.js, RESOURCE_EXHAUSTION), but when the limit is hit while V8 compiles a
 * regular expression (the library's scalar tests such as `^(?:~|[Nn]ull|NULL)?$` and the `/(.*?)\r?\n/sy`
 * of resolve-flow-scalar.js run at every level, and V8 compiles a regexp again after it flushed its code),
 * V8 does not throw: `RegExpCompiler::ToNodeCheckForStackOverflow` aborts the process with "FATAL ERROR:
 * RegExpCompiler Allocation failed - process out of memory" (SIGABRT). No try/catch can help, so nothing
 * that deep may reach the Composer (issue 15: 7,000 nested `[` aborted the language server).
 *
 * So the text goes through the Lexer and Parser here, one lexeme at a time, watching the Parser's stack
 * (one entry per open collection) and counting nodes:
 * - nesting deeper than MAX_NESTING: the part nested deeper is blanked (spaces, line breaks kept, so every
 *   offset stays where it was) and the text parsed again; the rest of the document is checked as usual.
 *   A cut that takes the rest of the text (the last one, MAX_CUTS, or one with no end) is not parsed
 *   again: what the parser holds there is the document (a 1.2 MB paste whose library recovery nested each
 *   later line one level deeper was lexed to each of its two cuts and then whole again, its blanked 830 KB
 *   included: about 1 s of CPU per edit);
 * - more than MAX_NODES nodes: the text from there on is cut the same way.
 * Each such cut is returned as a YamlLimit, for one `limit-exceeded` diagnostic.
 *
 * The library's duplicate-key check (`uniqueKeys`) compares each key with every earlier key of its
 * mapping (100,000 keys took 86 s): it is off, and `duplicateKeys` does it with a Set per mapping.
 */
import { CST, Composer, Document, Lexer, Parser, YAMLMap, YAMLParseError, isScalar, visit, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/**
 * The text with YAML's line breaks where the `yaml` library sees them: YAML 1.2 (§5.4, `b-break`) ends a
 * line at CR LF, LF or a lone CR, and so do Go's gopkg.in/yaml.v3 (`is_break` in yamlprivateh.go) and the
 * editor (LSP and VS Code end lines at `\r`, `\n` and `\r\n`); the library ends lines at LF only, and read
 * a file of lone CRs as one line of syntax errors. Each lone CR becomes an LF: one character for one, so
 * every offset into the result is the same offset into `text`, and ranges (made from the original text by
 * ../diagnostics.ts, whose TextDocument also ends lines at a lone CR) land where the editor shows them.
 */
export function yamlLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The sentence for a `limit-exceeded` diagnostic about a cut (offsets relative to `text`). */
export function limitMessage(limit: YamlLimit): string {
  if (limit.kind === 'nesting') return `Nested more than ${MAX_NESTING} levels deep, so the deeper part is not checked: flatten it. The part nested deeper is ${(limit.end - limit.offset).toLocaleString('en-US')} characters from here; the rest of the file is checked.`;
  if (limit.kind === 'documents') return `More than ${MAX_DOCUMENTS.toLocaleString('en-US')} YAML documents, so the ones from here on are not checked: split the file.`;
  return `More than ${MAX_NODES.toLocaleString('en-US')} YAML nodes, so the text from here on is not checked: split the file.`;
}

/** The span a cut's diagnostic covers: from its start to the end of that line (at least one character). */
export function limitLength(text: string, limit: YamlLimit): number {
  const lineEnd = text.indexOf('\n', limit.offset);
  return Math.max(1, Math.min(limit.end, lineEnd < 0 ? text.length : lineEnd) - limit.offset);
}


/** Collections nested deeper than this are not parsed (real configs nest a dozen levels; the Composer overflows past ~800). */
export const MAX_NESTING = 128;
/**
 * Nodes (scalars, collections, aliases) parsed per text: a 5,000-line config holds about 20,000, and the
 * library takes about 0.5 s per 100,000 (on the 2-core machine of the README's figures, more when it is busy).
 */
export const MAX_NODES = 100_000;
/** Documents composed from one text when all are asked for (the rendered manifests of a big Helm chart hold a few hundred). */
export const MAX_DOCUMENTS = 10_000;
/** Each nesting cut parses the text again: the second one cuts the rest of the text. */
const MAX_CUTS = 2;

export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = { merge: true, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false };

export interface YamlLimit {
  kind: 'nesting' | 'nodes' | 'documents';
  /** Where the cut part starts and ends (absolute offsets). */
  offset: number;
  end: number;
}

export interface Limits {
  maxNesting: number;
  maxNodes: number;
}

export interface ComposedYaml {
  /** The first document of the text (as parseDocument gives it). */
  doc: Document;
  /** With `all`, every document (empty ones included, as the library gives them); else `[doc]`. */
  docs: Document[];
  limits: YamlLimit[];
  /** Nodes counted in the text (after the cuts). */
  nodes: number;
  /** Characters read by the Lexer and Parser, over every pass (a nesting cut parses the text before it again); 0 when `scans` had the text. */
  lexed: number;
}

const VIRTUAL = new Set(['\x02', '\x18', '\x1f']);
const NODE_TYPES = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar-header', 'alias', 'flow-seq-start', 'flow-map-start', 'seq-item-ind', 'explicit-key-ind']);

interface Scan {
  tokens: CST.Token[];
  nodes: number;
  /** How far into the text it read. */
  read: number;
  crossing?: {
    kind: YamlLimit['kind'];
    at: number;
    lexer: Iterator<string>;
    flowStart: boolean;
    parser: Parser;
    /** Block nesting that indentation does not end (see scan): the cut takes the rest of the text. */
    unindented?: boolean;
  };
}

/** Lexes and parses `text` to CST tokens (their offsets start at `offset`), stopping where a limit is crossed (`at` is relative to `text`). */
function scan(text: string, offset: number, { maxNesting, maxNodes }: Limits, all: boolean): Scan {
  const parser = new Parser();
  parser.offset = offset;
  const lexer = new Lexer().lex(text)[Symbol.iterator]();
  const tokens: CST.Token[] = [];
  let position = 0;
  let nodes = 0;
  let documents = 0;
  let afterScalarMarker = false;
  for (let step = lexer.next(); !step.done; step = lexer.next()) {
    const lexeme = step.value;
    const at = position;
    if (!VIRTUAL.has(lexeme)) position += lexeme.length;
    const type = afterScalarMarker ? 'scalar-source' : CST.tokenType(lexeme);
    afterScalarMarker = lexeme === CST.SCALAR;
    const depthBefore = parser.stack.length;
    for (const token of parser.next(lexeme)) {
      tokens.push(token);
      // Only the first document is composed (and the second, for its MULTIPLE_DOCS error): the rest of
      // a stream of thousands is not even lexed, as the library's lazy parseDocument does. When all
      // are asked for, at most MAX_DOCUMENTS.
      if (token.type === 'document' && ++documents === (all ? MAX_DOCUMENTS : 2)) {
        return all ? { tokens, nodes, read: position, crossing: { kind: 'documents', at: position, lexer, flowStart: false, parser } } : { tokens, nodes, read: position };
      }
    }
    if (type && NODE_TYPES.has(type) && ++nodes > maxNodes) {
      // The rest of the text is cut: what the parser holds so far is the document (no second pass).
      for (const token of parser.end()) tokens.push(token);
      return { tokens, nodes, read: position, crossing: { kind: 'nodes', at, lexer, flowStart: false, parser } };
    }
    // The stack holds the document and one entry per open collection (and the scalar being read).
    // A crossing is a push past the limit: a stack left deep by a cut part does not grow, and is no new crossing.
    if (parser.stack.length > maxNesting + 2 && parser.stack.length > depthBefore) {
      // The cut starts where the node that went too deep starts (a block map's first key may be read before it is pushed).
      const stack = parser.stack as { type: string; offset: number; indent: number }[];
      const deep = stack[maxNesting + 2];
      const start = Math.min(at, deep.offset - offset);
      // Block collections that do not go deeper in indentation over two levels (a sequence may sit at its
      // map's indentation, never two) are the library's recovery from an indentation error, not nesting the
      // text's indentation closes: it went one level deeper at each later line of a pasted text (all at the
      // same indentation), so a cut to the next line indented no deeper was crossed again at once, and each
      // cut parsed the text again. Such a cut takes the rest of the text.
      const block = (type: string) => type === 'block-map' || type === 'block-seq';
      const innermost = block(deep.type) ? maxNesting + 2 : maxNesting + 1;
      const unindented = innermost >= 2 && [0, 1, 2].every((k) => block(stack[innermost - k]?.type ?? '')) && stack[innermost].indent <= stack[innermost - 2].indent;
      return { tokens, nodes, read: position, crossing: { kind: 'nesting', at: start, lexer, flowStart: deep.type === 'flow-collection' && start === at, parser, unindented } };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens, nodes, read: position };
}

/**
 * Where the part nested too deep ends: for a flow collection, after the bracket that closes the one
 * opened at the crossing (or the end of the text); for block nesting, at the first later line that is
 * indented no deeper than the line of the crossing.
 */
function regionEnd(text: string, crossing: NonNullable<Scan['crossing']>): number {
  if (crossing.kind === 'nodes') return text.length;
  if (crossing.flowStart) {
    let position = crossing.at + 1;
    let depth = 1;
    let afterScalarMarker = false;
    for (let step = crossing.lexer.next(); !step.done; step = crossing.lexer.next()) {
      const lexeme = step.value;
      if (!VIRTUAL.has(lexeme)) position += lexeme.length;
      const type = afterScalarMarker ? undefined : CST.tokenType(lexeme);
      afterScalarMarker = lexeme === CST.SCALAR;
      if (type === 'flow-seq-start' || type === 'flow-map-start') depth++;
      else if ((type === 'flow-seq-end' || type === 'flow-map-end') && --depth === 0) return position;
    }
    return text.length;
  }
  const lineStart = text.lastIndexOf('\n', crossing.at - 1) + 1;
  const indent = /^ */.exec(text.slice(lineStart, lineStart + 4096))![0].length;
  for (let next = text.indexOf('\n', crossing.at); next >= 0; next = text.indexOf('\n', next + 1)) {
    let i = next + 1;
    while (text[i] === ' ') i++;
    if (i >= text.length) return text.length;
    const c = text[i];
    if (c !== '\n' && c !== '\r' && c !== '#' && i - (next + 1) <= indent) return next + 1;
  }
  return text.length;
}

/** Spaces in place of every character of [start, end) but `\n` (lone CRs are LFs by now: yamlLineBreaks), so offsets and lines stay. */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

/**
 * The first Document of `text` (offsets from `options.offset`, for a chunk of a larger file), with the
 * parts past the limits cut out. Every YAML text the core reads is parsed here.
 */
export interface ComposeOptions {
  /** Where the text starts in its file (a chunk of a larger file). */
  offset?: number;
  limits?: Limits;
  /**
   * The library's options (YAML_OPTIONS by default; `uniqueKeys` is always off, see duplicateKeys; `logLevel`
   * is 'error' unless given, so toJS does not print warnings on the CLI's stderr).
   */
  yaml?: ParseOptions & DocumentOptions & SchemaOptions;
  /** Add the DUPLICATE_KEY errors (default true; a caller with its own duplicate check says false). */
  duplicateKeys?: boolean;
  /** Every document of the stream (at most MAX_DOCUMENTS), not only the first. */
  all?: boolean;
  /** The read's memo of the last text lexed and parsed (YamlScans): the same text is not lexed again. */
  scans?: YamlScans;
}

export function composeYaml(source: string, options: ComposeOptions = {}): ComposedYaml {
  const text = yamlLineBreaks(source);
  // The library's errors are Error objects; a broken text makes thousands, and capturing a stack trace for
  // each (never looked at) was a third of the parse.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const composed = compose(text, options.offset ?? 0, options.limits ?? { maxNesting: MAX_NESTING, maxNodes: MAX_NODES }, { logLevel: 'error', ...(options.yaml ?? YAML_OPTIONS), uniqueKeys: false }, options.all ?? false, options.scans);
    if (options.duplicateKeys !== false) for (const doc of composed.docs) duplicateKeys(doc);
    return composed;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** What the Lexer and Parser made of a text, with its cuts: the same whatever options the Composer then gets. */
interface Scanned {
  tokens: CST.Token[];
  cuts: YamlLimit[];
  nodes: number;
  lexed: number;
  /** Where the text ends (absolute), for the Composer. */
  end: number;
}

/**
 * The CST of the last text scanned in one read of a file (../sources/detect.ts readSource), for the next
 * parse of the same text: a file that one source parses and turns down is parsed again by the next with
 * its own options (a collector config with a `services:` line, read first as a Compose file; one with
 * `file_format:`, as a declarative config), and the Lexer and Parser, three quarters of a parse, do the
 * same work each time. The Composer only reads the tokens, so each source still gets its own Document.
 * One text is kept (the last), for as long as the read lasts.
 */
export class YamlScans {
  /** Characters read by the Lexer and Parser through this memo, over every text and pass (a work counter). */
  lexed = 0;
  /** Parses that found their text here and lexed nothing (a work counter). */
  reused = 0;
  private last?: { text: string; offset: number; maxNesting: number; maxNodes: number; all: boolean; scanned: Scanned };

  scan(text: string, offset: number, limits: Limits, all: boolean): Scanned {
    const last = this.last;
    if (last && last.offset === offset && last.all === all && last.maxNesting === limits.maxNesting && last.maxNodes === limits.maxNodes && last.text === text) {
      this.reused++;
      return { ...last.scanned, lexed: 0 };
    }
    const scanned = scanAll(text, offset, limits, all);
    this.lexed += scanned.lexed;
    this.last = { text, offset, maxNesting: limits.maxNesting, maxNodes: limits.maxNodes, all, scanned };
    return scanned;
  }
}

function scanAll(text: string, offset: number, limits: Limits, all: boolean): Scanned {
  const cuts: YamlLimit[] = [];
  let current = text;
  let result = scan(current, offset, limits, all);
  let lexed = result.read;
  let lastStart = -1;
  while (result.crossing) {
    const start = result.crossing.at;
    if (result.crossing.kind !== 'nesting') {
      cuts.push({ kind: result.crossing.kind, offset: offset + start, end: offset + current.length });
      break;
    }
    // Each cut starts after the one before; if not, or after MAX_CUTS cuts, the rest of the text goes.
    const whole = cuts.length + 1 >= MAX_CUTS || start <= lastStart || result.crossing.unindented === true;
    lastStart = start;
    const end = whole ? current.length : Math.max(regionEnd(current, result.crossing), start + 1);
    cuts.push({ kind: result.crossing.kind, offset: offset + start, end: offset + end });
    if (end >= current.length) {
      // The rest of the text goes: as at the node limit, what the parser holds so far is the document, with
      // no second pass (blanking the rest and parsing the text again lexed it all again, hundreds of
      // kilobytes of spaces included). It holds the start of the node that went one level too deep, no more.
      for (const token of result.crossing.parser.end()) result.tokens.push(token);
      break;
    }
    current = blank(current, start, end);
    result = scan(current, offset, limits, all);
    lexed += result.read;
  }
  return { tokens: result.tokens, cuts, nodes: result.nodes, lexed, end: offset + current.length };
}

function compose(text: string, offset: number, limits: Limits, yamlOptions: ParseOptions & DocumentOptions & SchemaOptions, all: boolean, scans: YamlScans | undefined): ComposedYaml {
  const { tokens, cuts, nodes, lexed, end } = scans ? scans.scan(text, offset, limits, all) : scanAll(text, offset, limits, all);
  const composer = new Composer(yamlOptions);
  if (all) {
    const docs = [...composer.compose(tokens, true, end)] as Document[];
    return { doc: docs[0] ?? new Document(undefined, yamlOptions), docs, limits: [...cuts], nodes, lexed };
  }
  let doc: Document | undefined;
  for (const next of composer.compose(tokens, true, end)) {
    if (!doc) {
      doc = next as Document;
      continue;
    }
    // As parseDocument does: one document, an error for the others, and no time spent on them.
    doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
    break;
  }
  doc ??= new Document(undefined, yamlOptions);
  return { doc, docs: [doc], limits: [...cuts], nodes, lexed };
}

/**
 * The library's `uniqueKeys` check, in linear time: a scalar key equal (===) to an earlier key of the same
 * mapping is the error the library gives ("Map keys must be unique"), on the key's first character (the
 * library put it where the entry before ended). NaN keys never match, as with ===.
 */
function duplicateKeys(doc: Document): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of (map as YAMLMap).items) {
        const key = pair.key;
        if (!isScalar(key) || !key.range) continue;
        if (typeof key.value === 'number' && Number.isNaN(key.value)) continue;
        if (seen.has(key.value)) doc.errors.push(new YAMLParseError([key.range[0], key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        else seen.add(key.value);
      }
    },
  });
}

/**
 * Units found inside another file's text (a collector config in a ConfigMap's block scalar, Helm
 * values under `config:`) are parsed from their own text, so the offsets of their model nodes and
 * problems are offsets into that text. An OffsetMap takes them to the file, so problems land on the
 * outer file's lines and fixes edit the outer file. A plain collector config or env file is its own
 * unit: the identity map.
 *
 * `embeddedScalar` builds the map of a YAML string scalar of the outer file:
 * - a literal block scalar (`|`, `|-`, `|+`): line by line through the block's indentation, exact;
 *   an edit inserting lines gets the block's indentation on each of them;
 * - a single-line double- or single-quoted or plain scalar: character by character through the
 *   escapes (`\n`, `\"`, `''`...), exact; edits are escaped in the scalar's own quoting;
 * - anything else (a folded `>` block, a quoted or plain scalar folded over several lines): every
 *   offset lands on the value's start, and no edit can be mapped (a fix is then not offered).
 * Every map is checked against the scalar's value the `yaml` library parsed: a map that would not
 * reproduce it is replaced by the value-start map, so a diagnostic is never put on a wrong column.
 */
import { isScalar, type Scalar } from 'yaml';
import type { AppSetting } from '../model/appSettings';
import type { AppUnit, TextChange } from '../model/units';
import { directiveFields, type SdkDirective } from '../sdk/sdks';
import { table } from '../lookup';

export interface OffsetMap {
  /** True when unit offsets are file offsets (nothing to map). */
  readonly identity: boolean;
  /** The file offset of a unit offset. */
  toFile(offset: number): number;
  /** The unit offset of a file offset; undefined when the file offset is outside the unit. */
  toUnit(offset: number): number | undefined;
  /**
   * The file edit of the unit edit [offset, offset + length) → `text`, written in the outer file's
   * syntax (indented, escaped); undefined when it cannot be written there.
   */
  editToFile(offset: number, length: number, text: string): TextChange | undefined;
  /** Set when offsets cannot be mapped exactly: every unit span lands on this file span. */
  readonly anchor?: { offset: number; length: number };
  /** Set when spans map by other rules than their ends (Helm values over the chart's defaults). */
  span?(offset: number, length: number): { offset: number; length: number };
}

export const identityMap: OffsetMap = {
  identity: true,
  toFile: (offset) => offset,
  toUnit: (offset) => offset,
  editToFile: (offset, length, text) => ({ offset, length, text }),
};

/**
 * The fields every app unit that is its whole file's text shares (an env file, a Dockerfile, a
 * properties file, a declarative config): its offsets are the file's, and the file's
 * `# otlp-tls: sdk=` line names its SDK.
 */
export function wholeFileApp(text: string, index: number, settings: AppSetting[], directive: SdkDirective | undefined): Pick<AppUnit, 'kind' | 'index' | 'text' | 'offsets' | 'settings' | 'sdk' | 'sdkDirective'> {
  return { kind: 'app', index, text, offsets: identityMap, settings, ...directiveFields(directive) };
}

/** The file span [offset, offset + length) of a unit span. */
export function spanToFile(map: OffsetMap, offset: number, length: number): { offset: number; length: number } {
  if (map.identity) return { offset, length };
  if (map.anchor) return { ...map.anchor };
  if (map.span) return map.span(offset, length);
  const start = map.toFile(offset);
  return { offset: start, length: Math.max(0, map.toFile(offset + length) - start) };
}

/** A unit found in a string scalar of the outer file: the scalar's value and the map from it to the file. */
export interface EmbeddedText {
  text: string;
  offsets: OffsetMap;
  /** How exactly offsets map: `lines` and `characters` are exact; `value-start` puts everything on the value's start. */
  exactness: 'lines' | 'characters' | 'value-start';
}

/** The embedded text of a string scalar of `fileText` (parsed with ranges), or undefined for a non-string node. */
export function embeddedScalar(fileText: string, node: unknown): EmbeddedText | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const scalar = node as Scalar<string>;
  const value = scalar.value;
  const built = scalar.type === 'BLOCK_LITERAL' ? literalBlockMap(fileText, scalar) : scalar.type === 'BLOCK_FOLDED' ? undefined : flowScalarMap(fileText, scalar);
  if (built) return { text: value, ...built };
  return { text: value, offsets: valueStartMap(fileText, scalar.range![0]), exactness: 'value-start' };
}

/** Every unit offset on the first line of the value (up to 80 characters of it); no edit can be mapped. */
function valueStartMap(fileText: string, start: number): OffsetMap {
  const lineEnd = fileText.indexOf('\n', start);
  const end = Math.min(lineEnd < 0 ? fileText.length : lineEnd, start + 80);
  const length = Math.max(1, fileText.slice(start, end).replace(/\s+$/, '').length);
  return {
    identity: false,
    anchor: { offset: start, length },
    toFile: () => start,
    toUnit: () => undefined,
    editToFile: () => undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Literal block scalars

/**
 * `|` blocks: value line k is source line k of the body (after the header line), less the block's
 * indentation. Blank source lines shorter than the indentation are empty value lines.
 */
function literalBlockMap(fileText: string, scalar: Scalar<string>): Omit<EmbeddedText, 'text'> | undefined {
  const value = scalar.value;
  const headerEnd = fileText.indexOf('\n', scalar.range![0]);
  if (headerEnd < 0) return undefined;
  const header = fileText.slice(scalar.range![0], headerEnd).replace(/\s+#.*$/, '').trim();
  if (!/^\|[+-]?[1-9]?[+-]?$/.test(header)) return undefined;
  const explicitIndent = /[1-9]/.test(header);

  // Value lines: every line of the value, with a sentinel after a final line break.
  const unitStarts: number[] = [0];
  for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) unitStarts.push(i + 1);
  const lineCount = unitStarts.length;

  // Source lines of the body, as many as the value has (the sentinel included: the line after the block).
  const lineStarts: number[] = [];
  for (let start = headerEnd + 1, k = 0; k < lineCount; k++) {
    lineStarts.push(start);
    const newline = fileText.indexOf('\n', start);
    start = newline < 0 ? fileText.length : newline + 1;
    if (newline < 0 && k + 1 < lineCount) {
      // The block ends the file: the sentinel line is the end of the text.
      while (lineStarts.length < lineCount) lineStarts.push(fileText.length);
      break;
    }
  }
  const lineText = (k: number) => {
    const start = lineStarts[k];
    const newline = fileText.indexOf('\n', start);
    return fileText.slice(start, newline < 0 ? fileText.length : newline).replace(/\r$/, '');
  };

  // The block's indentation: that of its first non-blank line.
  let indent = -1;
  const contentLines = value.endsWith('\n') ? lineCount - 1 : lineCount;
  for (let k = 0; k < contentLines && indent < 0; k++) {
    const line = lineText(k);
    if (line.trim() !== '') indent = /^ */.exec(line)![0].length;
  }
  if (indent <= 0) return undefined;

  // Check: the body's lines less the indentation are the value's lines.
  const contentStarts: number[] = [];
  for (let k = 0; k < lineCount; k++) {
    const line = k < contentLines ? lineText(k) : '';
    const expected = value.slice(unitStarts[k], k + 1 < lineCount ? unitStarts[k + 1] - 1 : value.length);
    if (k < contentLines) {
      const lead = Math.min(indent, line.length);
      if (!/^ *$/.test(line.slice(0, lead)) || line.slice(lead) !== expected) return undefined;
      contentStarts.push(lineStarts[k] + lead);
    } else {
      contentStarts.push(lineStarts[k]);
    }
  }

  const pad = ' '.repeat(indent);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (unitStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const toFile = (offset: number) => {
    const k = lineOf(Math.max(0, Math.min(offset, value.length)));
    return contentStarts[k] + (offset - unitStarts[k]);
  };
  const lineEnds = contentStarts.map((start, k) => (k < contentLines ? start + (unitStarts[k + 1] ?? value.length + 1) - 1 - unitStarts[k] : start));
  return {
    exactness: 'lines',
    offsets: {
      identity: false,
      toFile,
      toUnit(fileOffset) {
        for (let k = 0; k < contentLines; k++) {
          if (fileOffset < lineStarts[k]) return undefined;
          if (fileOffset > lineEnds[k]) continue;
          return fileOffset < contentStarts[k] ? undefined : unitStarts[k] + (fileOffset - contentStarts[k]);
        }
        return undefined;
      },
      editToFile(offset, length, text) {
        const end = offset + length;
        // The first line decides the block's indentation: a fix must not make it start with a blank.
        if (!explicitIndent && offset === 0) {
          const after = text + value.slice(end);
          const first = after.split('\n').find((l) => l.trim() !== '');
          if (first !== undefined && /^[ \t]/.test(first)) return undefined;
        }
        const a = lineOf(offset);
        const b = lineOf(end);
        const startsLine = unitStarts[a] === offset;
        const endsAtLineStart = unitStarts[b] === end;
        if (startsLine && endsAtLineStart && (text === '' || text.endsWith('\n'))) {
          // Whole lines out, whole lines in: each new line gets the block's indentation.
          const lines = text === '' ? [] : text.slice(0, -1).split('\n');
          return { offset: lineStarts[a], length: lineStarts[b] - lineStarts[a], text: lines.map((l) => (l === '' ? '\n' : `${pad}${l}\n`)).join('') };
        }
        let written = text;
        // Lines added at the end of a line: the line break already there ends the last one.
        if (written.endsWith('\n') && (end === value.length ? !value.endsWith('\n') : value[end] === '\n')) written = written.slice(0, -1);
        const from = toFile(offset);
        const to = toFile(end);
        // After each line break the block's indentation, unless the line it starts is blank.
        const following = (at: number) => written[at + 1] ?? fileText[to];
        const indented = written.replace(/\n/g, (nl, at: number) => (following(at) === undefined || following(at) === '\n' || following(at) === '\r' ? nl : `${nl}${pad}`));
        return { offset: from, length: to - from, text: indented };
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Single-line flow scalars (plain, "double", 'single')

/** A character table (unit offset → file offset) for a scalar written on one line, checked against the parsed value. */
function flowScalarMap(fileText: string, scalar: Scalar<string>): Omit<EmbeddedText, 'text'> | undefined {
  const [start, end] = scalar.range!;
  const source = fileText.slice(start, end);
  if (source.includes('\n')) return undefined;
  const table: number[] = [];
  let decoded = '';
  const push = (chars: string, at: number) => {
    for (let i = 0; i < chars.length; i++) table.push(at);
    decoded += chars;
  };
  if (scalar.type === 'QUOTE_DOUBLE') {
    for (let i = 1; i < source.length - 1; i++) {
      const c = source[i];
      if (c !== '\\') {
        push(c, start + i);
        continue;
      }
      const escape = DOUBLE_ESCAPES[source[i + 1]];
      if (escape !== undefined) {
        push(escape, start + i);
        i++;
        continue;
      }
      const width = source[i + 1] === 'x' ? 2 : source[i + 1] === 'u' ? 4 : source[i + 1] === 'U' ? 8 : 0;
      const hex = source.slice(i + 2, i + 2 + width);
      if (!width || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return undefined;
      push(String.fromCodePoint(parseInt(hex, 16)), start + i);
      i += 1 + width;
    }
  } else if (scalar.type === 'QUOTE_SINGLE') {
    for (let i = 1; i < source.length - 1; i++) {
      push(source[i], start + i);
      if (source[i] === "'") i++;
    }
  } else if (scalar.type === 'PLAIN') {
    for (let i = 0; i < source.length; i++) push(source[i], start + i);
  } else {
    return undefined;
  }
  if (decoded !== scalar.value) return undefined;
  const closing = scalar.type === 'PLAIN' ? end : end - 1;
  table.push(closing);
  const quote = scalar.type;
  return {
    exactness: 'characters',
    offsets: {
      identity: false,
      toFile: (offset) => table[Math.max(0, Math.min(offset, table.length - 1))],
      toUnit(fileOffset) {
        if (fileOffset < table[0] || fileOffset > closing) return undefined;
        let unit = 0;
        while (unit + 1 < table.length && table[unit + 1] <= fileOffset) unit++;
        return unit;
      },
      editToFile(offset, length, text) {
        const written = quote === 'QUOTE_DOUBLE' ? escapeDouble(text) : quote === 'QUOTE_SINGLE' ? escapeSingle(text) : escapePlain(text);
        if (written === undefined) return undefined;
        const from = table[offset];
        return { offset: from, length: table[offset + length] - from, text: written };
      },
    },
  };
}

const DOUBLE_ESCAPES: Record<string, string> = table({
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
});

function escapeDouble(text: string): string {
  return text.replace(/[\\"\n\t\r]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\${c}`));
}

/** A single-quoted scalar on one line cannot hold a line break. */
function escapeSingle(text: string): string | undefined {
  return /[\n\r]/.test(text) ? undefined : text.replace(/'/g, "''");
}

/** A plain scalar takes only text that reads the same unquoted. */
function escapePlain(text: string): string | undefined {
  return /[\n\r]|: |\s#/.test(text) ? undefined : text;
}

/**
 * The command line a YAML file gives a container (Compose's `entrypoint`/`command`, a Kubernetes container's
 * `command`/`args`): its words, each located in the scalar it is written in, `sh -c "…"` split again, and the
 * edits of a `-D` word in place (or of the whole scalar, rewritten as a JSON string, when it cannot be edited
 * in place). Used by ./compose.ts and ./k8sWorkload.ts; the `-D` properties are read by
 * ../model/processSettings.ts.
 */
import { isScalar, isSeq, type Scalar } from 'yaml';
import type { JavaProperty, Word } from '../model/javaOptions';
import { splitOptionsValue } from '../model/javaOptions';
import { propertyKey } from '../model/processSettings';
import type { AppEdits } from '../model/units';
import { indentAt, lineStartOf, nextLineStart } from '../text';
import { nodeSpan, type AnyNode } from '../yaml/yamlNodes';

/** A word of a command line, with the YAML scalar it is written in. */
export interface CommandWord extends Word {
  node: Scalar;
  /** An item of a list (`command: ["java", …]`), not a word of a string command. */
  item: boolean;
  /** Offsets of the word in the scalar's value. */
  rel: { start: number; end: number };
}

const SHELLS = /^(\/usr)?(\/bin\/)?(sh|bash|ash|dash)$/;

/**
 * The words of the command line that `lists` make, in order (Compose's `entrypoint` then `command`; a
 * container's `command` then `args`): each item of a sequence is one word, a string is split as a shell
 * splits it (quotes keep blanks). When the first word is a shell and the second `-c`, the third, an item,
 * is the script: split into its words again, each located in that scalar, so `sh -c "java -D…"` is read as
 * the java command line it runs. Scalars other than strings and numbers are skipped.
 */
export function commandLineWords(lists: (AnyNode | null | undefined)[], text: string): CommandWord[] {
  const words: CommandWord[] = [];
  for (const node of lists) {
    if (isScalar(node) && typeof node.value === 'string') words.push(...stringWords(node, text, false));
    else if (isSeq(node)) {
      for (const item of node.items) if (isScalar(item) && nodeSpan(item) && (typeof item.value === 'string' || typeof item.value === 'number')) words.push(itemWord(item, text));
    }
  }
  const script = words[2];
  if (words.length >= 3 && SHELLS.test(words[0].value) && words[1].value === '-c' && script.item) return [...words.slice(0, 2), ...stringWords(script.node, text, true)];
  return words;
}

/** Where a scalar's value starts in the text when it is written as it is (plain, or quoted without escapes). */
function exactStart(node: Scalar, text: string): number | undefined {
  const span = nodeSpan(node);
  if (!span) return undefined;
  const written = text.slice(span[0], span[1]);
  const value = String(node.value);
  if (node.type === 'PLAIN' && written === value) return span[0];
  if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && written.slice(1, -1) === value) return span[0] + 1;
  return undefined;
}

function itemWord(node: Scalar, text: string): CommandWord {
  const span = nodeSpan(node)!;
  const value = String(node.value);
  const at = exactStart(node, text);
  return { value, start: span[0], end: span[1], ...(at !== undefined ? { at } : {}), node, item: true, rel: { start: 0, end: value.length } };
}

/** The words of a string command (Compose splits it as a shell does; quotes keep blanks), located when the scalar is exact. */
function stringWords(node: Scalar, text: string, item: boolean): CommandWord[] {
  const span = nodeSpan(node)!;
  const base = exactStart(node, text);
  return splitOptionsValue(String(node.value)).map((w) => ({
    value: w.value,
    start: base !== undefined ? base + w.start : span[0],
    end: base !== undefined ? base + w.end : span[1],
    ...(base !== undefined && w.at !== undefined ? { at: base + w.at } : {}),
    node,
    item,
    rel: { start: w.start, end: w.end },
  }));
}

/**
 * Edits of a `-D` word of the command: in place when the word is written as it is and the new text needs no
 * quoting in that scalar; else the scalar rewritten as a JSON string (valid YAML, flow or block).
 */
export function commandEdits(text: string, property: JavaProperty, word: CommandWord): AppEdits {
  const node = word.node;
  const span = nodeSpan(node)!;
  const safe = (value: string) => (node.type === 'PLAIN' ? /^[A-Za-z0-9_.:/@%+=,-]*$/.test(value) : node.type === 'QUOTE_DOUBLE' ? !/["\\\s]/.test(value) : !/['\s]/.test(value));
  const option = (name: string, value: string) => `-D${propertyKey(name)}=${value}`;
  const whole = (replacement: string | undefined) => {
    const value = String(node.value);
    const next = word.item && replacement !== undefined && word.rel.start === 0 && word.rel.end === value.length ? replacement : `${value.slice(0, word.rel.start)}${replacement ?? ''}${value.slice(word.rel.end)}`.replace(/^\s+|\s+$/g, '').replace(/\s{2,}/g, ' ');
    return { offset: span[0], length: span[1] - span[0], text: JSON.stringify(next) };
  };
  const flow = /^\s*,/.test(text.slice(span[1])) || /,\s*$/.test(text.slice(0, span[0])) || /\[\s*$/.test(text.slice(0, span[0]));
  return {
    rename: (_s, name) => (word.at !== undefined && safe(propertyKey(name)) ? { offset: word.at + property.keyStart, length: property.key.length, text: propertyKey(name) } : whole(option(name, property.value))),
    setValue: (_s, value) => (word.at !== undefined && safe(value) ? { offset: word.at + property.valueStart, length: word.value.length - property.valueStart, text: value } : whole(option(property.key, value))),
    remove() {
      if (!word.item || word.rel.start !== 0 || word.rel.end !== String(node.value).length) return whole(undefined);
      if (flow) {
        const after = /^\s*,\s*/.exec(text.slice(span[1]));
        if (after) return { offset: span[0], length: span[1] - span[0] + after[0].length, text: '' };
        const before = /,\s*$/.exec(text.slice(0, span[0]));
        const from = before ? span[0] - before[0].length : span[0];
        return { offset: from, length: span[1] - from, text: '' };
      }
      const from = lineStartOf(text, span[0]);
      return { offset: from, length: nextLineStart(text, span[1]) - from, text: '' };
    },
    add(_s, where, name, value) {
      const added = option(name, value);
      if (word.item && word.rel.start === 0 && word.rel.end === String(node.value).length) {
        if (flow) return where === 'before' ? { offset: span[0], length: 0, text: `${JSON.stringify(added)}, ` } : { offset: span[1], length: 0, text: `, ${JSON.stringify(added)}` };
        const line = `${indentAt(text, span[0])}- ${JSON.stringify(added)}\n`;
        return where === 'before' ? { offset: lineStartOf(text, span[0]), length: 0, text: line } : { offset: nextLineStart(text, span[1]), length: 0, text: line };
      }
      if (word.at !== undefined && safe(added)) return where === 'before' ? { offset: word.start, length: 0, text: `${added} ` } : { offset: word.end, length: 0, text: ` ${added}` };
      const value2 = String(node.value);
      const next = where === 'before' ? `${value2.slice(0, word.rel.start)}${added} ${value2.slice(word.rel.start)}` : `${value2.slice(0, word.rel.end)} ${added}${value2.slice(word.rel.end)}`;
      return { offset: span[0], length: span[1] - span[0], text: JSON.stringify(next) };
    },
  };
}

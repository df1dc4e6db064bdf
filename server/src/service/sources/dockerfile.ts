/**
 * Source: a Dockerfile (`Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `Containerfile`) → one app unit,
 * the image's final stage: its `ENV` (both syntaxes, `ENV a=b c=d` and `ENV key value`, inherited from
 * the stages it is built `FROM`) and the `-Dotel.*` words of the `java` command its `ENTRYPOINT` / `CMD`
 * runs (exec and shell forms; `sh -c "java …"` too). Parsed with `dockerfile-ast` (the parser of the
 * Docker language server: escapes, line continuations, heredocs, the `# escape=` directive). An `ARG`
 * or other reference in a value is unknown here (build arguments are given at build time); a
 * reference to an earlier ENV of the stage is resolved. Only the last ENTRYPOINT and CMD count.
 * Facts: docs/facts/compose-docker.md §5.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { isAppSettingName, type AppSetting } from '../model/appSettings';
import type { JavaProperty, Word } from '../model/javaOptions';
import { commandLineProperties, dispatchEdits, propertyKey } from '../model/processSettings';
import type { AppEdits, AppUnit } from '../model/units';
import { sdkDirective } from '../sdk/sdks';
import { lineStartOf, nextLineStart } from '../text';
import type { Source, SourceUnits } from './detect';
import { wholeFileApp } from './embedded';
import { shellPropertyEdits } from './envFile';

export function isDockerfilePath(path: string): boolean {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  return base === 'dockerfile' || base === 'containerfile' || base.endsWith('.dockerfile') || base.startsWith('dockerfile.') || base.startsWith('containerfile.');
}

export const dockerfileSource: Source = {
  name: 'dockerfile',
  accepts: isDockerfilePath,
  read({ text }): SourceUnits {
    const unit = dockerfileUnit(text);
    return { collectors: [], apps: unit ? [unit] : [] };
  },
};

interface EnvEntry {
  setting: AppSetting;
  instruction: Instruction;
  /** How many variables the ENV instruction sets. */
  count: number;
  /** `ENV key value` (no `=`). */
  spaced: boolean;
}

/** What the image's user changes (a compose service that builds it): the stage built, and whether its command stays the image's. */
export interface DockerfileOptions {
  /** `build.target`: the stage built (by its `AS` name); undefined: the final stage. */
  target?: string;
  /** The container runs the image's ENTRYPOINT (compose `entrypoint:` unset or null). */
  entrypoint?: boolean;
  /** The container runs the image's CMD (compose `command:` unset or null, and `entrypoint:` too). */
  cmd?: boolean;
}

/**
 * The app unit of a Dockerfile's final stage (or `options.target`), or undefined when the text holds no
 * instruction (or no stage of that name).
 */
export function dockerfileUnit(text: string, index = 0, options: DockerfileOptions = {}): AppUnit | undefined {
  let instructions: Instruction[];
  let parsed: ReturnType<typeof DockerfileParser.parse>;
  try {
    parsed = DockerfileParser.parse(text);
    instructions = parsed.getInstructions();
  } catch {
    return undefined;
  }
  if (instructions.length === 0) return undefined;
  const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
  const offset = (range: Range) => document.offsetAt(range.start);
  const end = (range: Range) => document.offsetAt(range.end);

  // The final stage, and the stages it is built FROM by name.
  const stages: Instruction[][] = [[]];
  const names: (string | undefined)[] = [undefined];
  const parents: (string | undefined)[] = [undefined];
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const from = parsed.getFROMs().find((f) => offset(f.getRange()) === offset(instruction.getRange()));
      stages.push([]);
      names.push(from?.getBuildStage() ?? undefined);
      parents.push(from?.getImageName() ?? undefined);
      continue;
    }
    stages[stages.length - 1].push(instruction);
  }
  const chain: Instruction[][] = [];
  const seen = new Set<number>();
  const built = options.target === undefined ? stages.length - 1 : names.findIndex((n) => n !== undefined && n.toLowerCase() === options.target!.toLowerCase());
  if (built < 0) return undefined;
  for (let stage = built; stage >= 0 && !seen.has(stage); ) {
    seen.add(stage);
    chain.unshift(stages[stage]);
    const parent = parents[stage];
    const named = parent === undefined ? -1 : names.findIndex((n, i) => i < stage && n !== undefined && n.toLowerCase() === parent.toLowerCase());
    if (named < 0) break;
    stage = named;
  }
  const stageInstructions = chain.flat();

  const settings: AppSetting[] = [];
  const entries = new Map<AppSetting, EnvEntry>();
  const known = new Map<string, string | undefined>();
  let entrypoint: Instruction | undefined;
  let cmd: Instruction | undefined;
  for (const instruction of stageInstructions) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'ENTRYPOINT') entrypoint = options.entrypoint === false ? undefined : instruction;
    else if (keyword === 'CMD') cmd = options.cmd === false ? undefined : instruction;
    else if (keyword === 'ARG') {
      for (const property of (instruction as unknown as { getProperties(): { getName(): string }[] }).getProperties?.() ?? []) known.set(property.getName(), undefined);
    } else if (keyword === 'ENV') {
      const properties = (instruction as unknown as { getProperties(): DockerProperty[] }).getProperties?.() ?? [];
      for (const property of properties) {
        const name = property.getName();
        const valueRange = property.getValueRange();
        const value = property.getValue();
        const resolved = value === null ? '' : resolveReferences(value, known);
        known.set(name, resolved);
        if (!isAppSettingName(name)) continue;
        const nameRange = property.getNameRange();
        const valueStart = valueRange ? offset(valueRange) : end(nameRange);
        const setting: AppSetting = {
          name,
          written: name,
          value: resolved,
          nameOffset: offset(nameRange),
          nameLength: end(nameRange) - offset(nameRange),
          valueOffset: valueStart,
          valueLength: valueRange ? end(valueRange) - valueStart : 0,
          locator: { app: index, setting: settings.length },
        };
        settings.push(setting);
        entries.set(setting, { setting, instruction, count: properties.length, spaced: property.getAssignmentOperator?.() === null });
      }
    }
  }

  // The command the container runs: an exec-form ENTRYPOINT takes CMD as its arguments; a shell-form one ignores CMD.
  const command: Word[] = [];
  let exec = false;
  if (entrypoint) {
    const words = commandWords(entrypoint, text, offset, end);
    command.push(...words.words);
    exec = words.exec;
    if (words.exec && cmd) command.push(...commandWords(cmd, text, offset, end).words);
  } else if (cmd) {
    const words = commandWords(cmd, text, offset, end);
    command.push(...words.words);
    exec = words.exec;
  }
  const owners = new Map<AppSetting, AppEdits>();
  let java: { agent: boolean } | undefined;
  const javaAt = command.findIndex((w) => /(^|\/)java$/.test(w.value));
  if (javaAt >= 0) {
    const words = command.slice(javaAt);
    const found = commandLineProperties(words, (property) => (exec && !(property.word as CommandWord).shell ? execPropertyEdits(text, property) : shellPropertyEdits(text, property)));
    settings.push(...found.settings);
    for (const [setting, edits] of found.owners) owners.set(setting, edits);
    java = { agent: found.agent };
  }
  const directive = sdkDirective(text);
  return {
    ...wholeFileApp(text, index, settings, directive),
    ...(java ? { java } : {}),
    edits: dispatchEdits(envEdits(text, entries), owners),
  };
}

interface DockerProperty {
  getName(): string;
  getValue(): string | null;
  getNameRange(): Range;
  getValueRange(): Range | null;
  getAssignmentOperator?(): string | null;
}

/** `$NAME`, `${NAME}`: the value of an earlier ENV; unknown (undefined) for an ARG or anything not set in the stage. */
function resolveReferences(value: string, known: Map<string, string | undefined>): string | undefined {
  if (!value.includes('$')) return value;
  let unknown = false;
  const out = value.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, modifier: string, bare: string | undefined) => {
    if (whole === '\\$') return '$';
    const name = braced ?? bare!;
    const found = known.get(name);
    if (found === undefined || (modifier && modifier !== '')) {
      unknown = true;
      return whole;
    }
    return found;
  });
  return unknown ? undefined : out;
}

/** A word of a command, `shell` when it came from inside a `sh -c` string or a shell-form instruction. */
type CommandWord = Word & { shell?: boolean };

/** The words of an ENTRYPOINT or CMD: the JSON strings of the exec form, else shell words. `sh -c "…"` is split again. */
function commandWords(instruction: Instruction, text: string, offset: (r: Range) => number, end: (r: Range) => number): { words: CommandWord[]; exec: boolean } {
  const json = (instruction as unknown as { getJSONStrings?(): { getJSONValue(): string; getRange(): Range }[] }).getJSONStrings?.() ?? [];
  if (json.length > 0) {
    const words: CommandWord[] = json.map((s) => {
      const start = offset(s.getRange());
      const stop = end(s.getRange());
      const value = s.getJSONValue();
      return { value, start, end: stop, ...(text.slice(start + 1, stop - 1) === value ? { at: start + 1 } : {}) };
    });
    const shell = words.findIndex((w, i) => /(^|\/)(ba|da|a)?sh$/.test(w.value) && words[i + 1]?.value === '-c');
    if (shell >= 0 && words[shell + 2]) {
      const script = words[shell + 2];
      if (script.at === undefined) return { words, exec: true };
      return { words: splitShell(text, script.at, script.at + script.value.length).map((w) => ({ ...w, shell: true })), exec: true };
    }
    return { words, exec: true };
  }
  const args = instruction.getArguments();
  if (args.length === 0) return { words: [], exec: false };
  return { words: splitShell(text, offset(args[0].getRange()), end(args[args.length - 1].getRange())).map((w) => ({ ...w, shell: true })), exec: false };
}

/** Shell words of text[start, end): blanks and newlines separate, quotes group, a backslash escapes (and continues a line). */
function splitShell(text: string, start: number, stop: number): Word[] {
  const words: Word[] = [];
  let i = start;
  while (i < stop) {
    while (i < stop && (/\s/.test(text[i]) || (text[i] === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')))) i += text[i] === '\\' ? (text[i + 1] === '\r' ? 3 : 2) : 1;
    if (i >= stop) break;
    const wordStart = i;
    let value = '';
    let quotes = 0;
    let escaped = false;
    while (i < stop && !/\s/.test(text[i])) {
      const c = text[i];
      if (c === '\\') {
        escaped = true;
        if (text[i + 1] !== '\n') value += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '"' || c === "'") {
        quotes++;
        let j = i + 1;
        while (j < stop && text[j] !== c) {
          if (c === '"' && text[j] === '\\' && j + 1 < stop) {
            escaped = true;
            value += text[j + 1];
            j += 2;
            continue;
          }
          value += text[j];
          j++;
        }
        i = Math.min(j + 1, stop);
        continue;
      }
      value += c;
      i++;
    }
    const written = text.slice(wordStart, i);
    const at = escaped ? undefined : written === value ? wordStart : quotes === 1 && written.length === value.length + 2 && written.slice(1, -1) === value ? wordStart + 1 : undefined;
    words.push({ value, start: wordStart, end: i, ...(at !== undefined ? { at } : {}) });
  }
  return words;
}

/** Edits of a `-D` string of an exec-form instruction (`["java", "-D…", …]`): JSON strings. */
function execPropertyEdits(text: string, property: JavaProperty): AppEdits {
  const word = property.word;
  const string = (value: string) => JSON.stringify(value);
  const option = (name: string, value: string) => string(`-D${propertyKey(name)}=${value}`);
  const inside = (value: string) => string(value).slice(1, -1);
  return {
    rename: (_s, name) => (word.at !== undefined ? { offset: word.at + property.keyStart, length: property.key.length, text: inside(propertyKey(name)) } : { offset: word.start, length: word.end - word.start, text: option(name, property.value) }),
    setValue: (_s, value) => (word.at !== undefined ? { offset: word.at + property.valueStart, length: word.value.length - property.valueStart, text: inside(value) } : { offset: word.start, length: word.end - word.start, text: option(property.key, value) }),
    remove() {
      // The string and the comma after it (before it, for the last one).
      const after = /^\s*,\s*/.exec(text.slice(word.end));
      if (after) return { offset: word.start, length: word.end - word.start + after[0].length, text: '' };
      const before = /,\s*$/.exec(text.slice(0, word.start));
      const from = before ? word.start - before[0].length : word.start;
      return { offset: from, length: word.end - from, text: '' };
    },
    add: (_s, where, name, value) => (where === 'before' ? { offset: word.start, length: 0, text: `${option(name, value)}, ` } : { offset: word.end, length: 0, text: `, ${option(name, value)}` }),
  };
}

/** Edits of ENV variables: values quoted as the Dockerfile reads them back, a new `ENV` line for an added variable. */
function envEdits(text: string, entries: Map<AppSetting, EnvEntry>): AppEdits {
  const entryOf = (setting: AppSetting) => entries.get(setting);
  const quoteValue = (value: string, spaced: boolean) => (spaced ? value : /^[^\s"'\\$]*$/.test(value) && value !== '' ? value : `"${value.replace(/(["\\$])/g, '\\$1')}"`);
  const envLine = (name: string, value: string) => `ENV ${name}=${quoteValue(value, false)}\n`;
  const none = (setting: AppSetting) => ({ offset: setting.valueOffset, length: 0, text: '' });
  return {
    rename: (setting, name) => ({ offset: setting.nameOffset, length: setting.nameLength, text: name }),
    setValue(setting, value) {
      const entry = entryOf(setting);
      return { offset: setting.valueOffset, length: setting.valueLength, text: quoteValue(value, entry?.spaced ?? false) };
    },
    remove(setting) {
      const entry = entryOf(setting);
      if (!entry) return none(setting);
      if (entry.count === 1) {
        const range = entry.instruction.getRange();
        const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
        const from = lineStartOf(text, document.offsetAt(range.start));
        return { offset: from, length: nextLineStart(text, document.offsetAt(range.end)) - from, text: '' };
      }
      let start = setting.nameOffset;
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      return { offset: start, length: setting.valueOffset + setting.valueLength - start, text: '' };
    },
    add(setting, where, name, value) {
      const entry = entryOf(setting);
      const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
      const range = entry?.instruction.getRange();
      if (where === 'before') return { offset: lineStartOf(text, range ? document.offsetAt(range.start) : setting.nameOffset), length: 0, text: envLine(name, value) };
      const at = nextLineStart(text, range ? document.offsetAt(range.end) : setting.valueOffset + setting.valueLength);
      const newline = at === text.length && !text.endsWith('\n') && text.length > 0 ? '\n' : '';
      return { offset: at, length: 0, text: newline + envLine(name, value) };
    },
  };
}

/**
 * Source: SDK env files, `.env`, `*.env`, `.env.*` (dotenv rules) and shell scripts (`*.sh`, shell
 * rules) → one app unit, the whole file. Only `OTEL_*` assignments and JVM option variables
 * (JAVA_TOOL_OPTIONS, JAVA_OPTS...: ../model/processSettings.ts reads their `-D` words) are kept; in a
 * shell script, the `-Dotel.*` words of `java` command lines are settings too (system properties).
 * Offsets are JavaScript string indices into the text.
 *
 * The parser is a single forward scan (no backtracking regexes), so a 10 MB line costs linear time.
 * A value holding a `${VAR}` reference is unknown here (the shell or the loader resolves it), not wrong.
 * Facts: ../shared/reference/sdk-env.md §1.2 (endpoint URLs) and §1.4 (empty means unset).
 */

import { isAppSettingName, type AppSetting, type RuntimeSetting } from '../model/appSettings';
import type { JavaProperty, Word } from '../model/javaOptions';
import { commandLineProperties, dispatchEdits, propertyKey } from '../model/processSettings';
import type { AppEdits, AppUnit } from '../model/units';
import { sdkDirective, type SdkDirective } from '../sdk/sdks';
import { indentAt, lineStartOf, nextLineStart } from '../text';
import type { Source, SourceUnits } from './detect';
import { wholeFileApp } from './embedded';
import { RUNTIME_VARIABLES } from '../certificates/runtimeTls';

export interface EnvEntry {
  name: string;
  /** Unquoted and unescaped. */
  value: string;
  /** 0-based line of the name. */
  line: number;
  nameOffset: number;
  nameLength: number;
  valueOffset: number;
  /** The value as written, quotes included. */
  valueLength: number;
  exported: boolean;
  quoted: boolean;
}

/** An env file as the scanner reads it. */
export interface EnvFile {
  /** Only `OTEL_*` names and JVM option variables (every name with `all`), in file order. */
  entries: EnvEntry[];
  /** Shell scripts: the words of each `java` command line. */
  javaCommands: Word[][];
  /** The SDK runtimes' own TLS variables (NODE_OPTIONS, SSL_CERT_FILE, …: ../certificates/runtimeTls.ts), in file order. */
  runtime: EnvEntry[];
  /** A `# otlp-tls: sdk=<id>` comment naming the SDK that reads the file (see ../sdk/sdks.ts). */
  sdkDirective?: SdkDirective;
}

export interface EnvParseOptions {
  /**
   * Shell rules (`*.sh`, see isShellScriptPath): no blanks around `=`, an unquoted value ends at
   * the first blank (`OTEL_X=1 java -jar app.jar`), quoted parts concatenate, `export A=1 B=2`
   * and `A=1; B=2` hold several assignments. Default: dotenv rules (blanks around `=` allowed,
   * an unquoted value runs to the end of the line or to a ` #` comment).
   */
  shell?: boolean;
  /** Keep every assignment, not only the app's settings (a compose project's `.env`, for interpolation). */
  all?: boolean;
}

/** `.env`, `*.env`, `.env.*` (not `.env.yaml`, `.env.json`, `.env.js`...), `*.sh`. Case-insensitive; `/` or `\` separators. */
export function isEnvFilePath(path: string): boolean {
  const base = baseName(path);
  if (base.endsWith('.sh') || base.endsWith('.env')) return base.length > 3;
  if (base.startsWith('.env.')) return !NOT_ENV_EXTENSIONS.some((ext) => base.endsWith(ext));
  return false;
}

const NOT_ENV_EXTENSIONS = ['.yaml', '.yml', '.json', '.js', '.cjs', '.mjs', '.ts'];

/** Shell scripts, parsed with `{ shell: true }`. */
export function isShellScriptPath(path: string): boolean {
  return baseName(path).endsWith('.sh');
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
}

/** True when the value holds a `${...}` reference that only the shell or the loader resolves. */
export function holdsReference(value: string): boolean {
  return value.includes('${');
}

export function parseEnvFile(text: string, options: EnvParseOptions = {}): EnvFile {
  const directive = sdkDirective(text);
  const scanner = new Scanner(text, options.shell ?? false, options.all ?? false);
  return { entries: scanner.scan(), javaCommands: scanner.javaCommands, runtime: scanner.runtime, ...(directive ? { sdkDirective: directive } : {}) };
}

export const envFileSource: Source = {
  name: 'envFile',
  accepts: isEnvFilePath,
  read({ path, text }): SourceUnits {
    return { collectors: [], apps: [envFileUnit(text, { shell: isShellScriptPath(path) })] };
  },
};

/** An env file's assignment as a setting (named as written; a value holding a reference is unknown). */
function assignment(entry: EnvEntry): RuntimeSetting {
  return {
    name: entry.name,
    written: entry.name,
    value: holdsReference(entry.value) ? undefined : entry.value,
    nameOffset: entry.nameOffset,
    nameLength: entry.nameLength,
    valueOffset: entry.valueOffset,
    valueLength: entry.valueLength,
  };
}

/**
 * The app unit of a whole env file: its `OTEL_*` assignments as settings (named as written: env names
 * are what the SDK reads), and in a shell script the `-D` properties of its `java` command lines.
 */
export function envFileUnit(text: string, options: EnvParseOptions = {}, index = 0): AppUnit {
  const file = parseEnvFile(text, options);
  const settings: AppSetting[] = file.entries.map((entry, setting) => ({ ...assignment(entry), locator: { app: index, setting } }));
  const directive = file.sdkDirective;
  const owners = new Map<AppSetting, AppEdits>();
  let java: { agent: boolean } | undefined;
  for (const words of file.javaCommands) {
    const found = commandLineProperties(words, (property) => shellPropertyEdits(text, property));
    settings.push(...found.settings);
    for (const [setting, edits] of found.owners) owners.set(setting, edits);
    java = { agent: (java?.agent ?? false) || found.agent };
  }
  return {
    ...wholeFileApp(text, index, settings, directive),
    runtime: file.runtime.map(assignment),
    ...(java ? { java } : {}),
    edits: dispatchEdits(envFileEdits(text, file.entries, settings), owners),
  };
}

/** Edits of a `-D` word of a shell command line: in place where it is written as it is, else the whole word rewritten. */
export function shellPropertyEdits(text: string, property: JavaProperty): AppEdits {
  const word = property.word;
  const option = (name: string, value: string) => shellWord(`-D${propertyKey(name)}=${value}`);
  const replaceWord = (replacement: string) => ({ offset: word.start, length: word.end - word.start, text: replacement });
  return {
    rename: (_s, name) => (word.at !== undefined ? { offset: word.at + property.keyStart, length: property.key.length, text: propertyKey(name) } : replaceWord(option(name, property.value))),
    setValue: (_s, value) =>
      word.at !== undefined && !/[\s"'$\\`;&|<>()]/.test(value) ? { offset: word.at + property.valueStart, length: word.value.length - property.valueStart, text: value } : replaceWord(option(property.key, value)),
    remove() {
      let start = word.start;
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      return { offset: start, length: word.end - start, text: '' };
    },
    add: (_s, where, name, value) => (where === 'before' ? { offset: word.start, length: 0, text: `${option(name, value)} ` } : { offset: word.end, length: 0, text: ` ${option(name, value)}` }),
  };
}

/** One shell word for `value`: as it is when nothing in it is special, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Edits in env file syntax: values quoted as the line had them, new lines with the line's indentation and `export `. */
function envFileEdits(text: string, entries: EnvEntry[], settings: AppSetting[]): AppEdits {
  // By identity: the model step (processSettings.ts) reorders settings and adds others.
  const byEntry = new Map(settings.slice(0, entries.length).map((setting, i) => [setting, entries[i]] as const));
  const entryOf = (setting: AppSetting) => byEntry.get(setting)!;
  const line = (entry: EnvEntry, name: string, value: string) => `${indentAt(text, entry.nameOffset)}${entry.exported ? 'export ' : ''}${name}=${envValueText(value)}\n`;
  return {
    rename: (setting, name) => ({ offset: setting.nameOffset, length: setting.nameLength, text: name }),
    setValue(setting, value) {
      const entry = entryOf(setting);
      const raw = text.slice(entry.valueOffset, entry.valueOffset + entry.valueLength);
      const quote = entry.quoted && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]) ? raw[0] : '';
      return { offset: entry.valueOffset, length: entry.valueLength, text: envValueText(value, quote) };
    },
    remove(setting) {
      // The whole line of the variable (a multi-line quoted value included).
      const from = lineStartOf(text, setting.nameOffset);
      return { offset: from, length: nextLineStart(text, setting.valueOffset + setting.valueLength) - from, text: '' };
    },
    add(setting, where, name, value) {
      const entry = entryOf(setting);
      if (where === 'before') return { offset: lineStartOf(text, entry.nameOffset), length: 0, text: line(entry, name, value) };
      const at = nextLineStart(text, entry.valueOffset + entry.valueLength);
      const newline = at === text.length && !text.endsWith('\n') && text.length > 0 ? '\n' : '';
      return { offset: at, length: 0, text: newline + line(entry, name, value) };
    },
  };
}

/**
 * A value as an env file line writes it: in the quotes the value had (`quote`, '' for none),
 * double-quoted with escapes when a plain or single-quoted value would read differently.
 */
export function envValueText(value: string, quote = ''): string {
  if (quote === "'" && !value.includes("'")) return `'${value}'`;
  if (quote || /[\s#"'$\\`]/.test(value)) return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
  return value;
}

/** The result of reading one value: the unescaped value and the end of the raw text. */
interface ReadValue {
  value: string;
  end: number;
  quoted: boolean;
}

const RUNTIME_NAMES: ReadonlySet<string> = new Set(RUNTIME_VARIABLES);

class Scanner {
  private readonly n: number;
  private readonly entries: EnvEntry[] = [];
  readonly javaCommands: Word[][] = [];
  readonly runtime: EnvEntry[] = [];
  /** Line counting, moved forward only: `lineAt` is linear over the whole scan. */
  private lineCursor = 0;
  private lineNumber = 0;
  /** Last index of each quote character: no closing quote can exist past it. */
  private readonly lastQuote: Record<string, number>;
  /** A double-quote scan from here reached the end of the text without closing: later ones will too. */
  private unterminatedFrom = Infinity;

  constructor(private readonly text: string, private readonly shell: boolean, private readonly all: boolean) {
    this.n = text.length;
    this.lastQuote = { '"': text.lastIndexOf('"'), "'": text.lastIndexOf("'"), '`': text.lastIndexOf('`') };
  }

  scan(): EnvEntry[] {
    let i = this.text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte order mark
    while (i < this.n) i = this.statementLine(i);
    return this.entries;
  }

  /** Reads the line (or statement, when a quoted value spans lines) starting at `i`; returns the start of the next line. */
  private statementLine(i: number): number {
    for (;;) {
      i = this.skipBlanks(i);
      if (this.text[i] === '#') return this.nextLine(i); // full-line comment
      let exported = false;
      if (this.text.startsWith('export', i) && this.isBlank(i + 6)) {
        exported = true;
        i = this.skipBlanks(i + 6);
      }
      // One assignment in dotenv; in shell any number (`export A=1 B=2`, `A=1 B=2 command`).
      for (;;) {
        const nameStart = i;
        const nameEnd = this.nameEnd(i);
        if (nameEnd === nameStart) break;
        let k = this.shell ? nameEnd : this.skipBlanks(nameEnd);
        if (this.text[k] !== '=') break; // not an assignment (a command, `export NAME`, ...)
        k = this.shell ? k + 1 : this.skipBlanks(k + 1);
        const read = this.shell ? this.shellWord(k) : this.dotenvValue(k);
        const name = this.text.slice(nameStart, nameEnd);
        const app = this.all || isAppSettingName(name);
        if (app || RUNTIME_NAMES.has(name)) {
          const entry: EnvEntry = {
            name,
            value: read.value,
            line: this.lineAt(nameStart),
            nameOffset: nameStart,
            nameLength: nameEnd - nameStart,
            valueOffset: k,
            valueLength: read.end - k,
            exported,
            quoted: read.quoted,
          };
          if (app) this.entries.push(entry);
          if (RUNTIME_NAMES.has(name)) this.runtime.push(entry);
        }
        i = read.end;
        if (!this.shell) return this.nextLine(i);
        i = this.skipBlanks(i);
      }
      // Shell: `A=1; export B=2` starts another statement on the same line.
      if (this.shell && this.text[i] === ';') {
        i++;
        continue;
      }
      if (this.shell && JAVA_COMMAND.test(this.text.slice(i, i + 200))) {
        const command = this.commandWords(i);
        const java = command.words.findIndex((w) => /(^|\/)java"?$/.test(w.value));
        if (java >= 0) this.javaCommands.push(command.words.slice(java));
        i = command.end;
        if (this.text[i] === ';' || this.text[i] === '&' || this.text[i] === '|') {
          while (this.text[i] === ';' || this.text[i] === '&' || this.text[i] === '|') i++;
          continue;
        }
      }
      return this.nextLine(i);
    }
  }

  /** dotenv: a quoted value (which may span lines), or the rest of the line up to a ` #` comment, trimmed. */
  private dotenvValue(k: number): ReadValue {
    const quote = this.text[k];
    if (quote === '"' || quote === "'" || quote === '`') {
      const close = this.closingQuote(k, quote);
      if (close < 0) {
        // Unterminated: the value is the rest of the line (the check sees the missing quote in the raw text).
        const end = this.lineContentEnd(k);
        return { value: this.text.slice(k + 1, end), end, quoted: true };
      }
      const inner = this.text.slice(k + 1, close);
      return { value: quote === '"' ? unescapeDotenv(inner) : inner, end: close + 1, quoted: true };
    }
    const lineEnd = this.lineContentEnd(k);
    let end = lineEnd;
    for (let j = k; j < lineEnd; j++) {
      // `#` starts a comment at the start of the value or after a blank; `a#b` is a value.
      if (this.text[j] === '#' && (j === k || this.isBlank(j - 1))) {
        end = j;
        break;
      }
    }
    while (end > k && this.isBlank(end - 1)) end--;
    return { value: this.text.slice(k, end), end, quoted: false };
  }

  /** shell: one word, made of unquoted, '...' and "..." parts, ending at an unquoted blank or operator. */
  private shellWord(k: number): ReadValue {
    let value = '';
    let quoted = false;
    let j = k;
    while (j < this.n) {
      const c = this.text[j];
      if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')') break;
      if (c === '\r' && (j + 1 === this.n || this.text[j + 1] === '\n')) break;
      if (c === "'" || c === '"') {
        quoted = true;
        const close = this.closingQuote(j, c);
        if (close < 0) {
          const end = this.lineContentEnd(j);
          value += this.text.slice(j + 1, end);
          j = end;
          break;
        }
        const inner = this.text.slice(j + 1, close);
        value += c === '"' ? unescapeShellDouble(inner) : inner;
        j = close + 1;
        continue;
      }
      if (c === '\\') {
        // Unquoted backslash: the next character is literal; backslash-newline continues the line.
        if (this.text[j + 1] === '\n') j += 2;
        else if (this.text[j + 1] === '\r' && this.text[j + 2] === '\n') j += 3;
        else {
          value += this.text[j + 1] ?? '';
          j += 2;
        }
        continue;
      }
      value += c;
      j++;
    }
    return { value, end: Math.min(j, this.n), quoted };
  }

  /**
   * The words of a command from `i` to the end of its statement (a newline that no backslash continues,
   * `;`, `&`, `|`), each with where it is written; a word written as it is has `at` (see Word).
   */
  private commandWords(i: number): { words: Word[]; end: number } {
    const words: Word[] = [];
    for (;;) {
      while (i < this.n && (this.isBlank(i) || (this.text[i] === '\\' && (this.text[i + 1] === '\n' || (this.text[i + 1] === '\r' && this.text[i + 2] === '\n'))))) i += this.text[i] === '\\' ? (this.text[i + 1] === '\r' ? 3 : 2) : 1;
      const c = this.text[i];
      if (i >= this.n || c === '\n' || c === '\r' || c === ';' || c === '&' || c === '|' || c === '#') return { words, end: i };
      const read = this.shellWord(i);
      if (read.end === i) return { words, end: i };
      const written = this.text.slice(i, read.end);
      const at = written === read.value ? i : written.length === read.value.length + 2 && (written[0] === '"' || written[0] === "'") && written.endsWith(written[0]) && written.slice(1, -1) === read.value ? i + 1 : undefined;
      words.push({ value: read.value, start: i, end: read.end, ...(at !== undefined ? { at } : {}) });
      i = read.end;
    }
  }

  /** Index of the quote closing the one at `open`, or -1. In double quotes a backslash escapes the next character. */
  private closingQuote(open: number, quote: string): number {
    if (open >= this.lastQuote[quote]) return -1;
    if (quote !== '"') return this.text.indexOf(quote, open + 1);
    if (open >= this.unterminatedFrom) return -1;
    for (let j = open + 1; j < this.n; j++) {
      const c = this.text[j];
      if (c === '\\') j++;
      else if (c === '"') return j;
    }
    this.unterminatedFrom = open;
    return -1;
  }

  private nameEnd(i: number): number {
    const first = this.text.charCodeAt(i);
    if (!(isLetter(first) || first === 0x5f)) return i;
    let j = i + 1;
    for (; j < this.n; j++) {
      const c = this.text.charCodeAt(j);
      if (!(isLetter(c) || c === 0x5f || (c >= 0x30 && c <= 0x39))) break;
    }
    return j;
  }

  private isBlank(i: number): boolean {
    const c = this.text[i];
    return c === ' ' || c === '\t';
  }

  private skipBlanks(i: number): number {
    while (i < this.n && this.isBlank(i)) i++;
    return i;
  }

  /** Index of the `\n` ending the line holding `i` (or the text's end), before a `\r`. */
  private lineContentEnd(i: number): number {
    let end = this.text.indexOf('\n', i);
    if (end < 0) end = this.n;
    return end > i && this.text[end - 1] === '\r' ? end - 1 : end;
  }

  private nextLine(i: number): number {
    const newline = this.text.indexOf('\n', i);
    return newline < 0 ? this.n : newline + 1;
  }

  private lineAt(offset: number): number {
    for (let newline = this.text.indexOf('\n', this.lineCursor); newline >= 0 && newline < offset; newline = this.text.indexOf('\n', newline + 1)) {
      this.lineNumber++;
      this.lineCursor = newline + 1;
    }
    return this.lineNumber;
  }
}

/** A command that may run `java`: `java …`, `/usr/bin/java`, `"$JAVA_HOME/bin/java"`, `exec java`, `nohup java`. */
const JAVA_COMMAND = /^(?:(?:exec|nohup|command)[ \t]+)*(?:"?\$\{?JAVA_HOME\}?\/bin\/java"?|[\w./-]*\/java|java)(?=[ \t\r\n\\;&|]|$)/;

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** dotenv double quotes: `\"`, `\\`, `\n`, `\r`; any other backslash stays as written. */
function unescapeDotenv(inner: string): string {
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    const next = inner[i + 1];
    if (c === '\\' && next !== undefined && '"\\nr'.includes(next)) {
      out += next === 'n' ? '\n' : next === 'r' ? '\r' : next;
      i++;
    } else out += c;
  }
  return out;
}

/** Shell double quotes: a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline (removed). */
function unescapeShellDouble(inner: string): string {
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    const next = inner[i + 1];
    if (c === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
      if (next !== '\n') out += next;
      i++;
    } else out += c;
  }
  return out;
}

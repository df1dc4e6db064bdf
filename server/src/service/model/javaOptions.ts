/**
 * Java system properties: how a property name maps to the env name the settings model uses, how a
 * `java` command line and a JVM options value (JAVA_TOOL_OPTIONS, JAVA_OPTS...) carry them, and which
 * of them configure OpenTelemetry. The sources find the words (shell scripts, Dockerfile CMD and
 * ENTRYPOINT); ./processSettings.ts turns the words of JVM option variables into settings.
 * Facts: docs/facts/java-properties.md §1 (name mapping), §2 (precedence), §6 (how options reach the JVM).
 */

/** One word of a command line or an options value: its value (quotes removed) and where it is written. */
export interface Word {
  value: string;
  /** Offsets of the word as written (quotes included), in the text the source read. */
  start: number;
  end: number;
  /**
   * Where `value[0]` is written, when the value is written as it is (no escapes, quotes at most around
   * the whole word), so a part of the value is the same part of the text; undefined otherwise.
   */
  at?: number;
}

/** `-Dotel.exporter.otlp.certificate=/c.crt` on a command line: the property and where its parts are. */
export interface JavaProperty {
  /** The property key as written: `otel.exporter.otlp.certificate`. */
  key: string;
  value: string;
  word: Word;
  /** Offsets of the key and the value inside the word's value (after `-D` and `=`). */
  keyStart: number;
  valueStart: number;
}

/** What a java command line (or JVM options value) says about OpenTelemetry. */
export interface JavaArguments {
  /** `-Dotel.*` system properties, in order (a later one of the same key wins). */
  properties: JavaProperty[];
  /** The `-javaagent:` words. */
  agents: Word[];
}

/**
 * The env name of a property, as the Java SDK compares them (ConfigUtil: a property is lower-cased with
 * `-` → `.`, an env name lower-cased with `_` → `.`): `otel.exporter.otlp.client.key` →
 * `OTEL_EXPORTER_OTLP_CLIENT_KEY`, `otel.instrumentation.common.default-enabled` →
 * `OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED`.
 */
export function envNameOfProperty(key: string): string {
  return key.toUpperCase().replace(/[.-]/g, '_');
}

/** The property spelling of an env name: `OTEL_EXPORTER_OTLP_CERTIFICATE` → `otel.exporter.otlp.certificate`. */
export function propertyNameOfEnv(name: string): string {
  return name.toLowerCase().replace(/_/g, '.');
}

/** Properties that configure OpenTelemetry (the SDK and the agent read `otel.*`). */
export function isOtelProperty(key: string): boolean {
  return /^otel[.-]/i.test(key);
}

/** Launcher options that take the next word as their argument (`-cp lib/*`). */
const TAKES_ARGUMENT = new Set([
  '-cp', '-classpath', '--class-path', '-p', '--module-path', '--upgrade-module-path', '--add-modules', '--limit-modules',
  '--add-reads', '--add-exports', '--add-opens', '--patch-module', '--enable-native-access', '--source',
]);

/**
 * The JVM options of a `java` command line (`words[0]` is the launcher): `-D` and `-javaagent:` words
 * up to the main class, `-jar <file>`, `-m <module>` or `--module`; everything after is the program's.
 * With `optionsOnly` (a JVM options value) every word is an option.
 */
export function javaArguments(words: Word[], optionsOnly = false): JavaArguments {
  const out: JavaArguments = { properties: [], agents: [] };
  for (let i = optionsOnly ? 0 : 1; i < words.length; i++) {
    const word = words[i];
    const v = word.value;
    if (!optionsOnly) {
      if (v === '-jar' || v === '-m' || v === '--module') break;
      if (v.startsWith('--module=')) break;
      if (TAKES_ARGUMENT.has(v)) {
        i++;
        continue;
      }
      // The main class (or a word a shell variable expands to: it could be anything, so it ends nothing).
      if (!v.startsWith('-') && !v.startsWith('$')) break;
    }
    if (v.startsWith('-javaagent:')) out.agents.push(word);
    else if (v.startsWith('-D')) {
      const eq = v.indexOf('=');
      const key = eq < 0 ? v.slice(2) : v.slice(2, eq);
      if (isOtelProperty(key)) out.properties.push({ key, value: eq < 0 ? '' : v.slice(eq + 1), word, keyStart: 2, valueStart: eq < 0 ? v.length : eq + 1 });
    }
  }
  return out;
}

/** Whether a `-javaagent:` word loads the OpenTelemetry Java agent (its jar is named so). */
export function isOtelAgent(word: Word): boolean {
  return /opentelemetry|otel/i.test(word.value.slice('-javaagent:'.length).split(/[\\/]/).pop() ?? '');
}

/**
 * The words of a JVM options value as the JVM splits JAVA_TOOL_OPTIONS (HotSpot
 * `parse_options_environment_variable`): blanks separate options, and single or double quotes keep
 * blanks inside one, without escapes. Offsets are into `value`. Start scripts pass `$JAVA_OPTS` the
 * same way in practice; a word holding `$` (another variable) is kept as written and names nothing.
 */
export function splitOptionsValue(value: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && /\s/.test(value[i])) i++;
    if (i >= n) break;
    const start = i;
    let text = '';
    let quotes = 0;
    while (i < n && !/\s/.test(value[i])) {
      const c = value[i];
      if (c === '"' || c === "'") {
        const close = value.indexOf(c, i + 1);
        quotes++;
        if (close < 0) {
          text += value.slice(i + 1);
          i = n;
          break;
        }
        text += value.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      text += c;
      i++;
    }
    const written = value.slice(start, i);
    const at = written === text ? start : quotes === 1 && written.length === text.length + 2 && written.slice(1, -1) === text ? start + 1 : undefined;
    words.push({ value: text, start, end: i, ...(at !== undefined ? { at } : {}) });
  }
  return words;
}

/**
 * Source: a Java `.properties` file with `otel.*` keys (the Java agent's configuration file, named by
 * `otel.javaagent.configuration-file` / OTEL_JAVAAGENT_CONFIGURATION_FILE) → one app unit. Parsed with
 * `dot-properties` (java.util.Properties syntax: `=`, `:` or blank separators, `#`/`!` comments,
 * backslash escapes and line continuations), whose nodes carry the key and value ranges. Keys map to env
 * names as the Java SDK maps them (../model/javaOptions.ts); the settings are the lowest layer (system
 * properties and the environment override the file). An app that names the file reads it as one of its
 * parts (./linkedFiles.ts). Facts: docs/facts/java-properties.md §5.
 */
import { parseLines, type Pair } from 'dot-properties';
import type { AppSetting } from '../model/appSettings';
import type { Problem } from '../languageTypes';
import { envNameOfProperty, isOtelProperty, propertyNameOfEnv } from '../model/javaOptions';
import { propertyKey } from '../model/processSettings';
import type { AppEdits, AppUnit } from '../model/units';
import { sdkDirective } from '../sdk/sdks';
import { lineStartOf, nextLineStart } from '../text';
import type { Source, SourceUnits } from './detect';
import { wholeFileApp } from './embedded';

export function isPropertiesPath(path: string): boolean {
  return /\.properties$/i.test(path);
}

export const propertiesFileSource: Source = {
  name: 'propertiesFile',
  accepts: isPropertiesPath,
  read({ text }): SourceUnits {
    const unit = propertiesUnit(text);
    return { collectors: [], apps: unit ? [unit] : [] };
  },
};

/** The app unit of a properties text, or undefined when it has no `otel.*` key (nor an env-style `OTEL_*` one). */
export function propertiesUnit(text: string, index = 0): AppUnit | undefined {
  let pairs: Pair[];
  try {
    pairs = parseLines(text, true).filter((node): node is Pair & { range: [number, number, number, number] } => node.type === 'PAIR' && Array.isArray(node.range)) as Pair[];
  } catch {
    return undefined;
  }
  const kept = pairs.filter((pair) => isOtelProperty(pair.key));
  // An env-style key (OTEL_EXPORTER_OTLP_ENDPOINT=…): the agent and the SDK's autoconfigure normalise the file's keys
  // as property names (lower case, `-` → `.`), so it becomes otel_exporter_otlp_endpoint, which nothing reads
  // (docs/facts/java-properties.md §5). Said on the key, never silently skipped.
  const envStyle = pairs.filter((pair) => /^otel_/i.test(pair.key));
  const problems: Problem[] = envStyle.map((pair) => {
    const [keyStart, keyEnd] = pair.range as [number, number, number, number];
    const property = propertyNameOfEnv(pair.key);
    return {
      code: 'unknown-variable',
      offset: keyStart,
      length: keyEnd - keyStart,
      message: `${pair.key} is an environment variable name, and this is a properties file: the Java agent and the SDK's autoconfigure read its keys as property names (lower case, "-" as "."), so this one becomes ${pair.key.toLowerCase().replace(/-/g, '.')} and is never read. Write ${property}=… (the property of ${pair.key.toUpperCase()}), or set ${pair.key.toUpperCase()} in the environment.`,
    };
  });
  if (kept.length === 0 && problems.length === 0) return undefined;
  const byPair = new Map<AppSetting, Pair>();
  const settings = kept.map((pair, i) => {
    const [keyStart, keyEnd, valueStart, valueEnd] = pair.range as [number, number, number, number];
    const setting: AppSetting = {
      name: envNameOfProperty(pair.key),
      written: pair.key,
      value: pair.value,
      nameOffset: keyStart,
      nameLength: keyEnd - keyStart,
      valueOffset: valueStart,
      valueLength: valueEnd - valueStart,
      locator: { app: index, setting: i },
      layer: 'properties-file',
    };
    byPair.set(setting, pair);
    return setting;
  });
  const directive = sdkDirective(text);
  return {
    ...wholeFileApp(text, index, settings, directive),
    // The agent reads this file: a Java app.
    java: { agent: true },
    ...(problems.length ? { problems } : {}),
    edits: propertiesEdits(text),
  };
}

/** Edits in properties syntax: `key=value` lines, values escaped as java.util.Properties reads them. */
function propertiesEdits(text: string): AppEdits {
  const line = (name: string, value: string) => `${escapeKey(propertyKey(name))}=${escapeValue(value)}\n`;
  return {
    rename: (setting, name) => ({ offset: setting.nameOffset, length: setting.nameLength, text: escapeKey(propertyKey(name)) }),
    setValue: (setting, value) => ({ offset: setting.valueOffset, length: setting.valueLength, text: escapeValue(value) }),
    remove(setting) {
      const from = lineStartOf(text, setting.nameOffset);
      return { offset: from, length: nextLineStart(text, setting.valueOffset + setting.valueLength) - from, text: '' };
    },
    add(setting, where, name, value) {
      if (where === 'before') return { offset: lineStartOf(text, setting.nameOffset), length: 0, text: line(name, value) };
      const at = nextLineStart(text, setting.valueOffset + setting.valueLength);
      const newline = at === text.length && !text.endsWith('\n') && text.length > 0 ? '\n' : '';
      return { offset: at, length: 0, text: newline + line(name, value) };
    },
  };
}

function escapeKey(key: string): string {
  return key.replace(/([\\:= \t#!])/g, '\\$1');
}

/** A value as java.util.Properties reads it back: backslashes doubled, a leading blank escaped. */
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/^([ \t])/, '\\$1');
}

/**
 * The files an app's settings name, read into the app (sources/detect.ts calls `linkFiles` on every
 * settled app unit of the file being read; an app unit read as another app's part is not linked):
 * - the Java agent's properties file (`otel.javaagent.configuration-file`, OTEL_JAVAAGENT_CONFIGURATION_FILE):
 *   its `otel.*` keys become the app's lowest layer (system properties and the environment override them);
 * - the declarative config OTEL_CONFIG_FILE (or OTEL_EXPERIMENTAL_CONFIG_FILE) names: its exporters are the
 *   app's settings (layer `config-file`), read with the app's own settings as the environment of its
 *   `${VAR}` substitutions, and every other `OTEL_*` setting is ignored (../model/processSettings.ts).
 * A path is looked up as the app's process would see it: the app's mounts (compose bind mounts), then the
 * path mappings, relative to the referring file's folder and the workspace roots. A file not found (or
 * not of its format) leaves the app as it is; checks/envConfigFile.ts says so for OTEL_CONFIG_FILE.
 * Facts: docs/facts/java-properties.md §5, docs/facts/declarative-config.md §5 and §6.
 */
import { lookup, type AppSetting } from '../model/appSettings';
import { CONFIG_FILE_VARIABLES, settle } from '../model/processSettings';
import type { AppUnit } from '../model/units';
import { declarativeUnits, isDeclarativeText } from './declarativeConfig';
import type { SourceContext } from './detect';
import { appendPart } from './parts';
import { propertiesUnit } from './propertiesFile';

export function linkFiles(unit: AppUnit, path: string, context: SourceContext): AppUnit {
  let linked = unit;
  const agentFile = lookup(linked, 'OTEL_JAVAAGENT_CONFIGURATION_FILE');
  if (agentFile?.value) {
    const found = firstFile(agentFile.value.replace(/^~(?=\/)/, '/root'), path, linked, context);
    const properties = found && propertiesUnit(found.text);
    if (found && properties) {
      linked = settle(appendPart(linked, { path: found.path, text: found.text, settings: properties.settings, role: `the Java agent's configuration file (${agentFile.written})`, ...(properties.problems ? { problems: properties.problems } : {}) }, 'below'));
    }
  }
  const configFile = [...linked.settings].reverse().find((s) => CONFIG_FILE_VARIABLES.includes(s.name) && s.value !== '');
  if (!configFile) return linked;
  if (configFile.value === undefined) return { ...linked, configFile: { setting: configFile, tried: [], referenced: [] } };
  const candidates = context.candidatePaths(configFile.value, path, linked.mounts);
  const found = firstFile(configFile.value, path, linked, context);
  if (!found) return { ...linked, configFile: { setting: configFile, tried: candidates, referenced: [] } };
  if (!isDeclarativeText(found.text)) return { ...linked, configFile: { setting: configFile, tried: [found.path], notDeclarative: true, referenced: [] } };
  const env = environmentOf(linked);
  const units = declarativeUnits(found.text, (name) => env.get(name));
  const referenced = units.referenced.filter((name) => env.has(name));
  const first = units.apps[0];
  const withFile = appendPart(linked, { path: found.path, text: found.text, settings: first ? first.settings : [], role: `the declarative configuration ${configFile.written} names`, problems: units.apps[0]?.problems }, 'above');
  return { ...settle(withFile), configFile: { setting: configFile, found: found.path, tried: [], referenced } };
}

/** The first of the paths `written` may mean that can be read. */
function firstFile(written: string, path: string, unit: AppUnit, context: SourceContext): { path: string; text: string } | undefined {
  for (const candidate of context.candidatePaths(written, path, unit.mounts)) {
    const text = context.readText(candidate);
    if (text !== undefined) return { path: candidate, text };
  }
  return undefined;
}

/** The app's environment as far as its settings tell (the ignored ones too: they are still in the process's environment). */
function environmentOf(unit: AppUnit): Map<string, string> {
  const env = new Map<string, string>();
  const all: AppSetting[] = [...unit.settings, ...(unit.ignored ?? [])].filter((s) => (s.layer ?? 'env') === 'env');
  for (const setting of all) if (setting.value !== undefined) env.set(setting.name, setting.value);
  return env;
}

/**
 * Source: a Compose file (`compose.yaml`, `docker-compose.yml`, any YAML whose top level is Compose's:
 * `services` and only the spec's other top-level keys) → one app unit per service.
 * - `environment` (map and list forms; a bare `KEY` takes its value from the interpolation environment);
 * - `env_file` (a string, a list of strings or of `{path, required, format}`): each file is read as an
 *   env file whatever its name (ParsedFile.references, so the CLI and the server read and check it too);
 *   its settings are the service's, below `environment` (which wins), a later file over an earlier one;
 *   a missing required file is checks/composeEnvFiles.ts's `file-not-found`;
 * - interpolation of values (not keys): `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`,
 *   `${VAR:?err}`, `${VAR?err}`, nesting, `$$`; the environment is the checker's (otlpTls.environment)
 *   over the project's `.env` beside the Compose file (whose own values are interpolated in order). A
 *   variable neither tells is unknown here, never empty;
 * - bind mounts (`volumes:` `./certs:/etc/otel/certs:ro` and `type: bind` with `source`/`target`),
 *   file-backed `secrets:` (`/run/secrets/<name>` or their `target`) and `configs:` (`/<name>` or
 *   `target`): the service's mounts, so a container path it names resolves to the project file without a
 *   path mapping. A collector config a service bind-mounts is judged with that service's mounts
 *   (WorkspaceIndex.mountsOf).
 * Facts: docs/facts/compose-docker.md §2-§4.
 */
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import { isMap, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { composeYaml, limitLength, limitMessage, type YamlLimit } from '../yaml/yamlCompose';
import { isAppSettingName, type AppSetting } from '../model/appSettings';
import type { AppEdits, AppUnit, EnvFileEntry } from '../model/units';
import { directiveFields, sdkDirective } from '../sdk/sdks';
import type { PathMapping } from '../settings';
import { indentAt, lineStartOf, nextLineStart } from '../text';
import { getEntry, mapEntries, nodeSpan, type AnyNode } from '../yaml/yamlNodes';
import { isYamlPath } from './collectorYaml';
import type { Source, SourceContext, SourceUnits } from './detect';
import { identityMap } from './embedded';
import { parseEnvFile } from './envFile';
import { appendPart } from './parts';
import { dockerfileUnit, type DockerfileOptions } from './dockerfile';
import { commandLineProperties, dispatchEdits, settle } from '../model/processSettings';
import { commandEdits, commandLineWords, type CommandWord } from './yamlCommandLine';

const COMPOSE_KEYS = new Set(['version', 'name', 'include', 'services', 'models', 'networks', 'volumes', 'secrets', 'configs']);
const SERVICES_LINE = /^services[ \t]*:/m;

export const composeSource: Source = {
  name: 'compose',
  yaml: true,
  accepts: isYamlPath,
  read({ path, text }, context): SourceUnits {
    if (!context.hasLine(SERVICES_LINE)) return { collectors: [], apps: [] };
    let doc: Document;
    let limits: YamlLimit[];
    try {
      // Nesting and size bounded before the library composes it (../yaml/yamlCompose.ts).
      ({ doc, limits } = composeYaml(text, { yaml: { prettyErrors: false }, duplicateKeys: false, scans: context.yamlScans }));
    } catch {
      return { collectors: [], apps: [] };
    }
    const root = doc.contents;
    if (!isMap(root)) return { collectors: [], apps: [] };
    const keys = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    if (!keys.includes('services') || keys.some((k) => !COMPOSE_KEYS.has(k) && !k.startsWith('x-'))) return { collectors: [], apps: [] };
    const services = getEntry(root, doc, 'services')?.value;
    if (!isMap(services)) return { collectors: [], apps: [] };
    const folder = dirname(path);
    const env = interpolationEnvironment(folder, context);
    const references: Record<string, string> = {};
    const apps = mapEntries(services, doc).map((service, index) => serviceUnit(service.key, service.value, index, { doc, root, text, folder, env, context, references }));
    if (limits.length && apps.length) {
      const cut = limits.map((limit) => ({ code: 'limit-exceeded' as const, offset: limit.offset, length: limitLength(text, limit), message: limitMessage(limit), severity: 'warning' as const }));
      apps[0] = { ...apps[0], problems: [...(apps[0].problems ?? []), ...cut] };
    }
    return { collectors: [], apps, references };
  },
};

interface ComposeFile {
  doc: Document;
  root: YAMLMap;
  text: string;
  folder: string;
  env: (name: string) => string | undefined;
  context: SourceContext;
  references: Record<string, string>;
}

/** The checker's environment over the project `.env` (its values interpolated top down). */
function interpolationEnvironment(folder: string, context: SourceContext): (name: string) => string | undefined {
  const dotenv = new Map<string, string | undefined>();
  const text = context.readText(join(folder, '.env'));
  if (text !== undefined) {
    const lookup = (name: string) => context.getEnv(name) ?? dotenv.get(name);
    for (const entry of parseEnvFile(text, { all: true }).entries) {
      const raw = text.slice(entry.valueOffset, entry.valueOffset + entry.valueLength);
      dotenv.set(entry.name, raw.startsWith("'") ? entry.value : interpolate(entry.value, lookup));
    }
  }
  return (name) => context.getEnv(name) ?? dotenv.get(name);
}

// ---------------------------------------------------------------------------------------------
// Interpolation (compose-spec "Interpolation")

/** The value with its references replaced; undefined when one cannot be known here. */
export function interpolate(text: string, env: (name: string) => string | undefined): string | undefined {
  if (!text.includes('$')) return text;
  const read = readInterpolated(text, 0, env, false);
  return read.unknown ? undefined : read.value;
}

function readInterpolated(text: string, i: number, env: (name: string) => string | undefined, nested: boolean): { value: string; end: number; unknown: boolean } {
  let value = '';
  let unknown = false;
  while (i < text.length) {
    const c = text[i];
    if (nested && c === '}') break;
    if (c !== '$') {
      value += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      value += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 2))?.[0];
      if (!name) {
        value += c;
        i++;
        continue;
      }
      let j = i + 2 + name.length;
      const operator = /^(:-|-|:\?|\?|:\+|\+)/.exec(text.slice(j))?.[0];
      let word: { value: string; end: number; unknown: boolean } = { value: '', end: j, unknown: false };
      if (operator) word = readInterpolated(text, j + operator.length, env, true);
      j = word.end;
      if (text[j] !== '}') {
        // Not closed: left as written.
        value += text.slice(i);
        return { value, end: text.length, unknown };
      }
      const found = env(name);
      let replacement: string | undefined;
      switch (operator) {
        case ':-': replacement = found !== undefined && found !== '' ? found : word.unknown ? undefined : word.value; break;
        case '-': replacement = found !== undefined ? found : word.unknown ? undefined : word.value; break;
        case ':+': replacement = found !== undefined && found !== '' ? (word.unknown ? undefined : word.value) : found === undefined ? undefined : ''; break;
        case '+': replacement = found !== undefined ? (word.unknown ? undefined : word.value) : undefined; break;
        default: replacement = found;
      }
      if (replacement === undefined) unknown = true;
      else value += replacement;
      i = j + 1;
      continue;
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
    if (!bare) {
      value += c;
      i++;
      continue;
    }
    const found = env(bare);
    if (found === undefined) unknown = true;
    else value += found;
    i += 1 + bare.length;
  }
  return { value, end: i, unknown };
}

// ---------------------------------------------------------------------------------------------
// Services

/** A setting of `environment`, with what its edits need. */
interface EnvironmentEntry {
  form: 'map' | 'list';
  /** The scalar (map form: the value; list form: the item). */
  node: Scalar | undefined;
  /** The key scalar (map form). */
  keyNode?: Scalar;
}

function serviceUnit(name: string, node: AnyNode, index: number, file: ComposeFile): AppUnit {
  const { doc, text, env } = file;
  const settings: AppSetting[] = [];
  const entries = new Map<AppSetting, EnvironmentEntry>();
  const service = isMap(node) ? node : undefined;
  const environment = service ? getEntry(service, doc, 'environment')?.value : undefined;
  if (isMap(environment)) {
    for (const entry of mapEntries(environment, doc)) {
      if (!isAppSettingName(entry.key)) continue;
      const keySpan = nodeSpan(entry.keyNode)!;
      const scalar = isScalar(entry.value) ? entry.value : undefined;
      const span = scalar ? nodeSpan(scalar) : undefined;
      const raw = scalar?.value;
      const value = raw === null || raw === undefined ? env(entry.key) : interpolate(String(raw), env);
      const setting: AppSetting = {
        name: entry.key,
        written: entry.key,
        value,
        nameOffset: keySpan[0],
        nameLength: keySpan[1] - keySpan[0],
        valueOffset: span ? span[0] : keySpan[1],
        valueLength: span ? span[1] - span[0] : 0,
        locator: { app: index, setting: settings.length },
      };
      settings.push(setting);
      entries.set(setting, { form: 'map', node: scalar, keyNode: entry.keyNode });
    }
  } else if (isSeq(environment)) {
    for (const item of environment.items) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const itemText = item.value;
      const eq = itemText.indexOf('=');
      const key = eq < 0 ? itemText : itemText.slice(0, eq);
      if (!isAppSettingName(key)) continue;
      const span = nodeSpan(item)!;
      const written = text.slice(span[0], span[1]);
      const inner = written === itemText ? span[0] : written.length === itemText.length + 2 && written.slice(1, -1) === itemText ? span[0] + 1 : undefined;
      const value = eq < 0 ? env(key) : interpolate(itemText.slice(eq + 1), env);
      const setting: AppSetting = {
        name: key,
        written: key,
        value,
        nameOffset: inner ?? span[0],
        nameLength: inner !== undefined ? key.length : span[1] - span[0],
        valueOffset: inner !== undefined ? (eq < 0 ? inner + key.length : inner + eq + 1) : span[0],
        valueLength: inner !== undefined ? (eq < 0 ? 0 : itemText.length - eq - 1) : span[1] - span[0],
        locator: { app: index, setting: settings.length },
      };
      settings.push(setting);
      entries.set(setting, { form: 'list', node: item });
    }
  }
  const range = service ? nodeSpan(service) : undefined;
  const directive = range ? sdkDirective(text.slice(lineStartOf(text, range[0]), range[1])) : undefined;
  let unit: AppUnit = {
    kind: 'app',
    index,
    text,
    offsets: identityMap,
    settings,
    ...directiveFields(directive && range ? { ...directive, offset: directive.offset + lineStartOf(text, range[0]) } : undefined),
    edits: composeEdits(text, entries),
    service: name,
  };
  const mounts = service ? serviceMounts(service, file) : [];
  if (mounts.length) unit.mounts = mounts;
  // env_file: read as env files; the later file wins, `environment` over all (appended in reverse, each below).
  const envFiles = service ? envFileEntries(service, file) : [];
  if (envFiles.length) unit.envFiles = envFiles;
  for (const envFile of [...envFiles].reverse()) {
    file.references[envFile.path] = 'envFile';
    const read = file.context.readUnits(envFile.path, 'envFile');
    const app = read?.apps[0];
    if (!app) continue;
    const partSettings = app.settings.map((s) => (s.value === undefined && !envFile.raw ? { ...s, value: interpolatedEnvValue(app.text, s, env) } : s));
    unit = appendPart(unit, { path: envFile.path, text: app.text, settings: partSettings, role: `env_file of service ${name}` }, 'below');
    if (app.java) unit.java = { agent: (unit.java?.agent ?? false) || app.java.agent };
  }
  // command / entrypoint: the java command the service runs instead of the image's; its -D properties win over the env.
  const run = service ? commandProperties(service, file, unit.settings.length) : undefined;
  if (run) {
    unit.settings.push(...run.settings);
    unit.edits = dispatchEdits(unit.edits, run.owners);
    unit.java = { agent: (unit.java?.agent ?? false) || run.agent };
  }
  // build: the image's ENV (and the java command of its ENTRYPOINT/CMD), below environment and env_file.
  const build = service ? buildOf(service, file) : undefined;
  const buildKey = service ? getEntry(service, doc, 'build')?.keyNode : undefined;
  let imageKnown = !buildKey;
  if (build) {
    file.references[build.path] = 'dockerfile';
    const dockerfile = file.context.readText(build.path);
    const image = dockerfile === undefined ? undefined : dockerfileUnit(dockerfile, 0, build.options);
    if (dockerfile !== undefined && image) {
      const settled = settle(image);
      unit = appendPart(unit, { path: build.path, text: dockerfile, settings: settled.settings, role: `the Dockerfile service ${name} builds` }, 'below');
      if (settled.java) unit.java = { agent: (unit.java?.agent ?? false) || settled.java.agent };
      if (!unit.sdk && settled.sdk && settled.sdkDirective) unit.sdk = settled.sdk;
      imageKnown = true;
    }
  }
  // The image of an OTel app whose Dockerfile is not read: its ENV may set OTEL_* variables (the demo's ad service
  // loads the Java agent that way), so say it is not known, on `build`.
  const keySpan = buildKey ? nodeSpan(buildKey) : undefined;
  if (!imageKnown && keySpan && unit.settings.some((s) => s.name.startsWith('OTEL_'))) {
    const why = build ? `${relative(file.folder, build.path)} is not in the workspace` : 'it is not read (a git URL context, or dockerfile_inline)';
    unit.opaqueSources = [
      ...(unit.opaqueSources ?? []),
      { what: `build of service ${name}`, offset: keySpan[0], length: keySpan[1] - keySpan[0], reason: `the image's ENV, which may set OTEL_* variables, is not checked: add its Dockerfile here. The Dockerfile of the image it runs: ${why}. Environment and env_file take precedence over its ENV.` },
    ];
  }
  return unit;
}

/**
 * The `-D` properties of the `java` the service runs: `entrypoint:` then `command:` (compose-spec 05-services.md
 * "command", "entrypoint"; a string is split into words, `sh -c "java …"` too). Only when the service sets one of
 * them: otherwise the image's command runs (read from its Dockerfile).
 */
function commandProperties(service: YAMLMap, file: ComposeFile, first: number): { settings: AppSetting[]; owners: Map<AppSetting, AppEdits>; agent: boolean } | undefined {
  const { doc, text } = file;
  const words = commandLineWords(['entrypoint', 'command'].map((key) => getEntry(service, doc, key)?.value), text);
  const javaAt = words.findIndex((w) => /(^|\/)java$/.test(w.value));
  if (javaAt < 0) return undefined;
  const found = commandLineProperties(words.slice(javaAt), (property) => commandEdits(text, property, property.word as CommandWord));
  if (found.settings.length === 0 && !found.agent) return undefined;
  found.settings.forEach((setting, i) => (setting.locator = { app: 0, setting: first + i }));
  return found;
}

/**
 * The Dockerfile a service builds (compose-spec build.md: `build: <context>` or `{context, dockerfile, target}`;
 * the context relative to the Compose file's folder, `dockerfile` relative to the context, default `Dockerfile`)
 * and what the service keeps of it: `entrypoint:` replaces the image's ENTRYPOINT and CMD, `command:` its CMD
 * (05-services.md "command", "entrypoint"). A git URL context and `dockerfile_inline` are not read.
 */
function buildOf(service: YAMLMap, file: ComposeFile): { path: string; options: DockerfileOptions } | undefined {
  const { doc, env } = file;
  const node = getEntry(service, doc, 'build')?.value;
  const text = (n: AnyNode) => (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? interpolate(String(n.value), env) : undefined);
  let context: string | undefined;
  let dockerfile = 'Dockerfile';
  let target: string | undefined;
  if (isScalar(node)) context = text(node);
  else if (isMap(node)) {
    if (getEntry(node, doc, 'dockerfile_inline')) return undefined;
    context = getEntry(node, doc, 'context') ? text(getEntry(node, doc, 'context')?.value) : '.';
    const named = getEntry(node, doc, 'dockerfile');
    if (named) {
      const value = text(named.value);
      if (value === undefined) return undefined;
      dockerfile = value;
    }
    const stage = getEntry(node, doc, 'target');
    if (stage) target = text(stage.value);
    if (stage && target === undefined) return undefined;
  } else return undefined;
  if (context === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context)) return undefined;
  const root = isAbsolute(context) ? context : join(file.folder, context);
  const path = normalize(isAbsolute(dockerfile) ? dockerfile : join(root, dockerfile));
  const set = (key: string) => {
    const entry = getEntry(service, doc, key);
    return entry !== undefined && !(isScalar(entry.value) && entry.value.value === null);
  };
  const entrypoint = !set('entrypoint');
  const cmd = entrypoint && !set('command');
  return { path, options: { ...(target !== undefined ? { target } : {}), entrypoint, cmd } };
}

/** An env_file value compose interpolates (unquoted or double-quoted; single quotes are literal). */
function interpolatedEnvValue(text: string, setting: AppSetting, env: (name: string) => string | undefined): string | undefined {
  const raw = text.slice(setting.valueOffset, setting.valueOffset + setting.valueLength);
  if (raw.startsWith("'")) return raw.slice(1, -1);
  const inner = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
  return interpolate(inner, env);
}


function envFileEntries(service: YAMLMap, file: ComposeFile): EnvFileEntry[] {
  const { doc, env, folder } = file;
  const value = getEntry(service, doc, 'env_file')?.value;
  const items: AnyNode[] = isSeq(value) ? (value.items as AnyNode[]) : value ? [value] : [];
  const out: EnvFileEntry[] = [];
  for (const item of items) {
    let pathNode: AnyNode = item;
    let required = true;
    let raw = false;
    if (isMap(item)) {
      pathNode = getEntry(item, doc, 'path')?.value;
      const req = getEntry(item, doc, 'required')?.value;
      if (isScalar(req) && (req.value === false || req.value === 'false')) required = false;
      const format = getEntry(item, doc, 'format')?.value;
      raw = isScalar(format) && format.value === 'raw';
    }
    if (!isScalar(pathNode) || typeof pathNode.value !== 'string') continue;
    const written = interpolate(pathNode.value, env);
    if (written === undefined || written === '') continue;
    const span = nodeSpan(pathNode)!;
    out.push({ path: isAbsolute(written) ? normalize(written) : join(folder, written), written: pathNode.value, required, raw, offset: span[0], length: span[1] - span[0] });
  }
  return out;
}

/** Bind mounts, file-backed secrets and configs: container path → project path. */
function serviceMounts(service: YAMLMap, file: ComposeFile): PathMapping[] {
  const { doc, env, folder, root } = file;
  const local = (source: string) => normalize(isAbsolute(source) ? source : join(folder, source));
  const mounts: PathMapping[] = [];
  const add = (target: string | undefined, source: string | undefined) => {
    if (!target || !source || !target.startsWith('/')) return;
    mounts.push({ from: target.replace(/\/+$/, '') || '/', to: local(source) });
  };
  const volumes = getEntry(service, doc, 'volumes')?.value;
  for (const item of isSeq(volumes) ? volumes.items : []) {
    if (isScalar(item) && typeof item.value === 'string') {
      const spec = interpolate(item.value, env);
      if (!spec) continue;
      // SOURCE:TARGET[:MODE]; a source that is a path (., .., /, ~) is a bind mount, else a named volume.
      const parts = spec.split(':');
      if (parts.length < 2 || !/^(\.|\/|~)/.test(parts[0])) continue;
      add(parts[1], parts[0].replace(/^~(?=\/|$)/, '~'));
    } else if (isMap(item)) {
      const field = (key: string) => {
        const v = getEntry(item, doc, key)?.value;
        return isScalar(v) && typeof v.value === 'string' ? interpolate(v.value, env) : undefined;
      };
      if (field('type') === 'bind') add(field('target'), field('source'));
    }
  }
  for (const [section, defaultTarget] of [['secrets', (n: string) => `/run/secrets/${n}`], ['configs', (n: string) => `/${n}`]] as const) {
    const list = getEntry(service, doc, section)?.value;
    const top = getEntry(root, doc, section)?.value;
    for (const item of isSeq(list) ? list.items : []) {
      let name: string | undefined;
      let target: string | undefined;
      if (isScalar(item)) name = String(item.value);
      else if (isMap(item)) {
        const source = getEntry(item, doc, 'source')?.value;
        const t = getEntry(item, doc, 'target')?.value;
        name = isScalar(source) ? String(source.value) : undefined;
        target = isScalar(t) ? String(t.value) : undefined;
      }
      if (!name) continue;
      const definition = isMap(top) ? getEntry(top, doc, name)?.value : undefined;
      const fileNode = isMap(definition) ? getEntry(definition, doc, 'file')?.value : undefined;
      const source = isScalar(fileNode) && typeof fileNode.value === 'string' ? interpolate(fileNode.value, env) : undefined;
      const resolvedTarget = target ? (target.startsWith('/') ? target : section === 'secrets' ? `/run/secrets/${target}` : `/${target}`) : defaultTarget(name);
      add(resolvedTarget, source);
    }
  }
  return mounts;
}

// ---------------------------------------------------------------------------------------------
// Edits

function composeEdits(text: string, entries: Map<AppSetting, EnvironmentEntry>): AppEdits {
  const quoteYaml = (value: string, node: Scalar | undefined) => {
    if (node?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
    if (node?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
    return /^[A-Za-z0-9_./:@${}-]+$/.test(value) && !/^(?:true|false|yes|no|on|off|null|~|[-+]?[0-9.]+)$/i.test(value) ? value : JSON.stringify(value);
  };
  const lineOf = (entry: EnvironmentEntry, name: string, value: string) => (entry.form === 'map' ? `${name}: ${quoteYaml(value, undefined)}` : `- ${quoteYaml(`${name}=${value}`, undefined)}`);
  return {
    rename: (setting, name) => ({ offset: setting.nameOffset, length: setting.nameLength, text: name }),
    setValue(setting, value) {
      const entry = entries.get(setting)!;
      if (entry.form === 'map') {
        if (!entry.node || entry.node.value === null) return { offset: setting.valueOffset, length: setting.valueLength, text: ` ${quoteYaml(value, undefined)}` };
        return { offset: setting.valueOffset, length: setting.valueLength, text: quoteYaml(value, entry.node) };
      }
      const span = nodeSpan(entry.node as Node)!;
      const inPlace = entry.node!.type === 'PLAIN' ? /^[^\s#'"]*$/.test(value) && !value.startsWith('-') : entry.node!.type === 'QUOTE_DOUBLE' ? !/["\\]/.test(value) : !value.includes("'");
      if (inPlace && setting.valueOffset !== span[0]) {
        const hasValue = (entry.node!.value as string).includes('=');
        return hasValue ? { offset: setting.valueOffset, length: setting.valueLength, text: value } : { offset: setting.valueOffset, length: 0, text: `=${value}` };
      }
      return { offset: span[0], length: span[1] - span[0], text: quoteYaml(`${setting.written}=${value}`, entry.node) };
    },
    remove(setting) {
      const from = lineStartOf(text, setting.nameOffset);
      return { offset: from, length: nextLineStart(text, setting.valueOffset + setting.valueLength) - from, text: '' };
    },
    add(setting, where, name, value) {
      const entry = entries.get(setting)!;
      const indent = indentAt(text, setting.nameOffset);
      const line = `${indent}${lineOf(entry, name, value)}\n`;
      if (where === 'before') return { offset: lineStartOf(text, setting.nameOffset), length: 0, text: line };
      const at = nextLineStart(text, setting.valueOffset + setting.valueLength);
      const newline = at === text.length && !text.endsWith('\n') && text.length > 0 ? '\n' : '';
      return { offset: at, length: 0, text: newline + line };
    },
  };
}

/**
 * The operator's Instrumentation resource (`opentelemetry.io/v1alpha1`, the only served version) →
 * app units with the settings the operator injects into the pods it instruments
 * (docs/facts/operator.md §2):
 * - `spec.exporter.endpoint` → OTEL_EXPORTER_OTLP_ENDPOINT, as written;
 * - `spec.exporter.tls.ca_file` → OTEL_EXPORTER_OTLP_CERTIFICATE = `/otel-auto-instrumentation-configmap-<configMapName>/<ca_file>`
 *   (`…-secret-<secretName>/…` without a ConfigMap), `cert_file`/`key_file` → OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE/_KEY
 *   = `/otel-auto-instrumentation-secret-<secretName>/<file>`; an absolute path is used as written;
 * - `spec.env` (common), and `spec.<language>.env`;
 * with the operator's precedence: language env over common env over the exporter fields (a variable
 * already set is not injected again). Each setting sits on the field it comes from.
 *
 * Units: one for every instrumented pod (common env and exporter; the SDK not named), and one per
 * language block that changes the exporter settings (its env sets an exporter variable, or Python,
 * whose protocol the operator sets to http/protobuf), with that language's SDK named. The pods' files
 * come from the Secret and ConfigMap the operator mounts. `opentelemetry.io/v1beta1` is not served:
 * a warning, and nothing read.
 */
import { posix } from 'node:path';
import { isMap } from 'yaml';
import type { AppSetting } from '../model/appSettings';
import { plainString, readEnv, type ContainerMount, type KubernetesObject } from '../model/kubernetes';
import type { AppUnit } from '../model/units';
import { problemAt } from '../problems';
import type { SdkId } from '../sdk/sdks';
import { getEntry, type AnyNode, type MapEntry } from '../yaml/yamlNodes';
import { identityMap } from './embedded';
import { envListOf, envListSettings, yamlAppEdits, type SettingHandle } from './k8sEnv';
import type { ManifestContext } from './kubernetesManifest';

/** The language blocks of v1alpha1 and the SDK that reads each one's env. */
const LANGUAGES: readonly { key: string; sdk?: SdkId }[] = [
  { key: 'java', sdk: 'java-agent' },
  { key: 'nodejs', sdk: 'js' },
  { key: 'python', sdk: 'python' },
  { key: 'dotnet', sdk: 'dotnet-auto' },
  { key: 'go', sdk: 'go' },
  { key: 'apacheHttpd' },
  { key: 'nginx' },
];

/** Variables that change what and where the exporter sends. */
function isExporterSetting(name: string): boolean {
  return name.startsWith('OTEL_EXPORTER_OTLP_') || /^OTEL_(SDK_DISABLED|(TRACES|METRICS|LOGS)_EXPORTER|CONFIG_FILE|EXPERIMENTAL_CONFIG_FILE)$/.test(name);
}

const SECRET_MOUNT = '/otel-auto-instrumentation-secret-';
const CONFIGMAP_MOUNT = '/otel-auto-instrumentation-configmap-';

export function readInstrumentation(object: KubernetesObject, context: ManifestContext): void {
  const { doc } = object;
  if (object.apiVersion !== 'opentelemetry.io/v1alpha1') {
    const node = getEntry(object.node, doc, 'apiVersion')?.value;
    const problem = node && problemAt(node, 'invalid-value', `${object.apiVersion} Instrumentation is not served by the operator (v0.158.0 serves only opentelemetry.io/v1alpha1): the API server rejects this object, and nothing is injected. Use opentelemetry.io/v1alpha1.`, { severity: 'warning' });
    if (problem) context.problems.push(problem);
    return;
  }
  const spec = getEntry(object.node, doc, 'spec')?.value;
  if (!isMap(spec)) return;
  const exporter = getEntry(spec, doc, 'exporter')?.value;
  const tls = getEntry(exporter, doc, 'tls')?.value;
  const field = (node: AnyNode, key: string) => getEntry(node, doc, key);
  const secretName = plainString(field(tls, 'secretName')?.value);
  const configMapName = plainString(field(tls, 'configMapName')?.value);

  const mounts: ContainerMount[] = [];
  // The operator mounts them whole, without items (exporter.go L68-132): each key is a file.
  if (secretName) mounts.push({ path: `${SECRET_MOUNT}${secretName}`, source: `Secret ${secretName}`, volume: { kind: 'secret', name: secretName } });
  if (configMapName) mounts.push({ path: `${CONFIGMAP_MOUNT}${configMapName}`, source: `ConfigMap ${configMapName}`, volume: { kind: 'configMap', name: configMapName } });

  // A relative file with no secretName: the operator injects a path under a mount it never creates
  // (tls-conflict here; no setting is derived from it, so nothing else is said about that path).
  const broken = new Set<string>();
  for (const key of ['cert_file', 'key_file', ...(configMapName ? [] : ['ca_file'])]) {
    const entry = field(tls, key);
    const value = plainString(entry?.value);
    if (!entry || !value || posix.isAbsolute(value) || secretName) continue;
    broken.add(key);
    const problem = problemAt(entry.value, 'tls-conflict', `${key}: ${value} names a key of tls.secretName${key === 'ca_file' ? ' (or of tls.configMapName)' : ''}, which is not set: the operator injects ${SECRET_MOUNT}/${value}, a path no volume provides. Set tls.secretName, or give an absolute path.`);
    if (problem) context.problems.push(problem);
  }

  const commonEnv = getEntry(spec, doc, 'env')?.value;
  const units: { language?: (typeof LANGUAGES)[number]; node?: MapEntry }[] = [{}];
  for (const language of LANGUAGES) {
    const block = getEntry(spec, doc, language.key);
    if (!block) continue;
    const env = readEnv(doc, getEntry(block.value, doc, 'env')?.value);
    if (language.key === 'python' || env.some((e) => isExporterSetting(e.name))) units.push({ language, node: block });
  }

  for (const { language, node } of units) {
    const index = context.apps.length;
    const settings: AppSetting[] = [];
    const handles = new Map<AppSetting, SettingHandle>();
    const defined = new Map<string, string | undefined>();
    const take = (list: AnyNode, prefix: string) => {
      const entries = readEnv(doc, list).filter((e) => !defined.has(e.name));
      const read = envListSettings(list, entries, { app: index, firstSetting: settings.length, written: (e) => `${prefix}[${e.index}] ${e.name}`, defined, envFrom: false });
      settings.push(...read.settings);
      for (const [setting, handle] of read.handles) handles.set(setting, handle);
    };
    // The operator's order: language env, then common env, then the exporter fields, each only if not set yet.
    if (language && node) take(getEntry(node.value, doc, 'env')?.value, `spec.${language.key}.env`);
    take(commonEnv, 'spec.env');
    const addTo = envListOf(doc, spec);
    const derive = (name: string, entry: MapEntry | undefined, written: string, value: (raw: string) => string) => {
      const raw = plainString(entry?.value);
      if (!entry || raw === undefined || raw === '' || defined.has(name) || broken.has(String(entry.keyNode.value))) return;
      const setting = fieldSetting(name, written, value(raw), entry, { app: index, setting: settings.length });
      defined.set(name, setting.value);
      settings.push(setting);
      handles.set(setting, { kind: 'field', entry, verbatim: setting.value === raw, ...(addTo ? { addTo } : {}) });
    };
    derive('OTEL_EXPORTER_OTLP_ENDPOINT', field(exporter, 'endpoint'), 'spec.exporter.endpoint', (raw) => raw);
    const inSecret = (raw: string) => (posix.isAbsolute(raw) ? raw : `${SECRET_MOUNT}${secretName ?? ''}/${raw}`);
    derive('OTEL_EXPORTER_OTLP_CERTIFICATE', field(tls, 'ca_file'), 'spec.exporter.tls.ca_file', (raw) => (posix.isAbsolute(raw) ? raw : configMapName ? `${CONFIGMAP_MOUNT}${configMapName}/${raw}` : inSecret(raw)));
    derive('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', field(tls, 'cert_file'), 'spec.exporter.tls.cert_file', inSecret);
    derive('OTEL_EXPORTER_OTLP_CLIENT_KEY', field(tls, 'key_file'), 'spec.exporter.tls.key_file', inSecret);
    if (language?.key === 'python' && node && !defined.has('OTEL_EXPORTER_OTLP_PROTOCOL')) {
      // getDefaultPythonEnvVars: the operator sets the protocol Python's auto-instrumentation supports.
      settings.push({ ...fieldSetting('OTEL_EXPORTER_OTLP_PROTOCOL', 'spec.python (the operator sets OTEL_EXPORTER_OTLP_PROTOCOL)', 'http/protobuf', node, { app: index, setting: settings.length }), valueOffset: node.keyNode.range![0], valueLength: node.keyNode.range![1] - node.keyNode.range![0] });
    }
    // The common unit stays without settings too: the pods it is injected into (inject annotations) find it.
    if (settings.length === 0 && language) continue;
    const label = `${object.label}${language ? ` (${language.key})` : ''}`;
    const unit: AppUnit = {
      kind: 'app',
      index,
      text: context.text,
      offsets: identityMap,
      settings,
      edits: yamlAppEdits(context.text, handles),
      label,
      // The operator reads the Secret and ConfigMap in the instrumented pod's namespace (podmutator.go L430-436), usually this one's.
      container: { label: 'the pods the operator instruments', mounts, ...(object.namespace ? { namespace: object.namespace } : {}) },
      instrumentation: { ...(object.name ? { name: object.name } : {}), ...(object.namespace ? { namespace: object.namespace } : {}), ...(language ? { block: language.key } : {}) },
      ...(language?.sdk ? { sdk: language.sdk } : {}),
    };
    context.apps.push(unit);
  }
}

/** A setting that a field of the resource becomes: named by the field, its value the one the operator injects. */
function fieldSetting(name: string, written: string, value: string, entry: MapEntry, locator: AppSetting['locator']): AppSetting {
  const key = entry.keyNode.range!;
  const range = (entry.value as { range?: [number, number, number] } | null)?.range ?? key;
  return { name, written, value, nameOffset: key[0], nameLength: key[1] - key[0], valueOffset: range[0], valueLength: range[1] - range[0], locator };
}

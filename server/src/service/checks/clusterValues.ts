/**
 * `unresolved-substitution` for app settings whose values only the cluster knows (Kubernetes
 * `valueFrom`, a `$(VAR)` of one, `envFrom`), so that the checks they skip are not silent:
 * - an information on the value of an exporter setting (OTEL_EXPORTER_OTLP_*, the exporter selection,
 *   OTEL_SDK_DISABLED, OTEL_CONFIG_FILE) that cannot be known here;
 * - a warning on any OTEL_* value with a `$(VAR)` the kubelet leaves as written (the variable is
 *   defined later in the list): the app gets the text `$(VAR)`;
 * - an information on each `envFrom` source of a container with OTEL_* settings: what it adds is not checked;
 *   likewise a compose service's image whose Dockerfile is not read (its ENV is not known).
 * The sources say why a value is unknown (AppSetting.unknown, AppSettings.opaqueSources).
 */
import type { AppCheckContext, Check } from './check';
import type { Problem } from '../languageTypes';

function judged(name: string): boolean {
  return name.startsWith('OTEL_EXPORTER_OTLP_') || /^OTEL_(SDK_DISABLED|(TRACES|METRICS|LOGS)_EXPORTER|CONFIG_FILE|EXPERIMENTAL_CONFIG_FILE)$/.test(name);
}

export const clusterValues: Check<AppCheckContext> = {
  name: 'clusterValues',
  kind: 'app',
  run({ unit }) {
    const problems: Problem[] = [];
    for (const setting of unit.settings) {
      const unknown = setting.unknown;
      if (!unknown || (!unknown.warning && !judged(setting.name))) continue;
      problems.push({
        code: 'unresolved-substitution',
        offset: setting.valueOffset,
        length: setting.valueLength,
        message: `${unknown.first ?? 'Known only in the cluster, so the checks that need this value are skipped.'} ${setting.written} ${unknown.why}${unknown.warning ? '' : ', so the checks that need its value are skipped'}.`,
        ...(unknown.warning ? { severity: 'warning' as const } : {}),
      });
    }
    for (const source of unit.opaqueSources ?? []) {
      problems.push({
        code: 'unresolved-substitution',
        offset: source.offset,
        length: source.length,
        message: `${source.what}: ${source.reason ?? 'its variables are known only in the cluster, so the OTEL_* settings it may add are not checked. Variables set in env: take precedence over it.'}`,
      });
    }
    return problems;
  },
};

/**
 * What a run checked (issue 13: "0 problems" must not read as "all clear" when nothing was checked): the
 * files by kind (the source that read each, or why none did), the endpoints of the apps and exporters
 * (paired with a listener of the checked files or not, and why not) and the handshakes predicted (by
 * verdict) or not (and why). Computed from the TLS map (./tlsMap.ts), whose edges are the links the
 * handshake checks report from, so the counts and the diagnostics cannot disagree. Plain JSON: the CLI
 * prints it after the diagnostics and puts it in JSON (`summary`) and SARIF (run `properties`).
 */
import type { TlsMap } from './tlsMapTypes';

/** How a checked file was read, for the count by kind. */
export interface CheckedFile {
  /** The source that read it (sources/detect.ts), undefined when none did. */
  source?: string;
  /** It held something a check reads (a collector config, an app's OTLP settings). */
  hasUnits: boolean;
  /** It could not be read (a FIFO, a device, unreadable, too large). */
  notRead?: boolean;
  /** A `.otlp-tls.yaml` project configuration. */
  projectConfig?: boolean;
}

export interface Coverage {
  files: {
    checked: number;
    /** By kind: `collector config`, `env file`, `Kubernetes manifest`…, `project config`, `not read`, and `nothing to check` for files no source reads anything in. */
    byKind: Record<string, number>;
  };
  endpoints: {
    /** Every client: an app's endpoint (signals that share its settings are one), an exporter's endpoint entry. */
    total: number;
    /** Those that pair with at least one listener of the checked files. */
    paired: number;
    notPaired: number;
    /** The unpaired ones by why. */
    notPairedWhy: Record<string, number>;
  };
  handshakes: {
    /** A client against one listener, judged: by verdict. */
    predicted: number;
    succeed: number;
    withWarnings: number;
    fail: number;
    /** A client against one listener, not (fully) judged, by why. */
    notPredicted: number;
    notPredictedWhy: Record<string, number>;
  };
}

export const FILE_KINDS: Record<string, string> = {
  collectorYaml: 'collector config',
  envFile: 'env file',
  kubernetesManifest: 'Kubernetes manifest',
  helmValues: 'Helm values file',
  compose: 'compose file',
  dockerfile: 'Dockerfile',
  propertiesFile: 'properties file',
  declarativeConfig: 'declarative SDK config',
};

export const NOTHING_TO_CHECK = 'nothing to check';

export function coverage(files: readonly CheckedFile[], map: TlsMap): Coverage {
  const byKind: Record<string, number> = {};
  for (const file of files) {
    const kind = file.notRead ? 'not read' : file.projectConfig ? 'project config' : file.source && file.hasUnits ? (FILE_KINDS[file.source] ?? file.source) : NOTHING_TO_CHECK;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  // Edges of one client (same node, same client setting and place) are one endpoint.
  const clients = new Map<string, { paired: boolean; why: string[] }>();
  const handshakes: Coverage['handshakes'] = { predicted: 0, succeed: 0, withWarnings: 0, fail: 0, notPredicted: 0, notPredictedWhy: {} };
  for (const edge of map.edges) {
    const at = edge.client.location;
    const key = `${edge.from}\0${edge.client.label}\0${at.path}:${at.range.start.line}:${at.range.start.character}`;
    const client = clients.get(key) ?? { paired: false, why: [] };
    clients.set(key, client);
    if (!edge.listener) {
      client.why.push(edge.why ?? 'not paired');
      continue;
    }
    client.paired = true;
    if (edge.verdict === 'unknown') {
      handshakes.notPredicted++;
      const why = edge.why ?? 'not judged';
      handshakes.notPredictedWhy[why] = (handshakes.notPredictedWhy[why] ?? 0) + 1;
      continue;
    }
    handshakes.predicted++;
    if (edge.verdict === 'ok') handshakes.succeed++;
    else if (edge.verdict === 'warning') handshakes.withWarnings++;
    else handshakes.fail++;
  }
  const notPairedWhy: Record<string, number> = {};
  let paired = 0;
  for (const client of clients.values()) {
    if (client.paired) {
      paired++;
      continue;
    }
    const why = client.why[0] ?? 'not paired';
    notPairedWhy[why] = (notPairedWhy[why] ?? 0) + 1;
  }
  return {
    files: { checked: files.length, byKind },
    endpoints: { total: clients.size, paired, notPaired: clients.size - paired, notPairedWhy },
    handshakes,
  };
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;
const counted = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([what, n]) => `${what}: ${n}`)
    .join('; ');

/** The coverage as lines of text (the CLI prints them before its count of problems). */
export function coverageLines(c: Coverage): string[] {
  const kinds = Object.entries(c.files.byKind)
    .sort(([a, x], [b, y]) => (a === NOTHING_TO_CHECK ? 1 : 0) - (b === NOTHING_TO_CHECK ? 1 : 0) || y - x || a.localeCompare(b))
    .map(([kind, n]) => (kind === NOTHING_TO_CHECK || kind === 'not read' ? `${n} ${kind}` : plural(n, kind, kind.endsWith('s') ? kind : `${kind}s`)))
    .join(', ');
  const lines = [`Checked ${plural(c.files.checked, 'file')}${c.files.checked ? `: ${kinds}` : ''}.`];
  const e = c.endpoints;
  const h = c.handshakes;
  if (e.total === 0) {
    lines.push('Endpoints: none found, so no handshake was predicted.');
    return lines;
  }
  const verdicts = [h.succeed && `${h.succeed} succeed${h.succeed === 1 ? 's' : ''}`, h.withWarnings && `${h.withWarnings} with warnings`, h.fail && `${h.fail} fail${h.fail === 1 ? 's' : ''}`].filter(Boolean).join(', ');
  const parts = [`${e.paired} paired with a listener`];
  if (e.notPaired) parts.push(`${e.notPaired} not paired (${counted(e.notPairedWhy)})`);
  lines.push(`Endpoints: ${e.total}, ${parts.join(', ')}.`);
  if (e.paired) {
    const predicted = `Handshakes: ${h.predicted} predicted${h.predicted ? ` (${verdicts})` : ''}`;
    lines.push(h.notPredicted ? `${predicted}; ${h.notPredicted} not predicted (${counted(h.notPredictedWhy)}).` : `${predicted}.`);
  }
  return lines;
}

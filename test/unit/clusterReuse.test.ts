/**
 * The cluster index after an edit (model/cluster.ts createClusterIndex's `previous`): each kind of object whose
 * answers would print the same keeps the last index's token, so what the checks asked about it stands without
 * being asked again (checkCache.ts recordingCluster), and an edit of that kind changes its token; a Secret's or
 * ConfigMap's questions by name stand on a token per name (ClusterIndex.named), changed only by an edit of the objects
 * with that name. After every
 * edit each file's diagnostics equal a fresh service's, and differ from the last ones (the edit is seen).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVirtualCache } from '../../server/src/service/certificates/virtualCertificates';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import type { ClusterKind, NamedKind } from '../../server/src/service/model/cluster';
import { hasUnits, type ParsedFile } from '../../server/src/service/model/units';
import { emptyWorkspace, type WorkspaceIndex } from '../../server/src/service/model/workspace';
import { defaultSettings } from '../../server/src/service/settings';
import { NS } from '../support/clusterManifests';
import { devPki, PKI_NOW } from '../support/devPki';
import { AGENT, GATEWAY, agentManifest, gatewayManifest } from '../support/manifestIncremental';
import { memoryRuntime } from '../support/memoryRuntime';

const KINDS: ClusterKind[] = ['certificates', 'issuers', 'secrets', 'configMaps', 'services', 'workloads'];
/** Names of Secrets and ConfigMaps whose tokens are followed (ClusterIndex.named): the fixtures' own, one a rename gives, one no object has. */
const NAMES: [NamedKind, string][] = [
  ['configMaps', 'gateway-config'],
  ['configMaps', 'agent-notes'],
  ['configMaps', 'nowhere'],
  ['secrets', 'gateway-tls'],
  ['secrets', 'gateway-certs'],
  ['secrets', 'nowhere'],
];
const shown = (p: Problem) => JSON.stringify({ code: p.code, offset: p.offset, length: p.length, message: p.message, severity: p.severity, related: p.related, data: p.data });

function replace(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the edit found no ${from}`);
  return text.replace(from, to);
}

describe('the cluster index after an edit', () => {
  it('keeps the tokens of the kinds of object an edit left as they were, and every diagnostic equals a fresh service', async () => {
    const pki = await devPki();
    const runtime = memoryRuntime({ now: new Date(PKI_NOW.getTime() + 30 * 86_400_000) });
    const settings = { ...defaultSettings, workspaceRoots: ['/w'] };
    const virtualCache = createVirtualCache();
    const texts = new Map<string, string>([
      [GATEWAY, gatewayManifest(pki)],
      [AGENT, agentManifest()],
    ]);
    let index: WorkspaceIndex = emptyWorkspace;
    const service = getLanguageService({ runtime, settings, workspace: () => index, virtualCache });
    const parsed = new Map<string, ParsedFile>();
    const validate = (of: LanguageService, files: Map<string, ParsedFile>) => new Map([...texts].map(([path, text]) => [path, of.validate({ path, text }, files.get(path)).map(shown)]));
    /** The long-lived service after the texts changed (the index made from the last one, as the server does), checked against a fresh one. */
    const step = (label: string) => {
      for (const [path, text] of texts) if (parsed.get(path)?.text !== text) parsed.set(path, service.parse({ path, text }));
      index = service.workspaceIndex([...parsed.values()].filter(hasUnits), index === emptyWorkspace ? undefined : index);
      const incremental = validate(service, parsed);
      let freshIndex: WorkspaceIndex = emptyWorkspace;
      const fresh = getLanguageService({ runtime, settings, workspace: () => freshIndex, virtualCache });
      const freshParsed = new Map([...texts].map(([path, text]) => [path, fresh.parse({ path, text })]));
      freshIndex = fresh.workspaceIndex([...freshParsed.values()].filter(hasUnits));
      const scratch = validate(fresh, freshParsed);
      for (const path of texts.keys()) assert.deepEqual(incremental.get(path), scratch.get(path), `${path} after ${label}`);
      const cluster = index.cluster();
      return { problems: incremental, answers: cluster.answers!, named: NAMES.map(([kind, name]) => cluster.named!(kind, name)) };
    };
    let last = step('start');
    assert.ok(last.answers, 'the cluster index has tokens');
    const edits: { what: string; path: string; edit: (text: string) => string; changes: ClusterKind[]; names?: string[] }[] = [
      { what: "a value inside the ConfigMap's collector config", path: GATEWAY, edit: (t) => replace(t, 'min_version: "1.2"', 'min_version: "1.7"'), changes: ['configMaps'], names: ['configMaps gateway-config'] },
      { what: 'the same value back', path: GATEWAY, edit: (t) => replace(t, 'min_version: "1.7"', 'min_version: "1.2"'), changes: ['configMaps'], names: ['configMaps gateway-config'] },
      { what: "a Service's port", path: GATEWAY, edit: (t) => replace(t, '      port: 4317\n      targetPort: otlp-grpc', '      port: 4318\n      targetPort: otlp-grpc'), changes: ['services'] },
      { what: "a Secret's name", path: GATEWAY, edit: (t) => replace(t, 'kind: Secret\nmetadata:\n  name: gateway-tls', 'kind: Secret\nmetadata:\n  name: gateway-certs'), changes: ['secrets'], names: ['secrets gateway-tls', 'secrets gateway-certs'] },
      { what: "a Certificate's dnsNames", path: AGENT, edit: (t) => replace(t, `    - otel-agent.${NS}.svc\n`, `    - agent.${NS}.svc\n`), changes: ['certificates'] },
      { what: "a workload's env", path: GATEWAY, edit: (t) => replace(t, '            - name: OTEL_COLLECTOR_HOST\n              value: collector', '            - name: OTEL_COLLECTOR_HOST\n              value: gateway'), changes: ['workloads'] },
    ];
    for (const { what, path, edit, changes, names = [] } of edits) {
      texts.set(path, edit(texts.get(path)!));
      const next = step(what);
      assert.notDeepEqual(next.problems.get(path), last.problems.get(path), `the diagnostics of ${path} show ${what}`);
      for (const kind of KINDS) {
        if (changes.includes(kind)) assert.notEqual(next.answers[kind], last.answers[kind], `${what}: the ${kind} token changes`);
        else assert.equal(next.answers[kind], last.answers[kind], `${what}: the ${kind} token is kept`);
      }
      // Per name: only the objects the edit changed (a name no object has keeps the token of every such name).
      NAMES.forEach(([kind, name], i) => {
        if (names.includes(`${kind} ${name}`)) assert.notEqual(next.named[i], last.named[i], `${what}: the token of ${kind} named ${name} changes`);
        else assert.equal(next.named[i], last.named[i], `${what}: the token of ${kind} named ${name} is kept`);
      });
      last = next;
    }
  });
});

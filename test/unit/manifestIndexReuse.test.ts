/**
 * The workspace index survives an edit of a Kubernetes manifest that changes none of its answers (model/workspace.ts
 * createWorkspaceIndex's `previous`, issue 10): an edit inside a ConfigMap's collector config away from its OTLP
 * listeners, or of a Secret's data, gives an index that shares the last one's answers, so kept check results are not
 * asked again; what a check asked of the cluster index (a Secret's keys) is still asked again when its kind of object
 * changed (checkCache.ts: a set of questions stands on the tokens of its cluster kinds too, and a cut unit's kept lists
 * as well: languageService.ts scopeRuns). An edit of a listener, of an app's document, or that moves the lines of the
 * documents below it gives new answers. After every edit each file's problems equal those of a new service that reads
 * everything afresh, and the edit is seen.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVirtualCache } from '../../server/src/service/certificates/virtualCertificates';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import { hasUnits, type ParsedFile } from '../../server/src/service/model/units';
import { emptyWorkspace, type WorkspaceIndex } from '../../server/src/service/model/workspace';
import { defaultSettings } from '../../server/src/service/settings';
import { devPki, PKI_NOW } from '../support/devPki';
import { AGENT, GATEWAY, agentManifest, gatewayManifest } from '../support/manifestIncremental';
import { memoryRuntime } from '../support/memoryRuntime';

const shown = (p: Problem) => JSON.stringify({ code: p.code, offset: p.offset, length: p.length, message: p.message, severity: p.severity, related: p.related, data: p.data });
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('the workspace index survives a manifest edit that changes none of its answers', () => {
  it('shares its answers after an edit of a ConfigMap config or a Secret, asks the cluster again, and equals a fresh service', async () => {
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
    let raw: Problem[] = [];
    const validate = (of: LanguageService, files: Map<string, ParsedFile>) =>
      new Map(
        [...texts].map(([path, text]) => {
          const problems = of.validate({ path, text }, files.get(path));
          if (of === service && path === GATEWAY) raw = problems;
          return [path, problems.map(shown)];
        }),
      );
    /** The long-lived service after the texts changed (the index made from the last one, as the server does), checked against a fresh one. */
    const step = (label: string): Map<string, string[]> => {
      for (const [path, text] of texts) if (parsed.get(path)?.text !== text) parsed.set(path, service.parse({ path, text }));
      index = service.workspaceIndex([...parsed.values()].filter(hasUnits), index === emptyWorkspace ? undefined : index);
      const incremental = validate(service, parsed);
      let freshIndex: WorkspaceIndex = emptyWorkspace;
      const fresh = getLanguageService({ runtime, settings, workspace: () => freshIndex, virtualCache });
      const freshParsed = new Map([...texts].map(([path, text]) => [path, fresh.parse({ path, text })]));
      freshIndex = fresh.workspaceIndex([...freshParsed.values()].filter(hasUnits));
      const scratch = validate(fresh, freshParsed);
      for (const path of texts.keys()) assert.deepEqual(incremental.get(path), scratch.get(path), `${path} after ${label}`);
      return incremental;
    };
    let last = step('start');
    const edit = (from: string, to: string, label: string, expect: 'shared' | 'new', seen = true): Map<string, string[]> => {
      const before = index;
      const text = texts.get(GATEWAY)!;
      assert.ok(text.includes(from), `${label}: the edit found no ${from}`);
      texts.set(GATEWAY, text.replace(from, to));
      const problems = step(label);
      if (expect === 'shared') assert.equal(index.answers, before.answers, `${label}: the index shares the last one's answers`);
      else assert.notEqual(index.answers, before.answers, `${label}: the index has new answers`);
      if (seen) assert.notDeepEqual(problems.get(GATEWAY), last.get(GATEWAY), `${label}: the diagnostics show the edit`);
      last = problems;
      return problems;
    };
    // Warm: every kept result made once and validated again against an index that shares the answers.
    edit('# The gateway:', '# The gateway now:', 'a comment above everything (same lines)', 'shared', false);

    // Inside the ConfigMap's collector config, in the exporter (no listener there): same length, then longer, then back.
    edit('          insecure_skip_verify: true', '          insecure_skip_verify: yes', "the exporter's insecure_skip_verify as yes", 'shared');
    const beforeOff = raw;
    edit('          insecure_skip_verify: yes', '          insecure_skip_verify: false', "the exporter's insecure_skip_verify off", 'shared');
    // The ConfigMap's unit is made anew (its document was parsed again), but its problems above the edit are where they
    // were: the same objects (languageService.ts placedInFile), so the server publishes the same diagnostics again.
    const at = texts.get(GATEWAY)!.indexOf('insecure_skip_verify: false');
    // (The checks of the whole unit, pairing and handshake, run again: the unit's check key is new with its document.)
    const perComponent = new Set(['mtls-not-enforced', 'file-not-found']);
    const above = beforeOff.filter((p) => p.offset < at && p.message.startsWith('ConfigMap') && perComponent.has(p.code));
    assert.ok(above.length >= 3, `per-component problems of the ConfigMap above the edit: ${above.length}`);
    for (const p of above) assert.ok(raw.includes(p), `kept as the same object: ${p.code} at ${p.offset}`);
    edit('          insecure_skip_verify: false', '          insecure_skip_verify: true', "the exporter's insecure_skip_verify back", 'shared');

    // The Secret's ca.crt the apps trust: another certificate, the same line count. The apps and collectors answer alike,
    // but what their checks asked of the cluster (the Secret's keys) changed: they are judged again.
    const caLine = `  ca.crt: ${base64(pki['ca.crt'])}`;
    const trusted = last.get(GATEWAY)!;
    const wrongCa = edit(caLine, `  ca.crt: ${base64(pki['client.crt'])}`, "the Secret's ca.crt another certificate", 'shared');
    assert.notDeepEqual(wrongCa.get(GATEWAY), trusted);
    assert.deepEqual(edit(`  ca.crt: ${base64(pki['client.crt'])}`, caLine, "the Secret's ca.crt back", 'shared').get(GATEWAY), trusted);

    // A listener's tls block: a new listener object, new answers.
    edit('              min_version: "1.2"', '              min_version: "1.7"', "the gRPC listener's min_version", 'new');
    edit('              min_version: "1.7"', '              min_version: "1.2"', "the gRPC listener's min_version back", 'new');
    // A line added in the exporter: the documents below move a line (the apps' lines move): new answers.
    edit('          insecure_skip_verify: true\n', '          insecure_skip_verify: true\n          # checked\n', 'a line added in the exporter', 'new', false);
    edit('          insecure_skip_verify: true\n          # checked\n', '          insecure_skip_verify: true\n', 'and removed', 'new', false);
    // A line added above the ConfigMap (in the Secret): its listeners and the apps move a line (the apps' problems
    // point at the listener's lines): new answers. And a character above them that becomes a line break.
    edit('type: kubernetes.io/tls\n', 'type: kubernetes.io/tls\n# a line\n', 'a line added above the ConfigMap', 'new');
    edit('type: kubernetes.io/tls\n# a line\n', 'type: kubernetes.io/tls\n', 'and removed', 'new');
    edit('# The gateway now:', '#\nThe gateway now:', 'a character above everything made a line break (same offsets)', 'new', false);
    edit('#\nThe gateway now:', '# The gateway now:', 'and back', 'new', false);
    // An app's document: its units are new, new answers.
    edit('value: https://collector:4317', 'value: https://collector:4318', "an app's endpoint port", 'new');
    edit('value: https://collector:4318', 'value: https://collector:4317', "an app's endpoint port back", 'new');
    // After all that, an edit that answers alike is shared again.
    edit('          insecure_skip_verify: true', '          insecure_skip_verify: false', "the exporter's insecure_skip_verify off again", 'shared');
  });
});

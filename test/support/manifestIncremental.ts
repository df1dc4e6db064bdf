/**
 * Incremental validation of multi-document manifests must equal a fresh one (issue 10: an edit of one
 * document re-checks only what it changed). One long-lived language service follows a series of edits of a
 * workspace of two manifests that depend on each other's documents:
 * - /w/k8s/gateway.yaml: a Secret with the gateway's certificate and key (PEM, base64), the gateway's
 *   ConfigMap (its collector config reads them from the Secret's mount), its Deployment (mounts both; its pod
 *   labels and named port), its Service (`collector`), and apps that dial the Service by its names (one the
 *   certificate covers, one it does not) and trust the Secret's ca.crt;
 * - /w/k8s/agent.yaml: cert-manager's CA bootstrap, an agent collector whose certificate a Certificate
 *   issues, and an app that dials the agent (test/support/clusterManifests.ts).
 * Each edit is aimed at a dependency between documents (an edit inside one document; a Secret's key, a
 * Service's name or port that other documents' units read; a ConfigMap's mount; a whole document inserted,
 * deleted, moved; lines and characters inserted above other documents, so their offsets, lines or both move),
 * and random ones follow. After every edit each file's whole diagnostics list (code, offsets, message,
 * severity, related locations, data) and the TLS map equal those of a new service that reads everything afresh.
 */
import assert from 'node:assert/strict';
import { createVirtualCache } from '../../server/src/service/certificates/virtualCertificates';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/languageTypes';
import { hasUnits, type ParsedFile } from '../../server/src/service/model/units';
import { emptyWorkspace, type WorkspaceIndex } from '../../server/src/service/model/workspace';
import { defaultSettings } from '../../server/src/service/settings';
import { NS, app, caBootstrap, certificate, collector } from './clusterManifests';
import { devPki, PKI_NOW } from './devPki';
import { memoryRuntime } from './memoryRuntime';

export const GATEWAY = '/w/k8s/gateway.yaml';
export const AGENT = '/w/k8s/agent.yaml';

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** The gateway manifest: Secret, ConfigMap, Deployment, Service and two apps, each a document. */
export function gatewayManifest(pki: Record<string, string>): string {
  return `# The gateway: its certificate, config, pods and Service, and the apps that export to it.
apiVersion: v1
kind: Secret
metadata:
  name: gateway-tls
  namespace: ${NS}
type: kubernetes.io/tls
data:
  tls.crt: ${base64(pki['server.crt'])}
  tls.key: ${base64(pki['server.key'])}
  ca.crt: ${base64(pki['ca.crt'])}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: gateway-config
  namespace: ${NS}
data:
  relay: |
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: 0.0.0.0:4317
            tls:
              cert_file: /etc/otel/certs/tls.crt
              key_file: /etc/otel/certs/tls.key
              min_version: "1.2"
          http:
            endpoint: 0.0.0.0:4318
            tls:
              cert_file: /etc/otel/certs/tls.crt
              key_file: /etc/otel/certs/missing.key
    exporters:
      otlp/backend:
        endpoint: backend.example.com:4317
        tls:
          ca_file: /etc/otel/certs/ca.crt
          insecure_skip_verify: true
    service:
      pipelines:
        traces:
          receivers: [otlp]
          exporters: [otlp/backend]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
  namespace: ${NS}
spec:
  selector:
    matchLabels:
      app: gateway
  template:
    metadata:
      labels:
        app: gateway
    spec:
      containers:
        - name: otelcol
          image: otel/opentelemetry-collector-contrib
          ports:
            - name: otlp-grpc
              containerPort: 4317
          volumeMounts:
            - name: config
              mountPath: /conf
            - name: certs
              mountPath: /etc/otel/certs
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: gateway-config
        - name: certs
          secret:
            secretName: gateway-tls
---
apiVersion: v1
kind: Service
metadata:
  name: collector
  namespace: ${NS}
spec:
  selector:
    app: gateway
  ports:
    - name: otlp-grpc
      port: 4317
      targetPort: otlp-grpc
---
${app({ host: 'collector', secret: 'gateway-tls', name: 'shop' })}---
${app({ host: `collector.${NS}.svc`, secret: 'gateway-tls', name: 'billing', mtls: true })}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: ${NS}
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: OTEL_COLLECTOR_HOST
              value: collector
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: http://$(OTEL_COLLECTOR_HOST):4317
            - name: OTEL_EXPORTER_OTLP_CERTIFICATE
              value: /etc/app/tls/ca.crt
            - name: OTEL_EXPORTER_OTLP_HEADERS
              valueFrom:
                secretKeyRef:
                  name: otel-headers
                  key: headers
`;
}

/** The agent manifest: cert-manager's CA, a ConfigMap nothing reads, an agent whose certificate a Certificate issues, and an app dialing it. */
export function agentManifest(): string {
  return `${caBootstrap()}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: agent-notes
data:
  note: first
---
${certificate('otel-agent', { dnsNames: [`otel-agent.${NS}.svc`] })}${collector({ name: 'otel-agent', secret: 'otel-agent-tls' })}---
${app({ host: `otel-agent.${NS}.svc`, secret: 'otel-agent-tls', name: 'orders' })}`;
}

const shown = (p: Problem) => JSON.stringify({ code: p.code, offset: p.offset, length: p.length, message: p.message, severity: p.severity, related: p.related, data: p.data });

/** Every file parsed with `service`, indexed as the server does (from `previous`, the last index, when given), and validated. */
function validateAll(service: LanguageService, texts: Map<string, string>, setIndex: (index: WorkspaceIndex) => void, parsedCache?: Map<string, ParsedFile>, previous?: WorkspaceIndex): Map<string, string[]> {
  const parsed = new Map<string, ParsedFile>();
  for (const [path, text] of texts) {
    const known = parsedCache?.get(path);
    const file = known && known.text === text ? known : service.parse({ path, text });
    parsed.set(path, file);
    parsedCache?.set(path, file);
  }
  setIndex(service.workspaceIndex([...parsed.values()].filter(hasUnits), previous));
  const out = new Map<string, string[]>();
  for (const [path, text] of texts) out.set(path, service.validate({ path, text }, parsed.get(path)).map(shown));
  return out;
}

/** `text` with `from` replaced by `to`, which must be there (a targeted edit that finds nothing is a broken test). */
function replace(text: string, from: string | RegExp, to: string): string {
  const after = text.replace(from, to);
  assert.notEqual(after, text, `the edit found no ${String(from)}`);
  return after;
}

/** The documents of a manifest (split at `---` lines), and back. */
const documents = (text: string) => text.split(/^---\n/m);
const joined = (docs: string[]) => docs.join('---\n');

/**
 * Edits aimed at what one document's units read of the others, each a function of the workspace's texts
 * (the gateway manifest unless it says otherwise); some undo an earlier one.
 */
export const MANIFEST_EDITS: { what: string; file?: string; edit: (text: string) => string }[] = [
  { what: 'a value inside a ConfigMap block scalar (same length)', edit: (t) => replace(t, 'min_version: "1.2"', 'min_version: "1.7"') },
  { what: 'a line added inside the ConfigMap, moving the documents below it', edit: (t) => replace(t, '    exporters:\n      otlp/backend:', '    exporters:\n      otlp/extra:\n        endpoint: collector:4317\n      otlp/backend:') },
  { what: "the Secret's key the collector reads renamed", edit: (t) => replace(t, '  tls.crt: ', '  tls.cert: ') },
  { what: "the Secret's ca.crt the apps trust removed", edit: (t) => replace(t, /\n {2}ca\.crt: [^\n]*/, '') },
  { what: 'the Secret restored', edit: (t) => replace(replace(t, '  tls.cert: ', '  tls.crt: '), /(\n {2}tls\.key: [^\n]*)/, `$1\n  ca.crt: ${base64(PKI_CA)}`) },
  { what: "the Service's port changed", edit: (t) => replace(t, '      port: 4317\n      targetPort: otlp-grpc', '      port: 4318\n      targetPort: otlp-grpc') },
  { what: 'the Service renamed', edit: (t) => replace(t, 'kind: Service\nmetadata:\n  name: collector', 'kind: Service\nmetadata:\n  name: gateway') },
  { what: 'the Service back', edit: (t) => replace(replace(t, 'kind: Service\nmetadata:\n  name: gateway', 'kind: Service\nmetadata:\n  name: collector'), '      port: 4318\n      targetPort: otlp-grpc', '      port: 4317\n      targetPort: otlp-grpc') },
  { what: "the pod's port name the Service targets changed", edit: (t) => replace(t, '            - name: otlp-grpc\n              containerPort: 4317', '            - name: grpc\n              containerPort: 4317') },
  { what: "the pod's port name back", edit: (t) => replace(t, '            - name: grpc\n              containerPort: 4317', '            - name: otlp-grpc\n              containerPort: 4317') },
  { what: 'the ConfigMap no longer mounted by the gateway', edit: (t) => replace(t, '            name: gateway-config', '            name: other-config') },
  { what: 'the ConfigMap mounted again', edit: (t) => replace(t, '            name: other-config', '            name: gateway-config') },
  { what: "the gateway's Secret mount moved", edit: (t) => replace(t, '              mountPath: /etc/otel/certs\n', '              mountPath: /etc/otel/tls\n') },
  { what: 'and back', edit: (t) => replace(t, '              mountPath: /etc/otel/tls\n', '              mountPath: /etc/otel/certs\n') },
  { what: 'a comment line at the top (every document moves by a line)', edit: (t) => `# rendered by helm\n${t}` },
  { what: 'one character typed in the first document (offsets move, lines stay)', edit: (t) => replace(t, 'name: gateway-tls\n  namespace', 'name: gateway-tlsx\n  namespace') },
  { what: 'and deleted', edit: (t) => replace(t, 'name: gateway-tlsx\n', 'name: gateway-tls\n') },
  { what: 'a same-length edit above that adds a line (offsets stay, lines move)', edit: (t) => replace(t, '# rendered by helm\n', '# rendered by\n\n') },
  { what: 'a whole document inserted at the top (indices, offsets and lines move)', edit: (t) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n---\n${t}` },
  { what: 'the billing app deleted', edit: (t) => joined(documents(t).filter((d) => !d.includes('name: billing'))) },
  { what: 'the Service moved to the end of the file', edit: (t) => { const docs = documents(t); const i = docs.findIndex((d) => d.includes('kind: Service')); const [service] = docs.splice(i, 1); return joined([...docs, service.endsWith('\n') ? service : `${service}\n`]); } },
  { what: "an app's endpoint port changed", edit: (t) => replace(t, 'value: https://collector:4317', 'value: https://collector:4318') },
  { what: 'a namespace added to the Secret... in another namespace', edit: (t) => replace(t, `name: gateway-tls\n  namespace: ${NS}`, 'name: gateway-tls\n  namespace: other') },
  { what: 'the Secret back in its namespace', edit: (t) => replace(t, 'name: gateway-tls\n  namespace: other', `name: gateway-tls\n  namespace: ${NS}`) },
  { what: 'the Secret renamed (the mount and the apps name the old one)', edit: (t) => replace(t, 'kind: Secret\nmetadata:\n  name: gateway-tls', 'kind: Secret\nmetadata:\n  name: gateway-certs') },
  { what: 'the Secret named back', edit: (t) => replace(t, 'kind: Secret\nmetadata:\n  name: gateway-certs', 'kind: Secret\nmetadata:\n  name: gateway-tls') },
  { what: "a workload's env changed (the cart's endpoint host)", edit: (t) => replace(t, '            - name: OTEL_COLLECTOR_HOST\n              value: collector', '            - name: OTEL_COLLECTOR_HOST\n              value: gateway') },
  { what: 'a YAML syntax error in one document', edit: (t) => replace(t, 'kind: Deployment\nmetadata:\n  name: cart', 'kind: Deployment\nmetadata:\n  name: [cart') },
  { what: 'the syntax error fixed', edit: (t) => replace(t, 'name: [cart', 'name: cart') },
  { what: 'a comment line at the top of the agent file (the Certificates other documents read move a line)', file: AGENT, edit: (t) => `# cert-manager and the agent\n${t}` },
  { what: 'a line added inside the first document of the agent file', file: AGENT, edit: (t) => replace(t, 'spec:\n  selfSigned: {}', 'spec:\n  # bootstrap\n  selfSigned: {}') },
  { what: 'a line added in a document nothing reads, above the Certificate other documents read (it moves a line)', file: AGENT, edit: (t) => replace(t, '  note: first\n', '  note: first\n  more: second\n') },
  { what: 'a character typed there (the documents below move, their lines stay)', file: AGENT, edit: (t) => replace(t, '  more: second\n', '  more: seconds\n') },
  // The gateway file is not edited: its units are the same objects, and their kept lists (languageService.ts unitRuns) must
  // not stand on an index whose answers changed (the gateway's exporter pairs with the agent's receiver).
  { what: "the agent receiver's certificate file changed (the gateway's exporter, in a file not edited, pairs with it)", file: AGENT, edit: (t) => replace(t, '              cert_file: /etc/otel/certs/tls.crt\n', '              cert_file: /etc/otel/certs/other.crt\n') },
  { what: 'and back', file: AGENT, edit: (t) => replace(t, '              cert_file: /etc/otel/certs/other.crt\n', '              cert_file: /etc/otel/certs/tls.crt\n') },
  { what: "the agent Certificate's DNS name changed", file: AGENT, edit: (t) => replace(t, `    - otel-agent.${NS}.svc\n`, `    - agent.${NS}.svc\n`) },
  { what: 'a document of the agent file deleted (the CA ClusterIssuer)', file: AGENT, edit: (t) => joined(documents(t).filter((d) => !/kind: ClusterIssuer\nmetadata:\n {2}name: internal-ca/.test(d))) },
  // What a ConfigMap's units read of the other documents (its mounting container) is kept with its document while the
  // file's workloads are the same pod templates (kubernetesManifest.ts outsideFrom): a workload added or removed elsewhere
  // changes it, and the ConfigMap's document, not edited, is read again.
  { what: "a second workload that mounts the ConfigMap inserted before the gateway's (the ConfigMap's container changes, its document is not edited)", edit: (t) => { const docs = documents(t); const at = docs.findIndex((d) => d.includes('kind: Deployment\nmetadata:\n  name: gateway\n')); assert.ok(at > 0, 'no gateway Deployment'); docs.splice(at, 0, RELAY); return joined(docs); } },
  { what: 'a value inside the ConfigMap block scalar then', edit: (t) => (t.includes('min_version: "1.7"') ? replace(t, 'min_version: "1.7"', 'min_version: "1.2"') : replace(t, 'min_version: "1.2"', 'min_version: "1.7"')) },
  { what: 'the second workload deleted', edit: (t) => { const docs = documents(t).filter((d) => d !== RELAY); assert.ok(docs.length < documents(t).length, 'no relay Deployment'); return joined(docs); } },
  { what: 'a document inserted in the middle of the agent file', file: AGENT, edit: (t) => { const docs = documents(t); docs.splice(2, 0, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unrelated\ndata:\n  key: value\n`); return joined(docs); } },
];

let PKI_CA = '';

/** A workload that mounts the gateway's ConfigMap but not its certificates. */
const RELAY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: relay
  namespace: ${NS}
spec:
  template:
    spec:
      containers:
        - name: relay
          volumeMounts:
            - name: config
              mountPath: /relay-conf
      volumes:
        - name: config
          configMap:
            name: gateway-config
`;

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** One random edit of a manifest: a line changed, added, removed, copied or moved, a document marker, a character typed or deleted. */
function randomEdit(text: string, next: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(next() * lines.length);
  switch (Math.floor(next() * 8)) {
    case 0:
      lines[at] = lines[at].replace(/4317|4318|"1\.2"|"1\.7"/, (v) => ({ '4317': '4318', '4318': '4317', '"1.2"': '"1.7"', '"1.7"': '"1.2"' })[v]!);
      break;
    case 1:
      lines.splice(at, 1);
      break;
    case 2:
      lines.splice(at, 0, lines[Math.floor(next() * lines.length)]);
      break;
    case 3:
      lines.splice(at, 0, next() < 0.5 ? '---' : '# a comment');
      break;
    case 4: {
      const offset = Math.floor(next() * (text.length + 1));
      return text.slice(0, offset) + 'a :-\n#"'[Math.floor(next() * 7)] + text.slice(offset);
    }
    case 5: {
      const offset = Math.floor(next() * text.length);
      return text.slice(0, offset) + text.slice(offset + 1);
    }
    case 6: {
      // A whole document moved elsewhere.
      const docs = documents(text);
      if (docs.length < 3) break;
      const [doc] = docs.splice(Math.floor(next() * docs.length), 1);
      docs.splice(Math.floor(next() * docs.length), 0, doc.endsWith('\n') ? doc : `${doc}\n`);
      return joined(docs);
    }
    default:
      lines[at] = lines[at].replace(/^(\s*)(\S)/, '$1 $2');
  }
  return lines.join('\n');
}

/**
 * The targeted edits (MANIFEST_EDITS), then `count` random ones of either file, each compared with a fresh
 * service. `onlyTargeted` stops after the targeted ones.
 */
export async function manifestEdits(count: number, seed: number): Promise<void> {
  const pki = await devPki();
  PKI_CA = pki['ca.crt'];
  const runtime = memoryRuntime({ now: new Date(PKI_NOW.getTime() + 30 * 86_400_000) });
  const settings = { ...defaultSettings, workspaceRoots: ['/w'] };
  // What cert-manager will issue is made once for both services (its keys are costly; it depends on the manifests only).
  const virtualCache = createVirtualCache();
  let index: WorkspaceIndex = emptyWorkspace;
  const service = getLanguageService({ runtime, settings, workspace: () => index, virtualCache });
  const parsedCache = new Map<string, ParsedFile>();
  const texts = new Map<string, string>([
    [GATEWAY, gatewayManifest(pki)],
    [AGENT, agentManifest()],
  ]);
  const compare = (label: string) => {
    const incremental = validateAll(service, texts, (i) => (index = i), parsedCache, index === emptyWorkspace ? undefined : index);
    let freshIndex: WorkspaceIndex = emptyWorkspace;
    const fresh = getLanguageService({ runtime, settings, workspace: () => freshIndex, virtualCache });
    const scratch = validateAll(fresh, texts, (i) => (freshIndex = i));
    for (const path of texts.keys()) assert.deepEqual(incremental.get(path), scratch.get(path), `${path} after ${label}`);
    assert.deepEqual(JSON.parse(JSON.stringify(service.tlsMap())), JSON.parse(JSON.stringify(fresh.tlsMap())), `the TLS map after ${label}`);
    return scratch;
  };
  const first = compare('start');
  // The workspace says what the edits are about: the gateway's pairing, the SAN check, the Secret's keys.
  const all = [...first.values()].flat().join('\n');
  for (const code of ['san-mismatch', 'insecure-skip-verify', 'container-path', 'plaintext-endpoint']) assert.match(all, new RegExp(`"code":"${code}"`), `the workspace has no ${code} to follow`);
  for (const { what, file, edit } of MANIFEST_EDITS) {
    const path = file ?? GATEWAY;
    texts.set(path, edit(texts.get(path)!));
    compare(`"${what}"`);
  }
  const next = random(seed);
  for (let i = 0; i < count; i++) {
    const path = next() < 0.7 ? GATEWAY : AGENT;
    texts.set(path, randomEdit(texts.get(path)!, next));
    compare(`random edit ${i} of ${path} (seed ${seed})`);
  }
}

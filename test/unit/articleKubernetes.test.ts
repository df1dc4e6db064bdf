/**
 * The article's Kubernetes section (../shared/reference/otlp-tls-article.md, "Certificate Rotation in
 * Kubernetes") with the product: its cert-manager Certificate, its collector config and its SDK settings,
 * as the article gives them (test/support/articleCertificates.ts holds them verbatim; the first test proves
 * it against the article when ../shared is beside the repository), deployed as the article says: "Mount
 * the resulting secret into the collector pod", the app dialling the Service. The article gives no
 * Deployment, Service or ClusterIssuer: the glue here is the least a cluster needs, and each test says what
 * it adds. The whole list of diagnostics of every file is asserted: the article's own slips are found
 * (the config names server.crt where cert-manager writes tls.crt; no reload_interval although the article
 * says to reload; the troubleshooting section's otel-collector:4317), and nothing false is said.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { severityName, toDiagnostic } from '../../server/src/service/diagnostics';
import { workspaceOf } from '../support/check';
import { memoryRuntime } from '../support/memoryRuntime';
import { applied } from '../support/features';
import { caBootstrap } from '../support/clusterManifests';
import { ARTICLE_CERTIFICATE, ARTICLE_COLLECTOR_CONFIG, ARTICLE_JAVA_COMMAND, ARTICLE_MISMATCH_HOST, ARTICLE_NODE_ENV } from '../support/articleCertificates';
import { AS_FILES, CLIENT_CERTIFICATE, JAVA_COMMAND, JAVA_OPTIONS, app, deployment, projected, whole } from '../support/articleManifests';
import { createVirtualCache } from '../../server/src/service/certificates/virtualCertificates';

/** What cert-manager will issue, shared by this file's workspaces: its RSA keys are made once. */
const VIRTUAL = createVirtualCache();

const ROOT = join(__dirname, '..', '..', '..');
/** The article: in ../shared beside the repository (CI), or beside the folder of this worktree. */
const ARTICLE = [join(ROOT, '..', 'shared'), join(ROOT, '..', '..', 'shared')].map((dir) => join(dir, 'reference', 'otlp-tls-article.md')).find((path) => existsSync(path));

function workspace(files: Record<string, string>) {
  const docs = Object.entries(files).filter(([name]) => name.endsWith('.yaml') && !name.startsWith('.')).map(([name, text]) => ({ path: `/k8s/${name}`, text }));
  const runtime = memoryRuntime({ now: new Date('2026-06-01T00:00:00Z'), files: Object.fromEntries(Object.entries(files).map(([name, text]) => [`/k8s/${name}`, text])) });
  const { service, parsed } = workspaceOf(docs, { runtime, settings: { workspaceRoots: ['/k8s'] }, virtualCache: VIRTUAL });
  const problems = (name: string) => {
    const i = docs.findIndex((d) => d.path === `/k8s/${name}`);
    return service.validate(docs[i], parsed[i]);
  };
  /** Every file → `line:col severity code: the text it sits on` (1-based). */
  const all = () =>
    Object.fromEntries(
      docs.map((doc) => {
        const document = TextDocument.create(`file://${doc.path}`, 'yaml', 0, doc.text);
        const name = doc.path.slice('/k8s/'.length);
        return [name, problems(name).map((p) => {
          const d = toDiagnostic(document, p);
          return `${d.range.start.line + 1}:${d.range.start.character + 1} ${severityName(d.severity)} ${d.code}: ${doc.text.slice(p.offset, p.offset + p.length)}`;
        })];
      }),
    );
  return { service, parsed, docs, problems, all };
}

describe("the article's Kubernetes section with the product", () => {
  it("the examples here are the article's, character for character", { skip: ARTICLE ? false : 'the article (shared/reference/otlp-tls-article.md) is not beside the repository' }, () => {
    const article = readFileSync(ARTICLE!, 'utf8');
    for (const [fence, block] of [['yaml', ARTICLE_CERTIFICATE], ['yaml', ARTICLE_COLLECTOR_CONFIG], ['bash', ARTICLE_NODE_ENV], ['bash', ARTICLE_JAVA_COMMAND]]) {
      assert.ok(article.includes('```' + fence + '\n' + block + '```'), `not in the article as given: ${block.split('\n')[0]}`);
    }
    assert.ok(article.includes(`If you connect to \`${ARTICLE_MISMATCH_HOST}\` but the certificate says \`otel-collector.observability.svc\`, the handshake will fail.`));
    assert.equal(JAVA_OPTIONS, '-javaagent:opentelemetry-javaagent.jar -Dotel.exporter.otlp.endpoint=https://otel-collector.observability.svc:4317 -Dotel.exporter.otlp.certificate=/etc/otel/certs/ca.crt -Dotel.exporter.otlp.client.key=/etc/otel/certs/client.key -Dotel.exporter.otlp.client.certificate=/etc/otel/certs/client.crt');
  });

  it('"Mount the resulting secret into the collector pod" as it stands: the config names server.crt and server.key, which cert-manager does not write', () => {
    const w = workspace(deployment(whole('otel-collector-tls'), whole('my-application-tls')));
    assert.deepEqual(w.all(), {
      'certificate.yaml': [],
      // Secret otel-collector-tls holds tls.crt, tls.key and ca.crt: client_ca_file (ca.crt) is there, the pair is not.
      'collector.yaml': [
        '17:26 error file-not-found: /etc/otel/certs/server.crt',
        '18:25 error file-not-found: /etc/otel/certs/server.key',
        '24:26 error file-not-found: /etc/otel/certs/server.crt',
        '25:25 error file-not-found: /etc/otel/certs/server.key',
      ],
      'client-certificate.yaml': [],
      // Each app: its receiver does not start (said on the endpoint), and client.key / client.crt are not keys of its
      // Secret either (tls.crt, tls.key, ca.crt). The Java agent (2.x) defaults to http/protobuf, and the article's
      // Java example dials the gRPC port 4317 without setting otel.exporter.otlp.protocol.
      'node-app.yaml': ['13:22 error file-not-found: "https://otel-collector.observability.svc:4318"', '17:22 error file-not-found: "/etc/otel/certs/client.key"', '19:22 error file-not-found: "/etc/otel/certs/client.crt"'],
      'java-app.yaml': [
        '13:92 error file-not-found: https://otel-collector.observability.svc:4317',
        '13:92 warning port-protocol-mismatch: https://otel-collector.observability.svc:4317',
        '13:226 error file-not-found: /etc/otel/certs/client.key',
        '13:293 error file-not-found: /etc/otel/certs/client.crt',
      ],
      'checkout.yaml': ['13:22 error file-not-found: "https://otel-collector:4317"', '19:22 error file-not-found: "/etc/otel/certs/client.key"', '21:22 error file-not-found: "/etc/otel/certs/client.crt"'],
    });
    assert.match(w.problems('collector.yaml')[0].message, /Secret observability\/otel-collector-tls is written by Certificate observability\/otel-collector-cert, which writes the keys tls\.crt, tls\.key and ca\.crt \(not "server\.crt"\)/);
  });

  it('the Secrets mounted with the file names the article\'s examples use (items): what the article leaves out is said, and nothing else', () => {
    // The glue a cluster needs for the article's paths: items map tls.crt → server.crt (client.crt), tls.key → server.key
    // (client.key), ca.crt → ca.crt. Then every file exists and the handshakes are judged on what cert-manager issues.
    const files = deployment(projected('otel-collector-tls', AS_FILES.server), projected('my-application-tls', AS_FILES.client));
    const w = workspace(files);
    assert.deepEqual(w.all(), {
      'certificate.yaml': [],
      // "configure it to reload certificates when they change": the article's tls blocks have no reload_interval.
      'collector.yaml': ['17:26 warning reload-not-configured: /etc/otel/certs/server.crt', '24:26 warning reload-not-configured: /etc/otel/certs/server.crt'],
      'client-certificate.yaml': [],
      // The Node.js example: https to the Service's 4318, mTLS with the app's Certificate, all from internal-ca: the
      // handshake is judged and succeeds, but the article gives no ClusterIssuer internal-ca, so whether its Secrets'
      // ca.crt hold its CA (both ways: the app's trust file, the collector's client_ca_file) is said, not assumed.
      'node-app.yaml': ['15:22 information issuer-not-in-workspace: "/etc/otel/certs/ca.crt"', '19:22 information issuer-not-in-workspace: "/etc/otel/certs/client.crt"'],
      // The Java example: the agent sends http/protobuf to the gRPC port, and cannot load cert-manager's PKCS#1 tls.key.
      'java-app.yaml': [
        '13:92 warning port-protocol-mismatch: https://otel-collector.observability.svc:4317',
        '13:171 information issuer-not-in-workspace: /etc/otel/certs/ca.crt',
        '13:226 error key-format: /etc/otel/certs/client.key',
        '13:293 information issuer-not-in-workspace: /etc/otel/certs/client.crt',
      ],
      // The troubleshooting section's otel-collector:4317: the Certificate holds only the .svc names.
      'checkout.yaml': ['13:22 error san-mismatch: "https://otel-collector:4317"', '17:22 information issuer-not-in-workspace: "/etc/otel/certs/ca.crt"', '21:22 information issuer-not-in-workspace: "/etc/otel/certs/client.crt"'],
    });
    assert.match(w.problems('node-app.yaml')[0].message, /the chain is judged as if env\[1\] OTEL_EXPORTER_OTLP_CERTIFICATE holds that CA, which it does if the issuer writes ca\.crt \(CA, SelfSigned and Vault issuers do; an ACME issuer writes none\)/);
    const [reload] = w.problems('collector.yaml');
    assert.match(reload.message, /cert_file is from Secret otel-collector-tls, which cert-manager renews \(Certificate observability\/otel-collector-cert: renewed every 75 days, 15 days before it expires \(duration 2160h0m0s; renewBefore 360h0m0s\)/);
    assert.match(w.problems('java-app.yaml').find((p) => p.code === 'key-format')!.message, /This key is what Certificate observability\/my-application issues \(cert-manager's default encoding, PKCS1\): set spec\.privateKey\.encoding: PKCS8 on it/);
    const san = w.problems('checkout.yaml')[0].message;
    assert.match(san, /through Service observability\/otel-collector, port 4317 → 4317/);
    assert.match(san, /add "otel-collector" to its spec\.dnsNames \(cert-manager then re-issues it\), or dial "otel-collector\.observability\.svc" or "otel-collector\.observability\.svc\.cluster\.local"/);
  });

  it('the Java example as the container\'s command line (java -javaagent:… -D… -jar myapp.jar) gets the verdicts of JAVA_TOOL_OPTIONS', () => {
    assert.deepEqual(JAVA_COMMAND, ['java', ...JAVA_OPTIONS.split(' '), '-jar', 'myapp.jar']);
    const files = deployment(projected('otel-collector-tls', AS_FILES.server), projected('my-application-tls', AS_FILES.client));
    files['java-command.yaml'] = app('java-command', [], projected('my-application-tls', AS_FILES.client), JAVA_COMMAND);
    const w = workspace(files);
    const verdicts = (name: string) => w.problems(name).map((p) => `${p.severity ?? ''} ${p.code}: ${p.message.replace(/java-(app|command)/, 'X')}`);
    assert.deepEqual(verdicts('java-command.yaml'), verdicts('java-app.yaml'));
    assert.deepEqual(w.all()['java-command.yaml'], [
      // On the value of each -D item (the command's items from line 12: java, -javaagent:…, then the properties).
      '14:45 warning port-protocol-mismatch: https://otel-collector.observability.svc:4317',
      '15:48 information issuer-not-in-workspace: /etc/otel/certs/ca.crt',
      '16:47 error key-format: /etc/otel/certs/client.key',
      '17:55 information issuer-not-in-workspace: /etc/otel/certs/client.crt',
    ]);
  });

  it('with the fixes the diagnostics offer or name applied and the issuer added: every chain judged, and the CA\'s own rotation said', () => {
    const files = deployment(
      projected('otel-collector-tls', AS_FILES.server),
      projected('my-application-tls', AS_FILES.client),
      CLIENT_CERTIFICATE.replace('  commonName: my-application\n', '  commonName: my-application\n  privateKey:\n    encoding: PKCS8\n'),
    );
    // reload-not-configured's quick fix, on each tls block.
    let w = workspace(files);
    for (let i = 0; i < 2; i++) {
      const [reload] = w.problems('collector.yaml');
      const document = TextDocument.create('file:///k8s/collector.yaml', 'yaml', 1, files['collector.yaml']);
      const parsed = w.parsed[w.docs.findIndex((d) => d.path === '/k8s/collector.yaml')];
      const [action] = w.service.getCodeActions(document, [JSON.parse(JSON.stringify(toDiagnostic(document, reload)))], { path: '/k8s/collector.yaml', parsed });
      assert.equal(action.title, 'Add reload_interval: 1h');
      files['collector.yaml'] = applied(document, action);
      w = workspace(files);
    }
    // The dnsNames the san-mismatch names, and the ClusterIssuer the article's issuerRef names (cert-manager's CA
    // bootstrap: a SelfSigned ClusterIssuer, an isCA Certificate, the CA ClusterIssuer internal-ca on its Secret).
    files['certificate.yaml'] = ARTICLE_CERTIFICATE + '    - otel-collector\n';
    files['issuers.yaml'] = caBootstrap('internal-ca');
    w = workspace(files);
    // Every chain is judged now. That CA is itself a Certificate cert-manager renews (90 days, a new key each time),
    // and every trust file here is read once (the SDKs; the Collector's client_ca_file without client_ca_file_reload):
    // the next rotation question, which the article leaves open, is said on each.
    assert.deepEqual(w.all(), {
      'issuers.yaml': [],
      'certificate.yaml': [],
      'collector.yaml': ['20:31 warning ca-rotation: /etc/otel/certs/ca.crt', '27:31 warning ca-rotation: /etc/otel/certs/ca.crt'],
      'client-certificate.yaml': [],
      'node-app.yaml': ['15:22 warning ca-rotation: "/etc/otel/certs/ca.crt"'],
      'java-app.yaml': ['13:92 warning port-protocol-mismatch: https://otel-collector.observability.svc:4317', '13:171 warning ca-rotation: /etc/otel/certs/ca.crt'],
      'checkout.yaml': ['17:22 warning ca-rotation: "/etc/otel/certs/ca.crt"'],
    });
  });
});

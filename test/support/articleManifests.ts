/**
 * The article's Kubernetes section (../shared/reference/otlp-tls-article.md, "Certificate Rotation in
 * Kubernetes") deployed: its Certificate, collector config and SDK settings as it gives them
 * (./articleCertificates.ts), with the least glue a cluster needs, which the article does not give: a
 * Deployment that mounts the Certificate's Secret at the config's /etc/otel/certs ("Mount the resulting
 * secret into the collector pod"), the Service its hosts name, a Certificate for the article's client
 * (CN my-application), and the apps in Deployments (Java's flags in JAVA_TOOL_OPTIONS). Used by
 * test/unit/articleKubernetes.test.ts (the diagnostics) and test/integration/certManagerSources.test.ts
 * (the handshakes they predict).
 */
import { ARTICLE_CERTIFICATE, ARTICLE_COLLECTOR_CONFIG, ARTICLE_JAVA_COMMAND, ARTICLE_MISMATCH_HOST, ARTICLE_NODE_ENV } from './articleCertificates';

/** `export NAME="value"` lines of the article's shell block → [name, value]. */
export const NODE_ENV = [...ARTICLE_NODE_ENV.matchAll(/^export (\w+)="([^"]*)"$/gm)].map((m) => [m[1], m[2]] as const);
/** The article's `java` command line as a container's `command` (one word an item, as written there). */
export const JAVA_COMMAND = ARTICLE_JAVA_COMMAND.replace(/^#.*\n/gm, '').replace(/\\\n/g, ' ').trim().split(/\s+/);
/** The JVM options of the article's `java` command (the agent and its -D properties), as a pod passes them: JAVA_TOOL_OPTIONS. */
export const JAVA_OPTIONS = ARTICLE_JAVA_COMMAND.replace(/^#.*\n/gm, '').replace(/\\\n/g, ' ').split(/\s+/).filter((w) => w.startsWith('-javaagent:') || w.startsWith('-D')).join(' ');

const indent = (text: string, by: string) => text.split('\n').map((l) => (l ? by + l : l)).join('\n');

/** The article's collector config in a ConfigMap, a Deployment that mounts it and the Certificate's Secret (`secretVolume`), and the Service the article's hosts name. */
export function collector(secretVolume: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: otel-collector-config
  namespace: observability
data:
  otel-collector-config.yaml: |
${indent(ARTICLE_COLLECTOR_CONFIG, '    ')}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: otel-collector
  namespace: observability
spec:
  selector:
    matchLabels:
      app: otel-collector
  template:
    metadata:
      labels:
        app: otel-collector
    spec:
      containers:
        - name: otelcol
          image: otel/opentelemetry-collector-contrib
          args: [--config=/conf/otel-collector-config.yaml]
          ports:
            - containerPort: 4317
            - containerPort: 4318
          volumeMounts:
            - name: config
              mountPath: /conf
            - name: certs
              mountPath: /etc/otel/certs
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: otel-collector-config
        - name: certs
${secretVolume}---
apiVersion: v1
kind: Service
metadata:
  name: otel-collector
  namespace: observability
spec:
  selector:
    app: otel-collector
  ports:
    - name: otlp-grpc
      port: 4317
    - name: otlp-http
      port: 4318
`;
}

/** An app Deployment in the namespace with `env` (name, value), mounting `secretVolume` at /etc/otel/certs, the paths the article's SDK examples use. */
export function app(name: string, env: readonly (readonly [string, string])[], secretVolume: string, command?: readonly string[]): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: observability
spec:
  template:
    spec:
      containers:
        - name: app
${command ? `          command:\n${command.map((w) => `            - ${w}\n`).join('')}` : ''}${env.length ? `          env:\n${env.map(([k, v]) => `            - name: ${k}\n              value: ${JSON.stringify(v)}\n`).join('')}` : ''}          volumeMounts:
            - name: certs
              mountPath: /etc/otel/certs
      volumes:
        - name: certs
${secretVolume}---
`;
}

export const whole = (secret: string) => `          secret:\n            secretName: ${secret}\n`;
export const projected = (secret: string, files: Record<string, string>) =>
  `          secret:\n            secretName: ${secret}\n            items:\n${Object.entries(files).map(([key, path]) => `              - key: ${key}\n                path: ${path}\n`).join('')}`;

/** The app's client certificate: a Certificate of the same ClusterIssuer for the article's client (CN my-application). */
export const CLIENT_CERTIFICATE = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: my-application
  namespace: observability
spec:
  secretName: my-application-tls
  commonName: my-application
  issuerRef:
    name: internal-ca
    kind: ClusterIssuer
---
`;

/** The article's pieces deployed: `collectorSecret` and `clientSecret` are how each pod mounts its Certificate's Secret at /etc/otel/certs. */
export function deployment(collectorSecret: string, clientSecret: string, clientCertificate = CLIENT_CERTIFICATE): Record<string, string> {
  return {
    // The SDKs of the apps, as a project names them (the article's sections are per language).
    '.otlp-tls.yaml': 'sdk:\n  node-app.yaml: js\n  checkout.yaml: go\n',
    'certificate.yaml': ARTICLE_CERTIFICATE,
    'collector.yaml': collector(collectorSecret),
    'client-certificate.yaml': clientCertificate,
    // "Node.js SDK Configuration": its four variables.
    'node-app.yaml': app('node-app', NODE_ENV, clientSecret),
    // "Java SDK Configuration": the agent and its -D properties.
    'java-app.yaml': app('java-app', [['JAVA_TOOL_OPTIONS', JAVA_OPTIONS]], clientSecret),
    // "Troubleshooting": an app that connects to otel-collector:4317 (gRPC, the rest as the Node example).
    'checkout.yaml': app('checkout', [['OTEL_EXPORTER_OTLP_ENDPOINT', `https://${ARTICLE_MISMATCH_HOST}`], ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'], ...NODE_ENV.slice(1)], clientSecret),
  };
}

/** items that give the keys of a Certificate's Secret the file names of the article's examples. */
export const AS_FILES = { server: { 'tls.crt': 'server.crt', 'tls.key': 'server.key', 'ca.crt': 'ca.crt' }, client: { 'tls.crt': 'client.crt', 'tls.key': 'client.key', 'ca.crt': 'ca.crt' } };


/**
 * Manifests of a cert-manager deployment as tests lay them out (no PEM file anywhere): the CA bootstrap
 * cert-manager documents (a SelfSigned ClusterIssuer, an isCA Certificate in the cert-manager namespace, a
 * CA ClusterIssuer on its Secret), the article's Certificate for the collector, the collector's ConfigMap,
 * Deployment and Service, and an app Deployment that dials it. Each piece is a function so a test changes
 * one field.
 */
export const NS = 'observability';

const SELFSIGNED = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned
spec:
  selfSigned: {}
---
`;

export function caBootstrap(name = 'internal-ca', selfSigned = true): string {
  return `${selfSigned ? SELFSIGNED : ''}apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}
  namespace: cert-manager
spec:
  isCA: true
  commonName: ${name}
  secretName: ${name}
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: selfsigned
    kind: ClusterIssuer
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: ${name}
spec:
  ca:
    secretName: ${name}
`;
}

/** The article's Certificate ("Certificate Rotation in Kubernetes"), with `extra` lines under spec. */
export function articleCertificate(extra = ''): string {
  return `# cert-manager Certificate resource for the collector
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: otel-collector-cert
  namespace: ${NS}
spec:
  secretName: otel-collector-tls
  duration: 2160h    # 90 days
  renewBefore: 360h  # renew 15 days before expiry
  issuerRef:
    name: internal-ca
    kind: ClusterIssuer
  commonName: otel-collector.${NS}.svc
  dnsNames:
    - otel-collector.${NS}.svc
    - otel-collector.${NS}.svc.cluster.local
${extra}`;
}

export interface CollectorOptions {
  /** Lines added to the receiver's tls block (at its indentation). */
  tls?: string[];
  /** The volumeMounts of the Secret (default: the whole Secret at /etc/otel/certs). */
  certMounts?: string;
  /** The receiver's port and the Service's port → targetPort. */
  port?: number;
  servicePort?: number;
  name?: string;
  /** Other exporters of the collector config (an agent's), at the exporters' indentation. */
  exporters?: string;
  secret?: string;
}

/** A collector: its config in a ConfigMap, a Deployment that mounts it and the Secret, a Service that selects it. */
export function collector(options: CollectorOptions = {}): string {
  const name = options.name ?? 'otel-collector';
  const port = options.port ?? 4317;
  const tls = ['cert_file: /etc/otel/certs/tls.crt', 'key_file: /etc/otel/certs/tls.key', ...(options.tls ?? [])].map((l) => `              ${l}`).join('\n');
  const mounts = options.certMounts ?? `            - name: certs\n              mountPath: /etc/otel/certs\n              readOnly: true\n`;
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: ${NS}
data:
  config.yaml: |
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: 0.0.0.0:${port}
            tls:
${tls}
    exporters:
      debug: {}
${options.exporters ?? ''}    service:
      pipelines:
        traces:
          receivers: [otlp]
          exporters: [debug]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: otelcol
          image: otel/opentelemetry-collector-contrib
          args: [--config=/conf/config.yaml]
          ports:
            - name: otlp-grpc
              containerPort: ${port}
          volumeMounts:
            - name: config
              mountPath: /conf
${mounts}      volumes:
        - name: config
          configMap:
            name: ${name}-config
        - name: certs
          secret:
            secretName: ${options.secret ?? `${name}-tls`}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  selector:
    app: ${name}
  ports:
    - name: otlp-grpc
      port: ${options.servicePort ?? port}
      targetPort: otlp-grpc
`;
}

/** A Certificate in the app's namespace for `dnsNames` (or a client's commonName), issued by ClusterIssuer `issuer`, with `extra` spec lines. */
export function certificate(name: string, options: { issuer?: string; dnsNames?: string[]; commonName?: string; extra?: string } = {}): string {
  return `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  secretName: ${name}-tls
  issuerRef:
    name: ${options.issuer ?? 'internal-ca'}
    kind: ClusterIssuer
${options.commonName ? `  commonName: ${options.commonName}\n` : ''}${options.dnsNames ? `  dnsNames:\n${options.dnsNames.map((n) => `    - ${n}\n`).join('')}` : ''}${options.extra ?? ''}---
`;
}

export interface AppOptions {
  host: string;
  port?: number;
  namespace?: string;
  /** The Secret whose keys the app mounts at /etc/app/tls (ca.crt is its trust file). */
  secret?: string;
  /** Client certificate and key from that Secret too (mTLS). */
  mtls?: boolean;
  /** OTEL_EXPORTER_OTLP_CERTIFICATE's key in it (default ca.crt). */
  caKey?: string;
  name?: string;
  /** More env items (already indented as list items). */
  env?: string;
}

/** An app Deployment exporting over gRPC to `host:port`, trusting the ca.crt of `secret` mounted at /etc/app/tls. */
export function app(options: AppOptions): string {
  const secret = options.secret ?? 'otel-collector-tls';
  const mtls = options.mtls ? `            - name: OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE\n              value: /etc/app/tls/tls.crt\n            - name: OTEL_EXPORTER_OTLP_CLIENT_KEY\n              value: /etc/app/tls/tls.key\n` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${options.name ?? 'checkout'}
  namespace: ${options.namespace ?? NS}
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: https://${options.host}:${options.port ?? 4317}
            - name: OTEL_EXPORTER_OTLP_PROTOCOL
              value: grpc
            - name: OTEL_EXPORTER_OTLP_CERTIFICATE
              value: /etc/app/tls/${options.caKey ?? 'ca.crt'}
${mtls}${options.env ?? ''}          volumeMounts:
            - name: tls
              mountPath: /etc/app/tls
      volumes:
        - name: tls
          secret:
            secretName: ${secret}
`;
}

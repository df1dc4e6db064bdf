/** The article's examples (../shared/reference/otlp-tls-article.md), unchanged. */

/** Its "Generating Certificates" commands (RSA 4096, openssl). */
export const ARTICLE_OPENSSL_SCRIPT = `set -euo pipefail
openssl genrsa -out ca.key 4096
openssl req -new -x509 -days 365 -key ca.key -out ca.crt \\
  -subj "/CN=OTel CA/O=MyCompany"
openssl genrsa -out server.key 4096
openssl req -new -key server.key -out server.csr \\
  -subj "/CN=otel-collector.observability.svc"
openssl x509 -req -days 365 -in server.csr -CA ca.crt -CAkey ca.key \\
  -CAcreateserial -out server.crt \\
  -extfile <(printf "subjectAltName=DNS:otel-collector.observability.svc,DNS:localhost")
openssl genrsa -out client.key 4096
openssl req -new -key client.key -out client.csr \\
  -subj "/CN=my-application/O=MyCompany"
openssl x509 -req -days 365 -in client.csr -CA ca.crt -CAkey ca.key \\
  -CAcreateserial -out client.crt
`;

/** Its "Collector TLS Configuration": OTLP receivers with mTLS and container paths. */
export const ARTICLE_COLLECTOR_CONFIG = `# otel-collector-config.yaml
# Configure OTLP receivers with TLS and optional mTLS
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
        tls:
          # Server certificate and key for TLS
          cert_file: /etc/otel/certs/server.crt
          key_file: /etc/otel/certs/server.key
          # CA certificate to verify client certificates (enables mTLS)
          client_ca_file: /etc/otel/certs/ca.crt
      http:
        endpoint: 0.0.0.0:4318
        tls:
          cert_file: /etc/otel/certs/server.crt
          key_file: /etc/otel/certs/server.key
          client_ca_file: /etc/otel/certs/ca.crt
`;

/** Its "Certificate Rotation in Kubernetes": the cert-manager Certificate for the collector. */
export const ARTICLE_CERTIFICATE = `# cert-manager Certificate resource for the collector
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: otel-collector-cert
  namespace: observability
spec:
  secretName: otel-collector-tls
  duration: 2160h    # 90 days
  renewBefore: 360h  # renew 15 days before expiry
  issuerRef:
    name: internal-ca
    kind: ClusterIssuer
  commonName: otel-collector.observability.svc
  dnsNames:
    - otel-collector.observability.svc
    - otel-collector.observability.svc.cluster.local
`;

/** Its "Node.js SDK Configuration": the exporter's environment (a shell script). */
export const ARTICLE_NODE_ENV = `# Configure TLS for the Node.js OTLP exporter using environment variables
export OTEL_EXPORTER_OTLP_ENDPOINT="https://otel-collector.observability.svc:4318"
export OTEL_EXPORTER_OTLP_CERTIFICATE="/etc/otel/certs/ca.crt"
export OTEL_EXPORTER_OTLP_CLIENT_KEY="/etc/otel/certs/client.key"
export OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE="/etc/otel/certs/client.crt"
`;

/** Its "Troubleshooting": "If you connect to `otel-collector:4317` but the certificate says `otel-collector.observability.svc`, the handshake will fail." */
export const ARTICLE_MISMATCH_HOST = 'otel-collector:4317';

/** Its "Java SDK Configuration": the agent's command line. */
export const ARTICLE_JAVA_COMMAND = `# Configure the Java agent with TLS for the OTLP exporter.
# The agent supports both system properties and environment variables.
java -javaagent:opentelemetry-javaagent.jar \\
  -Dotel.exporter.otlp.endpoint=https://otel-collector.observability.svc:4317 \\
  -Dotel.exporter.otlp.certificate=/etc/otel/certs/ca.crt \\
  -Dotel.exporter.otlp.client.key=/etc/otel/certs/client.key \\
  -Dotel.exporter.otlp.client.certificate=/etc/otel/certs/client.crt \\
  -jar myapp.jar
`;

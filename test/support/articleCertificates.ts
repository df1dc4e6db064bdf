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

/** The "Generating Certificates" commands of ../shared/reference/otlp-tls-article.md, unchanged (RSA 4096, openssl). */
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

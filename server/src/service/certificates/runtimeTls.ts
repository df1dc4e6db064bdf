/**
 * The TLS settings an SDK's runtime reads from the same environment as the OTEL_* variables, and
 * what they do to the handshake (sources and lines: docs/tls-rules.md §7):
 * - Go: SSL_CERT_FILE / SSL_CERT_DIR are the system roots (crypto/x509 root_unix.go), used when
 *   OTEL_EXPORTER_OTLP_CERTIFICATE is not set;
 * - Node: NODE_TLS_REJECT_UNAUTHORIZED=0 (no verification), NODE_OPTIONS --tls-min-v1.x /
 *   --tls-max-v1.x / --tls-cipher-list / --use-openssl-ca, NODE_EXTRA_CA_CERTS (added to the default
 *   roots, ignored when the exporter passes a CA), grpc-js's GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and
 *   GRPC_SSL_CIPHER_SUITES;
 * - Python: SSL_CERT_FILE / SSL_CERT_DIR are read by neither OTLP exporter (requests uses certifi
 *   unless REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE; grpcio its own roots unless
 *   GRPC_DEFAULT_SSL_ROOTS_FILE_PATH);
 * - Java: javax.net.ssl.trustStore and jdk.tls.client.protocols in JAVA_TOOL_OPTIONS /
 *   JDK_JAVA_OPTIONS; the JVM never reads SSL_CERT_FILE.
 */
import type { CertificateInfo } from './certificateInfo';
import type { TlsVersion } from './negotiation';
import type { SdkStack } from './verifyHandshake';
import { table } from '../lookup';

/** One stack's runtime view. */
export interface StackRuntime {
  /** Node: NODE_TLS_REJECT_UNAUTHORIZED=0. */
  verifyOff?: boolean;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** OpenSSL cipher names the client offers at TLS 1.2 (only when the list names suites, not keywords). */
  cipherList?: string[];
  /** Roots used instead of the system ones when no CERTIFICATE is set. */
  replaceRoots?: CertificateInfo[];
  /** Roots added to the system ones when no CERTIFICATE is set (NODE_EXTRA_CA_CERTS). */
  extraRoots?: CertificateInfo[];
  /** The setting the roots come from, for messages. */
  rootsSetting?: string;
}

export type RuntimeTls = Partial<Record<SdkStack, StackRuntime>>;

export interface RuntimeNote {
  /** The variable the note is about (its value's span carries the diagnostic). */
  name: string;
  severity: 'warning' | 'information';
  message: string;
  /** The stacks it concerns: with an SDK named, notes for other stacks are dropped. */
  stacks: SdkStack[];
}

export interface RuntimeContext {
  protocol: 'grpc' | 'http';
  /** OTEL_EXPORTER_OTLP_CERTIFICATE (or the signal's) is set: the exporter passes its own CA. */
  certificateSet: boolean;
  /** Loads a CA file the runtime names (resolved like the CERTIFICATE file); undefined when it does not load. */
  load(path: string): CertificateInfo[] | undefined;
}

export const RUNTIME_VARIABLES = [
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
  'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH',
  'GRPC_SSL_CIPHER_SUITES',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'JAVA_TOOL_OPTIONS',
  'JDK_JAVA_OPTIONS',
] as const;

/** Splits an options string as a shell would for NODE_OPTIONS / JAVA_TOOL_OPTIONS (quotes kept together). */
function tokens(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const NODE_VERSION_FLAGS: Record<string, { min?: TlsVersion; max?: TlsVersion }> = table({
  '--tls-min-v1.0': { min: '1.0' },
  '--tls-min-v1.1': { min: '1.1' },
  '--tls-min-v1.2': { min: '1.2' },
  '--tls-min-v1.3': { min: '1.3' },
  '--tls-max-v1.2': { max: '1.2' },
  '--tls-max-v1.3': { max: '1.3' },
});

/** An OpenSSL cipher list that names suites only (no HIGH, ALL, !…): the names, else undefined. */
function cipherNames(list: string): string[] | undefined {
  const names = list.split(/[:, ]+/).filter(Boolean);
  if (names.some((n) => /^[!+\-@]|^(HIGH|MEDIUM|LOW|ALL|DEFAULT|COMPLEMENTOFDEFAULT|aRSA|aECDSA|kRSA|ECDHE|EECDH|AES|AESGCM|CHACHA20|SHA1|SHA256|SHA384)$/.test(n))) return undefined;
  return names;
}

export function readRuntime(get: (name: string) => string | undefined, context: RuntimeContext): { runtime: RuntimeTls; notes: RuntimeNote[] } {
  const runtime: RuntimeTls = {};
  const notes: RuntimeNote[] = [];
  const node: StackRuntime = {};
  const python: StackRuntime = {};
  const go: StackRuntime = {};
  const java: StackRuntime = {};

  // Node.
  if (get('NODE_TLS_REJECT_UNAUTHORIZED') === '0') {
    node.verifyOff = true;
    notes.push({ name: 'NODE_TLS_REJECT_UNAUTHORIZED', severity: 'warning', stacks: ['node'], message: 'This turns certificate verification off: remove it; set OTEL_EXPORTER_OTLP_CERTIFICATE to the CA. NODE_TLS_REJECT_UNAUTHORIZED=0 does so for every TLS client of a Node process (the JS SDK included): any server certificate is accepted, so a wrong CA or host name is never noticed.' });
  }
  const nodeOptions = get('NODE_OPTIONS');
  let useOpensslCa = false;
  if (nodeOptions) {
    for (const token of tokens(nodeOptions)) {
      const [flag, value] = token.includes('=') ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)] : [token, undefined];
      const version = NODE_VERSION_FLAGS[flag];
      if (version?.min) node.minVersion = version.min;
      if (version?.max) node.maxVersion = version.max;
      if (flag === '--tls-cipher-list' && value !== undefined) node.cipherList = cipherNames(value);
      if (flag === '--use-openssl-ca') useOpensslCa = true;
      if (flag === '--use-bundled-ca') useOpensslCa = false;
    }
    if (node.minVersion || node.maxVersion) {
      notes.push({ name: 'NODE_OPTIONS', severity: 'information', stacks: ['node'], message: `NODE_OPTIONS sets Node's TLS versions to ${node.minVersion ?? '1.2'}–${node.maxVersion ?? '1.3'}: the JS SDK's handshake is judged with them. They are tls.DEFAULT_MIN_VERSION / DEFAULT_MAX_VERSION.` });
    }
  }
  const grpcRoots = context.protocol === 'grpc' ? get('GRPC_DEFAULT_SSL_ROOTS_FILE_PATH') : undefined;
  const extra = get('NODE_EXTRA_CA_CERTS');
  if (extra) {
    if (context.certificateSet) {
      notes.push({ name: 'NODE_EXTRA_CA_CERTS', severity: 'information', stacks: ['node'], message: 'NODE_EXTRA_CA_CERTS does not apply to the OTLP exporter here: put its CA in OTEL_EXPORTER_OTLP_CERTIFICATE. That CA file replaces the default roots and the extra certificates alike.' });
    } else if (!grpcRoots) {
      const certs = context.load(extra);
      if (certs) {
        node.extraRoots = certs;
        node.rootsSetting = `the default roots and NODE_EXTRA_CA_CERTS (${extra})`;
      }
    }
  }
  if (grpcRoots && !context.certificateSet) {
    const certs = context.load(grpcRoots);
    if (certs) {
      node.replaceRoots = certs;
      node.rootsSetting = `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (${grpcRoots})`;
      python.replaceRoots = certs;
      python.rootsSetting = `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (${grpcRoots})`;
    }
  }
  const grpcCiphers = context.protocol === 'grpc' ? get('GRPC_SSL_CIPHER_SUITES') : undefined;
  if (grpcCiphers) node.cipherList = cipherNames(grpcCiphers);

  // SSL_CERT_FILE / SSL_CERT_DIR: Go's system roots; Node's only with --use-openssl-ca; neither Python exporter's.
  const sslCertFile = get('SSL_CERT_FILE');
  if (sslCertFile && !context.certificateSet) {
    const certs = context.load(sslCertFile);
    if (certs) {
      go.replaceRoots = certs;
      go.rootsSetting = `SSL_CERT_FILE (${sslCertFile})`;
      if (useOpensslCa && !grpcRoots) {
        node.replaceRoots = certs;
        node.rootsSetting = `SSL_CERT_FILE (${sslCertFile}, with --use-openssl-ca)`;
      }
    }
    notes.push({
      name: 'SSL_CERT_FILE',
      severity: 'information',
      stacks: ['python', 'java', ...(useOpensslCa ? [] : (['node'] as SdkStack[]))],
      message: `SSL_CERT_FILE is read by the Go SDK only: set OTEL_EXPORTER_OTLP_CERTIFICATE to the CA instead. It replaces the system roots for the Go SDK only: ${useOpensslCa ? '' : "Node reads it only with NODE_OPTIONS=--use-openssl-ca; "}the Python exporters do not read it (requests uses certifi unless REQUESTS_CA_BUNDLE is set, grpcio its own roots unless GRPC_DEFAULT_SSL_ROOTS_FILE_PATH is set), and the JVM never does (javax.net.ssl.trustStore). Every SDK reads OTEL_EXPORTER_OTLP_CERTIFICATE.`,
    });
  }
  const requestsBundle = context.protocol === 'http' ? get('REQUESTS_CA_BUNDLE') ?? get('CURL_CA_BUNDLE') : undefined;
  if (requestsBundle && !context.certificateSet) {
    const certs = context.load(requestsBundle);
    if (certs) {
      python.replaceRoots = certs;
      python.rootsSetting = `${get('REQUESTS_CA_BUNDLE') ? 'REQUESTS_CA_BUNDLE' : 'CURL_CA_BUNDLE'} (${requestsBundle})`;
    }
  }

  // Java.
  const javaOptions = [get('JAVA_TOOL_OPTIONS'), get('JDK_JAVA_OPTIONS')].filter(Boolean).join(' ');
  if (javaOptions) {
    for (const token of tokens(javaOptions)) {
      const protocols = /^-Djdk\.tls\.client\.protocols=(.*)$/.exec(token)?.[1];
      if (protocols) {
        const versions = protocols.split(',').map((p) => /^TLSv(1(?:\.[0-3])?)$/.exec(p.trim())?.[1]).filter((v): v is string => !!v).map((v) => (v === '1' ? '1.0' : v) as TlsVersion);
        if (versions.length) {
          java.minVersion = versions.reduce((a, b) => (a < b ? a : b));
          java.maxVersion = versions.reduce((a, b) => (a > b ? a : b));
        }
      }
      if (/^-Djavax\.net\.ssl\.trustStore=/.test(token) && context.certificateSet) {
        notes.push({ name: get('JAVA_TOOL_OPTIONS') ? 'JAVA_TOOL_OPTIONS' : 'JDK_JAVA_OPTIONS', severity: 'information', stacks: ['java'], message: 'javax.net.ssl.trustStore does not apply to the OTLP exporter here: put its CA in OTEL_EXPORTER_OTLP_CERTIFICATE. With that set, the Java SDK trusts that file only.' });
      }
    }
  }
  if (Object.keys(node).length) runtime.node = node;
  if (Object.keys(python).length) runtime.python = python;
  if (Object.keys(go).length) runtime.go = go;
  if (Object.keys(java).length) runtime.java = java;
  return { runtime, notes };
}

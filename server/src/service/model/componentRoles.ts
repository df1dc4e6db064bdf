/**
 * Which side of TLS each known component type is on (../shared/reference/tls-roles.md).
 * The side comes from the component type, not from the section: a `postgresql` receiver
 * is a TLS client, a `prometheus` exporter a TLS server. Unknown types accept both sides.
 */
import { table } from '../lookup';

export type TlsRole = 'server' | 'client' | 'either';
export type Section = 'receivers' | 'exporters' | 'extensions' | 'processors' | 'connectors';

export interface ComponentSpec {
  /** The side of every `tls:` block of the component, unless a path rule says otherwise. */
  role: TlsRole;
  /** Overrides by the path of the `tls` key inside the component (`*` matches one segment). */
  paths?: { path: string; role: TlsRole }[];
  /** TLS client keys squashed into the component itself (kubeletstats). */
  squashed?: boolean;
}

const server: ComponentSpec = { role: 'server' };
const client: ComponentSpec = { role: 'client' };

const receivers: Record<string, ComponentSpec> = table({
  otlp: server,
  zipkin: server,
  jaeger: server,
  opencensus: server,
  splunk_hec: server,
  signalfx: server,
  skywalking: server,
  influxdb: server,
  loki: server,
  datadog: server,
  awsfirehose: server,
  webhookevent: server,
  sapm: server,
  faro: server,
  libhoney: server,
  syslog: server,
  tcplog: server,
  prometheusremotewrite: server,
  prometheus_remote_write: server,
  github: server,
  gitlab: server,
  awsxray: { role: 'server', paths: [{ path: 'proxy_server.tls', role: 'client' }] },
  // Scrapers and pullers: TLS clients.
  postgresql: client,
  mysql: client,
  mongodb: client,
  mongodbatlas: client,
  redis: client,
  rabbitmq: client,
  elasticsearch: client,
  kafka: client,
  kafkametrics: client,
  cloud_foundry: client,
  gnmi: client,
  httpcheck: client,
  nginx: client,
  apache: client,
  couchdb: client,
  riak: client,
  vcenter: client,
  sqlserver: client,
  snowflake: client,
  haproxy: client,
  flinkmetrics: client,
  bigip: client,
  nsxt: client,
  aerospike: client,
  saphana: client,
  expvar: client,
  docker_stats: client,
  splunkenterprise: client,
  k8s_cluster: client,
  k8sobjects: client,
  kubeletstats: { role: 'client', squashed: true },
  kubelet_stats: { role: 'client', squashed: true },
});

const exporters: Record<string, ComponentSpec> = table({
  prometheus: server,
  ...Object.fromEntries(
    [
      'otlp', 'otlp_grpc', 'otlphttp', 'otlp_http', 'otelarrow', 'loadbalancing', 'kafka', 'elasticsearch', 'opensearch',
      'prometheusremotewrite', 'loki', 'zipkin', 'splunk_hec', 'datadog', 'influxdb', 'signalfx', 'sapm', 'coralogix',
      'clickhouse', 'syslog', 'logzio', 'sumologic', 'mezmo', 'alertmanager', 'rabbitmq', 'pulsar', 'dataset', 'doris',
      'honeycombmarker', 'carbon', 'tencentcloud_logservice', 'sematext', 'otlp_arrow',
    ].map((type) => [type, client]),
  ),
});

const extensions: Record<string, ComponentSpec> = table({
  zpages: server,
  health_check: server,
  healthcheck: server,
  healthcheckv2: server,
  pprof: server,
  remotetap: server,
  opamp: client,
  oauth2client: client,
  jaeger_storage: client,
  jaegerremotesampling: { role: 'server', paths: [{ path: 'source.remote.tls', role: 'client' }] },
  http_forwarder: { role: 'either', paths: [{ path: 'ingress.tls', role: 'server' }, { path: 'egress.tls', role: 'client' }] },
});

/** The spec of a component type, or undefined for a type we do not know. */
export function componentSpec(section: Section, type: string): ComponentSpec | undefined {
  const table = section === 'receivers' ? receivers : section === 'exporters' ? exporters : section === 'extensions' ? extensions : undefined;
  const spec = table?.[type];
  return spec;
}

/** The side of the `tls` block at `path` (keys from the component root, ending with `tls`). */
export function tlsRole(section: Section, type: string, path: readonly (string | number)[]): TlsRole {
  const spec = componentSpec(section, type);
  if (!spec) return 'either';
  const joined = path.map((p) => (typeof p === 'number' ? '*' : p)).join('.');
  for (const rule of spec.paths ?? []) {
    if (matchPath(rule.path, joined)) return rule.role;
  }
  return spec.role;
}

function matchPath(pattern: string, path: string): boolean {
  const a = pattern.split('.');
  const b = path.split('.');
  return a.length === b.length && a.every((seg, i) => seg === '*' || seg === b[i]);
}

/** Exporters that speak OTLP, by their current and deprecated type names. */
export const OTLP_GRPC_EXPORTERS: ReadonlySet<string> = new Set(['otlp', 'otlp_grpc']);
export const OTLP_HTTP_EXPORTERS: ReadonlySet<string> = new Set(['otlphttp', 'otlp_http']);

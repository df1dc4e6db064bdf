/**
 * Kubernetes Services as endpoint hosts (docs/facts/kubernetes.md §5, §6): the names a Service answers
 * to, which Service a dialled host names from a given namespace, and where its port leads in the pods it
 * selects. Pure: the pairing (certificates/pairing.ts) asks it.
 *
 * DNS (kubernetes.md §6): Service S in namespace M is `S` from pods of M only, and `S.M`, `S.M.svc`,
 * `S.M.svc.cluster.local` from any namespace (the search list of a pod's resolv.conf; the cluster domain
 * is taken to be `cluster.local`). A namespace not stated in a manifest is "the namespace it is applied
 * to" (model/cluster.ts): `S` from a pod whose namespace is not stated reaches a Service whose namespace
 * is not stated either, or is assumed to be the same when only one Service has that name.
 * Ports (§5): `port` is what clients dial, `targetPort` (a number, or the name of a container port; unset:
 * the same as `port`) what the pod listens on. A headless Service (`clusterIP: None`) has no port mapping:
 * clients reach the pods' ports directly.
 */
import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import { getEntry, mapEntries, resolve, scalarText, type AnyNode } from '../yaml/yamlNodes';
import { own, setOwn } from '../lookup';

export interface ServicePort {
  name?: string;
  port: number;
  /** A number, a container port name, or undefined (= port). */
  targetPort?: number | string;
  protocol: string;
  node: AnyNode;
}

export interface ServiceSpec {
  name: string;
  namespace?: string;
  selector: Record<string, string>;
  ports: ServicePort[];
  headless: boolean;
  doc: Document;
  node: YAMLMap;
  /** `Service observability/otel-collector`. */
  label: string;
}

/** A Service of a manifest (`apiVersion: v1`, `kind: Service`). */
export function serviceSpec(doc: Document, node: AnyNode): ServiceSpec | undefined {
  if (!isMap(node)) return undefined;
  const text = (n: AnyNode) => scalarText(n);
  if (text(getEntry(node, doc, 'apiVersion')?.value) !== 'v1' || text(getEntry(node, doc, 'kind')?.value) !== 'Service') return undefined;
  const metadata = getEntry(node, doc, 'metadata')?.value;
  const name = text(getEntry(metadata, doc, 'name')?.value);
  if (!name || name.includes('{{')) return undefined;
  const namespace = text(getEntry(metadata, doc, 'namespace')?.value);
  const spec = getEntry(node, doc, 'spec')?.value;
  const selector: Record<string, string> = {};
  for (const entry of mapEntries(getEntry(spec, doc, 'selector')?.value, doc)) {
    const value = text(entry.value);
    if (value !== undefined) setOwn(selector, entry.key, value);
  }
  const ports: ServicePort[] = [];
  const list = getEntry(spec, doc, 'ports')?.value;
  if (isSeq(list)) {
    for (const raw of list.items) {
      const item = resolve(raw, doc);
      const port = getEntry(item, doc, 'port')?.value;
      if (!isScalar(port) || typeof port.value !== 'number') continue;
      const target = getEntry(item, doc, 'targetPort')?.value;
      const targetPort = isScalar(target) ? (typeof target.value === 'number' ? target.value : typeof target.value === 'string' ? (/^\d+$/.test(target.value) ? Number(target.value) : target.value) : undefined) : undefined;
      const portName = text(getEntry(item, doc, 'name')?.value);
      ports.push({ ...(portName ? { name: portName } : {}), port: port.value, ...(targetPort !== undefined ? { targetPort } : {}), protocol: text(getEntry(item, doc, 'protocol')?.value) ?? 'TCP', node: item });
    }
  }
  const clusterIP = text(getEntry(spec, doc, 'clusterIP')?.value);
  return { name, ...(namespace ? { namespace } : {}), selector, ports, headless: clusterIP === 'None', doc, node: node as YAMLMap, label: `Service ${namespace ? `${namespace}/` : ''}${name}` };
}

export const CLUSTER_DOMAIN = 'cluster.local';

/** The host names of a Service: `name` (same namespace only), `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local`. */
export function serviceHosts(service: Pick<ServiceSpec, 'name' | 'namespace'>): { host: string; sameNamespaceOnly: boolean }[] {
  const ns = service.namespace ?? 'default';
  return [
    { host: service.name, sameNamespaceOnly: true },
    { host: `${service.name}.${ns}`, sameNamespaceOnly: false },
    { host: `${service.name}.${ns}.svc`, sameNamespaceOnly: false },
    { host: `${service.name}.${ns}.svc.${CLUSTER_DOMAIN}`, sameNamespaceOnly: false },
  ];
}

export interface ServiceMatch<S> {
  service: S;
  /** The form dialled: `short` needs the caller in the Service's namespace. */
  form: 'short' | 'namespace' | 'svc' | 'fqdn';
}

/**
 * The Services `host` names from a pod in `fromNamespace` (undefined: not stated). A short name names a
 * Service of the same namespace; with a namespace unstated on either side it is taken as the same.
 * DNS names compare case-insensitively, and a trailing dot (an absolute name) is the same name.
 */
export function servicesForHost<S extends Pick<ServiceSpec, 'name' | 'namespace'>>(services: readonly S[], host: string, fromNamespace: string | undefined): ServiceMatch<S>[] {
  const h = host.toLowerCase().replace(/\.$/, '');
  const out: ServiceMatch<S>[] = [];
  for (const service of services) {
    const name = service.name.toLowerCase();
    const ns = (service.namespace ?? 'default').toLowerCase();
    if (h === name) {
      const same = service.namespace === undefined || fromNamespace === undefined || service.namespace === fromNamespace;
      if (same) out.push({ service, form: 'short' });
    } else if (h === `${name}.${ns}`) out.push({ service, form: 'namespace' });
    else if (h === `${name}.${ns}.svc`) out.push({ service, form: 'svc' });
    else if (h === `${name}.${ns}.svc.${CLUSTER_DOMAIN}`) out.push({ service, form: 'fqdn' });
  }
  return out;
}

/** A container port of a pod (`containers[].ports[]`). */
export interface ContainerPort {
  name?: string;
  containerPort: number;
}

/** Whether `service` selects pods with `labels` (every selector label matches; an empty selector selects nothing: its Endpoints are managed by hand). */
export function selects(service: Pick<ServiceSpec, 'selector'>, labels: Record<string, string>): boolean {
  const entries = Object.entries(service.selector);
  return entries.length > 0 && entries.every(([key, value]) => own(labels, key) === value);
}

/**
 * The pod port a client dialling `service:port` reaches: the targetPort number, the container port of
 * that name, or the port itself; undefined when the Service has no such port or a named target no
 * container port has. A headless Service forwards nothing: the dialled port is the pod's.
 */
export function targetPortOf(service: Pick<ServiceSpec, 'ports' | 'headless'>, port: number, containerPorts: readonly ContainerPort[]): number | undefined {
  if (service.headless) return port;
  const entry = service.ports.find((p) => p.port === port && p.protocol.toUpperCase() === 'TCP');
  if (!entry) return undefined;
  if (entry.targetPort === undefined) return entry.port;
  if (typeof entry.targetPort === 'number') return entry.targetPort;
  return containerPorts.find((c) => c.name === entry.targetPort)?.containerPort;
}

/** A pod's container ports from its containers' `ports` lists. */
export function containerPortsOf(doc: Document, containers: readonly AnyNode[]): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const container of containers) {
    const list = getEntry(container, doc, 'ports')?.value;
    if (!isSeq(list)) continue;
    for (const raw of list.items) {
      const item = resolve(raw, doc);
      const port = getEntry(item, doc, 'containerPort')?.value;
      if (!isScalar(port) || typeof port.value !== 'number') continue;
      const name = scalarText(getEntry(item, doc, 'name')?.value);
      out.push({ ...(name ? { name } : {}), containerPort: port.value });
    }
  }
  return out;
}

/**
 * The Services the operator generates for an OpenTelemetryCollector resource `name` in `namespace`
 * (docs/facts/operator.md §4: `<name>-collector`, `<name>-collector-headless`; their ports are the
 * enabled receivers' ports, targetPort the same).
 */
export function operatorServiceNames(name: string): string[] {
  return [`${name}-collector`, `${name}-collector-headless`];
}

/**
 * Whether a Service name can be the collector Helm chart's Service (docs/facts/helm-chart.md §4): the
 * fullname is `fullnameOverride`, else the release name when it contains the chart name
 * (`nameOverride` or `opentelemetry-collector`), else `<release>-<name>`. The release name is not in the
 * values, so a Service name ending in (or equal to) the chart name matches.
 */
export function isHelmCollectorService(serviceName: string, values: { fullnameOverride?: string; nameOverride?: string }): boolean {
  if (values.fullnameOverride) return serviceName === values.fullnameOverride.slice(0, 63).replace(/-+$/, '');
  const chart = values.nameOverride || 'opentelemetry-collector';
  return serviceName.includes(chart);
}

/**
 * A Service that the tool deploying a collector makes for it, which no manifest of the workspace holds: the
 * operator's for an OpenTelemetryCollector (`<name>-collector`, `<name>-collector-headless`; its ports are
 * the receivers' ports, targetPort the same: docs/facts/operator.md §4), the Helm chart's for its values
 * (named after the release, ports from the values' `ports`: docs/facts/helm-chart.md §4).
 */
export interface GeneratedService {
  /** `Service simplest-collector (the operator's, for OpenTelemetryCollector simplest)`. */
  label: string;
  /** Its name, when the file says it; else `helm` decides which names it can have. */
  name?: string;
  /** The chart's naming values (the fullname depends on the release name, which the values do not hold). */
  helm?: { fullnameOverride?: string; nameOverride?: string };
  /** undefined: the namespace the file is applied to. */
  namespace?: string;
  /** port → targetPort (TCP); undefined: every port the pod's receivers bind, to the same port. */
  ports?: { port: number; targetPort: number }[];
  headless?: boolean;
}

/** The Service name and namespace a host names, by its DNS form (`S`, `S.M`, `S.M.svc`, `S.M.svc.cluster.local`). */
export function serviceHostParts(host: string): { name: string; namespace?: string; form: ServiceMatch<unknown>['form'] } | undefined {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.some((l) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l))) return undefined;
  if (labels.length === 1) return { name: labels[0], form: 'short' };
  if (labels.length === 2) return { name: labels[0], namespace: labels[1], form: 'namespace' };
  if (labels.length === 3 && labels[2] === 'svc') return { name: labels[0], namespace: labels[1], form: 'svc' };
  if (labels.length === 5 && labels.slice(2).join('.') === `svc.${CLUSTER_DOMAIN}`) return { name: labels[0], namespace: labels[1], form: 'fqdn' };
  return undefined;
}

/**
 * Whether a generated Service answers to `host` from a pod in `fromNamespace`, and in which form. A
 * namespace not stated on either side is taken as the same (as for Service manifests).
 */
export function generatedServiceMatch(service: GeneratedService, host: string, fromNamespace: string | undefined): ServiceMatch<GeneratedService>['form'] | undefined {
  const parts = serviceHostParts(host);
  if (!parts) return undefined;
  const named = service.name !== undefined ? parts.name === service.name.toLowerCase() : service.helm ? isHelmCollectorService(parts.name, service.helm) : false;
  if (!named) return undefined;
  if (parts.form === 'short') return service.namespace === undefined || fromNamespace === undefined || service.namespace === fromNamespace ? 'short' : undefined;
  return service.namespace === undefined || service.namespace.toLowerCase() === parts.namespace ? parts.form : undefined;
}

/** The pod port a client dialling a generated Service on `port` reaches (undefined: the Service has no such port). */
export function generatedTargetPort(service: GeneratedService, port: number): number | undefined {
  if (service.headless || !service.ports) return port;
  return service.ports.find((p) => p.port === port)?.targetPort;
}

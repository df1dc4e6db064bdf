/**
 * `tls-conflict`: the Collector's own Config.Validate / ServerConfig.Validate rules, with its
 * verbatim messages (collector-tls.md 2.1): file and PEM both set, certificate without key,
 * a server block with neither, min_version above max_version.
 */
import type { Check, CollectorCheckContext } from './check';
import type { Problem } from '../languageTypes';
import type { Locator } from '../languageTypes';
import { entryPath, tlsPresent, type TlsBlock } from '../model/collector';
import { isKnownSet, isSet, readSetting, type SettingValue } from '../model/tlsValues';
import { defined, problemAt } from '../problems';
import { table } from '../lookup';

const PAIRS: [file: string, pem: string, message: string][] = [
  ['ca_file', 'ca_pem', 'provide either a CA file or the PEM-encoded string, but not both'],
  ['cert_file', 'cert_pem', 'provide either certificate file or PEM, but not both'],
  ['key_file', 'key_pem', 'provide either key file or PEM, but not both'],
];

const VERSION_ORDER: Record<string, number> = table({ '1.0': 0, '1.1': 1, '1.2': 2, '1.3': 3 });

export const tlsConflicts: Check<CollectorCheckContext> = {
  name: 'tlsConflicts',
  kind: 'collector',
  perComponent: true,
  run({ model, runtime, at }) {
    const problems: (Problem | undefined)[] = [];
    for (const block of model.tlsBlocks) {
      if (block.role === 'telemetry') continue;
      if (block.role === 'server' && !tlsPresent(block)) continue;
      const get = (key: string) => readSetting(block, key, runtime.getEnv);
      for (const [fileKey, pemKey, message] of PAIRS) {
        const file = get(fileKey);
        const pem = get(pemKey);
        if (isKnownSet(file) && isKnownSet(pem)) {
          problems.push(problemAt(pem!.entry.keyNode, 'tls-conflict', `${message} (${fileKey} and ${pemKey} are both set).`));
        }
      }
      problems.push(...pairing(block, get, at(block.keyPath)));
      if (block.schema !== 'tlsSquashedClient') problems.push(versionOrder(get, at(entryPath(block, 'max_version'))));
    }
    return defined(problems);
  },
};

function pairing(block: TlsBlock, get: (key: string) => SettingValue | undefined, at: Locator): (Problem | undefined)[] {
  const certs = [get('cert_file'), get('cert_pem')];
  const keys = [get('key_file'), get('key_pem')];
  const hasCert = certs.some(isSet);
  const hasKey = keys.some(isSet);
  const certKnown = certs.some(isKnownSet);
  const keyKnown = keys.some(isKnownSet);
  const message = 'TLS configuration must include both certificate and key (CertFile/CertPem and KeyFile/KeyPem)';
  if (certKnown && !hasKey) {
    const anchor = certs.find(isKnownSet)!.entry.keyNode;
    return [problemAt(anchor, 'tls-conflict', `key_file is missing, and the Collector refuses a certificate without its key: set key_file. The Collector says: "${message}".`, { data: { kind: 'missing-key', missing: 'key_file', at } })];
  }
  if (keyKnown && !hasCert) {
    const anchor = keys.find(isKnownSet)!.entry.keyNode;
    return [problemAt(anchor, 'tls-conflict', `cert_file is missing, and the Collector refuses a key without its certificate: set cert_file. The Collector says: "${message}".`, { data: { kind: 'missing-key', missing: 'cert_file', at } })];
  }
  if (block.role === 'server' && !hasCert && !hasKey) {
    return [
      problemAt(
        block.keyNode ?? block.node,
        'tls-conflict',
        'A server tls block needs cert_file and key_file: set both, or remove the block for plaintext. The Collector says: "TLS configuration must include both certificate and key for server connections".',
        { data: { kind: 'missing-key', missing: 'cert_file', at } },
      ),
    ];
  }
  return [];
}

function versionOrder(get: (key: string) => SettingValue | undefined, at: Locator): Problem | undefined {
  const min = get('min_version');
  const max = get('max_version');
  if (!max || max.unknown || typeof max.known !== 'string' || !(max.known in VERSION_ORDER)) return undefined;
  if (min?.unknown) return undefined;
  const minVersion = typeof min?.known === 'string' && min.known !== '' ? min.known : '1.2';
  if (!(minVersion in VERSION_ORDER)) return undefined;
  if (VERSION_ORDER[max.known] >= VERSION_ORDER[minVersion]) return undefined;
  const implicit = !min || min.known === '' || min.known === undefined;
  return problemAt(
    max.entry.value,
    'tls-conflict',
    'invalid TLS configuration: min_version cannot be greater than max_version' +
      (implicit ? ` (min_version defaults to "1.2", above max_version "${max.known}").` : ` ("${minVersion}" > "${max.known}").`),
    { data: { kind: 'values', values: ['1.2', '1.3'], at } },
  );
}

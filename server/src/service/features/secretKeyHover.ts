/**
 * What the hover and the document link say about a certificate path that is a key of a Secret (or
 * ConfigMap) in the cluster (../certificates/secretKeys.ts): which Certificate writes it, its names,
 * usages, issuer and renewal schedule, or which manifest holds it; and where the link goes (the
 * Certificate's or the Secret's manifest, at its line).
 */
import { URI } from 'vscode-uri';
import type { KeyContents } from '../certificates/secretKeys';
import { renewalText } from '../certificates/rotation';
import { EXT_KEY_USAGE_OIDS, issuedUsages, keyPemType } from '../model/certManager';
import { formatGoDuration } from '../model/goDuration';
import { nodeSpan } from '../yaml/yamlNodes';

/** Markdown lines for the hover of a path that resolves to `contents` (`via`: how the path got there, `volume certs (Secret otel-collector-tls) at /etc/otel/certs`). */
export function secretKeyLines(contents: KeyContents, via: string): string[] {
  switch (contents.kind) {
    case 'issued': {
      const spec = contents.certificate.value;
      const usages = issuedUsages(spec);
      const names = [...spec.dnsNames.map((n) => `DNS:${n.value}`), ...spec.ipAddresses.map((n) => `IP:${n.value}`), ...spec.uris.map((n) => `URI:${n.value}`), ...spec.emailAddresses.map((n) => `email:${n.value}`)];
      return [
        `Key \`${contents.key}\` of Secret \`${spec.secretName?.value ?? '?'}\`, written by cert-manager for **${spec.label}** (${via}). Not a file in the workspace: what the Certificate will issue is checked.`,
        '',
        `| | |`,
        `|---|---|`,
        `| Names (SANs) | ${names.length ? names.join(', ') : 'none'}${spec.commonName ? ` (CN ${spec.commonName.value}, not a SAN)` : ''} |`,
        `| Usages | ${spec.usages.join(', ')}${spec.usagesDefaulted ? ' (the default)' : ''}; extended key usage: ${usages.extKeyUsages.length ? spec.usages.filter((u) => EXT_KEY_USAGE_OIDS[u]).join(', ') : 'none (any)'} |`,
        `| Key | ${spec.privateKey.algorithm} ${spec.privateKey.algorithm === 'Ed25519' ? '' : spec.privateKey.size}, \`${keyPemType(spec.privateKey)}\` (${spec.privateKey.encoding}) |`,
        `| CA | ${spec.isCA ? 'yes' : 'no'} |`,
        `| Issuer | ${contents.issued.issuer.label}${contents.issued.issuer.caUnknown ? ` — its CA is not in the workspace (${contents.issued.issuer.caUnknown})` : ''} |`,
        `| Lifetime | ${formatGoDuration(spec.durationMs ?? 90 * 86_400_000)}; ${renewalText(spec)} |`,
      ];
    }
    case 'data':
      return [`Key \`${contents.key}\` of ${contents.object.object.kind} \`${contents.object.object.namespace ? `${contents.object.object.namespace}/` : ''}${contents.object.object.name ?? '?'}\` (${via}), as its manifest holds it: ${contents.object.object.path}.`];
    case 'absent':
      return [`Not in the container (${via}): ${contents.reason}.`];
    case 'unknown':
      return [`A path in the container (${via}); ${contents.reason}, so its contents are not checked.`];
  }
}

/** The document link target of a resolved key: the Certificate's (or the Secret's) manifest, at its line (`file:///…#L12`). */
export function secretKeyLinkTarget(contents: KeyContents): { target: string; tooltip: string } | undefined {
  const at = contents.kind === 'issued'
    ? { path: contents.certificate.path, text: contents.certificate.text, node: contents.certificate.value.node, label: contents.certificate.value.label }
    : contents.kind === 'data'
      ? { path: contents.object.object.path, text: contents.object.object.text, node: contents.object.nodes.get(contents.key) ?? contents.object.object.node, label: `${contents.object.object.kind} ${contents.object.object.name ?? ''}` }
      : undefined;
  if (!at) return undefined;
  const offset = nodeSpan(at.node)?.[0] ?? 0;
  const line = at.text.slice(0, offset).split('\n').length;
  return { target: `${URI.file(at.path).toString()}#L${line}`, tooltip: `Open ${at.label} (${at.path.split(/[\\/]/).pop()}:${line})` };
}

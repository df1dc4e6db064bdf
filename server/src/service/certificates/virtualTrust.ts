/**
 * Judging a handshake whose certificates are virtual (./virtualCertificates.ts): the verifier runs on
 * them as on files; this module only says what it cannot know.
 *
 * - A chain that ends in a stand-in CA (`caUnknown`: the issuer's CA is not in the workspace) can be
 *   judged against a trust file that is virtual too (the `ca.crt` of a Secret of the same issuer holds the
 *   same stand-in; another issuer's is another CA: a wrong issuer is an error). Against a trust file on
 *   disk or the system roots it cannot: whether that file holds the real CA is unknown. Then the stand-in
 *   is added to the trust for the judgement (so the names, usages, keys and versions are still judged)
 *   and a note says the chain was not (`issuer-not-in-workspace`, information).
 * - A Certificate whose names are templates (`$(VAR)`, `{{ }}`): its host name verdict is not given
 *   (`unresolved-substitution`, information) instead of a false san-mismatch.
 * - An ACME issuer's stand-in public root is among the system roots.
 */
import type { CertificateInfo } from './certificateInfo';
import { systemRootsFor } from './systemRoots';
import { judgeHandshake, type ClientEnd, type HandshakeFinding, type ServerEnd } from './verifyHandshake';
import { acmeRoots, standInCertificates, type VirtualCache } from './virtualCertificates';

export interface VirtualNote {
  code: 'issuer-not-in-workspace' | 'unresolved-substitution';
  message: string;
  /** What the TLS map says of the step left unjudged: the message without its first sentence (what to do). */
  step?: string;
  /** Where it sits: the server chain (anchor: endpoint) or the client certificate. */
  anchor: 'endpoint' | 'client-cert' | 'ca';
}

/** An issuer-not-in-workspace note: `first` says what is wrong and what to do, `step` what was not judged. */
function note(anchor: VirtualNote['anchor'], first: string, step: string): VirtualNote {
  return { code: 'issuer-not-in-workspace', anchor, message: `${first} ${step}`, step };
}

/** The stand-in CA a chain ends in, when its issuer's CA is not in the workspace. */
function unknownCa(chain: readonly CertificateInfo[] | undefined): CertificateInfo | undefined {
  const top = chain?.[chain.length - 1];
  return top?.virtual?.caUnknown ? top : undefined;
}

function standInOf(chain: readonly CertificateInfo[] | undefined): { reason: string; identity: string } | undefined {
  const leaf = chain?.[0];
  return leaf?.virtual?.caUnknown ? { reason: leaf.virtual.caUnknown, identity: leaf.virtual.caIdentity ?? '' } : undefined;
}

/** Whether `trust` holds the stand-in CA `identity` (a ca.crt of a Secret of that unknown issuer). */
function sameStandIn(trust: readonly CertificateInfo[], identity: string): boolean {
  return trustIsVirtual(trust) && trust.some((c) => c.virtual?.caUnknown !== undefined && c.virtual.caIdentity === identity);
}

/** Whether `trust` can be compared with a stand-in CA: it is made of virtual certificates of the workspace. */
function trustIsVirtual(trust: readonly CertificateInfo[]): boolean {
  return trust.length > 0 && trust.every((c) => c.virtual !== undefined);
}

/**
 * The ends as the verifier should see them, and what cannot be judged. `standIns` are the stand-in CA
 * certificates of the server's and client's issuers (the `ca.crt` a Secret of that issuer would hold),
 * which the chains' tops are not (a leaf's tls.crt holds no root): supplied by the caller from the issuance.
 */
export function virtualEnds(client: ClientEnd, server: ServerEnd, standIns: { server?: CertificateInfo[]; client?: CertificateInfo[] } = {}): { client: ClientEnd; server: ServerEnd; notes: VirtualNote[] } {
  const notes: VirtualNote[] = [];
  let c = client;
  let s = server;
  const serverStandIn = standInOf(server.certificates);
  if (serverStandIn && server.certificates && Array.isArray(client.roots) && !trustIsVirtual(client.roots)) {
    const ca = standIns.server ?? [];
    c = { ...c, roots: [...client.roots, ...ca] };
    notes.push(note('ca', "The server certificate's CA is not in the workspace, so its trust is not judged: add its issuer.", `Whether ${client.rootsSetting} holds the CA that signs the server certificate cannot be judged here: ${serverStandIn.reason}. The rest of the handshake was judged.`));
  } else if (serverStandIn && Array.isArray(client.roots) && sameStandIn(client.roots, serverStandIn.identity)) {
    // ca.crt of a Secret of the same issuer: the same CA, if that issuer writes ca.crt at all (docs/facts/cert-manager.md §5).
    notes.push(note('ca', "The issuer's CA is not in the workspace: the chain is judged as if ca.crt holds it.", `${client.rootsSetting} and the server certificate are from the same issuer, whose CA is not in the workspace (${serverStandIn.reason}): the chain is judged as if ${client.rootsSetting} holds that CA, which it does if the issuer writes ca.crt (CA, SelfSigned and Vault issuers do; an ACME issuer writes none). The rest of the handshake was judged.`));
  } else if (serverStandIn && client.roots === 'system') {
    c = { ...c, roots: [...(standIns.server ?? [])] };
    notes.push(note('endpoint', "The server certificate's CA is not in the workspace, so system trust is not judged: add its issuer.", `Whether the system roots (${client.rootsSetting} is not set) trust the server certificate cannot be judged here: ${serverStandIn.reason}; a private CA is not among them. The rest of the handshake was judged.`));
  }
  const clientStandIn = standInOf(Array.isArray(client.certificates) ? client.certificates : undefined);
  if (clientStandIn && server.requiresClientCert && server.clientCas && !trustIsVirtual(server.clientCas)) {
    s = { ...s, clientCas: [...server.clientCas, ...(standIns.client ?? [])] };
    notes.push(note('client-cert', "The client certificate's CA is not in the workspace, so its trust is not judged: add its issuer.", `Whether ${server.name}'s client_ca_file holds the CA that signs this client certificate cannot be judged here: ${clientStandIn.reason}. The rest was judged.`));
  }
  if (clientStandIn && server.requiresClientCert && server.clientCas && sameStandIn(server.clientCas, clientStandIn.identity)) {
    notes.push(note('client-cert', "The issuer's CA is not in the workspace: the chain is judged as if client_ca_file holds it.", `${server.name}'s client_ca_file and this client certificate are from the same issuer, whose CA is not in the workspace (${clientStandIn.reason}): its verification is judged as if client_ca_file holds that CA, which it does if the issuer writes ca.crt (CA, SelfSigned and Vault issuers do; an ACME issuer writes none). The rest was judged.`));
  }
  const leaf = server.certificates?.[0];
  const templated = leaf?.virtual?.unknownFields?.filter((f) => ['dnsNames', 'ipAddresses', 'commonName'].includes(f));
  if (leaf && templated?.length) {
    notes.push({ code: 'unresolved-substitution', anchor: 'endpoint', message: `The host name is not judged: ${leaf.virtual!.source} has ${templated.join(', ')} that are only known once rendered (a template or a kustomize variable).` });
  }
  return { client: c, server: s, notes };
}

/** Findings about the host name dropped where the server certificate's names are not known here. */
export function withoutUnknownNames(findings: HandshakeFinding[], server: ServerEnd): HandshakeFinding[] {
  const templated = server.certificates?.[0]?.virtual?.unknownFields?.some((f) => ['dnsNames', 'ipAddresses', 'commonName'].includes(f));
  return templated ? findings.filter((f) => f.code !== 'san-mismatch' && f.code !== 'cn-only') : findings;
}

/** The system roots, with the stand-in public roots of the ACME issuers a chain comes from. */
export function withPublicRoots(systemRootsFor: (presented: readonly CertificateInfo[]) => CertificateInfo[], acmeRoots: () => CertificateInfo[]): (presented: readonly CertificateInfo[]) => CertificateInfo[] {
  return (presented) => (presented.some((c) => c.virtual?.publicAcme) ? [...systemRootsFor(presented), ...acmeRoots()] : systemRootsFor(presented));
}

export { unknownCa };

/**
 * The handshake judgement the checks use (./verifyHandshake.ts judgeHandshake with the system roots),
 * for ends whose certificates may be virtual: what cannot be judged is said (`issuer-not-in-workspace`,
 * `unresolved-substitution`, information, on the trust setting, the endpoint or the client certificate)
 * and left out of the verdict. Ends without virtual certificates get exactly judgeHandshake's findings.
 */
export function judgeVirtual(client: ClientEnd, server: ServerEnd, cache: VirtualCache): HandshakeFinding[] {
  const standIn = (chain: readonly CertificateInfo[] | 'none' | undefined) => {
    const leaf = Array.isArray(chain) ? chain[0] : undefined;
    return leaf?.virtual?.caUnknown ? standInCertificates(cache, leaf.virtual.caIdentity, leaf.virtual.caUnknown) : undefined;
  };
  const serverStandIn = standIn(server.certificates);
  const clientStandIn = standIn(client.certificates);
  const ends = virtualEnds(client, server, { ...(serverStandIn ? { server: serverStandIn } : {}), ...(clientStandIn ? { client: clientStandIn } : {}) });
  const findings = withoutUnknownNames(judgeHandshake(ends.client, ends.server, withPublicRoots(systemRootsFor, () => acmeRoots(cache))), ends.server);
  // A host a Certificate does not cover: the fix is in its spec, which cert-manager re-issues.
  const spec = server.certificates?.[0]?.virtual?.spec;
  if (spec) {
    for (const finding of findings) {
      if (finding.code !== 'san-mismatch') continue;
      const names = spec.dnsNames.map((n) => n.value);
      finding.message += ` This certificate is what ${spec.label} issues: add ${JSON.stringify(client.host)} to its spec.dnsNames (cert-manager then re-issues it)${names.length ? `, or dial ${names.map((n) => JSON.stringify(n)).join(' or ')}` : ''}.`;
    }
  }
  const notes: HandshakeFinding[] = ends.notes.map((note) => ({ code: note.code, severity: 'information', message: note.message, ...(note.step ? { step: note.step } : {}), anchor: note.anchor, related: note.anchor === 'client-cert' ? 'client_ca_file' : 'cert_file' }));
  return [...notes, ...findings];
}

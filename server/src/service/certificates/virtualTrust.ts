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
import type { ClientEnd, HandshakeFinding, ServerEnd } from './verifyHandshake';

export interface VirtualNote {
  code: 'issuer-not-in-workspace' | 'unresolved-substitution';
  message: string;
  /** Where it sits: the server chain (anchor: endpoint) or the client certificate. */
  anchor: 'endpoint' | 'client-cert' | 'ca';
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
    notes.push({ code: 'issuer-not-in-workspace', anchor: 'ca', message: `Whether ${client.rootsSetting} holds the CA that signs the server certificate cannot be judged here: ${serverStandIn.reason}. The rest of the handshake was judged.` });
  } else if (serverStandIn && client.roots === 'system') {
    c = { ...c, roots: [...(standIns.server ?? [])] };
    notes.push({ code: 'issuer-not-in-workspace', anchor: 'endpoint', message: `Whether the system roots (${client.rootsSetting} is not set) trust the server certificate cannot be judged here: ${serverStandIn.reason}; a private CA is not among them. The rest of the handshake was judged.` });
  }
  const clientStandIn = standInOf(Array.isArray(client.certificates) ? client.certificates : undefined);
  if (clientStandIn && server.requiresClientCert && server.clientCas && !trustIsVirtual(server.clientCas)) {
    s = { ...s, clientCas: [...server.clientCas, ...(standIns.client ?? [])] };
    notes.push({ code: 'issuer-not-in-workspace', anchor: 'client-cert', message: `Whether ${server.name}'s client_ca_file holds the CA that signs this client certificate cannot be judged here: ${clientStandIn.reason}. The rest was judged.` });
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

/**
 * Go's crypto/x509 Certificate.Verify, as crypto/tls calls it in a handshake: the leaf's isValid and
 * VerifyHostname, buildChains over the trust pool and the peer's intermediates (candidates ordered
 * by key identifiers, alreadyInChain, CheckSignatureFrom, isValid of every candidate with name
 * constraints, CA and path length checks), policy validation (Go 1.24+), then checkChainForKeyUsage
 * over every candidate chain. The error is the one Go returns, verbatim, chosen as Go chooses it
 * (the last candidate's isValid error, else "unknown authority" with the first hint).
 *
 * `go` selects the Go release: '1.24+' (what current Collectors are built with) or '1.23' (the Go
 * the integration tests run). Line references for every rule: docs/tls-rules.md.
 */
import { createHash } from 'node:crypto';
import type { CertificateInfo } from './certificateInfo';
import { domainToReverseLabels } from './goParse';
import { ipText, signatureVerifies } from './certificateInfo';
import { verifyHostname } from './hostname';

export type GoRelease = '1.24+' | '1.23';
export type Usage = 'serverAuth' | 'clientAuth';

export type GoErrorKind =
  | 'unknown-authority'
  | 'expired'
  | 'not-yet-valid'
  | 'not-authorized-to-sign'
  | 'too-many-intermediates'
  | 'name-constraints'
  | 'incompatible-usage'
  | 'no-valid-chains'
  | 'unhandled-critical'
  | 'hostname'
  | 'constraint-violation'
  | 'insecure-algorithm'
  | 'unsupported-algorithm'
  | 'key-mismatch-algorithm'
  | 'bad-signature'
  | 'rsa-key-too-small'
  | 'signature-limit';

export interface GoError {
  kind: GoErrorKind;
  /** Error() of Go's error value. */
  text: string;
  /** The certificate the error is about. */
  cert?: CertificateInfo;
  /** For unknown-authority: the first candidate that was rejected, and why. */
  hint?: GoError;
}

export interface GoVerifyInput {
  leaf: CertificateInfo;
  /** opts.Intermediates: the other certificates the peer sent. */
  intermediates: CertificateInfo[];
  /** opts.Roots (already filtered as AppendCertsFromPEM would: parsed, no PEM headers). */
  roots: CertificateInfo[];
  now: Date;
  /** opts.KeyUsages; 'any' is ExtKeyUsageAny, which skips checkChainForKeyUsage (verify.go Verify). */
  usage: Usage | 'any';
  /** opts.DNSName (clients only). */
  dnsName?: string;
  go: GoRelease;
  /** Not Go: verify RSA-PSS signatures of any salt, as the JDK does (the Java SDK's verdict). */
  anyPssSalt?: boolean;
}

export interface GoVerifyOutput {
  error?: GoError;
  /** Every chain that passed (leaf first, anchor last). */
  chains: CertificateInfo[][];
  /** Every candidate chain buildChains found (before policy and EKU filtering). */
  candidates: CertificateInfo[][];
}

const MAX_SIGNATURE_CHECKS = 100;
const MAX_CONSTRAINT_COMPARISONS = 250000;

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** isValid's validity window check (Go: CertificateInvalidError{Expired}). */
export function goValidity(cert: CertificateInfo, now: Date): GoError | undefined {
  if (now < cert.notBefore) return { kind: 'not-yet-valid', cert, text: `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(cert.notBefore)}` };
  if (now > cert.notAfter) return { kind: 'expired', cert, text: `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(cert.notAfter)}` };
  return undefined;
}

function verifiesSignature(child: CertificateInfo, parent: CertificateInfo): boolean {
  return signatureVerifies(child, parent);
}

/**
 * Go's Certificate.CheckSignatureFrom(parent) with checkSignature(allowSHA1 = false): the parent
 * must be a CA (v3 with basicConstraints CA:TRUE, or a v1/v2 certificate), its KeyUsage (when any
 * bit is set) must include keyCertSign, the algorithms must be ones Go implements, SHA-1 and MD5
 * are refused, and the signature must verify (1.24+: with an RSA key of at least 1024 bits).
 */
export function goCheckSignatureFrom(child: CertificateInfo, parent: CertificateInfo, go: GoRelease, anyPssSalt = false): GoError | undefined {
  const p = parent.go;
  if ((p.version === 3 && !p.basicConstraintsValid) || (p.basicConstraintsValid && !p.isCa)) {
    return { kind: 'constraint-violation', cert: parent, text: 'x509: invalid signature: parent certificate cannot sign this kind of certificate' };
  }
  if (p.keyUsage !== 0 && (p.keyUsage & KEY_USAGE.certSign) === 0) {
    return { kind: 'constraint-violation', cert: parent, text: 'x509: invalid signature: parent certificate cannot sign this kind of certificate' };
  }
  if (p.publicKeyAlgorithm === 'unknown') return { kind: 'unsupported-algorithm', cert: parent, text: 'x509: cannot verify signature: algorithm unimplemented' };
  const c = child.go;
  // The JDK (GoVerifyInput.anyPssSalt) verifies an RSA-PSS signature whatever its salt.
  if (anyPssSalt && c.otherPssSalt && p.publicKeyAlgorithm === 'RSA') {
    return verifiesSignature(child, parent) ? undefined : { kind: 'bad-signature', cert: parent, text: 'crypto/rsa: verification error' };
  }
  if (c.signatureHash === 'unknown') return { kind: 'unsupported-algorithm', cert: child, text: 'x509: cannot verify signature: algorithm unimplemented' };
  if (c.signatureHash === 'MD5' || c.signatureHash === 'SHA1') {
    const override = go === '1.23' && (c.signatureAlgorithm === 'SHA1-RSA' || c.signatureAlgorithm === 'ECDSA-SHA1') ? ' (temporarily override with GODEBUG=x509sha1=1)' : '';
    return { kind: 'insecure-algorithm', cert: child, text: `x509: cannot verify signature: insecure algorithm ${c.signatureAlgorithm}${override}` };
  }
  // checkSignature switches on the parent's key type: DSA keys are not implemented.
  if (p.publicKeyAlgorithm === 'DSA') return { kind: 'unsupported-algorithm', cert: parent, text: 'x509: cannot verify signature: algorithm unimplemented' };
  if (c.signaturePublicKeyAlgorithm !== p.publicKeyAlgorithm) {
    const goType = p.publicKeyAlgorithm === 'RSA' ? '*rsa.PublicKey' : p.publicKeyAlgorithm === 'ECDSA' ? '*ecdsa.PublicKey' : 'ed25519.PublicKey';
    return { kind: 'key-mismatch-algorithm', cert: parent, text: `x509: signature algorithm specifies an ${c.signaturePublicKeyAlgorithm} public key, but have public key of type ${goType}` };
  }
  if (p.publicKeyAlgorithm === 'RSA' && go === '1.24+' && (p.rsaBits ?? 0) < 1024) {
    return { kind: 'rsa-key-too-small', cert: parent, text: `crypto/rsa: ${p.rsaBits ?? 0}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)` };
  }
  if (!verifiesSignature(child, parent)) {
    const text = p.publicKeyAlgorithm === 'ECDSA' ? 'x509: ECDSA verification failure' : p.publicKeyAlgorithm === 'Ed25519' ? 'x509: Ed25519 verification failure' : 'crypto/rsa: verification error';
    return { kind: 'bad-signature', cert: parent, text };
  }
  return undefined;
}

/** Go's KeyUsage bits. */
export const KEY_USAGE = {
  digitalSignature: 1 << 0,
  contentCommitment: 1 << 1,
  keyEncipherment: 1 << 2,
  dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4,
  certSign: 1 << 5,
  crlSign: 1 << 6,
  encipherOnly: 1 << 7,
  decipherOnly: 1 << 8,
} as const;

// ---------------------------------------------------------------------------------------------
// Name constraints (verify.go checkNameConstraints and the match functions).

interface Mailbox {
  local: string;
  domain: string;
}

/** verify.go parseRFC2821Mailbox. */
function parseMailbox(input: string): Mailbox | undefined {
  if (input.length === 0) return undefined;
  const codes = Buffer.from(input, 'latin1');
  let i = 0;
  const local: number[] = [];
  if (codes[0] === 0x22) {
    i = 1;
    for (;;) {
      if (i >= codes.length) return undefined;
      const c = codes[i++];
      if (c === 0x22) break;
      if (c === 0x5c) {
        if (i >= codes.length) return undefined;
        const n = codes[i];
        if (n === 11 || n === 12 || (n >= 1 && n <= 9) || (n >= 14 && n <= 127)) {
          local.push(n);
          i++;
        } else return undefined;
      } else if (c === 11 || c === 12 || c === 32 || c === 33 || c === 127 || (c >= 1 && c <= 8) || (c >= 14 && c <= 31) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126)) {
        local.push(c);
      } else return undefined;
    }
  } else {
    while (i < codes.length) {
      let c = codes[i];
      if (c === 0x5c) {
        i++;
        if (i >= codes.length) return undefined;
        c = codes[i];
        local.push(c);
        i++;
        continue;
      }
      const atext = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || "!#$%&'*+-/=?^_`{|}~.".includes(String.fromCharCode(c));
      if (!atext) break;
      local.push(c);
      i++;
    }
    if (local.length === 0) return undefined;
    const text = Buffer.from(local).toString('latin1');
    if (text.startsWith('.') || text.endsWith('.') || text.includes('..')) return undefined;
  }
  if (i >= codes.length || codes[i] !== 0x40) return undefined;
  const domain = input.slice(i + 1);
  if (!domainToReverseLabels(domain)) return undefined;
  return { local: Buffer.from(local).toString('latin1'), domain };
}

/** verify.go matchDomainConstraint (1.24+: an excluded constraint also covers a wildcard name over it). */
function matchDomainConstraint(domain: string, constraint: string, excluded: boolean, go: GoRelease): boolean | string {
  if (constraint.length === 0) return true;
  const domainLabels = domainToReverseLabels(domain);
  if (!domainLabels) return `x509: internal error: cannot parse domain "${domain}"`;
  const wildcardDomain = domain.startsWith('*');
  let mustHaveSubdomains = false;
  if (constraint.startsWith('.')) {
    mustHaveSubdomains = true;
    constraint = constraint.slice(1);
  }
  let constraintLabels = domainToReverseLabels(constraint);
  if (!constraintLabels) return `x509: internal error: cannot parse domain "${constraint}"`;
  let labels = domainLabels;
  if (labels.length < constraintLabels.length || (mustHaveSubdomains && labels.length === constraintLabels.length)) return false;
  if (go === '1.24+' && excluded && wildcardDomain && labels.length > 1 && constraintLabels.length > 0) {
    labels = labels.slice(0, -1);
    constraintLabels = constraintLabels.slice(0, -1);
  }
  return constraintLabels.every((label, i) => label.toLowerCase() === labels[i].toLowerCase());
}

function matchUriConstraint(uri: string, constraint: string, excluded: boolean, go: GoRelease): boolean | string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  let host = m ? m[1].replace(/^.*@/, '') : '';
  if (host.length === 0) return `URI with empty host ("${uri}") cannot be matched against constraints`;
  if (host.includes(':') && !host.endsWith(']')) host = host.replace(/:[^:]*$/, '');
  if ((host.startsWith('[') && host.endsWith(']')) || /^\d+\.\d+\.\d+\.\d+$/.test(host) || (host.includes(':') && /^[0-9a-f:.]+$/i.test(host))) {
    return `URI with IP ("${uri}") cannot be matched against constraints`;
  }
  return matchDomainConstraint(host, constraint, excluded, go);
}

function matchIpConstraint(ip: Uint8Array, constraint: { ip: Uint8Array; mask: Uint8Array }): boolean {
  if (ip.length !== constraint.ip.length) return false;
  for (let i = 0; i < ip.length; i++) if ((ip[i] & constraint.mask[i]) !== (constraint.ip[i] & constraint.mask[i])) return false;
  return true;
}

function ipNetText(c: { ip: Uint8Array; mask: Uint8Array }): string {
  let bits = 0;
  for (const b of c.mask) bits += b.toString(2).replace(/0/g, '').length;
  return `${ipText(c.ip)}/${bits}`;
}

/** The newest Go's domainNameValid (isValid checks DNS SANs with it; 1.23 used domainToReverseLabels). */
function domainNameValid(s: string): boolean {
  if (s.length === 0) return true;
  if (s.endsWith('.')) return false;
  let lastDot = -1;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && (s.charCodeAt(i) < 33 || s.charCodeAt(i) > 126)) return false;
    if (i === s.length || s[i] === '.') {
      const labelLength = lastDot >= 0 ? i - lastDot - 1 : i;
      if (labelLength === 0) return false;
      lastDot = i;
    }
  }
  return true;
}

function checkNameConstraintsOf(ca: CertificateInfo, chain: CertificateInfo[], go: GoRelease): GoError | undefined {
  const nc = ca.go.nameConstraints;
  if (!nc && !ca.go.extensions.some((e) => e.oid === '2.5.29.30')) return undefined;
  if (!nc) return undefined;
  let count = 0;
  const invalid = (detail: string): GoError => ({ kind: 'name-constraints', cert: ca, text: `x509: a root or intermediate certificate is not authorized to sign for this name: ${detail}` });
  const check = <T, C>(nameType: string, name: string, parsed: T, match: (p: T, c: C, excluded: boolean) => boolean | string, permitted: C[], excluded: C[], show: (c: C) => string): GoError | undefined => {
    count += excluded.length;
    if (count > MAX_CONSTRAINT_COMPARISONS) return { kind: 'name-constraints', cert: ca, text: 'x509: unknown error' };
    for (const constraint of excluded) {
      const r = match(parsed, constraint, true);
      if (typeof r === 'string') return invalid(r);
      if (r) return invalid(`${nameType} "${name}" is excluded by constraint "${show(constraint)}"`);
    }
    count += permitted.length;
    if (count > MAX_CONSTRAINT_COMPARISONS) return { kind: 'name-constraints', cert: ca, text: 'x509: unknown error' };
    let ok = true;
    for (const constraint of permitted) {
      const r = match(parsed, constraint, false);
      if (typeof r === 'string') return invalid(r);
      ok = r;
      if (ok) break;
    }
    if (!ok) return invalid(`${nameType} "${name}" is not permitted by any constraint`);
    return undefined;
  };
  for (const cert of chain) {
    if (!cert.go.hasSan) continue;
    for (const { tag, data } of cert.go.sanEntries) {
      const name = Buffer.from(data).toString('latin1');
      let error: GoError | undefined;
      switch (tag) {
        case 1: {
          const mailbox = parseMailbox(name);
          if (!mailbox) return { kind: 'name-constraints', cert: ca, text: `x509: cannot parse rfc822Name "${name}"` };
          error = check(
            'email address',
            name,
            mailbox,
            (m: Mailbox, constraint: string, excluded) => {
              if (constraint.includes('@')) {
                const cm = parseMailbox(constraint);
                if (!cm) return `x509: internal error: cannot parse constraint "${constraint}"`;
                return m.local === cm.local && m.domain.toLowerCase() === cm.domain.toLowerCase();
              }
              return matchDomainConstraint(m.domain, constraint, excluded, go);
            },
            nc.permittedEmail,
            nc.excludedEmail,
            (c) => c,
          );
          break;
        }
        case 2: {
          const valid = go === '1.24+' ? domainNameValid(name) : !!domainToReverseLabels(name);
          if (!valid) return { kind: 'name-constraints', cert: ca, text: `x509: cannot parse dnsName "${name}"` };
          error = check('DNS name', name, name, (n: string, c: string, excluded) => matchDomainConstraint(n, c, excluded, go), nc.permittedDns, nc.excludedDns, (c) => c);
          break;
        }
        case 6:
          error = check('URI', name, name, (u: string, c: string, excluded) => matchUriConstraint(u, c, excluded, go), nc.permittedUri, nc.excludedUri, (c) => c);
          break;
        case 7:
          error = check('IP address', ipText(data), data, (ip: Uint8Array, c: { ip: Uint8Array; mask: Uint8Array }) => matchIpConstraint(ip, c), nc.permittedIp, nc.excludedIp, ipNetText);
          break;
        default:
          break;
      }
      if (error) return error;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

type CertType = 'leaf' | 'intermediate' | 'root';

/** verify.go isValid. */
export function goIsValid(cert: CertificateInfo, certType: CertType, currentChain: CertificateInfo[], now: Date, go: GoRelease): GoError | undefined {
  const unhandled = go === '1.23' ? cert.go.unhandledCritical123 : cert.go.unhandledCritical;
  if (unhandled.length > 0) return { kind: 'unhandled-critical', cert, text: 'x509: unhandled critical extension' };
  const validity = goValidity(cert, now);
  if (validity) return validity;
  if (certType !== 'leaf') {
    const nc = checkNameConstraintsOf(cert, currentChain, go);
    if (nc) return nc;
  }
  if (certType === 'intermediate' && (!cert.go.basicConstraintsValid || !cert.go.isCa)) {
    return { kind: 'not-authorized-to-sign', cert, text: 'x509: certificate is not authorized to sign other certificates' };
  }
  if (cert.go.basicConstraintsValid && cert.go.maxPathLen >= 0 && currentChain.length - 1 > cert.go.maxPathLen) {
    return { kind: 'too-many-intermediates', cert, text: 'x509: too many intermediates for path length constraint' };
  }
  return undefined;
}

/** The SHA-224 of the certificate's bytes, Go's CertPool key, made once per certificate: a memo of a pure function, held by the certificate's object. */
function sha224(cert: CertificateInfo): string {
  let sum = sums.get(cert);
  if (sum === undefined) {
    sum = createHash('sha224').update(cert.der).digest('hex');
    sums.set(cert, sum);
  }
  return sum;
}

const sums = new WeakMap<CertificateInfo, string>();

/** A CertPool built by AddCert / AppendCertsFromPEM: duplicates (same DER) are added once. */
function pool(certs: CertificateInfo[]): CertificateInfo[] {
  const seen = new Set<string>();
  return certs.filter((c) => {
    const sum = sha224(c);
    if (seen.has(sum)) return false;
    seen.add(sum);
    return true;
  });
}

/** cert_pool.go findPotentialParents: by issuer name, ordered AKID=SKID, then one of them missing, then mismatching. */
function potentialParents(pool: CertificateInfo[], cert: CertificateInfo): CertificateInfo[] {
  const matching: CertificateInfo[] = [];
  const oneKeyId: CertificateInfo[] = [];
  const mismatch: CertificateInfo[] = [];
  for (const candidate of pool) {
    if (candidate.rawSubject !== cert.rawIssuer) continue;
    const skid = candidate.go.subjectKeyId ?? '';
    const akid = cert.go.authorityKeyId ?? '';
    if (skid === akid) matching.push(candidate);
    else if ((skid === '' && akid !== '') || (skid !== '' && akid === '')) oneKeyId.push(candidate);
    else mismatch.push(candidate);
  }
  return [...matching, ...oneKeyId, ...mismatch];
}

/** verify.go alreadyInChain: same subject, same public key, and the same SAN extension (or none). */
function alreadyInChain(candidate: CertificateInfo, chain: CertificateInfo[]): boolean {
  return chain.some((c) => c.rawSubject === candidate.rawSubject && c.go.spki === candidate.go.spki && (c.go.sanValue ?? null) === (candidate.go.sanValue ?? null));
}

interface BuildState {
  sigChecks: number;
  roots: CertificateInfo[];
  intermediates: CertificateInfo[];
  now: Date;
  go: GoRelease;
  anyPssSalt?: boolean;
}

/** verify.go buildChains, error selection included. */
function buildChains(cert: CertificateInfo, currentChain: CertificateInfo[], state: BuildState): { chains: CertificateInfo[][]; error?: GoError } {
  let hint: GoError | undefined;
  let error: GoError | undefined;
  const chains: CertificateInfo[][] = [];
  const consider = (certType: 'root' | 'intermediate', candidate: CertificateInfo) => {
    // A candidate Go cannot read the key of (UnknownPublicKeyAlgorithm) has a nil PublicKey and is skipped.
    if (candidate.go.publicKeyAlgorithm === 'unknown' || alreadyInChain(candidate, currentChain)) return;
    state.sigChecks++;
    if (state.sigChecks > MAX_SIGNATURE_CHECKS) {
      error = { kind: 'signature-limit', text: 'x509: signature check attempts limit reached while verifying certificate chain' };
      return;
    }
    const sig = goCheckSignatureFrom(cert, candidate, state.go, state.anyPssSalt);
    if (sig) {
      hint ??= sig;
      return;
    }
    error = goIsValid(candidate, certType, currentChain, state.now, state.go);
    if (error) {
      hint ??= error;
      return;
    }
    if (certType === 'root') {
      chains.push([...currentChain, candidate]);
    } else {
      const sub = buildChains(candidate, [...currentChain, candidate], state);
      error = sub.error;
      chains.push(...sub.chains);
    }
  };
  for (const root of potentialParents(state.roots, cert)) consider('root', root);
  for (const intermediate of potentialParents(state.intermediates, cert)) consider('intermediate', intermediate);
  if (chains.length > 0) error = undefined;
  if (chains.length === 0 && !error) {
    error = { kind: 'unknown-authority', cert, text: unknownAuthorityText(hint), ...(hint ? { hint } : {}) };
  }
  return { chains, error };
}

function unknownAuthorityText(hint: GoError | undefined): string {
  if (!hint?.cert) return 'x509: certificate signed by unknown authority';
  return `x509: certificate signed by unknown authority (possibly because of ${goQuote(hint.text)} while trying to verify candidate authority certificate ${goQuote(goCertName(hint.cert))})`;
}

/** Go's %q for the ASCII texts of these errors. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** The name Go prints for a candidate authority: CN, else the first O, else serial:N. */
export function goCertName(cert: CertificateInfo): string {
  if (cert.commonName) return cert.commonName;
  const o = /(?:^|, )O=([^,]*)/.exec(cert.subject)?.[1];
  return o ?? `serial:${cert.go.serialDecimal}`;
}

/** verify.go checkChainForKeyUsage for one requested usage. */
export function goChainAllowsUsage(chain: CertificateInfo[], usage: Usage): boolean {
  const wanted = usage === 'serverAuth' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2';
  for (let i = chain.length - 1; i >= 0; i--) {
    const g = chain[i].go;
    if (g.extKeyUsage.length === 0 && g.unknownExtKeyUsage.length === 0) continue;
    if (g.extKeyUsage.includes('2.5.29.37.0')) continue;
    if (!g.extKeyUsage.includes(wanted)) return false;
  }
  return true;
}

/** The certificate (from the root down) that stops `usage`. */
export function goUsageBlocker(chain: CertificateInfo[], usage: Usage): CertificateInfo | undefined {
  for (let i = chain.length - 1; i >= 0; i--) if (!goChainAllowsUsage([chain[i]], usage)) return chain[i];
  return undefined;
}

/** Certificate.Verify as crypto/tls calls it. */
export function goVerify(input: GoVerifyInput): GoVerifyOutput {
  const { leaf, now, go } = input;
  const leafError = goIsValid(leaf, 'leaf', [], now, go);
  if (leafError) return { error: leafError, chains: [], candidates: [] };
  if (input.dnsName !== undefined && input.dnsName.length > 0) {
    const host = verifyHostname(leaf, input.dnsName);
    if (!host.ok) return { error: { kind: 'hostname', cert: leaf, text: host.goError }, chains: [], candidates: [] };
  }
  const roots = pool(input.roots);
  let candidates: CertificateInfo[][];
  const leafSum = sha224(leaf);
  if (roots.some((r) => sha224(r) === leafSum)) {
    candidates = [[leaf]];
  } else {
    const built = buildChains(leaf, [leaf], { sigChecks: 0, roots, intermediates: pool(input.intermediates), now, go, anyPssSalt: input.anyPssSalt });
    if (built.error) return { error: built.error, chains: [], candidates: [] };
    candidates = built.chains;
  }
  let chains = candidates;
  let invalidPolicies = 0;
  if (go === '1.24+') {
    chains = candidates.filter((c) => policiesValid(c));
    invalidPolicies = candidates.length - chains.length;
    if (chains.length === 0) return { error: { kind: 'no-valid-chains', cert: leaf, text: 'x509: no valid chains built: all candidate chains have invalid policies' }, chains: [], candidates };
  }
  if (input.usage === 'any') return { chains, candidates };
  const usage = input.usage;
  const usable = chains.filter((c) => goChainAllowsUsage(c, usage));
  if (usable.length === 0) {
    if (invalidPolicies === 0) return { error: { kind: 'incompatible-usage', cert: leaf, text: 'x509: certificate specifies an incompatible key usage' }, chains: [], candidates };
    return { error: { kind: 'no-valid-chains', cert: leaf, text: `x509: no valid chains built: ${chains.length} chains with incompatible key usage, ${invalidPolicies} chains with invalid policies` }, chains: [], candidates };
  }
  return { chains: usable, candidates };
}

// ---------------------------------------------------------------------------------------------
// Policy validation (Go 1.24+ verify.go policiesValid: RFC 5280 6.1 as updated by RFC 9618).

const ANY_POLICY = '2.5.29.32.0';

interface PolicyNode {
  valid: string;
  expected: string[];
  parents: Set<PolicyNode>;
  children: Set<PolicyNode>;
}

function policyNode(valid: string, parents: PolicyNode[]): PolicyNode {
  const n: PolicyNode = { valid, expected: [valid], parents: new Set(), children: new Set() };
  for (const p of parents) {
    p.children.add(n);
    n.parents.add(p);
  }
  return n;
}

class PolicyGraph {
  strata: Map<string, PolicyNode>[] = [new Map([[ANY_POLICY, { valid: ANY_POLICY, expected: [ANY_POLICY], parents: new Set(), children: new Set() }]])];
  parentIndex = new Map<string, PolicyNode[]>();
  depth = 0;
  insert(n: PolicyNode) {
    this.strata[this.depth].set(n.valid, n);
  }
  parentsWithExpected(expected: string): PolicyNode[] {
    return this.depth === 0 ? [] : this.parentIndex.get(expected) ?? [];
  }
  parentWithAnyPolicy(): PolicyNode | undefined {
    return this.depth === 0 ? undefined : this.strata[this.depth - 1].get(ANY_POLICY);
  }
  parents(): PolicyNode[] {
    return this.depth === 0 ? [] : [...this.strata[this.depth - 1].values()];
  }
  leaves(): Map<string, PolicyNode> {
    return this.strata[this.depth];
  }
  deleteLeaf(policy: string) {
    const n = this.strata[this.depth].get(policy);
    if (!n) return;
    for (const p of n.parents) p.children.delete(n);
    for (const c of n.children) c.parents.delete(n);
    this.strata[this.depth].delete(policy);
  }
  validPolicyNodes(): PolicyNode[] {
    const out: PolicyNode[] = [];
    for (let i = this.depth; i >= 0; i--) {
      for (const n of this.strata[i].values()) {
        if (n.valid === ANY_POLICY) continue;
        if (n.parents.size === 1 && [...n.parents][0].valid === ANY_POLICY) out.push(n);
      }
    }
    return out;
  }
  prune() {
    for (let i = this.depth - 1; i > 0; i--) {
      for (const n of [...this.strata[i].values()]) {
        if (n.children.size === 0) {
          for (const p of n.parents) p.children.delete(n);
          this.strata[i].delete(n.valid);
        }
      }
    }
  }
  incrDepth() {
    this.parentIndex = new Map();
    for (const n of this.strata[this.depth].values()) {
      for (const e of n.expected) this.parentIndex.set(e, [...(this.parentIndex.get(e) ?? []), n]);
    }
    this.depth++;
    this.strata.push(new Map());
  }
}

function policiesValid(chain: CertificateInfo[]): boolean {
  if (chain.length === 1) return true;
  const n = chain.length - 1;
  let pg: PolicyGraph | undefined = new PolicyGraph();
  let inhibitAnyPolicy = n + 1;
  let explicitPolicy = n + 1;
  let policyMapping = n + 1;
  for (let i = n - 1; i >= 0; i--) {
    const cert = chain[i].go;
    const isSelfSigned = chain[i].rawIssuer === chain[i].rawSubject;
    if (cert.policies.length === 0) pg = undefined;
    if (explicitPolicy === 0 && !pg) return false;
    if (pg) {
      pg.incrDepth();
      const policies = new Set<string>();
      for (const policy of cert.policies) {
        policies.add(policy);
        if (policy === ANY_POLICY) continue;
        let parents = pg.parentsWithExpected(policy);
        if (parents.length === 0) {
          const anyParent = pg.parentWithAnyPolicy();
          if (anyParent) parents = [anyParent];
        }
        if (parents.length > 0) pg.insert(policyNode(policy, parents));
      }
      if (policies.has(ANY_POLICY) && (inhibitAnyPolicy > 0 || (n - i < n && isSelfSigned))) {
        const missing = new Map<string, PolicyNode[]>();
        const leaves = pg.leaves();
        for (const p of pg.parents()) {
          for (const expected of p.expected) {
            if (!leaves.has(expected)) missing.set(expected, [...(missing.get(expected) ?? []), p]);
          }
        }
        for (const [oid, parents] of missing) pg.insert(policyNode(oid, parents));
      }
      pg.prune();
      if (i !== 0 && cert.policyMappings.length > 0) {
        const mappings = new Map<string, string[]>();
        for (const mapping of cert.policyMappings) {
          if (policyMapping > 0) {
            if (mapping.issuer === ANY_POLICY || mapping.subject === ANY_POLICY) return false;
            mappings.set(mapping.issuer, [...(mappings.get(mapping.issuer) ?? []), mapping.subject]);
          } else {
            pg.deleteLeaf(mapping.issuer);
            pg.prune();
          }
        }
        for (const [issuer, subjects] of mappings) {
          const matching = pg.leaves().get(issuer);
          if (matching) matching.expected = subjects;
          else {
            const any = pg.leaves().get(ANY_POLICY);
            if (any) {
              const node = policyNode(issuer, [any]);
              node.expected = subjects;
              pg.insert(node);
            }
          }
        }
      }
    }
    if (i !== 0) {
      if (!isSelfSigned) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (policyMapping > 0) policyMapping--;
        if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
      }
      if (cert.requireExplicitPolicy !== undefined && cert.requireExplicitPolicy < explicitPolicy) explicitPolicy = cert.requireExplicitPolicy;
      if (cert.inhibitPolicyMapping !== undefined && cert.inhibitPolicyMapping < policyMapping) policyMapping = cert.inhibitPolicyMapping;
      if (cert.inhibitAnyPolicy !== undefined && cert.inhibitAnyPolicy < inhibitAnyPolicy) inhibitAnyPolicy = cert.inhibitAnyPolicy;
    }
  }
  if (explicitPolicy > 0) explicitPolicy--;
  if (chain[0].go.requireExplicitPolicy === 0) explicitPolicy = 0;
  let validSet: PolicyNode[] = [];
  if (pg) {
    validSet = pg.validPolicyNodes();
    const currentAny = pg.leaves().get(ANY_POLICY);
    if (currentAny) validSet.push(currentAny);
  }
  // With no user policy set (crypto/tls passes none), the user-constrained set is the authority-constrained one.
  const authorityConstrained = new Set(validSet.map((n) => n.valid));
  return !(explicitPolicy === 0 && authorityConstrained.size === 0);
}

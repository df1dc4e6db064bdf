/**
 * What the two ends of a handshake leave in common, as Go's crypto/tls server (the Collector's
 * receiver, configured by configtls) decides it against a client: the protocol version
 * (Config.supportedVersions, mutualVersion), at TLS 1.2 and below the cipher suite
 * (pickCipherSuite, cipherSuiteOk: ECDHE needs a shared curve, ECDSA/Ed25519 suites an EC key, RSA
 * suites an RSA key; TLS 1.3 suites are not configurable), the key exchange group (curvePreferences;
 * at TLS 1.3 "no ECDHE curve supported by both client and server"), and whether the server's key can
 * sign at that version (signatureSchemesForCertificate).
 *
 * Clients: Go (the Go SDK, a Collector exporter: configtls ClientConfig), Node 20 (the JS SDK:
 * tls.DEFAULT_CIPHERS expanded by OpenSSL 3.0, groups X25519/P-256/P-384/P-521/X448, TLS 1.2–1.3
 * unless NODE_OPTIONS says otherwise), Python (ssl's default context: TLS 1.2+, its cipher string
 * without SHA-1 CBC suites and without RSA key exchange; grpcio: BoringSSL with gRPC's GCM-only
 * TLS 1.2 list) and Java 17 (TLS 1.2–1.3). Sources and lines: docs/tls-rules.md.
 */
import type { CertificateInfo } from './certificateInfo';

export type TlsVersion = '1.0' | '1.1' | '1.2' | '1.3';
export const VERSIONS: TlsVersion[] = ['1.3', '1.2', '1.1', '1.0'];
const VERSION_CODE: Record<TlsVersion, string> = { '1.3': '304', '1.2': '303', '1.1': '302', '1.0': '301' };

/** Go's cipher suites: name, whether TLS 1.2-only, key exchange and signature kind, OpenSSL's name. */
interface Suite {
  name: string;
  tls12Only: boolean;
  kx: 'ecdhe' | 'rsa';
  sign: 'ec' | 'rsa';
  openssl: string;
  /** In Go's defaults (not CBC_SHA256, RC4, RSA key exchange or 3DES). */
  goDefault: boolean;
  insecure: boolean;
}

const S = (name: string, tls12Only: boolean, kx: Suite['kx'], sign: Suite['sign'], openssl: string, goDefault: boolean, insecure: boolean): Suite => ({ name, tls12Only, kx, sign, openssl, goDefault, insecure });

/** crypto/tls cipher_suites.go CipherSuites() and InsecureCipherSuites() (TLS 1.0–1.2 suites). */
export const GO_SUITES: Suite[] = [
  S('TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', false, 'ecdhe', 'ec', 'ECDHE-ECDSA-AES128-SHA', true, false),
  S('TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', false, 'ecdhe', 'ec', 'ECDHE-ECDSA-AES256-SHA', true, false),
  S('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', false, 'ecdhe', 'rsa', 'ECDHE-RSA-AES128-SHA', true, false),
  S('TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', false, 'ecdhe', 'rsa', 'ECDHE-RSA-AES256-SHA', true, false),
  S('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', true, 'ecdhe', 'ec', 'ECDHE-ECDSA-AES128-GCM-SHA256', true, false),
  S('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', true, 'ecdhe', 'ec', 'ECDHE-ECDSA-AES256-GCM-SHA384', true, false),
  S('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', true, 'ecdhe', 'rsa', 'ECDHE-RSA-AES128-GCM-SHA256', true, false),
  S('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', true, 'ecdhe', 'rsa', 'ECDHE-RSA-AES256-GCM-SHA384', true, false),
  S('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', true, 'ecdhe', 'rsa', 'ECDHE-RSA-CHACHA20-POLY1305', true, false),
  S('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', true, 'ecdhe', 'ec', 'ECDHE-ECDSA-CHACHA20-POLY1305', true, false),
  S('TLS_RSA_WITH_RC4_128_SHA', false, 'rsa', 'rsa', 'RC4-SHA', false, true),
  S('TLS_RSA_WITH_3DES_EDE_CBC_SHA', false, 'rsa', 'rsa', 'DES-CBC3-SHA', false, true),
  S('TLS_RSA_WITH_AES_128_CBC_SHA', false, 'rsa', 'rsa', 'AES128-SHA', false, true),
  S('TLS_RSA_WITH_AES_256_CBC_SHA', false, 'rsa', 'rsa', 'AES256-SHA', false, true),
  S('TLS_RSA_WITH_AES_128_CBC_SHA256', true, 'rsa', 'rsa', 'AES128-SHA256', false, true),
  S('TLS_RSA_WITH_AES_128_GCM_SHA256', true, 'rsa', 'rsa', 'AES128-GCM-SHA256', false, true),
  S('TLS_RSA_WITH_AES_256_GCM_SHA384', true, 'rsa', 'rsa', 'AES256-GCM-SHA384', false, true),
  S('TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', false, 'ecdhe', 'ec', 'ECDHE-ECDSA-RC4-SHA', false, true),
  S('TLS_ECDHE_RSA_WITH_RC4_128_SHA', false, 'ecdhe', 'rsa', 'ECDHE-RSA-RC4-SHA', false, true),
  S('TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', false, 'ecdhe', 'rsa', 'ECDHE-RSA-DES-CBC3-SHA', false, true),
  S('TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', true, 'ecdhe', 'ec', 'ECDHE-ECDSA-AES128-SHA256', false, true),
  S('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', true, 'ecdhe', 'rsa', 'ECDHE-RSA-AES128-SHA256', false, true),
];

export const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** configtls curve names → the group; X25519MLKEM768 exists from Go 1.24. */
export const CURVES = ['P256', 'P384', 'P521', 'X25519', 'X25519MLKEM768'] as const;
export type Curve = (typeof CURVES)[number];

export type ClientStack = 'go' | 'node' | 'python' | 'grpcio' | 'java';

export interface ServerSide {
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** configtls cipher_suites (names as written). */
  cipherSuites?: string[];
  curves?: string[];
  /** The leaf whose key the server signs with. */
  leaf?: CertificateInfo;
}

export interface ClientSide {
  stack: ClientStack;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** Go clients: configtls cipher_suites / curve_preferences of an exporter. */
  cipherSuites?: string[];
  curves?: string[];
  /** Node: --tls-cipher-list (OpenSSL names), when NODE_OPTIONS sets it. */
  opensslCipherList?: string[];
}

export interface Negotiated {
  ok: boolean;
  version?: TlsVersion;
  /** What failed: versions, suite, curve, key. */
  failure?: 'version' | 'cipher' | 'curve' | 'key';
  /** The Collector's (Go server's) error, verbatim. */
  serverError?: string;
  /** What the client reports. */
  clientError?: string;
  detail?: string;
  /** At TLS 1.2 and below: the key exchange of the suite the server picks. */
  keyExchange?: 'ecdhe' | 'rsa';
}

function versionRange(min: TlsVersion, max: TlsVersion): TlsVersion[] {
  return VERSIONS.filter((v) => v >= min && v <= max);
}

/** The versions a Go server configured by configtls offers: min_version default 1.2, max_version default 1.3. */
export function serverVersions(server: ServerSide): TlsVersion[] {
  return versionRange(server.minVersion ?? '1.2', server.maxVersion ?? '1.3');
}

export function clientVersions(client: ClientSide): TlsVersion[] {
  const defaultsMin: Record<ClientStack, TlsVersion> = { go: '1.2', node: '1.2', python: '1.2', grpcio: '1.2', java: '1.2' };
  return versionRange(client.minVersion ?? defaultsMin[client.stack], client.maxVersion ?? '1.3');
}

/** square/okhttp ConnectionSpec.kt APPROVED_CIPHER_SUITES (the TLS 1.2 ones), the Java SDK's OkHttp sender's list. */
const OKHTTP_APPROVED_TLS12 = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
];

/** The TLS 1.2 suites a client offers. */
function clientSuites(client: ClientSide): Suite[] {
  switch (client.stack) {
    case 'go':
      return client.cipherSuites ? GO_SUITES.filter((s) => client.cipherSuites!.includes(s.name)) : GO_SUITES.filter((s) => s.goDefault);
    case 'node':
      // Node 20's tls.DEFAULT_CIPHERS (…:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA) under OpenSSL 3.0: every Go suite but RC4 and 3DES.
      if (client.opensslCipherList) return GO_SUITES.filter((s) => client.opensslCipherList!.includes(s.openssl));
      return GO_SUITES.filter((s) => !s.openssl.includes('RC4') && !s.openssl.includes('DES-CBC3'));
    case 'python':
      // CPython PY_SSL_DEFAULT_CIPHER_STRING: @SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM
      return GO_SUITES.filter((s) => s.kx === 'ecdhe' && !s.openssl.endsWith('-SHA') && !s.openssl.includes('RC4') && !s.openssl.includes('DES'));
    case 'grpcio':
      // gRPC core's default cipher list for TLS 1.2: the four ECDHE AES-GCM suites.
      return GO_SUITES.filter((s) => s.kx === 'ecdhe' && s.openssl.includes('-GCM-'));
    case 'java':
      // OkHttp's ConnectionSpec.MODERN_TLS (APPROVED_CIPHER_SUITES) intersected with what JSSE enables: JDK 17's
      // jdk.tls.disabledAlgorithms disables 3DES_EDE_CBC (and RC4), TLS_RSA_* suites are still enabled. So no
      // CBC-SHA256/384 suite and no ECDHE-ECDSA CBC suite (docs/tls-rules.md J4).
      return GO_SUITES.filter((s) => OKHTTP_APPROVED_TLS12.includes(s.name) && !s.openssl.includes('DES-CBC3'));
  }
}

/** The groups a client offers, in configtls names. */
function clientCurves(client: ClientSide, go: '1.24+' | '1.23'): string[] {
  if (client.stack === 'go') return client.curves?.length ? client.curves : go === '1.24+' ? ['X25519MLKEM768', 'X25519', 'P256', 'P384', 'P521'] : ['X25519', 'P256', 'P384', 'P521'];
  if (client.stack === 'java') return ['X25519', 'P256', 'P384', 'P521'];
  // gRPC core calls SSL_CTX_set_tmp_ecdh with a P-256 key (grpc 1.51.1 ssl_transport_security.cc:864-873,
  // populate_ssl_context), which under OpenSSL 1.1+ sets the supported groups to that one curve.
  if (client.stack === 'grpcio') return ['P256'];
  return ['X25519', 'P256', 'P384', 'P521'];
}

function serverCurves(server: ServerSide, version: TlsVersion, go: '1.24+' | '1.23'): string[] {
  const configured = server.curves?.length ? server.curves : go === '1.24+' ? ['X25519MLKEM768', 'X25519', 'P256', 'P384', 'P521'] : ['X25519', 'P256', 'P384', 'P521'];
  return version === '1.3' ? configured : configured.filter((c) => c !== 'X25519MLKEM768');
}

/** Can the server's key sign a handshake at this version (auth.go signatureSchemesForCertificate)? */
function keyCanSign(leaf: CertificateInfo | undefined, version: TlsVersion): string | undefined {
  if (!leaf) return undefined;
  const g = leaf.go;
  if (g.publicKeyAlgorithm === 'ECDSA') {
    if (version === '1.3' && !['P-256', 'P-384', 'P-521'].includes(g.curve ?? '')) return `tls: unsupported certificate curve (${g.curve === 'P-224' ? 'P-224' : g.curve ?? 'unknown'})`;
    return undefined;
  }
  if (g.publicKeyAlgorithm === 'RSA') {
    const bytes = Math.ceil((g.rsaBits ?? 0) / 8);
    const min = version === '1.3' ? 32 * 2 + 2 : 15 + 20 + 11;
    if (bytes < min) return 'tls: certificate RSA key size too small for supported signature algorithms';
  }
  return undefined;
}

/** The handshake's negotiation between a Go server and `client`. */
export function negotiate(server: ServerSide, client: ClientSide, go: '1.24+' | '1.23' = '1.24+'): Negotiated {
  const sv = serverVersions(server);
  const cv = clientVersions(client);
  if (sv.length === 0) return { ok: false, failure: 'version', serverError: 'tls: no supported versions satisfy MinVersion and MaxVersion', clientError: 'remote error: tls: internal error' };
  const version = sv.find((v) => cv.includes(v));
  if (!version) {
    const offered = cv.map((v) => VERSION_CODE[v]).join(' ');
    return {
      ok: false,
      failure: 'version',
      serverError: `tls: client offered only unsupported versions: [${offered}]`,
      clientError: client.stack === 'go' ? 'remote error: tls: protocol version not supported' : 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION tlsv1 alert protocol version',
      detail: `the receiver allows TLS ${sv.join(', ')} and this client TLS ${cv.join(', ')}`,
    };
  }
  const keyType = server.leaf?.go.publicKeyAlgorithm;
  const sign = keyCanSign(server.leaf, version);
  const groupsServer = serverCurves(server, version, go);
  const groupsClient = clientCurves(client, go);
  const sharedGroups = groupsServer.filter((c) => groupsClient.includes(c));
  if (version === '1.3') {
    if (sharedGroups.length === 0) {
      return {
        ok: false,
        failure: 'curve',
        version,
        serverError: 'tls: no ECDHE curve supported by both client and server',
        clientError: client.stack === 'go' ? 'remote error: tls: handshake failure' : 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE sslv3 alert handshake failure',
        detail: `curve_preferences [${groupsServer.join(', ')}] against the client's [${groupsClient.join(', ')}]`,
      };
    }
    if (sign) return { ok: false, failure: 'key', version, serverError: sign, clientError: 'remote error: tls: internal error' };
    return { ok: true, version };
  }
  // TLS 1.2 and below: a suite both offer that the key and the groups allow.
  const serverList = server.cipherSuites?.length ? GO_SUITES.filter((s) => server.cipherSuites!.includes(s.name)) : GO_SUITES.filter((s) => s.goDefault);
  const offered = clientSuites(client);
  const ecdheOk = sharedGroups.length > 0;
  const usable = serverList.filter((s) => {
    if (!offered.some((o) => o.name === s.name)) return false;
    if (s.tls12Only && version < '1.2') return false;
    if (s.kx === 'ecdhe') return ecdheOk && (s.sign === 'ec' ? keyType === 'ECDSA' || keyType === 'Ed25519' : keyType === 'RSA');
    return keyType === 'RSA';
  });
  if (usable.length === 0) {
    const why: string[] = [];
    const common = serverList.filter((s) => offered.some((o) => o.name === s.name));
    if (common.length === 0) why.push(`none of cipher_suites [${serverList.map((s) => s.name).join(', ')}] is offered by this client`);
    else if (!ecdheOk && common.every((s) => s.kx === 'ecdhe')) why.push(`the ECDHE suites need a shared curve, and curve_preferences [${groupsServer.join(', ')}] shares none with the client's [${groupsClient.join(', ')}]`);
    else why.push(`the suites both offer (${common.map((s) => s.name).join(', ')}) need ${common.every((s) => s.sign === 'rsa') ? 'an RSA' : 'an ECDSA'} key, and the receiver's certificate has ${keyType === 'RSA' ? 'an RSA' : keyType === 'ECDSA' ? 'an ECDSA' : keyType ?? 'an unknown'} key`);
    return {
      ok: false,
      failure: 'cipher',
      version,
      serverError: 'tls: no cipher suite supported by both client and server',
      clientError: client.stack === 'go' ? 'remote error: tls: handshake failure' : 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE sslv3 alert handshake failure',
      detail: why.join('; '),
    };
  }
  if (sign) return { ok: false, failure: 'key', version, serverError: sign, clientError: 'remote error: tls: internal error' };
  // Go's server prefers ECDHE suites; RSA key exchange only when nothing else is shared.
  return { ok: true, version, keyExchange: usable.some((s) => s.kx === 'ecdhe') ? 'ecdhe' : 'rsa' };
}

/** configtls convertCipherSuites: a name that is not a Go suite (or an insecure one without the flag). */
export function unknownCipherSuites(names: string[], includeInsecure: boolean): string[] {
  return names.filter((n) => !TLS13_SUITES.includes(n) && !GO_SUITES.some((s) => s.name === n && (!s.insecure || includeInsecure)));
}

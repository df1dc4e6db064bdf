/**
 * The error cases of the Collector's own configtls tests (config/configtls/configtls_test.go,
 * collector-tls.md 2.3), ported: each input is written as a tls: block, and the checker must
 * report an error whose message holds the Collector's text. The passing cases must get no error.
 * Every assertion is on the whole list of problems.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../support/check';
import { ca, client, server } from '../support/certificates';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';
import type { Problem } from '../../server/src/service/languageTypes';
import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';

// The files the blocks name exist (a CA, a client pair c.*, a server pair s.*), and an inline PEM the
// table writes as a placeholder (`cert_pem: x`) is the matching real PEM, so only the Collector's
// configuration rules can raise an error.
let files: Record<string, string | MemoryFile>;
let inlinePem: Record<'cert_pem' | 'key_pem' | 'ca_pem', string>;
before(async () => {
  const root = await ca('configtls Table CA');
  const c = await client(root);
  const s = await server(root, ['collector']);
  files = {
    '/work/ca.crt': root.pem,
    '/work/test': root.pem,
    '/work/c.crt': c.pem,
    '/work/c.key': { contents: c.keyPem, mode: 0o600 },
    '/work/s.crt': s.pem,
    '/work/s.key': { contents: s.keyPem, mode: 0o600 },
  };
  inlinePem = { cert_pem: c.pem, key_pem: c.keyPem, ca_pem: root.pem };
});

/** `cert_pem: x` (a placeholder) → `cert_pem: |` and the PEM, indented under it. */
function withPem(lines: string): string {
  return lines.replace(/^(cert_pem|key_pem|ca_pem): \w+$/gm, (_, key: 'cert_pem' | 'key_pem' | 'ca_pem') => `${key}: |\n${inlinePem[key].trimEnd().replace(/^/gm, '  ')}`);
}

function exporterTls(lines: string): string {
  return `exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n${withPem(lines).replace(/^/gm, '      ')}\n`;
}
function receiverTls(lines: string): string {
  return `receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n${withPem(lines).replace(/^/gm, '          ')}\n`;
}
const problems = (text: string): Problem[] => check(text, { runtime: memoryRuntime({ files, now: new Date() }) });
const severityOf = (p: Problem) => p.severity ?? diagnosticCodes[p.code].severity;

/**
 * The whole list: exactly one error, holding the Collector's message, and the codes of `also`
 * (notes and warnings the same block rightly gets), nothing else.
 */
function expectError(text: string, message: string, also: string[] = []): void {
  const found = problems(text);
  const errors = found.filter((p) => severityOf(p) === 'error');
  assert.equal(errors.length, 1, JSON.stringify(found.map((p) => `${p.code}: ${p.message}`)));
  assert.ok(errors[0].message.includes(message), `expected an error containing ${JSON.stringify(message)}, got ${JSON.stringify(errors[0].message)}`);
  assert.deepEqual(found.filter((p) => p !== errors[0]).map((p) => p.code), also);
}

// [test name, block lines, expected substring, other codes of the block]
const configValidate: [string, string, string, string[]?][] = [
  ['TLS Config ["asd", ""] to give [Error]', 'min_version: asd', 'invalid TLS min_version: unsupported TLS version: "asd"'],
  ['TLS Config ["", "asd"] to give [Error]', 'max_version: asd', 'invalid TLS max_version: unsupported TLS version: "asd"'],
  ['TLS Config ["0.4", ""] to give [Error]', 'min_version: "0.4"', 'invalid TLS min_version: unsupported TLS version: "0.4"'],
  ['TLS Config ["1.2", "1.1"] to give [Error]', 'min_version: "1.2"\nmax_version: "1.1"', 'invalid TLS configuration: min_version cannot be greater than max_version', ['weak-tls-version']],
  ['TLS Config with both CA File and PEM', 'ca_file: test\nca_pem: test', 'provide either a CA file or the PEM-encoded string, but not both'],
  ['TLS Config with cert file but no key', 'cert_file: c.crt', 'TLS configuration must include both certificate and key (CertFile/CertPem and KeyFile/KeyPem)'],
  ['TLS Config with key file but no cert', 'key_file: c.key', 'TLS configuration must include both certificate and key (CertFile/CertPem and KeyFile/KeyPem)'],
  ['TLS Config with cert PEM but no key', 'cert_pem: x', 'TLS configuration must include both certificate and key (CertFile/CertPem and KeyFile/KeyPem)'],
  ['TLS Config with key PEM but no cert', 'key_pem: x', 'TLS configuration must include both certificate and key (CertFile/CertPem and KeyFile/KeyPem)'],
  ['TLS Config with both cert file and cert PEM', 'cert_file: c.crt\ncert_pem: x\nkey_file: c.key', 'provide either certificate file or PEM, but not both'],
  ['TLS Config with both key file and key PEM', 'cert_file: c.crt\nkey_file: c.key\nkey_pem: x', 'provide either key file or PEM, but not both'],
  ['should pass with invalid min (sic)', 'min_version: "1.7"', 'invalid TLS min_'],
  ['should pass with invalid max (sic)', 'max_version: "1.7"', 'invalid TLS max_'],
];

const loadTime: [string, string, string, string[]?][] = [
  ['invalid cipher suite set', 'cipher_suites: [FOO]', 'invalid TLS cipher suite: "FOO"'],
  ['insecure cipher suites disabled by default', 'cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]', 'invalid TLS cipher suite: "TLS_RSA_WITH_RC4_128_SHA"'],
  ['insecure cipher suites enabled but invalid suite specified', 'include_insecure_cipher_suites: true\ncipher_suites: [TLS_RSA_WITH_RC4_128_SHA, INVALID_SUITE]', 'invalid TLS cipher suite: "INVALID_SUITE"'],
  ['invalid-curve', 'curve_preferences: [P25223236]', 'invalid curve type'],
];

const serverValidate: [string, string, string, string[]?][] = [
  ['server config without certificates', '{}', 'TLS configuration must include both certificate and key for server connections'],
  ['server config with cert file but no key', 'cert_file: s.crt\nclient_ca_file: ca.crt', 'TLS configuration must include both certificate and key (CertFile/CertPem and KeyFile/KeyPem)'],
  ['server config with key file but no cert', 'key_file: s.key', 'TLS configuration must include both certificate and key (CertFile/CertPem and KeyFile/KeyPem)'],
  ['server config with both cert file and cert PEM', 'cert_file: s.crt\ncert_pem: x\nkey_file: s.key', 'provide either certificate file or PEM, but not both', ['mtls-not-enforced']],
  ['server config with both key file and key PEM', 'cert_file: s.crt\nkey_file: s.key\nkey_pem: x', 'provide either key file or PEM, but not both', ['mtls-not-enforced']],
];

describe('configtls TestConfigValidate / TestOptionsToConfig error cases (client block)', () => {
  for (const [name, lines, message, also] of [...configValidate, ...loadTime]) {
    it(name, () => expectError(exporterTls(lines), message, also));
  }
});

describe('configtls TestServerConfigValidate error cases (server block)', () => {
  for (const [name, lines, message, also] of serverValidate) {
    it(name, () => expectError(lines === '{}' ? 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls: {}\n' : receiverTls(lines), message, also));
  }
});

describe('configtls passing cases get no error', () => {
  // [name, block lines, the codes it rightly gets (warnings)]
  const passing: [string, string, string[]?][] = [
    ['empty', 'insecure: false'],
    ['CA file', 'ca_file: ca.crt'],
    ['system + CA', 'ca_file: ca.crt\ninclude_system_ca_certs_pool: true'],
    ['CA + cert + key files', 'ca_file: ca.crt\ncert_file: c.crt\nkey_file: c.key'],
    ['min 1.1 / max 1.2', 'min_version: "1.1"\nmax_version: "1.2"', ['weak-tls-version']],
    ['["","1.3"]', 'max_version: "1.3"'],
    ['["1.3","1.3"]', 'min_version: "1.3"\nmax_version: "1.3"'],
    ['["1.0","1.1"]', 'min_version: "1.0"\nmax_version: "1.1"', ['weak-tls-version', 'weak-tls-version']],
    ['cert file + key PEM', 'cert_file: c.crt\nkey_pem: x'],
    ['cert PEM + key file', 'cert_pem: x\nkey_file: c.key'],
    ['both PEMs', 'cert_pem: x\nkey_pem: y\nca_pem: z'],
    ['a secure cipher suite', 'cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]'],
    ['insecure suites with the flag', 'include_insecure_cipher_suites: true\ncipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA]'],
    ['curves', 'curve_preferences: [P256, P521, X25519, X25519MLKEM768]'],
    ['insecure', 'insecure: true'],
  ];
  for (const [name, lines, codes] of passing) {
    it(name, () => assert.deepEqual(problems(exporterTls(lines)).map((p) => p.code), codes ?? []));
  }
});

/**
 * envSdkSupport: TLS variables a named SDK does not read; envCertificates' key-format: client keys Java
 * cannot load (test/integration/javaKeyFormat.test.ts loads the same kinds of keys with the JDK).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { envCertificates } from '../../server/src/service/checks/envCertificates';
import { envSdkSupport } from '../../server/src/service/checks/envSdkSupport';
import { parseEnvFile } from '../../server/src/service/sources/envFile';
import { defaultSettings } from '../../server/src/service/settings';
import { emptyWorkspace } from '../../server/src/service/model/workspace';
import type { Problem } from '../../server/src/service/languageTypes';
import { marked } from '../support/markers';
import { memoryRuntime } from '../support/memoryRuntime';

const P = 'OTEL_EXPORTER_OTLP_';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const files = {
  '/w/pkcs1.key': { contents: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, mode: 0o600 },
  '/w/sec1.key': { contents: ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string, mode: 0o600 },
  '/w/pkcs8.key': { contents: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, mode: 0o600 },
};

/** tls-ignored from envSdkSupport and key-format from envCertificates (the other file codes are not these tests' business). */
function run(text: string): Problem[] {
  const context = {
    kind: 'env' as const,
    document: { path: '/w/app.env', text },
    runtime: memoryRuntime({ files }),
    settings: defaultSettings,
    workspace: emptyWorkspace,
    model: parseEnvFile(text),
  };
  return [envSdkSupport, envCertificates].flatMap((check) => check.run(context)).filter((p) => p.code === 'tls-ignored' || p.code === 'key-format');
}

/** Asserts the problems sit exactly on the marked ranges, in text order; returns them. */
function expectOn(source: string): Problem[] {
  const { text, ranges } = marked(source);
  const found = run(text).sort((a, b) => a.offset - b.offset);
  assert.deepEqual(found.map((p) => `${p.offset}-${p.offset + p.length}`), ranges.map(([s, e]) => `${s}-${e}`), JSON.stringify(found, null, 1));
  return found;
}

describe('key-format', () => {
  it('PKCS#1 and SEC1 client keys: a warning when no SDK is named, an error for Java, nothing for others', () => {
    const [pkcs1] = expectOn(`${P}CLIENT_KEY=⟦/w/pkcs1.key⟧\n`);
    assert.equal(pkcs1.code, 'key-format');
    assert.equal(pkcs1.severity, 'warning');
    assert.match(pkcs1.message, /PKCS#1 "RSA PRIVATE KEY".*only PKCS#8.*Unable to generate key from supported algorithms.*openssl pkcs8 -topk8/);
    const [sec1] = expectOn(`# otlp-tls: sdk=java-agent\n${P}TRACES_CLIENT_KEY=⟦/w/sec1.key⟧\n`);
    assert.equal(sec1.severity, 'error');
    assert.match(sec1.message, /SEC1 "EC PRIVATE KEY", and the Java agent loads only PKCS#8/);
    expectOn(`# otlp-tls: sdk=go\n${P}CLIENT_KEY=/w/pkcs1.key\n`);
    expectOn(`# otlp-tls: sdk=java\n${P}CLIENT_KEY=/w/pkcs8.key\n`);
  });
});

describe('tls-ignored for a named SDK', () => {
  it('.NET reads only the generic TLS variables', () => {
    const found = expectOn(`# otlp-tls: sdk=dotnet\n${P}TRACES_CERTIFICATE=⟦/w/ca.crt⟧\n${P}CERTIFICATE=/w/ca.crt\n`);
    assert.equal(found[0].code, 'tls-ignored');
    assert.match(found[0].message, /the \.NET SDK reads only the generic OTEL_EXPORTER_OTLP_CERTIFICATE, never OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE/);
    expectOn(`${P}TRACES_CERTIFICATE=/w/ca.crt\n`);
  });
  it('Python\'s gRPC exporter ignores a client pair without a CERTIFICATE', () => {
    const pair = `${P}CLIENT_CERTIFICATE=⟦/w/client.crt⟧\n${P}CLIENT_KEY=⟦/w/pkcs8.key⟧\n`;
    const found = expectOn(`# otlp-tls: sdk=python\n${P}ENDPOINT=https://c:4317\n${pair}`);
    assert.match(found[0].message, /the Python SDK's gRPC exporter ignores the client certificate and key when no CERTIFICATE is set/);
    // With a CERTIFICATE, or with OTLP/HTTP, the pair is read.
    expectOn(`# otlp-tls: sdk=python\n${P}CERTIFICATE=/w/ca.crt\n${pair.replace(/[⟦⟧]/g, '')}`);
    expectOn(`# otlp-tls: sdk=python\n${P}PROTOCOL=http/protobuf\n${pair.replace(/[⟦⟧]/g, '')}`);
  });
});

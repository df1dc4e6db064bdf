/**
 * envSdkSupport: TLS variables a named SDK does not read; envCertificates' key-format: client keys Java
 * cannot load (test/integration/javaKeyFormat.test.ts loads the same kinds of keys with the JDK).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { envCertificates } from '../../server/src/service/checks/envCertificates';
import { envSdkSupport } from '../../server/src/service/checks/envSdkSupport';
import type { Problem } from '../../server/src/service/languageTypes';
import { appContext, assertProblems } from '../support/check';
import { marked } from '../support/markers';
import { memoryRuntime, type MemoryFile } from '../support/memoryRuntime';
import { ca, client } from '../support/certificates';

const P = 'OTEL_EXPORTER_OTLP_';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let files: Record<string, string | MemoryFile>;
before(async () => {
  const root = await ca('SDK Support Test CA');
  const cli = await client(root);
  files = {
    '/w/ca.crt': root.pem,
    '/w/client.crt': cli.pem,
    // PKCS#8, the client certificate's key.
    '/w/pkcs8.key': { contents: cli.keyPem, mode: 0o600 },
    '/w/pkcs1.key': { contents: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, mode: 0o600 },
    '/w/sec1.key': { contents: ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string, mode: 0o600 },
  };
});

/** tls-ignored from envSdkSupport; key-format and the other file findings from envCertificates. */
function run(text: string): Problem[] {
  const context = appContext(text, '/w/app.env', { runtime: memoryRuntime({ files, now: new Date() }) });
  return [envSdkSupport, envCertificates].flatMap((check) => check.run(context));
}

/** Asserts the problems are exactly `codes` on the marked ranges (several codes on one range as a list), in text order, nothing else. */
function expectOn(source: string, codes: (string | string[])[] = []): Problem[] {
  const { text, ranges } = marked(source);
  return assertProblems(run(text).sort((a, b) => a.offset - b.offset), codes, ranges, JSON.stringify(text));
}

describe('key-format', () => {
  it('PKCS#1 and SEC1 client keys: a warning when no SDK is named, an error for Java, nothing for others', () => {
    // A key alone is also an incomplete pair (envCertificates says so on the same value).
    const [pkcs1] = expectOn(`${P}CLIENT_KEY=⟦/w/pkcs1.key⟧\n`, [['key-format', 'incomplete-pair']]);
    assert.equal(pkcs1.code, 'key-format');
    assert.equal(pkcs1.severity, 'warning');
    assert.match(pkcs1.message, /PKCS#1 "RSA PRIVATE KEY".*only PKCS#8.*Unable to generate key from supported algorithms.*openssl pkcs8 -topk8/);
    const [sec1] = expectOn(`# otlp-tls: sdk=java-agent\n${P}TRACES_CLIENT_KEY=⟦/w/sec1.key⟧\n`, [['key-format', 'incomplete-pair']]);
    assert.equal(sec1.severity, 'error');
    assert.match(sec1.message, /SEC1 "EC PRIVATE KEY", and the Java agent loads only PKCS#8/);
    expectOn(`# otlp-tls: sdk=go\n${P}CLIENT_KEY=⟦/w/pkcs1.key⟧\n`, ['incomplete-pair']);
    expectOn(`# otlp-tls: sdk=java\n${P}CLIENT_CERTIFICATE=/w/client.crt\n${P}CLIENT_KEY=/w/pkcs8.key\n`);
  });
});

describe('tls-ignored for a named SDK', () => {
  it('.NET reads only the generic TLS variables', () => {
    const found = expectOn(`# otlp-tls: sdk=dotnet\n${P}TRACES_CERTIFICATE=⟦/w/ca.crt⟧\n${P}CERTIFICATE=/w/ca.crt\n`, ['tls-ignored']);
    assert.equal(found[0].code, 'tls-ignored');
    assert.match(found[0].message, /the \.NET SDK reads only the generic OTEL_EXPORTER_OTLP_CERTIFICATE, never OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE/);
    expectOn(`${P}TRACES_CERTIFICATE=/w/ca.crt\n`);
  });
  it('Python\'s gRPC exporter ignores a client pair without a CERTIFICATE', () => {
    const pair = `${P}CLIENT_CERTIFICATE=⟦/w/client.crt⟧\n${P}CLIENT_KEY=⟦/w/pkcs8.key⟧\n`;
    const found = expectOn(`# otlp-tls: sdk=python\n${P}ENDPOINT=https://c:4317\n${pair}`, ['tls-ignored', 'tls-ignored']);
    assert.match(found[0].message, /the Python SDK's gRPC exporter ignores the client certificate and key when no CERTIFICATE is set/);
    // With a CERTIFICATE, or with OTLP/HTTP, the pair is read.
    expectOn(`# otlp-tls: sdk=python\n${P}CERTIFICATE=/w/ca.crt\n${pair.replace(/[⟦⟧]/g, '')}`);
    expectOn(`# otlp-tls: sdk=python\n${P}PROTOCOL=http/protobuf\n${pair.replace(/[⟦⟧]/g, '')}`);
  });
});

/**
 * key-format agrees with the JDK: client keys in PKCS#1, SEC1 and PKCS#8 form, judged by the checker
 * with the SDK named Java, and loaded by fixtures/KeyLoad.java the way the OpenTelemetry Java SDK
 * loads OTEL_EXPORTER_OTLP_CLIENT_KEY (base64 of a lone "BEGIN PRIVATE KEY" block, then the JDK's
 * RSA and EC KeyFactory with a PKCS8EncodedKeySpec). Skipped when no `java` is on the PATH.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../support/check';
import { ROOT } from '../support/lspClient';
import { nodeRuntime } from '../../server/src/nodeRuntime';

const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;

describe('key-format agrees with the JDK loading keys as the OTel Java SDK does', { skip: java ? false : 'no java on the PATH' }, () => {
  let dir: string;
  const keys: Record<string, string> = {};
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-java-keys-'));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forms: Record<string, string> = {
      'rsa-pkcs1.key': rsa.export({ type: 'pkcs1', format: 'pem' }) as string,
      'ec-sec1.key': ec.export({ type: 'sec1', format: 'pem' }) as string,
      'rsa-pkcs8.key': rsa.export({ type: 'pkcs8', format: 'pem' }) as string,
      'ec-pkcs8.key': ec.export({ type: 'pkcs8', format: 'pem' }) as string,
    };
    for (const [name, pem] of Object.entries(forms)) {
      keys[name] = join(dir, name);
      writeFileSync(keys[name], pem, { mode: 0o600 });
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the checker reports key-format exactly for the keys the JDK cannot load', { timeout: 60_000 }, () => {
    const run = spawnSync('java', [join(ROOT, 'test', 'integration', 'fixtures', 'KeyLoad.java'), ...Object.values(keys)], { encoding: 'utf8', timeout: 50_000 });
    assert.equal(run.status, 0, run.stderr);
    const loaded = new Map(run.stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]));
    for (const [name, path] of Object.entries(keys)) {
      const text = `# otlp-tls: sdk=java\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\nOTEL_EXPORTER_OTLP_CLIENT_KEY=${path}\n`;
      const problems = check(text, { path: join(dir, 'app.env'), runtime: nodeRuntime() });
      const javaLoads = loaded.get(path) === 'ok';
      // The whole list: key-format where the JDK fails, and always the key alone without its certificate (an error for Java),
      // after the note that no collector config of the workspace serves the endpoint.
      assert.deepEqual(problems.map((p) => p.code), javaLoads ? ['no-listener', 'incomplete-pair'] : ['no-listener', 'key-format', 'incomplete-pair'], `${name}: checker ${JSON.stringify(problems.map((p) => p.message))}, JDK: ${loaded.get(path)}`);
      if (!javaLoads) assert.match(problems[1].message, new RegExp(loaded.get(path)!.replace('failed: ', '').replace(/[[\]]/g, '\\$&')));
    }
    assert.deepEqual([...loaded.values()].filter((v) => v === 'ok').length, 2, 'the two PKCS#8 keys load');
  });
});

/** The env file parser and the per-signal view of its settings. Offsets come from indexOf, never by hand. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { envFileUnit, isEnvFilePath, isShellScriptPath, parseEnvFile, type EnvEntry } from '../../server/src/service/sources/envFile';
import { signalSettings, valueSpan } from '../../server/src/service/model/appSettings';

function only(text: string, shell = false): EnvEntry {
  const { entries } = parseEnvFile(text, { shell });
  assert.equal(entries.length, 1, JSON.stringify(entries));
  return entries[0];
}

/** The written value of an entry, as the text holds it. */
function written(text: string, entry: EnvEntry): string {
  return text.slice(entry.valueOffset, entry.valueOffset + entry.valueLength);
}

describe('parseEnvFile (dotenv rules)', () => {
  it('reads KEY=VALUE with name and value offsets', () => {
    const text = 'FOO=bar\nOTEL_SERVICE_NAME=checkout\n';
    const e = only(text);
    assert.equal(e.name, 'OTEL_SERVICE_NAME');
    assert.equal(e.value, 'checkout');
    assert.equal(e.line, 1);
    assert.equal(e.nameOffset, text.indexOf('OTEL_SERVICE_NAME'));
    assert.equal(e.nameLength, 'OTEL_SERVICE_NAME'.length);
    assert.equal(e.valueOffset, text.indexOf('checkout'));
    assert.equal(e.valueLength, 'checkout'.length);
    assert.equal(e.exported, false);
    assert.equal(e.quoted, false);
  });

  it('reads export, blanks around =, and keeps file order', () => {
    const text = '  export OTEL_A=1\nOTEL_B = two\n';
    const { entries } = parseEnvFile(text);
    assert.deepEqual(entries.map((e) => [e.name, e.value, e.exported, e.line]), [['OTEL_A', '1', true, 0], ['OTEL_B', 'two', false, 1]]);
    assert.equal(entries[1].valueOffset, text.indexOf('two'));
  });

  it('unquotes single and double quotes, with \\" escapes; the written value keeps the quotes', () => {
    const text = `OTEL_A='a "b" c'\nOTEL_B="say \\"hi\\" # not a comment"\n`;
    const [a, b] = parseEnvFile(text).entries;
    assert.equal(a.value, 'a "b" c');
    assert.equal(a.quoted, true);
    assert.equal(written(text, a), `'a "b" c'`);
    assert.equal(b.value, 'say "hi" # not a comment');
    assert.equal(written(text, b), `"say \\"hi\\" # not a comment"`);
  });

  it('cuts " # comments" on unquoted values, keeps a#b, skips full-line comments', () => {
    const text = '# OTEL_HIDDEN=1\nOTEL_A=grpc   # the protocol\nOTEL_B=a#b\nOTEL_C=#only a comment\n';
    const entries = parseEnvFile(text).entries;
    assert.deepEqual(entries.map((e) => [e.name, e.value]), [['OTEL_A', 'grpc'], ['OTEL_B', 'a#b'], ['OTEL_C', '']]);
    assert.equal(entries[0].valueLength, 'grpc'.length);
  });

  it('handles CRLF line ends', () => {
    const text = 'OTEL_A=1\r\nOTEL_B="two"\r\nOTEL_C=\r\n';
    const entries = parseEnvFile(text).entries;
    assert.deepEqual(entries.map((e) => [e.value, e.line, e.valueLength]), [['1', 0, 1], ['two', 1, 5], ['', 2, 0]]);
  });

  it('keeps ${VAR} references as written', () => {
    assert.equal(only('OTEL_EXPORTER_OTLP_ENDPOINT=https://${HOST}:4318\n').value, 'https://${HOST}:4318');
  });

  it('ignores non-OTEL lines, including multi-line quoted values of other variables', () => {
    const text = 'CERT="-----BEGIN\nOTEL_FAKE=inside\n-----END"\nPATH=/bin\nOTEL_REAL=1\n';
    const e = only(text);
    assert.equal(e.name, 'OTEL_REAL');
    assert.equal(e.line, 4);
  });

  it('reads a multi-line double-quoted value and counts lines after it', () => {
    const text = 'OTEL_A="x\ny"\nOTEL_B=2\n';
    const [a, b] = parseEnvFile(text).entries;
    assert.equal(a.value, 'x\ny');
    assert.equal(b.line, 2);
  });

  it('takes an unterminated quote to the end of its line and goes on', () => {
    const text = 'OTEL_A="open\nOTEL_B=2\n';
    const [a, b] = parseEnvFile(text).entries;
    assert.equal(a.value, 'open');
    assert.equal(written(text, a), '"open');
    assert.equal(b.value, '2');
  });

  it('skips a byte order mark', () => {
    assert.equal(only('\uFEFFOTEL_A=1').name, 'OTEL_A');
  });

  it('is linear on a 10 MB line and on many unterminated quotes', () => {
    const started = Date.now();
    parseEnvFile('OTEL_A=' + 'a #'.repeat(3_500_000));
    parseEnvFile('OTEL_A="' + '\\"'.repeat(5_000_000));
    parseEnvFile('OTEL_A="\\"\n'.repeat(200_000));
    parseEnvFile("OTEL_A='x\n".repeat(200_000), { shell: true });
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});

describe('parseEnvFile (shell rules)', () => {
  it('reads export and plain assignments, several per line, and ; statements', () => {
    const text = '#!/bin/sh\nexport OTEL_A=1 OTEL_B="two words"\n  OTEL_C=3; export OTEL_D=4\n';
    const entries = parseEnvFile(text, { shell: true }).entries;
    assert.deepEqual(entries.map((e) => [e.name, e.value, e.exported]), [['OTEL_A', '1', true], ['OTEL_B', 'two words', true], ['OTEL_C', '3', false], ['OTEL_D', '4', true]]);
    assert.equal(entries[1].valueOffset, text.indexOf('"two words"'));
    assert.equal(entries[1].valueLength, '"two words"'.length);
  });

  it('ends an unquoted value at a blank: OTEL_X=1 java -jar app.jar', () => {
    const e = only('OTEL_SERVICE_NAME=api java -jar app.jar\n', true);
    assert.equal(e.value, 'api');
  });

  it('does not take commands, arguments or blanks around = for assignments', () => {
    const text = 'echo OTEL_A=1\nOTEL_B = 2\nrun --env OTEL_C=3\nexport OTEL_D\n';
    assert.deepEqual(parseEnvFile(text, { shell: true }).entries, []);
  });

  it('concatenates quoted parts and applies shell escapes', () => {
    const e = only(`OTEL_A="a \\$b"'c'\\ d\n`, true);
    assert.equal(e.value, 'a $bc d');
    assert.equal(e.quoted, true);
  });
});

describe('isEnvFilePath', () => {
  it('accepts .env, *.env, .env.*, *.sh', () => {
    for (const path of ['/w/.env', '/w/app.env', '/w/.env.local', '/w/.env.production', '/w/run.sh', 'C:\\w\\.ENV', '/w/deploy/otel.env']) {
      assert.equal(isEnvFilePath(path), true, path);
    }
  });
  it('rejects other files', () => {
    for (const path of ['/w/collector.yaml', '/w/env', '/w/.envrc', '/w/.env.yaml', '/w/.env.json', '/w/environment.ts', '/w/x.shell']) {
      assert.equal(isEnvFilePath(path), false, path);
    }
  });
  it('tells shell scripts apart', () => {
    assert.equal(isShellScriptPath('/w/run.sh'), true);
    assert.equal(isShellScriptPath('/w/.env'), false);
  });
});

describe('signalSettings (an env file\'s app unit)', () => {
  const P = 'OTEL_EXPORTER_OTLP_';
  it('lets per-signal variables override generic ones, and says where each came from', () => {
    const text = `${P}ENDPOINT=https://c:4318\n${P}PROTOCOL=http/protobuf\n${P}CERTIFICATE=ca.crt\n${P}TRACES_CERTIFICATE=traces-ca.crt\n${P}CLIENT_KEY=c.key\n${P}CLIENT_CERTIFICATE=c.crt\n`;
    const model = envFileUnit(text);
    const traces = signalSettings(model, 'traces');
    assert.equal(traces.certificate?.value, 'traces-ca.crt');
    assert.equal(traces.certificate?.name, `${P}TRACES_CERTIFICATE`);
    assert.equal(signalSettings(model, 'metrics').certificate?.value, 'ca.crt');
    assert.equal(traces.clientKey?.value, 'c.key');
    assert.equal(traces.clientCertificate?.value, 'c.crt');
    assert.equal(traces.protocol?.value, 'http/protobuf');
    assert.equal(traces.signal, 'traces');
  });

  it('appends v1/<signal> to a generic HTTP endpoint, keeps a per-signal one as written (plus /)', () => {
    const model = envFileUnit(`${P}ENDPOINT=http://collector:4318/base/\n${P}LOGS_ENDPOINT=https://logs:4318\n`);
    assert.equal(signalSettings(model, 'traces').effectiveEndpoint, 'http://collector:4318/base/v1/traces');
    assert.equal(signalSettings(model, 'metrics').effectiveEndpoint, 'http://collector:4318/base/v1/metrics');
    assert.equal(signalSettings(model, 'logs').effectiveEndpoint, 'https://logs:4318/');
    assert.equal(signalSettings(envFileUnit(`${P}ENDPOINT=http://c:4318\n`), 'logs').effectiveEndpoint, 'http://c:4318/v1/logs');
  });

  it('uses a gRPC endpoint as written', () => {
    const model = envFileUnit(`${P}ENDPOINT=collector:4317\n${P}PROTOCOL=grpc\n`);
    assert.equal(signalSettings(model, 'traces').effectiveEndpoint, 'collector:4317');
  });

  it('treats an empty per-signal value as unset, and lets a later assignment win', () => {
    const model = envFileUnit(`${P}ENDPOINT=http://a:4318\n${P}TRACES_ENDPOINT=\n${P}ENDPOINT=http://b:4318\n`);
    const traces = signalSettings(model, 'traces');
    assert.equal(traces.endpoint?.value, 'http://b:4318');
    assert.equal(traces.effectiveEndpoint, 'http://b:4318/v1/traces');
  });

  it('leaves the effective endpoint unknown when it holds ${...} or is not set', () => {
    const model = envFileUnit(`${P}TRACES_ENDPOINT=\${OTLP_URL}\n`);
    assert.equal(signalSettings(model, 'traces').endpoint?.value, undefined, 'a ${...} value is unknown here');
    assert.equal(signalSettings(model, 'traces').endpoint?.written, `${P}TRACES_ENDPOINT`);
    assert.equal(signalSettings(model, 'traces').effectiveEndpoint, undefined);
    assert.equal(signalSettings(model, 'metrics').endpoint, undefined);
  });

  it('reads the obsolete SPAN_INSECURE for traces, after TRACES_INSECURE', () => {
    assert.equal(signalSettings(envFileUnit(`${P}SPAN_INSECURE=true\n${P}INSECURE=false\n`), 'traces').insecure?.value, 'true');
    assert.equal(signalSettings(envFileUnit(`${P}SPAN_INSECURE=true\n${P}TRACES_INSECURE=false\n`), 'traces').insecure?.value, 'false');
  });
});

describe('valueSpan', () => {
  it('maps value indices to text offsets for plain and simply quoted values, else covers the whole value', () => {
    const text = 'OTEL_A=abc\nOTEL_B="abc"\nOTEL_C="a\\"c"\n';
    const [a, b, c] = envFileUnit(text).settings;
    assert.deepEqual(valueSpan(text, a, 1, 2), { offset: text.indexOf('abc') + 1, length: 1 });
    assert.deepEqual(valueSpan(text, b, 1, 2), { offset: text.indexOf('"abc"') + 2, length: 1 });
    assert.deepEqual(valueSpan(text, c, 1, 2), { offset: c.valueOffset, length: c.valueLength });
  });
});

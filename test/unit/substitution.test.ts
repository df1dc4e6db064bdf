/** The Collector's value expansion rules (collector-tls.md section 6). */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { expandValue } from '../../server/src/service/yaml/substitution';

const env: Record<string, string> = { HOST: 'collector', EMPTY: '', B: 'inner' };
const getEnv = (name: string) => env[name];

it('literal values collapse $$ and leave bare $VAR alone', () => {
  assert.deepEqual(expandValue('a$$b', getEnv), { kind: 'literal', value: 'a$b' });
  assert.deepEqual(expandValue('$HOST:4317', getEnv), { kind: 'literal', value: '$HOST:4317' });
});

it('${env:VAR}, ${VAR} and embedded references resolve from the environment', () => {
  assert.equal((expandValue('${env:HOST}', getEnv) as { value?: string }).value, 'collector');
  assert.equal((expandValue('${HOST}', getEnv) as { value?: string }).value, 'collector');
  assert.equal((expandValue('https://${env:HOST}:4317', getEnv) as { value?: string }).value, 'https://collector:4317');
});

it(':- defaults apply only when the variable is unset; an empty variable stays empty', () => {
  assert.equal((expandValue('${env:NOPE:-/certs/ca.crt}', getEnv) as { value?: string }).value, '/certs/ca.crt');
  assert.equal((expandValue('${env:EMPTY:-x}', getEnv) as { value?: string }).value, '');
  assert.equal((expandValue('${env:A:-${env:B}}', getEnv) as { value?: string }).value, 'inner');
});

it('unset variables without default, other schemes and templates are unknown', () => {
  const unset = expandValue('${env:NOPE}', getEnv);
  assert.equal(unset.kind, 'substituted');
  assert.equal((unset as { value?: string }).value, undefined);
  assert.equal((expandValue('${file:/etc/ca.pem}', getEnv) as { value?: string }).value, undefined);
  assert.deepEqual(expandValue('{{ .Values.caFile }}', getEnv), { kind: 'template' });
});

it('an escaped reference ($${env:X}) is literal text', () => {
  assert.deepEqual(expandValue('$${env:HOST}', getEnv), { kind: 'literal', value: '${env:HOST}' });
});

/** The settings that name certificate and key files, and what each file is for: one table the checks, hover and links share. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  COLLECTOR_CA_KEYS,
  COLLECTOR_PATH_KEYS,
  CONFIGTLS_CA_KEYS,
  blockFileSettings,
  blockKeyPair,
  collectorPathKind,
  envFileVariable,
  envFileVariableName,
} from '../../server/src/service/certificates/certificatePaths';

describe('certificatePaths settings', () => {
  it('gives each block role its files, with the certificate side the role implies', () => {
    assert.deepEqual(blockFileSettings('server'), [['cert_file', 'server-cert'], ['key_file', 'key'], ['ca_file', 'ca'], ['client_ca_file', 'ca']]);
    assert.deepEqual(blockFileSettings('client'), [['cert_file', 'client-cert'], ['key_file', 'key'], ['ca_file', 'ca']]);
    assert.deepEqual(blockFileSettings('either'), [['cert_file', 'cert'], ['key_file', 'key'], ['ca_file', 'ca'], ['client_ca_file', 'ca']]);
    assert.deepEqual(blockFileSettings('telemetry'), [['certificate', 'ca'], ['client_certificate', 'client-cert'], ['client_key', 'key']]);
  });

  it('pairs each role’s certificate with its key', () => {
    for (const role of ['server', 'client', 'either'] as const) assert.deepEqual(blockKeyPair(role), { certificate: 'cert_file', key: 'key_file' });
    assert.deepEqual(blockKeyPair('telemetry'), { certificate: 'client_certificate', key: 'client_key' });
  });

  it('lists every path key and the CA keys', () => {
    assert.deepEqual([...COLLECTOR_PATH_KEYS].sort(), ['ca_file', 'cert_file', 'certificate', 'client_ca_file', 'client_certificate', 'client_key', 'key_file']);
    assert.deepEqual(COLLECTOR_CA_KEYS, ['ca_file', 'client_ca_file', 'certificate']);
    assert.deepEqual(CONFIGTLS_CA_KEYS, ['ca_file', 'client_ca_file']);
  });

  it('shows configtls file keys in any configtls block, and every file key in a telemetry exporter', () => {
    assert.equal(collectorPathKind('client', 'client_ca_file'), 'ca');
    assert.equal(collectorPathKind('server', 'cert_file'), 'cert');
    assert.equal(collectorPathKind('server', 'client_key'), undefined);
    assert.equal(collectorPathKind('telemetry', 'client_certificate'), 'cert');
    assert.equal(collectorPathKind('telemetry', 'key_file'), 'key');
    assert.equal(collectorPathKind('telemetry', 'toString'), undefined);
    assert.equal(collectorPathKind('server', 'ca_pem'), undefined);
  });

  it('reads the env variables that name a file, generic and per signal', () => {
    assert.deepEqual(envFileVariable('OTEL_EXPORTER_OTLP_CERTIFICATE'), { option: 'CERTIFICATE', purpose: 'ca', kind: 'ca' });
    assert.deepEqual(envFileVariable('OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE'), { option: 'CLIENT_CERTIFICATE', signal: 'TRACES', purpose: 'client-cert', kind: 'cert' });
    assert.deepEqual(envFileVariable('OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY'), { option: 'CLIENT_KEY', signal: 'LOGS', purpose: 'key', kind: 'key' });
    for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_SPANS_CERTIFICATE', 'OTEL_EXPORTER_OTLP_CLIENT_KEY_CHAIN', 'XOTEL_EXPORTER_OTLP_CERTIFICATE']) {
      assert.equal(envFileVariable(name), undefined, name);
    }
    assert.equal(envFileVariableName('CLIENT_KEY', 'METRICS'), 'OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY');
    assert.equal(envFileVariableName('CERTIFICATE'), 'OTEL_EXPORTER_OTLP_CERTIFICATE');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import schema from '../../schemas/collector-tls.schema.json';

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema);

function validator(name: string): ValidateFunction {
  const validate = ajv.getSchema(`collector-tls.schema.json#/$defs/${name}`);
  assert.ok(validate, `$defs/${name} should compile`);
  return validate;
}

function accepts(name: string, value: unknown): void {
  const validate = validator(name);
  assert.equal(validate(value), true, `${name} should accept ${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`);
}

function rejects(name: string, value: unknown): void {
  const validate = validator(name);
  assert.equal(validate(value), false, `${name} should reject ${JSON.stringify(value)}`);
}

const defs = (schema as { $defs: Record<string, Record<string, unknown>> }).$defs;
const SIDES = ['tlsClient', 'tlsServer', 'tlsEither'];
const COMMON_KEYS = [
  'ca_file', 'ca_pem', 'cert_file', 'cert_pem', 'key_file', 'key_pem', 'cipher_suites', 'curve_preferences',
  'include_insecure_cipher_suites', 'include_system_ca_certs_pool', 'min_version', 'max_version', 'reload_interval', 'tpm',
];

describe('collector-tls.schema.json', () => {
  it('has the $id and compiles every $defs entry', () => {
    assert.equal((schema as { $id: string }).$id, 'collector-tls.schema.json');
    const expected = [
      'tlsVersion', 'cipherSuiteName', 'cipherSuites', 'curveName', 'curvePreferences', 'duration', 'tpm',
      'tlsClient', 'tlsServer', 'tlsEither', 'tlsSquashedClient', 'telemetryOtlpExporter',
    ];
    for (const name of expected) {
      assert.ok(defs[name], `$defs.${name} exists`);
      validator(name);
    }
  });

  it('gives every property in every $def a non-empty description', () => {
    let checked = 0;
    const visit = (where: string, node: Record<string, unknown>): void => {
      const props = node.properties as Record<string, Record<string, unknown>> | undefined;
      if (props) {
        for (const [key, prop] of Object.entries(props)) {
          const description = prop.description;
          assert.equal(typeof description, 'string', `${where}.${key} has a description`);
          assert.ok((description as string).trim().length > 0, `${where}.${key} description is non-empty`);
          checked++;
          visit(`${where}.${key}`, prop);
        }
      }
      const items = node.items as Record<string, unknown> | undefined;
      if (items && typeof items === 'object') visit(`${where}[]`, items);
    };
    for (const [name, def] of Object.entries(defs)) {
      assert.ok(typeof def.description === 'string' && def.description.length > 0, `$defs.${name} has a description`);
      visit(name, def);
    }
    assert.ok(checked > 50, `checked ${checked} properties`);
  });

  it('has every common key on both sides and in tlsEither', () => {
    for (const side of SIDES) {
      const props = Object.keys(defs[side].properties as object);
      for (const key of COMMON_KEYS) assert.ok(props.includes(key), `${side} has ${key}`);
      assert.equal(defs[side].additionalProperties, false, `${side} is closed`);
    }
  });

  it('versions must be quoted strings from the allowed set', () => {
    accepts('tlsVersion', '1.2');
    accepts('tlsVersion', '1.0');
    rejects('tlsVersion', 1.2);
    rejects('tlsVersion', '1.7');
    rejects('tlsVersion', 'asd');
    rejects('tlsVersion', '0.4');
    for (const side of SIDES) {
      accepts(side, { min_version: '1.2' });
      accepts(side, { min_version: '1.3', max_version: '1.3' });
      rejects(side, { min_version: 1.2 });
      rejects(side, { max_version: 1.3 });
      rejects(side, { min_version: 'asd' });
    }
  });

  it('booleans must be real booleans', () => {
    accepts('tlsClient', { insecure: true });
    rejects('tlsClient', { insecure: 'true' });
    rejects('tlsClient', { insecure: 'yes' });
    rejects('tlsClient', { insecure_skip_verify: 'on' });
    rejects('tlsServer', { client_ca_file_reload: 'true' });
    rejects('tlsServer', { enabled: 'false' });
    rejects('tlsClient', { include_system_ca_certs_pool: 1 });
  });

  it('keys are strict per side', () => {
    for (const side of SIDES) {
      rejects(side, { ca_fiel: 'ca.pem' });
      rejects(side, { CA_FILE: 'ca.pem' });
      rejects(side, { tls_settings: {} });
    }
    rejects('tlsClient', { client_ca_file: 'ca.pem' });
    rejects('tlsClient', { client_ca_file_reload: true });
    rejects('tlsServer', { insecure: true });
    rejects('tlsServer', { insecure_skip_verify: true });
    rejects('tlsServer', { server_name_override: 'example.com' });
    accepts('tlsClient', { insecure: true, insecure_skip_verify: true, server_name_override: 'example.com' });
    accepts('tlsServer', { cert_file: 'c.pem', key_file: 'k.pem', client_ca_file: 'ca.pem', client_ca_file_reload: true });
    accepts('tlsEither', { insecure: true, client_ca_file: 'ca.pem' });
  });

  it('enabled is allowed only on the server (Optional) block', () => {
    accepts('tlsServer', { enabled: false, cert_file: 'c.pem', key_file: 'k.pem' });
    accepts('tlsServer', { enabled: true });
    rejects('tlsClient', { enabled: true });
  });

  it('accepts a full, realistic block per side', () => {
    accepts('tlsClient', {
      ca_file: '/etc/otel/ca.pem',
      cert_file: '/etc/otel/client.pem',
      key_pem: '-----BEGIN PRIVATE KEY-----',
      cipher_suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'],
      curve_preferences: ['X25519MLKEM768', 'P256'],
      include_insecure_cipher_suites: false,
      include_system_ca_certs_pool: true,
      min_version: '1.2',
      max_version: '1.3',
      reload_interval: '1h30m',
      tpm: { enabled: true, path: '/dev/tpmrm0', owner_auth: 'o', auth: 'a' },
      insecure: false,
      insecure_skip_verify: false,
      server_name_override: 'collector.example.com',
    });
    accepts('tlsServer', {});
    accepts('tlsClient', {});
  });

  it('cipher suites are exact Go names (secure and insecure)', () => {
    accepts('cipherSuiteName', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
    accepts('cipherSuiteName', 'TLS_RSA_WITH_RC4_128_SHA');
    accepts('cipherSuiteName', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA');
    accepts('cipherSuiteName', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256');
    rejects('cipherSuiteName', 'ECDHE-RSA-AES128-GCM-SHA256');
    rejects('cipherSuiteName', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305');
    rejects('cipherSuiteName', 'tls_aes_128_gcm_sha256');
    rejects('cipherSuiteName', 'FOO');
    assert.equal((defs.cipherSuiteName.enum as string[]).length, 25);
    accepts('tlsClient', { cipher_suites: ['TLS_RSA_WITH_RC4_128_SHA'], include_insecure_cipher_suites: true });
    rejects('tlsClient', { cipher_suites: ['ECDHE-RSA-AES128-GCM-SHA256'] });
    rejects('tlsServer', { cipher_suites: ['FOO', 'BAR'] });
    // A scalar string is split on "," by the Collector; the parts are checked in code.
    accepts('cipherSuites', 'TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384');
    rejects('cipherSuites', 42);
  });

  it('curves are from the allowed set', () => {
    for (const curve of ['P256', 'P384', 'P521', 'X25519', 'X25519MLKEM768']) accepts('curveName', curve);
    rejects('curveName', 'P25223236');
    rejects('curveName', 'p256');
    rejects('curveName', 'secp256r1');
    accepts('tlsClient', { curve_preferences: ['P256', 'P521'] });
    rejects('tlsClient', { curve_preferences: ['P25223236'] });
    accepts('curvePreferences', 'P256,P384');
  });

  it('durations are Go duration strings or integer nanoseconds', () => {
    for (const ok of ['10s', '0', '0s', '1h30m', '500ms', '1.5h', '100us', '100µs', '-5s', '1.s', '.5s', 10, 0]) {
      accepts('duration', ok);
    }
    for (const bad of ['ten', '10', '10 s', '10sec', '1d', '', 's', 1.5, true]) rejects('duration', bad);
    accepts('tlsServer', { reload_interval: '10s' });
    rejects('tlsServer', { reload_interval: 'ten' });
  });

  it('tpm is a closed object', () => {
    accepts('tpm', { enabled: true, path: 'simulator' });
    rejects('tpm', { enabled: 'true' });
    rejects('tpm', { device: '/dev/tpm0' });
    rejects('tlsClient', { tpm: { enabled: true, pin: '1234' } });
  });

  it('squashed kubeletstats keys are typed but the object stays open', () => {
    accepts('tlsSquashedClient', {
      auth_type: 'tls', endpoint: 'https://node:10250', ca_file: 'ca.pem', cert_file: 'c.pem', key_file: 'k.pem', insecure_skip_verify: true,
    });
    rejects('tlsSquashedClient', { insecure_skip_verify: 'true' });
    rejects('tlsSquashedClient', { ca_file: 5 });
  });

  it('telemetry OTLP exporter follows otelconf, not configtls', () => {
    accepts('telemetryOtlpExporter', {
      protocol: 'grpc',
      endpoint: 'https://collector:4317',
      insecure: false,
      certificate: '/etc/ca.pem',
      client_certificate: '/etc/client.pem',
      client_key: '/etc/client.key',
      headers: [{ name: 'api-key', value: 'secret' }],
      headers_list: 'a=b,c=d',
      compression: 'gzip',
      timeout: 10000,
      temporality_preference: 'delta',
      default_histogram_aggregation: 'base2_exponential_bucket_histogram',
    });
    accepts('telemetryOtlpExporter', { protocol: 'http/protobuf', endpoint: 'localhost:4318' });
    rejects('telemetryOtlpExporter', { protocol: 'http/json' });
    rejects('telemetryOtlpExporter', { protocol: 'http' });
    rejects('telemetryOtlpExporter', { insecure: 'true' });
    rejects('telemetryOtlpExporter', { timeout: '10s' });
    rejects('telemetryOtlpExporter', { compression: 'zstd' });
    rejects('telemetryOtlpExporter', { ca_file: 'ca.pem' });
    rejects('telemetryOtlpExporter', { tls: {} });
    rejects('telemetryOtlpExporter', { headers: { 'api-key': 'secret' } });
    rejects('telemetryOtlpExporter', { temporality_preference: 'Delta' });
  });
});

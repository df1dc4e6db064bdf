/**
 * The shipped JSON schemas are valid against their meta-schemas. schemas.ts compiles them without checking that
 * (ajv `validateSchema: false`, which saves compiling a meta-schema at every start), so it is checked here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import collectorTlsSchema from '../../schemas/collector-tls.schema.json';
import sdkEnvSchema from '../../schemas/sdk-env.schema.json';
import declarativeSchema from '../../schemas/opentelemetry-configuration.schema.json';
import projectConfigSchema from '../../schemas/otlp-tls-config.schema.json';

describe('schema files', () => {
  const draft7 = new Ajv({ strict: false });
  const draft2020 = new Ajv2020({ strict: false });
  for (const [name, schema, ajv] of [
    ['collector-tls.schema.json', collectorTlsSchema, draft7],
    ['sdk-env.schema.json', sdkEnvSchema, draft7],
    ['otlp-tls-config.schema.json', projectConfigSchema, draft7],
    ['opentelemetry-configuration.schema.json', declarativeSchema, draft2020],
  ] as const) {
    it(`${name} is valid against its meta-schema`, () => {
      assert.equal(ajv.validateSchema(schema), true, `${name}: ${ajv.errorsText(ajv.errors)}`);
    });
  }

  it('a schema that breaks its meta-schema is refused here', () => {
    assert.equal(draft7.validateSchema({ type: 'objekt' }), false);
    assert.equal(draft2020.validateSchema({ properties: { a: { minLength: -1 } } }), false);
  });
});

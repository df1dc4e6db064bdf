/**
 * The SARIF 2.1.0 JSON schema, compiled with ajv. The schema file comes from the npm package
 * @microsoft/jest-sarif (a devDependency; lib/schemas/sarif-2.1.0-rtm.5.json, the draft-04 schema of
 * SARIF 2.1.0 that Microsoft's SARIF SDK validates with); draft-04 needs ajv-draft-04, and its `uri`,
 * `uri-reference` and `date-time` formats ajv-formats.
 */
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';

export const SARIF_SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;

/** The schema's errors for `log` (empty when it is a valid SARIF 2.1.0 log). */
export function sarifErrors(log: unknown): string[] {
  if (!validate) {
    // unicodeRegExp: false, as the schema was written for: one of its patterns (the language of
    // `run.language`) is not valid with the `u` flag.
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')));
  }
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

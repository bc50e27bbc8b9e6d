// The GS1 EPCIS 2.0 JSON schema, checked by ajv + ajv-formats: the oracle the core's validator is
// compared with.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { readSchema } from './shared-data.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

let validate: ValidateFunction | undefined;

export function schemaAccepts(document: unknown): boolean {
  if (validate === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validate = ajv.compile(readSchema('EPCIS-JSON-Schema.json') as object);
  }
  return validate(document) as boolean;
}

export function schemaErrors(): string {
  return JSON.stringify(validate?.errors?.slice(0, 3) ?? []);
}

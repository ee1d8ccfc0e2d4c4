import { Ajv, type ValidateFunction } from 'ajv'
import type { Json, JsonObject } from './manifest-object.js'

/**
 * Compiles a vendored draft-07 schema (GitHub workflow, compose spec). Formats that these schemas name
 * but JSON Schema does not define (compose's `duration`, `ports`...) are accepted as annotations.
 */
export function compileSchema(schema: JsonObject): (value: Json) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false })
  // compose-spec writes the draft-07 meta-schema as an https URL without "#", which Ajv does not know
  const { $schema, ...rest } = schema
  if (typeof $schema === 'string' && !/json-schema\.org\/draft-07\/schema#?$/.test($schema)) {
    throw new Error(`expected a draft-07 schema, got ${$schema}`)
  }
  const validate: ValidateFunction = ajv.compile(rest)
  return (value) =>
    validate(value)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
        )
}

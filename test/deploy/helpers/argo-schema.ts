import { readFile } from 'node:fs/promises'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { isJsonObject, type Json } from './manifest-object.js'
import { toStrictJsonSchema } from './kubernetes-schema.js'

const SCHEMA_FILE = new URL('../schemas/argo-workflows-definitions.json', import.meta.url)
const SCHEMA_ID = 'https://sportscan.local/argo-workflows-definitions.json'

/**
 * Validates an Argo Workflow against Argo's own JSON schema (draft 2020-12, which embeds the Kubernetes
 * core types it uses), made strict the same way as the Kubernetes one: unknown fields fail.
 */
export async function createArgoWorkflowValidator(): Promise<{
  version: string
  validate(value: Json): string[]
}> {
  const file: unknown = JSON.parse(await readFile(SCHEMA_FILE, 'utf8'))
  if (
    !isJsonObject(file) ||
    !isJsonObject(file.definitions) ||
    typeof file.argoWorkflowsVersion !== 'string'
  ) {
    throw new Error(`${SCHEMA_FILE.pathname} is not an extracted definitions file`)
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false })
  ajv.addSchema({ $id: SCHEMA_ID, definitions: toStrictJsonSchema(file.definitions) })
  const validate = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/io.argoproj.workflow.v1alpha1.Workflow` })
  return {
    version: file.argoWorkflowsVersion,
    validate: (value) =>
      validate(value)
        ? []
        : (validate.errors ?? []).map(
            (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
          ),
  }
}

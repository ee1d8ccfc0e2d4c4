import { readFile } from 'node:fs/promises'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { cloneJson, isJsonObject, type Json, type JsonObject, type K8sObject } from './manifest-object.js'

const SCHEMA_FILE = new URL('../schemas/kubernetes-definitions.json', import.meta.url)
const SCHEMA_ID = 'https://sportscan.local/kubernetes-definitions.json'

/**
 * The OpenAPI v2 definitions of Kubernetes, made usable as JSON Schema the way kubeconform's
 * "standalone-strict" schemas are: objects reject unknown fields (the API server's strict field
 * validation), IntOrString accepts both, and Quantity accepts YAML numbers (`cpu: 2`) as the API does.
 */
export function toStrictJsonSchema(definitions: JsonObject): JsonObject {
  const out = cloneJson(definitions)
  const strictify = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(strictify)
    else if (isJsonObject(node)) {
      if (isJsonObject(node.properties) && node.additionalProperties === undefined) {
        node.additionalProperties = false
      }
      Object.values(node).forEach(strictify)
    }
  }
  strictify(out)
  out['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
  }
  out['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] }
  return out
}

export interface KubernetesValidator {
  kubernetesVersion: string
  /** Error messages, empty when the object is valid for its apiVersion and kind. */
  validate(object: K8sObject): string[]
}

export async function createKubernetesValidator(): Promise<KubernetesValidator> {
  const file: unknown = JSON.parse(await readFile(SCHEMA_FILE, 'utf8'))
  if (!isJsonObject(file) || !isJsonObject(file.definitions) || typeof file.kubernetesVersion !== 'string') {
    throw new Error(`${SCHEMA_FILE.pathname} is not an extracted definitions file`)
  }
  // x-kubernetes-* vendor keywords are annotations, not validation, hence strict: false
  const ajv = new Ajv({ allErrors: true, strict: false })
  // ajv-formats is CommonJS: under NodeNext its default import is the module object
  const addFormats = 'default' in addFormatsModule ? addFormatsModule.default : addFormatsModule
  addFormats(ajv)
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  })
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) })
  ajv.addFormat('double', { type: 'number', validate: () => true })
  ajv.addSchema({ $id: SCHEMA_ID, definitions: toStrictJsonSchema(file.definitions) })

  const byGvk = new Map<string, string>()
  for (const [name, definition] of Object.entries(file.definitions)) {
    const gvks = isJsonObject(definition) ? definition['x-kubernetes-group-version-kind'] : undefined
    for (const gvk of Array.isArray(gvks) ? gvks : []) {
      if (!isJsonObject(gvk)) continue
      const apiVersion = gvk.group ? `${String(gvk.group)}/${String(gvk.version)}` : String(gvk.version)
      byGvk.set(`${apiVersion} ${String(gvk.kind)}`, name)
    }
  }
  const compiled = new Map<string, ValidateFunction>()

  return {
    kubernetesVersion: file.kubernetesVersion,
    validate(object) {
      const definition = byGvk.get(`${object.apiVersion} ${object.kind}`)
      if (!definition) return [`no schema for ${object.apiVersion} ${object.kind} in Kubernetes definitions`]
      let validateFn = compiled.get(definition)
      if (!validateFn) {
        validateFn = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${definition}` })
        compiled.set(definition, validateFn)
      }
      if (validateFn(object)) return []
      return (validateFn.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
      )
    },
  }
}

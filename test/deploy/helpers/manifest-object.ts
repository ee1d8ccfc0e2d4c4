import { parseAllDocuments } from 'yaml'

/** A parsed YAML/JSON value, narrowed with the guards below instead of casts. */
export type Json = null | boolean | number | string | Json[] | JsonObject
export interface JsonObject {
  [key: string]: Json
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A Kubernetes object as it appears in a manifest: kind, apiVersion and a named metadata. */
export interface K8sObject extends JsonObject {
  apiVersion: string
  kind: string
  metadata: JsonObject & { name: string }
}

export function isK8sObject(value: unknown): value is K8sObject {
  return (
    isJsonObject(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isJsonObject(value.metadata) &&
    typeof value.metadata.name === 'string'
  )
}

/** Every document of a multi-document YAML text; YAML 1.1 merge keys (`<<`) resolved as compose does. */
export function parseYamlDocuments(text: string, source: string): Json[] {
  const out: Json[] = []
  for (const doc of parseAllDocuments(text, { merge: true })) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`)
    const value: unknown = doc.toJS()
    if (value === null || value === undefined) continue
    if (!isJson(value)) throw new Error(`${source}: a document holds a value YAML→JSON cannot represent`)
    out.push(value)
  }
  return out
}

export function isJson(value: unknown): value is Json {
  if (value === null || ['boolean', 'number', 'string'].includes(typeof value)) return true
  if (Array.isArray(value)) return value.every(isJson)
  return isJsonObject(value) && Object.values(value).every(isJson)
}

/** Deep copy, so a transformation never edits an object another kustomization still holds. */
export function cloneJson<T extends Json>(value: T): T {
  return structuredClone(value)
}

/** Reads `obj.a.b.c` without casts; undefined where a step is missing or not an object. */
export function getPath(value: Json | undefined, ...keys: Array<string | number>): Json | undefined {
  let current: Json | undefined = value
  for (const key of keys) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined
    else current = isJsonObject(current) ? current[key] : undefined
  }
  return current
}

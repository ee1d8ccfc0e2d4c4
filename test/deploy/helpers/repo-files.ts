import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { isJsonObject, parseYamlDocuments, type JsonObject } from './manifest-object.js'

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url))

export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts)
}

/** A single-document YAML file of the repository, as a mapping. */
export async function readYamlMapping(relativePath: string): Promise<JsonObject> {
  const file = repoPath(relativePath)
  const docs = parseYamlDocuments(await readFile(file, 'utf8'), relativePath)
  const [doc] = docs
  if (docs.length !== 1 || !isJsonObject(doc)) throw new Error(`${relativePath}: expected one YAML mapping`)
  return doc
}

export async function readJsonSchema(name: string): Promise<JsonObject> {
  const value: unknown = JSON.parse(await readFile(new URL(`../schemas/${name}`, import.meta.url), 'utf8'))
  if (!isJsonObject(value)) throw new Error(`schema ${name} is not an object`)
  return value
}

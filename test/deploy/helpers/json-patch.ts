import { cloneJson, isJsonObject, type Json } from './manifest-object.js'

/** One RFC 6902 operation; kustomize's `patches` entries with a list body are these. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test'
  path: string
  value?: Json
}

const OPS: ReadonlyArray<JsonPatchOperation['op']> = ['add', 'remove', 'replace', 'test']

function isOp(op: string): op is JsonPatchOperation['op'] {
  return (OPS as readonly string[]).includes(op)
}

export function parseJsonPatch(value: Json, source: string): JsonPatchOperation[] {
  if (!Array.isArray(value)) throw new Error(`${source}: a JSON patch is a list of operations`)
  return value.map((op, i) => {
    if (!isJsonObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw new Error(`${source}[${i}]: needs "op" and "path"`)
    }
    const name = op.op
    if (!isOp(name)) throw new Error(`${source}[${i}]: op "${name}" is not supported by this renderer`)
    const parsed: JsonPatchOperation = { op: name, path: op.path }
    if (op.op !== 'remove') {
      if (!('value' in op)) throw new Error(`${source}[${i}]: "${op.op}" needs a value`)
      parsed.value = op.value ?? null
    }
    return parsed
  })
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with "/"`)
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function arrayIndex(token: string, length: number, allowEnd: boolean, pointer: string): number {
  if (allowEnd && token === '-') return length
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`"${token}" in ${pointer} is not an array index`)
  const index = Number(token)
  if (index > length || (!allowEnd && index === length)) throw new Error(`${pointer}: index out of range`)
  return index
}

/** Applies operations in order to a copy; a failing operation throws (as kustomize does). */
export function applyJsonPatch(document: Json, operations: JsonPatchOperation[]): Json {
  const root: { value: Json } = { value: cloneJson(document) }
  for (const operation of operations) {
    const tokens = decodePointer(operation.path)
    const last = tokens.pop()
    if (last === undefined) {
      if (operation.op === 'remove') throw new Error('cannot remove the whole document')
      root.value = operation.value ?? null
      continue
    }
    let parent: Json = root.value
    for (const token of tokens) {
      const next: Json | undefined = Array.isArray(parent)
        ? parent[arrayIndex(token, parent.length, false, operation.path)]
        : isJsonObject(parent)
          ? parent[token]
          : undefined
      if (next === undefined) throw new Error(`${operation.path}: "${token}" does not exist`)
      parent = next
    }
    applyOne(parent, last, operation)
  }
  return root.value
}

function applyOne(parent: Json, key: string, operation: JsonPatchOperation): void {
  const value = operation.value ?? null
  if (Array.isArray(parent)) {
    const index = arrayIndex(key, parent.length, operation.op === 'add', operation.path)
    if (operation.op === 'add') parent.splice(index, 0, value)
    else if (operation.op === 'remove') parent.splice(index, 1)
    else if (operation.op === 'replace') parent[index] = value
    else if (JSON.stringify(parent[index]) !== JSON.stringify(value)) {
      throw new Error(`test failed at ${operation.path}`)
    }
    return
  }
  if (!isJsonObject(parent)) throw new Error(`${operation.path}: parent is not an object or array`)
  const exists = Object.hasOwn(parent, key)
  if (operation.op !== 'add' && !exists) throw new Error(`${operation.path}: nothing to ${operation.op}`)
  if (operation.op === 'add' || operation.op === 'replace') parent[key] = value
  else if (operation.op === 'remove') delete parent[key]
  else if (JSON.stringify(parent[key]) !== JSON.stringify(value)) {
    throw new Error(`test failed at ${operation.path}`)
  }
}

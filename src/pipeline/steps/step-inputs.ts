import type { JsonValue } from '../step-type.js'

/** Reads an input the engine resolved, checking its shape, since steps receive plain JSON. */
export function stringInput(inputs: Readonly<Record<string, JsonValue>>, name: string): string {
  const value = inputs[name]
  if (typeof value !== 'string')
    throw new Error(`input "${name}" should be a string, got ${JSON.stringify(value)}`)
  return value
}

export function objectInput(
  inputs: Readonly<Record<string, JsonValue>>,
  name: string,
): { [key: string]: JsonValue } {
  const value = inputs[name]
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`input "${name}" should be an object, got ${JSON.stringify(value)}`)
  }
  return value
}

/** Converts a value known to be plain JSON data (numbers, strings, arrays, objects) for an output. */
export function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue
}

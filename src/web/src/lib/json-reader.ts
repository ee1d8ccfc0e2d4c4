import { ResponseShapeError } from './errors.js'

/** Small readers for JSON from the API: they check types instead of casting, so a changed API fails loudly. */
export type JsonObject = Readonly<Record<string, unknown>>

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function expectObject(value: unknown, what: string): JsonObject {
  if (!isJsonObject(value)) throw new ResponseShapeError(what, 'expected an object')
  return value
}

export function expectArray(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ResponseShapeError(what, 'expected a list')
  return value
}

export function readString(obj: JsonObject, key: string, what: string): string {
  const value = obj[key]
  if (typeof value !== 'string') throw new ResponseShapeError(what, `"${key}" is not text`)
  return value
}

export function readNumber(obj: JsonObject, key: string, what: string): number {
  const value = obj[key]
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ResponseShapeError(what, `"${key}" is not a number`)
  }
  return value
}

/** A string that must be one of `allowed` (an enum in the API's schema). */
export function readOneOf<T extends string>(
  obj: JsonObject,
  key: string,
  allowed: readonly T[],
  what: string,
): T {
  const value = readString(obj, key, what)
  const known = allowed.find((a) => a === value)
  if (known === undefined) throw new ResponseShapeError(what, `unknown ${key} "${value}"`)
  return known
}

/** Missing or null reads as null; any other non-string is a shape error. */
export function readOptionalString(obj: JsonObject, key: string, what: string): string | null {
  const value = obj[key]
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw new ResponseShapeError(what, `"${key}" is not text`)
  return value
}

export function readOptionalNumber(obj: JsonObject, key: string, what: string): number | null {
  const value = obj[key]
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ResponseShapeError(what, `"${key}" is not a number`)
  }
  return value
}

/** `{ label: number }` maps such as `all_scores`; non-numeric entries are a shape error. */
export function toNumberRecord(value: unknown, what: string): Readonly<Record<string, number>> {
  const obj = expectObject(value, what)
  const out: Record<string, number> = {}
  for (const [key, entry] of Object.entries(obj)) {
    if (typeof entry !== 'number' || !Number.isFinite(entry)) {
      throw new ResponseShapeError(what, `"${key}" is not a number`)
    }
    out[key] = entry
  }
  return out
}

/** The first of several keys that is present: the API's field names are not all settled yet. */
export function firstPresent(obj: JsonObject, keys: readonly string[]): unknown {
  for (const key of keys) {
    if (obj[key] !== undefined && obj[key] !== null) return obj[key]
  }
  return undefined
}

import { parse as parseYaml } from 'yaml'
import { PipelineOverrideError } from './errors.js'
import type { ParamValue } from './pipeline-spec.js'

export interface ParsedOverride {
  /** `epochs` for a pipeline param, `train.epochs` for one step's param. */
  key: string
  raw: string
}

/** Splits `key=value` (the value may itself hold `=`). */
export function parseOverride(text: string): ParsedOverride {
  const eq = text.indexOf('=')
  if (eq <= 0) throw new PipelineOverrideError(text, 'expected key=value')
  const key = text.slice(0, eq).trim()
  if (!/^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)?$/.test(key)) {
    throw new PipelineOverrideError(text, `"${key}" is not a param name (name or step.name)`)
  }
  return { key, raw: text.slice(eq + 1) }
}

/** JSON-schema-ish type a value must be parsed to: what `type` says in a param declaration or schema. */
export function coerceOverride(override: ParsedOverride, type: unknown): ParamValue {
  const { raw } = override
  const fail = (what: string) => new PipelineOverrideError(`${override.key}=${raw}`, `expected ${what}`)
  switch (type) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(raw.trim())) throw fail('an integer')
      return Number(raw)
    }
    case 'number': {
      const n = Number(raw)
      if (raw.trim() === '' || !Number.isFinite(n)) throw fail('a number')
      return n
    }
    case 'boolean': {
      if (/^(true|1|yes|on)$/i.test(raw)) return true
      if (/^(false|0|no|off)$/i.test(raw)) return false
      throw fail('true or false')
    }
    default:
      return raw
  }
}

/**
 * A step param that is a map or a list (e.g. `train.architectureParams={widths: [32, 64], stemStride: 2}`):
 * the value is YAML flow (JSON also reads as YAML), so it is written the way the pipeline file writes it.
 */
export function coerceStructuredOverride(override: ParsedOverride, type: 'object' | 'array'): unknown {
  let value: unknown
  try {
    value = parseYaml(override.raw)
  } catch {
    value = undefined
  }
  const isList = Array.isArray(value)
  const isMap = typeof value === 'object' && value !== null && !isList
  if (type === 'object' ? isMap : isList) return value
  const what = type === 'object' ? 'a map such as {name: value}' : 'a list such as [1, 2]'
  throw new PipelineOverrideError(`${override.key}=${override.raw}`, `expected ${what}`)
}

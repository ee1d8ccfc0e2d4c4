import type { TSchema } from 'typebox'
import { Value } from 'typebox/value'

/**
 * Turns TypeBox errors into one line per place, `prefix.path: problem`. Unions of literals become
 * "must be one of ..." and unknown keys are named, instead of TypeBox's per-branch noise.
 */
export function formatSchemaErrors(schema: TSchema, value: unknown, prefix: string): string[] {
  const byPath = new Map<string, { consts: unknown[]; messages: string[] }>()
  const entry = (p: string) => {
    let e = byPath.get(p)
    if (!e) byPath.set(p, (e = { consts: [], messages: [] }))
    return e
  }
  for (const error of Value.Errors(schema, value)) {
    const place = join(prefix, error.instancePath)
    if (error.keyword === 'boolean') entry(place).messages.push('is not allowed here')
    else if (error.keyword === 'additionalProperties') continue
    else if (error.keyword === 'const') entry(place).consts.push(error.params.allowedValue)
    else if (error.keyword === 'anyOf') entry(place).messages.push('')
    else if (error.keyword === 'required') {
      entry(place).messages.push(error.message.replace(/^must have required properties?/, 'missing key'))
    } else entry(place).messages.push(error.message)
  }
  const lines: string[] = []
  for (const [place, { consts, messages }] of byPath) {
    const explicit = messages.filter(Boolean)
    const text =
      consts.length > 0
        ? `must be one of ${consts.map((c) => JSON.stringify(c)).join(', ')}`
        : explicit.length > 0
          ? [...new Set(explicit)].join('; ')
          : 'has the wrong type'
    lines.push(`${place || '(top level)'}: ${text}`)
  }
  return lines
}

function join(prefix: string, instancePath: string): string {
  const parts = instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  return [prefix, ...parts].filter(Boolean).join('.')
}

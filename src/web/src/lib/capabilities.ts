import { isJsonObject, type JsonObject } from './json-reader.js'

/** The route that moves the production alias, as the server documents it. */
export interface PromoteRoute {
  method: 'POST' | 'PUT'
  /** Path template, e.g. `/models/{name}/{version}/promote` or `/models/{name}/aliases/{alias}`. */
  path: string
  /** Properties its JSON body accepts (the server rejects unknown ones), e.g. `['version']`. */
  bodyKeys: string[]
}

/** Optional API routes the dashboard uses when the server has them (read from its OpenAPI document). */
export interface ApiCapabilities {
  /** GET path template of the Grad-CAM overlay, e.g. `/predictions/{id}/explain`. */
  explainPath: string | null
  /** GET path template of a kept scan photo, e.g. `/predictions/{id}/image`. */
  imagePath: string | null
  promote: PromoteRoute | null
}

export const NO_CAPABILITIES: Readonly<ApiCapabilities> = {
  explainPath: null,
  imagePath: null,
  promote: null,
}

interface Operation {
  path: string
  method: string
  spec: JsonObject
}

/** `/predictions/:id/explain` and `/predictions/{id}/explain` both become the `{id}` form. */
function normalisePath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')
}

function operationsOf(paths: JsonObject): Operation[] {
  const operations: Operation[] = []
  for (const [path, item] of Object.entries(paths)) {
    if (!isJsonObject(item)) continue
    for (const [method, spec] of Object.entries(item)) {
      if (isJsonObject(spec))
        operations.push({ path: normalisePath(path), method: method.toUpperCase(), spec })
    }
  }
  return operations
}

/** Property names of an operation's JSON request body schema; [] when it takes none. */
function jsonBodyKeys(spec: JsonObject): string[] {
  const body = spec['requestBody']
  const content = isJsonObject(body) ? body['content'] : undefined
  const json = isJsonObject(content) ? content['application/json'] : undefined
  const schema = isJsonObject(json) ? json['schema'] : undefined
  const properties = isJsonObject(schema) ? schema['properties'] : undefined
  return isJsonObject(properties) ? Object.keys(properties) : []
}

function findPromote(operations: readonly Operation[]): PromoteRoute | null {
  const op = operations.find(
    (o) =>
      (o.method === 'POST' || o.method === 'PUT') &&
      o.path.startsWith('/models/') &&
      /promote|alias/.test(o.path),
  )
  if (op === undefined || (op.method !== 'POST' && op.method !== 'PUT')) return null
  return { method: op.method, path: op.path, bodyKeys: jsonBodyKeys(op.spec) }
}

export function readCapabilities(openApi: unknown): ApiCapabilities {
  if (!isJsonObject(openApi) || !isJsonObject(openApi['paths'])) return { ...NO_CAPABILITIES }
  const operations = operationsOf(openApi['paths'])
  const find = (method: string, pattern: RegExp): string | null =>
    operations.find((op) => op.method === method && pattern.test(op.path))?.path ?? null
  return {
    explainPath: find('GET', /^\/predictions\/\{[^}]+\}\/explain$/),
    imagePath: find('GET', /^\/predictions\/\{[^}]+\}\/image$/),
    promote: findPromote(operations),
  }
}

/**
 * Fills `{param}` placeholders; null when a placeholder has no value, so a route shape the dashboard does
 * not know disables the feature instead of calling a wrong URL.
 */
export function fillPath(template: string, values: Readonly<Record<string, string>>): string | null {
  let missing = false
  const filled = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined) {
      missing = true
      return ''
    }
    return encodeURIComponent(value)
  })
  return missing ? null : filled
}

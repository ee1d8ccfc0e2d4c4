import { isJsonObject } from './json-reader.js'

/** Optional API routes the dashboard uses when the server has them (read from its OpenAPI document). */
export interface ApiCapabilities {
  /** GET path template of the Grad-CAM overlay, e.g. `/predictions/{id}/explain`. */
  explainPath: string | null
  /** GET path template of a kept scan photo, e.g. `/predictions/{id}/image`. */
  imagePath: string | null
  /** POST path template that moves the production alias, e.g. `/models/{name}/{version}/promote`. */
  promotePath: string | null
}

export const NO_CAPABILITIES: Readonly<ApiCapabilities> = {
  explainPath: null,
  imagePath: null,
  promotePath: null,
}

/** `/predictions/:id/explain` and `/predictions/{id}/explain` both become the `{id}` form. */
function normalisePath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')
}

function operationsOf(paths: Readonly<Record<string, unknown>>): { path: string; methods: string[] }[] {
  return Object.entries(paths).map(([path, item]) => ({
    path: normalisePath(path),
    methods: isJsonObject(item) ? Object.keys(item).map((m) => m.toLowerCase()) : [],
  }))
}

export function readCapabilities(openApi: unknown): ApiCapabilities {
  if (!isJsonObject(openApi) || !isJsonObject(openApi['paths'])) return { ...NO_CAPABILITIES }
  const operations = operationsOf(openApi['paths'])
  const find = (method: string, pattern: RegExp): string | null =>
    operations.find((op) => op.methods.includes(method) && pattern.test(op.path))?.path ?? null
  return {
    explainPath: find('get', /^\/predictions\/\{[^}]+\}\/explain$/),
    imagePath: find('get', /^\/predictions\/\{[^}]+\}\/image$/),
    promotePath: find('post', /^\/models\/.*promote/),
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

import { ResponseShapeError } from './errors.js'
import { expectObject, readNumber } from './json-reader.js'

/** The route that moves the production alias. */
export interface PromoteRoute {
  method: 'POST' | 'PUT'
  /** Path template, e.g. `/models/{name}/aliases/{alias}`. */
  path: string
  /** Properties its JSON body takes (the server rejects unknown ones), e.g. `['version']`. */
  bodyKeys: string[]
}

export type Role = 'scanner' | 'viewer' | 'reviewer' | 'admin'

/** What the server does and what the caller may do, as `GET /capabilities` says. */
export interface ApiCapabilities {
  /** GET path template of the Grad-CAM overlay, e.g. `/predictions/{id}/explain`. */
  explainPath: string | null
  /** GET path template of a kept scan photo; null when the server keeps none (STORE_IMAGES=0). */
  imagePath: string | null
  promote: PromoteRoute | null
  /** The caller's role (admin when auth is off); null without a valid key. */
  role: Role | null
  /** Smaller photos are refused. */
  minImageSidePx: number | null
}

export const NO_CAPABILITIES: Readonly<ApiCapabilities> = {
  explainPath: null,
  imagePath: null,
  promote: null,
  role: null,
  minImageSidePx: null,
}

const ROLES: readonly Role[] = ['scanner', 'viewer', 'reviewer', 'admin']
/** Which roles each action needs, as the API's routes declare them. */
const GRANTED_BY: Readonly<Record<Role, readonly Role[]>> = {
  scanner: ['scanner', 'admin'],
  viewer: ['viewer', 'reviewer', 'admin'],
  reviewer: ['reviewer', 'admin'],
  admin: ['admin'],
}

/** True when the caller's role may call a route that needs `required`. */
export function isAllowed(caps: Pick<ApiCapabilities, 'role'>, required: Role): boolean {
  return caps.role !== null && GRANTED_BY[required].includes(caps.role)
}

/** Decodes `GET /capabilities`; the routes themselves are this API's, so only the runtime facts vary. */
export function decodeCapabilities(value: unknown): ApiCapabilities {
  const what = 'capabilities'
  const obj = expectObject(value, what)
  const role = obj['role']
  if (role !== null && !ROLES.some((r) => r === role)) {
    throw new ResponseShapeError(what, `unknown role "${String(role)}"`)
  }
  return {
    explainPath: '/predictions/{id}/explain',
    imagePath: obj['store_images'] === true ? '/predictions/{id}/image' : null,
    promote: { method: 'PUT', path: '/models/{name}/aliases/{alias}', bodyKeys: ['version'] },
    role: ROLES.find((r) => r === role) ?? null,
    minImageSidePx: readNumber(obj, 'min_image_side_px', what),
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

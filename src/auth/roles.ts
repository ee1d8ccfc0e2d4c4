/** Roles an API key can hold. A scanner only posts scans; it cannot read history (a stolen belt key leaks nothing). */
export const ROLES = ['scanner', 'viewer', 'reviewer', 'admin'] as const
export type Role = (typeof ROLES)[number]

/**
 * What a route needs: a role, `signed-in` for any valid key (reference data every key may read, such as
 * bin assignments), or `public` for health, metrics, docs and the dashboard's files.
 */
export type RequiredRole = Role | 'signed-in' | 'public'

/** Which key roles satisfy each requirement; reviewer includes viewer, admin includes everything. */
const GRANTED_BY: Readonly<Record<Role, readonly Role[]>> = Object.freeze({
  scanner: ['scanner', 'admin'],
  viewer: ['viewer', 'reviewer', 'admin'],
  reviewer: ['reviewer', 'admin'],
  admin: ['admin'],
})

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** True when a key of role `held` may call a route that needs `required`. */
export function isRoleSufficient(held: Role, required: RequiredRole): boolean {
  return required === 'public' || required === 'signed-in' || GRANTED_BY[required].includes(held)
}

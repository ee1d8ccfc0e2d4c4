import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import {
  ApiKeyVerifier,
  hasActiveApiKeys,
  isRoleSufficient,
  type ApiKeyIdentity,
  type AuthMode,
  type RequiredRole,
} from '../../auth/index.js'
import type { Database } from '../../db/index.js'
import { AuthForbiddenError, AuthKeyInvalidError, AuthRequiredError } from '../errors.js'

/** One registered route and the role it needs: the access table tests iterate. */
export interface RouteRole {
  method: string
  url: string
  role: RequiredRole
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The role a key needs to call this route; every route declares one (`public` for none). */
    role?: RequiredRole
    /** A public route that still reads a key when one is sent (never refusing), e.g. to say what it may do. */
    identify?: boolean
  }
  interface FastifyRequest {
    /** The verified key, when the route needed one and auth is on. */
    apiKey: ApiKeyIdentity | null
  }
  interface FastifyInstance {
    authMode: AuthMode
    routeRoles: readonly RouteRole[]
  }
}

/** Routes added by third-party plugins that cannot carry our config: Swagger UI and dashboard files. */
function implicitRole(route: RouteOptions): RequiredRole | undefined {
  const config: unknown = route.config
  const isStaticFile = typeof config === 'object' && config !== null && 'file' in config
  if (isStaticFile || route.url === '/docs' || route.url.startsWith('/docs/')) return 'public'
  // CORS preflight (@fastify/cors): answered before any key is needed, as browsers send none.
  if (route.method === 'OPTIONS') return 'public'
  return undefined
}

const BEARER = /^Bearer +(\S+)$/i

/**
 * Checks `Authorization: Bearer <key>` against each route's `config.role` in one onRequest hook. Must be
 * registered before the routes (and after the rate limiter): its onRoute hook refuses (at start) a route that
 * declares no role, so no route is ever open by omission.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { db: Database; mode: AuthMode }) => {
    const verifier = new ApiKeyVerifier(options.db)
    const routes: RouteRole[] = []
    app.decorate('authMode', options.mode)
    app.decorate('routeRoles', routes)
    app.decorateRequest('apiKey', null)

    const checkKey = async (request: FastifyRequest, reply: FastifyReply) => {
      const role = request.routeOptions.config.role
      if (options.mode === 'off') return
      if (role === 'public' && request.routeOptions.config.identify === true) {
        const key = BEARER.exec(request.headers.authorization ?? '')?.[1]
        request.apiKey = (key === undefined ? undefined : await verifier.verify(key)) ?? null
        return
      }
      if (role === undefined || role === 'public') return
      const header = request.headers.authorization
      if (header === undefined) {
        void reply.header('www-authenticate', 'Bearer')
        throw new AuthRequiredError()
      }
      const key = BEARER.exec(header)?.[1]
      const identity = key === undefined ? undefined : await verifier.verify(key)
      if (!identity) {
        void reply.header('www-authenticate', 'Bearer error="invalid_token"')
        throw new AuthKeyInvalidError()
      }
      request.apiKey = identity
      if (!isRoleSufficient(identity.role, role)) throw new AuthForbiddenError(identity.role, role)
    }

    app.addHook('onReady', async () => {
      if (options.mode !== 'required') return
      // A hint only: a database that is down at start must not stop the server (/ready reports it).
      const hasKeys = await hasActiveApiKeys(options.db).catch(() => true)
      if (!hasKeys) {
        app.log.warn(
          'auth is required but no API key exists: create one with `sportscan keys create --role admin --name <who>`',
        )
      }
    })

    app.addHook('onRoute', (route) => {
      const role = route.config?.role ?? implicitRole(route)
      if (role === undefined) {
        throw new Error(`route ${String(route.method)} ${route.url} declares no role (config.role)`)
      }
      route.config = { ...route.config, role }
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        routes.push({ method, url: route.url, role })
      }
      // A route-level hook, appended after the rate limiter's (registered first), so a flood of wrong keys is
      // limited before it costs a scrypt each.
      const hooks = route.onRequest
      route.onRequest = [...(hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]), checkKey]
    })
  },
  { name: 'sportscan-auth' },
)

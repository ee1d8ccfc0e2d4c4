import fastifyCors from '@fastify/cors'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { parseApiKeyPrefix, type AuthMode } from '../../auth/index.js'
import { FieldInvalidError, RateLimitedError } from '../errors.js'

/** Requests per key (or per client IP without one) per minute, when auth is on: 20/s sustained per belt. */
export const RATE_LIMIT_PER_MINUTE = 1_200

export interface SecurityOptions {
  authMode: AuthMode
  /** Origins allowed to call the API from a browser; empty = CORS off (same origin only). */
  corsOrigins: readonly string[]
  rateLimitPerMinute?: number
}

/** Bucket of a request: the key's prefix when a well-formed bearer key is sent, else the client IP. */
function rateLimitKey(request: FastifyRequest): string {
  const key = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
  const prefix = key === undefined ? undefined : parseApiKeyPrefix(key)
  return prefix === undefined ? `ip:${request.ip}` : `key:${prefix}`
}

/**
 * Security headers (a CSP the dashboard's bundled assets satisfy: no inline scripts), CORS only for the
 * configured origins, and per-key rate limits when the server is exposed (auth on). Registered before routes.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance, options: SecurityOptions) => {
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Preact and Swagger UI set style attributes; no inline <script> is ever needed.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    })
    // Ajv coerces "1e309" to Infinity and lets it through integer/maximum checks; the database then fails.
    app.addHook('preHandler', async (request) => {
      const query: unknown = request.query
      if (typeof query !== 'object' || query === null) return
      for (const [name, value] of Object.entries(query)) {
        if (typeof value === 'number' && !Number.isFinite(value)) {
          throw new FieldInvalidError(name.slice(0, 64), 'is not a finite number')
        }
      }
    })
    if (options.corsOrigins.length > 0) {
      await app.register(fastifyCors, {
        origin: [...options.corsOrigins],
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Accept'],
        exposedHeaders: ['Idempotent-Replayed', 'Retry-After'],
        maxAge: 600,
      })
    }
    if (options.authMode === 'required') {
      await app.register(fastifyRateLimit, {
        max: options.rateLimitPerMinute ?? RATE_LIMIT_PER_MINUTE,
        timeWindow: 60_000,
        keyGenerator: rateLimitKey,
        // Probes, metrics scrapes, docs and dashboard files are never limited.
        allowList: (request) => request.routeOptions.config.role === 'public',
        errorResponseBuilder: (_request, context) => {
          const err = new RateLimitedError(context.max, context.after)
          return Object.assign(err, { statusCode: context.statusCode })
        },
      })
    }
  },
  { name: 'sportscan-security' },
)

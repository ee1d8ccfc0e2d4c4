import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { ApiContext } from '../api-context.js'

const ReadySchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  model_loaded: Type.Boolean(),
  database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
})

/** How often the database is pinged in the background, so /health can report it without waiting on it. */
const DATABASE_CHECK_MS = 15_000

type DatabaseState = 'connected' | 'disconnected' | 'unknown'

export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext; version: string }> = async (
  app,
  { ctx, version },
) => {
  // Liveness stays cheap: /health reports the last known state; /ready and a background ping update it.
  let database: { state: DatabaseState; checkedAt: Date | null } = { state: 'unknown', checkedAt: null }
  const checkDatabase = async (): Promise<boolean> => {
    const isUp = await ctx.db.ping().then(
      () => true,
      (err: unknown) => {
        ctx.log.warn({ err }, 'database not answering')
        return false
      },
    )
    database = { state: isUp ? 'connected' : 'disconnected', checkedAt: new Date() }
    return isUp
  }
  const timer = setInterval(() => void checkDatabase(), DATABASE_CHECK_MS)
  timer.unref()
  app.addHook('onReady', async () => {
    await checkDatabase()
  })
  app.addHook('onClose', async () => clearInterval(timer))

  app.get(
    '/health',
    {
      config: { role: 'public' },
      schema: {
        summary: 'Liveness: the process is up (and which model it serves)',
        tags: ['health'],
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            model_loaded: Type.Boolean(),
            model: Type.Union([Type.String(), Type.Null()]),
            version: Type.String(),
            database: Type.Union(
              [Type.Literal('connected'), Type.Literal('disconnected'), Type.Literal('unknown')],
              {
                description:
                  'Last known state (checked at start, every 15 s and by /ready); never waited on here',
              },
            ),
            database_checked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          }),
        },
      },
    },
    async () => {
      const served = ctx.models.current()
      return {
        status: 'ok' as const,
        model_loaded: served !== undefined,
        model: served?.classifier.ref ?? null,
        version,
        database: database.state,
        database_checked_at: database.checkedAt?.toISOString() ?? null,
      }
    },
  )

  app.get(
    '/ready',
    {
      config: { role: 'public' },
      schema: {
        summary: 'Readiness: a model is loaded and the database answers (503 otherwise)',
        tags: ['health'],
        response: { 200: ReadySchema, 503: ReadySchema },
      },
    },
    async (_request, reply) => {
      const isModelLoaded = ctx.models.current() !== undefined
      const isDatabaseUp = await checkDatabase()
      const isReady = isModelLoaded && isDatabaseUp
      void reply.status(isReady ? 200 : 503)
      return {
        status: isReady ? ('ready' as const) : ('not_ready' as const),
        model_loaded: isModelLoaded,
        database: isDatabaseUp ? ('up' as const) : ('down' as const),
      }
    },
  )
}

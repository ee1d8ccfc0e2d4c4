import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { ApiContext } from '../api-context.js'

const ReadySchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  model_loaded: Type.Boolean(),
  database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
})

export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext; version: string }> = async (
  app,
  { ctx, version },
) => {
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
    async (request, reply) => {
      const isModelLoaded = ctx.models.current() !== undefined
      const isDatabaseUp = await ctx.db.ping().then(
        () => true,
        (err: unknown) => {
          request.log.warn({ err }, 'readiness: database not answering')
          return false
        },
      )
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

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { deleteAllPredictions, listPredictionsByOffset } from '../../db/index.js'
import type { ApiContext } from '../api-context.js'
import { errorResponses } from './prediction.schemas.js'

/** The v1 list item: what warehouse clients written for the first API read. */
const LegacyPredictionSchema = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  predicted_label: Type.String(),
  confidence: Type.Number(),
  all_scores: Type.Record(Type.String(), Type.Number()),
  created_at: Type.String({ format: 'date-time' }),
})

/**
 * Routes of the first API version, kept so its clients work unchanged (GET /predictions/:id,
 * DELETE /predictions/:id and GET /stats answer supersets of v1 in their own plugins).
 */
export const legacyRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/predictions',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'v1: stored scans, newest first, offset pagination',
        tags: ['v1'],
        querystring: Type.Object({
          skip: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: {
          200: Type.Object({ total: Type.Integer(), predictions: Type.Array(LegacyPredictionSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const page = await listPredictionsByOffset(ctx.db.db, request.query)
      return {
        total: page.total,
        predictions: page.items.map((p) => ({
          id: p.id,
          filename: p.filename,
          predicted_label: p.predictedLabel,
          confidence: p.confidence,
          all_scores: p.allScores,
          created_at: p.createdAt.toISOString(),
        })),
      }
    },
  )

  app.delete(
    '/predictions',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'v1: delete every stored scan (admin only once auth exists)',
        tags: ['v1'],
        response: {
          200: Type.Object({ message: Type.String(), deleted: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const deleted = await deleteAllPredictions(ctx.db.db)
      return { message: `deleted ${deleted} predictions`, deleted }
    },
  )
}

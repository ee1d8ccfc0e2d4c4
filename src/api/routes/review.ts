import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { flagPrediction, listReviewQueue, unflagPrediction } from '../../db/index.js'
import type { ApiContext } from '../api-context.js'
import { PredictionNotFoundError } from '../errors.js'
import { PredictionIdParams, PredictionSchema, errorResponses, toPrediction } from './prediction.schemas.js'

const ReviewItemSchema = Type.Intersect([
  PredictionSchema,
  Type.Object({
    is_flagged: Type.Boolean({ description: 'Put in the queue by staff rather than by a low confidence' }),
    top_guesses: Type.Array(Type.Object({ label: Type.String(), score: Type.Number() }), {
      description: "The model's three likeliest labels, best first",
    }),
    image_url: Type.String({ description: 'The photo; 404 when the server did not keep it' }),
  }),
])

export const reviewRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/review',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The review queue: low-confidence scans never corrected, and scans flagged by staff',
        tags: ['review'],
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: {
          200: Type.Object({ total: Type.Integer(), items: Type.Array(ReviewItemSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const queue = await listReviewQueue(ctx.db.db, { limit: request.query.limit })
      return {
        total: queue.total,
        items: queue.items.map((row) => ({
          ...toPrediction(row),
          is_flagged: row.isFlagged,
          top_guesses: Object.entries(row.allScores)
            .map(([label, score]) => ({ label, score }))
            .sort((a, b) => b.score - a.score)
            .slice(0, 3),
          image_url: `/predictions/${encodeURIComponent(row.id)}/image`,
        })),
      }
    },
  )

  app.post(
    '/predictions/:id/flag',
    {
      config: { role: 'reviewer' },
      schema: {
        summary: 'Send a scan to the review queue (a correction takes it out again)',
        tags: ['review'],
        params: PredictionIdParams,
        response: {
          200: Type.Object({ id: Type.String(), is_flagged: Type.Literal(true) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      if (!(await flagPrediction(ctx.db.db, request.params.id))) {
        throw new PredictionNotFoundError(request.params.id)
      }
      return { id: request.params.id, is_flagged: true as const }
    },
  )

  app.delete(
    '/predictions/:id/flag',
    {
      config: { role: 'reviewer' },
      schema: {
        summary: "Take a staff flag off a scan again (the dashboard's undo)",
        tags: ['review'],
        params: PredictionIdParams,
        response: {
          200: Type.Object({ id: Type.String(), is_flagged: Type.Literal(false) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      if (!(await unflagPrediction(ctx.db.db, request.params.id))) {
        throw new PredictionNotFoundError(request.params.id)
      }
      return { id: request.params.id, is_flagged: false as const }
    },
  )
}

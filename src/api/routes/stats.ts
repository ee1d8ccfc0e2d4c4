import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { getPredictionStats } from '../../db/queries/prediction-stats.js'
import type { ApiContext } from '../api-context.js'
import { FilterQuery, toFilters } from './history.schemas.js'
import { errorResponses } from './prediction.schemas.js'

const StatsQuery = Type.Pick(FilterQuery, ['from', 'to', 'location'])

const StatsSchema = Type.Object({
  total: Type.Integer(),
  average_confidence: Type.Number({ description: '0 when there is no scan in range' }),
  needs_review: Type.Integer(),
  needs_review_share: Type.Number({ description: 'needs_review / total, 0 when there is no scan' }),
  per_label: Type.Array(
    Type.Object({ label: Type.String(), count: Type.Integer(), average_confidence: Type.Number() }),
  ),
  per_day: Type.Array(
    Type.Object({
      day: Type.String({ format: 'date' }),
      count: Type.Integer(),
      needs_review: Type.Integer(),
      average_confidence: Type.Number({ description: "Mean confidence of that day's scans" }),
    }),
  ),
  // The v1 API's fields, kept so its clients work unchanged.
  total_predictions: Type.Integer(),
  predictions_per_category: Type.Record(Type.String(), Type.Integer()),
  model_loaded: Type.Boolean(),
})

export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/stats',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Counts per label and day, average confidence, share needing review',
        tags: ['stats'],
        querystring: StatsQuery,
        response: { 200: StatsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const stats = await getPredictionStats(ctx.db.db, toFilters(request.query))
      return {
        total: stats.total,
        average_confidence: stats.averageConfidence ?? 0,
        needs_review: stats.needsReview,
        needs_review_share: stats.total === 0 ? 0 : stats.needsReview / stats.total,
        per_label: stats.perLabel.map((l) => ({
          label: l.label,
          count: l.count,
          average_confidence: l.averageConfidence,
        })),
        per_day: stats.perDay.map((d) => ({
          day: d.day,
          count: d.count,
          needs_review: d.needsReview,
          average_confidence: d.averageConfidence,
        })),
        total_predictions: stats.total,
        predictions_per_category: Object.fromEntries(stats.perLabel.map((l) => [l.label, l.count])),
        model_loaded: ctx.models.current() !== undefined,
      }
    },
  )
}

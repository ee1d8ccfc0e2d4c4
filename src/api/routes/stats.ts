import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { findDatasetRow, listDatasetRows, getDailyLabelCounts, getPredictionStats } from '../../db/index.js'
import { resolveModelRef } from '../../registry/index.js'
import type { ApiContext } from '../api-context.js'
import { computeDrift, toDistribution } from '../drift.js'
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
  drift: Type.Object({
    training_distribution: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()], {
      description: "Class shares of the served model's training data (else the newest dataset); null if none",
    }),
    bounds: Type.Object({
      max_low_confidence_share: Type.Number(),
      max_distance: Type.Number(),
      min_scans: Type.Integer(),
    }),
    per_day: Type.Array(
      Type.Object({
        day: Type.String({ format: 'date' }),
        count: Type.Integer(),
        low_confidence_share: Type.Number(),
        distribution: Type.Record(Type.String(), Type.Number()),
        distance: Type.Union([Type.Number(), Type.Null()], { description: 'Total variation from training' }),
        warnings: Type.Array(Type.String()),
      }),
    ),
    has_warning: Type.Boolean(),
  }),
  // The v1 API's fields, kept so its clients work unchanged.
  total_predictions: Type.Integer(),
  predictions_per_category: Type.Record(Type.String(), Type.Integer()),
  model_loaded: Type.Boolean(),
})

export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  /** The served model's training data; the bundled model has no recorded dataset, so the newest one stands in. */
  const trainingDistribution = async (): Promise<Record<string, number> | null> => {
    const ref = ctx.models.current()?.classifier.ref
    const version = ref
      ? await resolveModelRef(ctx.db.db, ref).then(
          (m) => m.row.datasetVersion,
          (err: unknown) => {
            // Not a registry model (the bundled one): no recorded dataset. Anything else is a real failure.
            if (String((err as { code?: unknown }).code).startsWith('SPS_REGISTRY_')) return null
            throw err
          },
        )
      : null
    const row = version ? await findDatasetRow(ctx.db.db, version) : (await listDatasetRows(ctx.db.db))[0]
    return row ? toDistribution(row.classCounts) : null
  }

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
      const filters = toFilters(request.query)
      const [stats, daily, training] = await Promise.all([
        getPredictionStats(ctx.db.db, filters),
        getDailyLabelCounts(ctx.db.db, filters),
        trainingDistribution(),
      ])
      const drift = computeDrift(daily, training, ctx.config.drift)
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
        drift: {
          training_distribution: training,
          bounds: {
            max_low_confidence_share: ctx.config.drift.maxLowConfidenceShare,
            max_distance: ctx.config.drift.maxDistance,
            min_scans: ctx.config.drift.minScans,
          },
          per_day: drift.map((d) => ({
            day: d.day,
            count: d.count,
            low_confidence_share: d.lowConfidenceShare,
            distribution: d.distribution,
            distance: d.distance,
            warnings: d.warnings,
          })),
          has_warning: drift.some((d) => d.warnings.length > 0),
        },
        total_predictions: stats.total,
        predictions_per_category: Object.fromEntries(stats.perLabel.map((l) => [l.label, l.count])),
        model_loaded: ctx.models.current() !== undefined,
      }
    },
  )
}

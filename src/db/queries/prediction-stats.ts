import { avg, count, sql } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { predictions } from '../schema.js'
import { predictionFilterSql, type PredictionFilters } from './predictions.js'

export interface PredictionStats {
  total: number
  /** Null when there is no prediction in range. */
  averageConfidence: number | null
  needsReview: number
  perLabel: Array<{ label: string; count: number; averageConfidence: number }>
  /** UTC days, oldest first. */
  perDay: Array<{ day: string; count: number; needsReview: number; averageConfidence: number }>
}

/** The warehouse report: counts per label and per day, average confidence, share needing review. */
export async function getPredictionStats(
  db: Queryable,
  filters: PredictionFilters,
): Promise<PredictionStats> {
  const where = predictionFilterSql(filters)
  const needsReview = sql<number>`count(*) filter (where ${predictions.status} = 'needs_review')`.mapWith(
    Number,
  )
  const day = sql<string>`to_char(${predictions.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`
  const [totals, perLabel, perDay] = await Promise.all([
    db
      .select({ total: count(), averageConfidence: avg(predictions.confidence), needsReview })
      .from(predictions)
      .where(where),
    db
      .select({
        label: predictions.predictedLabel,
        count: count(),
        averageConfidence: avg(predictions.confidence),
      })
      .from(predictions)
      .where(where)
      .groupBy(predictions.predictedLabel)
      .orderBy(predictions.predictedLabel),
    db
      .select({ day, count: count(), needsReview, averageConfidence: avg(predictions.confidence) })
      .from(predictions)
      .where(where)
      .groupBy(day)
      .orderBy(day),
  ])
  const summary = totals[0]
  return {
    total: summary?.total ?? 0,
    averageConfidence: summary?.averageConfidence == null ? null : Number(summary.averageConfidence),
    needsReview: summary?.needsReview ?? 0,
    perLabel: perLabel.map((r) => ({
      label: r.label,
      count: r.count,
      averageConfidence: Number(r.averageConfidence ?? 0),
    })),
    perDay: perDay.map((r) => ({
      day: r.day,
      count: r.count,
      needsReview: r.needsReview,
      averageConfidence: Number(r.averageConfidence ?? 0),
    })),
  }
}

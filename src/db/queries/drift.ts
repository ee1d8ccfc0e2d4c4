import { and, count, sql } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { predictions } from '../schema.js'
import { predictionFilterSql, type PredictionFilters } from './predictions.js'

/** One UTC day of scans: how many, how many below the threshold, and how many per predicted label. */
export interface DailyLabelCounts {
  day: string
  count: number
  lowConfidence: number
  perLabel: Record<string, number>
}

/** Per-day predicted-label counts and low-confidence counts (status `needs_review`), oldest day first. */
export async function getDailyLabelCounts(
  db: Queryable,
  filters: PredictionFilters,
): Promise<DailyLabelCounts[]> {
  const day = sql<string>`to_char(${predictions.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`
  const lowConfidence = sql<number>`count(*) filter (where ${predictions.status} = 'needs_review')`.mapWith(
    Number,
  )
  const rows = await db
    .select({ day, label: predictions.predictedLabel, count: count(), lowConfidence })
    .from(predictions)
    .where(and(predictionFilterSql(filters)))
    .groupBy(day, predictions.predictedLabel)
    .orderBy(day, predictions.predictedLabel)
  const days = new Map<string, DailyLabelCounts>()
  for (const r of rows) {
    let d = days.get(r.day)
    if (!d) days.set(r.day, (d = { day: r.day, count: 0, lowConfidence: 0, perLabel: {} }))
    d.count += r.count
    d.lowConfidence += r.lowConfidence
    d.perLabel[r.label] = r.count
  }
  return [...days.values()]
}

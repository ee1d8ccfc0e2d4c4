import { sql } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { corrections, predictions } from '../schema.js'
import { rowsOf } from './rows-of.js'

/** One corrected scan: its photo (by content hash) and the label a person gave it last. */
export interface FeedbackItem {
  predictionId: string
  imageSha256: string
  filename: string
  /** The latest correction's label; may be `not_a_ball`. */
  label: string
  predictedLabel: string
  correctedAt: Date
}

/**
 * Every corrected scan whose latest correction is at or after `since` (all of them without it), oldest
 * correction first. One row per scan: a scan corrected twice is exported under its final label only.
 */
export async function listFeedback(db: Queryable, filters: { since?: Date } = {}): Promise<FeedbackItem[]> {
  const since = filters.since === undefined ? sql`true` : sql`lc.created_at >= ${filters.since.toISOString()}`
  const result = await db.execute(sql`
    select p.id as prediction_id, p.image_sha256, p.filename, p.predicted_label,
      lc.new_label as label, lc.created_at as corrected_at
    from ${predictions} p
    join lateral (
      select c.new_label, c.created_at from ${corrections} c
      where c.prediction_id = p.id
      order by c.created_at desc, c.id desc
      limit 1
    ) lc on true
    where ${since}
    order by lc.created_at, p.id
  `)
  return rowsOf<{
    prediction_id: string
    image_sha256: string
    filename: string
    predicted_label: string
    label: string
    corrected_at: Date | string
  }>(result).map((r) => ({
    predictionId: r.prediction_id,
    imageSha256: r.image_sha256,
    filename: r.filename,
    label: r.label,
    predictedLabel: r.predicted_label,
    correctedAt: new Date(r.corrected_at),
  }))
}

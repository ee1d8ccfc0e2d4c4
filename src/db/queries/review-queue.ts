import { and, asc, count, eq, or, sql } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { corrections, predictions } from '../schema.js'
import type { PredictionView } from './predictions.js'

/** Whether a scan has ever been corrected; the sub-select uses corrections_prediction_idx. */
const hasCorrection = sql`exists (select 1 from ${corrections} c where c.prediction_id = ${predictions.id})`

// Spelled out: in a select list Drizzle renders ${predictions.id} unqualified, which `c.id` would shadow.
const correctedLabel = sql<string | null>`(
  select c.new_label from ${corrections} c
  where c.prediction_id = "predictions"."id"
  order by c.created_at desc, c.id desc limit 1
)`.as('corrected_label')

/**
 * Scans waiting for a person: low confidence and never corrected, or flagged by staff since (a correction
 * clears the flag). Oldest first, so the queue is worked through in the order scans arrived.
 */
const inQueue = or(
  and(eq(predictions.status, 'needs_review'), sql`not ${hasCorrection}`),
  eq(predictions.isFlagged, true),
)

export async function listReviewQueue(
  db: Queryable,
  page: { limit: number },
): Promise<{ total: number; items: PredictionView[] }> {
  const [rows, totals] = await Promise.all([
    db
      .select({ prediction: predictions, correctedLabel })
      .from(predictions)
      .where(inQueue)
      .orderBy(asc(predictions.createdAt), asc(predictions.id))
      .limit(page.limit),
    db.select({ total: count() }).from(predictions).where(inQueue),
  ])
  return {
    total: totals[0]?.total ?? 0,
    items: rows.map((r) => ({ ...r.prediction, correctedLabel: r.correctedLabel })),
  }
}

/** Puts a scan (back) into the review queue; false when it does not exist. */
export async function flagPrediction(db: Queryable, id: string): Promise<boolean> {
  const rows = await db
    .update(predictions)
    .set({ isFlagged: true })
    .where(eq(predictions.id, id))
    .returning({ id: predictions.id })
  return rows.length > 0
}

/** Takes a staff flag off again (undo); false when the scan does not exist. */
export async function unflagPrediction(db: Queryable, id: string): Promise<boolean> {
  const rows = await db
    .update(predictions)
    .set({ isFlagged: false })
    .where(eq(predictions.id, id))
    .returning({ id: predictions.id })
  return rows.length > 0
}

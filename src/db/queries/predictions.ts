import { randomUUID } from 'node:crypto'
import { and, count, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { corrections, predictions, type NewPredictionRow, type PredictionRow } from '../schema.js'

/** A stored prediction plus the label a reviewer gave it last (null when never corrected). */
export type PredictionView = PredictionRow & { correctedLabel: string | null }

export interface PredictionFilters {
  label?: string
  status?: 'counted' | 'needs_review'
  location?: string
  /** Inclusive lower bound on created_at. */
  from?: Date
  /** Exclusive upper bound on created_at. */
  to?: Date
}

/** Position after the last row of a page: created_at with microseconds (as text, JS dates stop at ms) and id. */
export interface HistoryCursor {
  createdAt: string
  id: string
}

/** The latest correction's label; the correlated sub-select uses corrections_prediction_idx. */
const correctedLabel = sql<string | null>`(
  select c.new_label from ${corrections} c
  where c.prediction_id = "predictions"."id"
  order by c.created_at desc, c.id desc limit 1
)`.as('corrected_label')

const cursorCreatedAt =
  sql<string>`to_char(${predictions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
    'cursor_created_at',
  )

export interface InsertPredictionResult {
  row: PredictionRow
  /** False when a row with the same idempotency key already existed; `row` is then that first row. */
  isNew: boolean
}

/**
 * One INSERT returning the row. With an idempotency key, the partial unique index decides between two racing
 * requests: the loser inserts nothing and gets the winner's row back.
 */
export async function insertPrediction(
  db: Queryable,
  values: NewPredictionRow,
): Promise<InsertPredictionResult> {
  if (values.idempotencyKey == null) {
    const [row] = await db.insert(predictions).values(values).returning()
    if (!row) throw new Error('INSERT ... RETURNING returned no row')
    return { row, isNew: true }
  }
  const [row] = await db
    .insert(predictions)
    .values(values)
    .onConflictDoNothing({
      target: predictions.idempotencyKey,
      where: sql`${predictions.idempotencyKey} is not null`,
    })
    .returning()
  if (row) return { row, isNew: true }
  const existing = await findPredictionsByIdempotencyKeys(db, [values.idempotencyKey])
  const first = existing[0]
  if (!first) throw new Error('idempotency conflict without a stored row')
  return { row: first, isNew: false }
}

/**
 * Several rows in one multi-row INSERT (one statement, so one transaction): what a server writes for a
 * micro-batch of scans. Ids are chosen here so each input finds its own row; a row whose idempotency key is
 * taken (by an earlier request or an earlier row of this batch) inserts nothing and gets the first row back.
 */
export async function insertPredictions(
  db: Queryable,
  values: readonly NewPredictionRow[],
): Promise<InsertPredictionResult[]> {
  if (values.length === 0) return []
  const withIds = values.map((v) => ({ ...v, id: v.id ?? randomUUID() }))
  const inserted = await db
    .insert(predictions)
    .values(withIds)
    .onConflictDoNothing({
      target: predictions.idempotencyKey,
      where: sql`${predictions.idempotencyKey} is not null`,
    })
    .returning()
  const byId = new Map(inserted.map((row) => [row.id, row]))
  const missingKeys = withIds
    .filter((v) => !byId.has(v.id) && v.idempotencyKey != null)
    .map((v) => v.idempotencyKey as string)
  const byKey = new Map(
    (await findPredictionsByIdempotencyKeys(db, [...new Set(missingKeys)])).map((row) => [
      row.idempotencyKey,
      row,
    ]),
  )
  return withIds.map((v) => {
    const row = byId.get(v.id)
    if (row) return { row, isNew: true }
    const first = v.idempotencyKey == null ? undefined : byKey.get(v.idempotencyKey)
    if (!first) throw new Error('idempotency conflict without a stored row')
    return { row: first, isNew: false }
  })
}

export async function findPredictionsByIdempotencyKeys(
  db: Queryable,
  keys: string[],
): Promise<PredictionRow[]> {
  if (keys.length === 0) return []
  return db.select().from(predictions).where(inArray(predictions.idempotencyKey, keys))
}

export async function getPrediction(db: Queryable, id: string): Promise<PredictionView | undefined> {
  const [row] = await db
    .select({ prediction: predictions, correctedLabel })
    .from(predictions)
    .where(eq(predictions.id, id))
  return row ? { ...row.prediction, correctedLabel: row.correctedLabel } : undefined
}

/** Clears the whole history (legacy `DELETE /predictions`); returns how many rows went. */
export async function deleteAllPredictions(db: Queryable): Promise<number> {
  const rows = await db.delete(predictions).returning({ id: predictions.id })
  return rows.length
}

export function predictionFilterSql(filters: PredictionFilters): SQL | undefined {
  const parts: SQL[] = []
  if (filters.label !== undefined) parts.push(eq(predictions.predictedLabel, filters.label))
  if (filters.status !== undefined) parts.push(eq(predictions.status, filters.status))
  if (filters.location !== undefined) parts.push(eq(predictions.location, filters.location))
  if (filters.from !== undefined) parts.push(gte(predictions.createdAt, filters.from))
  if (filters.to !== undefined) parts.push(lt(predictions.createdAt, filters.to))
  return parts.length > 0 ? and(...parts) : undefined
}

export interface HistoryPage {
  total: number
  items: PredictionView[]
  nextCursor: HistoryCursor | null
}

/** Newest first, keyset-paginated on (created_at, id) so pages never skip or repeat rows under inserts. */
export async function listPredictionHistory(
  db: Queryable,
  filters: PredictionFilters,
  page: { limit: number; cursor?: HistoryCursor },
): Promise<HistoryPage> {
  const where = predictionFilterSql(filters)
  const after = page.cursor
    ? or(
        lt(predictions.createdAt, sql`${page.cursor.createdAt}::timestamptz`),
        and(
          eq(predictions.createdAt, sql`${page.cursor.createdAt}::timestamptz`),
          lt(predictions.id, sql`${page.cursor.id}::uuid`),
        ),
      )
    : undefined
  const [rows, totals] = await Promise.all([
    db
      .select({ prediction: predictions, correctedLabel, cursorCreatedAt })
      .from(predictions)
      .where(and(where, after))
      .orderBy(desc(predictions.createdAt), desc(predictions.id))
      .limit(page.limit + 1),
    db.select({ total: count() }).from(predictions).where(where),
  ])
  const hasMore = rows.length > page.limit
  const items = rows.slice(0, page.limit)
  const last = items[items.length - 1]
  return {
    total: totals[0]?.total ?? 0,
    items: items.map((r) => ({ ...r.prediction, correctedLabel: r.correctedLabel })),
    nextCursor: hasMore && last ? { createdAt: last.cursorCreatedAt, id: last.prediction.id } : null,
  }
}

/** Offset pagination for the v1 API (`GET /predictions?skip&limit`). */
export async function listPredictionsByOffset(
  db: Queryable,
  page: { skip: number; limit: number },
): Promise<{ total: number; items: PredictionRow[] }> {
  const [items, totals] = await Promise.all([
    db
      .select()
      .from(predictions)
      .orderBy(desc(predictions.createdAt), desc(predictions.id))
      .offset(page.skip)
      .limit(page.limit),
    db.select({ total: count() }).from(predictions),
  ])
  return { total: totals[0]?.total ?? 0, items }
}

import { asc, inArray, sql } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { putAways, type PutAwayRow } from '../schema.js'
import { NOT_A_BALL } from './corrections.js'
import { rowsOf } from './rows-of.js'

export type NewPutAway = Omit<typeof putAways.$inferInsert, 'id' | 'createdAt'>

export async function insertPutAway(db: Queryable, values: NewPutAway): Promise<PutAwayRow> {
  const [row] = await db.insert(putAways).values(values).returning()
  if (!row) throw new Error('INSERT ... RETURNING returned no row')
  return row
}

/** Every confirmation of the given scans, oldest first. */
export async function listPutAways(db: Queryable, predictionIds: readonly string[]): Promise<PutAwayRow[]> {
  if (predictionIds.length === 0) return []
  return db
    .select()
    .from(putAways)
    .where(inArray(putAways.predictionId, [...predictionIds]))
    .orderBy(asc(putAways.createdAt), asc(putAways.id))
}

/** The latest confirmation of each given scan (scans never confirmed are absent). */
export async function latestPutAways(
  db: Queryable,
  predictionIds: readonly string[],
): Promise<Map<string, PutAwayRow>> {
  const latest = new Map<string, PutAwayRow>()
  for (const row of await listPutAways(db, predictionIds)) latest.set(row.predictionId, row)
  return latest
}

export interface BinStockLine {
  site: string | null
  /** Where the scans are: the bin confirmed last, else the bin their label is assigned to; null for neither. */
  binLabel: string | null
  label: string
  count: number
  /** Of `count`, the scans a worker confirmed shelving there. */
  shelved: number
}

/**
 * Stock per site, bin and label, counted as getStock counts (confident or corrected scans, latest label, no
 * `not_a_ball`). A scan sits in the bin a worker confirmed, unless a correction came after that
 * confirmation: then it follows its new label's assignment, as the ball is moved to where it belongs.
 */
export async function getStockByBin(db: Queryable, filters: { site?: string } = {}): Promise<BinStockLine[]> {
  const site = filters.site === undefined ? sql`true` : sql`p.site = ${filters.site}`
  const result = await db.execute(sql`
    select p.site as site,
      coalesce(pa.bin_label, ba.bin_label) as bin_label,
      coalesce(lc.new_label, p.predicted_label) as label,
      count(*)::int as count,
      count(pa.bin_label)::int as shelved
    from predictions p
    left join lateral (
      select c.new_label, c.created_at from corrections c
      where c.prediction_id = p.id
      order by c.created_at desc, c.id desc
      limit 1
    ) lc on true
    left join lateral (
      select a.bin_label from put_aways a
      where a.prediction_id = p.id and (lc.created_at is null or a.created_at >= lc.created_at)
      order by a.created_at desc, a.id desc
      limit 1
    ) pa on true
    left join bin_assignments ba
      on ba.site = p.site and ba.ball_label = coalesce(lc.new_label, p.predicted_label)
    where (p.status = 'counted' or lc.new_label is not null)
      and coalesce(lc.new_label, p.predicted_label) <> ${NOT_A_BALL}
      and ${site}
    group by 1, 2, 3
    order by 1 nulls first, 2 nulls first, 3
  `)
  return rowsOf<{
    site: string | null
    bin_label: string | null
    label: string
    count: number | string
    shelved: number | string
  }>(result).map((r) => ({
    site: r.site,
    binLabel: r.bin_label,
    label: r.label,
    count: Number(r.count),
    shelved: Number(r.shelved),
  }))
}

import { sql } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { corrections, predictions } from '../schema.js'
import { NOT_A_BALL } from './corrections.js'
import { rowsOf } from './rows-of.js'

export interface StockLine {
  label: string
  location: string | null
  count: number
}

/**
 * Current stock per label and location, computed from the rows rather than kept in a counter table: a scan
 * counts when the model was confident (`counted`) or a person confirmed it by a correction, under its latest
 * corrected label, unless that label is `not_a_ball`. Deriving it means deletes and corrections can never
 * leave a counter out of step with the history; the label/status indexes keep it cheap at warehouse volumes.
 */
export async function getStock(db: Queryable, filters: { location?: string } = {}): Promise<StockLine[]> {
  const location = filters.location === undefined ? sql`true` : sql`p.location = ${filters.location}`
  const result = await db.execute(sql`
    select coalesce(lc.new_label, p.predicted_label) as label, p.location as location, count(*)::int as count
    from ${predictions} p
    left join lateral (
      select c.new_label from ${corrections} c
      where c.prediction_id = p.id
      order by c.created_at desc, c.id desc
      limit 1
    ) lc on true
    where (p.status = 'counted' or lc.new_label is not null)
      and coalesce(lc.new_label, p.predicted_label) <> ${NOT_A_BALL}
      and ${location}
    group by 1, 2
    order by 1, 2 nulls first
  `)
  return rowsOf<{ label: string; location: string | null; count: number | string }>(result).map((r) => ({
    label: r.label,
    location: r.location,
    count: Number(r.count),
  }))
}

import { desc } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { gateDecisions, type GateDecisionRow, type NewGateDecisionRow } from '../schema.js'

export async function insertGateDecision(db: Queryable, row: NewGateDecisionRow): Promise<GateDecisionRow> {
  const [inserted] = await db.insert(gateDecisions).values(row).returning()
  if (!inserted) throw new Error('insert into gate_decisions returned no row')
  return inserted
}

/** Newest first. */
export async function listGateDecisions(db: Queryable, limit = 50): Promise<GateDecisionRow[]> {
  return db
    .select()
    .from(gateDecisions)
    .orderBy(desc(gateDecisions.createdAt), desc(gateDecisions.id))
    .limit(limit)
}

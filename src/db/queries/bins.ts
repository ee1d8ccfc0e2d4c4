import { and, asc, count, eq, inArray, notExists, sql } from 'drizzle-orm'
import type { Database, Queryable } from '../client.js'
import { binAssignments, bins, type BinRow } from '../schema.js'

/** One ball type's bin at one site, with the bin's capacity. */
export interface BinAssignment {
  site: string
  ballLabel: string
  binLabel: string
  /** Balls the bin holds; null when unlimited. */
  capacity: number | null
  updatedBy: string | null
  updatedAt: Date
}

export interface NewBinAssignment {
  site: string
  ballLabel: string
  binLabel: string
  /** Sets the bin's capacity; undefined keeps the one it has (none for a new bin). */
  capacity?: number | null
  updatedBy: string | null
}

const assignmentColumns = {
  site: binAssignments.site,
  ballLabel: binAssignments.ballLabel,
  binLabel: binAssignments.binLabel,
  capacity: bins.capacity,
  updatedBy: binAssignments.updatedBy,
  updatedAt: binAssignments.updatedAt,
}

/** Assignments of the given sites (all sites when none are given), by site then ball type. */
export async function listBinAssignments(
  db: Queryable,
  filter: { sites?: readonly string[] } = {},
): Promise<BinAssignment[]> {
  if (filter.sites !== undefined && filter.sites.length === 0) return []
  return db
    .select(assignmentColumns)
    .from(binAssignments)
    .innerJoin(bins, and(eq(bins.site, binAssignments.site), eq(bins.label, binAssignments.binLabel)))
    .where(filter.sites === undefined ? undefined : inArray(binAssignments.site, [...filter.sites]))
    .orderBy(asc(binAssignments.site), asc(binAssignments.ballLabel))
}

export async function listBins(db: Queryable, filter: { site?: string } = {}): Promise<BinRow[]> {
  return db
    .select()
    .from(bins)
    .where(filter.site === undefined ? undefined : eq(bins.site, filter.site))
    .orderBy(asc(bins.site), asc(bins.label))
}

export interface SiteSummary {
  site: string
  bins: number
  assignments: number
}

/** Every site that has bins, with how many bins and assigned ball types it has. */
export async function listSites(db: Queryable): Promise<SiteSummary[]> {
  const [binCounts, assignmentCounts] = await Promise.all([
    db.select({ site: bins.site, n: count() }).from(bins).groupBy(bins.site),
    db.select({ site: binAssignments.site, n: count() }).from(binAssignments).groupBy(binAssignments.site),
  ])
  const assigned = new Map(assignmentCounts.map((r) => [r.site, Number(r.n)]))
  return binCounts
    .map((r) => ({ site: r.site, bins: Number(r.n), assignments: assigned.get(r.site) ?? 0 }))
    .sort((a, b) => a.site.localeCompare(b.site))
}

/** Creates or moves one assignment (creating its bin when new) and drops the bin it left if now unused. */
export async function setBinAssignment(db: Database, input: NewBinAssignment): Promise<BinAssignment> {
  return db.transaction(async (tx) => {
    await upsertAssignments(tx, [input])
    await pruneUnusedBins(tx)
    const [row] = await tx
      .select(assignmentColumns)
      .from(binAssignments)
      .innerJoin(bins, and(eq(bins.site, binAssignments.site), eq(bins.label, binAssignments.binLabel)))
      .where(and(eq(binAssignments.site, input.site), eq(binAssignments.ballLabel, input.ballLabel)))
    if (!row) throw new Error('assignment missing right after its upsert')
    return row
  })
}

/** Removes one assignment (and its bin when no other ball type uses it); false when there was none. */
export async function deleteBinAssignment(
  db: Database,
  key: { site: string; ballLabel: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(binAssignments)
      .where(and(eq(binAssignments.site, key.site), eq(binAssignments.ballLabel, key.ballLabel)))
      .returning({ site: binAssignments.site })
    await pruneUnusedBins(tx)
    return deleted.length > 0
  })
}

/**
 * Writes many assignments in one transaction: all land or none. With `replaceSites`, those sites keep only
 * the assignments given (an import that is the site's whole plan).
 */
export async function importBinAssignments(
  db: Database,
  rows: readonly NewBinAssignment[],
  options: { replaceSites?: readonly string[] } = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    if (options.replaceSites !== undefined && options.replaceSites.length > 0) {
      await tx.delete(binAssignments).where(inArray(binAssignments.site, [...options.replaceSites]))
    }
    await upsertAssignments(tx, rows)
    await pruneUnusedBins(tx)
  })
}

async function upsertAssignments(tx: Queryable, rows: readonly NewBinAssignment[]): Promise<void> {
  for (const row of rows) {
    const capacity = row.capacity === undefined ? {} : { capacity: row.capacity }
    await tx
      .insert(bins)
      .values({ site: row.site, label: row.binLabel, ...capacity })
      .onConflictDoUpdate({ target: [bins.site, bins.label], set: { ...capacity, updatedAt: sql`now()` } })
    await tx
      .insert(binAssignments)
      .values({ site: row.site, ballLabel: row.ballLabel, binLabel: row.binLabel, updatedBy: row.updatedBy })
      .onConflictDoUpdate({
        target: [binAssignments.site, binAssignments.ballLabel],
        set: { binLabel: row.binLabel, updatedBy: row.updatedBy, updatedAt: sql`now()` },
      })
  }
}

/** Bins exist through their assignments: one no ball type is assigned to any more goes. */
async function pruneUnusedBins(tx: Queryable): Promise<void> {
  await tx.delete(bins).where(
    notExists(
      tx
        .select({ one: sql`1` })
        .from(binAssignments)
        .where(and(eq(binAssignments.site, bins.site), eq(binAssignments.binLabel, bins.label))),
    ),
  )
}

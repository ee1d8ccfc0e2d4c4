import { desc, eq } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { datasets, type DatasetRow } from '../schema.js'

export type NewDatasetRow = typeof datasets.$inferInsert

/** Records a dataset version; true when the row is new, false when that version was already recorded. */
export async function insertDatasetRow(db: Queryable, row: NewDatasetRow): Promise<boolean> {
  const inserted = await db
    .insert(datasets)
    .values(row)
    .onConflictDoNothing({ target: datasets.version })
    .returning({ version: datasets.version })
  return inserted.length > 0
}

export async function findDatasetRow(db: Queryable, version: string): Promise<DatasetRow | undefined> {
  const rows = await db.select().from(datasets).where(eq(datasets.version, version)).limit(1)
  return rows[0]
}

/** Newest first. */
export async function listDatasetRows(db: Queryable): Promise<DatasetRow[]> {
  return db.select().from(datasets).orderBy(desc(datasets.createdAt), datasets.version)
}

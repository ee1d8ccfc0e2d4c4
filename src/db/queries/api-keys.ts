import { and, asc, eq, isNull, or } from 'drizzle-orm'
import type { Database } from '../client.js'
import { apiKeys, type ApiKeyRow } from '../schema.js'

export async function insertApiKey(
  db: Database,
  row: { name: string; role: ApiKeyRow['role']; prefix: string; keyHash: string },
): Promise<ApiKeyRow> {
  const [inserted] = await db.insert(apiKeys).values(row).returning()
  if (!inserted) throw new Error('insert into api_keys returned no row')
  return inserted
}

export async function listApiKeyRows(db: Database): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(asc(apiKeys.id))
}

/** Looked up by the unique prefix index on every uncached request, revoked or not. */
export async function findApiKeyByPrefix(db: Database, prefix: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix)).limit(1)
  return row
}

/** Sets revoked_at on the key with this id or prefix (once); the row, or undefined when none matches. */
export async function revokeApiKeyRow(db: Database, ref: string): Promise<ApiKeyRow | undefined> {
  const id = /^\d{1,9}$/.test(ref) ? Number(ref) : undefined
  const match = id === undefined ? eq(apiKeys.prefix, ref) : or(eq(apiKeys.id, id), eq(apiKeys.prefix, ref))
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(match, isNull(apiKeys.revokedAt)))
    .returning()
  if (row) return row
  const [already] = await db.select().from(apiKeys).where(match).limit(1)
  return already
}

export async function countActiveApiKeys(db: Database): Promise<number> {
  const rows = await db.select({ id: apiKeys.id }).from(apiKeys).where(isNull(apiKeys.revokedAt))
  return rows.length
}

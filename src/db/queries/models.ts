import { and, asc, desc, eq, max, sql } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { modelAliases, models, type ModelAliasRow, type ModelRow } from '../schema.js'

export type NewModelRow = typeof models.$inferInsert

/** Highest registered version of a model name, 0 when it has none. */
export async function selectMaxModelVersion(q: Queryable, name: string): Promise<number> {
  const [row] = await q
    .select({ version: max(models.version) })
    .from(models)
    .where(eq(models.name, name))
  return row?.version ?? 0
}

export async function insertModel(q: Queryable, row: NewModelRow): Promise<ModelRow> {
  const [inserted] = await q.insert(models).values(row).returning()
  if (!inserted) throw new Error('insert into models returned no row')
  return inserted
}

export async function selectModelByVersion(
  q: Queryable,
  name: string,
  version: number,
): Promise<ModelRow | undefined> {
  const [row] = await q
    .select()
    .from(models)
    .where(and(eq(models.name, name), eq(models.version, version)))
  return row
}

export async function selectLatestModel(q: Queryable, name: string): Promise<ModelRow | undefined> {
  const [row] = await q
    .select()
    .from(models)
    .where(eq(models.name, name))
    .orderBy(desc(models.version))
    .limit(1)
  return row
}

export async function selectModelByAlias(
  q: Queryable,
  name: string,
  alias: string,
): Promise<ModelRow | undefined> {
  const [row] = await q
    .select({ model: models })
    .from(modelAliases)
    .innerJoin(models, eq(models.id, modelAliases.modelId))
    .where(and(eq(modelAliases.name, name), eq(modelAliases.alias, alias)))
  return row?.model
}

/** Every model, by name then newest version first. */
export async function selectAllModels(q: Queryable): Promise<ModelRow[]> {
  return q.select().from(models).orderBy(asc(models.name), desc(models.version))
}

export async function selectAliases(q: Queryable, name?: string): Promise<ModelAliasRow[]> {
  const query = q.select().from(modelAliases)
  const rows = name === undefined ? await query : await query.where(eq(modelAliases.name, name))
  return rows.sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0))
}

/** Points `name@alias` at a model, replacing whatever it pointed at; returns the previous model id. */
export async function upsertAlias(
  q: Queryable,
  alias: { name: string; alias: string; modelId: number },
): Promise<number | undefined> {
  const [previous] = await q
    .select({ modelId: modelAliases.modelId })
    .from(modelAliases)
    .where(and(eq(modelAliases.name, alias.name), eq(modelAliases.alias, alias.alias)))
    .for('update')
  await q
    .insert(modelAliases)
    .values({ ...alias, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [modelAliases.name, modelAliases.alias],
      set: { modelId: alias.modelId, updatedAt: sql`now()` },
    })
  return previous?.modelId
}

export async function notifyChannel(q: Queryable, channel: string, payload: string): Promise<void> {
  await q.execute(sql`select pg_notify(${channel}, ${payload})`)
}

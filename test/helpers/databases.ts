import { randomBytes } from 'node:crypto'
import { getTableName, is, sql } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import pg from 'pg'
import type { DbConfig } from '../../src/config/index.js'
import { openDatabase, tables, type DatabaseHandle } from '../../src/db/index.js'
import { createSilentLogger } from '../../src/log/index.js'

/** Real PostgreSQL joins the matrix when CI (or you) point TEST_DATABASE_URL or DATABASE_URL at a server. */
export const pgUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || ''

export type TestDriver = DbConfig['driver']
export const testDrivers: TestDriver[] = pgUrl ? ['pglite', 'pg'] : ['pglite']

export interface TestDatabase {
  handle: DatabaseHandle
  config: DbConfig
  dispose(): Promise<void>
}

/**
 * A fresh, migrated database: in-memory PGlite, or a throw-away database on the PostgreSQL server, so that
 * test files running in parallel never see each other's rows.
 */
export async function createTestDatabase(driver: TestDriver): Promise<TestDatabase> {
  const log = createSilentLogger()
  if (driver === 'pglite') {
    const config: DbConfig = { driver: 'pglite', dir: 'memory://' }
    const handle = await openDatabase(config, log)
    return { handle, config, dispose: () => handle.close() }
  }
  const empty = await createEmptyPgDatabase()
  const config: DbConfig = { driver: 'pg', url: empty.url, poolSize: 8 }
  const handle = await openDatabase(config, log)
  return {
    handle,
    config,
    async dispose() {
      await handle.close()
      await empty.drop()
    },
  }
}

/**
 * Empties every table of the schema (the migrations stay applied), so tests sharing one database each start
 * from nothing, as drizzle-orm's own PGlite tests reset theirs.
 */
export async function resetTestDatabase(database: TestDatabase): Promise<void> {
  const names = (Object.values(tables) as unknown[])
    .filter((t): t is PgTable => is(t, PgTable))
    .map((t) => `"${getTableName(t)}"`)
  await database.handle.db.execute(sql.raw(`truncate table ${names.join(', ')} restart identity cascade`))
}

/** A throw-away database on the PostgreSQL server, not yet migrated: its URL and how to drop it. */
export async function createEmptyPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sportscan_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(pgUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

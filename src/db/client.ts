import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import pg from 'pg'
import type { DbConfig } from '../config/index.js'
import type { Logger } from '../log/index.js'
import { DatabaseUnavailableError, MigrationFailedError } from './errors.js'
import { acquirePgliteLock } from './pglite-lock.js'
import * as schema from './schema.js'

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>
/** What `db.transaction` hands its callback; queries take `Database | Transaction`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
export type Queryable = Database | Transaction

export interface DatabaseHandle {
  db: Database
  driver: DbConfig['driver']
  /** Resolves when the database answers a trivial query; throws DatabaseUnavailableError otherwise. */
  ping(): Promise<void>
  /** Subscribes to NOTIFY on a channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

// src/db/client.ts and dist/db/client.js both sit two levels below the package root.
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url))

/** Opens PGlite (embedded, persisted in `dir`, or in memory for `memory://`) or PostgreSQL, and migrates it. */
export async function openDatabase(config: DbConfig, log: Logger): Promise<DatabaseHandle> {
  const opened =
    config.driver === 'pglite'
      ? { handle: await openPglite(config.dir), pool: undefined }
      : openPg(config.url, config.poolSize, log)
  const { handle, pool } = opened
  try {
    if (pool === undefined) {
      await migratePglite(handle.db as Parameters<typeof migratePglite>[0], { migrationsFolder })
    } else {
      await migratePgLocked(pool)
    }
  } catch (err) {
    await handle.close().catch(() => undefined)
    throw new MigrationFailedError(err)
  }
  log.debug({ driver: config.driver }, 'database ready')
  return handle
}

async function openPglite(dir: string): Promise<DatabaseHandle> {
  const isMemory = dir.startsWith('memory://')
  if (!isMemory) await mkdir(path.dirname(dir), { recursive: true })
  const lock = isMemory ? undefined : await acquirePgliteLock(dir)
  let client: PGlite
  try {
    client = await PGlite.create(isMemory ? undefined : dir)
  } catch (err) {
    await lock?.release()
    throw err
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database
  return {
    db,
    driver: 'pglite',
    async ping() {
      try {
        await client.query('select 1')
      } catch (err) {
        throw new DatabaseUnavailableError(err)
      }
    },
    async listen(channel, onPayload) {
      const unsubscribe = await client.listen(channel, onPayload)
      return async () => unsubscribe()
    },
    async close() {
      if (!client.closed) await client.close()
      await lock?.release()
    },
  }
}

/**
 * Replicas of one Deployment start together: without a lock two of them could both see a migration as
 * pending and the second would fail on "already exists". A session advisory lock, held on one connection
 * for the whole run, makes the others wait and then find nothing left to apply.
 */
async function migratePgLocked(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  let broken = false
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK])
    try {
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder })
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => {
        broken = true
      })
    }
  } catch (err) {
    broken = true
    throw err
  } finally {
    // A connection whose lock state is unknown is closed, not returned to the pool.
    client.release(broken)
  }
}

const MIGRATION_LOCK = 'sportscan.migrations'

function openPg(url: string, poolSize: number, log: Logger): { handle: DatabaseHandle; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Fail fast when the server is down, so requests answer 503 instead of hanging.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
  })
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (err) => log.warn({ err }, 'idle database connection lost'))
  const db = drizzlePg(pool, { schema }) as unknown as Database
  const listeners = new Set<pg.Client>()
  const handle: DatabaseHandle = {
    db,
    driver: 'pg',
    async ping() {
      try {
        await db.execute(sql`select 1`)
      } catch (err) {
        throw new DatabaseUnavailableError(err)
      }
    },
    async listen(channel, onPayload) {
      // LISTEN needs a connection of its own, outside the pool.
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 })
      client.on('error', (err) => log.warn({ err, channel }, 'listen connection lost'))
      await client.connect()
      client.on('notification', (msg) => {
        if (msg.channel === channel) onPayload(msg.payload ?? '')
      })
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
      listeners.add(client)
      return async () => {
        listeners.delete(client)
        await client.end().catch(() => undefined)
      }
    },
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)))
      listeners.clear()
      await pool.end()
    },
  }
  return { handle, pool }
}

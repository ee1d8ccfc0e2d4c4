import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../../src/db/index.js'
import { createSilentLogger } from '../../src/log/index.js'
import { createEmptyPgDatabase, pgUrl } from '../helpers/databases.js'

// Replicas of one Deployment start together against an empty database: only one may apply the migrations.
describe.runIf(pgUrl)('migrations on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createEmptyPgDatabase>>
  beforeAll(async () => {
    database = await createEmptyPgDatabase()
  })
  afterAll(async () => {
    await database.drop()
  })

  it('lets four processes start at once on an empty database, applying each migration once', async () => {
    const log = createSilentLogger()
    const { url } = database
    const opened = await Promise.allSettled(
      Array.from({ length: 4 }, () => openDatabase({ driver: 'pg', url, poolSize: 2 }, log)),
    )
    const handles = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    try {
      expect(opened.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([])
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        const { rows } = await client.query<{ hash: string; n: string }>(
          'select hash, count(*) as n from drizzle.__drizzle_migrations group by hash',
        )
        expect(rows.length).toBeGreaterThan(0)
        expect(rows.every((r) => Number(r.n) === 1)).toBe(true)
      } finally {
        await client.end()
      }
    } finally {
      await Promise.all(handles.map((h: DatabaseHandle) => h.close()))
    }
  })
})

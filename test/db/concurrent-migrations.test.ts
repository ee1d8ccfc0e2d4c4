import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../../src/db/index.js'
import { createSilentLogger } from '../../src/log/index.js'
import { pgUrl } from '../helpers/databases.js'

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

// Replicas of one Deployment start together against an empty database: only one may apply the migrations.
describe.runIf(pgUrl)('migrations on PostgreSQL', () => {
  const name = `sportscan_migrate_${randomBytes(4).toString('hex')}`
  let url: string
  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`)
    const u = new URL(pgUrl)
    u.pathname = `/${name}`
    url = u.toString()
  })
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  })

  it('lets four processes start at once on an empty database, applying each migration once', async () => {
    const log = createSilentLogger()
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

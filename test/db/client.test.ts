import { eq, sql } from 'drizzle-orm'
import { describe, expect, testDrivers, test } from '../fixtures.js'
import { tables } from '../../src/db/index.js'

describe.each(testDrivers)('openDatabase (%s)', (driver) => {
  const it = test.override({ driver: driver })

  it('migrates every table of the schema', async ({ database }) => {
    const rows = await database.handle.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    )
    const names = (rows as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name)
    expect(names).toEqual(
      expect.arrayContaining([
        'api_keys',
        'corrections',
        'datasets',
        'model_aliases',
        'models',
        'pipeline_runs',
        'predictions',
      ]),
    )
  })

  it('rejects a second prediction with the same idempotency key', async ({ database }) => {
    const row = {
      filename: 'a.jpg',
      predictedLabel: 'basketball',
      confidence: 0.9,
      allScores: { basketball: 0.9 },
      model: 'm@1',
      status: 'counted' as const,
      idempotencyKey: 'k-1',
      imageSha256: 'x'.repeat(64),
      imageBytes: 10,
    }
    const { db } = database.handle
    await db.insert(tables.predictions).values(row)
    await expect(db.insert(tables.predictions).values(row)).rejects.toThrow()
    const stored = await db
      .select()
      .from(tables.predictions)
      .where(eq(tables.predictions.idempotencyKey, 'k-1'))
    expect(stored).toHaveLength(1)
  })

  it('delivers NOTIFY payloads to a listener', async ({ database }) => {
    const received: string[] = []
    const unlisten = await database.handle.listen('sportscan_test', (p) => received.push(p))
    await database.handle.db.execute(sql`select pg_notify('sportscan_test', 'hello')`)
    await expect.poll(() => received, { timeout: 5_000 }).toEqual(['hello'])
    await unlisten()
  })

  it('ping resolves while the database answers', async ({ database }) => {
    await expect(database.handle.ping()).resolves.toBeUndefined()
  })
})

import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import type { DbConfig } from '../../src/config/index.js'
import {
  getPrediction,
  getStock,
  getStockByBin,
  insertPutAway,
  listPutAways,
  setBinAssignment,
  insertGateDecision,
  listCorrections,
  openDatabase,
  type Database,
} from '../../src/db/index.js'
import { listModels } from '../../src/registry/index.js'
import { describe, expect, test, testDrivers } from '../fixtures.js'
import { createEmptyPgDatabase } from '../helpers/databases.js'

const migrations = fileURLToPath(new URL('../../drizzle', import.meta.url))
const PREDICTION_ID = '3f1d9a52-6c1e-4b8e-9a57-0d6f4f3c2b10'

/** A migrations folder holding only the first migration, as an install of the first release had applied. */
async function firstMigrationOnly(dir: string): Promise<string> {
  const journal = JSON.parse(await readFile(path.join(migrations, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ tag: string }>
  }
  const first = journal.entries[0]
  if (!first) throw new Error('drizzle/meta/_journal.json has no migration')
  await mkdir(path.join(dir, 'meta'), { recursive: true })
  await writeFile(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: [first] }))
  await copyFile(path.join(migrations, `${first.tag}.sql`), path.join(dir, `${first.tag}.sql`))
  return dir
}

/** Rows as the first release wrote them: only columns its schema (0000_init.sql) had. */
const FIRST_RELEASE_ROWS = `
  insert into datasets (version, source, image_count, class_counts) values ('abc123', '/data', 2, '{"basketball": 2}');
  insert into models (name, version, artifact_path, architecture, dataset_version, metrics)
    values ('sports-ball-cnn', 1, '/registry/1', 'seed-cnn', 'abc123', '{"accuracy": 0.7}');
  insert into model_aliases (name, alias, model_id) values ('sports-ball-cnn', 'production', 1);
  insert into predictions (id, filename, predicted_label, confidence, all_scores, model, location, status,
      image_sha256, image_bytes)
    values ('3f1d9a52-6c1e-4b8e-9a57-0d6f4f3c2b10', 'a.jpg', 'golf_ball', 0.4, '{"golf_ball": 0.4}',
      'sports-ball-cnn@1', 'shelf-A', 'needs_review', repeat('a', 64), 1234);
  insert into corrections (prediction_id, old_label, new_label, corrected_by)
    values ('3f1d9a52-6c1e-4b8e-9a57-0d6f4f3c2b10', 'golf_ball', 'basketball', 'ann');
  insert into api_keys (name, role, prefix, key_hash) values ('belt-3', 'scanner', 'abcd', 'hash');
`

/** Applies the first migration to a fresh database and writes rows into it; answers its config. */
async function firstReleaseDatabase(
  driver: DbConfig['driver'],
  tmpDir: string,
): Promise<{ config: DbConfig; drop(): Promise<void> }> {
  const migrationsFolder = await firstMigrationOnly(path.join(tmpDir, 'drizzle-0000'))
  if (driver === 'pglite') {
    const dir = path.join(tmpDir, 'pglite')
    const client = await PGlite.create(dir)
    const db = drizzlePglite(client)
    await migratePglite(db, { migrationsFolder })
    await client.exec(FIRST_RELEASE_ROWS)
    await client.close()
    return { config: { driver: 'pglite', dir }, drop: async () => undefined }
  }
  const empty = await createEmptyPgDatabase()
  const pool = new pg.Pool({ connectionString: empty.url })
  try {
    await migratePg(drizzlePg(pool), { migrationsFolder })
    await pool.query(FIRST_RELEASE_ROWS)
  } finally {
    await pool.end()
  }
  return { config: { driver: 'pg', url: empty.url, poolSize: 2 }, drop: empty.drop }
}

describe.each(testDrivers)('upgrading a database of the first release (%s)', (driver) => {
  test('migrates 0000 -> latest with every row in place and the new columns usable', async ({
    tmpDir,
    log,
  }) => {
    const old = await firstReleaseDatabase(driver, tmpDir)
    const handle = await openDatabase(old.config, log)
    try {
      const db: Database = handle.db
      const [model] = await listModels(db)
      expect(model).toMatchObject({
        ref: 'sports-ball-cnn@1',
        aliases: ['production'],
        row: { datasetVersion: 'abc123', metrics: { accuracy: 0.7 } },
      })
      expect(await getPrediction(db, PREDICTION_ID)).toMatchObject({
        filename: 'a.jpg',
        predictedLabel: 'golf_ball',
        correctedLabel: 'basketball',
        location: 'shelf-A',
        imageBytes: 1234,
        // added by later migrations, with their defaults
        isFlagged: false,
        site: null,
      })
      expect(await listCorrections(db, PREDICTION_ID)).toMatchObject([
        { newLabel: 'basketball', correctedBy: 'ann' },
      ])
      expect(await getStock(db)).toMatchObject([{ label: 'basketball', location: 'shelf-A', count: 1 }])
      const counted = await db.execute<{ n: number }>(
        sql`select (select count(*) from datasets) + (select count(*) from api_keys) as n`,
      )
      expect(Number((counted as unknown as { rows: Array<{ n: number }> }).rows[0]?.n)).toBe(2)
      // Tables and columns of later migrations take rows.
      const decision = await insertGateDecision(db, {
        candidateModelId: model?.row.id ?? 0,
        candidateRef: 'sports-ball-cnn@1',
        baselineRef: null,
        decision: 'promoted',
        reason: 'first',
        candidateTestAccuracy: 0.7,
        baselineTestAccuracy: null,
        candidateFeedbackAccuracy: null,
        baselineFeedbackAccuracy: null,
        testCount: 1,
        feedbackCount: 0,
        datasetVersion: 'abc123',
        holdout: { seed: 1, fraction: 0.3, trainedOn: 0, scans: [] },
      })
      expect(decision.holdout).toEqual({ seed: 1, fraction: 0.3, trainedOn: 0, scans: [] })
      // Put-away (0003): a scan from before sites has no bin, and the new tables take rows.
      await setBinAssignment(handle.db, {
        site: 'main',
        ballLabel: 'basketball',
        binLabel: 'A3-B',
        capacity: 2,
        updatedBy: null,
      })
      expect(await getStockByBin(db)).toEqual([
        { site: null, binLabel: null, label: 'basketball', count: 1, shelved: 0 },
      ])
      await insertPutAway(db, {
        predictionId: PREDICTION_ID,
        site: 'main',
        binLabel: 'A3-B',
        expectedBinLabel: null,
        outcome: 'shelved_elsewhere',
        confirmedBy: 'ann',
      })
      expect(await listPutAways(db, [PREDICTION_ID])).toMatchObject([
        { binLabel: 'A3-B', confirmedBy: 'ann' },
      ])
    } finally {
      await handle.close()
      await old.drop()
    }
  })
})

import { access } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test as it } from '../fixtures.js'
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js'
import { datasetStats, importDataset, splitFromFile } from '../../src/data/index.js'

const datasetDir = process.env.SPORTSCAN_DATASET
const splitFile =
  process.env.SPORTSCAN_SPLIT_FILE ||
  (datasetDir ? path.join(path.dirname(datasetDir), 'sports-balls-split.json') : '')

// Runs only when SPORTSCAN_DATASET is set (CI sets it); a set but missing folder must fail, not skip.
describe.runIf(Boolean(datasetDir))('importing the real sports-balls dataset', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('pglite')
  })
  afterAll(async () => {
    await database.dispose()
  })

  it('finds 1,841 images in 15 classes, and a second import is the same version', async ({ tmpDir, log }) => {
    const dir = datasetDir ?? ''
    await expect(access(dir), `SPORTSCAN_DATASET=${dir} does not exist`).resolves.toBeUndefined()
    const home = path.join(tmpDir, 'home')
    const first = await importDataset(dir, { home, db: database.handle.db, log })
    expect(first.manifest.entries).toHaveLength(1841)
    expect(first.manifest.classes).toHaveLength(15)
    expect(first.isNew).toBe(true)
    // The only non-image there is the dataset's README at the root.
    expect(first.skipped.filter((s) => s.path !== 'README.md')).toEqual([])
    const stats = datasetStats(first.manifest)
    expect(Object.values(stats.classCounts).reduce((a, b) => a + b, 0)).toBe(1841)

    const second = await importDataset(dir, { home, db: database.handle.db, log })
    expect(second.version).toBe(first.version)
    expect(second.isNew).toBe(false)
    expect(second.storedObjects).toBe(0)

    await expect(access(splitFile), `split file ${splitFile} does not exist`).resolves.toBeUndefined()
    const split = await splitFromFile(first.manifest, splitFile, { valFraction: 0.1, seed: 1 })
    expect(split.train.length + split.val.length + split.test.length).toBe(1841)
    expect(split.test.length).toBeGreaterThan(0)
  })
})

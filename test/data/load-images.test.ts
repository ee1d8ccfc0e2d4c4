import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test as it, testDrivers } from '../fixtures.js'
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js'
import {
  BlobMissingError,
  importDataset,
  loadImages,
  preprocessImage,
  resolveEntryPath,
  type PreprocessSpec,
} from '../../src/data/index.js'
import { makeImage, writeTree } from './images.js'

describe.each(testDrivers)('loadImages (%s)', (driver) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase(driver)
  })
  afterAll(async () => {
    await database.dispose()
  })

  it('gives training exactly the tensor inference computes from the original file', async ({
    tmpDir,
    log,
  }) => {
    const source = path.join(tmpDir, 'src')
    await writeTree(source, {
      'basketball/a.jpg': await makeImage('jpeg', { width: 50, height: 35, colour: '#c05020' }),
      'basketball/b.png': await makeImage('png', { width: 17, height: 29, colour: '#205080' }),
      'cricket_ball/c.webp': await makeImage('webp', { width: 64, height: 64, colour: '#aa0000' }),
      'cricket_ball/d.avif': await makeImage('avif', { width: 40, height: 20, colour: '#00aa00' }),
    })
    const home = path.join(tmpDir, 'home')
    const { manifest } = await importDataset(source, { home, db: database.handle.db, log })
    for (const spec of [
      { size: 16, fit: 'stretch' },
      { size: 9, fit: 'cover' },
    ] satisfies PreprocessSpec[]) {
      const progress: number[] = []
      const training = await loadImages(home, manifest.entries, spec, {
        onProgress: (p) => progress.push(p.done),
      })
      expect(progress.at(-1)).toBe(4)
      expect(training).toHaveLength(4)
      for (const [i, entry] of manifest.entries.entries()) {
        const inference = await preprocessImage(path.join(source, entry.path), spec)
        const trained = training[i] ?? new Float32Array()
        expect(trained).toHaveLength(spec.size * spec.size * 3)
        expect(Buffer.from(trained.buffer).equals(Buffer.from(inference.buffer))).toBe(true)
      }
    }
  })

  it('names the entry whose stored bytes are gone', async ({ tmpDir, log }) => {
    const source = path.join(tmpDir, 'src')
    await writeTree(source, { 'golf_ball/a.png': await makeImage('png') })
    const home = path.join(tmpDir, 'home')
    const { manifest } = await importDataset(source, { home, db: database.handle.db, log })
    const [entry] = manifest.entries
    if (!entry) throw new Error('import made no entry')
    await rm(resolveEntryPath(home, entry))
    await expect(loadImages(home, manifest.entries, { size: 8, fit: 'stretch' })).rejects.toBeInstanceOf(
      BlobMissingError,
    )
  })
})

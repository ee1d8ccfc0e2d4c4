import { cp, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test as it, testDrivers } from '../fixtures.js'
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js'
import { insertDatasetRow } from '../../src/db/index.js'
import {
  computeDatasetVersion,
  datasetStats,
  DatasetNotFoundError,
  DatasetSourceError,
  DatasetVersionAmbiguousError,
  EmptyDatasetError,
  hashBuffer,
  importDataset,
  listDatasets,
  loadManifest,
  manifestPath,
  ManifestInvalidError,
  OperationAbortedError,
  resolveDatasetVersion,
  resolveEntryPath,
  UnknownClassFolderError,
  type ImportProgress,
} from '../../src/data/index.js'
import { makeImage, writeTree } from './images.js'

async function makeSource(root: string): Promise<Record<string, Buffer>> {
  const jpeg = await makeImage('jpeg', { width: 40, height: 30, colour: '#aa2200' })
  const files: Record<string, Buffer> = {
    'basketball/a.jpg': jpeg,
    'basketball/b.png': await makeImage('png', { width: 20, height: 10 }),
    'basketball/nested/c.webp': await makeImage('webp', { width: 12, height: 12 }),
    'tennis_ball/d.gif': await makeImage('gif', { width: 16, height: 16 }),
    'tennis_ball/e.tiff': await makeImage('tiff', { width: 8, height: 24 }),
    'tennis_ball/f.avif': await makeImage('avif', { width: 32, height: 32 }),
    'tennis_ball/empty.jpg': Buffer.alloc(0),
    'tennis_ball/notes.txt': Buffer.from('not an image at all'),
    'tennis_ball/cut.jpg': jpeg.subarray(0, jpeg.length >> 1),
    'tennis_ball/.DS_Store': Buffer.from('finder junk'),
    'README.md': Buffer.from('# my balls'),
  }
  await writeTree(root, files)
  return files
}

// One database per driver for the file: a fresh PGlite per test costs seconds, and each test below works in
// its own home folder and checks only the versions it made.
describe.each(testDrivers)('importDataset (%s)', (driver) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase(driver)
  })
  afterAll(async () => {
    await database.dispose()
  })

  it('stores every decodable image by content and reports the rest by name', async ({ tmpDir, log }) => {
    const source = path.join(tmpDir, 'src')
    const home = path.join(tmpDir, 'home')
    const files = await makeSource(source)
    const progress: ImportProgress[] = []
    const { db } = database.handle
    const result = await importDataset(source, { home, db, log, onProgress: (p) => progress.push(p) })

    expect(result.isNew).toBe(true)
    expect(result.manifest.entries.map((e) => [e.label, e.path, e.format, e.width, e.height])).toEqual([
      ['basketball', 'basketball/a.jpg', 'jpeg', 40, 30],
      ['basketball', 'basketball/b.png', 'png', 20, 10],
      ['basketball', 'basketball/nested/c.webp', 'webp', 12, 12],
      ['tennis_ball', 'tennis_ball/d.gif', 'gif', 16, 16],
      ['tennis_ball', 'tennis_ball/e.tiff', 'tiff', 8, 24],
      ['tennis_ball', 'tennis_ball/f.avif', 'avif', 32, 32],
    ])
    expect(result.manifest.classes).toEqual(['basketball', 'tennis_ball'])
    expect(result.version).toBe(computeDatasetVersion(result.manifest.entries))
    expect(result.storedObjects).toBe(6)

    const skipped = Object.fromEntries(result.skipped.map((s) => [s.path, s.reason]))
    expect(Object.keys(skipped).sort()).toEqual([
      'README.md',
      'tennis_ball/cut.jpg',
      'tennis_ball/empty.jpg',
      'tennis_ball/notes.txt',
    ])
    expect(skipped['tennis_ball/empty.jpg']).toBe('empty file')
    expect(skipped['tennis_ball/cut.jpg']).toBe('not a decodable image: truncated or corrupt header')
    expect(skipped['tennis_ball/notes.txt']).toMatch(/unrecognised image format/)

    for (const entry of result.manifest.entries) {
      const stored = await readFile(resolveEntryPath(home, entry))
      expect(hashBuffer(stored)).toBe(entry.sha256)
      expect(stored.equals(files[entry.path] ?? Buffer.alloc(0))).toBe(true)
      expect(entry.bytes).toBe(stored.length)
    }
    expect(await loadManifest(home, result.version)).toEqual(result.manifest)
    expect((await listDatasets(db)).filter((r) => r.version === result.version)).toMatchObject([
      {
        version: result.version,
        source: path.resolve(source),
        imageCount: 6,
        classCounts: { basketball: 3, tennis_ball: 3 },
        parentVersion: null,
      },
    ])

    const checking = progress.filter((p) => p.phase === 'checking')
    expect(checking.at(-1)).toEqual({ phase: 'checking', done: 9, total: 9 })
    expect(progress.filter((p) => p.phase === 'storing').at(-1)).toEqual({
      phase: 'storing',
      done: 6,
      total: 6,
    })
  })

  it('gives the same version for the same content, storing nothing new', async ({ tmpDir, log }) => {
    const source = path.join(tmpDir, 'src')
    const home = path.join(tmpDir, 'home')
    await makeSource(source)
    const { db } = database.handle
    const first = await importDataset(source, { home, db, log })
    const manifestMtime = (await stat(manifestPath(home, first.version))).mtimeMs
    const copy = path.join(tmpDir, 'copy')
    await cp(source, copy, { recursive: true })
    const second = await importDataset(copy, { home, db, log })
    expect(second.version).toBe(first.version)
    expect(second.isNew).toBe(false)
    expect(second.storedObjects).toBe(0)
    expect((await stat(manifestPath(home, first.version))).mtimeMs).toBe(manifestMtime)
    expect((await listDatasets(db)).filter((r) => r.version === first.version)).toHaveLength(1)
  })

  it('changes the version when one file changes', async ({ tmpDir, log }) => {
    const source = path.join(tmpDir, 'src')
    const home = path.join(tmpDir, 'home')
    await makeSource(source)
    const { db } = database.handle
    const first = await importDataset(source, { home, db, log })
    await writeFile(path.join(source, 'basketball/b.png'), await makeImage('png', { colour: '#00ff00' }))
    const second = await importDataset(source, { home, db, log })
    expect(second.version).not.toBe(first.version)
    expect(second.isNew).toBe(true)
    expect(second.storedObjects).toBe(1)
  })

  it('names every unknown class folder in a typed error', async ({ tmpDir, log }) => {
    const png = await makeImage('png')
    await writeTree(tmpDir, { 'basketball/a.png': png, 'footballs/b.png': png, 'Cats/c.png': png })
    const err = await importDataset(tmpDir, {
      home: path.join(tmpDir, 'h'),
      db: database.handle.db,
      log,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnknownClassFolderError)
    expect(err).toMatchObject({ code: 'SPS_DATA_UNKNOWN_CLASS', folders: ['Cats', 'footballs'] })
  })

  it('refuses a source that is not a folder', async ({ tmpDir, log }) => {
    await writeTree(tmpDir, { 'file.txt': 'x' })
    for (const source of [path.join(tmpDir, 'file.txt'), path.join(tmpDir, 'missing')]) {
      await expect(
        importDataset(source, { home: path.join(tmpDir, 'h'), db: database.handle.db, log }),
      ).rejects.toBeInstanceOf(DatasetSourceError)
    }
  })

  it('expands a unique version prefix and refuses unknown or ambiguous ones', async ({ tmpDir, log }) => {
    await writeTree(path.join(tmpDir, 'src'), {
      'hockey_puck/a.png': await makeImage('png', { colour: '#123456' }),
    })
    const { db } = database.handle
    const { version } = await importDataset(path.join(tmpDir, 'src'), {
      home: path.join(tmpDir, 'h'),
      db,
      log,
    })
    expect(await resolveDatasetVersion(db, version.slice(0, 16))).toBe(version)
    expect(await resolveDatasetVersion(db, version.toUpperCase())).toBe(version)
    await expect(resolveDatasetVersion(db, 'not-hex')).rejects.toBeInstanceOf(DatasetNotFoundError)
    // Two recorded versions sharing a prefix: made as rows, since real hashes rarely collide on purpose.
    for (const digit of ['0', '1']) {
      await insertDatasetRow(db, {
        version: `fe${digit.repeat(62)}`,
        source: 'made-up',
        imageCount: 1,
        classCounts: { golf_ball: 1 },
      })
    }
    await expect(resolveDatasetVersion(db, 'fe')).rejects.toBeInstanceOf(DatasetVersionAmbiguousError)
    expect(await resolveDatasetVersion(db, 'fe1')).toBe(`fe${'1'.repeat(62)}`)
    await expect(resolveDatasetVersion(db, 'fe2')).rejects.toBeInstanceOf(DatasetNotFoundError)
  })

  it('refuses a folder with no usable image', async ({ tmpDir, log }) => {
    await writeTree(tmpDir, { 'src/golf_ball/x.jpg': Buffer.from('nope') })
    await expect(
      importDataset(path.join(tmpDir, 'src'), { home: path.join(tmpDir, 'h'), db: database.handle.db, log }),
    ).rejects.toBeInstanceOf(EmptyDatasetError)
  })

  it('stops with OperationAbortedError when aborted', async ({ tmpDir, log }) => {
    const source = path.join(tmpDir, 'src')
    await makeSource(source)
    const controller = new AbortController()
    const run = importDataset(source, {
      home: path.join(tmpDir, 'h'),
      db: database.handle.db,
      log,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 2) controller.abort()
      },
    })
    await expect(run).rejects.toBeInstanceOf(OperationAbortedError)
    const sources = (await listDatasets(database.handle.db)).map((r) => r.source)
    expect(sources).not.toContain(path.resolve(source))
  })

  it('merges onto a base version: base entries kept, new ones added, changed paths take the new bytes', async ({
    tmpDir,
    log,
  }) => {
    const home = path.join(tmpDir, 'home')
    const { db } = database.handle
    const red = await makeImage('png', { colour: '#ff0000' })
    const blue = await makeImage('png', { colour: '#0000ff' })
    const green = await makeImage('png', { colour: '#00ff00' })
    await writeTree(path.join(tmpDir, 'base'), { 'golf_ball/1.png': red, 'golf_ball/2.png': blue })
    await writeTree(path.join(tmpDir, 'more'), { 'golf_ball/2.png': green, 'shuttlecock/3.png': red })
    const base = await importDataset(path.join(tmpDir, 'base'), { home, db, log })
    const merged = await importDataset(path.join(tmpDir, 'more'), {
      home,
      db,
      log,
      baseVersion: base.version,
    })

    expect(merged.isNew).toBe(true)
    expect(merged.version).not.toBe(base.version)
    expect(merged.manifest.entries.map((e) => [e.path, e.sha256])).toEqual([
      ['golf_ball/1.png', hashBuffer(red)],
      ['golf_ball/2.png', hashBuffer(green)],
      ['shuttlecock/3.png', hashBuffer(red)],
    ])
    const rows = await listDatasets(db)
    expect(rows.find((r) => r.version === merged.version)?.parentVersion).toBe(base.version)
    // The base version is untouched.
    expect((await loadManifest(home, base.version)).entries).toHaveLength(2)
  })

  it('reports class counts and min/median/max image sizes', async ({ tmpDir, log }) => {
    await writeTree(path.join(tmpDir, 'src'), {
      'baseball/a.png': await makeImage('png', { width: 10, height: 40 }),
      'baseball/b.png': await makeImage('png', { width: 30, height: 20 }),
      'volleyball/c.jpg': await makeImage('jpeg', { width: 50, height: 10 }),
    })
    const { manifest } = await importDataset(path.join(tmpDir, 'src'), {
      home: path.join(tmpDir, 'h'),
      db: database.handle.db,
      log,
    })
    expect(datasetStats(manifest)).toMatchObject({
      imageCount: 3,
      classCounts: { baseball: 2, volleyball: 1 },
      formats: { png: 2, jpeg: 1 },
      width: { min: 10, median: 30, max: 50 },
      height: { min: 10, median: 20, max: 40 },
    })
  })

  it('refuses an unknown version and a manifest whose entries do not hash to its version', async ({
    tmpDir,
    log,
  }) => {
    const home = path.join(tmpDir, 'h')
    await expect(loadManifest(home, 'a'.repeat(64))).rejects.toBeInstanceOf(DatasetNotFoundError)
    await expect(loadManifest(home, '../../etc/passwd')).rejects.toBeInstanceOf(DatasetNotFoundError)

    await writeTree(path.join(tmpDir, 'src'), { 'baseball/a.png': await makeImage('png') })
    const { version } = await importDataset(path.join(tmpDir, 'src'), { home, db: database.handle.db, log })
    const file = manifestPath(home, version)
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.replace('baseball/a.png', 'baseball/z.png'))
    await expect(loadManifest(home, version)).rejects.toBeInstanceOf(ManifestInvalidError)
  })
})

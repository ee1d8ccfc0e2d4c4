import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, testDrivers, test } from '../fixtures.js'
import {
  ArtifactMissingError,
  InvalidModelNameError,
  ModelNotFoundError,
  cleanupRegistryTmp,
  listModels,
  registerModel,
  resolveModelRef,
} from '../../src/registry/index.js'

async function makeArtifact(dir: string, marker: string): Promise<string> {
  await mkdir(path.join(dir, 'nested'), { recursive: true })
  await writeFile(path.join(dir, 'model.json'), JSON.stringify({ marker }))
  await writeFile(path.join(dir, 'nested', 'weights.bin'), Buffer.from([1, 2, 3, marker.length]))
  return dir
}

describe.each(testDrivers)('registerModel (%s)', (driver) => {
  const it = test.override({ driver: driver })

  it('copies the artifact to registry/<name>/<version> and numbers versions from 1', async ({
    database,
    tmpDir,
  }) => {
    const home = path.join(tmpDir, 'home')
    const artifact = await makeArtifact(path.join(tmpDir, 'a'), 'first')
    const first = await registerModel(database.handle.db, {
      home,
      name: 'sports-ball-cnn',
      artifactDir: artifact,
      architecture: 'seed-cnn',
      datasetVersion: 'd'.repeat(64),
      split: { kind: 'stratified', seed: 1 },
      params: { epochs: 2 },
      metrics: { accuracy: 0.5 },
      codeVersion: 'abc',
      trainingSeconds: 1.5,
    })
    const second = await registerModel(database.handle.db, {
      home,
      name: 'sports-ball-cnn',
      artifactDir: artifact,
      architecture: 'seed-cnn',
    })
    expect([first.ref, second.ref]).toEqual(['sports-ball-cnn@1', 'sports-ball-cnn@2'])
    expect(first.artifactPath).toBe(path.join(home, 'registry', 'sports-ball-cnn', '1'))
    expect(JSON.parse(await readFile(path.join(first.artifactPath, 'model.json'), 'utf8'))).toEqual({
      marker: 'first',
    })
    expect(await readFile(path.join(first.artifactPath, 'nested', 'weights.bin'))).toEqual(
      Buffer.from([1, 2, 3, 5]),
    )
    expect(first.row).toMatchObject({
      datasetVersion: 'd'.repeat(64),
      params: { epochs: 2 },
      metrics: { accuracy: 0.5 },
      codeVersion: 'abc',
      trainingSeconds: 1.5,
    })
    // No temporary copies are left once registration is done.
    expect((await readdir(path.join(home, 'registry'))).filter((n) => n.startsWith('.tmp-'))).toEqual([])
  })

  it('gives distinct versions to concurrent registrations of the same name', async ({ database, tmpDir }) => {
    const home = path.join(tmpDir, 'home')
    const artifacts = await Promise.all(
      ['a', 'b', 'c', 'd'].map((m) => makeArtifact(path.join(tmpDir, m), m)),
    )
    const results = await Promise.all(
      artifacts.map((artifactDir) =>
        registerModel(database.handle.db, { home, name: 'm', artifactDir, architecture: 'seed-cnn' }),
      ),
    )
    expect(results.map((r) => r.row.version).sort()).toEqual([1, 2, 3, 4])
    // Each version's folder holds the artifact its row was registered with.
    for (const [i, result] of results.entries()) {
      const json = await readFile(path.join(result.artifactPath, 'model.json'), 'utf8')
      expect(JSON.parse(json)).toEqual({ marker: ['a', 'b', 'c', 'd'][i] })
    }
  })

  it('never exposes a version folder that has no row, and replaces it on the next registration', async ({
    database,
    tmpDir,
  }) => {
    const home = path.join(tmpDir, 'home')
    // What a registrant killed between its rename and its commit leaves behind.
    const orphan = path.join(home, 'registry', 'm', '1')
    await makeArtifact(orphan, 'orphan')
    await makeArtifact(path.join(home, 'registry', '.tmp-1-dead'), 'dead')
    await expect(resolveModelRef(database.handle.db, 'm')).rejects.toBeInstanceOf(ModelNotFoundError)
    expect(await listModels(database.handle.db)).toEqual([])

    const artifact = await makeArtifact(path.join(tmpDir, 'new'), 'new')
    const registered = await registerModel(database.handle.db, {
      home,
      name: 'm',
      artifactDir: artifact,
      architecture: 'seed-cnn',
    })
    expect(registered.ref).toBe('m@1')
    expect(JSON.parse(await readFile(path.join(orphan, 'model.json'), 'utf8'))).toEqual({ marker: 'new' })
    expect(await readdir(orphan)).toEqual(['model.json', 'nested'])
  })

  it('cleans up temporary copies older than the given age', async ({ tmpDir }) => {
    const home = path.join(tmpDir, 'home')
    await makeArtifact(path.join(home, 'registry', '.tmp-1-dead'), 'dead')
    await mkdir(path.join(home, 'registry', 'kept'), { recursive: true })
    const removed = await cleanupRegistryTmp(home, 0)
    expect(removed).toEqual([path.join(home, 'registry', '.tmp-1-dead')])
    expect(await readdir(path.join(home, 'registry'))).toEqual(['kept'])
  })

  it('refuses a missing artifact folder and a bad name, leaving nothing behind', async ({
    database,
    tmpDir,
  }) => {
    const home = path.join(tmpDir, 'home')
    await expect(
      registerModel(database.handle.db, {
        home,
        name: 'm',
        artifactDir: path.join(tmpDir, 'nope'),
        architecture: 'seed-cnn',
      }),
    ).rejects.toBeInstanceOf(ArtifactMissingError)
    await expect(
      registerModel(database.handle.db, {
        home,
        name: 'Bad Name',
        artifactDir: tmpDir,
        architecture: 'seed-cnn',
      }),
    ).rejects.toBeInstanceOf(InvalidModelNameError)
    expect(await listModels(database.handle.db)).toEqual([])
  })
})

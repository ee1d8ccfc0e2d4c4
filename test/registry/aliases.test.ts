import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, testDrivers, test } from '../fixtures.js'
import {
  AliasNotFoundError,
  InvalidModelRefError,
  MODEL_ALIAS_CHANNEL,
  ModelNotFoundError,
  UnknownAliasError,
  getModel,
  listModels,
  promoteAlias,
  registerModel,
  resolveModelRef,
  type AliasChangedPayload,
} from '../../src/registry/index.js'
import type { Database } from '../../src/db/index.js'

async function registerVersions(db: Database, home: string, name: string, count: number) {
  const artifact = path.join(home, '..', `artifact-${name}`)
  await mkdir(artifact, { recursive: true })
  await writeFile(path.join(artifact, 'model.json'), '{}')
  for (let i = 0; i < count; i++) {
    await registerModel(db, { home, name, artifactDir: artifact, architecture: 'seed-cnn' })
  }
}

describe.each(testDrivers)('model references and aliases (%s)', (driver) => {
  const it = test.override({ driver: driver })

  it('resolves name, name@latest, name@version and name@alias', async ({ database, tmpDir }) => {
    const { db } = database.handle
    const home = path.join(tmpDir, 'home')
    await registerVersions(db, home, 'cnn', 3)
    await promoteAlias(db, 'cnn@2', 'production')

    expect((await resolveModelRef(db, 'cnn')).ref).toBe('cnn@3')
    expect((await resolveModelRef(db, 'cnn@latest')).ref).toBe('cnn@3')
    expect((await resolveModelRef(db, 'cnn@1')).ref).toBe('cnn@1')
    const production = await resolveModelRef(db, 'cnn@production')
    expect(production.ref).toBe('cnn@2')
    expect(production.artifactPath).toBe(path.join(home, 'registry', 'cnn', '2'))
    expect(path.isAbsolute(production.artifactPath)).toBe(true)

    await expect(resolveModelRef(db, 'cnn@9')).rejects.toBeInstanceOf(ModelNotFoundError)
    await expect(resolveModelRef(db, 'other')).rejects.toBeInstanceOf(ModelNotFoundError)
    await expect(resolveModelRef(db, 'cnn@staging')).rejects.toBeInstanceOf(AliasNotFoundError)
    await expect(resolveModelRef(db, 'cnn@')).rejects.toBeInstanceOf(InvalidModelRefError)
    await expect(resolveModelRef(db, 'cnn@0')).rejects.toBeInstanceOf(InvalidModelRefError)
  })

  it('moves an alias and notifies listeners once the move is committed', async ({ database, tmpDir }) => {
    const { db } = database.handle
    await registerVersions(db, path.join(tmpDir, 'home'), 'cnn', 2)
    const received: AliasChangedPayload[] = []
    const unlisten = await database.handle.listen(MODEL_ALIAS_CHANNEL, (p) =>
      received.push(JSON.parse(p) as AliasChangedPayload),
    )
    try {
      const first = await promoteAlias(db, 'cnn@1', 'production')
      expect(first.previousModelId).toBeNull()
      const second = await promoteAlias(db, 'cnn@latest', 'production')
      expect(second.previousModelId).toBe(first.model.row.id)
      await expect.poll(() => received.length, { timeout: 5_000 }).toBe(2)
      expect(received.map((p) => [p.ref, p.alias])).toEqual([
        ['cnn@1', 'production'],
        ['cnn@2', 'production'],
      ])
      expect(received[1]?.previousModelId).toBe(first.model.row.id)
    } finally {
      await unlisten()
    }
    expect((await resolveModelRef(db, 'cnn@production')).ref).toBe('cnn@2')
    expect((await getModel(db, 'cnn@2')).aliases).toEqual(['production'])
    expect((await getModel(db, 'cnn@1')).aliases).toEqual([])
  })

  it('refuses an unknown alias and a missing model without moving anything', async ({ database, tmpDir }) => {
    const { db } = database.handle
    await registerVersions(db, path.join(tmpDir, 'home'), 'cnn', 1)
    await promoteAlias(db, 'cnn@1', 'staging')
    await expect(promoteAlias(db, 'cnn@1', 'latest')).rejects.toBeInstanceOf(UnknownAliasError)
    await expect(promoteAlias(db, 'cnn@5', 'staging')).rejects.toBeInstanceOf(ModelNotFoundError)
    expect((await resolveModelRef(db, 'cnn@staging')).ref).toBe('cnn@1')
  })

  it('lists every model with its aliases, newest version first', async ({ database, tmpDir }) => {
    const { db } = database.handle
    const home = path.join(tmpDir, 'home')
    await registerVersions(db, home, 'b-model', 1)
    await registerVersions(db, home, 'a-model', 2)
    await promoteAlias(db, 'a-model@1', 'production')
    await promoteAlias(db, 'a-model@1', 'staging')
    const listed = await listModels(db)
    expect(listed.map((m) => [m.ref, m.aliases])).toEqual([
      ['a-model@2', []],
      ['a-model@1', ['production', 'staging']],
      ['b-model@1', []],
    ])
  })
})

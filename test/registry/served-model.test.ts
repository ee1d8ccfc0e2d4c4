import path from 'node:path'
import {
  promoteAlias,
  registerModel,
  resolveServedModel,
  type ServingPolicy,
} from '../../src/registry/index.js'
import { writeTinyModel } from '../api/api-harness.js'
import { describe, expect, test, testDrivers } from '../fixtures.js'

describe.each(testDrivers)('resolveServedModel (%s)', (driver) => {
  test.override({ driver })

  const policy = (bundledModelDir: string): ServingPolicy => ({
    modelName: 'balls',
    bundledModelDir,
    runtime: 'onnx',
    precision: 'auto',
    testViews: 'centre',
  })

  test('serves production, else the bundled folder, else refuses by name; always with the policy’s runtime and views', async ({
    database,
    tmpDir,
  }) => {
    const db = database.handle.db
    const bundled = await writeTinyModel(path.join(tmpDir, 'bundled'))
    const missing = path.join(tmpDir, 'no-model')
    await expect(resolveServedModel(db, policy(missing))).rejects.toMatchObject({
      code: 'SPS_REGISTRY_NO_SERVED_MODEL',
    })
    expect(await resolveServedModel(db, policy(bundled))).toEqual({
      key: `bundled:${bundled}`,
      dir: bundled,
      origin: 'bundled',
      runtime: 'onnx',
      precision: 'auto',
      testViews: 'centre',
    })

    const home = path.join(tmpDir, 'home')
    const artifactDir = await writeTinyModel(path.join(tmpDir, 'trained'), { seed: 2 })
    const first = await registerModel(db, { home, name: 'balls', artifactDir, architecture: 'tiny' })
    const second = await registerModel(db, { home, name: 'balls', artifactDir, architecture: 'tiny' })
    // Registered but not promoted: still the bundled model.
    expect((await resolveServedModel(db, policy(bundled))).origin).toBe('bundled')
    await promoteAlias(db, first.ref, 'production')
    const production = await resolveServedModel(db, policy(missing))
    expect(production).toMatchObject({
      origin: 'registry',
      ref: 'balls@1',
      runtime: 'onnx',
      precision: 'auto',
      testViews: 'centre',
    })
    expect(production.key).not.toBe((await resolveServedModel(db, policy(missing), { model: 'balls@2' })).key)

    // A named model (the gate's candidate, `evaluate --model`) is served the same way.
    expect(await resolveServedModel(db, policy(missing), { model: second.ref })).toMatchObject({
      origin: 'registry',
      ref: 'balls@2',
      testViews: 'centre',
    })
    expect(await resolveServedModel(db, policy(missing), { model: bundled })).toEqual({
      key: `folder:${bundled}`,
      dir: bundled,
      origin: 'folder',
      runtime: 'onnx',
      precision: 'auto',
      testViews: 'centre',
    })
    await expect(resolveServedModel(db, policy(missing), { model: 'balls@staging' })).rejects.toMatchObject({
      code: 'SPS_REGISTRY_ALIAS_NOT_FOUND',
    })
  })
})

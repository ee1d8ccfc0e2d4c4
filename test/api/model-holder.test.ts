import path from 'node:path'
import { ModelHolder } from '../../src/api/model-holder.js'
import type { DatabaseHandle } from '../../src/db/index.js'
import type { Logger } from '../../src/log/index.js'
import { loadClassifier } from '../../src/model/index.js'
import {
  MODEL_ALIAS_CHANNEL,
  promoteAlias,
  registerModel,
  resolveServedModel,
} from '../../src/registry/index.js'
import { describe, expect, test, testDrivers } from '../fixtures.js'
import { TINY_SIZE, writeTinyModel } from './api-harness.js'

const SERVED_MODEL_NAME = 'sports-ball-cnn'

const pixels = () => new Float32Array(TINY_SIZE * TINY_SIZE * 3).fill(0.5)

function holderFor(handle: DatabaseHandle, bundledModelDir: string, log: Logger) {
  return new ModelHolder({
    locate: () =>
      resolveServedModel(handle.db, {
        modelName: SERVED_MODEL_NAME,
        bundledModelDir,
        runtime: 'tfjs',
        precision: 'auto',
        testViews: 'model',
      }),
    load: (source) => loadClassifier(source.dir, { ref: source.ref, log }),
    log,
  })
}

async function registerTiny(handle: DatabaseHandle, home: string, seed: number) {
  const dir = await writeTinyModel(path.join(home, `src-${seed}`), { seed })
  return registerModel(handle.db, {
    home,
    name: SERVED_MODEL_NAME,
    artifactDir: dir,
    architecture: 'tiny-dense',
  })
}

describe.each(testDrivers)('model holder (%s)', (driver) => {
  const it = test.override({ driver: driver })

  it('serves the bundled model while the registry has no production alias', async ({
    database,
    tmpDir,
    log,
  }) => {
    const bundled = await writeTinyModel(path.join(tmpDir, 'bundled'))
    const holder = holderFor(database.handle, bundled, log)
    expect(() => holder.acquire()).toThrow(expect.objectContaining({ code: 'SPS_API_MODEL_NOT_LOADED' }))
    expect(await holder.refresh()).toBe(true)
    expect(holder.current()?.source.origin).toBe('bundled')
    expect(await holder.refresh()).toBe(false)
    await holder.close()
  })

  it('swaps to the new production model on NOTIFY; in-flight leases finish on the old one', async ({
    database,
    tmpDir,
    log,
  }) => {
    const bundled = await writeTinyModel(path.join(tmpDir, 'bundled'))
    await registerTiny(database.handle, tmpDir, 1)
    await registerTiny(database.handle, tmpDir, 2)
    await promoteAlias(database.handle.db, `${SERVED_MODEL_NAME}@1`, 'production')
    const holder = holderFor(database.handle, bundled, log)
    await holder.refresh()
    expect(holder.current()?.classifier.ref).toBe(`${SERVED_MODEL_NAME}@1`)
    // A pollMs this long proves the swap came from LISTEN/NOTIFY.
    await holder.watch({ listen: (cb) => database.handle.listen(MODEL_ALIAS_CHANNEL, cb), pollMs: 3_600_000 })

    const inFlight = holder.acquire()
    await promoteAlias(database.handle.db, `${SERVED_MODEL_NAME}@2`, 'production')
    await expect
      .poll(() => holder.current()?.classifier.ref, { timeout: 20_000 })
      .toBe(`${SERVED_MODEL_NAME}@2`)

    // The old model still answers the request that leased it, and is disposed once released.
    const [probs] = await inFlight.classifier.predict([pixels()])
    expect(probs).toHaveLength(2)
    inFlight.release()
    await expect
      .poll(() =>
        inFlight.classifier.predict([pixels()]).then(
          () => 'alive',
          () => 'disposed',
        ),
      )
      .toBe('disposed')
    const fresh = holder.acquire()
    await expect(fresh.classifier.predict([pixels()])).resolves.toHaveLength(1)
    fresh.release()
    await holder.close()
  })

  it('catches an alias move by polling when no notification arrives', async ({ database, tmpDir, log }) => {
    const bundled = await writeTinyModel(path.join(tmpDir, 'bundled'))
    const holder = holderFor(database.handle, bundled, log)
    await holder.refresh()
    await holder.watch({ pollMs: 100 })
    await registerTiny(database.handle, tmpDir, 3)
    await promoteAlias(database.handle.db, `${SERVED_MODEL_NAME}@1`, 'production')
    await expect.poll(() => holder.current()?.source.origin, { timeout: 20_000 }).toBe('registry')
    await holder.close()
  })

  it('PUT /models/:name/aliases/:alias moves the alias and notifies listeners', async ({
    database,
    tmpDir,
    makeApp,
  }) => {
    await registerTiny(database.handle, tmpDir, 1)
    await registerTiny(database.handle, tmpDir, 2)
    const heard: string[] = []
    const unlisten = await database.handle.listen(MODEL_ALIAS_CHANNEL, (p) => heard.push(p))
    const api = await makeApp()
    try {
      const res = await api.inject({
        method: 'PUT',
        url: `/models/${SERVED_MODEL_NAME}/aliases/production`,
        payload: { version: 2 },
      })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ alias: 'production', ref: `${SERVED_MODEL_NAME}@2` })
      await expect.poll(() => heard.length, { timeout: 10_000 }).toBe(1)
      const models = await api.inject({ method: 'GET', url: '/models' })
      const rows = models.json<{ models: Array<{ version: number; is_production: boolean }> }>().models
      expect(rows.filter((m) => m.is_production).map((m) => m.version)).toEqual([2])

      const missing = await api.inject({
        method: 'PUT',
        url: `/models/${SERVED_MODEL_NAME}/aliases/production`,
        payload: { version: 9 },
      })
      expect(missing.statusCode).toBe(404)
      const badAlias = await api.inject({
        method: 'PUT',
        url: `/models/${SERVED_MODEL_NAME}/aliases/latest`,
        payload: { version: 1 },
      })
      expect(badAlias.statusCode).toBe(400)
    } finally {
      await unlisten()
    }
  })
})

describe('model holder without a database', () => {
  test('keeps serving the current model when a new one fails to load', async ({ tmpDir, log }) => {
    const good = await writeTinyModel(path.join(tmpDir, 'good'))
    let dir = good
    const holder = new ModelHolder({
      locate: async () => ({
        key: dir,
        dir,
        origin: 'bundled',
        runtime: 'tfjs',
        precision: 'auto',
        testViews: 'model',
      }),
      load: (source) => loadClassifier(source.dir, { log }),
      log,
    })
    await holder.refresh()
    dir = path.join(tmpDir, 'missing')
    await expect(holder.refresh()).rejects.toMatchObject({ code: 'SPS_MODEL_ARTIFACT_INVALID' })
    expect(holder.current()?.source.dir).toBe(good)
    const lease = holder.acquire()
    await expect(lease.classifier.predict([pixels()])).resolves.toHaveLength(1)
    lease.release()
    await holder.close()
  })
})

import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test as base } from 'vitest'
import type { Logger } from '../src/log/index.js'
import { createSilentLogger } from '../src/log/index.js'
import {
  createTestDatabase,
  resetTestDatabase,
  type TestDatabase,
  type TestDriver,
} from './helpers/databases.js'
import type { AppOptions, TestApp } from './helpers/test-app.js'

/**
 * The test API with its fixtures (`vitest-dev/vitest:docs/guide/test-context.md`):
 * - `tmpDir`: a temporary folder, removed after the test; `log`: a silent logger;
 * - `database`: a migrated database with every table empty, on `driver` (PGlite unless a describe block
 *   says `test.override({ driver: 'pg' })`); one per driver and file, emptied before each test, since a
 *   PGlite start costs seconds;
 * - `app`: the API over that database (buildApp + inject, never listening) serving the tiny model, closed
 *   after the test; a describe block changes it with `test.override({ appOptions: {...} })`, and a test that
 *   needs a second, different app calls `makeApp(options)`.
 */
export const test = base
  // eslint-disable-next-line no-empty-pattern
  .extend('tmpDir', async ({}, { onCleanup }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-test-'))
    onCleanup(() => rm(dir, { recursive: true, force: true }))
    return dir
  })
  .extend('log', (): Logger => createSilentLogger())
  .extend('driver', 'pglite' as TestDriver)
  // eslint-disable-next-line no-empty-pattern
  .extend('databases', { scope: 'file' }, async ({}, { onCleanup }) => {
    const opened = new Map<TestDriver, Promise<TestDatabase>>()
    onCleanup(async () => {
      for (const database of opened.values()) await (await database).dispose()
    })
    return {
      get: (driver: TestDriver): Promise<TestDatabase> => {
        let database = opened.get(driver)
        if (!database) {
          database = createTestDatabase(driver)
          opened.set(driver, database)
        }
        return database
      },
    }
  })
  .extend('database', async ({ databases, driver }) => {
    const database = await databases.get(driver)
    await resetTestDatabase(database)
    return database
  })
  // eslint-disable-next-line no-empty-pattern
  .extend('tinyModelDir', { scope: 'file' }, async ({}, { onCleanup }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-tiny-model-'))
    onCleanup(() => rm(dir, { recursive: true, force: true }))
    // Imported here, not at the top: files that need no app should not load TF.js and Fastify.
    const { writeTinyModel } = await import('./api/api-harness.js')
    return writeTinyModel(dir)
  })
  .extend('appOptions', {} as AppOptions)
  .extend('makeApp', async ({ database, tinyModelDir, log }, { onCleanup }) => {
    const apps: Array<{ close(): Promise<void> }> = []
    onCleanup(async () => {
      for (const app of apps.reverse()) await app.close()
    })
    const { buildTestApp } = await import('./helpers/test-app.js')
    return async (options: AppOptions = {}): Promise<TestApp> => {
      const app = await buildTestApp(database, tinyModelDir, options, log)
      apps.push(app)
      return app
    }
  })
  .extend('app', async ({ makeApp, appOptions }) => makeApp(appOptions))

export { testDrivers, type TestDatabase, type TestDriver } from './helpers/databases.js'
export type { AppOptions, InjectResponse, TestApp } from './helpers/test-app.js'
export { expect, describe, beforeAll, afterAll, beforeEach, afterEach, vi } from 'vitest'

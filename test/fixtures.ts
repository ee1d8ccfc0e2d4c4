import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test as base } from 'vitest'
import type { Logger } from '../src/log/index.js'
import { createSilentLogger } from '../src/log/index.js'
import { createTestDatabase, type TestDatabase, type TestDriver } from './helpers/databases.js'

export interface Fixtures {
  /** A temporary folder, removed after the test. */
  tmpDir: string
  log: Logger
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  tmpDir: async ({}, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-test-'))
    await use(dir)
    await rm(dir, { recursive: true, force: true })
  },
  // eslint-disable-next-line no-empty-pattern
  log: async ({}, use) => {
    await use(createSilentLogger())
  },
})

/** `test` with a fresh migrated database of the given driver, disposed after each test. */
export function testWithDb(driver: TestDriver) {
  return test.extend<{ database: TestDatabase }>({
    // eslint-disable-next-line no-empty-pattern
    database: async ({}, use) => {
      const database = await createTestDatabase(driver)
      await use(database)
      await database.dispose()
    },
  })
}

export { testDrivers } from './helpers/databases.js'
export { expect, describe, beforeAll, afterAll, beforeEach, afterEach, vi } from 'vitest'

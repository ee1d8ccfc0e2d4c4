import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import type { Config } from '../../src/config/index.js'
import { createTestDatabase, type TestDatabase, type TestDriver } from '../helpers/databases.js'
import { multipart, startTestApi, writeTinyModel, type TestApi } from './api-harness.js'

/** What `app.inject` answers (its overloads hide it from ReturnType). */
type InjectResponse = Awaited<ReturnType<TestApi['app']['inject']>>

export interface PredictFixture {
  /** The running app (set in beforeAll). */
  readonly api: TestApi
  /** Its database, for a second app over the same rows. */
  readonly database: TestDatabase
  /** The tiny model's artifact folder. */
  readonly modelDir: string
  post(
    parts: Parameters<typeof multipart>[0],
    headers?: Record<string, string>,
    url?: string,
  ): Promise<InjectResponse>
  /** Rows in the history. */
  storedCount(): Promise<number>
  /** Counted stock over all labels. */
  stockTotal(): Promise<number>
}

/**
 * Registers hooks for one database and app per describe block (PGlite takes seconds to start) serving the tiny
 * model, with an empty history before each test.
 */
export function usePredictApi(driver: TestDriver, serving: Partial<Config['serving']>): PredictFixture {
  let database: TestDatabase | undefined
  let api: TestApi | undefined
  let modelDir = ''
  beforeAll(async () => {
    modelDir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-model-'))
    await writeTinyModel(modelDir)
    database = await createTestDatabase(driver)
    api = await startTestApi(database.handle, modelDir, serving)
  })
  afterAll(async () => {
    await api?.close()
    await database?.dispose()
    await rm(modelDir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    const res = await fixture.api.app.inject({ method: 'DELETE', url: '/predictions' })
    expect(res.statusCode).toBe(200)
  })
  const fixture: PredictFixture = {
    get api() {
      if (!api) throw new Error('the test API is not started yet')
      return api
    },
    get database() {
      if (!database) throw new Error('the test database is not created yet')
      return database
    },
    get modelDir() {
      return modelDir
    },
    async post(parts, headers = {}, url = '/predict') {
      const body = multipart(parts)
      return await fixture.api.app.inject({
        method: 'POST',
        url,
        payload: body.payload,
        headers: { ...body.headers, ...headers },
      })
    },
    async storedCount() {
      const res = await fixture.api.app.inject({ method: 'GET', url: '/history?limit=1' })
      return res.json<{ total: number }>().total
    },
    async stockTotal() {
      return (await fixture.api.app.inject({ method: 'GET', url: '/stock' })).json<{ total: number }>().total
    },
  }
  return fixture
}

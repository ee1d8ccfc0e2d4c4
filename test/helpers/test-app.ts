import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import {
  buildApp,
  ModelHolder,
  type ApiApp,
  type ModelSource,
  type RetrainRunner,
} from '../../src/api/index.js'
import { loadConfig, type Config } from '../../src/config/index.js'
import type { DatabaseHandle } from '../../src/db/index.js'
import type { Logger } from '../../src/log/index.js'
import { loadClassifier, type Classifier } from '../../src/model/index.js'
import { resolveServedModel } from '../../src/registry/index.js'
import type { TestDatabase } from './databases.js'

/** How a test's app differs from the default one (the tiny model, no auth, no retraining). */
export interface AppOptions {
  /** Environment read by loadConfig, over a temporary SPORTSCAN_HOME (e.g. `{ SPORTSCAN_AUTH: 'required' }`). */
  env?: Record<string, string>
  /** Overrides of config.serving after loading. */
  serving?: Partial<Config['serving']>
  /** Folder of the model served while the registry has no production model; `null`: none (503 until one is). */
  model?: string | null
  /** Load the model before the app is returned (default true). */
  loadModel?: boolean
  /** How the holder loads the model; TF.js with the resolved views by default. */
  load?: (source: ModelSource, home: string) => Promise<Classifier>
  webDir?: string
  retrain?: RetrainRunner
  log?: Logger
  /** Another database than the test's (one the test takes down, say); the test closes it. */
  db?: DatabaseHandle
}

/** What `inject` answers (its overloads hide it from ReturnType). */
export type InjectResponse = LightMyRequestResponse

export interface TestApp {
  /** `app.inject` of the Fastify instance, never listening. */
  inject(options: InjectOptions | string): Promise<InjectResponse>
  server: ApiApp
  holder: ModelHolder
  config: Readonly<Config>
  /** The app's SPORTSCAN_HOME, removed with it. */
  home: string
  /** The database it serves from. */
  db: DatabaseHandle
}

/**
 * buildApp over a test database, serving what the registry's resolver picks (its production model, else
 * `model`) as `serve` does. The test fixtures (test/fixtures.ts) build every API test's app through this.
 */
export async function buildTestApp(
  database: TestDatabase,
  defaultModelDir: string,
  options: AppOptions = {},
  silentLog: Logger,
): Promise<TestApp & { close(): Promise<void> }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'sportscan-app-'))
  const db = options.db ?? database.handle
  const log = options.log ?? silentLog
  const modelDir = options.model === undefined ? defaultModelDir : options.model
  const base = loadConfig({
    SPORTSCAN_HOME: home,
    SPORTSCAN_BUNDLED_MODEL: modelDir ?? path.join(home, 'no-bundled-model'),
    ...options.env,
  })
  const config: Config = { ...base, serving: { ...base.serving, ...options.serving } }
  const holder = new ModelHolder({
    locate: () => resolveServedModel(db.db, config.serving),
    load: (source) =>
      options.load
        ? options.load(source, home)
        : loadClassifier(source.dir, {
            log,
            testViews: source.testViews,
            ...(source.ref ? { ref: source.ref } : {}),
          }),
    log,
  })
  try {
    if (options.loadModel !== false && modelDir !== null) await holder.refresh()
    const server = await buildApp(config, {
      db,
      log,
      models: holder,
      version: 'test',
      ...(options.webDir ? { webDir: options.webDir } : {}),
      ...(options.retrain ? { retrain: options.retrain } : {}),
    })
    return {
      inject: (request) => server.inject(request),
      server,
      holder,
      config,
      home,
      db,
      async close() {
        await server.close()
        await holder.close()
        await rm(home, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await holder.close()
    await rm(home, { recursive: true, force: true })
    throw err
  }
}

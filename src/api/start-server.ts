import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { loadConfig, type Config } from '../config/index.js'
import { openDatabase, type DatabaseHandle } from '../db/index.js'
import { createLogger, type Logger } from '../log/index.js'
import { initBackend } from '../model/index.js'
import { MODEL_ALIAS_CHANNEL, resolveServedModel } from '../registry/index.js'
import { buildApp, type ApiApp } from './build-app.js'
import type { RetrainRunner } from './retrain-jobs.js'
import { loadServedClassifier } from './inference/index.js'
import { ModelHolder, type ModelProvider } from './model-holder.js'

// src/api/ and dist/api/ both sit two levels below the package root.
const packageRoot = fileURLToPath(new URL('../../', import.meta.url))
const defaultWebDir = fileURLToPath(new URL('../../dist/web', import.meta.url))

/** Alias changes arrive by NOTIFY; this poll only catches a missed one (LISTEN connection lost). */
const MODEL_POLL_MS = 30_000
/** In-flight requests get this long to finish on shutdown before the process gives up on them. */
const SHUTDOWN_GRACE_MS = 10_000

export interface RunningServer {
  app: ApiApp
  /** `http://host:port` actually bound (port 0 picks a free one). */
  url: string
  /** The served model (benchmarks measure raw inference on exactly what the routes use). */
  models: ModelProvider
  /** Stops accepting, lets in-flight requests finish, then closes the model and the database pool. */
  close(): Promise<void>
}

export interface StartServerOptions {
  config?: Readonly<Config>
  log?: Logger
  /** Install SIGTERM/SIGINT handlers that close the server (the CLI does; tests do not). */
  handleSignals?: boolean
  webDir?: string
  /** Builds the retraining runner over the opened database (the CLI passes one; see RetrainRunner). */
  createRetrain?: (db: DatabaseHandle['db']) => RetrainRunner
}

/** Opens the database (migrating it), loads the production model and listens on config.server. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadConfig()
  const log = options.log ?? createLogger({ level: config.logLevel })
  const version = await readVersion()
  const db = await openDatabase(config.db, log)
  let holder: ModelHolder | undefined
  try {
    const backend = await initBackend({ log })
    holder = new ModelHolder({
      locate: () => resolveServedModel(db.db, config.serving),
      load: async (source) =>
        (await loadServedClassifier(source, { serving: config.serving, home: config.home, log })).classifier,
      log,
    })
    // Serving starts even without a model (a fresh registry and no bundled one): /ready says 503 meanwhile.
    await holder.refresh().catch((err: unknown) => log.error({ err }, 'no model loaded at start'))
    await holder.watch({
      listen: (onPayload) => db.listen(MODEL_ALIAS_CHANNEL, onPayload),
      pollMs: MODEL_POLL_MS,
    })

    const app = await buildApp(config, {
      db,
      log,
      models: holder,
      version,
      webDir: options.webDir ?? defaultWebDir,
      ...(options.createRetrain ? { retrain: options.createRetrain(db.db) } : {}),
    })
    const url = await app.listen({ host: config.server.host, port: config.server.port })
    log.info(
      {
        url,
        database: config.db.driver,
        backend,
        model: holder.current()?.classifier.ref ?? null,
        auth: app.authMode,
        storeImages: config.serving.storeImages,
      },
      'sportscan API listening',
    )
    const server = { app, url, models: holder, close: closeOnce(() => shutdown(app, holder, db, log)) }
    if (options.handleSignals) installSignalHandlers(server, log)
    return server
  } catch (err) {
    await holder?.close()
    await db.close().catch(() => undefined)
    throw err
  }
}

async function shutdown(app: ApiApp, holder: ModelHolder | undefined, db: DatabaseHandle, log: Logger) {
  log.info('shutting down: no new connections, finishing in-flight requests')
  const timer = setTimeout(() => {
    log.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'in-flight requests did not finish in time; closing connections')
    app.server.closeAllConnections()
  }, SHUTDOWN_GRACE_MS)
  timer.unref()
  try {
    await app.close()
  } finally {
    clearTimeout(timer)
    await holder?.close()
    await db.close()
    log.info('shut down')
  }
}

function installSignalHandlers(server: RunningServer, log: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'signal received')
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
}

function closeOnce(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined
  return () => (closing ??= fn())
}

async function readVersion(): Promise<string> {
  try {
    const pkg: unknown = JSON.parse(await readFile(`${packageRoot}package.json`, 'utf8'))
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') {
      return pkg.version
    }
  } catch {
    // A missing package.json (unusual install) only costs the version in /health.
  }
  return '0.0.0'
}

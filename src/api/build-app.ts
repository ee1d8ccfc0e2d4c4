import fastifyMultipart from '@fastify/multipart'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify'
import { resolveAuthMode } from '../auth/index.js'
import type { Config } from '../config/index.js'
import type { DatabaseHandle } from '../db/index.js'
import type { Logger } from '../log/index.js'
import { RecentUploads } from './recent-uploads.js'
import { ScanWriter } from './scan-writer.js'
import type { ApiContext } from './api-context.js'
import { handleError } from './errors.js'
import { answerClientError } from './fastify-errors.js'
import type { ModelProvider } from './model-holder.js'
import { RetrainJobs, type RetrainRunner } from './retrain-jobs.js'
import { authPlugin } from './plugins/auth.js'
import { dashboardPlugin } from './plugins/dashboard.js'
import { securityPlugin } from './plugins/security.js'
import { createApiMetrics, metricsPlugin } from './plugins/metrics.js'
import { binRoutes } from './routes/bins.js'
import { capabilityRoutes } from './routes/capabilities.js'
import { correctionUndoRoutes } from './routes/correction-undo.js'
import { scanDeleteRoutes } from './routes/scan-delete.js'
import { explainRoutes } from './routes/explain.js'
import { healthRoutes } from './routes/health.js'
import { historyRoutes } from './routes/history.js'
import { legacyRoutes } from './routes/legacy.js'
import { modelFileRoutes } from './routes/model-files.js'
import { modelRoutes } from './routes/models.js'
import { ErrorSchema } from './routes/prediction.schemas.js'
import { predictionRoutes } from './routes/predictions.js'
import { putAwayRoutes } from './routes/put-aways.js'
import { retrainRoutes } from './routes/retrain.js'
import { reviewRoutes } from './routes/review.js'
import { statsRoutes } from './routes/stats.js'
import { stockRoutes } from './routes/stock.js'

export interface AppDeps {
  db: DatabaseHandle
  log: Logger
  models: ModelProvider
  /** Built dashboard (index.html + assets); served at `/` when the folder exists. */
  webDir?: string
  /** Reported by GET /health. */
  version?: string
  /** Runs retraining for POST /retrain; without it the route answers 409 SPS_API_RETRAIN_UNAVAILABLE. */
  retrain?: RetrainRunner
}

export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  Logger,
  TypeBoxTypeProvider
>

/** Builds the API, ready for `inject()`; it never listens (start-server.ts does). */
export async function buildApp(config: Readonly<Config>, deps: AppDeps): Promise<ApiApp> {
  const app = Fastify({
    loggerInstance: deps.log,
    // JSON bodies are tiny (corrections); uploads go through multipart, which has its own limits.
    bodyLimit: 64 * 1024,
    // Long enough for a batch upload on a slow link; stops slow-loris clients holding sockets forever.
    requestTimeout: 120_000,
    return503OnClosing: true,
    trustProxy: fastifyTrustProxy(config.server.trustProxy),
    ajv: { customOptions: { removeAdditional: false } },
    // Errors Node's parser raises (431 headers too large) answer `{code, message}` like every other error.
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>()

  const ctx: ApiContext = {
    config,
    db: deps.db,
    models: deps.models,
    log: deps.log,
    metrics: createApiMetrics(),
    recentUploads: new RecentUploads(),
    scans: new ScanWriter(deps.db.db),
  }
  // Before the database closes (the caller closes it after the app): queued scans commit first.
  app.addHook('onClose', async () => ctx.scans.close())

  // Throws (before any socket opens) when SPORTSCAN_AUTH=off would expose the API beyond loopback.
  const authMode = resolveAuthMode(config.auth.mode, config.server.host)
  app.setErrorHandler(handleError)
  app.addSchema(ErrorSchema)
  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: config.serving.maxUploadBytes, files: config.serving.batchLimit },
  })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'SportScan API',
        description: 'Recognises sports balls in photos and keeps warehouse stock.',
        version: deps.version ?? '0.0.0',
      },
    },
  })
  // Before every route, rate limits before keys: auth's onRoute hook refuses a route that declares no role.
  await app.register(securityPlugin, { authMode, corsOrigins: config.corsOrigins })
  await app.register(authPlugin, { db: deps.db.db, mode: authMode })
  await app.register(metricsPlugin, { metrics: ctx.metrics })

  // The API's table of contents: one plugin per resource.
  await app.register(predictionRoutes, { ctx })
  await app.register(correctionUndoRoutes, { ctx })
  await app.register(scanDeleteRoutes, { ctx })
  await app.register(reviewRoutes, { ctx })
  await app.register(historyRoutes, { ctx })
  await app.register(statsRoutes, { ctx })
  await app.register(stockRoutes, { ctx })
  await app.register(binRoutes, { ctx })
  await app.register(putAwayRoutes, { ctx })
  await app.register(modelRoutes, { ctx })
  await app.register(modelFileRoutes, { ctx })
  await app.register(retrainRoutes, { ctx, jobs: new RetrainJobs(deps.retrain, deps.log) })
  await app.register(explainRoutes, { ctx })
  await app.register(legacyRoutes, { ctx })
  await app.register(healthRoutes, { ctx, version: deps.version ?? '0.0.0' })
  await app.register(capabilityRoutes, { ctx })
  await app.register(dashboardPlugin, { ctx, webDir: deps.webDir })

  app.get('/openapi.json', { schema: { hide: true }, config: { role: 'public' } }, async () => app.swagger())
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })
  await app.ready()
  return app
}

/** A hop count becomes proxy-addr's trust function (Fastify's types take booleans, addresses or a function). */
function fastifyTrustProxy(trust: Config['server']['trustProxy']): boolean | string[] | TrustHops {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust
}
type TrustHops = (address: string, hop: number) => boolean

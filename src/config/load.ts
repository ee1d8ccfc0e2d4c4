import path from 'node:path'
import { Value } from 'typebox/value'
import { ConfigInvalidError } from './errors.js'
import { ConfigSchema, type Config } from './schema.js'

type Env = Record<string, string | undefined>

const MB = 1024 * 1024

/**
 * Reads the environment once, at the edge (CLI, server start). Every problem is reported in one error,
 * and the result is frozen so no layer below can change it.
 */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const problems: string[] = []
  const num = (name: string, fallback: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const n = Number(raw)
    if (!Number.isFinite(n)) problems.push(`${name} must be a number, got "${raw}"`)
    return n
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false
    problems.push(`${name} must be a boolean (1/0/true/false), got "${raw}"`)
    return fallback
  }

  /** SPORTSCAN_TRUST_PROXY: unset/false, true, a hop count (1 = the ingress), or comma-separated IPs/CIDRs. */
  const trustProxy = (): boolean | number | string[] => {
    const raw = (env.SPORTSCAN_TRUST_PROXY ?? '').trim()
    if (raw === '') return false
    if (/^\d+$/.test(raw)) {
      const hops = Number(raw)
      if (hops < 1)
        problems.push(`SPORTSCAN_TRUST_PROXY must be a hop count >= 1, true/false or addresses, got "${raw}"`)
      return hops
    }
    if (['true', 'yes', 'on'].includes(raw.toLowerCase())) return true
    if (['false', 'no', 'off'].includes(raw.toLowerCase())) return false
    return raw
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean)
  }

  const home = path.resolve(env.SPORTSCAN_HOME || '.sportscan')
  const databaseUrl = env.DATABASE_URL
  const candidate = {
    home,
    db: databaseUrl
      ? { driver: 'pg', url: databaseUrl, poolSize: num('SPORTSCAN_DB_POOL_SIZE', 16) }
      : { driver: 'pglite', dir: path.join(home, 'db') },
    logLevel: env.LOG_LEVEL || 'info',
    server: { host: env.HOST || '127.0.0.1', port: num('PORT', 8000), trustProxy: trustProxy() },
    serving: {
      threshold: num('SPORTSCAN_THRESHOLD', 0.5),
      maxUploadBytes: Math.round(num('SPORTSCAN_MAX_UPLOAD_MB', 10) * MB),
      maxPixels: num('SPORTSCAN_MAX_PIXELS', 50_000_000),
      batchLimit: num('SPORTSCAN_BATCH_LIMIT', 32),
      storeImages: bool('STORE_IMAGES', false),
      runtime: env.SPORTSCAN_RUNTIME || 'auto',
      // fp32 until an int8 twin stays within 0.5 points of it on the test split (bundled-6's loses 1.6: model card).
      precision: env.SPORTSCAN_PRECISION || 'fp32',
      // Two cores: one ONNX session per worker thread, one thread each, two batches in flight; the event loop,
      // sharp and PostgreSQL share what is left (bench:serve; the README has the figures).
      inferenceThreads: num('SPORTSCAN_INFERENCE_THREADS', 1),
      inferenceWorkers: num('SPORTSCAN_INFERENCE_WORKERS', 2),
      // Measured with bench:serve on 2 cores (MobileNetV2 transfer model): batches of up to 8 gathered for 2 ms
      // raise 8-connection throughput ~20% (efficiency 0.65 -> 0.8) for a few ms at one connection.
      batchWindowMs: num('SPORTSCAN_BATCH_WINDOW_MS', 2),
      maxBatchSize: num('SPORTSCAN_MAX_BATCH_SIZE', 8),
      testViews: env.SPORTSCAN_TEST_VIEWS || 'model',
      modelName: env.SPORTSCAN_MODEL_NAME || 'sports-ball-cnn',
      bundledModelDir: path.resolve(env.SPORTSCAN_BUNDLED_MODEL || 'models/sports-ball-cnn'),
    },
    auth: { mode: env.SPORTSCAN_AUTH || 'auto' },
    corsOrigins: (env.SPORTSCAN_CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    putaway: { site: env.SPORTSCAN_SITE || 'main' },
    codeVersion: env.SPORTSCAN_CODE_VERSION || null,
    retrain: {
      splitFile: env.SPORTSCAN_RETRAIN_SPLIT ? path.resolve(env.SPORTSCAN_RETRAIN_SPLIT) : null,
      overrides: (env.SPORTSCAN_RETRAIN_SET ?? '').split(/\s+/).filter(Boolean),
      testTolerance: num('SPORTSCAN_GATE_TOLERANCE', 0),
      holdoutFraction: num('SPORTSCAN_GATE_HOLDOUT', 0.3),
      holdoutSeed: num('SPORTSCAN_GATE_SEED', 42),
    },
    drift: {
      maxLowConfidenceShare: num('SPORTSCAN_DRIFT_MAX_LOW_CONFIDENCE', 0.3),
      maxDistance: num('SPORTSCAN_DRIFT_MAX_DISTANCE', 0.3),
      minScans: num('SPORTSCAN_DRIFT_MIN_SCANS', 20),
    },
  }

  for (const error of Value.Errors(ConfigSchema, candidate)) {
    problems.push(`${error.instancePath || '/'} ${error.message}`)
  }
  if (problems.length > 0) throw new ConfigInvalidError(problems)
  return deepFreeze(candidate as Config)
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

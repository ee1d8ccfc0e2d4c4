import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type {} from '@fastify/swagger'
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface ApiMetrics {
  registry: Registry
  /** Stored scans by label and status (replayed idempotent retries are not counted again). */
  predictions: Counter<'label' | 'status'>
  /** Uploads refused, by error code. */
  rejectedUploads: Counter<'code'>
  httpDuration: Histogram<'method' | 'route' | 'status'>
}

/** One registry per app, so several apps in one process (tests) never share counters. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'sportscan_' })
  return {
    registry,
    predictions: new Counter({
      name: 'sportscan_predictions_total',
      help: 'Stored predictions by label and status',
      labelNames: ['label', 'status'],
      registers: [registry],
    }),
    rejectedUploads: new Counter({
      name: 'sportscan_rejected_uploads_total',
      help: 'Uploads refused, by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'sportscan_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  }
}

/** Times every request and serves the registry at GET /metrics (Prometheus text format). */
export const metricsPlugin = fp(
  async (app: FastifyInstance, options: { metrics: ApiMetrics }) => {
    const { metrics } = options
    app.addHook('onResponse', async (request, reply) => {
      metrics.httpDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      )
    })
    app.get('/metrics', { schema: { hide: true }, config: { role: 'public' } }, async (_request, reply) => {
      void reply.header('content-type', metrics.registry.contentType)
      return metrics.registry.metrics()
    })
  },
  { name: 'sportscan-metrics' },
)

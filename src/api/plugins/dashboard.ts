import { stat } from 'node:fs/promises'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { BALL_LABELS } from '../../data/index.js'
import type { ApiContext } from '../api-context.js'
import { RouteNotFoundError, handleError } from '../errors.js'

/** First path segments that belong to the API: never answered with the dashboard page. */
const API_PREFIXES = [
  'predict',
  'predictions',
  'history',
  'history.csv',
  'stats',
  'stock',
  'categories',
  'models',
  'health',
  'ready',
  'metrics',
  'openapi.json',
  'docs',
]

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SportScan</title></head>
<body><h1>SportScan API</h1><p>The dashboard is not built (run <code>npm run build:web</code>).
See <a href="/docs">/docs</a> for the API.</p></body></html>
`

/** Browsers list text/html in Accept; API clients (curl, v1 clients sending Accept: *\/*) get JSON. */
export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html')
}

function isApiPath(url: string): boolean {
  const first = url.split('?')[0]?.split('/')[1] ?? ''
  return API_PREFIXES.includes(first)
}

/**
 * Serves the dashboard built into `webDir` at `/` (when that folder exists), the v1 `GET /` JSON for API
 * clients, and the not-found answer: the SPA page for browser navigation, a JSON 404 for everything else.
 */
export const dashboardPlugin = fp(
  async (app: FastifyInstance, options: { ctx: ApiContext; webDir: string | undefined }) => {
    const { ctx } = options
    const webDir = options.webDir && (await hasBuiltDashboard(options.webDir)) ? options.webDir : undefined
    if (webDir) {
      // wildcard: false registers the files present at start and leaves unknown paths to the 404 handler.
      await app.register(fastifyStatic, { root: webDir, prefix: '/', index: false, wildcard: false })
    }
    const sendPage = async (reply: FastifyReply) => {
      void reply.type('text/html; charset=utf-8')
      if (webDir) return reply.sendFile('index.html')
      return reply.send(FALLBACK_PAGE)
    }

    app.get(
      '/',
      {
        config: { role: 'public' },
        schema: {
          summary: 'v1 service info as JSON (Accept: application/json); the dashboard for browsers',
          tags: ['v1'],
          produces: ['application/json', 'text/html'],
          response: {
            // The HTML page is sent with its own content type and skips this JSON serialiser.
            200: Type.Object({
              message: Type.String(),
              status: Type.String(),
              model_loaded: Type.Boolean(),
              categories: Type.Array(Type.String()),
            }),
          },
        },
      },
      async (request, reply) => {
        if (wantsHtml(request) && !(request.headers.accept ?? '').startsWith('application/json')) {
          return sendPage(reply)
        }
        const served = ctx.models.current()
        return {
          message: 'SportScan: sports ball recognition API',
          status: 'ok',
          model_loaded: served !== undefined,
          categories: [...(served?.classifier.labels ?? BALL_LABELS)],
        }
      },
    )

    app.setNotFoundHandler(async (request, reply) => {
      if (
        (request.method === 'GET' || request.method === 'HEAD') &&
        wantsHtml(request) &&
        !isApiPath(request.url)
      ) {
        return sendPage(reply)
      }
      return handleError(new RouteNotFoundError(request.method, request.url), request, reply)
    })
  },
  { name: 'sportscan-dashboard' },
)

async function hasBuiltDashboard(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory() && (await stat(path.join(dir, 'index.html'))).isFile()
  } catch {
    return false
  }
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Readable } from 'node:stream'
import { Type } from 'typebox'
import { listPredictionHistory, type HistoryCursor } from '../../db/index.js'
import type { ApiContext } from '../api-context.js'
import { InvalidCursorError } from '../errors.js'
import { toScanAnswers } from '../bin-fields.js'
import { historyCsvStream } from '../history-csv.js'
import { FilterQuery, toFilters } from './history.schemas.js'
import { checkLabelFilter } from './label-filter.js'
import { PredictionSchema, errorResponses } from './prediction.schemas.js'
import { BinFieldsSchema } from './put-away.schemas.js'

const HistoryQuery = Type.Intersect([
  FilterQuery,
  Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  }),
])

export const historyRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/history',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Stored scans, newest first, with cursor pagination',
        tags: ['history'],
        querystring: HistoryQuery,
        response: {
          200: Type.Object({
            total: Type.Integer({ description: 'Rows matching the filters, on all pages' }),
            items: Type.Array(Type.Intersect([PredictionSchema, BinFieldsSchema])),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query
      checkLabelFilter(ctx, request.query.label)
      const page = await listPredictionHistory(ctx.db.db, toFilters(request.query), {
        limit,
        cursor: cursor === undefined ? undefined : decodeCursor(cursor),
      })
      return {
        total: page.total,
        items: await toScanAnswers(ctx, page.items),
        next_cursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
      }
    },
  )

  app.get(
    '/history.csv',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The filtered history as CSV',
        tags: ['history'],
        produces: ['text/csv'],
        querystring: FilterQuery,
        response: {
          // A stream: Fastify pipes it as is, the schema only documents it.
          200: Type.Unsafe<Readable>({ type: 'string', description: 'CSV, one scan per line' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      checkLabelFilter(ctx, request.query.label)
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="sportscan-history.csv"')
      return reply.send(historyCsvStream(ctx, toFilters(request.query)))
    },
  )
}

/** Opaque to clients: base64url of the last row's microsecond timestamp and id. */
export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url')
}

export function decodeCursor(raw: string): HistoryCursor {
  const [createdAt, id, extra] = Buffer.from(raw, 'base64url').toString('utf8').split('|')
  if (
    extra !== undefined ||
    !createdAt ||
    !id ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(createdAt) ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
  ) {
    throw new InvalidCursorError()
  }
  return { createdAt, id }
}

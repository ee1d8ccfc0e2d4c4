import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { getStock } from '../../db/index.js'
import type { ApiContext } from '../api-context.js'
import { errorResponses } from './prediction.schemas.js'

export const stockRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/stock',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Current count per label and location (counted scans, following corrections)',
        tags: ['stock'],
        querystring: Type.Object({ location: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            per_label: Type.Record(Type.String(), Type.Integer()),
            items: Type.Array(
              Type.Object({
                label: Type.String(),
                location: Type.Union([Type.String(), Type.Null()]),
                count: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const lines = await getStock(ctx.db.db, { location: request.query.location })
      const perLabel: Record<string, number> = {}
      for (const line of lines) perLabel[line.label] = (perLabel[line.label] ?? 0) + line.count
      return {
        total: lines.reduce((sum, l) => sum + l.count, 0),
        per_label: perLabel,
        items: lines,
      }
    },
  )
}

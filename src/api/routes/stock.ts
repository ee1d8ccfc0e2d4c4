import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { getStock, getStockByBin, listBins } from '../../db/index.js'
import { SITE_PATTERN, summariseBinStock } from '../../putaway/index.js'
import type { ApiContext } from '../api-context.js'
import { errorResponses } from './prediction.schemas.js'

const BinStockSchema = Type.Object({
  site: Type.Union([Type.String(), Type.Null()]),
  bin: Type.Union([Type.String(), Type.Null()], {
    description: 'null: counted scans with no bin (no assignment for their type, or no site)',
  }),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  count: Type.Integer({ description: 'Balls in the bin: confirmed there, else assigned there by type' }),
  shelved: Type.Integer({ description: 'Of count, the ones a worker confirmed shelving there' }),
  is_over_capacity: Type.Boolean(),
  per_label: Type.Record(Type.String(), Type.Integer()),
})

export const stockRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/stock',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Current count per label and location, or per bin (counted scans, following corrections)',
        tags: ['stock'],
        querystring: Type.Object({
          location: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          group_by: Type.Union([Type.Literal('location'), Type.Literal('bin')], {
            default: 'location',
            description: 'location: `items` per label and location; bin: `bins` per site and bin',
          }),
          site: Type.Optional(Type.String({ pattern: SITE_PATTERN, description: 'With group_by=bin' })),
        }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            per_label: Type.Record(Type.String(), Type.Integer()),
            items: Type.Optional(
              Type.Array(
                Type.Object({
                  label: Type.String(),
                  location: Type.Union([Type.String(), Type.Null()]),
                  count: Type.Integer(),
                }),
              ),
            ),
            bins: Type.Optional(Type.Array(BinStockSchema)),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { group_by: groupBy, site, location } = request.query
      if (groupBy !== 'bin') {
        const lines = await getStock(ctx.db.db, { location })
        return { ...totals(lines), items: lines }
      }
      const filter = site === undefined ? {} : { site }
      const [lines, bins] = await Promise.all([getStockByBin(ctx.db.db, filter), listBins(ctx.db.db, filter)])
      return {
        ...totals(lines),
        bins: summariseBinStock(lines, bins).map((b) => ({
          site: b.site,
          bin: b.bin,
          capacity: b.capacity,
          count: b.count,
          shelved: b.shelved,
          is_over_capacity: b.isOverCapacity,
          per_label: b.perLabel,
        })),
      }
    },
  )
}

function totals(lines: ReadonlyArray<{ label: string; count: number }>) {
  const perLabel: Record<string, number> = {}
  for (const line of lines) perLabel[line.label] = (perLabel[line.label] ?? 0) + line.count
  return { total: lines.reduce((sum, l) => sum + l.count, 0), per_label: perLabel }
}

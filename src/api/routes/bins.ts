import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listBinAssignments, listSites, type BinAssignment } from '../../db/index.js'
import {
  BIN_PATTERN,
  MAX_CAPACITY,
  SITE_PATTERN,
  assignBin,
  exportBinsCsv,
  importBinsCsv,
  unassignBin,
} from '../../putaway/index.js'
import { BALL_LABELS } from '../../data/index.js'
import type { ApiContext } from '../api-context.js'
import { ErrorSchema, errorResponses } from './prediction.schemas.js'

const AssignmentSchema = Type.Object({
  site: Type.String(),
  label: Type.String({ description: 'Ball type' }),
  bin: Type.String(),
  capacity: Type.Union([Type.Integer(), Type.Null()], { description: 'Balls the bin holds; null: no limit' }),
  updated_by: Type.Union([Type.String(), Type.Null()]),
  updated_at: Type.String({ format: 'date-time' }),
})

const SiteQuery = Type.Object({ site: Type.Optional(Type.String({ pattern: SITE_PATTERN })) })

const AssignmentParams = Type.Object({
  site: Type.String({ pattern: SITE_PATTERN }),
  label: Type.Union(
    BALL_LABELS.map((l) => Type.Literal(l)),
    { description: 'Ball type' },
  ),
})

/**
 * A capacity, or null for no limit. `enum: [null]` first, rather than `type: 'null'`: Fastify's Ajv coerces
 * types inside anyOf, so 0 would pass as null, or null be turned into 0 by an integer branch tried first.
 */
const CapacityBody = Type.Unsafe<number | null>({
  anyOf: [{ enum: [null] }, { type: 'integer', minimum: 1, maximum: MAX_CAPACITY }],
  description: 'Balls the bin holds; null: no limit; left out: the bin keeps its capacity',
})

const adminErrors = { ...errorResponses, 401: ErrorSchema, 403: ErrorSchema } as const

/** Bin assignments: where each ball type goes at each site. Everyone signed in reads them; admins change them. */
export const binRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  // Scoped to this plugin: only POST /bins/import reads a CSV body.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body))

  app.get(
    '/sites',
    {
      config: { role: 'signed-in' },
      schema: {
        summary: 'Sites with bins, and the default site scans are answered for',
        tags: ['put-away'],
        response: {
          200: Type.Object({
            default_site: Type.String({ description: 'SPORTSCAN_SITE: used when a scan names no site' }),
            items: Type.Array(
              Type.Object({ site: Type.String(), bins: Type.Integer(), assignments: Type.Integer() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const sites = await listSites(ctx.db.db)
      const defaultSite = ctx.config.putaway.site
      // The default site is always offered, even before it has a bin.
      const items = sites.some((s) => s.site === defaultSite)
        ? sites
        : [{ site: defaultSite, bins: 0, assignments: 0 }, ...sites]
      return { default_site: defaultSite, items }
    },
  )

  app.get(
    '/bins',
    {
      config: { role: 'signed-in' },
      schema: {
        summary: 'Bin assignments (ball type -> bin) per site',
        tags: ['put-away'],
        querystring: SiteQuery,
        response: { 200: Type.Object({ items: Type.Array(AssignmentSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const site = request.query.site
      const rows = await listBinAssignments(ctx.db.db, site === undefined ? {} : { sites: [site] })
      return { items: rows.map(toAssignment) }
    },
  )

  app.get(
    '/bins.csv',
    {
      config: { role: 'signed-in' },
      schema: {
        summary: 'Bin assignments as CSV (site,label,bin,capacity), as POST /bins/import reads them',
        tags: ['put-away'],
        produces: ['text/csv'],
        querystring: SiteQuery,
        response: { 200: Type.String({ description: 'CSV' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="sportscan-bins.csv"')
      return exportBinsCsv(ctx.db.db, request.query.site === undefined ? {} : { site: request.query.site })
    },
  )

  app.put(
    '/bins/:site/:label',
    {
      config: { role: 'admin' },
      schema: {
        summary:
          'Assign a ball type to a bin at a site (creating the bin); capacity left out keeps the bin’s',
        tags: ['put-away'],
        params: AssignmentParams,
        body: Type.Object(
          {
            bin: Type.String({ pattern: BIN_PATTERN }),
            capacity: Type.Optional(CapacityBody),
          },
          { additionalProperties: false },
        ),
        response: { 200: AssignmentSchema, ...adminErrors },
      },
    },
    async (request) => {
      const { bin, capacity } = request.body
      const row = await assignBin(ctx.db.db, {
        site: request.params.site,
        ballLabel: request.params.label,
        binLabel: bin,
        ...(capacity === undefined ? {} : { capacity }),
        updatedBy: request.apiKey?.name ?? null,
      })
      return toAssignment(row)
    },
  )

  app.delete(
    '/bins/:site/:label',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Remove a ball type’s bin at a site (its scans then answer no_assignment)',
        tags: ['put-away'],
        params: AssignmentParams,
        response: {
          200: Type.Object({ deleted: Type.Literal(true), site: Type.String(), label: Type.String() }),
          ...adminErrors,
        },
      },
    },
    async (request) => {
      const { site, label } = request.params
      await unassignBin(ctx.db.db, { site, ballLabel: label })
      return { deleted: true as const, site, label }
    },
  )

  app.post(
    '/bins/import',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Load assignments from CSV (site,label,bin[,capacity]); any bad line imports nothing',
        tags: ['put-away'],
        consumes: ['text/csv'],
        querystring: Type.Object({
          replace: Type.Optional(
            Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0'), Type.Literal('false')], {
              description: '1: each site in the file keeps only the file’s assignments',
            }),
          ),
        }),
        body: Type.String({ minLength: 1, description: 'The CSV text (Content-Type: text/csv)' }),
        response: {
          200: Type.Object({ imported: Type.Integer(), sites: Type.Array(Type.String()) }),
          ...adminErrors,
          415: ErrorSchema,
        },
      },
    },
    async (request) => {
      const replace = request.query.replace === '1' || request.query.replace === 'true'
      return importBinsCsv(ctx.db.db, request.body, { replace, updatedBy: request.apiKey?.name ?? null })
    },
  )
}

function toAssignment(row: BinAssignment) {
  return {
    site: row.site,
    label: row.ballLabel,
    bin: row.binLabel,
    capacity: row.capacity,
    updated_by: row.updatedBy,
    updated_at: row.updatedAt.toISOString(),
  }
}

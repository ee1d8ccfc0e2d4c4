import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { DELETED_SCAN_RETENTION_DAYS, deletePrediction, restorePrediction } from '../../db/index.js'
import type { ApiContext } from '../api-context.js'
import { DeletedScanNotFoundError, PredictionNotFoundError, RestoreConflictError } from '../errors.js'
import { ErrorSchema, PredictionIdParams, errorResponses } from './prediction.schemas.js'

/** Deleting a scan, and the dashboard's "Undo" of it: a deleted scan stays restorable for a while. */
export const scanDeleteRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.delete(
    '/predictions/:id',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Delete one scan (its corrections and put-aways go with it; stock forgets it at once)',
        description: `POST /predictions/{id}/restore undoes it for ${DELETED_SCAN_RETENTION_DAYS} days; after that it is purged.`,
        tags: ['predictions'],
        params: PredictionIdParams,
        response: {
          200: Type.Object({
            deleted: Type.Literal(true),
            id: Type.String(),
            restore_url: Type.String({ description: 'POST here to undo the delete' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.params
      if (!(await deletePrediction(ctx.db.db, id, request.apiKey?.name ?? null))) {
        throw new PredictionNotFoundError(id)
      }
      return { deleted: true as const, id, restore_url: `/predictions/${encodeURIComponent(id)}/restore` }
    },
  )

  app.post(
    '/predictions/:id/restore',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Undo the delete of a scan: it comes back with its id, time, corrections and put-aways',
        tags: ['predictions'],
        params: PredictionIdParams,
        response: {
          200: Type.Object({ restored: Type.Literal(true), id: Type.String() }),
          ...errorResponses,
          409: ErrorSchema,
        },
      },
    },
    async (request) => {
      const { id } = request.params
      const result = await restorePrediction(ctx.db.db, id)
      if (result === 'not_found') throw new DeletedScanNotFoundError(id, DELETED_SCAN_RETENTION_DAYS)
      if (result === 'idempotency_key_taken') throw new RestoreConflictError(id)
      return { restored: true as const, id }
    },
  )
}

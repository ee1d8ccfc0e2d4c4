import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { undoCorrection } from '../../db/index.js'
import type { ApiContext } from '../api-context.js'
import { CorrectionNotFoundError, CorrectionNotLatestError, PredictionNotFoundError } from '../errors.js'
import { ErrorSchema, PredictionIdParams, errorResponses } from './prediction.schemas.js'

/** Undo of a correction: the dashboard's "Undo" after a worker relabelled a scan by mistake. */
export const correctionUndoRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.delete(
    '/predictions/:id/corrections/:correction_id',
    {
      config: { role: 'reviewer' },
      schema: {
        summary: "Undo a scan's latest correction: it counts as before, flagged again if it was",
        tags: ['predictions'],
        params: Type.Intersect([
          PredictionIdParams,
          Type.Object({ correction_id: Type.Integer({ minimum: 1 }) }),
        ]),
        querystring: Type.Object({
          was_flagged: Type.Boolean({
            default: false,
            description: 'Whether the scan was flagged before the correction (a correction clears the flag)',
          }),
        }),
        response: {
          200: Type.Object({ id: Type.String(), undone_correction_id: Type.Integer() }),
          ...errorResponses,
          409: ErrorSchema,
        },
      },
    },
    async (request) => {
      const { id, correction_id: correctionId } = request.params
      const result = await undoCorrection(ctx.db.db, {
        predictionId: id,
        correctionId,
        wasFlagged: request.query.was_flagged,
      })
      if (result === 'not_latest') throw new CorrectionNotLatestError(correctionId)
      if (result === 'no_prediction') throw new PredictionNotFoundError(id)
      if (result === 'not_found') throw new CorrectionNotFoundError(id, correctionId)
      return { id, undone_correction_id: correctionId }
    },
  )
}
